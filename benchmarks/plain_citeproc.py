"""citeproc-py used plainly, timed: the baseline of bench_render.py.

    python benchmarks/plain_citeproc.py STYLE.csl CORPUS.json N REPEAT

This script imports citeproc-py and the standard library only, never citekit, so nothing of
citekit's (its element subclasses, its caches) can be in the engine it times; it checks that and
prints one JSON line: ``{"bib": seconds, "both": seconds, "entries": n, "cites": n}`` (best of
REPEAT runs of: load the style, load the items, register, sort, render the bibliography; and the
same plus one citation per entry).
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from typing import Any

from citeproc import (Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle,
                      formatter)
from citeproc.source.json import CiteProcJSON


def run(style_path: str, items: list[dict[str, Any]], cites: bool) -> tuple[float, int, int]:
    """One timed rendering; returns seconds, entries rendered and citations rendered."""
    start = time.perf_counter()
    style = CitationStylesStyle(style_path, locale="en-US", validate=False)
    source = CiteProcJSON([])
    for item in items:
        item = {k: v for k, v in item.items() if k != "custom"}
        try:
            source.update(CiteProcJSON([item]))
        except Exception:  # citeproc-py rejects some malformed names and dates; skip those
            continue
    bib = CitationStylesBibliography(style, source, formatter.plain)
    citations = []
    for key in source:
        citation = Citation([CitationItem(key)])
        bib.register(citation)
        citations.append(citation)
    bib.sort()
    entries = 0
    for item in bib.items:  # one by one, so that an entry citeproc-py cannot render is skipped
        try:
            entries += len(style.render_bibliography([item]))
        except Exception:
            continue
    done = 0
    if cites:
        for citation in citations:
            try:
                bib.cite(citation, lambda item: None)
                done += 1
            except Exception:
                continue
    return time.perf_counter() - start, entries, done


def main(argv: list[str]) -> int:
    """Time one style; print the JSON line."""
    style_path, corpus, n, repeat = argv[0], argv[1], int(argv[2]), int(argv[3])
    with open(corpus, encoding="utf-8") as fh:
        items = json.load(fh)[:n]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = min(run(style_path, items, False) for _ in range(repeat))
        both = min(run(style_path, items, True) for _ in range(repeat))
    if any(name == "citekit" or name.startswith("citekit.") for name in sys.modules):
        raise SystemExit("citekit was imported: the baseline would not be plain")
    print(json.dumps({"bib": bib[0], "both": both[0], "entries": bib[1], "cites": both[2]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
