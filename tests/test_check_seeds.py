"""Whole documents: the seed commentaries and our sample give exactly the findings they should.

The seeds live in ``../shared/seeds`` (tests skip when it is absent); ``bib/sample-commentary.txt``
is our own commentary with the same reference list, so its half of the tests always runs.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

import citekit
from citekit.check import CheckOptions
from citekit.check.fix import fix
from citekit.errors import CitekitError, InputError

# What issue 3's "Done when" lists for seed 000, as (code, line). The list is in correct order and
# every entry is cited, so nothing else may appear.
SEED_000_EXPECTED = Counter({
    ("citation-name-mismatch", 30): 1,   # (Lowy 2024) against "Lowy Institute"
    ("citation-year-mismatch", 30): 1,   # (Kwak 2023) against Kwak 2024
    ("missing-doi", 86): 1,              # Easley 2017
    ("url-insecure", 86): 1,             # the http:// kossrec.org link
    ("repeated-author-dash", 90): 1,     # ______. resolved to Easley
    ("doi-in-url", 90): 1,               # the DOI inside the tandfonline URL
    ("stray-fragment", 92): 1,           # the stray doi/ line
    ("missing-doi", 100): 1,             # Fish 2023
    ("url-text-fragment", 108): 1,       # Kelly (CNA)
    ("url-text-fragment", 112): 1,       # Kim (Yonhap)
    ("url-date-mismatch", 116): 1,       # Korea Times /2024/05/ against January 3
    ("url-whitespace", 116): 1,          # Korea Times
    ("url-whitespace", 132): 1,          # Ministry of Unification
    ("url-text-fragment", 136): 1,       # World Bank
    ("url-whitespace", 136): 1,          # World Bank
})

# After --fix the repaired references sit two lines higher from Easley 2023 on (the stray line and
# its blank line are gone); what is left needs a person.
SEED_000_AFTER_FIX = Counter({
    ("citation-year-mismatch", 30): 1,
    ("missing-doi", 86): 1,
    ("url-insecure", 86): 1,
    ("missing-doi", 98): 1,
    ("url-date-mismatch", 114): 1,
})

# bib/sample-commentary.txt has the seed's reference list under a body of our own.
SAMPLE_EXPECTED = Counter({
    ("citation-name-mismatch", 29): 1,
    ("citation-year-mismatch", 29): 1,
    ("missing-doi", 51): 1,
    ("url-insecure", 51): 1,
    ("repeated-author-dash", 55): 1,
    ("doi-in-url", 55): 1,
    ("stray-fragment", 57): 1,
    ("missing-doi", 65): 1,
    ("url-text-fragment", 73): 1,
    ("url-text-fragment", 77): 1,
    ("url-date-mismatch", 81): 1,
    ("url-whitespace", 81): 1,
    ("url-whitespace", 97): 1,
    ("url-text-fragment", 101): 1,
    ("url-whitespace", 101): 1,
})

SAMPLE_AFTER_FIX = Counter({
    ("citation-year-mismatch", 29): 1,
    ("missing-doi", 51): 1,
    ("url-insecure", 51): 1,
    ("missing-doi", 63): 1,
    ("url-date-mismatch", 79): 1,
})

REPAIRED_URLS = {
    "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html",
    "https://unikorea.go.kr/eng_unikorea/relations/2009Present/boardId=bbs_0000000000000140"
    "&mode=view&cntId=172&category=&pageIdx=",
    "https://www.worldbank.org/en/country/korea/overview#:~:text=The%20Republic%20of%20Korea"
    "%20has,annually%20between%201980%20and%202023",
}


def pairs(report: citekit.Report) -> Counter[tuple[str, int]]:
    """The report as a multiset of (code, line)."""
    return Counter((f.code, f.location.line) for f in report)


# ----------------------------------------------------------------------------- seed 000


def test_seed_000_reports_exactly_what_the_issue_lists(seed_000: Path) -> None:
    """Every defect the issue names, at its line, and nothing false."""
    report = citekit.check(seed_000, offline=True)
    assert pairs(report) == SEED_000_EXPECTED
    codes = set(report.codes())
    for false_alarm in ("reference-order", "reference-uncited", "duplicate-entry",
                        "year-suffix-missing", "citation-missing-reference", "missing-field",
                        "url-malformed", "doi-invalid", "parse-uncertain", "unreadable-reference"):
        assert false_alarm not in codes
    assert all(f.location.path == str(seed_000) for f in report)


def test_seed_000_finding_details(seed_000: Path) -> None:
    """The key findings name both places, both years, and the repaired URLs exactly."""
    report = citekit.check(seed_000, offline=True)
    by_code: dict[str, list[citekit.Finding]] = {}
    for f in report:
        by_code.setdefault(f.code, []).append(f)
    (kwak,) = by_code["citation-year-mismatch"]
    assert "Kwak 2023" in kwak.message and "Kwak 2024" in kwak.message
    assert "line 30" in kwak.message and "line 116" in kwak.message
    assert kwak.severity is citekit.Severity.ERROR
    (lowy,) = by_code["citation-name-mismatch"]
    assert "Lowy Institute" in lowy.message and lowy.fix is not None
    assert lowy.fix.after == "Lowy Institute 2024"
    assert {f.fix.after for f in by_code["url-whitespace"] if f.fix} == REPAIRED_URLS
    assert {f.location.key for f in by_code["missing-doi"]} == {"easley2017", "fish2023"}
    (dash,) = by_code["repeated-author-dash"]
    assert "Easley" in dash.message
    (doi,) = by_code["doi-in-url"]
    assert doi.fix is not None and doi.fix.after == "https://doi.org/10.1080/09512748.2022.2090594"
    assert report.has_errors  # the Kwak year


def test_seed_000_fix_leaves_only_what_needs_a_person(seed_000: Path, tmp_path: Path) -> None:
    """--fix repairs the links, the dash, the stray line and the Lowy citation; the rest remains."""
    out = tmp_path / "fixed.txt"
    result = fix(seed_000, output=out)
    assert result.output == out
    assert pairs(result.remaining) == SEED_000_AFTER_FIX
    # checked again from the file, the answer is the same
    assert pairs(citekit.check(out, offline=True)) == SEED_000_AFTER_FIX
    text = out.read_text(encoding="utf-8")
    assert "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html" in text
    assert "(Lowy Institute 2024)" in text and "(Lowy 2024)" not in text
    assert "(Kwak 2023)" in text  # which year is right needs a person
    assert "______." not in text and "\ndoi/10.1080" not in text
    assert "Easley, Leif-Eric. 2023." in text
    assert "#:~:text=" not in text


def test_seed_000_fix_keeps_everything_else_byte_for_byte(seed_000: Path, tmp_path: Path) -> None:
    """Only the repaired lines change: title block, body prose and bio are untouched."""
    original = seed_000.read_text(encoding="utf-8").split("\n")
    fixed = fix(seed_000).text.split("\n")
    assert fixed[:29] == original[:29]
    assert fixed[30:85] == original[30:85]  # the rest of the body and the list's first entries
    # after the last entry (World Bank, line 136): the bio and footer
    assert fixed[134:] == original[136:]
    assert len(original) - len(fixed) == 2


def test_seed_000_fix_is_idempotent(seed_000: Path, tmp_path: Path) -> None:
    """Fixing the fixed file changes nothing and applies no fix."""
    once = tmp_path / "once.txt"
    twice = tmp_path / "twice.txt"
    fix(seed_000, output=once)
    again = fix(once, output=twice)
    assert again.applied == []
    assert twice.read_bytes() == once.read_bytes()


# ----------------------------------------------------------------------------- seed 002


def test_seed_002_reports_no_reference_list_and_the_author_name_variant(seed_002: Path) -> None:
    """Exactly two findings: no reference list, and "Dr. Chang" for the author Seho Jang."""
    report = citekit.check(seed_002, offline=True)
    assert sorted(report.codes()) == ["author-name-variant", "no-reference-list"]
    variant = next(f for f in report if f.code == "author-name-variant")
    assert "Chang" in variant.message and "Jang" in variant.message
    assert variant.location.line == 3
    assert variant.fix is not None and variant.fix.after == "Dr. Jang"
    assert not report.has_errors


# ----------------------------------------------------------------------------- our sample


def test_sample_commentary_reports_the_seed_list_defects(sample_commentary: Path) -> None:
    """The bundled sample (no skip) reports the same defects at its own lines."""
    report = citekit.check(sample_commentary, offline=True)
    assert pairs(report) == SAMPLE_EXPECTED


def test_sample_commentary_fix(sample_commentary: Path, tmp_path: Path) -> None:
    """--fix on the sample: what remains is the Kwak year, its URL date, http:// and two DOIs."""
    out = tmp_path / "sample-fixed.txt"
    result = fix(sample_commentary, output=out)
    assert pairs(result.remaining) == SAMPLE_AFTER_FIX
    assert {f.code for f in result.applied} >= {"url-whitespace", "url-text-fragment",
                                                 "doi-in-url", "citation-name-mismatch"}
    assert all(f.fix is not None and f.fix.automatic for f in result.applied)
    second = fix(out, output=tmp_path / "again.txt")
    assert second.applied == []
    assert second.text == out.read_text(encoding="utf-8")


