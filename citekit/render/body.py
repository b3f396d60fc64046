"""The in-text citations of a commentary's body, as entry ids the renderer can cite.

A body citation names authors and a year as written (``Ha and Kim 2024``, ``Lee, et al.
2023``, ``Lowy 2024``); it is matched to the entry whose first author's family name (or the
first word of an institution's name) and year agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..model import Bibliography, Entry

__all__ = ["BodyCites", "cites_from_body"]

_SPLIT_RE = re.compile(r",|\band\b|&|\bet al\b\.?", re.IGNORECASE)


@dataclass
class BodyCites:
    """Citations as groups of entry ids, and the cited works no entry matched (with where)."""

    groups: list[list[str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def _first_word(entry: Entry) -> str:
    names = entry.names
    if not names:
        return _fold((entry.title or "").split(" ")[0]) if entry.title else ""
    first = names[0]
    if first.literal:
        return _fold(first.literal.split(" ")[0])
    return _fold(first.sort_name.split(" ")[-1] if first.non_dropping_particle else first.sort_name)


def _names(entry: Entry) -> list[str]:
    return [_fold(n.literal or n.family or "") for n in entry.names]


def cites_from_body(bibliography: Bibliography) -> BodyCites:
    """Match each body citation's works to entries by first author and year."""
    out = BodyCites()
    for citation in bibliography.citations:
        group: list[str] = []
        for item in citation.items:
            parts = [p.strip() for p in _SPLIT_RE.split(item.names) if p.strip()]
            first = _fold(parts[0].split(" ")[0]) if parts else ""
            year = item.year_int
            candidates = [e for e in bibliography.entries
                          if e.year == year and first and _first_word(e).startswith(first)]
            if len(candidates) > 1 and len(parts) > 1:
                second = _fold(parts[1])
                narrowed = [e for e in candidates if any(second in n for n in _names(e)[1:2])]
                candidates = narrowed or candidates
            if len(candidates) > 1:
                suffix = item.year[4:5]
                if suffix.isalpha():
                    index = ord(suffix.lower()) - ord("a")
                    candidates = candidates[index:index + 1] or candidates
            if candidates:
                group.append(candidates[0].id)
            else:
                where = f"{bibliography.path or '<string>'}:{item.line or citation.line}:" \
                        f"{item.col or citation.col}"
                out.unmatched.append(f"{where}: no entry for {item.raw or item.names + ' ' + item.year}")
        if group:
            out.groups.append(group)
    return out
