"""The one internal model: entries shaped like CSL-JSON items, with provenance.

Every reader produces a :class:`Bibliography`; every writer, check and renderer starts from one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

__all__ = [
    "Name",
    "Date",
    "SourceEvent",
    "SourceSpan",
    "Entry",
    "Failure",
    "CitationItem",
    "Citation",
    "Document",
    "Bibliography",
    "NAME_FIELDS",
    "DATE_FIELDS",
    "valid_date_parts",
]

#: CSL name variables the model keeps as structured names.
NAME_FIELDS = ("author", "editor", "translator", "container-author", "collection-editor",
               "director", "interviewer", "recipient", "reviewed-author", "composer")
#: CSL date variables the model keeps as structured dates.
DATE_FIELDS = ("issued", "accessed", "original-date", "event-date", "submitted")

# Fields held as attributes of Entry (CSL-JSON key -> attribute name).
_SCALAR_FIELDS = {
    "title": "title",
    "container-title": "container_title",
    "publisher": "publisher",
    "publisher-place": "publisher_place",
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "DOI": "doi",
    "URL": "url",
    "note": "note",
}


#: ``extra`` keys written under CSL-JSON's ``custom`` object (format data kept for round trips).
_CUSTOM_KEYS = frozenset({"bibtex", "ris"})


@dataclass
class Name:
    """A person (family/given, with particles and suffix) or an institution (``literal``)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None

    @property
    def is_literal(self) -> bool:
        """True for an institutional (literal) name."""
        return self.literal is not None

    @property
    def sort_name(self) -> str:
        """The name's main part, as used for sorting and citation matching."""
        if self.literal is not None:
            return self.literal
        parts = [self.non_dropping_particle, self.family]
        return " ".join(p for p in parts if p) or (self.given or "")

    def to_csl(self) -> dict[str, str]:
        """Return the CSL-JSON name object."""
        out: dict[str, str] = {}
        for key, val in (("family", self.family), ("given", self.given), ("literal", self.literal),
                         ("dropping-particle", self.dropping_particle),
                         ("non-dropping-particle", self.non_dropping_particle),
                         ("suffix", self.suffix)):
            if val is not None:
                out[key] = val
        return out

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> "Name":
        """Build a name from a CSL-JSON name object."""
        return cls(
            family=_opt_str(data.get("family")),
            given=_opt_str(data.get("given")),
            literal=_opt_str(data.get("literal")),
            dropping_particle=_opt_str(data.get("dropping-particle")),
            non_dropping_particle=_opt_str(data.get("non-dropping-particle")),
            suffix=_opt_str(data.get("suffix")),
        )

    def __str__(self) -> str:
        if self.literal is not None:
            return self.literal
        family = " ".join(p for p in (self.non_dropping_particle, self.family) if p)
        given = " ".join(p for p in (self.given, self.dropping_particle) if p)
        text = f"{family}, {given}" if given else family
        return f"{text}, {self.suffix}" if self.suffix else text


