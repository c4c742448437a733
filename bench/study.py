"""The learning study: chapter 07 (the full run) over three seeds for each recipe, through papermill.

Recipes (arms): GRPO straight from the base model (R1-Zero, `n_sft=0`), SFT then GRPO (DeepSeek-R1's cold start,
`n_sft=--sft`, with the notebook's `sft_lr` and `sft_steps`, the recipe `bench/sft_search.py` chose on a validation
split of training problems), and chapter 07's default recipe with β = 0 (no KL term) against its β > 0. Every run is chapter 07 as a
reader would run it, with only the parameters that differ from the notebook's defaults passed with `-p`; each run's
`summary.json` is read back. The table gives mean ± sample standard deviation over seeds (and the range in the JSON)
of strict accuracy, lenient accuracy, pass@8 and format rate (after GRPO, with GRPO's own gains), and the wall time.

    OMP_NUM_THREADS=1 python bench/study.py [--out runs/study] [--seeds 0 1 2] [--sft 256] [--only ARM ...] [--collect]

Runs one at a time (each uses one torch thread), on a copy of the notebook taken when the study starts (so editing the
chapter meanwhile changes nothing). A run whose `summary.json` exists is not run again, so an interrupted study
continues where it stopped; the table is rewritten after every run. `--collect` runs nothing: it only tabulates the
runs that exist. Writes `<out>/study.json` and
`<out>/study.md`; each run's output notebook and run folder stay under `<out>/`.
"""
import argparse, ast, json, os, shutil, statistics, subprocess, sys, time
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent.parent/"nbs"/"07_full_run.ipynb"

def defaults(notebook: Path) -> dict:
    "The notebook's parameter defaults, from its `parameters` cell."
    import papermill
    params = papermill.inspect_notebook(str(notebook))
    out = {}
    for name, p in params.items():
        try: out[name] = ast.literal_eval(p["default"].replace("_", ""))
        except (ValueError, SyntaxError): out[name] = p["default"]
    return out

def arms(base: dict, sft_examples: int) -> dict:
    "Each recipe as the parameters it sets; the β = 0 arm is the chapter's default recipe without the KL term."
    default_recipe = {"n_sft": base["n_sft"]}
    return {"RL from the base": {"n_sft": 0},
            f"SFT ({sft_examples}) then GRPO": {"n_sft": sft_examples},
            "default recipe, β = 0": {**default_recipe, "beta": 0.0}}

