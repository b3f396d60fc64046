"""URL repairs (whitespace, text fragments, trailing punctuation, stray DOIs) and URL issues."""

from __future__ import annotations

import pytest

from citekit.model import Entry
from citekit.normalise import (
    date_in_url,
    drop_text_fragment,
    drop_url_punctuation,
    normalise,
    rejoin_url,
    repair_url_whitespace,
    split_stray_doi,
    split_text_fragment,
    url_issues,
)

KOREA_TIMES = "https://www.koreatimes.co.kr /www/art/2024/05/398_342391.html"
UNIKOREA = ("https://unikorea.go.kr/eng_unikorea/relations/ 2009Present/"
            "boardId=bbs_0000000000000140& mode=view&cntId=172&category=&pageIdx=")
WORLD_BANK = ("https://www.worldbank.org/en/country/korea /overview#:~:text=The%20Republic%20of%20 "
              "Korea%20has,annually%20between%201980% 20and%202023")


def codes(changes: list) -> list[str]:
    return [c.code for c in changes]


# --- the three seed URLs, through the whole default stack --------------------------------

@pytest.mark.parametrize(
    "written, repaired, expected_codes",
    [
        (KOREA_TIMES, "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html",
         ["url-whitespace"]),
        (UNIKOREA, "https://unikorea.go.kr/eng_unikorea/relations/2009Present/"
                   "boardId=bbs_0000000000000140&mode=view&cntId=172&category=&pageIdx=",
         ["url-whitespace"]),
        (WORLD_BANK, "https://www.worldbank.org/en/country/korea/overview",
         ["url-whitespace", "url-text-fragment"]),
    ],
)
def test_seed_urls_come_out_exactly(written: str, repaired: str, expected_codes: list[str]) -> None:
    entry = Entry(type="webpage", url=written)
    changes = normalise([entry])
    assert entry.url == repaired
    assert [c.code for _, c in changes] == expected_codes
    assert changes[0][1].before == written
    assert normalise([entry]) == []


def test_world_bank_split_escapes_are_rejoined_before_the_fragment_goes() -> None:
    joined, rest = rejoin_url(WORLD_BANK)
    assert rest == ""
    assert joined == ("https://www.worldbank.org/en/country/korea/overview#:~:text=The%20Republic"
                      "%20of%20Korea%20has,annually%20between%201980%20and%202023")


# --- whitespace ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "written, joined",
    [
        ("https://www.channelnewsasia.com/commentary/north-korea-trash- balloons-4382726",
         "https://www.channelnewsasia.com/commentary/north-korea-trash-balloons-4382726"),
        ("https://example.org/a\n/b?x=1&\ty=2", "https://example.org/a/b?x=1&y=2"),
        ("https://example.org/a\u00a0/b", "https://example.org/a/b"),
        ("https://example.org/report_ 2024.pdf", "https://example.org/report_2024.pdf"),
        ("https://example.org/path \u200b/more", "https://example.org/path/more"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://doi.org/ 10.1080/13523260.2019.1660483",
         "https://doi.org/10.1080/13523260.2019.1660483"),
        ("https://www.channelnewsasia.com/commentary/north-korea-trash-balloons-south-activ "
         "ist-propaganda-diplomacy-4382726",
         "https://www.channelnewsasia.com/commentary/north-korea-trash-balloons-south-activist-"
         "propaganda-diplomacy-4382726"),
        ("https://www.koreatimes.co.kr/www/art/2024/05/398_342391. html",
         "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html"),
    ],
)
def test_whitespace_inside_a_url_is_rejoined(written: str, joined: str) -> None:
    entry = Entry(url=written)
    changes = repair_url_whitespace(entry)
    assert entry.url == joined
    assert codes(changes) == ["url-whitespace"]
    assert repair_url_whitespace(entry) == []


def test_a_url_without_whitespace_is_left_alone() -> None:
    entry = Entry(url="https://www.globalnk.org/commentary/view?cd=COM000135")
    assert repair_url_whitespace(entry) == []
    assert entry.url == "https://www.globalnk.org/commentary/view?cd=COM000135"