@dataclass
class Date:
    """A (possibly partial) date; ``literal`` keeps text that is not a plain date."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None
    circa: bool = False
    literal: str | None = None

    def to_csl(self) -> dict[str, Any]:
        """Return the CSL-JSON date object (date-parts form)."""
        out: dict[str, Any] = {}
        if self.year is not None:
            parts: list[int] = [self.year]
            if self.month is not None:
                parts.append(self.month)
                if self.day is not None:
                    parts.append(self.day)
            out["date-parts"] = [parts]
        if self.season is not None:
            out["season"] = self.season
        if self.circa:
            out["circa"] = True
        if self.literal is not None:
            out["literal"] = self.literal
        return out

    @classmethod
    def from_csl(cls, data: Any) -> "Date":
        """Build a date from a CSL-JSON date object (date-parts, raw or literal)."""
        if isinstance(data, str):
            return _date_from_raw(data)
        if not isinstance(data, dict):
            return cls(literal=str(data))
        parts = data.get("date-parts")
        date = cls()
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = [_opt_int(p) for p in parts[0][:3]]
            date.year = first[0]
            date.month = first[1] if len(first) > 1 else None
            date.day = first[2] if len(first) > 2 else None
        elif "raw" in data:
            date = _date_from_raw(str(data["raw"]))
        if "season" in data:
            date.season = _opt_int(data.get("season"))
        if data.get("circa"):
            date.circa = True
        if "literal" in data:
            date.literal = _opt_str(data["literal"])
        return date

    def __str__(self) -> str:
        if self.year is None:
            return self.literal or "n.d."
        return "-".join(
            [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p is not None]
        )


def valid_date_parts(year: int | None, month: int | None, day: int | None) -> bool:
    """True when ``month`` (1–12, or a CSL season 21–24 with no day) and ``day`` exist in the
    calendar (29 February only in leap years)."""
    import calendar

    if month is None:
        return day is None
    if 21 <= month <= 24:
        return day is None
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    last = calendar.monthrange(year, month)[1] if year is not None and year > 0 else 31
    return 1 <= day <= last


def _date_from_raw(raw: str) -> Date:
    bits = raw.strip().split("-")
    try:
        nums = [int(b) for b in bits[:3]]
    except ValueError:
        return Date(literal=raw)
    return Date(*(nums + [None, None])[:3])  # type: ignore[arg-type]


@dataclass
class SourceEvent:
    """Something a reader did while reading an entry (resolved a dash, joined a fragment)."""

    code: str
    line: int
    col: int
    detail: str


@dataclass
class SourceSpan:
    """Where an entry came from: file, first and last line (1-based), column, raw text as written."""

    path: str | None
    line: int
    end_line: int
    raw: str
    col: int = 1
    events: list[SourceEvent] = field(default_factory=list)

    def location(self) -> str:
        """``path:line:col`` (``<string>`` when the text had no file)."""
        return f"{self.path or '<string>'}:{self.line}:{self.col}"


@dataclass
class Entry:
    """One bibliographic item, shaped like a CSL-JSON item.

    Common variables are attributes; every other CSL variable (or unknown field from another
    format) lives in ``extra`` under its original key, so nothing read is ever lost.
    """

    id: str = ""
    type: str = "document"
    author: list[Name] = field(default_factory=list)
    editor: list[Name] = field(default_factory=list)
    title: str | None = None
    container_title: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    issued: Date | None = None
    accessed: Date | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    doi: str | None = None
    url: str | None = None
    note: str | None = None
    #: The author list was cut short with "et al." in the source.
    et_al: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    source: SourceSpan | None = None
    #: The parser's confidence in the fields (1.0 for structured input).
    confidence: float = 1.0
    #: How the entry was read (parser used, per-field confidences, warnings); never written out.
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        """The year of issue, if known."""
        return self.issued.year if self.issued else None

    @property
    def names(self) -> list[Name]:
        """The names that head the entry: authors, else editors."""
        return self.author or self.editor

    def get(self, key: str, default: Any = None) -> Any:
        """Look a CSL variable up by its CSL-JSON key."""
        if key in _SCALAR_FIELDS:
            val = getattr(self, _SCALAR_FIELDS[key])
            return default if val is None else val
        if key in ("author", "editor"):
            return getattr(self, key) or default
        if key in ("issued", "accessed"):
            return getattr(self, key) or default
        return self.extra.get(key, default)

    def to_csl(self) -> dict[str, Any]:
        """Return the entry as a CSL-JSON item (provenance is not included)."""
        item: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.author:
            item["author"] = [n.to_csl() for n in self.author]
        if self.editor:
            item["editor"] = [n.to_csl() for n in self.editor]
        for key, attr in _SCALAR_FIELDS.items():
            val = getattr(self, attr)
            if val is not None:
                item[key] = val
        if self.issued is not None:
            item["issued"] = self.issued.to_csl()
        if self.accessed is not None:
            item["accessed"] = self.accessed.to_csl()
        custom: dict[str, Any] = {}
        for key, val in self.extra.items():
            if key in _CUSTOM_KEYS:
                custom[key] = val
            elif key in NAME_FIELDS and isinstance(val, list) and val and isinstance(val[0], Name):
                item[key] = [n.to_csl() for n in val]
            elif key in DATE_FIELDS and isinstance(val, Date):
                item[key] = val.to_csl()
            else:
                item[key] = val
        if self.et_al:
            custom["et-al"] = True
        if custom:
            item["custom"] = {**(item.get("custom") or {}), **custom}
        return item

    @classmethod
    def from_csl(cls, item: dict[str, Any]) -> "Entry":
        """Build an entry from a CSL-JSON item; unknown keys go to ``extra``."""
        entry = cls(id=str(item.get("id", "")), type=str(item.get("type") or "document"))
        for key, val in item.items():
            if key in ("id", "type"):
                continue
            if key in ("author", "editor") and isinstance(val, list):
                setattr(entry, key, [Name.from_csl(n) for n in val if isinstance(n, dict)])
            elif key in NAME_FIELDS and isinstance(val, list):
                entry.extra[key] = [Name.from_csl(n) for n in val if isinstance(n, dict)]
            elif key in ("issued", "accessed"):
                setattr(entry, key, Date.from_csl(val))
            elif key in DATE_FIELDS:
                entry.extra[key] = Date.from_csl(val)
            elif key in _SCALAR_FIELDS:
                setattr(entry, _SCALAR_FIELDS[key], None if val is None else str(val))
            elif key == "custom" and isinstance(val, dict):
                entry.et_al = bool(val.get("et-al", False))
                rest = {}
                for ckey, cval in val.items():
                    if ckey in _CUSTOM_KEYS:
                        entry.extra[ckey] = cval
                    elif ckey != "et-al":
                        rest[ckey] = cval
                if rest:
                    entry.extra["custom"] = rest
            else:
                entry.extra[key] = val
        return entry


@dataclass
class Failure:
    """Input that could not be read: the raw text, where it was, and why."""

    raw: str
    reason: str
    path: str | None = None
    line: int = 0
    col: int = 0

    def location(self) -> str:
        """``path:line:col``."""
        return f"{self.path or '<string>'}:{self.line}:{self.col}"


@dataclass
class CitationItem:
    """One cited work inside an in-text citation: ``Ha and Kim 2024, 12``, or a number of a
    numbered list (``[3]``: ``number`` 3, ``names`` and ``year`` empty)."""

    names: str
    year: str
    locator: str | None = None
    prefix: str | None = None
    raw: str = ""
    line: int = 0
    col: int = 0
    number: int | None = None
    #: A short title naming which of an author's works is meant (MLA's ``(Cha, Impossible 45)``).
    title: str | None = None
    #: The endnote's number, for a citation read from an endnote.
    note: int | None = None

    @property
    def year_int(self) -> int | None:
        """The numeric year (without suffix letter), if any."""
        digits = self.year[:4]
        return int(digits) if digits.isdigit() else None


@dataclass
class Citation:
    """An in-text citation as written in the body, e.g. ``(Easley 2017; Kim 2024)``."""

    raw: str
    line: int
    col: int
    items: list[CitationItem] = field(default_factory=list)


@dataclass
class Document:
    """A whole commentary: its metadata, text, and where its reference list is."""

    path: str | None
    text: str
    title: str | None = None
    date: Date | None = None
    authors: list[str] = field(default_factory=list)
    #: 1-based line of the reference heading, or None when the document has no reference list.
    references_line: int | None = None
    references_end_line: int | None = None
    #: Line range (first, last) of the body, where in-text citations are looked for.
    body_lines: tuple[int, int] | None = None

    @property
    def has_reference_list(self) -> bool:
        """True when a reference section was found."""
        return self.references_line is not None


@dataclass
class Bibliography:
    """Ordered entries, the failures met while reading, and (for a commentary) its citations."""

    entries: list[Entry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    document: Document | None = None
    path: str | None = None
    format: str | None = None
    #: The text encoding of the file read, when it was not UTF-8 and had to be guessed.
    guessed_encoding: str | None = None
    #: Anything a format keeps outside its entries (BibTeX @string/@preamble/comments), in order.
    preamble: list[Any] = field(default_factory=list)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, key: int | str) -> Entry:
        if isinstance(key, int):
            return self.entries[key]
        for entry in self.entries:
            if entry.id == key:
                return entry
        raise KeyError(key)

    def to_csl(self) -> list[dict[str, Any]]:
        """All entries as a CSL-JSON array."""
        return [e.to_csl() for e in self.entries]


def _opt_str(val: Any) -> str | None:
    return None if val is None else str(val)


def _opt_int(val: Any) -> int | None:
    try:
        return int(val)
    except (TypeError, ValueError):
        return None
