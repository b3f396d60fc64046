"""Reading whole commentaries: reference section, splitting, dashes, fragments, metadata, citations."""

from __future__ import annotations

import pytest

from citekit.readers import load, loads


def test_seed_metadata_and_events(seed_000):
    bib = load(seed_000)
    doc = bib.document
    assert doc.title == "Waiting for Trump: North Korea's Interim Cold War 2.0 Strategy"
    assert (doc.date.year, doc.date.month, doc.date.day) == (2024, 6, 11)
    assert doc.authors == ["Leif-Eric EASLEY"]
    assert doc.references_line == 74
    easley2023 = bib.entries[3]
    assert (easley2023.source.line, easley2023.source.end_line) == (90, 92)
    assert easley2023.source.raw.startswith("______. 2023.")
    assert easley2023.source.raw.endswith("doi/10.1080/09512748.2022.2090594")
    codes = [ev.code for ev in easley2023.source.events]
    assert codes == ["repeated-author-dash", "stray-fragment"]
    assert "Easley, Leif-Eric" in easley2023.source.events[0].detail
    assert easley2023.source.events[1].line == 92


def test_seed_citations(seed_000):
    bib = load(seed_000)
    pairs = [(i.names, i.year) for c in bib.citations for i in c.items]
    assert len(pairs) == 15
    assert ("Kwak", "2023") in pairs and ("Lowy", "2024") in pairs
    assert ("Lee, et al.", "2023") in pairs and ("Ministry of Unification", "2024") in pairs
    kwak = next(c for c in bib.citations if c.items[0].names == "Kwak")
    line = seed_000.read_text(encoding="utf-8").split("\n")[kwak.line - 1]
    assert line[kwak.col - 1:].startswith("(Kwak 2023)")


def test_second_seed_has_no_reference_list(seed_002):
    bib = load(seed_002)
    assert bib.entries == [] and bib.failures == []
    assert bib.document.has_reference_list is False
    assert bib.document.authors == ["Seho Jang"]


def test_sample_commentary(sample_commentary):
    bib = load(sample_commentary)
    assert len(bib.entries) == 15 and not bib.failures
    assert bib.document.authors == ["Mina HARTLEY"]
    cited = {(i.names, i.year) for c in bib.citations for i in c.items}
    assert ("Kwak", "2023") in cited and ("Lowy", "2024") in cited
    multi = next(c for c in bib.citations if len(c.items) == 2 and c.items[0].names == "Chow and Easley")
    assert [i.names for i in multi.items] == ["Chow and Easley", "Easley and Chow"]


def test_one_reference_per_line_and_wrapped_lines():
    text = ("References\n"
            "Smith, John. 2020. \u201cFirst.\u201d Journal A, 1(2): 3-4.\n"
            "Jones, Kate. 2021. \u201cSecond, with a title long enough\n"
            "to wrap.\u201d Journal B, 5(6): 7-8.\n"
            "---. 2022. \u201cThird.\u201d Journal B, 6(1): 1-2.\n")
    bib = loads(text, "text")
    assert [e.title for e in bib.entries] == ["First", "Second, with a title long enough to wrap",
                                              "Third"]
    assert bib.entries[2].author[0].family == "Jones"
    assert (bib.entries[1].source.line, bib.entries[1].source.end_line) == (3, 4)


def test_section_ends_at_bio_and_footer():
    text = ("Title\n\nBody cites (Smith 2020).\n\nBibliography\n\n"
            "Smith, John. 2020. \u201cFirst.\u201d Journal A, 1(2): 3-4.\n\n"
            "Jane Doe (Ph.D., Example University) is a fellow at an institute.\n\n"
            "Typeset by: Someone\n")
    bib = loads(text, "commentary")
    assert len(bib.entries) == 1
    assert bib.document.references_line == 5


def test_nbsp_separated_references():
    text = "Works Cited\n\u00a0\nA, B. 2020. \u201cX.\u201d Y. https://a.org/\n\u00a0\nC, D. 2021. \u201cZ.\u201d W.\n"
    bib = loads(text, "commentary")
    assert [e.author[0].family for e in bib.entries] == ["A", "C"]


