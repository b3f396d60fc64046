"""Build finding locations from entries, citations and text positions."""

from __future__ import annotations

from ..model import Entry
from .findings import Location

__all__ = ["entry_location", "locate_in_entry"]


def entry_location(entry: Entry, path: str | None = None) -> Location:
    """Where the entry starts (its first line and column), with its key."""
    src = entry.source
    if src is None:
        return Location(path=path, key=entry.id or None)
    return Location(path=src.path or path, line=src.line, col=src.col, key=entry.id or None)


def locate_in_entry(entry: Entry, needle: str | None, path: str | None = None) -> Location:
    """The line and column of ``needle`` inside the entry's raw text (else the entry's start)."""
    loc = entry_location(entry, path)
    src = entry.source
    if src is None or not needle:
        return loc
    idx = src.raw.find(needle)
    if idx < 0:
        idx = src.raw.find(needle.split(" ")[0])
    if idx < 0 and "://" in needle:
        # A repaired URL differs from the text: find it by its scheme and host.
        host = needle.split("/", 3)[:3]
        idx = src.raw.find("/".join(host)) if len(host) == 3 else -1
    if idx < 0:
        return loc
    before = src.raw[:idx]
    line = src.line + before.count("\n")
    col = (idx - before.rfind("\n")) if "\n" in before else src.col + idx
    return Location(path=loc.path, line=line, col=col, key=loc.key)
