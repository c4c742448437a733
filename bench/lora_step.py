"""One training step with and without LoRA (chapter 08, section 8): when does skipping the frozen weights' gradients pay?

A minigrpo GPT (RoPE, RMSNorm, SwiGLU, no bias, vocab 1024, 4 layers) at several widths: 32 (section 8's test model's
width), 128 (chapter 07's and section 13's model), 512 and 1024. Each step is next-token cross-entropy on
`--batch` × 128 random tokens, backward, AdamW on the parameters that train: every weight (full fine-tuning), or
LoRA r = 16, α = 32 on all linear layers (chapter 08's `add_lora`). Under LoRA the backward still carries the gradient
through every frozen layer (dX = dY·W) to reach the adapters below it, but skips the frozen weights' own gradient
products (dW = dYᵀ·X) and AdamW's update of them; it adds two thin matmuls per wrapped layer. The two models take
their steps in turn (full, LoRA, full, …) so that a busy neighbour slows both alike; medians of `--steps` steps each
after two warm-up steps, in wall time and in the process's CPU time; one torch thread.
    OMP_NUM_THREADS=1 python bench/lora_step.py [--batch 8] [--steps 5] [--widths 32,128,512,1024]
One JSON line per width (seconds per step, full and LoRA, wall and CPU time, and their ratios), then the load average."""
import json, os, statistics, sys, time
import torch
import torch.nn.functional as F
from minigrpo.gpt import GPT, GPTConfig
from minigrpo.lora import LoRAConfig, add_lora, trainable_parameters

def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

def one_step(model, opt, tokens) -> tuple:
    "Wall and CPU seconds of one forward, backward and AdamW step."
    t0, c0 = time.perf_counter(), time.process_time()
    loss = F.cross_entropy(model(tokens[:, :-1]).flatten(0, 1), tokens[:, 1:].flatten())
    opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return time.perf_counter() - t0, time.process_time() - c0

def compare(models: dict, tokens, steps: int) -> dict:
    "Median wall and CPU seconds per step of each model, their steps taken in turn, after two warm-up steps each."
    opts = {name: torch.optim.AdamW([p for p in m.parameters() if p.requires_grad], lr=1e-4) for name, m in models.items()}
    times = {name: [] for name in models}
    for i in range(steps + 2):
        for name, m in models.items():
            t = one_step(m, opts[name], tokens)
            if i >= 2: times[name].append(t)
    return {name: (statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts)) for name, ts in times.items()}

if __name__ == "__main__":
    torch.set_num_threads(1)
    batch, steps = arg("--batch", 8), arg("--steps", 7)
    widths = [int(w) for w in arg("--widths", "32,128,512,1024").split(",")]
    tokens = torch.randint(0, 1024, (batch, 129), generator=torch.Generator().manual_seed(0))
    for width in widths:
        config = GPTConfig(vocab_size=1024, block_size=192, n_layer=4, n_head=4, n_embd=width, pos_embedding="rope",
                           norm="rmsnorm", mlp="swiglu", bias=False)
        torch.manual_seed(0)
        full = GPT(config).train()
        torch.manual_seed(0)
        lora = add_lora(GPT(config), LoRAConfig(r=16, alpha=32)).train()
        t = compare({"full": full, "lora": lora}, tokens, steps)
        trained, total = trainable_parameters(lora)
        print(json.dumps({"n_embd": width, "params_M": round(total / 1e6, 2), "lora_trainable_%": round(100 * trained / total, 1),
                          "tokens": batch * 128,
                          "full_s": round(t["full"][0], 4), "lora_s": round(t["lora"][0], 4), "lora_over_full": round(t["lora"][0] / t["full"][0], 2),
                          "full_cpu_s": round(t["full"][1], 4), "lora_cpu_s": round(t["lora"][1], 4),
                          "lora_over_full_cpu": round(t["lora"][1] / t["full"][1], 2)}), flush=True)
    print(json.dumps({"load_average": os.getloadavg(), "threads": torch.get_num_threads(), "torch": torch.__version__}))
