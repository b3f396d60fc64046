"""In-text citation extraction."""

from __future__ import annotations

from citekit.parse.citations import extract_citations


def items(text):
    return [(i.names, i.year, i.locator, i.prefix) for c in extract_citations([text]) for i in c.items]


def test_simple_and_multiple():
    assert items("as argued (Easley 2017; Kim 2024).") == [("Easley", "2017", None, None),
                                                          ("Kim", "2024", None, None)]


def test_locators_prefixes_and_year_lists():
    assert items("(see Easley 2017, 12; Easley 2023; 2024)") == [
        ("Easley", "2017", "12", "see"), ("Easley", "2023", None, None), ("Easley", "2024", None, None)]
    assert items("(Lee 2023a, 2023b)") == [("Lee", "2023a", None, None), ("Lee", "2023b", None, None)]


def test_narrative():
    assert items("Ha and Kim (2024) disagree.") == [("Ha and Kim", "2024", None, None)]


def test_narrative_year_lists_and_locators():
    # two years after one name cite two works; a short number after the year is a page
    assert items("Park (2020, 2021) disagrees.") == [("Park", "2020", None, None),
                                                     ("Park", "2021", None, None)]
    assert items("Lee et al. (2019a, 2019b, 12-14) say") == [
        ("Lee et al.", "2019a", "12-14", None), ("Lee et al.", "2019b", "12-14", None)]
    assert items("Ha and Kim (2024, 3) disagree.") == [("Ha and Kim", "2024", "3", None)]
    # APA's "Kim (2020, in press)" cites two works of Kim's: one of 2020, one in press
    assert items("Kim (2020, in press) says") == [("Kim", "2020", None, None),
                                                  ("Kim", "in press", None, None)]


def test_not_citations():
    assert items("the gross domestic product (GDP) in 2022 (in 2022) (1991-2000)") == []


def test_position_is_line_and_column():
    cites = extract_citations(["first line", "x (Kwak 2023) y"], first_line=10)
    assert (cites[0].line, cites[0].col) == (11, 3)


def numbers(text):
    return [(i.number, i.col) for c in extract_citations([text]) for i in c.items]


def test_numeric_citations_lists_and_ranges():
    assert numbers("help [1], and [2], [3]; see [2-4] and [1; 7\u20139].") == [
        (1, 7), (2, 16), (3, 21), (2, 30), (3, 30), (4, 30), (1, 40), (7, 43), (8, 43), (9, 43)]
    # a bracketed year and a bracket inside a link are no citations; a huge range gives its ends
    assert numbers("first published [1998], see https://x.org/a[1]") == []
    assert numbers("[1-900]") == [(1, 2), (900, 2)]


def test_brackets_that_cite_nothing():
    # an interval, a Markdown reference link and its definition
    assert numbers("normalise inputs to the interval [0, 1] first") == []
    assert numbers("see the [project page][3] for more") == []
    assert numbers("[3]: https://example.org/project") == []
    assert numbers("as shown [3]: the text goes on") == [(3, 11)]


def test_more_brackets_that_cite_nothing_and_slashed_narrative_names():
    assert numbers("and [3](https://x.org/3). the array `a[4]` holds it, as does b[5]") == []
    assert items("Auch Braun/Klein (2018) zeigen das.") == [("Braun/Klein", "2018", None, None)]


def test_mla_author_page_citations_of_the_lists_names() -> None:
    from citekit.parse.citations import extract_author_page_citations

    names = ["Ministry of Unification", "Kim and Lee", "Cha et al.", "Cha", "Park"]
    lines = ["Trust moved (Cha 45) and (Kim and Lee 620-22; Park).",
             "A report agrees (Ministry of Unification 14), as does (see Cha, Impossible 3).",
             "Not citations: (Seoul 2020), (Cha and friends), (45), (Table 2); a name the "
             "list lacks (Lee 4) is read, for the check to report."]
    found = extract_author_page_citations(lines, names)
    items = [(i.names, i.locator, i.title, i.prefix, i.line) for c in found for i in c.items]
    assert items == [("Cha", "45", None, None, 1), ("Kim and Lee", "620-22", None, None, 1),
                     ("Park", None, None, None, 1),
                     ("Ministry of Unification", "14", None, None, 2),
                     ("Cha", "3", "Impossible", "see", 2), ("Lee", "4", None, None, 3)]
    assert found[0].col == lines[0].index("(Cha") + 1