def test_a_text_that_is_only_a_reference_list_is_read_as_one() -> None:
    text = ("Smith, John. 2020. \u201cFirst.\u201d Journal A, 1(2): 3-4.\n\n"
            "Jones, Kate. 2021. \u201cSecond.\u201d Journal B, 5(6): 7-8.\n\n"
            "Butler, Judith. Gender Trouble. New York: Routledge, 1990.\n")
    bib = loads(text, "commentary")
    assert [e.title for e in bib.entries] == ["First", "Second", "Gender Trouble"]
    assert bib.document.has_reference_list and bib.citations == []


def test_prose_without_a_heading_is_not_a_reference_list() -> None:
    text = ("A Title About Trade\n\n"
            "In 2023, the region's trade grew faster than its output (Smith 2020), and the "
            "pattern held through the following year as new agreements took effect.\n\n"
            "Analysts disagree about the causes. Some point to prices; others, such as Jones "
            "(2021), to policy.\n")
    bib = loads(text, "commentary")
    assert bib.entries == [] and not bib.document.has_reference_list
    assert len(bib.citations) == 2


def test_short_prose_numbered_advice_and_chronologies_are_not_reference_lists() -> None:
    texts = [
        "The talks began in 2019.\n\nThey stalled in 2020.\n\nBoth sides blamed the other.\n",
        "1. Strengthen extended deterrence. Allies should plan together.\n"
        "2. Widen sanctions enforcement. Ports in the region matter most.\n"
        "3. Keep a channel open. Talks in 2018 showed what is possible.\n",
        "2017. The missile tests resumed.\n\n2018. Summits in Singapore and Hanoi.\n\n"
        "2019. The talks broke down.\n",
        "\u2022 March 2024: the exercise began.\n\u2022 April 2024: the balloons flew.\n",
    ]
    for text in texts:
        bib = loads(text, "commentary")
        assert bib.entries == [] and not bib.document.has_reference_list, text


def test_a_bare_mla_list_without_a_heading_is_a_list() -> None:
    text = ("Achebe, Chinua. Things Fall Apart. Anchor Books, 1994.\n"
            "Gilroy, Paul. The Black Atlantic: Modernity and Double Consciousness. Harvard UP, "
            "1993.\n"
            "Morrison, Toni. Beloved. New York: Alfred A. Knopf, 1987.\n")
    assert [e.title for e in loads(text, "commentary").entries] == [
        "Things Fall Apart", "The Black Atlantic: Modernity and Double Consciousness",
        "Beloved"]


def test_a_bare_list_of_two_books_ending_in_place_and_publisher_is_a_list() -> None:
    text = ("Smith, John. 2019. Book One. London: Pub.\n\n"
            "Lee, Ann. 2020. Other Book. New York: Example House.\n")
    assert [e.title for e in loads(text, "commentary").entries] == ["Book One", "Other Book"]
    # prose with a colon is still prose, and so are notes that look like "Place: Publisher."
    prose = ("Kim, the minister, spoke in 2019. The reply came: None.\n\n"
             "Park, his rival, answered in 2020. He said one thing: Wait.\n")
    assert loads(prose, "commentary").entries == []
    notes = ("Version History 2021. Summary: Faster startup.\n\n"
             "Release Notes 2022. Changes: Fewer bugs.\n\nRoadmap Plans 2023. Next: More speed.\n")
    assert loads(notes, "commentary").entries == []


@pytest.mark.parametrize("heading", ["Literaturverzeichnis", "Références", "Bibliografía",
                                     "참고문헌", "参考文献", "Select Bibliography:"])
def test_reference_headings_of_other_languages(heading: str) -> None:
    text = ("Ein Titel\n\nText with a citation (Kim 2020) in its body, and more words to make "
            f"it prose.\n\n{heading}\n\n"
            "Kim, Min. 2020. \"A Title.\" Korean Journal 3 (1): 1-10.\n")
    bib = loads(text, "commentary")
    assert bib.document.has_reference_list and [e.title for e in bib.entries] == ["A Title"]


def test_a_markdown_commentary() -> None:
    """"## References", bulleted references, *emphasis* and <autolinks> are Markdown, not data."""
    text = ("# A Sample Commentary\n\nSome claim (Adams 2020) and others (Brown 2021).\n\n"
            "## References\n\n"
            "- Adams, Jane. 2020. *Other Book*. London: Routledge.\n"
            "- Brown, Kim. 2021. \"A Title.\" **Journal of Things** 3 (2): 1\u201310. "
            "<https://doi.org/10.1234/abcd>\n")
    bib = loads(text, "commentary", "doc.md")
    assert [(e.title, e.container_title, e.doi, e.publisher) for e in bib.entries] == [
        ("Other Book", None, None, "Routledge"),
        ("A Title", "Journal of Things", "10.1234/abcd", None)]
    assert "*Other Book*" in bib.entries[0].source.raw  # the source keeps what was written
    assert len(bib.citations) == 2


