"""One torch thread or two for chapter 07's full run: seconds per pretraining step and per GRPO step, both ways.

Chapter 07's model (0.94M parameters: vocab 1024, 4 layers, 4 heads, width 128, RoPE, RMSNorm, SwiGLU, no bias) and
settings: a pretraining step is forward, backward and AdamW over 16 × 128 tokens; a GRPO step is the trainer's
`train_step` (8 prompts × 8 completions of ≤ 48 tokens, β = 0.04, correctness and format rewards). With `--run RUN_DIR`
(a chapter 07 run folder) the model and tokenizer are that run's pretrained ones, so completions have the lengths of
a real run; without it, a tokenizer trained on 2,000 corpus documents and an untrained model, whose completions run to
the 48-token cap. The two thread counts take their steps in turn (1, 2, 1, 2, …) in one process, so that a busy
neighbour slows both alike; medians of `--steps` steps each after one warm-up step. `--busy` starts a process that
spins on one core for the whole measurement: the case of a machine whose cores are shared. No outside reference
exists for this choice; the one-thread figures are the baseline.
    python bench/threads.py [--run RUN_DIR] [--steps 5] [--busy]
One JSON line per measurement (seconds per step with 1 and 2 threads and their ratio), then the load average; in
`results/threads.jsonl` a line naming the command, machine and date precedes each run's output."""
import copy, json, os, statistics, subprocess, sys, tempfile, time
import torch
from minigrpo.pretraining import lm_loss

WORK = tempfile.TemporaryDirectory()


def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

def model_and_tokenizer(run: str | None):
    "Chapter 07's pretrained model and tokenizer from a run folder, or an untrained model of its shape and a small tokenizer."
    from minigrpo.bpe import BPETokenizer
    from minigrpo.gpt import GPT, GPTConfig
    from minigrpo.tasks import pretraining_corpus
    if run:
        return GPT.from_pretrained(f"{run}/pretraining/final_model"), BPETokenizer.load(run)
    tok = BPETokenizer.train(pretraining_corpus(2000, seed=0), 1024, special_tokens=["<|endoftext|>"])
    torch.manual_seed(0)
    config = GPTConfig(vocab_size=tok.vocab_size, block_size=192, n_layer=4, n_head=4, n_embd=128, pos_embedding="rope",
                       norm="rmsnorm", mlp="swiglu", bias=False)
    return GPT(config), tok

def pretraining_steps(model):
    "A function per thread count that takes one pretraining step (on its own copy of the model) and returns its seconds."
    tokens = torch.randint(0, model.config.vocab_size, (16, 129), generator=torch.Generator().manual_seed(0))
    def stepper(m):
        opt = torch.optim.AdamW(m.parameters(), lr=1e-4)
        def step() -> float:
            t0 = time.perf_counter()
            loss = lm_loss(m, tokens[:, :-1], tokens[:, 1:])  # chapter 03's loss
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
            return time.perf_counter() - t0
        return step
    return {n: stepper(copy.deepcopy(model).train()) for n in (1, 2)}

def grpo_steps(model, tok):
    "A function per thread count that takes one GRPO step (a trainer on its own copy of the model) and returns its seconds."
    from minigrpo.rewards import correctness_reward, format_reward
    from minigrpo.tasks import as_dataset, train_problems
    from minigrpo.trainer import GRPOConfig, GRPOTrainer
    from minigrpo.utils import open_run
    data = as_dataset(train_problems(500, seed=1, levels=1))
    work = WORK.name  # the trainers' run folders, removed when the script ends
    def stepper(m):
        cfg = GRPOConfig(max_steps=1000, prompts_per_step=8, num_generations=8, max_completion_length=48, learning_rate=1e-4,
                         beta=0.04, loss_type="dapo", temperature=1.0, eval_every=0, ckpt_every=0, device="cpu", seed=0)
        trainer = GRPOTrainer(m, tok, [correctness_reward, format_reward], data, cfg, reward_weights=[1.0, 1.0],
                              out_dir=tempfile.mkdtemp(dir=work))
        trainer.run = open_run(tempfile.mkdtemp(dir=work), overwrite=True)
        def step() -> float:
            t0 = time.perf_counter()
            trainer.train_step()
            return time.perf_counter() - t0
        return step
    return {n: stepper(copy.deepcopy(model)) for n in (1, 2)}

def compare(steppers: dict, steps: int) -> dict:
    "Median seconds per step for each thread count, their steps taken in turn, after one warm-up step each."
    times = {n: [] for n in steppers}
    for i in range(steps + 1):
        for n, step in steppers.items():
            torch.set_num_threads(n)
            t = step()
            if i >= 1: times[n].append(t)
    return {n: statistics.median(ts) for n, ts in times.items()}

if __name__ == "__main__":
    run, steps, busy = arg("--run", ""), arg("--steps", 5), "--busy" in sys.argv
    model, tok = model_and_tokenizer(run or None)
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        for what, steppers in [("pretraining step, 16 × 128 tokens", pretraining_steps(model)),
                               ("GRPO step, 8 × 8 completions ≤ 48 tokens", grpo_steps(model, tok))]:
            t = compare(steppers, steps)
            print(json.dumps({"what": what, "model": "chapter 07 run " + run if run else "untrained, chapter 07's shape",
                              "busy_neighbour": busy, "one_thread_s": round(t[1], 4), "two_threads_s": round(t[2], 4),
                              "two_over_one_speed": round(t[1] / t[2], 2)}, ensure_ascii=False), flush=True)
    finally:
        if spinner is not None:
            spinner.kill()
    print(json.dumps({"load_average": os.getloadavg(), "cpus": os.cpu_count(), "torch": torch.__version__}))
