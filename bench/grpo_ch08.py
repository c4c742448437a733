"""Chapter 08's side by side (section 13), timed: minigrpo's `GRPOTrainer` and TRL's on the same 🤗 Llama, same run.

The ch08 settings: a Llama-shaped model exported by `GPT.to_hf()` (4 layers, 4 heads, n_embd 128, SwiGLU, RMSNorm,
RoPE, vocab 1024, ~0.8M parameters), chapter 03a's problems, `correctness_reward` + `format_reward`, 8 prompts × 8
completions of ≤ 48 tokens, temperature 1, lr 1e-4, β = 0.04 (a reference forward), loss `dapo`, one optimiser step
per batch; minigrpo with `fast_rollouts=True`. One torch thread. `--model DIR` takes chapter 08's pretrained export
(`<out_dir>/pretrained`; its completions end early, as in the chapter); without it, random weights of the same shape
and a BPE tokenizer trained here (completions then run to the full 48 tokens: a harder, steadier case).
Each trainer runs `--steps` steps after one warm-up step (figures: medians over those steps; `cpu_s_per_step`, the
process's CPU time per step, moves less than wall time when other jobs share the machine); a step is split into generation (TRL: `_generate`; minigrpo:
`rollout`) and the rest (scoring, reference and policy passes, optimiser, bookkeeping).
    OMP_NUM_THREADS=1 python bench/grpo_ch08.py [--model DIR] [--steps 8] [--only minigrpo|trl]
One JSON line per trainer, then one with the speed-up (TRL s/step ÷ minigrpo s/step) and the load average."""
import json, os, sys, tempfile, time, warnings
from pathlib import Path
import torch

def log(**kw): print(json.dumps(kw), flush=True)

def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

def timed(obj, name, store, clock=time.perf_counter):
    "Wrap `obj.name` so that each call's seconds (by `clock`) are appended to `store`."
    inner = getattr(obj, name)
    def wrapper(*a, **kw):
        t0 = clock(); out = inner(*a, **kw); store.append(clock() - t0); return out
    setattr(obj, name, wrapper)

def random_export(folder: Path) -> Path:
    "Random weights of chapter 08's shape, exported with `to_hf()`, and a 1,024-token BPE tokenizer from chapter 03a's corpus."
    from minigrpo.bpe import BPETokenizer
    from minigrpo.gpt import GPT, GPTConfig
    from minigrpo.tasks import pretraining_corpus
    tok = BPETokenizer.train(pretraining_corpus(2000, seed=0), 1024, special_tokens=["<|endoftext|>"])
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=192, n_layer=4, n_head=4, n_embd=128,
                          pos_embedding="rope", norm="rmsnorm", mlp="swiglu", bias=False))
    model.to_hf(eos_token_id=tok.eos_token_id).save_pretrained(folder)
    tok.to_hf().save_pretrained(folder)
    return folder

def settings(steps):
    from minigrpo.trainer import GRPOConfig
    return GRPOConfig(max_steps=steps + 1, prompts_per_step=8, num_generations=8, max_completion_length=48, learning_rate=1e-4,
                      beta=0.04, temperature=1.0, loss_type="dapo", scale_rewards="group", fast_rollouts=True, ckpt_every=0,
                      log_samples_every=0, device="cpu", seed=0)

def summary(times, gen, lengths, cpu):
    "Medians of the steps after the warm-up: seconds per step, generation, the rest, CPU seconds per step; mean completion length."
    med = lambda xs: sorted(xs[1:])[len(xs[1:]) // 2]
    s, g = med(times), med(gen)
    return dict(s_per_step=round(s, 3), generation_s=round(g, 3), rest_s=round(s - g, 3), cpu_s_per_step=round(med(cpu), 3),
                mean_length=round(sum(lengths[1:]) / len(lengths[1:]), 1))

def minigrpo_run(folder, train_set, steps):
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from minigrpo.rewards import correctness_reward, format_reward
    from minigrpo.trainer import GRPOTrainer
    model, tok = AutoModelForCausalLM.from_pretrained(folder), AutoTokenizer.from_pretrained(folder)
    tr = GRPOTrainer(model, tok, [correctness_reward, format_reward], train_set, settings(steps), out_dir=Path(tempfile.mkdtemp())/"run")
    gen, cpu = [], []
    timed(tr, "rollout", gen)
    timed(tr, "train_step", cpu, time.process_time)
    hist = tr.train(progress=False)
    return summary([h["step_time"] for h in hist], gen, [h["completions/mean_length"] for h in hist], cpu)

def trl_run(folder, train_set, steps):
    from transformers import AutoModelForCausalLM, AutoTokenizer, PrinterCallback
    from trl import GRPOConfig as TRLConfig, GRPOTrainer as TRLTrainer
    from minigrpo.rewards import correctness_reward, format_reward
    cfg = settings(steps)
    model, tok = AutoModelForCausalLM.from_pretrained(folder), AutoTokenizer.from_pretrained(folder)
    args = TRLConfig(output_dir=tempfile.mkdtemp(), max_steps=cfg.max_steps, per_device_train_batch_size=cfg.batch_size,
                     num_generations=cfg.num_generations, max_completion_length=cfg.max_completion_length, temperature=cfg.temperature,
                     learning_rate=cfg.learning_rate, lr_scheduler_type="linear", adam_beta1=0.9, adam_beta2=0.99, max_grad_norm=1.0,
                     loss_type="dapo", scale_rewards="group", beta=cfg.beta, epsilon=0.2, seed=0, use_cpu=True, logging_steps=1,
                     report_to="none", save_strategy="no", disable_dropout=True, disable_tqdm=True)
    tr = TRLTrainer(model=model, reward_funcs=[correctness_reward, format_reward], train_dataset=train_set, args=args, processing_class=tok)
    tr.remove_callback(PrinterCallback)
    gen, cpu = [], []
    timed(tr, "_generate", gen)
    timed(tr, "training_step", cpu, time.process_time)
    tr.train()
    logs = [h for h in tr.state.log_history if "step_time" in h]
    return summary([h["step_time"] for h in logs], gen, [h["completions/mean_length"] for h in logs], cpu)

if __name__ == "__main__":
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")
    steps, only = arg("--steps", 8), arg("--only", "")
    folder = Path(arg("--model", "")) if "--model" in sys.argv else random_export(Path(tempfile.mkdtemp())/"random")
    from minigrpo.tasks import as_dataset, train_problems
    train_set = as_dataset(train_problems(5000, seed=1))
    import trl, transformers
    log(what="setup", model=str(folder) if "--model" in sys.argv else "random weights", threads=torch.get_num_threads(),
        torch=torch.__version__, transformers=transformers.__version__, trl=trl.__version__, steps=steps)
    out = {}
    for name, run in (("trl", trl_run), ("minigrpo", minigrpo_run)):
        if only and only != name: continue
        out[name] = run(folder, train_set, steps)
        log(what=name, **out[name])
    if len(out) == 2:
        log(what="speedup", speedup=round(out["trl"]["s_per_step"] / out["minigrpo"]["s_per_step"], 2),
            generation_speedup=round(out["trl"]["generation_s"] / out["minigrpo"]["generation_s"], 2),
            rest_speedup=round(out["trl"]["rest_s"] / out["minigrpo"]["rest_s"], 2),
            cpu_speedup=round(out["trl"]["cpu_s_per_step"] / out["minigrpo"]["cpu_s_per_step"], 2), load_average=os.getloadavg())