@pytest.mark.parametrize("heading", ["## References", "**References**", "### Bibliography ###",
                                     "__Works Cited__"])
def test_markdown_headings(heading: str) -> None:
    from citekit.readers.commentary import is_reference_heading

    assert is_reference_heading(heading)


def test_a_list_in_parts_under_sub_headings() -> None:
    """"Quellen" (primary sources), then "Literatur": one list in two parts, each ordered on
    its own; the sub-heading is no entry, and a "Sources" head above prose is not the list."""
    import citekit

    text = ("Die Reform\n\nDie Quellen sind dünn (Reichstag 1871), die Forschung breit "
            "(Müller 2019; Schmidt 2020), mit vielen weiteren Arbeiten und Hinweisen dazu.\n\n"
            "Quellen\n\n"
            "Reichstag (1871): Stenographische Berichte. Berlin: Reichsdruckerei.\n\n"
            "Literatur\n\n"
            "Müller, Hans (2019): Die Reform. Berlin: Springer.\n\n"
            "Schmidt, Anna (2020): Das Reich. München: Beck.\n")
    bib = loads(text, "commentary")
    assert [e.id for e in bib.entries] == ["reichstag1871", "muller2019", "schmidt2020"]
    assert not citekit.check(bib, offline=True).codes()
    prose = ("A Title\n\nSources\n\nWe spoke to many officials in 2023, and their views shaped "
             "this text (Lee 2020).\n\nReferences\n\nLee, Ann. 2020. Book. London: Routledge.\n")
    assert loads(prose, "commentary").document.references_line == 7


def test_markdown_lazy_numbering_and_stars_that_are_not_emphasis() -> None:
    text = ("## References\n\n"
            "1. Smith, J.*, & Lee, K. (2019). Dunes. *Journal of Coasts*, 3, 1-2.\n"
            "1. Lee, A. (2020). Two. London: Routledge.\n"
            "1. Kim, B. (2021). Three. London: Routledge.\n")
    entries = loads(text, "commentary", "doc.md").entries
    assert [e.title for e in entries] == ["Dunes", "Two", "Three"]
    assert entries[0].container_title == "Journal of Coasts"
    assert [(n.family, n.given) for n in entries[0].author] == [("Smith", "J."), ("Lee", "K.")]


def test_markdown_lazy_numbers_count_as_shown_and_mixed_bullets_split() -> None:
    import citekit

    text = ("# Paper\n\nWork [1] and [2] and [3] agree on this, with enough words in the body "
            "to count as prose that cites.\n\n## References\n\n"
            "1. Smith, J. (2019). One. London: Routledge.\n"
            "1. Lee, A. (2020). Two. London: Routledge.\n"
            "1. Kim, B. (2021). Three. London: Routledge.\n")
    bib = loads(text, "commentary", "doc.md")
    assert [e.extra["citation-number"] for e in bib.entries] == ["1", "2", "3"]
    assert not set(citekit.check(bib, offline=True).codes()) & {
        "reference-numbering", "citation-missing-reference", "reference-uncited"}
    # in plain text the same number twice is a numbering error, not lazy numbering
    plain = loads(text, "commentary", "doc.txt")
    assert [e.extra["citation-number"] for e in plain.entries] == ["1", "1", "1"]
    mixed = ("## References\n\n* Lee, A. (2020). Two. London: Routledge.\n"
             "- Kim, B. (2021). Three. London: Routledge.\n")
    assert [e.title for e in loads(mixed, "commentary", "doc.md").entries] == ["Two", "Three"]


def test_primary_and_secondary_sources_headings() -> None:
    from citekit.readers.commentary import is_reference_heading

    assert is_reference_heading("Primary Sources") and is_reference_heading("Secondary Sources")


def test_a_title_line_above_a_bare_list_is_no_entry() -> None:
    text = ("Reading list for week 3\n\nSmith, John. 2019. Book One. London: Routledge.\n\n"
            "Lee, Ann. 2020. Other Book. New York: Example House.\n\n"
            "Kim, Bo. 2021. Third Book. Seoul: Pub.\n")
    assert [e.title for e in loads(text, "commentary").entries] == [
        "Book One", "Other Book", "Third Book"]
