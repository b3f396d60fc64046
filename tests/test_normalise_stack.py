"""The default stack over the first seed's reference list, as a simple reader would give it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from citekit.model import Bibliography, Entry, SourceSpan
from citekit.normalise import (
    DEFAULT_STACK,
    URL_STEPS,
    Change,
    make_keys,
    normalise,
    normalise_entry,
    repair_url_whitespace,
)

FIXTURES = Path(__file__).parent / "fixtures" / "normalise"


def seed_entries() -> list[Entry]:
    """The 15 references of seed 000 as read (fields as written), with provenance."""
    entries = []
    for row in json.loads((FIXTURES / "seed_000_as_read.json").read_text(encoding="utf-8")):
        entry = Entry.from_csl(row["csl"])
        entry.source = SourceSpan(path="000.txt", line=row["line"],
                                  end_line=row["line"] + row["raw"].count("\n"), raw=row["raw"])
        entries.append(entry)
    return entries


def without_date_text(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "date-text"}


def test_seed_list_normalises_to_the_hand_written_result() -> None:
    entries = seed_entries()
    normalise(entries)
    expected = json.loads((FIXTURES / "seed_000_normalised.csl.json").read_text(encoding="utf-8"))
    assert [without_date_text(e.to_csl()) for e in entries] == expected


def test_seed_list_changes_are_the_known_defects() -> None:
    entries = seed_entries()
    changes = normalise(Bibliography(entries=entries))
    by_code: dict[str, list[str]] = {}
    for entry, change in changes:
        by_code.setdefault(change.code, []).append(entry.id)
    assert by_code["url-whitespace"] == ["kwak2024", "ministryofunification2024", "worldbank2024"]
    assert by_code["url-text-fragment"] == ["kelly2024", "kim2024", "worldbank2024"]
    assert by_code["stray-fragment"] == ["easley2023"]
    assert by_code["doi-in-url"] == ["easley2023"]
    assert by_code["doi-normalised"] == ["chow2019", "easley2024"]
    assert "url-trailing-punctuation" not in by_code
    assert len(by_code["date-parts"]) == 9
    assert len(by_code["title-quotes"]) == 14
    assert "name-case" not in by_code and "page-range" not in by_code


def test_url_changes_have_exact_before_and_after() -> None:
    entries = {e.id: e for e in seed_entries()}
    kwak = entries["kwak2024"]
    changes = [c for c in normalise_entry(kwak) if c.field == "URL"]
    assert changes == [Change(
        "url-whitespace", "URL",
        "https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html",
        "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html",
        "URL broken by whitespace rejoined")]


def test_normalising_twice_changes_nothing_more() -> None:
    entries = seed_entries()
    assert normalise(entries)
    snapshot = [e.to_csl() for e in entries]
    assert normalise(entries) == []
    assert [e.to_csl() for e in entries] == snapshot


def test_provenance_is_never_modified() -> None:
    entries = seed_entries()
    before = [copy.deepcopy(e.source) for e in entries]
    normalise(entries)
    assert [e.source for e in entries] == before
    kwak = next(e for e in entries if e.id == "kwak2024")
    assert kwak.source is not None
    assert "https://www.koreatimes.co.kr /www/art" in kwak.source.raw


def test_keys_of_the_seed_list() -> None:
    entries = seed_entries()
    for e in entries:
        e.id = ""
    normalise(entries)
    make_keys(entries)
    assert [e.id for e in entries] == [
        "chow2019", "chun2024", "easley2017", "easley2023", "easley2024", "fish2023", "ha2024",
        "kelly2024", "kim2024", "kwak2024", "lee2023", "leeetal2023", "lowyinstitute2024",
        "ministryofunification2024", "worldbank2024"]


def test_a_custom_stack_runs_only_its_steps() -> None:
    entry = Entry(title="\u201cT.\u201d", url="https://example.org/a /b.")
    changes = normalise([entry], steps=[repair_url_whitespace])
    assert [c.code for _, c in changes] == ["url-whitespace"]
    assert entry.title == "\u201cT.\u201d"
    assert entry.url == "https://example.org/a/b."


@pytest.mark.parametrize("step", DEFAULT_STACK + URL_STEPS, ids=lambda s: s.__name__)
def test_every_step_accepts_an_empty_entry(step) -> None:
    assert step(Entry()) == []
