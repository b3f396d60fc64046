"""Names, dates and tokens: the pieces the tagger's field mapping is built from."""

from __future__ import annotations

import pytest

from citekit.parse.tagger.fields import parse_date
from citekit.parse.names import parse_names
from citekit.parse.tagger.tokens import tokenize


def as_pairs(text: str) -> list[tuple[str | None, str | None]]:
    return [(n.family, n.given) for n in parse_names(text, natural=True)[0]]


@pytest.mark.parametrize("text, expected", [
    ("Chow, Jonathan T. and Leif-Eric Easley.", [("Chow", "Jonathan T."), ("Easley", "Leif-Eric")]),
    ("Moreno, C., Patel, D., & Dixon, C.", [("Moreno", "C."), ("Patel", "D."),
                                              ("Dixon", "C.")]),
    ("J. P. Collman, J. I. Brauman et T. J. Collins", [("Collman", "J. P."), ("Brauman", "J. I."),
                                                     ("Collins", "T. J.")]),
    # Vancouver initials are written as CSL initials, as for the author-date parser.
    ("Smith JA, Jones B", [("Smith", "J. A."), ("Jones", "B.")]),
    ("Arriaga, Rose I.; Fenson, Larry; & Pethick, Stephen J.",
     [("Arriaga", "Rose I."), ("Fenson", "Larry"), ("Pethick", "Stephen J.")]),
    ("Beck, Ulrich, Anthony Giddens, and Scott Lash.", [("Beck", "Ulrich"), ("Giddens", "Anthony"),
                                                       ("Lash", "Scott")]),
    ("Lee, K.-H.", [("Lee", "K.-H.")]),
])
def test_names_are_split_into_family_and_given(text: str, expected: list) -> None:
    assert as_pairs(text) == expected


def test_et_al_is_flagged_and_dropped() -> None:
    names, et_al = parse_names("Vaswani, A., Shazeer, N., et al.", natural=True)
    assert et_al is True
    assert [n.family for n in names] == ["Vaswani", "Shazeer"]


def test_particles_and_suffixes() -> None:
    names, _ = parse_names("van der Berg, Jan and Ludwig van Beethoven", natural=True)
    assert (names[0].non_dropping_particle, names[0].family, names[0].given) == \
        ("van der", "Berg", "Jan")
    assert (names[1].non_dropping_particle, names[1].family) == ("van", "Beethoven")
    king, _ = parse_names("King, Martin Luther, Jr.", natural=True)
    assert (king[0].family, king[0].given, king[0].suffix) == ("King", "Martin Luther", "Jr.")


def test_organisations_stay_literal() -> None:
    names, _ = parse_names("World Health Organization.", natural=True)
    assert names[0].literal == "World Health Organization"


def test_editor_roles_are_removed() -> None:
    assert as_pairs("In O. Ashenfelter and D. Card (Eds.),") == [("Ashenfelter", "O."),
                                                               ("Card", "D.")]


def test_shared_family_name_and_repeated_initials() -> None:
    # Two given names sharing one family name; role lead-ins of every kind are dropped.
    assert as_pairs("Translated by Willa and Edwin Muir; revised by E. M. Butler.") == \
        [("Muir", "Willa"), ("Muir", "Edwin"), ("Butler", "E. M.")]
    # A lone first word of an author-date head is a family name, not a given name.
    assert [(n.family, n.given) for n in parse_names("Smith and John Jones")[0]] == \
        [("Smith", None), ("Jones", "John")]
    assert as_pairs("Plato and Aristotle") == [("Plato", None), ("Aristotle", None)]
    # Initials written again after a natural-order name are not a name of their own.
    assert as_pairs("Kamber, M. and R. Shinghal, R.") == [("Kamber", "M."), ("Shinghal", "R.")]
    assert as_pairs("L.-Y. Chiang, P. Coles, P. and P. Naselsky") == \
        [("Chiang", "L.-Y."), ("Coles", "P."), ("Naselsky", "P.")]


@pytest.mark.parametrize("text, parts", [
    ("(2011).", (2011, None, None)),
    ("December 1993.", (1993, 12, None)),
    ("April 15, 2024", (2024, 4, 15)),
    ("15 juin 2001", (2001, 6, 15)),
    ("2020-03-07", (2020, 3, 7)),
    ("(1991b).", (1991, None, None)),
])
def test_dates_become_date_parts(text: str, parts: tuple) -> None:
    d = parse_date(text)
    assert (d.year, d.month, d.day) == parts


def test_undated_is_literal() -> None:
    assert parse_date("n.d.").literal == "n.d."


