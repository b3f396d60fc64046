"""The documentation keeps up with the code: every check code, CLI flag and JSON field is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citekit.check import CODES
from citekit.check.serialise import report_to_json
from citekit.cli import build_parser
from citekit.model import Bibliography

DOCS = Path(__file__).resolve().parents[1] / "docs"


def sections(text: str) -> dict[str, str]:
    """``## heading`` -> the text up to the next ``##`` heading."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


CHECKS = sections((DOCS / "checks.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_its_own_heading(code: str) -> None:
    """`docs/checks.md#<code>` works as a link for every code (SARIF help text points at it)."""
    assert code in CHECKS, f"docs/checks.md has no '## {code}' heading"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_states_its_severity_example_and_fix(code: str) -> None:
    """Each section opens with the code's severity (and 'network' when it needs one)."""
    body = CHECKS[code]
    info = CODES[code]
    opening = re.search(r"\*\*(\w+)(, network)?\.\*\*", body)
    assert opening is not None, f"{code}: no **severity.** opening"
    assert opening.group(1) == info.severity.value
    assert bool(opening.group(2)) is info.network
    assert "Bad" in body and "Good" in body and "Fix" in body


def test_no_heading_for_a_code_that_does_not_exist() -> None:
    """A renamed code does not leave a stale section behind."""
    kebab = {h for h in CHECKS if re.fullmatch(r"[a-z]+(-[a-z]+)+", h)}
    assert kebab <= set(CODES)


def _check_flags() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    check = sub.choices["check"]  # type: ignore[attr-defined]
    return {opt for action in check._actions for opt in action.option_strings} - {"-h", "--help"}


def test_cli_page_documents_every_check_flag_and_exit_code() -> None:
    """docs/cli.md lists every `citekit check` option and the four exit codes."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = text[text.index("## citekit check"):]
    for flag in _check_flags():
        assert f"`{flag}" in section, f"docs/cli.md does not mention {flag}"
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^\| `?{code}`? \|", section, re.M), f"exit code {code} missing"


def test_json_report_page_names_every_field() -> None:
    """docs/json-report.md describes each key the JSON report has."""
    text = (DOCS / "json-report.md").read_text(encoding="utf-8")
    top = report_to_json(__import__("citekit").check(Bibliography(), offline=True))
    for key in top:
        assert f"`{key}`" in text
    for key in ("code", "severity", "message", "location", "fix", "evidence", "line", "col",
                "key", "automatic", "before", "after"):
        assert f"`{key}`" in text


# Codes whose examples are excerpts of a commentary (a body and its list), not runnable lists.
_DOCUMENT_CODES = {"citation-missing-reference", "citation-year-mismatch", "citation-name-mismatch",
                   "citation-suffix-mismatch", "citation-ambiguous",
                   "reference-uncited", "no-reference-list", "author-name-variant"}
_BASE_ITEM = {"id": "smith2020", "type": "article-journal", "title": "A Title",
              "author": [{"family": "Smith", "given": "John"}],
              "issued": {"date-parts": [[2020]]}, "container-title": "Journal of Things",
              "volume": "3", "page": "1-10", "DOI": "10.1234/abcd"}


def _examples() -> list[tuple[str, str, str, str]]:
    out = []
    for code, body in CHECKS.items():
        if code not in CODES or CODES[code].network or code in _DOCUMENT_CODES:
            continue
        for kind, lang, example in re.findall(r"^(Bad|Good)[^\n]*:\n\n```(\w+)\n(.*?)```", body,
                                              flags=re.M | re.S):
            out.append((code, kind, lang, example))
    return out


@pytest.mark.parametrize("code,kind,lang,example", _examples(),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_reference_list_examples_do_what_the_page_says(code: str, kind: str, lang: str,
                                                       example: str) -> None:
    """Each Bad example of a reference list gets its code; each Good one does not.

    JSON examples are fields of a CSL-JSON item and are laid over a complete journal article.
    """
    import json

    import citekit

    if lang == "json":
        item = dict(_BASE_ITEM, **json.loads(example))
        bib = citekit.loads(json.dumps([item]), "csl-json", "example.json")
    else:
        assert lang == "text"
        bib = citekit.loads(example, "text", "example.txt")
    codes = citekit.check(bib, offline=True).codes()
    assert (code in codes) is (kind == "Bad"), codes


def test_examples_cover_most_codes() -> None:
    """The example test above really runs: every list-level offline code has both kinds."""
    kinds: dict[str, set[str]] = {}
    for code, kind, _, _ in _examples():
        kinds.setdefault(code, set()).add(kind)
    offline = {c for c, i in CODES.items() if not i.network} - _DOCUMENT_CODES
    with_both = {c for c, k in kinds.items() if k == {"Bad", "Good"}}
    assert offline == with_both
