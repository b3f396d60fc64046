"""Titles: whitespace, wrapping quotation marks, final period."""

from __future__ import annotations

import pytest

from citekit.model import Entry
from citekit.normalise import normalise_titles
from citekit.normalise.titles import strip_final_period, strip_wrapping_quotes


@pytest.mark.parametrize(
    "written, normal",
    [
        ("\u201cGlobal Rise of Korean Soft Power\u201d", "Global Rise of Korean Soft Power"),
        ('"Global Rise of Korean Soft Power"', "Global Rise of Korean Soft Power"),
        ("\u2018ROK\u2019s Response\u2019", "ROK\u2019s Response"),
        ("'China's Role'", "China's Role"),
        ("\u201cWhy \u201cPariahs\u201d Differ\u201d", "Why \u201cPariahs\u201d Differ"),
        ("\u00abLe monde\u00bb", "Le monde"),
    ],
)
def test_quotes_around_the_whole_title_are_removed(written: str, normal: str) -> None:
    assert strip_wrapping_quotes(written) == normal


@pytest.mark.parametrize(
    "title",
    ['"Yes" and "No"', "\u201cA\u201d or \u201cB\u201d", "Global Diplomacy Index",
     "\u2018No. 1 hostile country\u2019 in constitution", '"', '""'],
)
def test_quotes_that_do_not_wrap_the_title_are_kept(title: str) -> None:
    assert strip_wrapping_quotes(title) == title


@pytest.mark.parametrize(
    "written, normal",
    [("Global Diplomacy Index.", "Global Diplomacy Index"),
     ("Relations Since 1945 .", "Relations Since 1945")],
)
def test_a_final_period_is_dropped(written: str, normal: str) -> None:
    assert strip_final_period(written) == normal


@pytest.mark.parametrize(
    "title",
    ["Policy Toward the U.S.", "Samsung Electronics Co.", "The Road Ahead...", "Why?",
     "Plan B.", "Smith et al.", "Annihilation of ROK vs. End of Kim Regime"],
)
def test_a_period_that_belongs_to_the_title_is_kept(title: str) -> None:
    assert strip_final_period(title) == title


def test_title_step_records_each_repair() -> None:
    entry = Entry(title="  \u201cGlobal  Rise of Korean Soft Power.\u201d ",
                  container_title="Korea\nTimes")
    changes = normalise_titles(entry)
    assert entry.title == "Global Rise of Korean Soft Power"
    assert entry.container_title == "Korea Times"
    assert [(c.code, c.field) for c in changes] == [
        ("title-whitespace", "title"), ("title-quotes", "title"), ("title-period", "title"),
        ("title-whitespace", "container-title")]
    assert changes[0].before == "  \u201cGlobal  Rise of Korean Soft Power.\u201d "
    assert normalise_titles(entry) == []


def test_nested_wrapping_is_removed_in_one_run() -> None:
    entry = Entry(title="\u201c\u2018Foo.\u2019\u201d.")
    normalise_titles(entry)
    assert entry.title == "Foo"
    assert normalise_titles(entry) == []


def test_container_title_keeps_its_abbreviation_period() -> None:
    entry = Entry(title="North Korean Identity", container_title="Am. J. Sociol.")
    assert normalise_titles(entry) == []
    assert entry.container_title == "Am. J. Sociol."


def test_a_clean_title_is_left_alone() -> None:
    entry = Entry(title="North Korea\u2019s War Against Outside Information and Culture")
    assert normalise_titles(entry) == []
    assert normalise_titles(Entry()) == []
