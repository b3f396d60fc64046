"""Page ranges: ``502–525``, ``502 - 525``, ``pp. 502-25`` → ``502-525``, ``502-25``.

The numbers stay as written (``502-25`` is not expanded: the style decides how ranges print);
only the ``pp.`` label, the spaces and the kind of dash change. Hand-written: a few string rules.
"""

from __future__ import annotations

import re

from ..model import Entry
from .base import Change, collapse_whitespace

__all__ = ["normalise_page_range", "normalise_pages"]

_LABEL = re.compile(r"(?:pp?\.|pages?\b|pp\b) ?", re.IGNORECASE)
# Any dash (hyphen, figure/en/em dash, minus, doubled hyphens) with at most one space either
# side; whitespace is collapsed first, so this cannot backtrack over long runs.
_DASH = re.compile(r" ?(?:-{1,3}|[\u2010-\u2015\u2212]) ?")
_ANY_ONE_DASH = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_PAGE = re.compile(r"[A-Za-z]{0,3}\d+[A-Za-z]?|[ivxlcdmIVXLCDM]+")


def _one_range(part: str) -> str:
    bits = _DASH.split(part)
    if len(bits) == 2 and all(_PAGE.fullmatch(b) for b in bits):
        return f"{bits[0]}-{bits[1]}"
    return part


def normalise_page_range(text: str) -> str:
    """Return ``text`` with the ``pp.`` label dropped and every range written ``first-last``.

    Lists are kept (``1-5, 7-9``); text that is not a page range comes back tidied only.
    """
    s = collapse_whitespace(text)
    m = _LABEL.match(s)
    if m and m.end() < len(s) and s[m.end()].isalnum():
        s = s[m.end():]
    parts = [p.strip() for p in s.split(",")]
    return ", ".join(_one_range(p) for p in parts if p)


def normalise_pages(entry: Entry) -> list[Change]:
    """Write the entry's page range as ``first-last`` (``page-range``)."""
    page = entry.page
    if not isinstance(page, str) or not page:
        return []
    after = normalise_page_range(page)
    if after == page or not after:
        return []
    entry.page = after
    # "45–67" → "45-67" only unifies the dash (styles print their own): kept, not reported.
    return [Change("page-range", "page", page, after, f"page range {page!r} written {after!r}",
                   silent=_ANY_ONE_DASH.sub("-", page) == after)]
