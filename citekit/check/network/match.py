"""Fuzzy comparison of an entry with a registry record (CSL-JSON from doi.org or Crossref)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ...model import Entry

__all__ = ["RecordView", "Comparison", "compare", "normalise_text", "WEIGHTS"]

#: Weight of each field in the overall score (fields missing on either side are left out).
WEIGHTS = {"title": 0.6, "author": 0.25, "year": 0.15}

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_text(text: str | None) -> str:
    """Case-folded, accent-free, punctuation-free text with single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", plain).strip()


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value not in (None, "") else None


def _year(value: Any) -> int | None:
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                return None
    return None


@dataclass
class RecordView:
    """The fields of a registry record that citekit compares and can fill."""

    title: str | None = None
    families: list[str] = field(default_factory=list)
    year: int | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    doi: str | None = None

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> "RecordView":
        """Read a CSL-JSON item or a Crossref ``works`` item (lists where CSL has strings)."""
        families = []
        for person in data.get("author") or []:
            if isinstance(person, dict):
                name = person.get("family") or person.get("literal") or person.get("name")
                if name:
                    families.append(str(name))
        year = None
        for key in ("issued", "published-print", "published-online", "published", "created"):
            year = _year(data.get(key))
            if year:
                break
        title = _first_text(data.get("title"))
        subtitle = _first_text(data.get("subtitle"))
        if title and subtitle and normalise_text(subtitle) not in normalise_text(title):
            title = f"{title}: {subtitle}"
        return cls(
            title=title,
            families=families,
            year=year,
            container=_first_text(data.get("container-title")),
            volume=_first_text(data.get("volume")),
            issue=_first_text(data.get("issue")),
            page=_first_text(data.get("page")),
            doi=_first_text(data.get("DOI")),
        )

    def summary(self) -> str:
        """``"Title" (Family, 2019, Container)`` for messages."""
        bits = [b for b in (self.families[0] if self.families else None,
                            str(self.year) if self.year else None, self.container) if b]
        title = f"\u201c{self.title}\u201d" if self.title else "(no title)"
        return f"{title} ({', '.join(bits)})" if bits else title


@dataclass
class Comparison:
    """Per-field scores (0-100; None when a side lacks the field) and the weighted overall score."""

    scores: dict[str, float | None]
    overall: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"scores": {k: (None if v is None else round(v, 1)) for k, v in self.scores.items()},
                "overall": round(self.overall, 1)}


def title_score(a: str | None, b: str | None) -> float | None:
    """Similarity of two titles; a subtitle present on one side only does not count against."""
    na, nb = normalise_text(a), normalise_text(b)
    if not na or not nb:
        return None
    full = fuzz.ratio(na, nb)
    main_a = normalise_text(re.split(r"[:?.]", a or "", maxsplit=1)[0])
    main_b = normalise_text(re.split(r"[:?.]", b or "", maxsplit=1)[0])
    mains = max(fuzz.ratio(main_a, nb), fuzz.ratio(na, main_b))
    # A bare main title identifies a work when it is long; a short one earns partial credit,
    # enough with a matching author and year, not enough alone.
    shortest = min(len(main_a), len(main_b))
    best_main = mains if shortest >= 25 else min(mains, 90.0) if shortest >= 10 else 0.0
    return float(max(full, best_main))


def compare(entry: Entry, record: RecordView) -> Comparison:
    """Compare ``entry`` with ``record`` on title, first author's family name and year."""
    scores: dict[str, float | None] = {"title": title_score(entry.title, record.title)}
    family = entry.names[0].sort_name if entry.names else None
    if family and record.families:
        target = normalise_text(family)
        scores["author"] = float(max(fuzz.ratio(target, normalise_text(f))
                                     for f in record.families[:3]))
    else:
        scores["author"] = None
    if entry.year and record.year:
        gap = abs(entry.year - record.year)
        scores["year"] = 100.0 if gap == 0 else 60.0 if gap == 1 else 0.0
    else:
        scores["year"] = None
    if entry.container_title and record.container:
        scores["container"] = float(fuzz.token_set_ratio(normalise_text(entry.container_title),
                                                         normalise_text(record.container)))
    else:
        scores["container"] = None
    total = weight = 0.0
    for key, w in WEIGHTS.items():
        value = scores.get(key)
        if value is not None:
            total += w * value
            weight += w
    return Comparison(scores=scores, overall=total / weight if weight else 0.0)


#: Title openings of notices about a work rather than the work itself.
_NOTICE = re.compile(r"^(correction|erratum|corrigendum|retraction|retracted|expression of concern"
                     r"|review of|book review|reply to|response to|comment on|commentary on"
                     r"|author correction|publisher correction)\b")
_NUMBERS = re.compile(r"\b(?:\d+|(?:part|vol|volume|book) [ivx]+)\b")


def _numbers(text: str) -> set[str]:
    return set(_NUMBERS.findall(text))


def discovery_score(entry: Entry, record: RecordView) -> float:
    """Score for suggesting ``record``'s DOI: like ``compare`` but a field the entry has and the
    record lacks (or vice versa) counts as half a match, so a title alone cannot reach the top."""
    comp = compare(entry, record)
    if comp.scores["title"] is None:
        return 0.0
    mine, theirs = normalise_text(entry.title), normalise_text(record.title)
    # A correction, review or reply shares the title (and often authors and year) of the work.
    if _NOTICE.match(theirs) and not _NOTICE.match(mine):
        return 0.0
    # "Part 1" is not "Part 2"; 2019 report is not 2020 report.
    numbers_a, numbers_b = _numbers(mine), _numbers(theirs)
    if numbers_a != numbers_b:
        comp.scores["title"] = min(comp.scores["title"] or 0.0, 60.0)
    total = 0.0
    for key, w in WEIGHTS.items():
        value = comp.scores.get(key)
        total += w * (50.0 if value is None else value)
    return total