def test_fix_without_output_writes_nothing(sample_commentary: Path, tmp_path: Path) -> None:
    """fix() with neither output nor in_place only returns the repaired text."""
    copy = tmp_path / "c.txt"
    copy.write_bytes(sample_commentary.read_bytes())
    result = fix(copy)
    assert result.output is None and result.backup is None
    assert copy.read_bytes() == sample_commentary.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]
    assert "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html" in result.text


def test_in_place_keeps_a_backup(sample_commentary: Path, tmp_path: Path) -> None:
    """--in-place rewrites the file and keeps the original as PATH.bak."""
    target = tmp_path / "doc.txt"
    target.write_bytes(sample_commentary.read_bytes())
    result = fix(target, in_place=True)
    backup = tmp_path / "doc.txt.bak"
    assert result.backup == backup and result.output == target
    assert backup.read_bytes() == sample_commentary.read_bytes()
    assert target.read_text(encoding="utf-8") == result.text != backup.read_text(encoding="utf-8")
    # no temporary file is left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "doc.txt.bak"]


def test_in_place_write_is_atomic(sample_commentary: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the original file is intact and no temporary file remains."""
    target = tmp_path / "doc.txt"
    target.write_bytes(sample_commentary.read_bytes())
    renames: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: str) -> None:
        renames.append((os.path.basename(src), os.path.basename(dst)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(InputError, match="cannot write .*No space left"):
        fix(target, in_place=True)
    # the new text went to a temporary file in the same folder, renamed over the target
    assert len(renames) == 1 and renames[0][1] == "doc.txt" and renames[0][0] != "doc.txt"
    assert target.read_bytes() == sample_commentary.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "doc.txt.bak"]


# ----------------------------------------------------------------------------- structured input

BIBTEX = """@article{smith2020,
  author = {Smith, John},
  title = {A Title},
  journal = {Journal of Things},
  year = {2020},
  volume = {3},
  pages = {1--10},
  doi = {https://doi.org/10.1234/abcd},
  url = {https://example.com/a#:~:text=hello},
  mynote = {keep me},
}
"""

CSL_JSON = [{
    "id": "smith2020", "type": "article-journal", "title": "A   Title",
    "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2020]]},
    "container-title": "Journal of Things", "volume": "3", "page": "1--10",
    "DOI": "doi:10.1234/abcd", "x-custom": {"a": 1}, "note": "keep me too",
}]


def test_bibtex_fix_keeps_unknown_fields(tmp_path: Path) -> None:
    """BibTeX in, BibTeX out: fields citekit does not know are carried through."""
    src = tmp_path / "refs.bib"
    src.write_text(BIBTEX, encoding="utf-8")
    assert {f.code for f in citekit.check(src, offline=True)} == {"url-text-fragment",
                                                                  "doi-normalised"}
    out = tmp_path / "fixed.bib"
    result = fix(src, output=out)
    assert list(result.remaining) == []
    text = out.read_text(encoding="utf-8")
    assert "keep me" in text and "mynote" in text
    assert "https://example.com/a}" in text and "#:~:text" not in text
    assert "10.1234/abcd" in text and "doi.org" not in text
    entry = citekit.load(out).entries[0]
    assert entry.doi == "10.1234/abcd" and entry.url == "https://example.com/a"


def test_csl_json_fix_keeps_unknown_fields(tmp_path: Path) -> None:
    """CSL-JSON in, CSL-JSON out: unknown keys and notes survive the repair."""
    src = tmp_path / "refs.json"
    src.write_text(json.dumps(CSL_JSON), encoding="utf-8")
    out = tmp_path / "fixed.json"
    result = fix(src, output=out)
    assert {f.code for f in result.applied} == {"doi-normalised", "field-normalised"}
    assert list(result.remaining) == []
    (item,) = json.loads(out.read_text(encoding="utf-8"))
    assert item["x-custom"] == {"a": 1} and item["note"] == "keep me too"
    assert item["DOI"] == "10.1234/abcd" and item["title"] == "A Title" and item["page"] == "1-10"


def test_bibtex_fix_to_csl_json_by_output_suffix(tmp_path: Path) -> None:
    """-o's suffix chooses the output format."""
    src = tmp_path / "refs.bib"
    src.write_text(BIBTEX, encoding="utf-8")
    out = tmp_path / "fixed.json"
    fix(src, output=out)
    (item,) = json.loads(out.read_text(encoding="utf-8"))
    assert item["DOI"] == "10.1234/abcd" and item["URL"] == "https://example.com/a"


def test_structured_input_cannot_be_fixed_into_plain_text(tmp_path: Path) -> None:
    """Asking for a commentary from BibTeX is a clear error, not a broken file."""
    src = tmp_path / "refs.bib"
    src.write_text(BIBTEX, encoding="utf-8")
    with pytest.raises(CitekitError, match="cannot write"):
        fix(src, output=tmp_path / "out.txt", to="text")
    assert not (tmp_path / "out.txt").exists()


def test_text_fix_counts_only_what_it_writes(tmp_path: Path) -> None:
    """In plain text only links and citations are patched; a tidied page range is not applied."""
    src = tmp_path / "refs.txt"
    src.write_text("Smith, John. 2020. \u201cA Title.\u201d Journal of Things, 3(2): 1--10. "
                   "https://doi.org/10.1234/abcd\n\nTaylor, Ann. 2020. \u201cA Page.\u201d Example "
                   "News. May 3. https://example.com/a/b.\n", encoding="utf-8")
    result = fix(src, output=tmp_path / "out.txt",
                 options=CheckOptions(offline=True, input_format="text"))
    assert [f.code for f in result.applied] == ["url-trailing-punctuation"]
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "https://example.com/a/b\n" in text and "1--10" in text


def test_fix_fills_a_run_of_dashes_in_one_pass(tmp_path: Path) -> None:
    """Three works by one author: both dashes become the author's name, and a rerun is a no-op."""
    src = tmp_path / "refs.txt"
    src.write_text("Easley, Leif-Eric. 2017. Book One. Seoul: Pub.\n\n"
                   "______. 2023. Book Two. Seoul: Pub.\n\n"
                   "______. 2024. Book Three. Seoul: Pub.\n", encoding="utf-8")
    opts = CheckOptions(offline=True, input_format="text")
    out = tmp_path / "out.txt"
    fix(src, output=out, options=opts)
    text = out.read_text(encoding="utf-8")
    assert "______" not in text
    assert text.count("Easley, Leif-Eric. ") == 3
    assert fix(out, options=opts).text == text


def test_fix_renames_every_citation_on_a_line(tmp_path: Path) -> None:
    """Two short-form citations on one line are both corrected in a single pass."""
    from test_check_codes import ADAMS, LOWY, commentary

    src = tmp_path / "doc.txt"
    src.write_text(commentary("First (Lowy 2024), then again (Lowy 2024) and (Adams 2020).",
                              ADAMS + "\n\n" + LOWY), encoding="utf-8")
    result = fix(src)
    assert "(Lowy 2024)" not in result.text
    assert result.text.count("(Lowy Institute 2024)") == 2
    assert list(result.remaining) == []
