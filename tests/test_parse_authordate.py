"""The author-date parser on the seed references and on APA/Harvard-like variants."""

from __future__ import annotations

import json

import pytest

from citekit import parse_reference
from citekit.parse.names import parse_names
from conftest import FIXTURES


def test_seed_reference_list_every_field(seed_000):
    from citekit.readers import load

    bib = load(seed_000)
    expected = json.loads((FIXTURES / "seed_000_expected.csl.json").read_text(encoding="utf-8"))
    assert bib.to_csl() == expected
    assert bib.failures == []


def test_bundled_reference_list_matches_the_fixture():
    from citekit.readers import load
    from conftest import BIB

    bib = load(BIB / "seed-references.txt", "text")
    expected = json.loads((FIXTURES / "seed_000_expected.csl.json").read_text(encoding="utf-8"))
    assert bib.to_csl() == expected


@pytest.mark.parametrize("text, expected", [
    ("Chow, Jonathan T. and Leif-Eric Easley", [("Chow", "Jonathan T."), ("Easley", "Leif-Eric")]),
    ("Ha, Young-sun and Yang Gyu Kim", [("Ha", "Young-sun"), ("Kim", "Yang Gyu")]),
    ("Moreno, C., Patel, D., & Dixon, C.", [("Moreno", "C."), ("Patel", "D."), ("Dixon", "C.")]),
    ("Smith J, Jones KL", [("Smith", "J."), ("Jones", "K. L.")]),
    ("J. Smith and K. Jones", [("Smith", "J."), ("Jones", "K.")]),
    ("Chow, Jonathan T., Leif-Eric Easley, and Jane Doe",
     [("Chow", "Jonathan T."), ("Easley", "Leif-Eric"), ("Doe", "Jane")]),
])
def test_person_lists(text, expected):
    names, et_al = parse_names(text)
    assert [(n.family, n.given) for n in names] == expected
    assert et_al is False


def test_et_al_is_kept_as_data():
    names, et_al = parse_names("Lee, Wootae, et al.")
    assert [(n.family, n.given) for n in names] == [("Lee", "Wootae")]
    assert et_al is True


@pytest.mark.parametrize("org", ["Lowy Institute", "Ministry of Unification", "World Bank",
                                 "Korea Institute for National Unification"])
def test_organisations_stay_whole(org):
    names, _ = parse_names(org)
    assert [n.literal for n in names] == [org]


def test_particles():
    names, _ = parse_names("van Beethoven, Ludwig")
    assert names[0].non_dropping_particle == "van" and names[0].family == "Beethoven"


def test_apa_journal_article():
    e = parse_reference("Moreno, C., Patel, D., & Dixon, C. (2011). Reading lists in the classroom: "
                        "A field study of citation habits. Journal of Learning, 12(3), 45\u201367. "
                        "https://doi.org/10.1234/jl.2011.003")
    assert e.type == "article-journal"
    assert [n.family for n in e.author] == ["Moreno", "Patel", "Dixon"]
    assert e.year == 2011
    assert e.title == "Reading lists in the classroom: A field study of citation habits"
    assert e.container_title == "Journal of Learning"
    assert (e.volume, e.issue, e.page) == ("12", "3", "45\u201367")
    assert e.doi == "10.1234/jl.2011.003" and e.url is None


def test_apa_date_with_month_and_day():
    e = parse_reference("Kim, S. (2024, January 16). Leader calls for change. Yonhap. "
                        "https://en.yna.co.kr/view/AEN1")
    assert (e.issued.year, e.issued.month, e.issued.day) == (2024, 1, 16)
    assert e.type == "article-newspaper" and e.container_title == "Yonhap"


def test_harvard_book_with_place_and_publisher():
    e = parse_reference("Cha, V. (2012) The Impossible State. New York: Ecco.")
    assert e.title == "The Impossible State"
    assert (e.publisher_place, e.publisher) == ("New York", "Ecco")
    assert e.type == "book"


def test_chapter_in_edited_book():
    e = parse_reference("Park, Jae. 2019. \u201cSanctions and Trade.\u201d In The Korean Economy, "
                        "edited by Min Lee, 45-67. Seoul: Example Press.")
    assert e.type == "chapter"
    assert e.container_title == "The Korean Economy"
    assert [n.family for n in e.editor] == ["Lee"]
    assert e.page == "45-67"


def test_publisher_link_gives_doi_and_keeps_url():
    e = parse_reference("Easley, Leif-Eric. 2023. \u201cT.\u201d Pacific Review, 36(6): 1273-1305. "
                        "https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594")
    assert e.doi == "10.1080/09512748.2022.2090594"
    assert e.url == "https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594"


def test_broken_url_is_kept_as_written():
    e = parse_reference("Kwak, Yeon-soo. 2024. \u201cGlobal Rise.\u201d Korea Times. January 3. "
                        "https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html")
    assert e.url == "https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html"


