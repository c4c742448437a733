"""`ruff check` as CI runs it on the library (settings in pyproject.toml): every finding fails the run, except a line
over 120 characters on one of the two lines nbdev_export writes into each module itself, which no export cell holds:
line 1, the module docstring nbdev makes from the chapter's `> ` summary line, and the first line of `__all__`, which
nbdev wraps at 120 characters without counting the `__all__ = ` before it.

Run from the repository root: `python .ci/ruff.py` (default: minigrpo). Prints each finding; exit 1 if there is one.
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def written_by_nbdev(finding) -> bool:
    "Whether `finding` is a long line that nbdev_export writes, not one of an export cell."
    if finding["code"] != "E501":
        return False
    row = finding["location"]["row"]
    line = Path(finding["filename"]).read_text(encoding="utf-8").splitlines()[row - 1]
    return (row == 1 and line.startswith('"""')) or line.startswith("__all__ = ")


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