def test_endnotes_cite_the_lists_authors_and_ibid_repeats() -> None:
    from citekit.parse.citations import extract_note_citations

    lines = ["1. Victor Cha, The Impossible State: North Korea (New York: Ecco, 2012), 45.",
             "2. Ibid., 50.", "", "3. Jae-hyun Park, \u201cAlliance Burden-Sharing Revisited,\u201d "
             "Journal of East Asian Studies 21 (2021): 420.",
             "4. Bruce Cumings, Korea's Place in the Sun (New York: Norton, 2005), 12.",
             "5. The author thanks the editors."]
    found = extract_note_citations(lines, ["Cha", "Park"], first_line=10)
    got = [(c.line, [(i.names, i.title) for i in c.items]) for c in found]
    assert found[0].items[0].col == lines[0].index("Cha") + 1
    assert [i.note for c in found for i in c.items] == [1, 2, 3, 4]
    assert got == [(10, [("Cha", "The Impossible State: North Korea")]),
                   (11, [("Cha", "The Impossible State: North Korea")]),
                   (13, [("Park", "Alliance Burden-Sharing Revisited")]),
                   (14, [("Bruce Cumings", None)])]


def test_endnotes_give_the_pages_they_cite() -> None:
    from citekit.parse.citations import extract_note_citations

    lines = ["1. Andrew Erickson and Conor Kennedy, \u201cChina's Maritime Militia,\u201d CNA, "
             "March 7, 2016, 4.",
             "2. Ryan Martinson, Echelon Defense (Newport, RI: Naval War College Press, 2018), 55\u201358.",
             "3. Ibid., 12.", "4. Ibid.",
             "5. James Kraska, \u201cThe Law of Naval Warfare,\u201d International Law Studies 91 "
             "(2015): 450\u2013467, 455.",
             "6. James Kraska, \u201cThe Law of Naval Warfare,\u201d International Law Studies 91 "
             "(2015): 450\u2013467.",
             "7. Erickson, \u201cMaritime Militia,\u201d 6; Martinson, Echelon Defense, pp. 60-61.",
             "8. Erickson, Korea Times, May 3, 2024."]
    found = extract_note_citations(lines, ["Erickson", "Martinson", "Kraska"])
    got = [(i.note, i.names, i.locator) for c in found for i in c.items]
    # a year is no page; a journal article's own range follows a colon; "Ibid." alone repeats
    # the place of the note before, "Ibid., 12." gives its own
    assert got == [(1, "Erickson", "4"), (2, "Martinson", "55\u201358"), (3, "Martinson", "12"),
                   (4, "Martinson", "12"), (5, "Kraska", "455"), (6, "Kraska", None),
                   (7, "Erickson", "6"), (7, "Martinson", "pp. 60-61"), (8, "Erickson", None)]


def test_a_citation_wrapped_over_two_lines() -> None:
    lines = ["studies argue that politics matter (Kim & Lee, 2019;", "  Park, 2020). More (Cha",
             "2012) here."]
    found = extract_citations(lines)
    items = [(i.names, i.year, i.line, i.col) for c in found for i in c.items]
    assert items == [("Kim & Lee", "2019", 1, lines[0].index("Kim") + 1), ("Park", "2020", 2, 3),
                     ("Cha", "2012", 2, lines[1].index("Cha") + 1)]
    assert [c.raw for c in found] == ["(Kim & Lee, 2019; Park, 2020)", "(Cha 2012)"]


def test_a_parenthesis_opened_at_a_lines_end() -> None:
    lines = ["as argued again (", "  Garcia 2018) and more."]
    found = extract_citations(lines)
    assert [(i.names, i.line, i.col) for c in found for i in c.items] == [
        ("Garcia", 2, lines[1].index("Garcia") + 1)]


def test_ieee_ranges_of_bracketed_numbers() -> None:
    found = extract_citations(["thin [4]-[6], see [2], [3] and [7]\u2013[9]; not a[1]-[2]."])
    assert [(c.raw, [i.number for i in c.items]) for c in found] == [
        ("[4]-[6]", [4, 5, 6]), ("[2]", [2]), ("[3]", [3]), ("[7]\u2013[9]", [7, 8, 9])]


def test_narrative_years_separated_by_semicolons() -> None:
    assert items("as does the Commission (2021a; 2021b) and Park (2020, 12).") == [
        ("Commission", "2021a", None, None), ("Commission", "2021b", None, None),
        ("Park", "2020", "12", None)]


def test_undated_words_in_any_case() -> None:
    assert items("(Baker, In press; Gray, Forthcoming; Lee, N.d.) and Kim (In press)") == [
        ("Baker", "in press", None, None), ("Gray", "forthcoming", None, None),
        ("Lee", "n.d.", None, None), ("Kim", "in press", None, None)]
