"""Personal and institutional names: whitespace, spaced initials, ALL-CAPS family names.

Hand-written: these are three small string rules on already-parsed names; a name-parsing
library (nameparser) would re-split names the readers have already structured.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from ..model import NAME_FIELDS, Entry, Name
from ..parse.names import PARTICLES
from .base import Change, collapse_whitespace

__all__ = ["space_initials", "title_case_family", "is_all_caps", "normalise_names"]

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
# "J.T." -> "J. T.": an initial (capital + period) directly followed by another capital.
_JOINED_INITIALS = re.compile(rf"\b([{_UPPER}])\.(?=[{_UPPER}])")
_SEGMENT = re.compile(r"([-'\u2019 ])")
# The parser's particles written in lower case inside a family name ("VAN DER BERG" → "Van der
# Berg"), without "st." (a saint's name is capitalised: "Smith-St. John"), and with the Arabic
# article, which stands joined by a hyphen here ("IBN AL-HAYTHAM" → "Ibn al-Haytham"); as a
# free word the parser reads "al" as part of "et al.".
_PARTICLES = (PARTICLES - {"st."}) | {"al"}


def space_initials(given: str) -> str:
    """Put a space between run-together initials: ``J.T.`` → ``J. T.`` (``J.-P.`` is kept)."""
    return _JOINED_INITIALS.sub(r"\1. ", given)


def is_all_caps(text: str) -> bool:
    """True when ``text`` has at least two letters and every cased letter is upper case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters if c.lower() != c.upper())


def title_case_family(family: str) -> str:
    """``EASLEY`` → ``Easley``, ``O'BRIEN`` → ``O'Brien``, ``VAN DER BERG`` → ``Van der Berg``."""
    parts = _SEGMENT.split(family.lower())
    out: list[str] = []
    for i, part in enumerate(parts):
        if i > 0 and part in _PARTICLES:
            out.append(part)
        else:
            out.append(part[:1].upper() + part[1:])
    return "".join(out)


def _tidy(text: str | None) -> str | None:
    if text is None:
        return None
    return collapse_whitespace(text).strip(", ")


def _normalise_name(name: Name) -> list[tuple[str, str, Name, Name]]:
    """Apply the rules in turn; return ``(code, message, before, after)`` for each that applied."""
    applied: list[tuple[str, str, Name, Name]] = []
    tidy = replace(name, **{f.name: _tidy(getattr(name, f.name)) for f in fields(Name)})
    if tidy != name:
        applied.append(("name-whitespace", "extra whitespace or commas removed", name, tidy))
        name = tidy
    if name.given and not name.is_literal:
        spaced = space_initials(name.given)
        if spaced != name.given:
            new = replace(name, given=spaced)
            applied.append(("name-initials", f"initials {name.given!r} spaced as {spaced!r}",
                            name, new))
            name = new
    # Only a person's family name, and only when the given name shows it is a person: an
    # all-caps "family" with no given name may be an acronym (UNESCO) misread as a person.
    if name.family and name.given and not name.is_literal and is_all_caps(name.family):
        cased = title_case_family(name.family)
        if cased != name.family:
            new = replace(name, family=cased)
            applied.append(("name-case", f"all-caps family name {name.family!r} written {cased!r}",
                            name, new))
            name = new
    return applied


def _name_lists(entry: Entry) -> list[tuple[str, list[Name]]]:
    lists: list[tuple[str, list[Name]]] = [("author", entry.author), ("editor", entry.editor)]
    for key in NAME_FIELDS:
        val = entry.extra.get(key)
        if key not in ("author", "editor") and isinstance(val, list):
            lists.append((key, val))
    return lists


def normalise_names(entry: Entry) -> list[Change]:
    """Tidy every name (``name-whitespace``, ``name-initials``, ``name-case``) in place."""
    changes: list[Change] = []
    for key, names in _name_lists(entry):
        for i, name in enumerate(names):
            if not isinstance(name, Name):
                continue
            applied = _normalise_name(name)
            if not applied:
                continue
            names[i] = applied[-1][3]
            for code, message, before, after in applied:
                shown: tuple[object, object] = (str(before), str(after))
                if shown[0] == shown[1]:  # a part the written form does not show changed
                    shown = (before.to_csl(), after.to_csl())
                changes.append(Change(code, key, shown[0], shown[1],
                                      f"{key} {i + 1} ({after}): {message}"))
    return changes