@pytest.mark.parametrize(
    "written, joined, rest",
    [
        ("https://example.org/report.pdf Accessed 3 May 2024",
         "https://example.org/report.pdf", "Accessed 3 May 2024"),
        ("https://a.example.org/x https://b.example.org/y",
         "https://a.example.org/x", "https://b.example.org/y"),
        ("https://example.org/x \u201cquoted\u201d", "https://example.org/x", "\u201cquoted\u201d"),
        ("https://example.org/x (accessed 2024-05-03)", "https://example.org/x",
         "(accessed 2024-05-03)"),
        ("https://example.org/x Retrieved May 3, 2024", "https://example.org/x",
         "Retrieved May 3, 2024"),
        ("https://example.org/x.pdf well-known", "https://example.org/x.pdf", "well-known"),
    ],
)
def test_prose_or_a_second_url_after_the_url_is_not_glued_on(written: str, joined: str,
                                                             rest: str) -> None:
    assert rejoin_url(written) == (joined, rest)
    entry = Entry(url=written)
    assert repair_url_whitespace(entry) == []  # nothing to repair: left for url-malformed
    assert url_issues(entry.url)[0].code == "url-malformed"


# --- stray DOI fragments -------------------------------------------------------------------

def test_a_stray_doi_repeating_the_urls_doi_is_dropped() -> None:
    url = "https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594"
    entry = Entry(type="article-journal", url=f"{url}\ndoi/10.1080/09512748.2022.2090594")
    changes = normalise([entry])
    assert entry.url == url
    assert entry.doi == "10.1080/09512748.2022.2090594"
    assert [c.code for _, c in changes] == ["stray-fragment", "doi-in-url"]
    assert normalise([entry]) == []


def test_a_stray_doi_becomes_the_doi_when_the_entry_has_none() -> None:
    entry = Entry(url="https://example.org/article/42 doi:10.1000/xyz123")
    changes = split_stray_doi(entry)
    assert entry.url == "https://example.org/article/42"
    assert entry.doi == "10.1000/xyz123"
    assert codes(changes) == ["stray-fragment", "doi-in-url"]
    assert split_stray_doi(entry) == []


def test_a_stray_doi_that_conflicts_with_the_doi_field_is_left_for_a_person() -> None:
    entry = Entry(url="https://example.org/article/42 doi:10.1000/xyz123", doi="10.1000/other")
    assert split_stray_doi(entry) == []
    assert entry.url == "https://example.org/article/42 doi:10.1000/xyz123"


def test_no_stray_doi_in_an_ordinary_broken_url() -> None:
    entry = Entry(url=KOREA_TIMES)
    assert split_stray_doi(entry) == []


# --- text fragments ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "written, kept",
    [
        ("https://en.yna.co.kr/view/AEN20240116000651315#:~:text=SEOUL%2C%20Jan.,war%2C%20state"
         "%20media%20reported%20Tuesday.", "https://en.yna.co.kr/view/AEN20240116000651315"),
        ("https://example.org/page#sec2:~:text=foo", "https://example.org/page#sec2"),
        ("https://example.org/page#:~:text=a&text=b", "https://example.org/page"),
    ],
)
def test_text_fragment_directives_are_removed(written: str, kept: str) -> None:
    entry = Entry(url=written)
    changes = drop_text_fragment(entry)
    assert entry.url == kept
    assert codes(changes) == ["url-text-fragment"]
    assert changes[0].before == written
    assert drop_text_fragment(entry) == []


@pytest.mark.parametrize(
    "url",
    ["https://example.org/page#section-2", "https://example.org/page",
     "https://example.org/a:~:b", "https://example.org/#/route"],
)
def test_plain_anchors_are_kept(url: str) -> None:
    entry = Entry(url=url)
    assert drop_text_fragment(entry) == []
    assert entry.url == url
    assert split_text_fragment(url) == (url, None)


def test_the_seed_text_fragments_are_all_reported() -> None:
    urls = [
        "https://www.channelnewsasia.com/commentary/north-korea-trash-balloons-south-activist-"
        "propaganda-diplomacy-4382726#:~:text=BUSAN%2C%20South%20Korea%3A%20North%20Korea,trash"
        "%2C%20dirt%20and%20even%20manure.",
        "https://en.yna.co.kr/view/AEN20240116000651315#:~:text=SEOUL%2C%20Jan.,war%2C%20state"
        "%20media%20reported%20Tuesday.",
        WORLD_BANK,
    ]
    entries = [Entry(url=u) for u in urls]
    found = [c.code for _, c in normalise(entries)]
    assert found.count("url-text-fragment") == 3
    assert "url-trailing-punctuation" not in found, "the final period went with the fragment"
    assert all(e.url and "#" not in e.url for e in entries)


# --- trailing punctuation ------------------------------------------------------------------