def test_unbalanced_quote_lowers_confidence_but_parses():
    e = parse_reference("Lee, Sang. 2023. \u201cA title that never closes. 38 North. May 25.")
    assert e.author[0].family == "Lee" and e.year == 2023
    assert e.title == "A title that never closes"
    assert e.confidence < 1.0


def test_no_year_is_lower_confidence():
    e = parse_reference("Lowy Institute. Global Diplomacy Index. https://example.org/")
    assert e.year is None and e.confidence < 1.0
    assert e.author[0].literal == "Lowy Institute"


def test_accessed_date():
    e = parse_reference("World Bank. 2024. \u201cOverview.\u201d Accessed May 3, 2024. "
                        "https://www.worldbank.org/en/country/korea")
    assert e.accessed is not None and (e.accessed.year, e.accessed.month, e.accessed.day) == (2024, 5, 3)
    assert e.url == "https://www.worldbank.org/en/country/korea"


def test_an_outlet_followed_by_its_date_after_a_comma() -> None:
    from citekit import parse_reference

    entry = parse_reference("Kim, Jiyoung. 2024. \u201cTitle Here.\u201d 38 North, January 5, 2024. "
                            "https://www.38north.org/x/")
    assert entry.container_title == "38 North" and entry.volume is None and entry.page is None
    assert (entry.issued.year, entry.issued.month, entry.issued.day) == (2024, 1, 5)


def test_an_organisations_online_work_is_a_dataset_unless_its_title_says_report() -> None:
    lowy = parse_reference("Lowy Institute. 2024. Global Diplomacy Index. "
                            "https://globaldiplomacyindex.lowyinstitute.org/")
    kinu = parse_reference("Korea Institute for National Unification. (2023). White paper on "
                            "human rights in North Korea 2023. https://www.kinu.or.kr/eng/")
    assert (lowy.type, kinu.type) == ("dataset", "report")


def test_an_outlet_followed_by_day_and_month() -> None:
    """Harvard's "The Diplomat, 4 May." after a quoted title."""
    e = parse_reference("Yoon, S. (2023) 'Deterrence after 2022', The Diplomat, 4 May. Available "
                        "at: https://thediplomat.com/2023/05/deterrence/ (Accessed: 1 June 2024).")
    assert e.container_title == "The Diplomat"
    assert (e.issued.year, e.issued.month, e.issued.day) == (2023, 5, 4)


def test_apa_seventh_edition_forms() -> None:
    """APA 7: an edition after the title, a retrieval date before the link, an article number,
    a title ending in a quoted phrase; each round-trips through the apa style."""
    import citekit

    texts = [
        "American Psychological Association. (2020). Publication manual of the American "
        "Psychological Association (7th ed.). https://doi.org/10.1037/0000165-000",
        "Jerrentrup, A., Mueller, T., & Schaefer, J. R. (2018). Teaching medicine with the help "
        "of \u201cDr. House.\u201d PLoS ONE, 13(3), Article e0193972. "
        "https://doi.org/10.1371/journal.pone.0193972",
    ]
    for text in texts:
        entry = parse_reference(text)
        assert citekit.render([entry], style="apa").entries == [text]
    manual, article = (parse_reference(t) for t in texts)
    assert (manual.type, manual.extra["edition"]) == ("book", "7th")
    assert (article.container_title, article.volume, article.issue, article.extra["number"]) == (
        "PLoS ONE", "13", "3", "e0193972")
    cdc = parse_reference("Centers for Disease Control and Prevention. (n.d.). Flu season. "
                          "Retrieved March 3, 2024, from https://www.cdc.gov/flu/season/index.html")
    assert cdc.url == "https://www.cdc.gov/flu/season/index.html"
    assert (cdc.accessed.year, cdc.accessed.month, cdc.accessed.day) == (2024, 3, 3)
    assert cdc.type == "webpage"


def test_quoted_phrases_inside_titles() -> None:
    """A title goes on after a quoted phrase ('Why "Yes." Matters', 'Saying "Enough!" Protest')
    and ends at one only when a journal's numbers follow."""
    from citekit.parse.authordate import parse_authordate

    assert parse_authordate('Smith, John. 2020. Why "Yes." Matters. London: Routledge.'
                            ).title == 'Why "Yes." Matters'
    kim = parse_authordate('Kim, A. (2019). Saying "Enough!" Protest in Seoul. Asian Survey, '
                           '59(1), 1-20.')
    assert (kim.title, kim.container_title) == ('Saying "Enough!" Protest in Seoul',
                                                "Asian Survey")


def test_a_quoted_phrase_mid_title_before_a_journal_and_in_a_book_title() -> None:
    from citekit.parse.authordate import parse_authordate

    e = parse_authordate('Smith, J. (2020). Why "Yes." matters in consent law. Journal of '
                         "Ethics, 12(3), 45\u201367.")
    assert (e.title, e.container_title, e.volume) == (
        'Why "Yes." matters in consent law', "Journal of Ethics", "12")
    e = parse_authordate('Smith, Jane. 2019. "Memory and Trauma." In Reading "Beloved." Essays '
                         "on Morrison, edited by Tom Lee, 45\u201367. London: Routledge.")
    assert (e.container_title, e.page, [n.family for n in e.editor]) == (
        'Reading "Beloved." Essays on Morrison', "45\u201367", ["Lee"])


