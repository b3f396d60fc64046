"""Rendering speed: citekit next to citeproc-py used plainly, in one run.

    python benchmarks/bench_render.py [--styles chicago-author-date,apa] [-n 2000] [--repeat 1]

Renders the 2,000-item corpus (bibliography plus one in-text citation per entry) and prints
references per second and citations per second for each engine. citekit's figure includes its
fidelity work (disambiguation, collapsing, post-processing), so the two do not do the same
amount of work; the outputs also differ (see compare_citeproc_js.py). Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citekit.render import render  # noqa: E402
from citekit.render.styles import list_styles  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "render" / "corpus_2000.csl.json"


def _time(items: list[dict], style: str, fidelity: bool, cites: bool) -> float:
    keys = [[str(i["id"])] for i in items] if cites else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        render(items, style=style, locale="en-US", cite_keys=keys, fidelity=fidelity)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print refs/s and cites/s per style and engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", default="chicago-author-date,apa")
    parser.add_argument("-n", type=int, default=2000, help="number of corpus items")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    args = parser.parse_args(argv)
    items = json.loads(CORPUS.read_text(encoding="utf-8"))[: args.n]
    list_styles("warm-up")  # build the style index outside the timings
    print(f"{len(items)} items; bibliography alone, then bibliography + {len(items)} citations;")
    print("cites/s = citations / (time with citations - time without); noisy on a busy machine")
    print(f"{'style':<24}{'engine':<14}{'bib s':>8}{'refs/s':>9}{'bib+cites s':>13}"
          f"{'cites/s':>9}")
    for style in args.styles.split(","):
        for label, fidelity in (("citeproc-py", False), ("citekit", True)):
            bib = min(_time(items, style, fidelity, False) for _ in range(args.repeat))
            both = min(_time(items, style, fidelity, True) for _ in range(args.repeat))
            cites = f"{len(items) / (both - bib):9.0f}" if both > bib else f"{'n/a':>9}"
            print(f"{style:<24}{label:<14}{bib:8.2f}{len(items) / bib:9.0f}{both:13.2f}{cites}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
