"""Choosing chapter 07's SFT cold start on a validation split of *training* problems, never the held-out set.

Starts from a pretrained model (the `pretraining/` folder of a chapter 07 run, i.e. `<run>/pretraining/final_model`
and the run's tokenizer), fine-tunes a copy with chapter 06b's `sft` for every recipe of a small grid (learning rate
× steps × number of examples, batch 16 as in chapter 07), and judges each on `--n-val` training problems that none of
the recipes trains on (greedy: lenient and strict accuracy, format rate, inverse problems apart, keyword rate). The
recipe kept is the one with the best validation lenient accuracy among those whose format rate is at least
`--min-format` (ties: fewer steps, then fewer examples). It also logs, for every recipe, the SFT loss on the training
examples and on the validation problems' own solutions: a model that fits its examples rather than the task shows a
training loss that keeps falling while the validation loss stops falling or rises.

    OMP_NUM_THREADS=1 python bench/sft_search.py --run RUN_DIR [--seed 0] [--out bench/results/sft_search.json]

RUN_DIR is a chapter 07 run folder (its `out_dir`): the base model is `RUN_DIR/pretraining/final_model`. Prints one
JSON line per recipe and writes the whole search (with the command) to `--out`.
"""
import argparse, copy, json, sys, tempfile, time
from pathlib import Path

import torch

from minigrpo.pretraining import load_course_model
from minigrpo.rewards import evaluate
from minigrpo.sft import SFTConfig, sft, sft_collate, sft_example, sft_loss
from minigrpo.tasks import train_problems


def sft_examples(n: int, seed: int, levels=1) -> list:
    "Chapter 07's SFT examples for `seed`: the first `n` training problems of the stream it draws them from."
    return train_problems(n, seed=seed + 2, levels=levels)


def validation_split(n: int, seed: int, exclude: list, levels=1) -> list:
    "`n` training problems of another stream, none with the prompt of an SFT example (the held-out set is never used)."
    seen = {p["prompt"] for p in exclude}
    pool = train_problems(n + len(exclude), seed=seed + 1000, levels=levels)
    return [p for p in pool if p["prompt"] not in seen][:n]


@torch.no_grad()
def mean_sft_loss(model, tokenizer, examples: list, batch_size: int = 64) -> float:
    "The SFT loss (completion tokens only) of `model` on `examples`, averaged over batches of equal size."
    model.eval()
    losses = []
    for start in range(0, len(examples), batch_size):
        ids, labels, mask = sft_collate([sft_example(tokenizer, e) for e in examples[start : start + batch_size]])
        losses.append(sft_loss(model, ids, labels, mask).item())
    return sum(losses) / len(losses)


def judge(model, tokenizer, val: list, max_new_tokens: int) -> dict:
    "Greedy validation figures (percent) of `model`, inverse problems apart."
    r = evaluate(model, tokenizer, val, max_new_tokens, samples=0)
    inverse = r.get("by_wording", {}).get("i", {})
    return {"lenient": 100 * r["lenient_accuracy"], "strict": 100 * r["accuracy"], "format": 100 * r["format_rate"],
            "lenient_inverse": 100 * inverse.get("lenient_accuracy", float("nan")),
            "keyword_rate": None if r.get("keyword_rate") is None else 100 * r["keyword_rate"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", required=True, help="a chapter 07 run folder (its out_dir)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lrs", type=float, nargs="+", default=[1e-4, 3e-4, 1e-3])
    ap.add_argument("--steps", type=int, nargs="+", default=[10, 20, 40])
    ap.add_argument("--examples", type=int, nargs="+", default=[64, 256])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--n-val", type=int, default=400)
    ap.add_argument("--min-format", type=float, default=90.0)
    ap.add_argument("--max-new-tokens", type=int, default=48)
    ap.add_argument("--out", default="bench/results/sft_search.json")
    args = ap.parse_args()
    base, tok = load_course_model(Path(args.run) / "pretraining")
    if base is None:
        sys.exit(f"--run {args.run}: no pretraining/final_model there; give the out_dir of a finished chapter 07 run")
    pools = {n: sft_examples(n, args.seed) for n in args.examples}
    val = validation_split(args.n_val, args.seed, pools[max(args.examples)])
    val_solutions = [{"prompt": p["prompt"], "solution": p["solution"]} for p in val]
    rows = [{"recipe": "no SFT (the base model)", "lr": 0, "steps": 0, "examples": 0,
             "val_loss": mean_sft_loss(base, tok, val_solutions), **judge(base, tok, val, args.max_new_tokens)}]
    print(json.dumps(rows[-1]), flush=True)
    for n in args.examples:
        for lr in args.lrs:
            for steps in args.steps:
                model = copy.deepcopy(base)
                t0 = time.time()
                run = sft(model, tok, pools[n], SFTConfig(max_steps=steps, batch_size=args.batch, learning_rate=lr,
                                                          warmup_steps=min(10, steps // 4), device="cpu",
                                                          seed=args.seed),
                          Path(tempfile.mkdtemp()) / "sft", progress=False)
                seconds = time.time() - t0
                log = run.read_jsonl("metrics.jsonl")
                row = {"recipe": f"{n} examples, lr {lr:g}, {steps} steps", "lr": lr, "steps": steps, "examples": n,
                       "passes": steps * args.batch / n, "train_loss_last5": sum(r["loss"] for r in log[-5:]) / len(log[-5:]),
                       "train_loss_on_examples": mean_sft_loss(model, tok, pools[n]),
                       "val_loss": mean_sft_loss(model, tok, val_solutions), "sft_seconds": round(seconds, 1),
                       **judge(model, tok, val, args.max_new_tokens)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    eligible = [r for r in rows[1:] if r["format"] >= args.min_format]
    chosen = max(eligible, key=lambda r: (round(r["lenient"], 6), -r["steps"], -r["examples"])) if eligible else None
    command = "OMP_NUM_THREADS=1 python bench/sft_search.py " + " ".join(sys.argv[1:])
    result = {"command": command, "base_run": f"RUN_DIR = {args.run}: a chapter 07 run (papermill, its defaults, seed {args.seed})",
              "seed": args.seed, "n_val": len(val), "batch": args.batch,
              "rule": f"best validation lenient accuracy among recipes with format rate >= {args.min_format}%",
              "chosen": chosen, "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(json.dumps({"chosen": chosen}), flush=True)


if __name__ == "__main__":
    main()
