"""RIS reading and writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from citekit.model import Bibliography, Date, Entry, Name
from citekit.readers import SUFFIXES, load, loads
from citekit.writers import dumps, format_for_path

SAMPLE = Path(__file__).parent / "fixtures" / "io" / "sample.ris"


@pytest.fixture(scope="module")
def sample() -> Bibliography:
    return load(SAMPLE)


def test_ris_is_registered_by_suffix() -> None:
    assert SUFFIXES[".ris"] == "ris"
    assert format_for_path("out.ris") == "ris"


def test_reads_records_into_entries(sample: Bibliography) -> None:
    assert [e.id for e in sample] == ["easley2024", "kwak2024", "leeetal2023", "lowyinstitute2024"]
    easley = sample["easley2024"]
    assert easley.type == "article-journal"
    assert easley.author == [Name(family="Easley", given="Leif-Eric"),
                             Name(family="Chow", given="Jonathan T.")]
    # the continuation line is part of the title
    assert easley.title == ("Enabling Pariahs: China’s Support of Myanmar, North Korea, and "
                            "Russia for Geopolitical Advantage")
    assert easley.container_title == "Asian Survey"
    assert (easley.volume, easley.issue, easley.page) == ("64", "3", "396-427")
    assert easley.issued == Date(year=2024)
    assert easley.doi == "10.1525/as.2024.2113239"
    assert easley.extra["ISSN"] == "0004-4687"
    assert easley.extra["container-title-short"] == "Asian Surv."
    assert easley.extra["keyword"] == "China, Myanmar"


def test_types_dates_names_and_notes(sample: Bibliography) -> None:
    kwak = sample["kwak2024"]
    assert kwak.type == "article-newspaper"
    assert kwak.issued == Date(year=2024, month=1, day=3)  # DA is more precise than PY
    assert kwak.url == "https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html"
    lee = sample["leeetal2023"]
    assert lee.type == "report" and lee.et_al is True
    assert lee.author == [Name(family="Lee", given="Wootae")]
    assert (lee.publisher, lee.publisher_place) == ("Korea Institute for National Unification",
                                                    "Seoul")
    assert lee.accessed == Date(year=2024, month=6, day=1)
    assert lee.note == "First note\nSecond note"
    lowy = sample["lowyinstitute2024"]
    assert lowy.type == "webpage"
    assert lowy.author == [Name(literal="Lowy Institute"),
                           Name(family="Berg", given="Hans", non_dropping_particle="van der",
                                suffix="Jr.")]


def test_provenance_and_failures(sample: Bibliography) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for entry in sample:
        assert entry.source is not None
        assert lines[entry.source.line - 1].startswith("TY  - ")
        assert entry.source.raw.startswith("TY  - ")
    assert sample["easley2024"].source.end_line == 22  # type: ignore[union-attr]
    # the last record has no ER line: it is still read, up to its last line
    assert sample["lowyinstitute2024"].source.end_line == len(lines)  # type: ignore[union-attr]
    assert len(sample.failures) == 1
    header = sample.failures[0]
    assert (header.line, header.col) == (1, 1)
    assert header.raw.startswith("Provider: Example Reference Manager")
    assert "outside a RIS record" in header.reason


def test_unknown_tags_are_kept_in_order(sample: Bibliography) -> None:
    original = sample["easley2024"].extra["ris"]
    assert original["type"] == "JOUR"
    assert ["C1", "reviewed"] in original["tags"]
    assert ["DB", "Example DB"] in original["tags"]
    tags = [t for t, _ in original["tags"]]
    assert tags.index("C1") < tags.index("DB")


def test_round_trip_is_lossless(sample: Bibliography) -> None:
    written = dumps(sample, "ris")
    again = loads(written, "ris")
    assert again.failures == []
    assert [e.to_csl() for e in again] == [e.to_csl() for e in sample]
    assert dumps(again, "ris") == written
    assert "C1  - reviewed\nDB  - Example DB\n" in written
    assert "TI  - Enabling Pariahs: China’s Support of Myanmar, North Korea, and Russia\n" \
           "for Geopolitical Advantage\n" in written
    assert "ID  - easley2024" not in written  # keys made up when reading are not added as tags
    assert written.count("ER  - ") == 4


def test_a_changed_value_is_written_from_the_model() -> None:
    bib = load(SAMPLE)
    bib["easley2024"].page = "400-430"
    bib["easley2024"].title = "Short"
    written = dumps(bib, "ris")
    record = written[:written.index("ER  - ")]
    assert "SP  - 400\nEP  - 430\n" in record
    assert "TI  - Short\n" in record and "Geopolitical" not in record
    assert "C1  - reviewed" in record


def test_entries_from_other_formats() -> None:
    entry = Entry.from_csl({
        "id": "chun2024", "type": "post",
        "author": [{"family": "Chun", "given": "Chaesung"}, {"literal": "Global NK, Seoul"}],
        "title": "Strategic Crossroads", "container-title": "Global NK",
        "issued": {"date-parts": [[2024, 4, 15]]}, "page": "1–5",
        "URL": "https://www.globalnk.org/commentary/view?cd=COM000135",
        "keyword": "DPRK, ROK", "ISBN": "978-0-00-000000-0",
    })
    written = dumps(Bibliography(entries=[entry]), "ris")
    assert written.splitlines()[:4] == ["TY  - ELEC", "ID  - chun2024", "AU  - Chun, Chaesung",
                                        "AU  - Global NK Seoul"]
    assert "PY  - 2024\nDA  - 2024/04/15/\n" in written
    assert "SP  - 1\nEP  - 5\n" in written
    assert "KW  - DPRK\nKW  - ROK\n" in written
    assert written.endswith("ER  - \n")
    back = loads(written, "ris")[0]
    assert back.id == "chun2024"
    assert (back.title, back.container_title, back.url) == (
        entry.title, entry.container_title, entry.url)
    assert back.issued == Date(year=2024, month=4, day=15)
    assert back.page == "1-5"


def test_et_al_and_family_only_names_survive() -> None:
    entry = Entry(id="k", type="book", author=[Name(family="Suharto")], et_al=True)
    back = loads(dumps(Bibliography(entries=[entry]), "ris"), "ris")[0]
    assert back.author == [Name(family="Suharto")] and back.et_al


@pytest.mark.parametrize("text", ["", "\n\n", "ER  - \n", "TY  - \n", "TY  - JOUR\nER  - \n",
                                  "AU  - Orphan, Tag\n", "TY  - XYZ\nTI  - Odd type\nER  -",
                                  "TY  - JOUR\n  - broken\nPY  - notayear\nER  - \n",
                                  "\ufeffTY  - BOOK\r\nTI  - BOM and CRLF\r\nER  - \r\n"])
def test_odd_input_never_raises(text: str) -> None:
    bib = loads(text, "ris")
    dumps(bib, "ris")
    dumps(bib, "bibtex")
    dumps(bib, "csl-json")


def test_bom_crlf_and_unknown_type() -> None:
    bib = loads("\ufeffTY  - BOOK\r\nTI  - BOM and CRLF\r\nER  - \r\n", "ris")
    assert [(e.type, e.title) for e in bib] == [("book", "BOM and CRLF")]
    odd = loads("TY  - XYZ\nTI  - Odd type\nER  -", "ris")[0]
    assert odd.type == "document" and odd.extra["ris"]["type"] == "XYZ"
    assert "TY  - XYZ" in dumps(loads("TY  - XYZ\nTI  - Odd type\nER  -", "ris"), "ris")


def test_many_records_get_distinct_keys() -> None:
    record = "TY  - JOUR\nAU  - Kim, A\nPY  - 2024\nTI  - " + "word " * 50 + "\nER  - \n\n"
    bib = loads(record * 2000, "ris")
    assert len(bib) == 2000
    assert [e.id for e in bib][:3] == ["kim2024", "kim2024b", "kim2024c"]
    assert len({e.id for e in bib}) == 2000


def test_an_impossible_ris_date_keeps_its_year_and_zeros_are_unknown() -> None:
    from citekit.readers import loads as read

    bib = read("TY  - BOOK\nAU  - Smith, John\nTI  - Book\nPY  - 2019/13/01\nER  - \n\n"
               "TY  - BOOK\nAU  - Lee, Ann\nTI  - Book\nPY  - 2020/00/00/\nER  - \n", "ris")
    smith, lee = bib.entries
    assert (smith.year, smith.diagnostics["invalid-dates"]) == (2019, {"issued": "2019/13/01"})
    assert (lee.id, lee.year, "invalid-dates" in lee.diagnostics) == ("lee2020", 2020, False)
