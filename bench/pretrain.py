"""Pretraining throughput: minigrpo's GPT and training step against 🤗 GPT2LMHeadModel, same optimizer, same run.

GPT-2 small config (124M), batch 16 × 1,024 tokens, bf16 autocast, fused AdamW; eager and torch.compile.
Run on a CUDA machine:  python bench/pretrain.py [--smoke]   (one JSON line per measurement; --smoke: tiny, on CPU)
MFU uses 6·N + 12·n_layer·n_embd·T FLOPs per token against the GPU's dense bf16 peak."""
import json, sys, time
import torch
import torch.nn.functional as F

def log(**kw): print(json.dumps(kw), flush=True)

def bench(name, model, forward_loss, cfg, B=16, T=1024, steps=15, compile=False, peak=989e12, dev="cuda"):
    from minigrpo.gpt import flops_per_token, num_params
    n = num_params(model)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, fused=dev == "cuda")
    fwd = torch.compile(forward_loss) if compile else forward_loss
    x = torch.randint(0, cfg.vocab_size, (B, T + 1), device=dev)  # each model runs over T tokens
    sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
    def step():
        with torch.autocast(dev, dtype=torch.bfloat16): loss = fwd(x)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    for _ in range(3): step()
    sync(); t = time.perf_counter()
    for _ in range(steps): step()
    sync(); dt = (time.perf_counter() - t) / steps
    tps = B * T / dt
    log(what="train", impl=name, compile=compile, params_M=round(n / 1e6, 1), tokens_per_s=round(tps),
        mfu=round(tps * flops_per_token(cfg, n, T) / peak, 3), step_ms=round(dt * 1e3, 1))

def main(smoke: bool = False):
    "GPT-2 small on CUDA, eager then compiled; `smoke`: the same code on CPU with a tiny model, eager only."
    from transformers import GPT2Config, GPT2LMHeadModel
    from minigrpo.gpt import GPT, GPTConfig
    from minigrpo.pretraining import peak_flops
    if not smoke and not torch.cuda.is_available(): sys.exit("bench/pretrain.py needs a CUDA GPU (or --smoke)")
    dev = "cpu" if smoke else "cuda"
    cfg = GPTConfig(vocab_size=1000, block_size=64, n_layer=2, n_head=2, n_embd=64) if smoke else GPTConfig(vocab_size=50304)
    sizes = dict(B=2, T=32, steps=2, dev=dev) if smoke else {}
    torch.backends.cuda.matmul.allow_tf32 = True
    peak = (peak_flops("cuda") or 989e12) if not smoke else 1e12
    log(what="device", name="cpu (smoke test)" if smoke else torch.cuda.get_device_name(), torch=torch.__version__, peak_tflops=peak / 1e12)
    for compile in ((False,) if smoke else (False, True)):
        hf = GPT2LMHeadModel(GPT2Config(vocab_size=cfg.vocab_size, n_positions=cfg.block_size, n_layer=cfg.n_layer, n_head=cfg.n_head,
                                        n_embd=cfg.n_embd, attn_implementation="sdpa")).to(dev)
        bench("hf_gpt2", hf, lambda x: hf(input_ids=x[:, :-1], labels=x[:, :-1]).loss, cfg, compile=compile, peak=peak, **sizes); del hf
        ours = GPT(cfg).to(dev)
        def loss(x):
            logits = ours(x[:, :-1])
            return F.cross_entropy(logits.view(-1, logits.size(-1)).float(), x[:, 1:].reshape(-1))
        bench("minigrpo", ours, loss, cfg, compile=compile, peak=peak, **sizes); del ours
        if not smoke: torch.cuda.empty_cache()

if __name__ == "__main__": main(smoke="--smoke" in sys.argv)
