"""Checks of the reference list as a whole: order, year suffixes, duplicates."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterator

from rapidfuzz import fuzz

from ..model import Entry, Name
from ..normalise.doi import clean_doi
from ..normalise.keys import year_suffix
from ..parse.liststyle import numbered, years_late
from .entries import date_words
from .codes import severity_of
from .findings import Finding, Fix
from .locate import entry_location

__all__ = ["check_order", "check_year_suffixes", "check_duplicates", "author_key", "sort_key",
           "cite_label"]


_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for sorting and comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _name_key(name: Name) -> tuple[str, str]:
    if name.literal is not None:
        return (_fold(name.literal), "")
    return (_fold(name.family or ""), _fold(name.given or ""))


def author_key(entry: Entry) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The entry's authors (or editors) as a comparable key, with the et-al flag."""
    return tuple(_name_key(n) for n in entry.names), entry.et_al


def sort_key(entry: Entry) -> tuple[object, ...]:
    """Author-date order: first author, then co-authors (single-author works first), then year."""
    names, et_al = author_key(entry)
    if not names:  # a work without authors sorts by its title (leading article dropped)
        title = _fold(entry.title or "")
        names = ((_ARTICLE.sub("", title), ""),)
    # (a work in press or forthcoming comes after the dated ones, "n.d." before them, as APA
    # and citeproc-js order them)
    year = entry.year or (9999 if _unpublished(entry) else 0)
    return (names[:1], names[1:], et_al, year, entry.extra.get("year-suffix", ""))


def cite_label(entry: Entry) -> str:
    """How an author-date citation names the entry: ``Easley``, ``Ha and Kim``, ``Lee et al.``."""
    names = entry.names
    if not names:
        return (entry.title or "Anonymous").split(":")[0]
    if len(names) >= 3 or entry.et_al:
        return f"{names[0].sort_name} et al."
    if len(names) == 2:
        return f"{names[0].sort_name} and {names[1].sort_name}"
    return names[0].sort_name


def _year_label(entry: Entry) -> str:
    return f"{entry.year or _unpublished(entry) or 'n.d.'}{entry.extra.get('year-suffix', '')}"


def _unpublished(entry: Entry) -> str:
    """"in press" or "forthcoming" for a work the list dates so, else ""."""
    words = date_words(entry).lower()
    return words if words in ("in press", "forthcoming") else ""


def _part(entry: Entry) -> int:
    """Which sub-list of a reference section the entry is in (0 when there is one list)."""
    return int(entry.diagnostics.get("list-part", 0))


def title_sort_key(entry: Entry) -> tuple[object, ...]:
    """Notes-bibliography and MLA order: first author, co-authors, then title (an author's
    works go by title, a leading article aside)."""
    key = sort_key(entry)
    return key[:3] + (_ARTICLE.sub("", _fold(entry.title or "")),)


def _title_label(entry: Entry) -> str:
    """``Cha, Impossible State`` (the author and the first words of the title)."""
    words = (entry.title or "").split(":")[0].split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return f"{cite_label(entry)}, {' '.join(words[:4])}".rstrip(", ")


def check_order(entries: list[Entry]) -> Iterator[Finding]:
    """Each entry that sorts before the entry above it (none in a numbered list, which is in
    the order the works are cited). An author-date list goes by author, then year; a list
    whose years come late (Chicago's notes and bibliography, MLA) by author, then title."""
    if numbered(entries):
        return
    by_title = years_late(entries)
    key, order = (title_sort_key, "title") if by_title else (sort_key, "year")
    for prev, cur in zip(entries, entries[1:]):
        if _part(prev) != _part(cur):
            continue  # a sub-heading ("Quellen", then "Literatur") starts another list
        script = _script(cite_label(cur))
        if script != _script(cite_label(prev)) or script in _UNORDERED_SCRIPTS:
            # lists group works by script (the Korean ones, then the Western ones), and Chinese
            # or Japanese names go by their readings, which the characters do not show
            continue
        if key(cur) < key(prev):
            label = _title_label if by_title else (lambda e: f"{cite_label(e)} {_year_label(e)}")
            yield Finding(
                "reference-order", severity_of("reference-order"),
                f"{label(cur)} should come before {label(prev)} (author, then {order})",
                entry_location(cur),
                Fix(f"move the entry up to its author-then-{order} place"))


_UNORDERED_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA"})


