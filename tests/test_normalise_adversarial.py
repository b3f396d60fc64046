"""Hostile and random input: every step survives it, stays idempotent and leaves provenance alone.

Generated strings lean on the characters the steps care about (whitespace of every kind, URL
delimiters, quotation marks, dashes, digits, "doi"). The 10,000-character cases are the ones
that would blow up a backtracking regex; benchmarks/normalise_scaling.py prints how they scale.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citekit.model import Date, Entry, Name, SourceSpan
from citekit.normalise import (
    DEFAULT_STACK,
    URL_STEPS,
    clean_doi,
    date_in_url,
    doi_from_url,
    is_valid_doi,
    normalise,
    normalise_entry,
    parse_date_text,
    rejoin_url,
    url_issues,
)

ALPHABET = (" \t\n\u00a0\u200b/.%#:~=&?()[]<>{}\u201c\u201d\u2018\u2019\"'-\u2013\u2014,;pP"
            "0123456789doiDOIhttps:wx_AaZz\u00e9\ud55c")
text = st.text(alphabet=ALPHABET, max_size=80)
maybe = st.none() | text
url_like = st.builds(lambda a, b: "https://" + a + b, text, text) | text
name = st.builds(Name, family=maybe, given=maybe) | st.builds(Name, literal=text)

entries = st.builds(
    Entry,
    title=maybe,
    container_title=maybe,
    url=st.none() | url_like,
    doi=st.none() | st.builds(lambda t: "10.1000/" + t, text) | text,
    page=maybe,
    author=st.lists(name, max_size=3),
    issued=st.none() | st.builds(Date, year=st.none() | st.integers(1900, 2030),
                                 month=st.none() | st.integers(1, 12), literal=maybe),
    extra=st.fixed_dictionaries({}, optional={"date-text": text}),
)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(entries)
def test_the_stack_never_raises_and_is_idempotent(entry: Entry) -> None:
    entry.source = SourceSpan(path="x.txt", line=1, end_line=1, raw="as written")
    first = normalise_entry(entry)
    snapshot = entry.to_csl()
    assert normalise_entry(entry) == [], "a second run must change nothing"
    assert entry.to_csl() == snapshot
    assert entry.source.raw == "as written"
    for change in first:
        assert change.code and change.field and change.message
        assert change.before != change.after


@SETTINGS
@given(entries)
def test_each_step_alone_is_idempotent(entry: Entry) -> None:
    for step in DEFAULT_STACK + URL_STEPS:
        work = copy.deepcopy(entry)
        step(work)
        assert step(work) == [], step.__name__


@SETTINGS
@given(text)
def test_helpers_accept_any_text(s: str) -> None:
    cleaned = clean_doi(s)
    assert cleaned is None or cleaned.startswith("10.")
    assert cleaned is None or clean_doi(cleaned) == cleaned
    is_valid_doi(s)
    doi_from_url(s)
    url_issues(s)
    date_in_url(s)
    parse_date_text(s)
    joined = rejoin_url(s)[0]
    assert not any(ch.isspace() for ch in joined)


URL_CHUNKS = ["/www/art/2024/05/", "398_342391.html", "relations/",
              "2009Present/boardId=bbs_0000000000000140&", "mode=view&cntId=172",
              "#:~:text=The%20", "Korea%20has,", "1980%", "20and%202023"]


@SETTINGS
@given(st.lists(st.sampled_from(URL_CHUNKS), min_size=1, max_size=8),
       st.lists(st.sampled_from([" ", "\n", "  ", "\u00a0", "\t\n ", "\u200b"]),
                min_size=8, max_size=8))
def test_url_chunks_broken_anywhere_rejoin_to_the_unbroken_url(chunks: list[str],
                                                               gaps: list[str]) -> None:
    chunks = ["https://www.koreatimes.co.kr", *chunks]
    broken = "".join(c + g for c, g in zip(chunks, gaps + [" "]))
    assert rejoin_url(broken) == ("".join(chunks), "")


@SETTINGS
@given(st.text(alphabet="10.2345/%26Fabc<>()[];:&amp;lt;gt doi:/ \n\"'", max_size=40))
def test_cleaning_a_cleaned_doi_changes_nothing(s: str) -> None:
    cleaned = clean_doi("10.1000/" + s)
    assert cleaned is None or clean_doi(cleaned) == cleaned
    entry = Entry(doi="10.1000/" + s)
    normalise([entry])
    assert normalise([entry]) == []


N = 10_000
HOSTILE = [
    Entry(url="https://a.org/" + " " * N + "x"),
    Entry(url="https://a.org/" + "a/ " * (N // 3)),
    Entry(url="https://a.org/x" + " word" * (N // 5)),
    Entry(url="https://a.org/" + ")" * N),
    Entry(url="https://a.org/#" + ":~:" * (N // 3)),
    Entry(url="https://a.org/10.1000/x" + "/pdf" * (N // 4) + "X"),
    Entry(url="\u200b" * N),
    Entry(doi="10.1000/" + "1" * N + "-"),
    Entry(doi="10.1234/1-" + "1" * N + "<"),
    Entry(doi="doi:" * (N // 4) + "10.1000/x"),
    Entry(title="\u201c" * (N // 2) + "x" + "\u201d" * (N // 2)),
    Entry(title="Foo" + ". " * (N // 2)),
    Entry(title="a" * N + " end."),
    Entry(author=[Name(family=" " * N + "EASLEY", given="J." * (N // 2))]),
    Entry(page="1" + " -" * (N // 2)),
    Entry(page="pp." + " " * N + "1 " + " " * N + "-2"),
    Entry(issued=Date(2024), extra={"date-text": "May 3 " * (N // 6)}),
]


@pytest.mark.parametrize("entry", HOSTILE, ids=range(len(HOSTILE)))
def test_ten_thousand_character_hostile_fields_are_handled(entry: Entry) -> None:
    changes = normalise([entry])
    assert normalise([entry]) == []
    for _, change in changes:
        assert change.before != change.after
    if entry.url:
        url_issues(entry.url)
        doi_from_url(entry.url)
        date_in_url(entry.url)


def test_a_wall_of_quotation_marks_is_left_as_written() -> None:
    title = "\u201c" * 50 + "x" + "\u201d" * 50
    entry = Entry(title=title)
    assert normalise([entry]) == []
    assert entry.title == title


SEED_URLS = [
    "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html",
    "https://unikorea.go.kr/eng_unikorea/relations/2009Present/boardId=bbs_0000000000000140"
    "&mode=view&cntId=172&category=&pageIdx=",
    "https://www.worldbank.org/en/country/korea/overview#:~:text=The%20Republic%20of%20Korea",
    "https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594",
    "https://en.wikipedia.org/wiki/Foo_(bar)",
    "http://www.kossrec.org/wp-content/uploads/2017/09/4.-Leif-Eric-Easley.pdf",
]


def is_subsequence(short: str, long: str) -> bool:
    """True when ``short`` is ``long`` with characters left out (whitespace ignored)."""
    it = iter("".join(long.split()))
    return all(ch in it for ch in "".join(short.split()))


@SETTINGS
@given(st.sampled_from(SEED_URLS),
       st.lists(st.tuples(st.integers(0, 200),
                          st.sampled_from([" ", "\n", " \u00a0", ".", ")", ",", " doi/10.1000/x",
                                           "\u200b", " Accessed", "#:~:text=a"])),
                max_size=4))
def test_damaged_seed_urls_repair_without_inventing_characters(url: str,
                                                                edits: list[tuple[int, str]]) -> None:
    for pos, insert in edits:
        pos = min(pos, len(url))
        url = url[:pos] + insert + url[pos:]
    entry = Entry(url=url)
    normalise([entry])
    assert normalise([entry]) == []
    if entry.url is not None:
        assert is_subsequence(entry.url, url)
