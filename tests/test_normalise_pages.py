"""Page ranges: one separator, digits as written."""

from __future__ import annotations

import pytest

from citekit.model import Entry
from citekit.normalise import normalise_page_range, normalise_pages


@pytest.mark.parametrize(
    "written, normal",
    [
        ("502\u2013525", "502-525"),
        ("502 - 525", "502-525"),
        ("pp. 502-25", "502-25"),
        ("pp.502\u2014525", "502-525"),
        ("p. 12", "12"),
        ("1273--1305", "1273-1305"),
        ("S12\u2013S15", "S12-S15"),
        ("xi\u2013xv", "xi-xv"),
        ("1\u20135, 7 - 9", "1-5, 7-9"),
        ("228 \u2212 252", "228-252"),
    ],
)
def test_page_ranges_are_written_with_a_hyphen(written: str, normal: str) -> None:
    assert normalise_page_range(written) == normal
    entry = Entry(page=written)
    changes = normalise_pages(entry)
    assert entry.page == normal
    assert [(c.code, c.field, c.before, c.after) for c in changes] == [
        ("page-range", "page", written, normal)]
    assert normalise_pages(entry) == []


@pytest.mark.parametrize("page", ["502-525", "51-71", "e0245", "12", "A1-A5", "1-5, 7-9"])
def test_normal_pages_are_left_alone(page: str) -> None:
    entry = Entry(page=page)
    assert normalise_pages(entry) == []
    assert entry.page == page


def test_text_that_is_not_a_range_keeps_its_dash() -> None:
    assert normalise_page_range("forthcoming - online first") == "forthcoming - online first"
    assert normalise_pages(Entry()) == []


def test_a_change_of_dash_alone_is_silent() -> None:
    from citekit.model import Entry
    from citekit.normalise.pages import normalise_pages

    [dash] = normalise_pages(Entry(page="45\u201367"))
    assert dash.after == "45-67" and dash.silent
    [doubled] = normalise_pages(Entry(page="1--10"))
    assert doubled.after == "1-10" and not doubled.silent
    [label] = normalise_pages(Entry(page="pp. 45\u201367"))
    assert label.after == "45-67" and not label.silent
