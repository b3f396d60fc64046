"""BibTeX/BibLaTeX fields to the model: types, names, dates and the other variables.

Shared by the BibTeX reader and writer: the writer rebuilds an entry from its original fields to
see which of them the model has changed since they were read.
"""

from __future__ import annotations

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from ..model import Date, Entry, Name, valid_date_parts
from .latex import decode_latex

__all__ = [
    "EXTRA_KEY",
    "BIBTEX_TO_CSL_TYPE",
    "EXTRA_TEXT_FIELDS",
    "ISSUE_NUMBER_TYPES",
    "entry_from_fields",
    "FIELD_SLOT",
    "field_slot",
    "evaluate",
    "parse_names",
]

#: Key of ``Entry.extra`` under which the original BibTeX type and fields are kept.
EXTRA_KEY = "bibtex"

#: BibTeX/BibLaTeX entry type -> CSL item type.
BIBTEX_TO_CSL_TYPE: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "booklet": "pamphlet",
    "manual": "report",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "misc": "document",
    "unpublished": "manuscript",
    "patent": "patent",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "dataset": "dataset",
    "software": "software",
    "letter": "personal_communication",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "standard": "standard",
    "audio": "song",
    "music": "song",
    "video": "motion_picture",
    "movie": "motion_picture",
    "artwork": "graphic",
    "image": "graphic",
    "performance": "performance",
}

# BibLaTeX's entrysubtype refines @article.
_ARTICLE_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}

#: CSL types whose ``number`` field is the issue number (elsewhere a report or series number).
ISSUE_NUMBER_TYPES = {"article-journal", "article-magazine", "article-newspaper", "periodical"}
#: CSL types whose ``number`` field is the document's own number (a report or patent number).
OWN_NUMBER_TYPES = {"report", "patent", "standard", "legislation"}

#: BibTeX field -> CSL variable kept in ``Entry.extra`` (plain text after LaTeX decoding).
EXTRA_TEXT_FIELDS: dict[str, str] = {
    "isbn": "ISBN",
    "issn": "ISSN",
    "abstract": "abstract",
    "keywords": "keyword",
    "edition": "edition",
    "series": "collection-title",
    "chapter": "chapter-number",
    "type": "genre",
    "pagetotal": "number-of-pages",
    "shorttitle": "title-short",
    "shortjournal": "container-title-short",
    "eventtitle": "event-title",
    "venue": "event-place",
    "version": "version",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "language": "language",
    "langid": "language",
    "pubstate": "status",  # biblatex: "inpress", "forthcoming"
}

#: BibTeX field (lower case) -> the CSL variable it feeds when read (its "slot").
FIELD_SLOT: dict[str, str] = {
    "author": "author", "editor": "editor", "translator": "translator",
    "title": "title", "subtitle": "title",
    "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title",
    "publisher": "publisher", "institution": "publisher", "school": "publisher",
    "organization": "publisher",
    "address": "publisher-place", "location": "publisher-place",
    "volume": "volume", "issue": "issue", "pages": "page",
    "doi": "DOI", "url": "URL", "note": "note",
    "year": "issued", "month": "issued", "date": "issued", "day": "issued",
    "urldate": "accessed", "origdate": "original-date",
    "entrysubtype": "type",
}
FIELD_SLOT.update(EXTRA_TEXT_FIELDS)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")


def field_slot(key: str, csl_type: str) -> str | None:
    """The CSL variable a BibTeX field feeds in an entry of ``csl_type`` (None: none)."""
    low = key.lower()
    if low == "number":
        if csl_type in ISSUE_NUMBER_TYPES:
            return "issue"
        if csl_type in OWN_NUMBER_TYPES:
            return "number"
        return "collection-number"
    return FIELD_SLOT.get(low)


