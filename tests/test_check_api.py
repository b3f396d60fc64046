"""The library side of checking: citekit.check(...) on files and lists, --select/--ignore rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import citekit
from citekit.check import CODES, CheckOptions, check_bibliography
from citekit.check.runner import select_codes
from citekit.errors import ConfigError

SAMPLE = Path(__file__).resolve().parents[1] / "bib" / "sample-commentary.txt"
URL_CODES = {c for c in CODES if c.startswith("url-")}


@pytest.mark.parametrize("pattern", ["url-", "url-*", "url"])
def test_select_prefix_forms(pattern: str) -> None:
    """`url-`, `url-*` and a bare `url` all mean every url- code."""
    assert select_codes([pattern], None) == URL_CODES


def test_select_all_comma_lists_and_repeats() -> None:
    """`all`, comma-separated lists and repeated options combine."""
    assert select_codes(["all"], None) == set(CODES)
    assert select_codes(["url-insecure,doi-invalid", "missing-doi"], None) == {
        "url-insecure", "doi-invalid", "missing-doi"}
    assert select_codes(None, None) == set(CODES)


def test_ignore_applies_after_select() -> None:
    """--ignore removes codes from what --select chose (or from everything)."""
    assert select_codes(["url-"], ["url-insecure"]) == URL_CODES - {"url-insecure"}
    assert select_codes(None, ["url", "doi-"]) == {c for c in CODES
                                                   if not c.startswith(("url-", "doi-"))}


@pytest.mark.parametrize("bad,suggestion", [("url-insecur", "url-insecure"),
                                            ("refrence-order", "reference-order"),
                                            ("nonsense-code-xyz", None)])
def test_unknown_codes_raise_config_error(bad: str, suggestion: str | None) -> None:
    """An unknown code is a ConfigError naming it, with close matches when there are any."""
    with pytest.raises(ConfigError) as info:
        select_codes([bad], None)
    assert repr(bad) in str(info.value)
    if suggestion:
        assert "did you mean" in str(info.value) and suggestion in str(info.value)


def test_check_rejects_unknown_codes_before_reading(tmp_path: Path) -> None:
    """citekit.check fails fast on a bad code, even for a file that does not exist."""
    with pytest.raises(ConfigError):
        citekit.check(tmp_path / "missing.txt", offline=True, select=["no-such-code"])


def test_check_a_path_a_list_of_paths_and_a_bibliography() -> None:
    """The same findings whether check() gets the path, a list, or the loaded Bibliography."""
    by_path = citekit.check(SAMPLE, offline=True)
    by_str = citekit.check(str(SAMPLE), offline=True)
    twice = citekit.check([SAMPLE, SAMPLE], offline=True)
    by_bib = citekit.check(citekit.load(SAMPLE), offline=True)
    key = [(f.code, f.location.line, f.location.col) for f in by_path]
    assert [(f.code, f.location.line, f.location.col) for f in by_str] == key
    assert [(f.code, f.location.line, f.location.col) for f in by_bib] == key
    assert len(twice) == 2 * len(by_path)
    assert twice.paths == [str(SAMPLE), str(SAMPLE)]


def test_options_object_and_keywords_agree() -> None:
    """check(options=CheckOptions(...)) is the same as check(**keywords)."""
    opts = CheckOptions(offline=True, select=["url-"])
    a = citekit.check(SAMPLE, options=opts)
    b = citekit.check(SAMPLE, offline=True, select=["url-"])
    assert a.codes() == b.codes() and set(a.codes()) <= URL_CODES


def test_check_bibliography_normalises_in_place() -> None:
    """check_bibliography is the in-place variant: the entries come back repaired."""
    bib = citekit.load(SAMPLE)
    kwak = next(e for e in bib.entries if e.id == "kwak2024")
    assert " " in (kwak.url or "")
    check_bibliography(bib, CheckOptions(offline=True))
    assert kwak.url == "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html"


def test_findings_serialise_to_plain_data() -> None:
    """Every finding's to_dict() is JSON-ready and keeps code, severity and location."""
    import json

    for f in citekit.check(SAMPLE, offline=True):
        data = json.loads(json.dumps(f.to_dict()))
        assert data["code"] == f.code and data["severity"] == f.severity.value
        assert data["location"]["line"] == f.location.line
