"""Dates written as text (``January 3``, ``Jan. 3, 2024``, ``Spring 2024``) → year/month/day.

Hand-written rather than ``dateutil``: reference dates are partial (a month alone, a season)
and dateutil fills missing parts from today's date, which would invent days that the source
never gave. The grammar here is a single pass over whitespace-separated tokens.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace

from ..model import Date, Entry
from .base import Change, collapse_whitespace

__all__ = ["DateText", "parse_date_text", "fill_date_parts", "MONTHS", "SEASONS"]

#: Month names and their usual abbreviations → month number.
MONTHS: dict[str, int] = {}
for _num, _name in enumerate(calendar.month_name[1:], start=1):
    MONTHS[_name.lower()] = _num
    MONTHS[_name[:3].lower()] = _num
MONTHS["sept"] = 9
#: Season names → CSL season numbers (1 spring, 2 summer, 3 autumn, 4 winter).
SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")


@dataclass(frozen=True)
class DateText:
    """What a date text says: any of year, month, day, season (None when not given)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        if month is None:
            return False
        last = calendar.monthrange(year if year is not None else 2024, month)[1]
        return 1 <= day <= last
    return True


def parse_date_text(text: str | None) -> DateText | None:
    """Read a date as written: ``January 3``, ``3 January 2024``, ``Jan. 3, 2024``, ``April``,
    ``Spring 2024``, ``2024-01-03``. Returns None when the text holds no date, or an
    impossible one (``February 30``)."""
    if not isinstance(text, str):
        return None
    s = collapse_whitespace(text)
    m = _ISO.fullmatch(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
        day = int(d) if d else None
        return DateText(y, mo, day) if _valid(y, mo, day) else None
    year = month = day = season = None
    for token in re.split(r"[\s,./]+", s.lower()):
        if not token:
            continue
        token = token.split("\u2013")[0].split("-")[0]  # "3–5" / "3-5": the first day
        if token in MONTHS and month is None:
            month = MONTHS[token]
        elif token in SEASONS and season is None:
            season = SEASONS[token]
        elif token.isdigit() and len(token) == 4 and year is None:
            year = int(token)
        elif (dm := _DAY.fullmatch(token)) and day is None:
            day = int(dm.group(1))
        else:
            return None  # a word that is not part of a date: do not guess
    if month is None and season is None and year is None:
        return None
    if not _valid(year, month, day):
        return None
    return DateText(year, month, day, season)


def fill_date_parts(entry: Entry) -> list[Change]:
    """Fill month/day (or season) of ``issued`` from ``extra["date-text"]`` (``date-parts``).

    Only fills parts that are missing and never overrides a different year or month; a date
    text that disagrees with the entry is left for the checks to report.
    """
    text = entry.extra.get("date-text")
    if not isinstance(text, str) and entry.issued is not None and entry.issued.year is None:
        text = entry.issued.literal
    parsed = parse_date_text(text) if isinstance(text, str) else None
    if parsed is None:
        return []
    old = entry.issued or Date()
    if parsed.year is not None and old.year is not None and parsed.year != old.year:
        return []
    if parsed.month is not None and old.month is not None and parsed.month != old.month:
        return []
    new = replace(old)
    if new.year is None and parsed.year is not None:
        new.year = parsed.year
        if new.literal == text:
            new.literal = None
    if new.month is None and parsed.month is not None:
        new.month = parsed.month
    if new.day is None and parsed.day is not None and new.month == parsed.month:
        new.day = parsed.day
    if new.month is None and new.season is None and parsed.season is not None:
        new.season = parsed.season
    if new == old:
        return []
    entry.issued = new
    return [Change("date-parts", "issued", str(old), str(new),
                   f"date {text!r} read as {new}" + (f" (season {new.season})" if new.season else ""))]