def test_tokens_keep_offsets_and_split_volume_issue_pages() -> None:
    text = "Policy, 40(4): 502-525. https://doi.org/10.1080/1352(2019)x"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["Policy,", "40", "(4):", "502-525.",
                                      "https://doi.org/10.1080/1352(2019)x"]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_tokens_split_at_any_whitespace_and_stop_at_the_length_cap() -> None:
    from citekit.parse.tagger.tokens import MAX_CHARS

    text = "  Smith,\u00a0J.\tA.\u2003(2010).\n\x1cTitle  title\u3000Smith, "
    toks = tokenize(text)
    assert [t.text for t in toks] == ["Smith,", "J.", "A.", "(2010).", "Title", "title",
                                      "Smith,"]
    assert all(text[t.start:t.end] == t.text for t in toks)
    long = "word " * (MAX_CHARS // 5 - 1) + "abcdefghij"  # the last word crosses the cap
    toks = tokenize(long)
    assert toks[-1].text == "abcde" and toks[-1].end == MAX_CHARS
    assert all(long[t.start:t.end] == t.text for t in toks)


def test_a_series_letter_written_onto_its_volume_is_its_own_token() -> None:
    text = "Phys. Rev. D53, 1234; Nucl.Phys.B143,1 Lett.66 Science356, H1N1 www.a.org/B12"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["Phys.", "Rev.", "D", "53,", "1234;", "Nucl.Phys.B", "143,",
                                      "1", "Lett.", "66", "Science", "356,", "H1N1",
                                      "www.a.org/B12"]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_month_and_day_without_year_are_kept() -> None:
    d = parse_date("April 15.")
    assert (d.year, d.month, d.day) == (None, 4, 15)
    assert parse_date("Spring").season == 1
    assert parse_date("forthcoming").literal == "forthcoming"


def test_a_given_name_that_looks_like_a_role_is_kept() -> None:
    assert as_pairs("Ed Smith and Tr Nguyen") == [("Smith", "Ed"), ("Nguyen", "Tr")]
    assert as_pairs("Smith, J. (Ed.),") == [("Smith", "J.")]
    assert as_pairs("A. Smith and B. Jones, eds.") == [("Smith", "A."), ("Jones", "B.")]


def test_name_pattern_hints_pass_every_text_their_pattern_matches() -> None:
    """The cheap tests run before the name-list patterns must never skip a match."""
    from citekit.parse import names

    texts = ["Smith, J. et al.", "Smith J, Jones K, et al", "A. Smith and others", "Müller u. a.",
             "Dupont et autres", "ET AL.", "Smith & Jones", "Smith und Meyer", "García y López",
             "Rossi e Bianchi", "Smith AND Jones", "Smith (Ed.)", "Smith (eds.)", "Jones, éd.",
             "edited by A. B.", "Hrsg. Meyer", "trans. B. C.", "A. (Dir.)", "B. (coord.)",
             "C. comp.", "Smith, J.", "Lee JA, Park M", "Étienne, É.", "Y. Kim", "E. Li"]
    for text in texts:
        for pattern, hint in ((names._ET_AL, names._ET_AL_HINT), (names._ROLE, names._ROLE_HINT),
                              (names._CONJ, names._conj_hint)):
            if pattern.search(text):
                assert hint(text), (text, pattern.pattern)


def test_decoration_hints_agree_with_the_hint_patterns() -> None:
    """The ASCII fast path of the name grammar's hints gives what the patterns give."""
    from citekit.parse import names

    texts = ["Smith, J. et al.", "Smith J, Jones K, ET AL", "A. Smith and Others", "Mayer u. a.",
             "Dupont et autres", "Peter Bennett", "Smith (Ed.)", "Smith (EDS.)", "Hrsg. Meyer",
             "edited by A. B.", "TRANS. B. C.", "A. (Dir.)", "B. (coord.)", "C. comp.",
             "Lee JA, Park M", "Y. Kim", "Fred Edwards", "Coordinating Group", "Kim", "",
             "Jones, éd.", "Étienne, É. et al."]
    for text in texts:
        et_al, role = names._decoration_hints(text)
        assert et_al == (names._ET_AL_HINT(text) is not None), text
        full = bool(("." in text or ")" in text or names._ROLE_WORD.search(text))
                    and names._ROLE_HINT(text))
        assert role == full or (role and not text.isascii()), text
    for text in texts + ["García y López", "Rossi e Bianchi", "A\ty\tB", "Smith AND Jones",
                         "Meyer UND Schulz", "Lee & Park", "E. Li"]:
        assert names._conj_hint(text) == (names._CONJ_HINT_SEARCH(text) is not None), text


def test_initials_and_their_quick_rejections() -> None:
    """Words with a lower-case letter first, or second without a full stop, are no initials;
    the rest still go through the pattern."""
    from citekit.parse import names

    for word in ("C.", "J. T.", "L.-E.", "Ch.", "JT", "J", "Ø.", "JR"):
        assert names._is_initials(word), word
    for word in ("Smith", "Ch", "van", "jr", "Jr.", "ab.", "Ab", "", "Smith-Jones"):
        assert not names._is_initials(word), word


def test_dates_kept_per_text_are_new_objects_each_time() -> None:
    """A span's date is kept per text; every entry still gets its own Date to change."""
    from citekit.parse.tagger.fields import _parse_date_cached

    first = _parse_date_cached("(2010, April 15).")
    assert (first.year, first.month, first.day) == (2010, 4, 15)
    first.month = None
    again = _parse_date_cached("(2010, April 15).")
    assert again is not first and (again.year, again.month, again.day) == (2010, 4, 15)
    assert again == parse_date("(2010, April 15).")


def _spans(text: str, labelled: list[tuple[str, str]]):
    from citekit.parse.tagger.fields import Span

    out, at = [], 0
    for label, piece in labelled:
        start = text.index(piece, at)
        out.append(Span(label, start, start + len(piece), piece, 0.9))
        at = start + len(piece)
    return out


@pytest.mark.parametrize("volume, expected", [
    ("no. 1,", (None, "1")),          # MLA, an issue with no volume, tagged as the volume
    ("vol. 41, no. 2,", ("41", "2")),  # volume and issue in one span
    ("Nr. 7", (None, "7")),
    ("nos. 3-4,", (None, "3-4")),     # "nos", not "no" and then "s."
    ("Numéro 5,", (None, "5")),
    ("2 vols.", (None, None)),        # how many volumes (number-of-volumes), not which
    ("vol. 12", ("12", None)),
    ("12(3):", ("12", "3")),
])
def test_issue_words_inside_a_volume_span_give_the_issue(volume: str, expected: tuple) -> None:
    from citekit.parse.tagger.fields import entry_from_spans

    text = f"Said, Edward W. \u201cA Title.\u201d Cultural Critique, {volume} 1985, pp. 89\u2013107."
    entry = entry_from_spans(text, _spans(text, [
        ("author", "Said, Edward W."), ("title", "\u201cA Title.\u201d"),
        ("container-title", "Cultural Critique,"), ("volume", volume), ("date", "1985,"),
        ("pages", "pp. 89\u2013107.")]))
    assert (entry.volume, entry.issue) == expected
    assert entry.page == "89\u2013107"
    assert ("issue" in entry.extra["parse-confidence"]) == (expected[1] is not None)


@pytest.mark.parametrize("container, expected", [
    ("Advances in Neural Information Processing Systems", "paper-conference"),
    ("Proc. IEEE Conf. Comput. Vis. Pattern Recognit. (CVPR)", "paper-conference"),
    ("Annual Meeting of the Association for Computational Linguistics", "paper-conference"),
    ("Journal of Documentation", "article-journal"),
    ("Colloquium Mathematicum", "article-journal"),
    ("ACM SIGIR Forum", "article-journal"),   # a conference's acronym naming a periodical
    ("AAAI Magazine", "article-journal"),
])
def test_conference_containers_give_paper_conference(container: str, expected: str) -> None:
    from citekit.model import Entry
    from citekit.parse.tagger.fields import infer_type

    assert infer_type(Entry(container_title=container, volume="30", page="1-9")) == expected


def test_kept_dates_are_copied_field_by_field() -> None:
    """_parse_date_cached copies a Date by naming its fields; a new field must be added there."""
    import dataclasses

    from citekit.model import Date
    from citekit.parse.tagger.fields import _parse_date_cached

    assert [f.name for f in dataclasses.fields(Date)] == [
        "year", "month", "day", "season", "circa", "literal"]
    for text in ("(2010, April 15).", "c. 1850", "n.d.", "Spring 2001", "in press"):
        assert _parse_date_cached(text) == parse_date(text)


def test_a_count_of_volumes_is_number_of_volumes() -> None:
    from citekit.parse.tagger import parse

    entry = parse("Bloch, Marc. La soci\u00e9t\u00e9 f\u00e9odale. 2 vols. Paris: Albin Michel, 1939.")
    assert entry.volume is None
    assert entry.to_csl()["number-of-volumes"] == "2"
    assert entry.publisher == "Albin Michel" and entry.publisher_place == "Paris"


def test_a_family_name_of_several_words_before_one_given_name() -> None:
    names = parse_names("Le Roy Ladurie, Emmanuel, and Jacques Le Goff", natural=True)[0]
    assert [(n.family, n.given) for n in names] == [("Le Roy Ladurie", "Emmanuel"),
                                                    ("Le Goff", "Jacques")]
    # A natural-order list keeps its order: two words after the comma are a second name.
    assert as_pairs("John Smith, Mary Jones") == [("Smith", "John"), ("Jones", "Mary")]


def _entry_of(text: str, parts: list[tuple[str, str]]):
    """entry_from_spans over hand-made spans: each (label, text) found in ``text`` in order."""
    from citekit.parse.tagger.fields import Span, entry_from_spans

    spans, at = [], 0
    for label, part in parts:
        start = text.index(part, at)
        at = start + len(part)
        spans.append(Span(label, start, at, part, 0.9))
    return entry_from_spans(text, spans)


def test_ieee_report_fields() -> None:
    """IEEE's quoted title that runs on to its publisher, "Tech. Rep.", "[Online]" and
    "Available:" before the link."""
    text = ('World Health Organization, "Global tuberculosis report 2023," WHO, Geneva, '
            "Switzerland, Tech. Rep., 2023. [Online]. Available: https://www.who.int/x/1")
    entry = _entry_of(text, [
        ("author", "World Health Organization,"),
        ("title", '"Global tuberculosis report 2023," WHO,'),
        ("location", "Geneva, Switzerland,"), ("genre", "Tech. Rep.,"), ("date", "2023."),
        ("genre", "[Online]."), ("url", "Available: https://www.who.int/x/1")])
    assert entry.title == "Global tuberculosis report 2023"
    assert entry.publisher == "WHO" and entry.publisher_place == "Geneva, Switzerland"
    assert entry.extra["genre"] == "Tech. Rep." and entry.type == "report"
    assert entry.url == "https://www.who.int/x/1"


def test_a_quoted_title_with_a_publisher_span_keeps_its_tail() -> None:
    text = '"A title," more words, Pub, 2020.'
    entry = _entry_of(text, [("title", '"A title," more words,'), ("publisher", "Pub,"),
                             ("date", "2020.")])
    assert entry.publisher == "Pub" and "more words" in entry.title


def test_an_mla_editor_list_does_not_swallow_the_publisher() -> None:
    text = ('Spivak, Gayatri. "Can the Subaltern Speak?" Marxism and Culture, edited by Cary '
            "Nelson and Lawrence Grossberg, U of Illinois P, 1988, pp. 271-313.")
    entry = _entry_of(text, [
        ("author", "Spivak, Gayatri."), ("title", '"Can the Subaltern Speak?"'),
        ("container-title", "Marxism and Culture,"),
        ("editor", "edited by Cary Nelson and Lawrence Grossberg, U of Illinois P,"),
        ("date", "1988,"), ("pages", "pp. 271-313.")])
    assert [(n.family, n.given) for n in entry.editor] == [("Nelson", "Cary"),
                                                           ("Grossberg", "Lawrence")]
    assert entry.publisher == "U of Illinois P" and entry.type == "chapter"
    # "and B, eds." is a role word, not a publisher
    text = "Lee, Ann, and Bo Kim, eds. Title. 2001."
    entry = _entry_of(text, [("editor", "Lee, Ann, and Bo Kim, eds."), ("title", "Title."),
                             ("date", "2001.")])
    assert entry.publisher is None and len(entry.editor) == 2


def test_an_abbreviated_journal_keeps_its_last_full_stop() -> None:
    text = "A. Kumar, \"Graphs,\" IEEE Trans. Intell. Transp. Syst., vol. 23, 2022."
    entry = _entry_of(text, [("author", "A. Kumar,"), ("title", '"Graphs,"'),
                             ("container-title", "IEEE Trans. Intell. Transp. Syst.,"),
                             ("volume", "vol. 23,"), ("date", "2022.")])
    assert entry.container_title == "IEEE Trans. Intell. Transp. Syst."
    entry = _entry_of("Smith, J. Title. Journal of Things. 2020.",
                      [("author", "Smith, J."), ("title", "Title."),
                       ("container-title", "Journal of Things."), ("date", "2020.")])
    assert entry.container_title == "Journal of Things"


def test_german_slash_separated_name_lists() -> None:
    assert as_pairs("Schmidt, Anna/Weber, Karl") == [("Schmidt", "Anna"), ("Weber", "Karl")]
    assert as_pairs("Schmidt, A./Weber, K./Braun, L.") == [("Schmidt", "A."), ("Weber", "K."),
                                                          ("Braun", "L.")]
    # without inverted names on both sides a slash is part of a name
    assert [(n.family, n.literal) for n in parse_names("AC/DC")[0]] == [("AC/DC", None)]
    assert len(parse_names("Arbeitskreis Umwelt/Energie, Berlin")[0]) == 1


def test_an_edition_tagged_as_a_note_is_the_edition() -> None:
    text = "Adams, D. (2018) Governing the seas. 2nd edn. Cambridge: CUP."
    entry = _entry_of(text, [("author", "Adams, D."), ("date", "(2018)"),
                             ("title", "Governing the seas."), ("note", "2nd edn."),
                             ("location", "Cambridge:"), ("publisher", "CUP.")])
    assert entry.extra["edition"] == "2nd" and entry.note is None


def test_a_proceedings_place_is_the_event_place() -> None:
    text = 'J. Park, "Sensing," in Proc. ICASSP, Seoul, South Korea, 2024, pp. 1-5.'
    entry = _entry_of(text, [("author", "J. Park,"), ("title", '"Sensing,"'),
                             ("container-title", "in Proc. ICASSP, Seoul, South Korea,"),
                             ("date", "2024,"), ("pages", "pp. 1-5.")])
    assert (entry.type, entry.container_title, entry.extra["event-place"]) == (
        "paper-conference", "Proc. ICASSP", "Seoul, South Korea")
    text = 'K. He, "Deep," in Proc. IEEE Conf. Recognit., Las Vegas, NV, USA, 2016, pp. 7-8.'
    entry = _entry_of(text, [("author", "K. He,"), ("title", '"Deep,"'),
                             ("container-title", "in Proc. IEEE Conf. Recognit., Las Vegas,"),
                             ("location", "NV, USA,"), ("date", "2016,"), ("pages", "pp. 7-8.")])
    # (the place is given as the publisher's place too: styles print one or the other)
    assert (entry.container_title, entry.extra["event-place"], entry.publisher_place) == (
        "Proc. IEEE Conf. Recognit.", "Las Vegas, NV, USA", "Las Vegas, NV, USA")
    # a proceedings' publisher and its place stay where they are
    text = ("Smith, J. (2019). Parsing. In Proceedings of the Annual Meeting of the Association "
            "for Computational Linguistics. Florence, Italy: ACL.")
    entry = _entry_of(text, [
        ("author", "Smith, J."), ("date", "(2019)."), ("title", "Parsing."),
        ("container-title", "In Proceedings of the Annual Meeting of the Association for "
                            "Computational Linguistics."),
        ("location", "Florence, Italy:"), ("publisher", "ACL.")])
    assert entry.publisher_place == "Florence, Italy" and "event-place" not in entry.extra


def test_chicago_issue_with_its_month_doi_links_and_abbreviated_editions() -> None:
    text = 'Kim, D. "Destiny?" Foreign Affairs 73, no. 6 (November 1994): 189-94.'
    entry = _entry_of(text, [("author", "Kim, D."), ("title", '"Destiny?"'),
                             ("container-title", "Foreign Affairs"), ("volume", "73,"),
                             ("issue", "no. 6 (November"), ("date", "1994):"),
                             ("pages", "189-94.")])
    assert (entry.issue, entry.issued.year, entry.issued.month) == ("6", 1994, 11)
    text = 'Kim, D. "Destiny?" Foreign Affairs 73, no. 6 (November/December 1994): 189-94.'
    entry = _entry_of(text, [("author", "Kim, D."), ("title", '"Destiny?"'),
                             ("container-title", "Foreign Affairs"), ("volume", "73,"),
                             ("issue", "no. 6 (November/December"), ("date", "1994):")])
    assert (entry.issue, entry.issued.month) == ("6", None)  # a range of months: the year only
    entry = _entry_of("J. Med. 4, no. 2 (Suppl): 1-2. 2001.",
                      [("container-title", "J. Med."), ("volume", "4,"),
                       ("issue", "no. 2 (Suppl):"), ("pages", "1-2."), ("date", "2001.")])
    assert entry.issue == "2 (Suppl)"
    text = "Scott, J. Seeing. New Haven: Yale UP, 1998. https://doi.org/10.12987/97803001."
    entry = _entry_of(text, [("author", "Scott, J."), ("title", "Seeing."),
                             ("location", "New Haven:"), ("publisher", "Yale UP,"),
                             ("date", "1998."), ("url", "https://doi.org/10.12987/97803001.")])
    assert (entry.doi, entry.url) == ("10.12987/97803001", None)
    entry = _entry_of("Anderson, B. Imagined. Rev. ed. London: Verso, 2006.",
                      [("author", "Anderson, B."), ("title", "Imagined."),
                       ("edition", "Rev. ed."), ("location", "London:"), ("publisher", "Verso,"),
                       ("date", "2006.")])
    assert entry.extra["edition"] == "Rev. ed."


def test_a_title_going_on_after_a_quoted_phrase_beside_a_journal_stays_whole() -> None:
    text = ('J. Smith, "Fake news," propaganda and the public sphere, J. Media Stud., vol. 3, '
            "pp. 1-20, 2001.")
    entry = _entry_of(text, [("author", "J. Smith,"),
                             ("title", '"Fake news," propaganda and the public sphere,'),
                             ("container-title", "J. Media Stud.,"), ("volume", "vol. 3,"),
                             ("pages", "pp. 1-20,"), ("date", "2001.")])
    assert entry.title is not None and entry.title.endswith("propaganda and the public sphere")
    assert entry.publisher is None and entry.type == "article-journal"


@pytest.mark.parametrize("journal, kept", [
    ("IEEE Trans. Signal Process.", "IEEE Trans. Signal Process."),
    ("IEEE Trans. Ind. Electron.", "IEEE Trans. Ind. Electron."),
    ("Food Technol. Biotechnol.", "Food Technol. Biotechnol."),
    ("J. Asian Studies.", "J. Asian Studies"),
    ("Nature.", "Nature"),
])
def test_long_iso4_abbreviations_keep_their_full_stop(journal: str, kept: str) -> None:
    text = f'A. Kumar, "Graphs," {journal}, vol. 23, 2022.'
    entry = _entry_of(text, [("author", "A. Kumar,"), ("title", '"Graphs,"'),
                             ("container-title", f"{journal},"), ("volume", "vol. 23,"),
                             ("date", "2022.")])
    assert entry.container_title == kept


def test_mla_editor_tails_one_editor_and_suffixes() -> None:
    from citekit.parse.tagger.fields import _after_last_name

    assert _after_last_name("edited by Cary Nelson, U of Illinois P,") == (
        "edited by Cary Nelson", "U of Illinois P")
    assert _after_last_name("edited by Ann Lee and Bob Roe, Jr., Oxford UP,") == (
        "edited by Ann Lee and Bob Roe, Jr.", "Oxford UP")
    assert _after_last_name("edited by Lee, Ann,") is None  # one inverted name
    assert _after_last_name("edited by Cary Nelson") is None


def test_a_place_read_as_a_proceedings_publisher_is_the_event_place() -> None:
    text = 'K. He, "Deep," in Proc. IEEE Conf. Recognit., Las Vegas, NV, USA, 2016, pp. 7-8.'
    entry = _entry_of(text, [("author", "K. He,"), ("title", '"Deep,"'),
                             ("container-title", "in Proc. IEEE Conf. Recognit., Las Vegas,"),
                             ("publisher", "NV, USA,"), ("date", "2016,"), ("pages", "pp. 7-8.")])
    assert (entry.container_title, entry.extra["event-place"], entry.publisher) == (
        "Proc. IEEE Conf. Recognit.", "Las Vegas, NV, USA", None)


def test_a_city_read_as_publisher_before_its_country_is_the_place() -> None:
    text = "B. Kim, Sand and Sea, 2nd ed. Busan, South Korea: Haeyang Press, 2019."
    entry = _entry_of(text, [("author", "B. Kim,"), ("title", "Sand and Sea,"),
                             ("note", "2nd ed."), ("publisher", "Busan,"),
                             ("location", "South Korea:"), ("publisher", "Haeyang Press,"),
                             ("date", "2019.")])
    assert (entry.publisher_place, entry.publisher, entry.extra["edition"]) == (
        "Busan, South Korea", "Haeyang Press", "2nd")


def test_vancouver_slips_number_and_organisation_in_the_title_cited_dates_and_books() -> None:
    text = ("1. World Health Organization. Obesity and overweight [Internet]. Geneva: WHO; 2021 "
            "[cited 2024 Mar 3]. Available from: https://www.who.int/x")
    entry = _entry_of(text, [
        ("title", "1. World Health Organization. Obesity and overweight [Internet]."),
        ("location", "Geneva:"), ("publisher", "WHO;"), ("date", "2021 [cited 2024 Mar 3]."),
        ("url", "Available from: https://www.who.int/x")])
    assert entry.extra["citation-number"] == "1"
    assert [n.literal for n in entry.author] == ["World Health Organization"]
    assert (entry.title, entry.extra["medium"]) == ("Obesity and overweight", "Internet")
    assert (entry.issued.year, entry.issued.month) == (2021, None)
    assert (entry.accessed.year, entry.accessed.month, entry.accessed.day) == (2024, 3, 3)
    text = ("3. Meltzer PS. Chromosome alterations. In: Vogelstein B, Kinzler KW, editors. The "
            "genetic basis of human cancer. New York: McGraw-Hill; 2002. p. 93-113.")
    entry = _entry_of(text, [
        ("citation-number", "3."), ("author", "Meltzer PS."),
        ("title", "Chromosome alterations."),
        ("editor", "In: Vogelstein B, Kinzler KW, editors."),
        ("title", "The genetic basis of human cancer."), ("location", "New York:"),
        ("publisher", "McGraw-Hill;"), ("date", "2002."), ("pages", "p. 93-113.")])
    assert (entry.type, entry.title, entry.container_title) == (
        "chapter", "Chromosome alterations", "The genetic basis of human cancer")


def test_mla_database_access_cue_and_university_press() -> None:
    text = 'Baron, N. "Reading." PMLA, vol. 128, 2013, pp. 1-2. JSTOR, www.jstor.org/stable/1.'
    entry = _entry_of(text, [("author", "Baron, N."), ("title", '"Reading."'),
                             ("container-title", "PMLA,"), ("volume", "vol. 128,"),
                             ("date", "2013,"), ("pages", "pp. 1-2."),
                             ("url", "JSTOR, www.jstor.org/stable/1.")])
    assert (entry.url, entry.extra["archive"]) == ("www.jstor.org/stable/1", "JSTOR")
    text = 'Dean, C. "Mission." The New York Times, 22 May 2007, www.nytimes.com/a.html. Accessed'
    entry = _entry_of(text, [("author", "Dean, C."), ("title", '"Mission."'),
                             ("container-title", "The New York Times,"), ("date", "22 May 2007,"),
                             ("url", "www.nytimes.com/a.html. Accessed")])
    assert entry.url == "www.nytimes.com/a.html"
    # a URL broken by a stray space is left for the normalisers to rejoin
    text = 'Kwak, Y. "Power." Korea Times. https://www.koreatimes.co.kr /www/art/1.html'
    entry = _entry_of(text, [("author", "Kwak, Y."), ("title", '"Power."'),
                             ("container-title", "Korea Times."),
                             ("url", "https://www.koreatimes.co.kr /www/art/1.html")])
    assert entry.url == "https://www.koreatimes.co.kr /www/art/1.html"
    text = "Smith, John, et al. The Example Book. 3rd ed., Oxford UP, 2015."
    entry = _entry_of(text, [("author", "Smith, John, et al."), ("title", "The Example Book."),
                             ("edition", "3rd ed.,"), ("location", "Oxford"),
                             ("publisher", "UP,"), ("date", "2015.")])
    assert (entry.publisher, entry.publisher_place) == ("Oxford UP", None)


def test_a_number_inside_a_reference_is_no_citation_number() -> None:
    text = "Smith J. 2. Auflage der Studie. Dtsch Arztebl. 2020;117(3):45-7."
    entry = _entry_of(text, [("author", "Smith J."), ("title", "2. Auflage der Studie."),
                             ("container-title", "Dtsch Arztebl."), ("date", "2020;"),
                             ("volume", "117"), ("issue", "(3):"), ("pages", "45-7.")])
    assert entry.title == "2. Auflage der Studie" and "citation-number" not in entry.extra


def test_links_and_access_dates_tagged_as_something_else() -> None:
    text = 'Baron, N. "Reading." PMLA, 2013, pp. 1-2. Project MUSE, muse.jhu.edu/article/12345.'
    entry = _entry_of(text, [("author", "Baron, N."), ("title", '"Reading."'),
                             ("container-title", "PMLA,"), ("date", "2013,"),
                             ("pages", "pp. 1-2."), ("publisher", "Project MUSE,"),
                             ("date", "muse.jhu.edu/article/12345.")])
    assert (entry.url, entry.issued.year) == ("muse.jhu.edu/article/12345", 2013)
    text = 'Kwak, Y. "Power." Korea Times, 3 Jan. 2024, www.k.co.kr /a.html. Accessed 5 Jan. 2024.'
    entry = _entry_of(text, [("author", "Kwak, Y."), ("title", '"Power."'),
                             ("container-title", "Korea Times,"), ("date", "3 Jan. 2024,"),
                             ("url", "www.k.co.kr /a.html."), ("note", "Accessed 5 Jan. 2024.")])
    assert (entry.accessed.year, entry.accessed.month, entry.accessed.day) == (2024, 1, 5)
    assert entry.note is None
    text = ("1. WHO. Obesity. Geneva: WHO; 2021 [updated 2023 Oct 5; cited 2024 Mar 3]. "
            "Available from: https://www.who.int/x")
    entry = _entry_of(text, [("title", "1. WHO. Obesity."), ("location", "Geneva:"),
                             ("publisher", "WHO;"), ("date", "2021"),
                             ("note", "[updated 2023 Oct 5; cited"), ("date", "2024 Mar 3]."),
                             ("url", "Available from: https://www.who.int/x")])
    assert (entry.issued.year, entry.accessed.year, entry.accessed.month) == (2021, 2024, 3)


def test_a_leading_publisher_is_an_organisation_author() -> None:
    # The name cut after its first words: the title's head completes it.
    text = ("12. World Health Organization. Global tuberculosis report 2023. Geneva: World Health "
            "Organization; 2023.")
    entry = _entry_of(text, [
        ("citation-number", "12."), ("publisher", "World Health"),
        ("title", "Organization. Global tuberculosis report 2023."), ("location", "Geneva:"),
        ("publisher", "World Health Organization;"), ("date", "2023.")])
    assert [n.literal for n in entry.author] == ["World Health Organization"]
    assert (entry.title, entry.publisher, entry.publisher_place) == (
        "Global tuberculosis report 2023", "World Health Organization", "Geneva")
    # The whole name read as a publisher: kept whole, as an organisation.
    text = "Sun Microsystems. Java: Programming for the Internet. http://java.sun.com."
    entry = _entry_of(text, [("publisher", "Sun Microsystems."),
                             ("title", "Java: Programming for the Internet."),
                             ("url", "http://java.sun.com.")])
    assert [n.literal for n in entry.author] == ["Sun Microsystems"]
    assert (entry.publisher, entry.type) == (None, "webpage")
    # Not a publisher at the start: left alone.
    text = "Cha, Victor. The Impossible State. New York: Ecco, 2012."
    entry = _entry_of(text, [("author", "Cha, Victor."), ("title", "The Impossible State."),
                             ("location", "New York:"), ("publisher", "Ecco,"),
                             ("date", "2012.")])
    assert (entry.publisher, entry.publisher_place) == ("Ecco", "New York")


def test_an_online_outlet_read_as_publisher_is_the_newspaper() -> None:
    text = ("13. Lee HS. Alliance politics revisited. Korea Times [Internet]. 2024 Jan 5 [cited "
            "2024 Feb 1]. Available from: https://www.koreatimes.co.kr/www/opinion/1.html")
    entry = _entry_of(text, [
        ("citation-number", "13."), ("author", "Lee HS."),
        ("title", "Alliance politics revisited."), ("publisher", "Korea Times [Internet]."),
        ("date", "2024 Jan 5 [cited 2024 Feb 1]."),
        ("url", "Available from: https://www.koreatimes.co.kr/www/opinion/1.html")])
    assert (entry.container_title, entry.publisher, entry.extra["medium"]) == (
        "Korea Times", None, "Internet")
    assert entry.type == "article-newspaper"
    assert (entry.issued.month, entry.issued.day, entry.accessed.month) == (1, 5, 2)


@pytest.mark.parametrize("where, year, rest, publisher, place", [
    ("Verso,", "2012.", "", "Verso", None),  # MLA: a publisher the model knows, no place
    ("Haeyang Books,", "2012.", "", "Haeyang Books", None),  # a publisher's word
    ("Ecco,", "2012.", "", None, "Ecco"),  # unknown: left as tagged
    ("Riga,", "1781.", "", None, "Riga"),  # a town in no list: left as tagged
    ("Farrar, Straus and Giroux,", "2012.", "", None, "Farrar, Straus and Giroux"),  # a comma inside: left
    ("Liverpool,", "1999.", "", None, "Liverpool"),  # a known place (older humanities styles)
    ("London,", "1999.", "", None, "London"),
    ("Verso,", "2012,", "pp. 3-4.", None, "Verso"),  # not the end of the reference
])
def test_a_lone_place_before_the_closing_year_is_mostly_a_publisher(
        where: str, year: str, rest: str, publisher: str | None, place: str | None) -> None:
    text = f"Cha, Victor. The Impossible State. {where} {year} {rest}".strip()
    spans = [("author", "Cha, Victor."), ("title", "The Impossible State."),
             ("location", where), ("date", year)] + ([("pages", rest)] if rest else [])
    entry = _entry_of(text, spans)
    assert (entry.publisher, entry.publisher_place) == (publisher, place)


def test_a_one_word_title_read_into_the_author_and_a_year_opening_the_title() -> None:
    text = "Said, Edward W. Orientalism. 25th anniversary ed. New York: Vintage, 2003."
    entry = _entry_of(text, [("author", "Said, Edward W. Orientalism."),
                             ("edition", "25th anniversary ed."), ("location", "New York:"),
                             ("publisher", "Vintage,"), ("date", "2003.")])
    assert [(n.family, n.given) for n in entry.author] == [("Said", "Edward W.")]
    assert (entry.title, entry.extra["edition"]) == ("Orientalism", "25th anniversary ed.")
    # initials go on the name; a name list is left alone
    text = "Smith, J. A. B. Cities. London: Verso, 2003."
    entry = _entry_of(text, [("author", "Smith, J. A. B. Cities."), ("location", "London:"),
                             ("publisher", "Verso,"), ("date", "2003.")])
    assert ([(n.family, n.given) for n in entry.author], entry.title) == (
        [("Smith", "J. A. B.")], "Cities")
    text = "Ministry of Unification. 2023 White Paper on Unification. Seoul: MOU, 2023."
    entry = _entry_of(text, [("author", "Ministry of Unification."), ("date", "2023"),
                             ("title", "White Paper on Unification."), ("location", "Seoul:"),
                             ("publisher", "MOU,"), ("date", "2023.")])
    assert (entry.title, entry.issued.year) == ("2023 White Paper on Unification", 2023)
    # a year after a comma, or before a quoted title, is the date
    text = 'Durand, C., 2015 "Is there a European Capital?" CES Conference, Paris, 2015.'
    entry = _entry_of(text, [("author", "Durand, C.,"), ("date", "2015"),
                             ("title", '"Is there a European Capital?"'),
                             ("container-title", "CES Conference,"), ("location", "Paris,"),
                             ("date", "2015.")])
    assert entry.title == "Is there a European Capital?"


@pytest.mark.parametrize("written, edition", [
    ("2nd ed.", "2nd"), ("5. Aufl.", "5"), ("3rd edn", "3rd"), ("10th edition", "10th"),
    ("25th anniversary ed.", "25th anniversary ed."), ("Rev. ed.", "Rev. ed."),
    ("2nd rev. ed.", "2nd rev. ed."),
])
def test_edition_values(written: str, edition: str) -> None:
    from citekit.parse.tagger.fields import _edition_value

    assert _edition_value(written) == edition


def test_chicago_dissertation_genre_keeps_its_stop() -> None:
    text = 'Yang, J. "Memory." PhD diss., University of Chicago, 2019.'
    entry = _entry_of(text, [("author", "Yang, J."), ("title", '"Memory."'),
                             ("genre", "PhD diss.,"), ("publisher", "University of Chicago,"),
                             ("date", "2019.")])
    assert (entry.type, entry.extra["genre"]) == ("thesis", "PhD diss.")


def test_ieee_reports_theses_places_preprints_and_chapters() -> None:
    text = ('[5] J. Kim, "Cyber policy," Korea Institute for Defense Analyses, Seoul, South '
            'Korea, Rep. KIDA-2021-04, 2021.')
    entry = _entry_of(text, [
        ("citation-number", "[5]"), ("author", "J. Kim,"), ("title", '"Cyber policy,"'),
        ("container-title", "Korea Institute for Defense Analyses, Seoul, South Korea, Rep. "
                            "KIDA-2021-04,"), ("date", "2021.")])
    assert (entry.type, entry.publisher, entry.publisher_place, entry.extra["genre"],
            entry.extra["number"], entry.container_title) == (
        "report", "Korea Institute for Defense Analyses", "Seoul, South Korea", "Rep.",
        "KIDA-2021-04", None)
    text = '[6] S. Park, "Deterrence," Ph.D. dissertation, Seoul Nat. Univ., Seoul, 2020.'
    entry = _entry_of(text, [
        ("citation-number", "[6]"), ("author", "S. Park,"), ("title", '"Deterrence,"'),
        ("note", "Ph.D. dissertation,"), ("publisher", "Seoul Nat. Univ., Seoul,"),
        ("date", "2020.")])
    assert (entry.type, entry.extra["genre"], entry.note) == (
        "thesis", "Ph.D. dissertation", None)
    text = ('[7] Ministry of National Defense, "2022 Defense White Paper," Seoul, South Korea, '
            '2023.')
    entry = _entry_of(text, [
        ("citation-number", "[7]"), ("author", "Ministry of National Defense,"),
        ("title", '"2022 Defense White Paper,"'), ("publisher", "Seoul, South Korea,"),
        ("date", "2023.")])
    assert (entry.type, entry.publisher, entry.publisher_place) == (
        "report", None, "Seoul, South Korea")
    text = '[8] T. Mikolov and K. Chen, "Word vectors," 2013, arXiv:1301.3781.'
    entry = _entry_of(text, [
        ("citation-number", "[8]"), ("author", "T. Mikolov and K. Chen,"),
        ("title", '"Word vectors,"'), ("date", "2013,"), ("note", "arXiv:1301.3781.")])
    assert (entry.type, entry.publisher, entry.extra["number"], entry.note) == (
        "article", "arXiv", "1301.3781", None)
    text = ('[10] H. Lee, "Trade," in The Korean Economy, D. Kim, Ed. London, U.K.: Routledge, '
            '2019, ch. 4, pp. 77-98.')
    entry = _entry_of(text, [
        ("citation-number", "[10]"), ("author", "H. Lee,"), ("title", '"Trade,"'),
        ("container-title", "in The Korean Economy,"), ("editor", "D. Kim, Ed."),
        ("location", "London, U.K.:"), ("publisher", "Routledge,"), ("date", "2019,"),
        ("volume", "ch. 4,"), ("pages", "pp. 77-98.")])
    assert (entry.volume, entry.extra["chapter-number"], entry.publisher_place) == (
        None, "4", "London, U.K.")
    text = ('[1] A. Vaswani, "Attention," in Proc. NeurIPS, Long Beach, CA, USA, 2017, '
            'pp. 5998-6008.')
    entry = _entry_of(text, [
        ("citation-number", "[1]"), ("author", "A. Vaswani,"), ("title", '"Attention,"'),
        ("container-title", "in Proc. NeurIPS,"), ("location", "Long Beach, CA, USA,"),
        ("date", "2017,"), ("pages", "pp. 5998-6008.")])
    assert (entry.type, entry.publisher_place, entry.extra["event-place"]) == (
        "paper-conference", "Long Beach, CA, USA", "Long Beach, CA, USA")


def test_a_long_note_first_after_the_names_is_the_title() -> None:
    text = "Chang, H.-J. (2002) Kicking away the ladder: strategy in history. London: Anthem."
    entry = _entry_of(text, [("author", "Chang, H.-J."), ("date", "(2002)"),
                             ("note", "Kicking away the ladder: strategy in history."),
                             ("location", "London:"), ("publisher", "Anthem.")])
    assert (entry.title, entry.note, entry.type) == (
        "Kicking away the ladder: strategy in history", None, "book")
    # a genre-like note stays a note
    text = "R. P. Hildebrandt, Ph.D. thesis, Tec. Univ. München, 2005."
    entry = _entry_of(text, [("author", "R. P. Hildebrandt,"), ("note", "Ph.D. thesis,"),
                             ("publisher", "Tec. Univ. München,"), ("date", "2005.")])
    assert (entry.title, entry.type) == (None, "thesis")


def test_german_colon_after_the_names_editors_and_heft() -> None:
    text = "Assmann, Aleida: Erinnerungsräume. Formen des Gedächtnisses. München: Beck 1999."
    entry = _entry_of(text, [("author", "Assmann, Aleida: Erinnerungsräume."),
                             ("title", "Formen des Gedächtnisses."), ("location", "München:"),
                             ("publisher", "Beck"), ("date", "1999.")])
    assert ([(n.family, n.given) for n in entry.author], entry.title) == (
        [("Assmann", "Aleida")], "Erinnerungsräume. Formen des Gedächtnisses")
    text = "Kim, Min-ji: Die Politik der Erinnerung. Bielefeld: transcript 2020."
    entry = _entry_of(text, [("author", "Kim,"), ("title", "Min-ji: Die Politik der Erinnerung."),
                             ("location", "Bielefeld:"), ("publisher", "transcript"),
                             ("date", "2020.")])
    assert ([(n.family, n.given) for n in entry.author], entry.title) == (
        [("Kim", "Min-ji")], "Die Politik der Erinnerung")
    # a natural-order author before a title with a colon is left alone
    text = "James Gleick, Chaos: Making a New Science, New York: Penguin, 1988."
    entry = _entry_of(text, [("author", "James Gleick,"),
                             ("title", "Chaos: Making a New Science,"), ("location", "New York:"),
                             ("publisher", "Penguin,"), ("date", "1988.")])
    assert entry.title == "Chaos: Making a New Science"
    text = "Schmidt, Anna/Weber, Karl (Hg.): Erinnerungskulturen. Bielefeld: transcript 2020."
    entry = _entry_of(text, [("author", "Schmidt, Anna/Weber, Karl (Hg.):"),
                             ("title", "Erinnerungskulturen."), ("location", "Bielefeld:"),
                             ("publisher", "transcript"), ("date", "2020.")])
    assert (entry.author, [(n.family, n.given) for n in entry.editor]) == (
        [], [("Schmidt", "Anna"), ("Weber", "Karl")])
    text = "Lee, S.: Allianz. In: Zeitschrift für Politik 14 (2021), H. 2, S. 123–140."
    entry = _entry_of(text, [("author", "Lee, S.:"), ("title", "Allianz."),
                             ("container-title", "In: Zeitschrift für Politik"),
                             ("volume", "14"), ("date", "(2021),"),
                             ("pages", "H. 2, S. 123–140.")])
    assert (entry.volume, entry.issue, entry.page) == ("14", "2", "123–140")


def test_nature_chapters_repositories_and_preprints() -> None:
    text = ("4. Vaswani, A. et al. in Advances in Neural Information Processing Systems 30 (eds "
            "Guyon, I. et al.) 5998–6008 (Curran Associates, 2017).")
    entry = _entry_of(text, [
        ("citation-number", "4."), ("author", "Vaswani, A."),
        ("title", "et al. in Advances in Neural Information Processing Systems 30 (eds Guyon,"),
        ("editor", "I. et al.)"), ("pages", "5998–6008"), ("publisher", "(Curran Associates,"),
        ("date", "2017).")])
    assert ([n.family for n in entry.author], entry.et_al, entry.title) == (
        ["Vaswani"], True, None)
    assert (entry.container_title, [n.family for n in entry.editor], entry.page,
            entry.publisher, entry.year) == (
        "Advances in Neural Information Processing Systems 30", ["Guyon"], "5998–6008",
        "Curran Associates", 2017)
    text = "5. Smith, J. Climate data archive. Zenodo https://doi.org/10.5281/zenodo.1234567 (2020)."
    entry = _entry_of(text, [("citation-number", "5."), ("author", "Smith, J."),
                             ("title", "Climate data archive."),
                             ("url", "Zenodo https://doi.org/10.5281/zenodo.1234567"),
                             ("date", "(2020).")])
    assert (entry.type, entry.publisher, entry.doi, entry.url) == (
        "dataset", "Zenodo", "10.5281/zenodo.1234567", None)
    text = "6. Brown, T. B. et al. Few-shot learners. Preprint at https://arxiv.org/abs/2005.14165 (2020)."
    entry = _entry_of(text, [("citation-number", "6."), ("author", "Brown, T. B. et al."),
                             ("title", "Few-shot learners."), ("note", "Preprint at"),
                             ("url", "https://arxiv.org/abs/2005.14165"), ("date", "(2020).")])
    assert (entry.type, entry.publisher, entry.extra["number"], entry.note) == (
        "article", "arXiv", "2005.14165", None)


def test_an_event_place_with_other_words_is_not_the_publishers_place() -> None:
    text = ('[8] B. Choi, "Networks," in Proc. 5th Int. Conf. Signal Process. (ICSP), Part I, '
            'Prague, Czech Republic, 2022, pp. 1-6.')
    entry = _entry_of(text, [
        ("citation-number", "[8]"), ("author", "B. Choi,"), ("title", '"Networks,"'),
        ("container-title", "in Proc. 5th Int. Conf. Signal Process. (ICSP), Part I, Prague, "
                            "Czech Republic,"), ("date", "2022,"), ("pages", "pp. 1-6.")])
    assert entry.type == "paper-conference" and entry.publisher_place is None
