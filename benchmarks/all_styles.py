"""Render the seed bibliography (and one citation per entry) in every style citekit can find.

    python benchmarks/all_styles.py [--search TEXT] [--plain] [--show N]

Prints how many styles render without error, how many stop with citekit's clear ``StyleError``
(the style cannot be used; the message names it), how many leave per-entry failures in
``result.failures``, and how many raise anything else (a crash: a bug to fix). ``--plain``
does the same with citeproc-py used plainly (``fidelity=False``) for comparison.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citekit.errors import StyleError  # noqa: E402
from citekit.render import list_styles, render  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "render" / "seed_refs.csl.json"


def main(argv: list[str] | None = None) -> int:
    """Print the tally; exit 1 when any style crashed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", default="", help="only styles whose id or title has this")
    parser.add_argument("--plain", action="store_true", help="citeproc-py used plainly")
    parser.add_argument("--show", type=int, default=10,
                        help="crashes and styles with entry failures to list")
    args = parser.parse_args(argv)
    items = json.loads(SEED.read_text(encoding="utf-8"))
    cites = [[str(i["id"])] for i in items]
    tally: collections.Counter[str] = collections.Counter()
    crashes: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    styles = list_styles(args.search)
    start = time.perf_counter()
    for n, info in enumerate(styles, 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = render(items, style=str(info.path), cite_keys=cites,
                                fidelity=not args.plain)
        except StyleError:
            tally["clear style error"] += 1
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            tally["crash"] += 1
            crashes.append((info.id, f"{type(exc).__name__}: {exc}"[:160]))
        else:
            tally["with entry failures" if result.failures else "clean"] += 1
            if result.failures:
                failed.append((info.id, result.failures[0][:160]))
        if n % 250 == 0:
            print(f"  {n}/{len(styles)} styles, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)
    engine = "citeproc-py alone" if args.plain else "citekit"
    print(f"{engine}: {len(styles)} styles, seed bibliography ({len(items)} entries) "
          f"+ {len(cites)} citations")
    for kind in ("clean", "with entry failures", "clear style error", "crash"):
        print(f"  {kind:<20}{tally[kind]:>6}")
    for style_id, message in crashes[:args.show]:
        print(f"  crash: {style_id}: {message}")
    for style_id, message in failed[:args.show]:
        print(f"  entry failure: {style_id}: {message}")
    return 1 if tally["crash"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
