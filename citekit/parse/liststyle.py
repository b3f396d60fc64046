"""What a reference list's entries show of its style: whether each opens with its names and
year (author-date) or gives the year late (MLA, Chicago's notes and bibliography)."""

from __future__ import annotations

from typing import Iterable, Sequence

from ..model import Entry

__all__ = ["date_first", "years_late", "numbered"]


def date_first(entry: Entry) -> bool | None:
    """Whether the entry was written with its year right after the names (author-date), as
    far as its source text shows; None when it cannot tell."""
    raw = entry.source.raw if entry.source is not None else ""
    if not raw or entry.year is None:
        return None
    at = raw.find(str(entry.year))
    if at < 0:
        return None
    before = raw[:at]
    return at <= 600 and not any(q in before for q in "\"\u201c\u2018") and (
        entry.title is None or entry.title[:20] not in before)


def years_late(entries: Iterable[Entry]) -> bool:
    """True when most entries that show it give their year late (not right after the names):
    a list ordered by author and title, cited by author and page or in notes."""
    shapes = [s for s in map(date_first, entries) if s is not None]
    return bool(shapes) and sum(1 for s in shapes if not s) * 2 > len(shapes)


def numbered(entries: Sequence[Entry]) -> bool:
    """True when most entries carry a citation number (IEEE, Vancouver): the list is in the
    order the works are cited, and "[3]" in the body cites its third entry."""
    return sum(1 for e in entries if e.extra.get("citation-number")) * 2 > len(entries)
