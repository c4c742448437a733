"""`ruff check` as CI runs it on the library (settings in pyproject.toml): every finding fails the run, except a line
over 120 characters on the one line nbdev_export writes into each module itself that no export cell holds: the first
line of `__all__`, which nbdev wraps at 120 characters without counting the `__all__ = ` before it. (The module
docstring on line 1, made from the chapter's `> ` summary line, is checked like any other line: keep that summary
within 110 characters.)

Run from the repository root: `python .ci/ruff.py` (default: minigrpo). Prints each finding; exit 1 if there is one.
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def written_by_nbdev(finding) -> bool:
    "Whether `finding` is the long first line of `__all__` that nbdev_export writes, not a line of an export cell."
    if finding["code"] != "E501":
        return False
    line = Path(finding["filename"]).read_text(encoding="utf-8").splitlines()[finding["location"]["row"] - 1]
    return line.startswith("__all__ = ")


paths = sys.argv[1:] or ["minigrpo"]
command = ["ruff", "check", "--output-format", "json", "--exit-zero", *paths]
result = subprocess.run(command, capture_output=True, text=True)
if result.returncode != 0:
    sys.exit(f"ruff did not run: {result.stderr.strip()}")
findings = [f for f in json.loads(result.stdout) if not written_by_nbdev(f)]
for f in findings:
    where = f"{os.path.relpath(f['filename'])}:{f['location']['row']}:{f['location']['column']}"
    print(f"{where}: {f['code']} {f['message']}")
print(f"ruff: {len(findings)} finding(s) in {' '.join(paths)}")
sys.exit(1 if findings else 0)
