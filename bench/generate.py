"""Generation throughput: minigrpo's `generate` against 🤗 `generate` on the same model, same run.

GPU (default when CUDA is there): GPT-2 small config with random weights, 64-token prompts, 256 new tokens,
batch 64 and 256, bf16, eager and CUDA-graph decode step.   CPU (`--cpu`): a small GPT, KV cache against no cache at 200 new tokens.
    python bench/generate.py [--cpu | --smoke]   (prints one JSON line per measurement; --smoke: the GPU code on CPU, tiny)"""
import json, os, platform, sys, time
import torch

def log(**kw): print(json.dumps(kw), flush=True)

def timed(fn, sync):
    sync(); t = time.perf_counter(); out = fn(); sync(); return out, time.perf_counter() - t

def gpu(smoke: bool = False):
    "GPT-2 small (random weights) on CUDA; `smoke`: the same code on CPU with a tiny model, to check the script runs."
    from transformers import GPT2Config, GPT2LMHeadModel
    from minigrpo.gpt import GPT
    from minigrpo.sampling import generate
    if smoke: dev, dtype, sync, sizes, P, N = "cpu", torch.float32, lambda: None, (4, 8), 8, 16
    else: dev, dtype, sync, sizes, P, N = "cuda", torch.bfloat16, torch.cuda.synchronize, (64, 256), 64, 256
    log(what="device", name="cpu (smoke test)" if smoke else torch.cuda.get_device_name(), torch=torch.__version__)
    shape = dict(n_layer=2, n_head=2, n_embd=64, vocab_size=1000, n_positions=128, bos_token_id=999, eos_token_id=999) if smoke else dict(vocab_size=50304, n_positions=1024)
    hf = GPT2LMHeadModel(GPT2Config(**shape, attn_implementation="sdpa")).to(dev).eval().to(dtype)
    ours = GPT.from_hf(hf).eval()  # on the device and in the dtype of `hf`
    for B in sizes:
        x = torch.randint(0, shape["vocab_size"] - 1, (B, P), device=dev)
        with torch.no_grad():
            hf.generate(x, max_new_tokens=8, min_new_tokens=8, do_sample=True, pad_token_id=0)
            _, dt_hf = timed(lambda: hf.generate(x, max_new_tokens=N, min_new_tokens=N, do_sample=True, pad_token_id=0), sync)
        prompts = x.tolist()
        for graph in (False, True):  # eager decode step, then the step captured once as a CUDA graph and replayed
            generate(ours, prompts, 8, seed=0, cuda_graph=graph)
            _, dt = timed(lambda: generate(ours, prompts, N, seed=0, cuda_graph=graph), sync)
            log(what="generate", batch=B, new_tokens=N, cuda_graph=graph, hf_tokens_per_s=round(B * N / dt_hf),
                minigrpo_tokens_per_s=round(B * N / dt), speedup=round(dt_hf / dt, 2), hf_step_ms=round(dt_hf / N * 1e3, 2),
                minigrpo_step_ms=round(dt / N * 1e3, 2), goal="speedup >= 10 at batch 256")
        greedy = dict(temperature=0)
        same = generate(ours, prompts, 16, **greedy) == generate(ours, prompts, 16, cuda_graph=True, **greedy)
        log(what="greedy_same_tokens", batch=B, cuda_graph_vs_eager=same)

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
    if "--smoke" in sys.argv: gpu(smoke=True)
    elif "--cpu" in sys.argv or not torch.cuda.is_available(): cpu()
    else: gpu()