def _script(text: str) -> str:
    """The writing system of the first letter of ``text``: "LATIN", "HANGUL", "CJK",
    "CYRILLIC"… (Latin for a text with no letter)."""
    for ch in text:
        if ch.isalpha():
            if ch < "\u0250":
                return "LATIN"
            return unicodedata.name(ch, "OTHER").split()[0]
    return "LATIN"


def check_numbering(entries: list[Entry]) -> Iterator[Finding]:
    """In a numbered list, each number that does not follow the one above (a skipped or
    repeated number: "[6]" after "[4]", "[3]" twice)."""
    numbered = [(e, str(e.extra.get("citation-number") or "")) for e in entries]
    numbered = [(e, int(n)) for e, n in numbered if n.isdigit()]
    if len(numbered) * 2 <= len(entries) or len(numbered) < 2:
        return
    seen: dict[int, Entry] = {}
    for (prev, p), (cur, c) in zip(numbered, numbered[1:]):
        if _part(prev) != _part(cur):
            seen = {}
            continue  # a sub-list numbers on its own
        seen.setdefault(p, prev)
        if c in seen:
            why = (f"number {c} is used twice (also line {entry_location(seen[c]).line})")
        elif c == p + 1 or c == p - 1:  # counting up, or down (a reversed list)
            continue
        elif c > p + 1:
            missing = f"{p + 1}" if c == p + 2 else f"{p + 1}–{c - 1}"
            why = f"[{c}] follows [{p}]: {'number' if c == p + 2 else 'numbers'} {missing} " \
                  f"{'is' if c == p + 2 else 'are'} missing"
        else:
            why = f"[{c}] follows [{p}]: the numbers go back"
        yield Finding("reference-numbering", severity_of("reference-numbering"),
                      f"{cite_label(cur)} {_year_label(cur)}: {why}", entry_location(cur),
                      Fix("renumber the list, and the body's citations with it"),
                      {"number": c, "previous": p})


def check_year_suffixes(entries: list[Entry]) -> Iterator[Finding]:
    """Entries with the same authors and year must be told apart as 2023a, 2023b (in an
    author-date list: one that gives its years late, MLA or notes and bibliography, tells an
    author's works apart by their titles)."""
    if years_late(entries):
        return
    groups: dict[tuple[object, ...], list[Entry]] = defaultdict(list)
    for e in entries:
        if e.year is not None and e.names:
            groups[(author_key(e), e.year)].append(e)
    for group in groups.values():
        # The same work listed twice is a duplicate (duplicate-entry), not two works to tell
        # apart: it takes one letter.
        group = list({_fold(e.title or ""): e for e in reversed(group)}.values())[::-1]
        if len(group) < 2 or all(e.extra.get("year-suffix") for e in group):
            continue
        ordered = sorted(group, key=lambda e: _fold(e.title or ""))
        for i, e in enumerate(ordered):
            suffix = year_suffix(i)
            yield Finding(
                "year-suffix-missing", severity_of("year-suffix-missing"),
                f"{cite_label(e)} has {len(group)} entries for {e.year}; this one should be "
                f"{e.year}{suffix} in the list and in the citations",
                entry_location(e),
                Fix(f"write the year as {e.year}{suffix}", "year-suffix", None, suffix))


def check_duplicates(entries: list[Entry]) -> Iterator[Finding]:
    """Same DOI, or same authors + year + near-identical title (rapidfuzz ratio >= 90)."""
    seen_doi: dict[str, Entry] = {}
    by_author_year: dict[tuple[object, ...], list[Entry]] = defaultdict(list)
    for e in entries:
        doi = clean_doi(e.doi) if e.doi else None
        if doi:
            first = seen_doi.get(doi.casefold())
            if first is not None:
                yield _dup(e, first, f"the same DOI {doi}")
                continue
            seen_doi[doi.casefold()] = e
        key = (author_key(e), e.year)
        for other in by_author_year[key]:
            score = fuzz.ratio(_fold(e.title or ""), _fold(other.title or ""))
            if e.title and other.title and score >= 90:
                yield _dup(e, other, f"the same authors, year and title (similarity {score:.0f}%)")
                break
        by_author_year[key].append(e)


def _dup(entry: Entry, first: Entry, why: str) -> Finding:
    where = entry_location(first)
    return Finding("duplicate-entry", severity_of("duplicate-entry"),
                   f"{cite_label(entry)} {_year_label(entry)} duplicates the entry at line "
                   f"{where.line} ({why})", entry_location(entry),
                   Fix("delete one of the two entries"), {"duplicate-of": first.id})
