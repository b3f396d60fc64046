"""Titles: whitespace, quotation marks around the whole title, and a final period.

The style adds quotation marks and the period after a title, so one written into the title
itself would print twice. Hand-written: three string rules.
"""

from __future__ import annotations

import re

from ..model import Entry
from .base import Change, collapse_whitespace

__all__ = ["strip_wrapping_quotes", "strip_final_period", "normalise_titles"]

# Opening mark → closing marks that may end a title it opens.
_PAIRS = {
    '"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb",
    "\u201e": "\u201c\u201d", "\u201a": "\u2018\u2019", "\u300c": "\u300d",
}
# More nested quotation marks than this at the start: leave the title as written.
_MAX_LAYERS = 8
_ABBREVIATIONS = frozenset({
    "inc", "ltd", "co", "corp", "jr", "sr", "st", "etc", "al", "vs", "no", "vol", "ed", "eds",
    "dr", "mr", "mrs", "ms", "prof", "ph.d", "u.s", "u.k", "u.n", "e.g", "i.e",
})
_INITIALISM = re.compile(r"(?:\w\.)+\w")


def _is_apostrophe(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def strip_wrapping_quotes(title: str) -> str:
    """Remove quotation marks that wrap the whole title (``“Title”`` → ``Title``).

    Marks that open and close different quotations (``"A" and "B"``) are kept.
    """
    s = title.strip()
    if len(s) < 3 or s[0] not in _PAIRS or s[-1] not in _PAIRS[s[0]]:
        return title
    if all(ch in _PAIRS for ch in s[:_MAX_LAYERS + 1]):
        return title  # a wall of quotation marks is not a quoted title; peeling it would be slow
    opener, closer = s[0], s[-1]
    inner = s[1:-1]
    depth = 0
    for i, ch in enumerate(inner):
        if ch == closer and _is_apostrophe(inner, i):
            continue
        if opener == closer:
            if ch == opener:
                return title  # the same mark inside: the title is not one quotation
            continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth < 0:
                return title
    return inner.strip() if depth == 0 else title


def strip_final_period(title: str) -> str:
    """Drop a final period (not an ellipsis, not the period of ``U.S.`` or ``Inc.``)."""
    if not title.endswith(".") or title.endswith(".."):
        return title
    words = title[:-1].rsplit(None, 1)
    if words:
        word = words[-1].lower().lstrip("(\"'\u201c\u2018")
        if word in _ABBREVIATIONS or _INITIALISM.fullmatch(word) or len(word) == 1:
            return title
    return title[:-1].rstrip()


def normalise_titles(entry: Entry) -> list[Change]:
    """Tidy title and container title (``title-whitespace``, ``title-quotes``, ``title-period``).

    The final period is dropped from the title only: in a container title it usually ends an
    abbreviation (``Am. J. Sociol.``).
    """
    changes: list[Change] = []
    for key, attr in (("title", "title"), ("container-title", "container_title")):
        value = getattr(entry, attr)
        if not isinstance(value, str):
            continue
        steps = [("title-whitespace", collapse_whitespace, "extra whitespace removed"),
                 ("title-quotes", strip_wrapping_quotes, "quotation marks around it removed")]
        if key == "title":
            steps.append(("title-period", strip_final_period, "final period removed"))
        while True:  # “‘Foo.’”. needs more than one round; every change shortens the title
            changed = False
            for code, func, message in steps:
                after = func(value)
                if after != value and after:
                    changes.append(Change(code, key, value, after, f"{key}: {message}"))
                    value, changed = after, True
            if not changed:
                break
        setattr(entry, attr, value)
    return changes