def test_apa_chapters_descriptions_and_theses_round_trip() -> None:
    """APA 7: a chapter's editors before its book and "(pp. …)" after it; a bracketed
    description after the title ("[Data set]", "[Video]", "[Doctoral dissertation, School]")
    is no part of the title; each round-trips through the apa style."""
    import citekit

    texts = [
        "Moon, C. (2019). Alliance politics. In T. J. Pempel (Ed.), The economy-security nexus "
        "in Northeast Asia (pp. 45\u201367). Routledge. https://doi.org/10.4324/9780203083277",
        "Smith, J. (2020). Deterrence and diplomacy [Doctoral dissertation, Harvard University]. "
        "ProQuest Dissertations and Theses Global.",
        "Yoon, S. (2022, March 10). Election results explained [Video]. YouTube. "
        "https://www.youtube.com/watch?v=abc123",
        "Choe, S.-H. (2023, April 26). South Korea and U.S. agree on a plan. The New York Times. "
        "https://www.nytimes.com/2023/04/26/world/asia/plan.html",
    ]
    for text in texts:
        entry = parse_reference(text)
        assert citekit.render([entry], style="apa").entries == [text]
    chapter, thesis, video, news = (parse_reference(t) for t in texts)
    assert (chapter.type, chapter.container_title, chapter.page) == (
        "chapter", "The economy-security nexus in Northeast Asia", "45\u201367")
    assert [(n.family, n.given) for n in chapter.editor] == [("Pempel", "T. J.")]
    assert (thesis.type, thesis.title, thesis.publisher, thesis.extra["genre"],
            thesis.extra["archive"]) == ("thesis", "Deterrence and diplomacy",
                                         "Harvard University", "Doctoral dissertation",
                                         "ProQuest Dissertations and Theses Global")
    assert (video.type, video.title, video.extra["genre"], video.container_title) == (
        "webpage", "Election results explained", "Video", "YouTube")
    data = parse_reference("World Bank. (2023). World development indicators [Data set]. "
                           "https://databank.worldbank.org/source/wdi")
    assert (data.type, data.title) == ("dataset", "World development indicators")
    edited = parse_reference("Kim, A. (2020). Title. In B. Lee & C. Park (Eds.), Big book (2nd "
                             "ed., Vol. 3, pp. 1-20). Routledge.")
    assert (edited.container_title, edited.volume, edited.page, edited.extra["edition"]) == (
        "Big book", "3", "1-20", "2nd")
    assert [n.family for n in edited.editor] == ["Lee", "Park"]


def test_harvard_chapters_editions_trailing_pages_and_presses() -> None:
    """Harvard: "in Smith, J. and Brown, K. (eds) Book. 2nd edn. Place: Publisher, pp. x–y.",
    a magazine's "Outlet, 3 February, pp. 35–36." and a press's book are read whole."""
    park = parse_reference("Park, H. (2019) 'Urban regeneration in Seoul', in Smith, J. and "
                           "Brown, K. (eds) Asian cities in transition. 2nd edn. Abingdon: "
                           "Routledge, pp. 101\u2013120.")
    assert (park.type, park.container_title, park.publisher, park.publisher_place, park.page,
            park.extra["edition"]) == ("chapter", "Asian cities in transition", "Routledge",
                                       "Abingdon", "101\u2013120", "2nd")
    assert [n.family for n in park.editor] == ["Smith", "Brown"]
    mag = parse_reference("The Economist (2024) 'Korea's demographic crunch', The Economist, "
                          "3 February, pp. 35\u201336.")
    assert (mag.type, mag.container_title, mag.page, mag.issued.month, mag.issued.day) == (
        "article-magazine", "The Economist", "35\u201336", 2, 3)
    chang = parse_reference("Chang, H.-J. (2002) Kicking away the ladder: development strategy "
                            "in historical perspective. London: Anthem Press.")
    assert (chang.type, chang.publisher, chang.publisher_place) == (
        "book", "Anthem Press", "London")
    # "in press" is a date, not a chapter's book
    assert parse_reference("Lee, K. (in press). Title. Journal of Things.").type != "chapter"


def test_a_lower_case_in_before_a_journals_numbers_stays_a_journal() -> None:
    from citekit.parse.authordate import parse_authordate

    e = parse_authordate('Smith, J. 2019. "Trade wars." in Journal of Conference Studies 5 (2): '
                         '10-20.')
    assert (e.type, e.container_title, e.volume, e.issue, e.page) == (
        "article-journal", "Journal of Conference Studies", "5", "2", "10-20")
    e = parse_authordate('Cotta, L., 1999, "Il supplizio", in Aevum 73: 93-105.')
    assert (e.container_title, e.volume, e.page) == ("Aevum", "73", "93-105")
