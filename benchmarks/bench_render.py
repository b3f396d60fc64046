"""Rendering speed: citekit next to citeproc-py used plainly, in one run.

    python benchmarks/bench_render.py [--styles chicago-author-date,apa] [-n 2000] [--repeat 1]

Renders the 2,000-item corpus (bibliography plus one in-text citation per entry) and prints
references per second and citations per second for each engine. citekit's figure includes its
fidelity work (disambiguation, collapsing, post-processing), so the two do not do the same
amount of work; the outputs also differ (see compare_citeproc_js.py). Prints figures only.

The baseline is genuinely plain: it runs in a subprocess (``plain_citeproc.py``) that imports
citeproc-py and the standard library only, drives citeproc-py through its own API (register,
sort, bibliography, cite) and refuses to report if citekit was imported. citekit itself never
patches citeproc-py's classes either: its fidelity and speed overrides live in subclasses used
only for the styles citekit loads (``engine._element_lookup``). Both engines are timed in the
same run, style by style, best of ``--repeat``; refs/s is entries / time of the bibliography
alone (style loading, sorting and, for citekit, disambiguation included).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citekit.render import render  # noqa: E402
from citekit.render.styles import list_styles, resolve_style  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "render" / "corpus_2000.csl.json"
PLAIN = ROOT / "benchmarks" / "plain_citeproc.py"


def _time(items: list[dict], style: str, fidelity: bool, cites: bool) -> float:
    keys = [[str(i["id"])] for i in items] if cites else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        render(items, style=style, locale="en-US", cite_keys=keys, fidelity=fidelity)
        return time.perf_counter() - start


def _plain(style: str, n: int, repeat: int) -> tuple[float, float]:
    """citeproc-py alone, in a subprocess that never imports citekit: (bib s, bib+cites s)."""
    path = resolve_style(style).source_path
    out = subprocess.run([sys.executable, str(PLAIN), str(path), str(CORPUS), str(n), str(repeat)],
                         check=True, capture_output=True, text=True).stdout
    timing = json.loads(out.strip().splitlines()[-1])
    return timing["bib"], timing["both"]


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
        for label in ("citeproc-py", "citekit"):
            if label == "citeproc-py":
                bib, both = _plain(style, len(items), args.repeat)
            else:
                bib = min(_time(items, style, True, False) for _ in range(args.repeat))
                both = min(_time(items, style, True, True) for _ in range(args.repeat))
            cites = f"{len(items) / (both - bib):9.0f}" if both > bib else f"{'n/a':>9}"
            print(f"{style:<24}{label:<14}{bib:8.2f}{len(items) / bib:9.0f}{both:13.2f}{cites}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
