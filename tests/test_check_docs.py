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
    """`docs/checks.md#<code>` works as a link for every code (SARIF helpUri uses it)."""
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
