#!/usr/bin/env bash
# Every GPU measurement of the course, one step per command (each sized for ten minutes on one H100):
#
#   bash bench/gpu.sh STEP [OUT_DIR]
#
#   generate   python bench/generate.py   minigrpo generate (eager and CUDA graph) against 🤗 generate
#   pretrain   python bench/pretrain.py   GPT-2 small training step against 🤗 GPT2LMHeadModel, eager and compiled
#   grpo       python bench/grpo.py       a GRPO step against TRL's GRPOTrainer
#   full_run   chapter 07 with the GPU preset, through papermill (summary.json and plots are copied to OUT_DIR)
#   check      chapters 02, 02a and 04 through papermill on the GPU (02a checks the captured CUDA graph)
#   smoke      all three bench scripts with --smoke: their GPU code on CPU with tiny models (no GPU needed; run it first)
#   wheels     (run where pip can download) save the wheels a stock PyTorch image lacks into .whl/, for Python 3.12
#
# Results (JSON lines, executed notebooks, summary.json) go to OUT_DIR: the second argument, else $OUT, else runs/gpu.
# If .whl/ exists, each step first installs those wheels into /tmp/site (for a GPU machine without internet).
set -euo pipefail
cd "$(dirname "$0")/.."
step=${1:?"name a step: generate, pretrain, grpo, full_run, check, smoke or wheels"}
out=${2:-${OUT:-runs/gpu}}
# what a PyTorch + transformers image usually lacks: TRL, datasets, papermill and the Jupyter kernel they run
extra="trl datasets dill multiprocess papermill nbclient nbformat fastjsonschema jsonschema jsonschema-specifications
referencing rpds-py jupyter-client jupyter-core ipykernel comm debugpy ipython ipython-pygments-lexers jedi parso
matplotlib-inline nest-asyncio2 pexpect ptyprocess prompt-toolkit wcwidth stack-data executing asttokens pure-eval
pyzmq tornado traitlets tenacity entrypoints platformdirs cffi pycparser"

if [ "$step" = wheels ]; then  # pin each to the version installed here, where the course's tests pass
  pins=$(python3 -c "import importlib.metadata as m, sys; print(' '.join(f'{n}=={m.version(n)}' for n in sys.argv[1:]))" $extra)
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp -d .whl \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any $pins
  ls .whl | wc -l; exit 0
fi

case $step in generate|pretrain|grpo|full_run|check|smoke) ;;
  *) echo "unknown step '$step': use generate, pretrain, grpo, full_run, check, smoke or wheels" >&2; exit 2 ;;
esac
mkdir -p "$out"
if [ -d .whl ] && [ "$step" != smoke ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site:${PYTHONPATH:-}
fi
export PYTHONPATH=$PWD:${PYTHONPATH:-} PYTHONUNBUFFERED=1 MINIGRPO_RUNS=/tmp/minigrpo_runs
[ "$step" = smoke ] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
case $step in
  generate|pretrain|grpo) python3 "bench/$step.py" 2>&1 | tee "$out/$step.jsonl" ;;
  full_run)
    python3 -m papermill nbs/07_full_run.ipynb "$out/07_full_run_gpu.ipynb" -p preset gpu -p out_dir /tmp/minigrpo_runs/07_gpu
    cp /tmp/minigrpo_runs/07_gpu/summary.json "$out/"
    cp /tmp/minigrpo_runs/07_gpu/plots/*.png "$out/" 2>/dev/null || true ;;
  smoke) for b in generate pretrain grpo; do OMP_NUM_THREADS=1 python3 "bench/$b.py" --smoke 2>&1 | grep '^{"' | tee "$out/${b}_smoke.jsonl"; done ;;
  check)
    for nb in 02_gpt 02a_static_cache 04_sampling; do python3 -m papermill "nbs/$nb.ipynb" "$out/${nb}_gpu.ipynb"; done ;;
esac
