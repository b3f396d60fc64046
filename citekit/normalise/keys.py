"""Deterministic citation keys: ``easley2017``, ``leeetal2023``, ``lowyinstitute2024``,
``lee2023a``/``lee2023b``.

The scheme: the first author's family name (an institution: all its words), lower-cased,
ASCII-folded, letters only; ``etal`` when there are three or more authors or the list was cut
with "et al."; the year (``nd`` when missing); and ``a``, ``b``, … only when two entries would
otherwise get the same key, in list order. The same input always gives the same keys.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..model import Entry, Name
from ..parse.names import split_acronym

__all__ = ["ascii_letters", "base_key", "make_keys", "year_suffix"]

# Letters that Unicode decomposition does not reduce to ASCII. A folding library (anyascii,
# Unidecode) would also romanise other scripts, but would add a dependency for a handful of
# letters; names in other scripts fall back to the title or "anon" below.
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o",
                       "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
                       "þ": "th", "Þ": "th", "ı": "i"})
_STOPWORDS = frozenset({"a", "an", "the", "on", "of", "in", "and", "for", "to"})


def ascii_letters(text: str) -> str:
    """``Kwak`` → ``kwak``, ``Müller-Lüdenscheidt`` → ``mullerludenscheidt``: a-z only."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in folded.lower() if "a" <= c <= "z")


def _name_part(name: Name) -> str:
    if name.literal is not None:
        named = split_acronym(name.literal)  # "… Association (SIA)", "OECD (…)" → "sia", "oecd"
        return ascii_letters(named[1] if named else name.literal)
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    return ascii_letters(family or name.given or "")


def _title_part(entry: Entry) -> str:
    for word in (entry.title or "").split():
        letters = ascii_letters(word)
        if letters and letters not in _STOPWORDS:
            return letters
    return ""


def base_key(entry: Entry) -> str:
    """The key of ``entry`` before any ``a``/``b`` suffix (``leeetal2023``, ``worldbanknd``)."""
    names = entry.names
    head = _name_part(names[0]) if names else ""
    if not head:
        head = _title_part(entry) or "anon"
    if names and (len(names) >= 3 or entry.et_al):
        head += "etal"
    year = entry.year
    return f"{head}{year if year is not None else 'nd'}"


def year_suffix(n: int) -> str:
    """The n-th (0-based) letter suffix: 0 → a, 25 → z, 26 → aa, … (CSL's year-suffix order)."""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def make_keys(entries: Iterable[Entry]) -> None:
    """Give every entry its deterministic key (``entry.id``), suffixing ``a``, ``b``… on clashes."""
    items = list(entries)
    bases = [base_key(e) for e in items]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    taken = {b for b in bases if counts[b] == 1}
    next_suffix: dict[str, int] = {}
    for entry, b in zip(items, bases):
        if counts[b] == 1:
            entry.id = b
            continue
        n = next_suffix.get(b, 0)
        while f"{b}{year_suffix(n)}" in taken:
            n += 1
        key = f"{b}{year_suffix(n)}"
        next_suffix[b] = n + 1
        taken.add(key)
        entry.id = key
