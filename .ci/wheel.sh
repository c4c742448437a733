#!/usr/bin/env bash
# `pip install minigrpo` works as it reads: build the wheel from the working tree, install it WITHOUT extras into a fresh
# virtual environment, import every module the wheel holds, run `minigrpo --help` and `minigrpo notebooks DIR`, and check
# the notebooks it copies are the repository's nbs/ byte for byte.
#
# torch (several GB with its CUDA libraries) is not downloaded and unpacked again: the fresh environment sees the torch
# of the running Python, and only torch and the packages torch itself requires, through a folder of links named in a
# .pth file. Everything else minigrpo needs comes from pip resolving the wheel's own requirements, so a package the
# library imports but the wheel does not require (a dev-only one) fails here. Run from the repository root, in the
# environment whose torch is to be reused (CI: after `pip install -e ".[dev]"`). Exit 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
start=$(date +%s)
python=${PYTHON:-python}
tmp=$(mktemp -d /tmp/minigrpo-wheel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "wheel: $*" >&2; exit 1; }
unset PYTHONPATH PYTHONHOME   # the fresh environment must find the installed wheel, not a checkout

# 1. The wheel, built from a copy of the files git would commit (tracked + untracked, not ignored), so a stale build/
#    folder cannot slip old modules into it.
mkdir -p "$tmp/src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$tmp/src"
(cd "$tmp/src" && "$python" -m pip wheel --quiet --no-deps -w "$tmp/dist" . > "$tmp/build.log" 2>&1) \
  || { grep -v '^WARNING: Location' "$tmp/build.log" >&2; fail "building the wheel failed"; }
wheel=$(ls "$tmp"/dist/minigrpo-*.whl)
echo "wheel: built $(basename "$wheel") ($(( $(stat -c %s "$wheel") / 1024 )) KiB) in $(( $(date +%s) - start )) s"

# 2. A fresh environment that sees this Python's torch (and torch's own requirements) only.
"$python" -m venv "$tmp/venv"
"$python" - "$tmp/links" "$tmp/venv" <<'EOF'
"Link torch and the distributions it requires (recursively, markers evaluated) into a folder; name it in a .pth file."
import os, sys, sysconfig
from importlib.metadata import distribution, PackageNotFoundError
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
links, venv = sys.argv[1:3]
os.makedirs(links)
todo, seen = ["torch"], set()
while todo:
    name = canonicalize_name(todo.pop())
    if name in seen: continue
    seen.add(name)
    try: dist = distribution(name)
    except PackageNotFoundError: continue   # an optional requirement not installed here: pip decides
    root = dist.locate_file("")
    for top in {f.parts[0] for f in dist.files or [] if f.parts[0] != ".."}:
        if not os.path.lexists(os.path.join(links, top)): os.symlink(os.path.join(root, top), os.path.join(links, top))
    todo += [r.name for r in map(Requirement, dist.requires or []) if r.marker is None or r.marker.evaluate({"extra": ""})]
purelib = sysconfig.get_paths(vars={"base": venv, "platbase": venv})["purelib"]
open(os.path.join(purelib, "_minigrpo_ci_torch.pth"), "w").write(links + "\n")
print(f"wheel: the fresh environment reuses {len(seen)} installed distributions: torch and its requirements")
EOF
fresh="$tmp/venv/bin"
"$fresh/python" -W ignore -c "import torch" || fail "the fresh environment cannot import the reused torch"

# 3. Install the wheel, no extras.
t=$(date +%s)
"$fresh/python" -m pip install --quiet "$wheel" > "$tmp/pip.log" 2>&1 \
  || { grep -v '^WARNING: Location' "$tmp/pip.log" >&2; fail "pip install $(basename "$wheel") failed"; }
echo "wheel: installed without extras in $(( $(date +%s) - t )) s"
"$fresh/python" -m pip check > "$tmp/check.log" 2>&1 || { cat "$tmp/check.log" >&2; fail "pip check: the installed requirements conflict"; }

