"""Generation throughput: minigrpo's `generate` against 🤗 `generate` on the same model, same run.

GPU (default when CUDA is there): GPT-2 small config with random weights, 64-token prompts, 256 new tokens,
batch 64 and 256, bf16, eager and CUDA-graph decode step.   CPU (`--cpu`): a small GPT, KV cache against no cache at 200 new tokens.
    python bench/generate.py [--cpu]      (prints one JSON line per measurement)"""
import json, os, platform, sys, time
import torch

def log(**kw): print(json.dumps(kw), flush=True)

def timed(fn, sync):
    sync(); t = time.perf_counter(); out = fn(); sync(); return out, time.perf_counter() - t

def gpu():
    from transformers import GPT2Config, GPT2LMHeadModel
    from minigrpo.gpt import GPT
    from minigrpo.sampling import generate
    log(what="device", name=torch.cuda.get_device_name(), torch=torch.__version__)
    hf = GPT2LMHeadModel(GPT2Config(vocab_size=50304, n_positions=1024, attn_implementation="sdpa")).cuda().eval().to(torch.bfloat16)
    ours = GPT.from_hf(hf).cuda().eval().to(torch.bfloat16)
    sync = torch.cuda.synchronize
    for B in (64, 256):
        x = torch.randint(0, 50000, (B, 64), device="cuda")
        with torch.no_grad():
            hf.generate(x, max_new_tokens=8, min_new_tokens=8, do_sample=True, pad_token_id=0)
            _, dt_hf = timed(lambda: hf.generate(x, max_new_tokens=256, min_new_tokens=256, do_sample=True, pad_token_id=0), sync)
        prompts = x.tolist()
        for graph in (False, True):  # eager decode step, then the step captured once as a CUDA graph and replayed
            generate(ours, prompts, 8, seed=0, cuda_graph=graph)
            _, dt = timed(lambda: generate(ours, prompts, 256, seed=0, cuda_graph=graph), sync)
            log(what="generate", batch=B, new_tokens=256, cuda_graph=graph, hf_tokens_per_s=round(B * 256 / dt_hf),
                minigrpo_tokens_per_s=round(B * 256 / dt), speedup=round(dt_hf / dt, 2), hf_step_ms=round(dt_hf / 256 * 1e3, 2),
                minigrpo_step_ms=round(dt / 256 * 1e3, 2), goal="speedup >= 10 at batch 256")

def cpu():
    from minigrpo.gpt import GPT, GPTConfig
    from minigrpo.sampling import generate
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    log(what="device", name=platform.processor() or platform.machine(), cpus=os.cpu_count(), threads=torch.get_num_threads(), torch=torch.__version__)
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=1024, block_size=256, n_layer=4, n_head=4, n_embd=128)).eval()
    prompts = torch.randint(0, 1024, (8, 32)).tolist()
    for use_cache in (True, False):
        generate(model, prompts, 4, use_cache=use_cache, seed=0)
        _, dt = timed(lambda: generate(model, prompts, 200, use_cache=use_cache, seed=0), lambda: None)
        log(what="generate_cpu", use_cache=use_cache, batch=8, new_tokens=200, tokens_per_s=round(8 * 200 / dt), seconds=round(dt, 2))

if __name__ == "__main__":
    cpu() if "--cpu" in sys.argv or not torch.cuda.is_available() else gpu()
