"""Pretraining throughput: minigrpo's GPT and training step against 🤗 GPT2LMHeadModel, same optimizer, same run.

GPT-2 small config (124M), batch 16 × 1,024 tokens, bf16 autocast, fused AdamW; eager and torch.compile.
Run on a CUDA machine:  python bench/pretrain.py   (prints one JSON line per measurement)
MFU uses 6·N + 12·n_layer·n_embd·T FLOPs per token against the GPU's dense bf16 peak."""
import json, sys, time
import torch
import torch.nn.functional as F

def log(**kw): print(json.dumps(kw), flush=True)

def bench(name, model, forward_loss, B=16, T=1024, steps=15, compile=False, peak=989e12):
    from minigrpo.gpt import GPTConfig, flops_per_token, num_params
    dev = "cuda"
    n = num_params(model)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, fused=True)
    fwd = torch.compile(forward_loss) if compile else forward_loss
    x = torch.randint(0, 50000, (B, T), device=dev)
    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16): loss = fwd(x)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    for _ in range(3): step()
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(steps): step()
    torch.cuda.synchronize(); dt = (time.perf_counter() - t) / steps
    cfg = GPTConfig()
    tps = B * T / dt
    log(what="train", impl=name, compile=compile, params_M=round(n / 1e6, 1), tokens_per_s=round(tps),
        mfu=round(tps * flops_per_token(cfg, n, T) / peak, 3), step_ms=round(dt * 1e3, 1))

def main():
    if not torch.cuda.is_available(): sys.exit("bench/pretrain.py needs a CUDA GPU")
    from transformers import GPT2Config, GPT2LMHeadModel
    from minigrpo.gpt import GPT, GPTConfig
    from minigrpo.pretraining import peak_flops
    torch.backends.cuda.matmul.allow_tf32 = True
    peak = peak_flops("cuda") or 989e12
    log(what="device", name=torch.cuda.get_device_name(), torch=torch.__version__, peak_tflops=peak / 1e12)
    for compile in (False, True):
        hf = GPT2LMHeadModel(GPT2Config(vocab_size=50304, n_positions=1024, attn_implementation="sdpa")).cuda()
        bench("hf_gpt2", hf, lambda x: hf(input_ids=x, labels=x).loss, compile=compile, peak=peak); del hf
        ours = GPT(GPTConfig(vocab_size=50304)).cuda()
        def loss(x):
            logits = ours(x[:, :-1])
            return F.cross_entropy(logits.view(-1, logits.size(-1)).float(), x[:, 1:].reshape(-1))
        bench("minigrpo", ours, loss, compile=compile, peak=peak); del ours
        torch.cuda.empty_cache()

if __name__ == "__main__": main()