def run_one(out: Path, name: str, params: dict, base: dict, notebook: Path = NOTEBOOK, collect: bool = False) -> dict | None:
    "Run chapter 07 with `params` (only those differing from the defaults are passed); its summary, or None if it failed."
    folder = out/name
    if (folder/"summary.json").exists(): return json.loads((folder/"summary.json").read_text())
    if collect: return None
    overrides = {k: v for k, v in params.items() if base.get(k) != v}
    cmd = [sys.executable, "-m", "papermill", str(notebook), str(out/f"{name}.ipynb"), "-p", "out_dir", str(folder),
           "-p", "overwrite", "True", "--log-level", "WARNING"]
    for k, v in overrides.items(): cmd += ["-p", k, str(v)]
    t0 = time.time()
    done = subprocess.run(cmd, env={**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    print(json.dumps({"run": name, "overrides": overrides, "rc": done.returncode, "seconds": round(time.time() - t0, 1)}), flush=True)
    return json.loads((folder/"summary.json").read_text()) if done.returncode == 0 else None

FIGURES = {"strict": ("eval_after", "accuracy"), "lenient": ("eval_after", "lenient_accuracy"),
           "pass@8": ("eval_after", "pass_at_k"), "format": ("eval_after", "format_rate")}

def figures(s: dict) -> dict:
    "The study's figures of one run, in percent (wall time in minutes)."
    after, before, base = s["eval_after"], s["eval_before"], s["eval_base"]
    pk = lambda e: e.get("pass_at_k", {}).get("8", e.get("pass_at_k", {}).get(8, float("nan")))
    lpk = lambda e: e.get("lenient_pass_at_k", {}).get("8", e.get("lenient_pass_at_k", {}).get(8, float("nan")))
    pct = lambda share: None if share is None else 100 * share
    inverse = lambda e: e.get("by_wording", {}).get("i", {})
    return {"strict": 100 * after["accuracy"], "lenient": 100 * after["lenient_accuracy"], "pass@8": 100 * pk(after),
            "format": 100 * after["format_rate"], "strict_base": 100 * base["accuracy"], "lenient_base": 100 * base["lenient_accuracy"],
            "lenient_pass@8": 100 * lpk(after), "lenient_pass@8_before": 100 * lpk(before),
            "keyword_rate_before": pct(before.get("keyword_rate")), "keyword_rate": pct(after.get("keyword_rate")),
            "inverse_lenient_before": pct(inverse(before).get("lenient_accuracy")),
            "inverse_lenient": pct(inverse(after).get("lenient_accuracy")),
            "others_lenient_before": pct(before.get("by_wording", {}).get("d", {}).get("lenient_accuracy")),
            "others_lenient": pct(after.get("by_wording", {}).get("d", {}).get("lenient_accuracy")),
            "lenient_before": 100 * before["lenient_accuracy"], "pass@8_before": 100 * pk(before),
            "grpo_lenient_gain": 100 * (after["lenient_accuracy"] - before["lenient_accuracy"]),
            "strict_gain_vs_base": 100 * (after["accuracy"] - base["accuracy"]), "wall_min": s["wall_time_s"] / 60,
            "load": s.get("load_average", [None])[0]}

def aggregate(rows: list) -> dict:
    "Mean, sample standard deviation and range of each figure over the runs of one arm."
    out = {}
    for key in rows[0]:
        values = [r[key] for r in rows if r[key] is not None]
        if not values: continue
        out[key] = {"mean": statistics.fmean(values), "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
                    "min": min(values), "max": max(values), "n": len(values)}
    return out

COLUMNS = [("lenient_base", "lenient, base"), ("lenient_before", "lenient before GRPO"), ("lenient", "lenient after"),
           ("grpo_lenient_gain", "GRPO's lenient gain"), ("inverse_lenient_before", "inverse lenient before GRPO"),
           ("inverse_lenient", "inverse lenient after"), ("keyword_rate_before", "keyword rate before GRPO"),
           ("keyword_rate", "keyword rate after"), ("lenient_pass@8_before", "lenient pass@8 before GRPO"),
           ("lenient_pass@8", "lenient pass@8 after"), ("strict", "strict after"), ("format", "format after"),
           ("wall_min", "wall time (min)")]

def markdown(table: dict, command: str) -> str:
    "The study as a markdown table: mean ± sd over seeds (number of seeds in brackets)."
    head = "| recipe | seeds | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for arm, agg in table.items():
        if not agg: continue
        cells = [f"{agg[k]['mean']:.1f} ± {agg[k]['sd']:.1f}" if k in agg else "—" for k, _ in COLUMNS]
        lines.append(f"| {arm} | {agg['strict']['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + f"\n\nPercent on the 500 held-out problems (greedy; pass@8 from 8 samples at temperature 1), " \
        f"mean ± sample standard deviation over seeds; keyword rate: the share of inverse problems answered with the " \
        f"number that reading by keyword gives. Command: `{command}`.\n"

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="runs/study")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--sft", type=int, default=256, help="SFT examples of the SFT-then-GRPO arm")
    ap.add_argument("--only", nargs="*", help="run only these arms (names as in the table)")
    ap.add_argument("--collect", action="store_true", help="run nothing; tabulate the runs that exist")
    args = ap.parse_args()
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    notebook = out/"07_full_run.ipynb"     # the chapter as it is now: later edits do not reach this study
    if not args.collect: shutil.copy(NOTEBOOK, notebook)
    base = defaults(notebook if notebook.exists() else NOTEBOOK)
    recipes = {a: p for a, p in arms(base, args.sft).items() if not args.only or a in args.only}
    command = "OMP_NUM_THREADS=1 python bench/study.py " + " ".join(a for a in sys.argv[1:] if a != "--collect")
    results = {arm: [] for arm in recipes}
    # seeds outermost: an unfinished study still has every arm at its first seeds
    for seed in args.seeds:
        for arm, params in recipes.items():
            slug = arm.split(" (")[0].replace(" ", "_").replace(",", "").replace("=", "").replace("β", "beta").replace("__", "_")
            summary = run_one(out, f"{slug}_seed{seed}", {**params, "seed": seed}, base, notebook, args.collect)
            if summary is not None: results[arm].append({"seed": seed, **figures(summary)})
            table = {a: aggregate([{k: v for k, v in r.items() if k != "seed"} for r in rows]) if rows else {} for a, rows in results.items()}
            (out/"study.json").write_text(json.dumps({"command": command, "defaults": base, "arms": recipes, "runs": results,
                                                      "table": table}, indent=1))
            (out/"study.md").write_text(markdown(table, command))
    print((out/"study.md").read_text())

if __name__ == "__main__": main()
