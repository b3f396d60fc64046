"""Dates written as text, and the step that fills month/day from them."""

from __future__ import annotations

import pytest

from citekit.model import Date, Entry
from citekit.normalise import DateText, fill_date_parts, parse_date_text


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("January 3", DateText(month=1, day=3)),
        ("April 15", DateText(month=4, day=15)),
        ("April", DateText(month=4)),
        ("Jan. 3, 2024", DateText(2024, 1, 3)),
        ("3 January 2024", DateText(2024, 1, 3)),
        ("Sept. 30", DateText(month=9, day=30)),
        ("May 4th", DateText(month=5, day=4)),
        ("Spring 2024", DateText(2024, season=1)),
        ("fall", DateText(season=3)),
        ("June 4\u20135", DateText(month=6, day=4)),
        ("2024-01-16", DateText(2024, 1, 16)),
        ("2024-02", DateText(2024, 2)),
        ("  March\n 11 ", DateText(month=3, day=11)),
    ],
)
def test_date_texts_are_read(text: str, parsed: DateText) -> None:
    assert parse_date_text(text) == parsed


@pytest.mark.parametrize(
    "text",
    ["", "Korea Times", "February 30", "3", "Global NK", "13/01/2024", "2024-13-01", None,
     "January 3 or so"],
)
def test_non_dates_are_not_guessed(text: str | None) -> None:
    assert parse_date_text(text) is None


def test_month_and_day_are_filled_from_the_date_text() -> None:
    entry = Entry(issued=Date(2024), extra={"date-text": "January 3"})
    changes = fill_date_parts(entry)
    assert entry.issued == Date(2024, 1, 3)
    assert [(c.code, c.field, c.before, c.after) for c in changes] == [
        ("date-parts", "issued", "2024", "2024-01-03")]
    assert entry.extra["date-text"] == "January 3", "the text as written is kept"
    assert fill_date_parts(entry) == []


def test_a_month_alone_fills_the_month_only() -> None:
    entry = Entry(issued=Date(2024), extra={"date-text": "April"})
    fill_date_parts(entry)
    assert entry.issued == Date(2024, 4)


def test_a_season_is_kept_as_the_csl_season() -> None:
    entry = Entry(issued=Date(2024), extra={"date-text": "Winter"})
    changes = fill_date_parts(entry)
    assert entry.issued == Date(2024, season=4)
    assert [c.code for c in changes] == ["date-parts"]
    assert fill_date_parts(entry) == []


def test_a_literal_date_without_year_is_read() -> None:
    entry = Entry(issued=Date(literal="Jan. 16, 2024"))
    fill_date_parts(entry)
    assert entry.issued == Date(2024, 1, 16)


def test_a_date_text_that_disagrees_is_left_for_the_checks() -> None:
    entry = Entry(issued=Date(2024, 5), extra={"date-text": "January 3"})
    assert fill_date_parts(entry) == []
    assert entry.issued == Date(2024, 5)
    other_year = Entry(issued=Date(2024), extra={"date-text": "January 3, 2023"})
    assert fill_date_parts(other_year) == []
    assert other_year.issued == Date(2024)


def test_no_date_text_no_change() -> None:
    entry = Entry(issued=Date(2024))
    assert fill_date_parts(entry) == []
    assert fill_date_parts(Entry()) == []
