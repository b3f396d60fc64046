"""parse_reference: the author-date parser for author-date strings, the tagger for the rest."""

from __future__ import annotations

import pytest

from citekit import loads, parse_reference


def test_author_date_strings_use_the_structural_parser():
    e = parse_reference("Kwak, Yeon-soo. 2024. \u201cGlobal Rise of Korean Soft Power.\u201d Korea Times. "
                        "January 3. https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html")
    assert e.diagnostics["parser"] == "author-date"
    assert e.url == "https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html"  # as written


def test_numbered_ieee_string_uses_the_tagger():
    e = parse_reference("[1] J. Smith and K. Jones, \u201cDeep parsing of references,\u201d IEEE Trans. "
                        "Pattern Anal., vol. 12, no. 3, pp. 45\u201367, 2019.")
    assert e.diagnostics["parser"] == "tagger"
    assert [n.family for n in e.author] == ["Smith", "Jones"]
    assert e.title == "Deep parsing of references"
    assert (e.volume, e.issue, e.year) == ("12", "3", 2019)
    assert "parse-confidence" not in e.to_csl() and "parser" not in e.to_csl()


def test_mla_book_uses_the_tagger():
    e = parse_reference("Smith, John. The Title of the Book. Penguin, 2019.")
    assert e.diagnostics["parser"] == "tagger"
    assert e.author[0].family == "Smith" and e.year == 2019
    assert e.title == "The Title of the Book"


def test_text_reader_handles_a_numbered_list():
    text = ("1. Smith J, Jones KL. Trial of a drug. N Engl J Med. 2001;345(3):123-9.\n"
            "2. Lee A. Another trial. Lancet. 2010;375(9):10-20.\n")
    bib = loads(text, "text")
    assert len(bib.entries) == 2 and not bib.failures
    assert [e.year for e in bib.entries] == [2001, 2010]
    assert bib.entries[1].source.line == 2


@pytest.mark.parametrize("text, expected", [
    ("Putnam, R. D. (2000). Bowling alone: The collapse and revival of American community. "
     "Simon & Schuster.", {"type": "book", "publisher": "Simon & Schuster"}),
    ("Brown, L. (2018). Climate politics in Asia (2nd ed.). Oxford University Press.",
     {"type": "book", "title": "Climate politics in Asia", "edition": "2nd"}),
    ("Cha, Victor. 2012. The Impossible State. New York: Ecco.",
     {"type": "book", "publisher": "Ecco", "publisher-place": "New York"}),
])
def test_books_without_links_go_to_the_tagger(text: str, expected: dict) -> None:
    entry = parse_reference(text)
    assert entry.diagnostics["parser"] == "tagger"
    item = entry.to_csl()
    assert {k: item.get(k) for k in expected} == expected


def test_an_edited_book_names_its_editors() -> None:
    item = parse_reference("Park, J., & Choi, M. (Eds.). (2019). Handbook of Korean politics. "
                           "Palgrave Macmillan.").to_csl()
    assert item["editor"] == [{"family": "Park", "given": "J."}, {"family": "Choi", "given": "M."}]
    assert "author" not in item


@pytest.mark.parametrize("text, author", [
    ("Ministry of Unification. 2024. 2024 Unification White Paper. Seoul: Ministry of "
     "Unification.", "Ministry of Unification"),
    ("International Crisis Group. 2021. Korea Report. Brussels: International Crisis Group.",
     "International Crisis Group"),
])
def test_an_organisation_author_of_a_book_stays_the_author(text: str, author: str) -> None:
    entry = parse_reference(text)
    assert [n.literal for n in entry.author] == [author]
    assert entry.title and entry.confidence >= 0.9


def test_an_edited_book_the_tagger_misreads_keeps_the_structural_reading() -> None:
    entry = parse_reference("Smith, J. A., & Jones, B. (Eds.). (2015). The handbook of alliance "
                            "politics (2nd ed.). Oxford University Press.")
    assert entry.title and entry.title.startswith("The handbook of alliance politics")
    assert [n.family for n in entry.editor] == ["Smith", "Jones"] and not entry.author
    assert entry.publisher == "Oxford University Press"
