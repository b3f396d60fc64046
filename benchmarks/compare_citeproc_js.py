"""How often citekit (and citeproc-py used plainly) render exactly what citeproc-js renders.

    python benchmarks/compare_citeproc_js.py [--input corpus|seed] [--styles apa,ieee] [--limit N]
                                             [--plain] [--show N]

Reads the reference outputs in ``tests/fixtures/render/citeproc_js/`` (made by
``benchmarks/citeproc_js/make_reference.py``) and prints, per style, the share of bibliography
entries and of citations that are identical (plain text, en-US).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citekit.render import render  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "render"
INPUTS = {"seed": (FIXTURES / "seed_refs.csl.json", FIXTURES / "citeproc_js" / "seed.json"),
          "corpus": (FIXTURES / "corpus_2000.csl.json",
                     FIXTURES / "citeproc_js" / "corpus.json.gz")}


@dataclass
class Agreement:
    """Identical entries and citations for one style."""

    style: str
    entries_same: int = 0
    entries_total: int = 0
    cites_same: int = 0
    cites_total: int = 0
    seconds: float = 0.0
    diffs: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def entries_pct(self) -> float:
        """Share of identical bibliography entries, in percent."""
        return 100.0 * self.entries_same / max(self.entries_total, 1)

    @property
    def cites_pct(self) -> float:
        """Share of identical citations, in percent."""
        return 100.0 * self.cites_same / max(self.cites_total, 1)


def load_input(name: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The CSL-JSON items and citeproc-js's outputs for an input (``seed`` or ``corpus``)."""
    items_path, ref_path = INPUTS[name]
    items = json.loads(items_path.read_text(encoding="utf-8"))
    opener = gzip.open if ref_path.suffix == ".gz" else open
    with opener(ref_path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        reference = json.load(fh)
    return items, reference["styles"]


def compare(style: str, items: list[dict[str, Any]], reference: dict[str, Any],
            fidelity: bool = True, limit: int | None = None) -> Agreement:
    """Render ``items`` in ``style`` and count outputs identical to citeproc-js's."""
    if limit:
        items = items[:limit]
    # citeproc-js does not know citekit's "cut short with et al. in the source" flag
    items = [{k: v for k, v in i.items() if k != "custom"} for i in items]
    wanted = {str(i["id"]) for i in items}
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = render(items, style=style, locale="en-US", format="text",
                        cite_keys=[[str(i["id"])] for i in items], fidelity=fidelity)
    seconds = time.perf_counter() - start
    ours = dict(zip(result.keys, result.entries))
    out = Agreement(style, seconds=seconds)
    for key, text in reference["entries"]:
        if key not in wanted:
            continue
        out.entries_total += 1
        mine = ours.get(key, "")
        if mine == text:
            out.entries_same += 1
        else:
            out.diffs.append((key, text, mine))
    for (key, text), mine in zip([c for c in reference["citations"] if c[0] in wanted],
                                 result.citations):
        out.cites_total += 1
        out.cites_same += int(mine == text)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the agreement table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", choices=sorted(INPUTS), default="corpus")
    parser.add_argument("--styles", help="comma-separated style ids (default: all)")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--plain", action="store_true", help="also citeproc-py used plainly")
    parser.add_argument("--show", type=int, default=0, help="print N differing entries per style")
    args = parser.parse_args(argv)
    items, reference = load_input(args.input)
    styles = args.styles.split(",") if args.styles else list(reference)
    engines = [("citekit", True)] + ([("citeproc-py", False)] if args.plain else [])
    print(f"{'style':<40}" + "".join(f"{e + ' bib':>18}{e + ' cites':>18}" for e, _ in engines))
    for style in styles:
        row = f"{style:<40}"
        shown: Agreement | None = None
        for _, fidelity in engines:
            a = compare(style, items, reference[style], fidelity, args.limit)
            row += (f"{a.entries_same:>6}/{a.entries_total:<5}{a.entries_pct:5.1f}%"
                    f"{a.cites_same:>6}/{a.cites_total:<5}{a.cites_pct:5.1f}%")
            shown = shown or a
        print(row, flush=True)
        if shown and args.show:
            for key, ref, mine in shown.diffs[: args.show]:
                print(f"    {key}\n      citeproc-js: {ref}\n      citekit:     {mine}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
