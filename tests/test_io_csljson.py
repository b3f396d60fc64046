"""CSL-JSON reading and writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citekit.errors import InputError
from citekit.model import Bibliography, Date, Entry, Name
from citekit.readers import load, loads
from citekit.writers import dumps

SAMPLE = Path(__file__).parent / "fixtures" / "io" / "sample.json"


def test_reads_an_array_of_items_into_entries() -> None:
    bib = load(SAMPLE)
    assert [e.id for e in bib] == ["easley2017", "hakim2024", "leeetal2023", "lowy2024"]
    easley = bib["easley2017"]
    assert easley.type == "article-journal"
    assert easley.author == [Name(family="Easley", given="Leif-Eric")]
    assert (easley.volume, easley.issue, easley.page) == ("44", "1", "51-71")
    assert easley.issued == Date(year=2017)
    assert easley.extra["ISSN"] == "1229-0262"
    assert bib["hakim2024"].issued == Date(year=2024, month=3, day=11)
    assert bib["leeetal2023"].et_al is True
    assert bib["lowy2024"].author == [Name(literal="Lowy Institute")]


def test_an_item_that_is_not_an_object_is_a_failure_with_index_and_line() -> None:
    bib = load(SAMPLE)
    assert len(bib.failures) == 1
    failure = bib.failures[0]
    assert "item 2" in failure.reason and "string" in failure.reason
    assert failure.raw == '"not an item"'
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert lines[failure.line - 1].strip() == '"not an item",'
    assert failure.location() == f"{SAMPLE}:{failure.line}:3"


def test_entries_know_where_they_are_in_the_file() -> None:
    bib = load(SAMPLE)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for entry in bib:
        assert entry.source is not None
        assert lines[entry.source.line - 1].strip() == "{"
        assert lines[entry.source.end_line - 1].strip() in ("}", "},")
        assert json.loads(entry.source.raw)["id"] == entry.id


@pytest.mark.parametrize("text", [
    '{"id": "one", "type": "book", "title": "Single"}',
    '{"items": [{"id": "one", "type": "book", "title": "Single"}]}',
    '[{"id": "one", "type": "book", "title": "Single"}]',
])
def test_accepts_a_single_item_or_an_items_wrapper(text: str) -> None:
    bib = loads(text, "csl-json")
    assert [(e.id, e.type, e.title) for e in bib] == [("one", "book", "Single")]


def test_invalid_json_is_an_input_error_with_line_and_column() -> None:
    with pytest.raises(InputError, match=r"^refs\.json:3:5: invalid JSON"):
        loads('[\n  {"id": "a"},\n    oops\n]', "csl-json", path="refs.json")


@pytest.mark.parametrize("text", ["42", '"text"', "null", "true"])
def test_json_that_is_not_csl_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="not CSL-JSON"):
        loads(text, "csl-json")


def test_a_byte_order_mark_is_ignored() -> None:
    assert loads('\ufeff[{"id": "a", "type": "book"}]', "csl-json")[0].id == "a"


def test_empty_input_is_an_empty_bibliography() -> None:
    assert len(loads("  \n", "csl-json")) == 0


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(InputError):
        loads("[" * 100_000 + "]" * 100_000, "csl-json")


def test_writer_output_is_a_stable_utf8_json_array() -> None:
    bib = load(SAMPLE)
    text = dumps(bib, "csl-json")
    assert text.endswith("]\n") and not text.endswith("\n\n")
    assert "’" in text  # not \u2019
    assert '\n  {\n    "id": "easley2017",\n    "type": "article-journal",' in text
    data = json.loads(text)
    assert [item["id"] for item in data] == ["easley2017", "hakim2024", "leeetal2023", "lowy2024"]
    assert data[2]["custom"] == {"et-al": True}
    assert dumps(loads(text, "csl-json"), "csl-json") == text


def test_round_trip_keeps_unknown_variables() -> None:
    item = {"id": "x", "type": "book", "title": "T", "number-of-pages": "320",
            "custom": {"my-tag": [1, 2]}, "original-date": {"date-parts": [[1901]]},
            "translator": [{"family": "Park", "given": "Ji"}]}
    text = dumps(loads(json.dumps([item]), "csl-json"), "csl-json")
    assert json.loads(text) == [item]


def test_writes_model_objects_left_in_extra() -> None:
    entry = Entry(id="x", type="book", extra={"reviewer": Name(family="Kim"),
                                              "when": Date(year=2020), "tags": {"a"}})
    data = json.loads(dumps(Bibliography(entries=[entry]), "csl-json"))
    assert data[0]["reviewer"] == {"family": "Kim"}
    assert data[0]["when"] == {"date-parts": [[2020]]}
    assert data[0]["tags"] == ["a"]


def test_bibtex_read_then_written_as_csl_json_is_plain_csl() -> None:
    bib = loads("@article{k, author = {M{\\\"u}ller, J.}, title = {Caf{\\'e}}, year = 2020}",
                "bibtex")
    item = json.loads(dumps(bib, "csl-json"))[0]
    assert item["author"] == [{"family": "Müller", "given": "J."}]
    assert item["title"] == "Café"
    assert item["issued"] == {"date-parts": [[2020]]}
    assert item["custom"]["bibtex"]["type"] == "article"  # what BibTeX-only fields need to come back
