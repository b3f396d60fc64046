"""citekit against citeproc-js, the CSL reference processor.

The reference outputs were made by ``benchmarks/citeproc_js/make_reference.py`` (Node.js,
@citation-js/core + @citation-js/plugin-csl) and are committed under
``fixtures/render/citeproc_js/``. The full 2,000-item report (both engines, every style) is
``python benchmarks/compare_citeproc_js.py --plain``; here the seed bibliography is checked in
every style and a slice of the corpus in styles whose output does not depend on the rest of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import compare_citeproc_js as cmp  # noqa: E402

#: Seed entries that differ for a known reason: citeproc-py's en-US locale abbreviates June as
#: "June", citation-js's bundled locale as "Jun." (locale data, not rendering).
KNOWN_SEED_DIFFERENCES = {("modern-language-association", "kelly2024")}
SEED_ITEMS, SEED_REFERENCE = cmp.load_input("seed")


@pytest.mark.parametrize("style", sorted(SEED_REFERENCE))
def test_seed_bibliography_matches_citeproc_js(style: str) -> None:
    result = cmp.compare(style, SEED_ITEMS, SEED_REFERENCE[style])
    unexpected = [d for d in result.diffs if (style, d[0]) not in KNOWN_SEED_DIFFERENCES]
    assert unexpected == []
    assert result.cites_same == result.cites_total == len(SEED_ITEMS)


@pytest.mark.parametrize("style", ["ieee", "nature", "vancouver", "chicago-note-bibliography"])
def test_corpus_slice_matches_citeproc_js(style: str) -> None:
    items, reference = cmp.load_input("corpus")
    result = cmp.compare(style, items, reference[style], limit=150)
    assert result.entries_total == 150
    assert result.entries_pct >= 98.0, result.diffs[:3]
    assert result.cites_pct >= 99.0