@pytest.mark.parametrize(
    "written, kept",
    [
        ("https://www.globalnk.org/commentary/view?cd=COM000135.",
         "https://www.globalnk.org/commentary/view?cd=COM000135"),
        ("https://example.org/page),", "https://example.org/page"),
        ("<https://example.org/page>", "https://example.org/page"),
        ("https://example.org/page;", "https://example.org/page"),
        ("https://example.org/page\u201d.", "https://example.org/page"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)).", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ],
)
def test_trailing_sentence_punctuation_is_dropped(written: str, kept: str) -> None:
    entry = Entry(url=written)
    changes = drop_url_punctuation(entry)
    assert entry.url == kept
    assert codes(changes) == ["url-trailing-punctuation"]
    assert drop_url_punctuation(entry) == []


@pytest.mark.parametrize(
    "url",
    ["https://en.wikipedia.org/wiki/Foo_(bar)", "https://globaldiplomacyindex.lowyinstitute.org/",
     "https://www.38north.org/2023/05/north-koreas-war/", "https://example.org/a?b=c"],
)
def test_urls_ending_in_their_own_characters_are_kept(url: str) -> None:
    entry = Entry(url=url)
    assert drop_url_punctuation(entry) == []
    assert entry.url == url


# --- issues that are reported, not repaired -------------------------------------------------

def test_http_is_reported_and_not_rewritten() -> None:
    url = "http://www.kossrec.org/wp-content/uploads/2017/09/4.-Leif-Eric-Easley.pdf"
    entry = Entry(url=url)
    assert normalise([entry]) == []
    assert entry.url == url
    assert [i.code for i in url_issues(url)] == ["url-insecure"]


@pytest.mark.parametrize(
    "url",
    ["https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html",
     "https://unikorea.go.kr/eng_unikorea/relations/2009Present/boardId=bbs_0000000000000140"
     "&mode=view&cntId=172&category=&pageIdx=",
     "https://www.kinu.or.kr/eng/module/report/view.do?idx=114277&nav_code=eng1674806000",
     "https://ko.wikipedia.org/wiki/\ud55c\uad6d", "https://m\u00fcnchen.de/",
     "https://[2001:db8::1]/x", "https://192.0.2.1/x", "http://localhost:8080/"],
)
def test_good_urls_have_no_malformed_issue(url: str) -> None:
    assert "url-malformed" not in [i.code for i in url_issues(url)]


@pytest.mark.parametrize(
    "url, why",
    [
        ("https://exa mple.com/x", "whitespace"),
        ("www.exa_mple!.com/page", "scheme"),  # no well-formed link even with https://
        ("https://", "host"),
        ("https://x..com/", "empty part"),
        ("https://-x.com/", "invalid part"),
        ("https://example.com:99999/", "parsed"),
        ("https://[::1/", "parsed"),
        ("https://example.org/a%zz", "escape"),
        ("javascript://example.org/", "scheme"),
        ("https://intranet/page", "domain"),
    ],
)
def test_malformed_urls_are_reported_with_a_reason(url: str, why: str) -> None:
    issues = [i for i in url_issues(url) if i.code == "url-malformed"]
    assert len(issues) == 1
    assert why in issues[0].message
    assert url in issues[0].message


def test_url_issues_of_nothing_is_nothing() -> None:
    assert url_issues(None) == []
    assert url_issues("  ") == []


def test_date_in_url_reads_year_and_month_from_the_path() -> None:
    assert date_in_url("https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html") == (2024, 5)
    assert date_in_url("https://www.38north.org/2023/05/north-koreas-war/") == (2023, 5)
    assert date_in_url("https://example.org/news/2021/story") == (2021, None)
    assert date_in_url("https://www.globalnk.org/commentary/view?cd=COM000135") is None
    assert date_in_url("https://example.org/x?y=/2024/05/") is None
    assert date_in_url(None) is None


@pytest.mark.parametrize("url, implied", [
    ("www.example.com/page", "https://www.example.com/page"),
    ("muse.jhu.edu/article/1", "https://muse.jhu.edu/article/1"),
    ("https://example.com/a", None), ("www.exa mple.com", None), ("/relative/path", None),
    ("localhost/x", None), ("Title. Publisher", None), ("editor@journal.org", None),
    ("U.S.", None), ("e.g.", None), ("pp.12-14", None), ("1.2.3", None), ("J.Smith", None),
    ("mailto:x@y.com", None), ("example.com", None),
])
def test_a_link_without_its_scheme_is_read_as_https(url: str, implied: str | None) -> None:
    from citekit.normalise.url import implied_https

    assert implied_https(url) == implied
    codes = [i.code for i in url_issues(url)]
    assert ("url-no-scheme" in codes) == (implied is not None)
