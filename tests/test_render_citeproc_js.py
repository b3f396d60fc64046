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

SEED_ITEMS, SEED_REFERENCE = cmp.load_input("seed")


@pytest.mark.parametrize("style", sorted(SEED_REFERENCE))
def test_seed_bibliography_matches_citeproc_js(style: str) -> None:
    result = cmp.compare(style, SEED_ITEMS, SEED_REFERENCE[style])
    assert result.diffs == []
    assert result.cites_same == result.cites_total == len(SEED_ITEMS)


def test_whole_corpus_in_mla_matches_citeproc_js() -> None:
    # MLA exercises by-cite disambiguation over the whole corpus, the en-US locale terms and
    # the repeated-author dash; every entry and citation is identical (2,000 of 2,000)
    items, reference = cmp.load_input("corpus")
    result = cmp.compare("modern-language-association", items,
                         reference["modern-language-association"])
    assert result.entries_total == result.cites_total == 2000
    assert result.entries_pct >= 99.9, result.diffs[:3]
    assert result.cites_pct >= 99.9


@pytest.mark.parametrize("style", ["ieee", "nature", "vancouver", "chicago-note-bibliography"])
def test_corpus_slice_matches_citeproc_js(style: str) -> None:
    items, reference = cmp.load_input("corpus")
    result = cmp.compare(style, items, reference[style], limit=150)
    assert result.entries_total == 150
    assert result.entries_pct == 100.0, result.diffs[:3]
    assert result.cites_pct == 100.0
