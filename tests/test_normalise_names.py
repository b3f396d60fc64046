"""Name normaliser: whitespace, spaced initials, ALL-CAPS family names."""

from __future__ import annotations

import pytest

from citekit.model import Entry, Name
from citekit.normalise import normalise_names
from citekit.normalise.names import is_all_caps, space_initials, title_case_family


def test_whitespace_and_stray_commas_are_tidied() -> None:
    entry = Entry(author=[Name(family="  Easley ", given="Leif-Eric\u00a0 "),
                          Name(literal="Ministry  of\nUnification")])
    changes = normalise_names(entry)
    assert entry.author == [Name(family="Easley", given="Leif-Eric"),
                            Name(literal="Ministry of Unification")]
    assert [c.code for c in changes] == ["name-whitespace", "name-whitespace"]
    assert changes[0].field == "author"
    assert normalise_names(entry) == []


def test_hyphenated_given_names_are_kept() -> None:
    entry = Entry(author=[Name(family="Ha", given="Young-sun"), Name(family="Kim", given="Soo-yeon")])
    assert normalise_names(entry) == []
    assert entry.author[0].given == "Young-sun"


@pytest.mark.parametrize(
    "given, spaced",
    [("J.T.", "J. T."), ("Jonathan T.", "Jonathan T."), ("J.-P.", "J.-P."),
     ("R.E.K.", "R. E. K."), ("É.J.", "É. J."), ("J. T.", "J. T.")],
)
def test_initials_are_spaced(given: str, spaced: str) -> None:
    assert space_initials(given) == spaced


def test_initials_step_records_the_change() -> None:
    entry = Entry(editor=[Name(family="Chow", given="J.T.")])
    changes = normalise_names(entry)
    assert entry.editor[0].given == "J. T."
    assert [(c.code, c.field, c.before, c.after) for c in changes] == [
        ("name-initials", "editor", "Chow, J.T.", "Chow, J. T.")]
    assert normalise_names(entry) == []


@pytest.mark.parametrize(
    "family, cased",
    [("EASLEY", "Easley"), ("O'BRIEN", "O'Brien"), ("EASLEY-SMITH", "Easley-Smith"),
     ("VAN DER BERG", "Van der Berg"), ("MÜLLER", "Müller"),
     ("IBN AL-HAYTHAM", "Ibn al-Haytham"), ("SMITH-ST. JOHN", "Smith-St. John")],
)
def test_all_caps_family_names_are_title_cased(family: str, cased: str) -> None:
    assert title_case_family(family) == cased
    entry = Entry(author=[Name(family=family, given="Leif-Eric")])
    changes = normalise_names(entry)
    assert entry.author[0].family == cased
    assert [c.code for c in changes] == ["name-case"]
    assert normalise_names(entry) == []


@pytest.mark.parametrize(
    "name",
    [Name(family="McDonald", given="Anne"), Name(family="Easley", given="Leif-Eric"),
     Name(family="UNESCO"), Name(literal="EAI"), Name(family="X", given="Y"),
     Name(family="deGrasse Tyson", given="Neil")],
)
def test_names_that_are_not_clearly_all_caps_are_kept(name: Name) -> None:
    entry = Entry(author=[name])
    before = str(name)
    assert normalise_names(entry) == []
    assert str(entry.author[0]) == before


def test_is_all_caps_needs_two_letters() -> None:
    assert is_all_caps("EASLEY")
    assert not is_all_caps("J.")
    assert not is_all_caps("Easley")


def test_other_name_variables_in_extra_are_tidied_too() -> None:
    entry = Entry(extra={"translator": [Name(family=" KIM ", given="Yang  Gyu")]})
    changes = normalise_names(entry)
    assert entry.extra["translator"] == [Name(family="Kim", given="Yang Gyu")]
    assert [c.code for c in changes] == ["name-whitespace", "name-case"]
    assert {c.field for c in changes} == {"translator"}


def test_a_change_the_written_form_does_not_show_is_recorded_as_csl() -> None:
    entry = Entry(author=[Name(literal="World Bank", family=" ")])
    changes = normalise_names(entry)
    assert [(c.code, c.before, c.after) for c in changes] == [
        ("name-whitespace", {"family": " ", "literal": "World Bank"},
         {"family": "", "literal": "World Bank"})]
