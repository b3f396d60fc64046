"""Reference-string parsing: one entry point, :func:`parse_reference`."""

from __future__ import annotations

from ..model import Entry
from .authordate import parse_authordate

__all__ = ["parse_reference"]


def parse_reference(text: str) -> Entry:
    """Parse one reference string into an :class:`~citekit.model.Entry`.

    The structural author-date parser handles Chicago author-date, APA- and Harvard-like strings;
    ``entry.confidence`` says how sure it is.
    """
    return parse_authordate(text)
