"""Regenerate citeproc-js reference outputs (needs Node.js and ``npm install`` in this folder).

    python benchmarks/citeproc_js/make_reference.py

Renders the seed bibliography and the 2,000-item corpus in each conformance style with
citeproc-js, using the very CSL files citekit resolves, and writes one JSON file per input
under ``tests/fixtures/render/citeproc_js/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from citekit.render.styles import resolve_style  # noqa: E402

#: The styles the conformance report covers (issue 5).
STYLES = ["apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right",
          "ieee", "vancouver", "nature", "american-political-science-association",
          "chicago-note-bibliography", "eai-commentary"]
INPUTS = {"seed": ROOT / "tests" / "fixtures" / "render" / "seed_refs.csl.json",
          "corpus": ROOT / "tests" / "fixtures" / "render" / "corpus_2000.csl.json"}
OUT_DIR = ROOT / "tests" / "fixtures" / "render" / "citeproc_js"


def main() -> int:
    """Run the Node script once per input."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    styles = [f"{s}={resolve_style(s).source_path}" for s in STYLES]
    for name, items in INPUTS.items():
        out = OUT_DIR / f"{name}.json"
        subprocess.run(["node", str(HERE / "make_reference.js"), str(out), str(items), *styles],
                       check=True, cwd=HERE)
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