def entry_from_fields(entry_type: str, key: str, fields: dict[str, str],
                      strings: dict[str, str] | None = None) -> Entry:
    """Build an entry from a BibTeX type, key and raw field values (as written in the file).

    ``strings`` maps lower-cased ``@string`` names to their values. The raw fields and the type
    are kept in ``entry.extra["bibtex"]``.
    """
    strings = strings or {}
    btype = entry_type.lower()
    values = {k.lower(): evaluate(v, strings) for k, v in reversed(list(fields.items()))}
    entry = Entry(id=key, type=_csl_type(btype, values))
    entry.extra[EXTRA_KEY] = {"type": entry_type, "fields": dict(fields)}

    for role in ("author", "editor"):
        if role in values:
            names, et_al = parse_names(values[role])
            setattr(entry, role, names)
            if role == "author":
                entry.et_al = et_al
    if "translator" in values:
        entry.extra["translator"] = parse_names(values["translator"])[0]

    title = _text(values.get("title"))
    subtitle = _text(values.get("subtitle"))
    if title and subtitle:
        title = f"{title}: {subtitle}"
    entry.title = title or subtitle

    container = values.get("journaltitle") or values.get("journal") or values.get("booktitle")
    entry.container_title = _text(container)
    entry.publisher = _text(values.get("publisher") or values.get("institution")
                            or values.get("school") or values.get("organization"))
    entry.publisher_place = _text(values.get("location") or values.get("address"))
    entry.volume = _text(values.get("volume"))
    if "issue" in values:
        entry.issue = _text(values["issue"])
    if "number" in values:
        number = _text(values["number"])
        if entry.type in ISSUE_NUMBER_TYPES and entry.issue is None:
            entry.issue = number
        elif entry.type in OWN_NUMBER_TYPES:
            entry.extra["number"] = number
        elif number is not None:
            entry.extra["collection-number"] = number
    if "pages" in values:
        entry.page = _text(values["pages"].replace("--", "-").replace("\u2013", "-"))
    entry.doi = _verbatim(values.get("doi"))
    entry.url = _verbatim(values.get("url"))
    entry.note = _text(values.get("note"))
    entry.issued = _parse_date(values.get("date"), values.get("year"), values.get("month"),
                               values.get("day"))
    if "urldate" in values:
        entry.accessed = _parse_date(values["urldate"], None, None, None)
    if "origdate" in values:  # biblatex: a reprint's first publication
        original = _parse_date(values["origdate"], None, None, None)
        if original is not None:
            entry.extra["original-date"] = original
    # An impossible date keeps its year; the text as written is kept for date-invalid.
    for field, raw in (("issued", _impossible(values.get("date"), values.get("month"))),
                       ("accessed", _impossible(values.get("urldate"), None))):
        if raw:
            entry.diagnostics.setdefault("invalid-dates", {})[field] = raw
    for bkey, ckey in EXTRA_TEXT_FIELDS.items():
        if bkey in values and ckey not in entry.extra:
            val = _text(values[bkey])
            if val is not None:
                entry.extra[ckey] = "in press" if ckey == "status" and val == "inpress" else val
    eprint = _text(values.get("eprint"))
    archive = (values.get("archiveprefix") or values.get("eprinttype") or "").strip("{} ")
    if eprint and archive.lower() == "arxiv":
        # an arXiv preprint (biblatex's eprint fields): as CSL writes one
        entry.extra.setdefault("number", eprint)
        entry.publisher = entry.publisher or "arXiv"
        if entry.type == "document" and not entry.container_title:
            entry.type = "article"
    return entry


def _csl_type(btype: str, values: dict[str, str]) -> str:
    if btype == "article":
        sub = values.get("entrysubtype", "").strip().lower()
        if sub in _ARTICLE_SUBTYPES:
            return _ARTICLE_SUBTYPES[sub]
    return BIBTEX_TO_CSL_TYPE.get(btype, "document")


def evaluate(raw: str, strings: dict[str, str]) -> str:
    """The value of a raw BibTeX field expression, enclosing removed and ``#`` parts joined.

    ``{...}`` and ``"..."`` parts give their inner text, numbers themselves, names the value of
    an ``@string`` (or a month macro such as ``apr``); an unknown name stays as written.
    """
    # Hand-written: bibtexparser v2 resolves only whole-value string references, not ``#``
    # concatenations. One linear scan; no regular expressions.
    parts: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch.isspace() or ch == "#":
            i += 1
        elif ch == "{":
            end = _match_brace(raw, i)
            parts.append(raw[i + 1:end])
            i = end + 1
        elif ch == '"':
            end = _match_quote(raw, i)
            parts.append(raw[i + 1:end])
            i = end + 1
        else:
            start = i
            while i < n and raw[i] != "#" and not raw[i].isspace():
                i += 1
            word = raw[start:i]
            low = word.lower()
            if low in strings:
                parts.append(strings[low])
            elif low in _MONTHS:
                parts.append(_MONTH_NAMES[_MONTHS.index(low)].capitalize())
            else:
                parts.append(word)
    return "".join(parts)


