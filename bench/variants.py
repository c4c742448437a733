"""Chapter 07's exercises answered by runs: the chapter with its CPU defaults (seed 0) and one setting changed.

Runs chapter 07 through papermill once per variant (`-p grpo_lr 3e-4`, `-p loss_type grpo`, `-p loss_type dr_grpo`,
`-p format_weight 0.0`; everything else the notebook's defaults) and writes what the solutions of exercises 1, 2 and 4
read: `bench/results/07_variants.json` (the default run and the learning-rate variant),
`bench/results/07_loss_types.json` (the default run and the two other losses) and `bench/results/07_no_format.json`
(correctness reward alone). The default run is not run again: pass its folder, e.g.
the study's seed-0 run of "RL from the base" (`bench/study.py`), which is the same command.

    OMP_NUM_THREADS=1 python bench/variants.py --default RUN_DIR [--out runs/variants] [--only NAME ...] [--collect]

A variant whose `summary.json` exists is not run again; `--collect` only writes the two files from the runs that exist.
"""
import argparse, datetime, json, shutil, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from study import NOTEBOOK, defaults, run_one  # noqa: E402

VARIANTS = {"grpo_lr 3e-4": {"grpo_lr": 3e-4}, "loss_type grpo": {"loss_type": "grpo"},
            "loss_type dr_grpo": {"loss_type": "dr_grpo"}, "format_weight 0.0": {"format_weight": 0.0}}
RESULTS = Path(__file__).resolve().parent/"results"


def format_step(history: list, window: int = 20, level: float = 0.7):
    "The last step of the first `window`-step window whose mean `format_reward` reaches `level` (None if none does)."
    values = [h["rewards/format_reward/mean"] for h in history]
    for end in range(window, len(values) + 1):
        if sum(values[end - window:end]) / window >= level:
            return history[end - 1]["step"]
    return None


def figures(folder: Path, command: str) -> dict:
    "What the solutions read from one run: its held-out figures after GRPO, inverse problems apart, lengths, time."
    summary = json.loads((folder/"summary.json").read_text())
    history = [json.loads(line) for line in (folder/"grpo"/"metrics.jsonl").read_text().splitlines() if line.strip()]
    after, before = summary["eval_after"], summary["eval_before"]
    lengths = [h["completions/mean_length"] for h in history]
    return {"command": command, "eval_base": summary["eval_base"], "eval_after": after,
            "inverse_lenient_after": after["by_wording"]["i"]["lenient_accuracy"],
            "others_lenient_after": after["by_wording"]["d"]["lenient_accuracy"],
            "lenient_before": before["lenient_accuracy"],
            "grpo_lenient_gain": after["lenient_accuracy"] - before["lenient_accuracy"],
            "keyword_rate": summary.get("keyword_rate"),
            "mean_completion_length": sum(lengths) / len(lengths),
            "completion_length_last_50": sum(lengths[-50:]) / len(lengths[-50:]),
            "wall_time_s": summary["wall_time_s"], "load_average": summary.get("load_average"),
            "format_reward_0.7_step": format_step(history)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--default", required=True, help="the folder of chapter 07's default run, seed 0")
    ap.add_argument("--out", default="runs/variants")
    ap.add_argument("--only", nargs="*", help="run only these variants (names as in VARIANTS)")
    ap.add_argument("--collect", action="store_true", help="run nothing; write the results of the runs that exist")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    notebook = out/"07_full_run.ipynb"  # the chapter as it is now: later edits do not reach these runs
    if not args.collect and not notebook.exists():
        shutil.copy(NOTEBOOK, notebook)
    base = defaults(notebook if notebook.exists() else NOTEBOOK)
    paper = "OMP_NUM_THREADS=1 papermill nbs/07_full_run.ipynb runs/{name}.ipynb -p out_dir runs/{name}"
    runs = {}
    for name, params in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        slug = name.replace(" ", "_")
        if run_one(out, slug, {**params, "seed": 0}, base, notebook, args.collect) is None:
            continue
        flags = "".join(f" -p {k} {v}" for k, v in params.items())
        runs[name] = figures(out/slug, paper.format(name=slug) + flags)
    if not (Path(args.default)/"summary.json").exists():
        sys.exit(f"--default {args.default}: no summary.json there yet; run again with --collect when that run is done")
    runs = {"default (dapo, lr 1e-4)": figures(Path(args.default), paper.format(name="07_full_run")), **runs}
    today = datetime.date.today().isoformat()
    note = ("format_reward_0.7_step: the last step of the first 20-step window whose mean format_reward is at least "
            "0.7; mean_completion_length: over all GRPO steps (sampled completions, tokens)")
    default_name = "default (dapo, lr 1e-4)"
    variants = {k: v for k, v in runs.items() if k != "format_weight 0.0" and not k.startswith("loss_type")}
    (RESULTS/"07_variants.json").write_text(json.dumps({
        "what": "chapter 07 with its CPU defaults (seed 0) and one setting changed; figures after GRPO on the 500 "
                "held-out problems", "date": today, "made_by": "OMP_NUM_THREADS=1 python bench/variants.py",
        "runs": variants, "note": note}, indent=1))
    loss_types = {k: v for k, v in runs.items() if k.startswith("loss_type")}
    if loss_types:  # exercise 4: the default loss against the other two, in a file of their own
        (RESULTS/"07_loss_types.json").write_text(json.dumps({
            "what": "chapter 07 with its CPU defaults (seed 0), the default loss (dapo) against loss_type grpo and "
                    "dr_grpo; figures after GRPO on the 500 held-out problems", "date": today,
            "made_by": "OMP_NUM_THREADS=1 python bench/variants.py", "runs": {default_name: runs[default_name], **loss_types},
            "note": note}, indent=1))
    if "format_weight 0.0" in runs:
        no_format, default = runs["format_weight 0.0"], runs["default (dapo, lr 1e-4)"]
        (RESULTS/"07_no_format.json").write_text(json.dumps({
            "command": no_format["command"], "date": today, "made_by": "OMP_NUM_THREADS=1 python bench/variants.py",
            "what": "chapter 07 with its CPU defaults, seed 0, GRPO rewarded by correctness_reward alone "
                    "(format_reward logged, weight 0)",
            "format_reward_0.7_step": {"format_weight 0.0": no_format["format_reward_0.7_step"],
                                       "format_weight 1.0": default["format_reward_0.7_step"]},
            "note": note, **{k: no_format[k] for k in ("eval_base", "eval_after", "keyword_rate", "wall_time_s",
                                                         "load_average")}}, indent=1))
    print(json.dumps({name: {"lenient_after": r["eval_after"]["lenient_accuracy"],
                             "format_step": r["format_reward_0.7_step"]} for name, r in runs.items()}))


if __name__ == "__main__":
    main()
