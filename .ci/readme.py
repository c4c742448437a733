"""Render nbs/index.ipynb to README.md without Quarto (markdown cells as they are, code cells as python blocks with
their text output). `python .ci/readme.py` writes README.md; `python .ci/readme.py --check` fails if it is stale."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render() -> str:
    nb = json.loads((root/"nbs/index.ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        src = "".join(cell["source"]).strip()
        if cell["cell_type"] == "markdown": parts.append(src)
        elif cell["cell_type"] == "code" and src and not src.startswith("#| hide"):
            lines = [l for l in src.splitlines() if not l.startswith("#|")]
            parts.append("```python\n" + "\n".join(lines) + "\n```")
            text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            if text.strip(): parts.append("    " + text.rstrip().replace("\n", "\n    "))
    return "<!-- generated from nbs/index.ipynb by .ci/readme.py: edit the notebook, not this file -->\n\n" + "\n\n".join(parts) + "\n"

if __name__ == "__main__":
    out = render()
    if "--check" in sys.argv:
        if (root/"README.md").read_text(encoding="utf-8") != out:
            sys.exit("README.md is out of step with nbs/index.ipynb: run `python .ci/readme.py`")
    else: (root/"README.md").write_text(out, encoding="utf-8")
