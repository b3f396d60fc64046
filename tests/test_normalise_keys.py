"""Deterministic citation keys."""

from __future__ import annotations

import copy

from citekit.model import Date, Entry, Name
from citekit.normalise import base_key, make_keys
from citekit.normalise.keys import ascii_letters


def person(family: str, given: str = "A.") -> Name:
    return Name(family=family, given=given)


def test_keys_follow_the_scheme() -> None:
    entries = [
        Entry(author=[person("Easley")], issued=Date(2017)),
        Entry(author=[person("Chow"), person("Easley")], issued=Date(2019)),
        Entry(author=[person("Ha"), person("Kim")], issued=Date(2024, 3, 11)),
        Entry(author=[person("Lee")], et_al=True, issued=Date(2023)),
        Entry(author=[person("Park"), person("Choi"), person("Yoon")], issued=Date(2022)),
        Entry(author=[Name(literal="Lowy Institute")], issued=Date(2024)),
        Entry(author=[Name(literal="Ministry of Unification")], issued=Date(2024)),
        Entry(author=[Name(literal="World Bank")]),
        Entry(author=[person("Kwak", "Yeon-soo")], issued=Date(2024)),
    ]
    make_keys(entries)
    assert [e.id for e in entries] == [
        "easley2017", "chow2019", "ha2024", "leeetal2023", "parketal2022", "lowyinstitute2024",
        "ministryofunification2024", "worldbanknd", "kwak2024"]


def test_only_colliding_keys_get_suffixes_in_list_order() -> None:
    entries = [
        Entry(author=[person("Lee", "Sang-yong")], issued=Date(2023), title="B"),
        Entry(author=[person("Lee", "Wootae")], issued=Date(2023), title="A"),
        Entry(author=[person("Lee", "Wootae")], et_al=True, issued=Date(2023)),
        Entry(author=[person("Easley")], issued=Date(2023)),
    ]
    make_keys(entries)
    assert [e.id for e in entries] == ["lee2023a", "lee2023b", "leeetal2023", "easley2023"]


def test_keys_are_stable_for_the_same_input() -> None:
    entries = [Entry(author=[person("Lee")], issued=Date(2023)) for _ in range(30)]
    again = copy.deepcopy(entries)
    make_keys(entries)
    make_keys(again)
    assert [e.id for e in entries] == [e.id for e in again]
    assert len({e.id for e in entries}) == 30
    assert entries[25].id == "lee2023z" and entries[26].id == "lee2023aa"
    make_keys(entries)
    assert [e.id for e in entries] == [e.id for e in again], "rerunning changes nothing"


def test_names_are_folded_to_ascii_letters() -> None:
    assert ascii_letters("Müller-Lüdenscheidt") == "mullerludenscheidt"
    assert ascii_letters("Øster Ström") == "osterstrom"
    assert ascii_letters("O'Brien") == "obrien"
    entry = Entry(author=[Name(family="Berg", non_dropping_particle="van der")], issued=Date(2020))
    assert base_key(entry) == "vanderberg2020"


def test_entries_without_usable_names_fall_back_to_title_then_anon() -> None:
    assert base_key(Entry(title="The Global Diplomacy Index", issued=Date(2024))) == "global2024"
    assert base_key(Entry(author=[Name(family="\uacfd")], title="\ud55c\uad6d")) == "anonnd"
    assert base_key(Entry()) == "anonnd"


def test_editors_head_the_key_when_there_are_no_authors() -> None:
    entry = Entry(editor=[person("Kim")], issued=Date(2021))
    assert base_key(entry) == "kim2021"
