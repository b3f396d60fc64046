"""What every normaliser shares: the recorded :class:`Change` and the :class:`Normaliser` protocol.

A normaliser is a plain function ``(entry) -> list[Change]``. It repairs the entry in place,
returns one :class:`Change` per field it touched (before and after), and is idempotent: running
it again on its own output changes nothing and returns ``[]``. It never touches ``entry.source``
(the text as written), so every fix can be traced back to the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from ..model import Entry

__all__ = ["Change", "Normaliser", "bracket_counts", "collapse_whitespace", "strip_unbalanced_end",
           "trim_end"]


@dataclass(frozen=True)
class Change:
    """One recorded repair: the finding ``code`` it maps to, the CSL ``field``, before and after."""

    code: str
    field: str
    before: Any
    after: Any
    message: str
    #: A tidying nobody needs told about (the check reports no finding for it).
    silent: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"code": self.code, "field": self.field, "before": self.before,
                "after": self.after, "message": self.message}


class Normaliser(Protocol):
    """A step of the normalising stack: repairs ``entry`` in place and returns what it changed."""

    __name__: str

    def __call__(self, entry: Entry) -> list[Change]:
        """Repair ``entry`` in place; return every change made (``[]`` when already normal)."""
        ...


# Unicode whitespace plus the invisible characters word processors leave in copied text.
_SPACES = re.compile(r"[\s\u200b\u2060\ufeff]+")


def collapse_whitespace(text: str) -> str:
    """Trim ``text`` and collapse every run of (Unicode) whitespace to one space."""
    return _SPACES.sub(" ", text).strip()


_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}


def bracket_counts(text: str) -> dict[str, int]:
    """How many of each bracket character ``text`` holds (for :func:`trim_end`)."""
    return {ch: text.count(ch) for ch in "()[]{}<>"}


def trim_end(text: str, start: int, end: int, counts: dict[str, int],
             trailing: Callable[[str], bool]) -> int:
    """Walk ``end`` back over characters for which ``trailing`` holds and over unbalanced closing
    brackets; return the new end.

    ``counts`` (from :func:`bracket_counts`, for ``text[start:end]``) is updated in place as
    characters go, so a caller can keep peeling; the walk is linear.
    """
    while end > start:
        last = text[end - 1]
        opener = _CLOSERS.get(last)
        if trailing(last) or (opener is not None and counts[opener] < counts[last]):
            if last in counts:
                counts[last] -= 1
            end -= 1
        else:
            break
    return end


def strip_unbalanced_end(text: str, trailing: str | frozenset[str]) -> str:
    """Drop ``trailing`` characters and unbalanced closing brackets from the end of ``text``."""
    return text[:trim_end(text, 0, len(text), bracket_counts(text), trailing.__contains__)]