# 4. Every module in the wheel imports (listed from the wheel itself, not by hand), from the installed wheel.
cd "$tmp"   # away from the repository, so `import minigrpo` can only find the installed wheel
"$fresh/python" - "$wheel" <<'EOF2' || fail "a module does not import after a plain 'pip install' of the wheel: it imports a package the wheel does not require"
import importlib, sys, traceback, zipfile
names = sorted(n[:-3].replace("/", ".").removesuffix(".__init__") for n in zipfile.ZipFile(sys.argv[1]).namelist()
               if n.startswith("minigrpo/") and n.endswith(".py"))
names.remove("minigrpo.__main__")   # runs the command line: checked below through `python -m minigrpo --help`
failed = []
for name in names:
    try: module = importlib.import_module(name)
    except Exception: failed.append(name); traceback.print_exc()
    else: assert "/site-packages/" in module.__file__, f"{name} was imported from {module.__file__}, not the installed wheel"
if failed: sys.exit(f"wheel: these modules do not import: {failed}")
print(f"wheel: the {len(names)} modules of the wheel import: {' '.join(names)}")
EOF2
"$fresh/minigrpo" --help > /dev/null || fail "minigrpo --help failed"
"$fresh/python" -m minigrpo --help > /dev/null || fail "python -m minigrpo --help failed"
"$fresh/minigrpo" notebooks "$tmp/course" > /dev/null || fail "minigrpo notebooks DIR failed"
# Optional extras: each one the wheel declares is named in README.md, and without it the feature says what to install.
"$fresh/python" - "$wheel" "$repo/README.md" <<'EOF2' || fail "an optional extra is not named in README.md, or its feature fails without an install hint"
import sys, zipfile
from email.parser import Parser
wheel, readme = sys.argv[1:3]
zf = zipfile.ZipFile(wheel)
meta = Parser().parsestr(zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))).decode())
extras = [e for e in meta.get_all("Provides-Extra") or [] if e != "dev"]
unnamed = [e for e in extras if f"minigrpo[{e}]" not in open(readme, encoding="utf-8").read()]
if unnamed: sys.exit(f"wheel: README.md does not name the extras {unnamed} (as pip install 'minigrpo[NAME]')")
from minigrpo.trainer import _tensorboard_writer
try: import tensorboard
except ImportError:
    try: _tensorboard_writer(sys.argv[0] + ".tb"); sys.exit("wheel: report_to='tensorboard' without tensorboard did not fail")
    except ImportError as e: assert "pip install tensorboard" in str(e), e
print(f"wheel: extras {extras} are named in README.md; TensorBoard missing gives an install hint")
EOF2
if ! "$fresh/python" -c "import papermill" 2> /dev/null; then
  "$fresh/minigrpo" run 07 --out "$tmp/nb" > "$tmp/run.log" 2>&1 && fail "minigrpo run without papermill did not fail"
  grep -q "pip install papermill" "$tmp/run.log" || { cat "$tmp/run.log" >&2; fail "minigrpo run without papermill gives no install hint"; }
fi
cd "$repo"

# 5. The notebooks the wheel ships are the repository's, no more, no less, byte for byte.
"$python" - "$repo/nbs" "$tmp/course" <<'EOF2' || fail "the notebooks 'minigrpo notebooks' copies differ from nbs/*.ipynb"
import sys
from pathlib import Path
repo, copied = (Path(a) for a in sys.argv[1:3])
want, got = {p.name for p in repo.glob("*.ipynb")}, {p.name for p in copied.iterdir()}
differ = sorted(n for n in want & got if (repo/n).read_bytes() != (copied/n).read_bytes())
for what, names in (("missing", want - got), ("extra", got - want), ("different", differ)):
    if names: print(f"wheel: {what} notebooks: {sorted(names)}", file=sys.stderr)
sys.exit(1 if want != got or differ else 0)
EOF2
echo "wheel: minigrpo --help, python -m minigrpo --help and minigrpo notebooks DIR work; $(ls "$tmp/course" | wc -l) notebooks equal nbs/*.ipynb"
echo "wheel: all checks passed in $(( $(date +%s) - start )) s"
