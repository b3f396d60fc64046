"""How well the text readers tell references apart when no blank line separates them.

Real reference strings (the labelled corpora in ``../shared/data``; nothing is copied) are laid
out as a list three ways — one reference per line, wrapped at a width with a hanging indent, and
wrapped at a width with no indent — and split again with ``split_references``. Printed per
layout: references, blocks found, reference starts found, missed and spurious.

    python benchmarks/eval_split.py [--data ../shared/data] [--n 3000] [--width 80]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import textwrap
from pathlib import Path

from citekit.parse.tagger.data import read_examples
from citekit.readers.refsplit import split_references

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("anystyle_core.jsonl", "anystyle_gold.jsonl", "grobid_citation_corpus.jsonl")


LAYOUTS = ("blank lines", "one per line", "one per line, stray spaces", "hanging indent",
           "hanging indent, stray spaces", "hanging indent, tabs", "numbered, wrapped",
           "no indent", "no indent, one long link line")


def layout(raws: list[str], mode: str, width: int, rng: random.Random
           ) -> tuple[list[str], set[int]]:
    """The lines of the list and the (1-based) lines where references start.

    "stray spaces" puts one space before one line in ten, as pastes from PDFs do; "numbered"
    right-aligns the numbers (" 9." above "10."); "one long link line" adds, after the tenth
    reference, a 140-character link on a line of its own.
    """
    lines: list[str] = []
    starts: set[int] = set()
    pad = len(str(len(raws)))
    for n, raw in enumerate(raws, 1):
        if mode.startswith("numbered"):
            raw = f"{n:>{pad}}. {raw}"
        one = mode.startswith(("one per line", "blank lines"))
        parts = [raw] if one else textwrap.wrap(raw, width)
        if mode == "no indent, one long link line" and n == 10:
            parts.append("https://example.org/" + "a" * 120)
        if mode == "blank lines" and lines:
            lines.append("")
        starts.add(len(lines) + 1)
        for k, part in enumerate(parts):
            if k and mode.startswith(("hanging indent", "numbered")):
                part = ("\t" if mode.endswith("tabs") else "    ") + part
            if mode.endswith("stray spaces") and rng.random() < 0.1:
                part = " " + part
            lines.append(part)
    return lines, starts


def main() -> int:
    """Print the split figures for each layout."""
    shared = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared / "data")
    ap.add_argument("--n", type=int, default=3000, help="references in the list")
    ap.add_argument("--width", type=int, default=80, help="wrapping width")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not (args.data / CORPORA[0]).exists():
        print(f"labelled data not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    raws = list(dict.fromkeys(ex.raw for ex in read_examples([args.data / n for n in CORPORA])))
    random.Random(args.seed).shuffle(raws)
    raws = raws[:args.n]
    print(f"{len(raws)} references, wrapped at {args.width} characters where wrapped")
    print(f"{'layout':30} {'blocks':>7} {'starts found':>13} {'missed':>7} {'spurious':>9}")
    for mode in LAYOUTS:
        lines, truth = layout(raws, mode, args.width, random.Random(args.seed))
        found = {b.lines[0][0] for b in split_references(list(enumerate(lines, 1)))}
        print(f"{mode:30} {len(found):7,} {len(found & truth):7,} ({len(found & truth) / len(truth):4.0%})"
              f" {len(truth - found):7,} {len(found - truth):9,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