def _match_brace(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "\\":
            continue
        if ch == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _match_quote(text: str, start: int) -> int:
    depth = 0
    for i in range(start + 1, len(text)):
        ch = text[i]
        if text[i - 1] == "\\":
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth <= 0:
            return i
    return len(text)


def parse_names(value: str) -> tuple[list[Name], bool]:
    """Split a BibTeX name list into names; the flag says whether it ended in ``and others``."""
    names: list[Name] = []
    et_al = False
    for part in split_multiple_persons_names(value):
        part = part.strip()
        if part.lower() == "others":
            et_al = True
            continue
        if _is_one_group(part):
            names.append(Name(literal=decode_latex(part[1:-1]).strip()))
            continue
        try:
            parts = parse_single_name_into_parts(part, strict=False)
        except Exception:  # bibtexparser's name splitter on odd input: keep the name whole
            names.append(Name(literal=decode_latex(part)))
            continue
        family = _join(parts.last)
        given = _join(parts.first)
        if family is None and given is not None:
            family, given = given, None
        if family is None:
            continue  # nothing but commas and spaces
        names.append(Name(family=family, given=given, non_dropping_particle=_join(parts.von),
                          suffix=_join(parts.jr)))
    return names, et_al


def _join(words: list[str]) -> str | None:
    text = " ".join(decode_latex(w) for w in words).strip()
    return text or None


def _is_one_group(text: str) -> bool:
    """True when the whole text is one ``{...}`` group (a name BibTeX must not split)."""
    return text.startswith("{") and text.endswith("}") and _match_brace(text, 0) == len(text) - 1


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(decode_latex(value).split())
    return text or None


def _verbatim(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if text.startswith("\\url{") and text.endswith("}"):
        text = text[5:-1]
    # A backslash is never part of a DOI or URL: ``\_``, ``\%`` … are LaTeX escapes.
    for char in "_%&#~$":
        text = text.replace("\\" + char, char)
    return text or None


def _parse_date(date: str | None, year: str | None, month: str | None,
                day: str | None) -> Date | None:
    if date:
        parsed = _parse_iso_date(date)
        if parsed is not None:
            return parsed
    if not year and not month:
        return Date(literal=_text(date)) if date and _text(date) else None
    result = Date()
    ytext = _text(year) or ""
    digits = ytext[:4]
    if len(digits) == 4 and digits.isdigit():
        result.year = int(digits)
    elif ytext:
        result.literal = ytext
    if month:
        result.month = _month_number(month)
    if day and result.month is not None:
        dtext = (_text(day) or "").strip()
        if dtext.isdigit() and 1 <= int(dtext) <= 31:
            result.day = int(dtext)
    if result.year is None and result.month is None and result.literal is None:
        return None
    return result


def _impossible(date: str | None, month: str | None) -> str | None:
    """The text of a date that is no calendar date ("2024-13-45", "2019-02-29", a month field
    of 13), else None. "2019-20" is an academic year, not month 20."""
    if month is not None and _text(month) and _month_number(month) is None:
        return f"month = {_text(month)}"
    if not date:
        return None
    value = date.strip().split("/")[0].strip().rstrip("~?%")
    bits = value.split("-")
    if len(bits) < 2 or not all(b.isdigit() for b in bits) or len(bits[0]) != 4:
        return None
    nums = [int(b) for b in bits[:3]]
    if len(bits) == 2 and len(bits[1]) == 2 and nums[1] == (nums[0] + 1) % 100 and nums[1] > 12:
        return None  # "2019-20"
    return None if valid_date_parts(nums[0], *(nums[1:] + [None, None])[:2]) else date.strip()


def _parse_iso_date(text: str) -> Date | None:
    """A BibLaTeX/ISO 8601 date (``2024-05-01``, ``2024-05``, ``2024~``, ``2024/2025``)."""
    value = text.strip().split("/")[0].strip()
    circa = value.endswith(("~", "?", "%"))
    value = value.rstrip("~?%")
    bits = value.split("-")
    if not bits or not all(b.isdigit() for b in bits) or len(bits) > 3 or len(bits[0]) != 4:
        return None
    nums = [int(b) for b in bits]
    date = Date(year=nums[0], circa=circa)
    if not valid_date_parts(nums[0], *(nums[1:] + [None, None])[:2]) and \
            not (len(nums) > 1 and 21 <= nums[1] <= 24):
        return date  # "2019-02-30": the year only (date-invalid reports the rest)
    if len(nums) > 1 and 1 <= nums[1] <= 12:
        date.month = nums[1]
        if len(nums) > 2 and 1 <= nums[2] <= 31:
            date.day = nums[2]
    elif len(nums) > 1 and 21 <= nums[1] <= 24:  # EDTF seasons
        date.season = nums[1] - 20
    return date


def _month_number(text: str) -> int | None:
    value = (_text(text) or "").strip().rstrip(".").lower()
    if value.isdigit():
        num = int(value)
        return num if 1 <= num <= 12 else None
    for i, name in enumerate(_MONTH_NAMES):
        if value and name.startswith(value[:3]) and len(value) >= 3:
            return i + 1
    return None
