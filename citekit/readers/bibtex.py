"""Read BibTeX and BibLaTeX through bibtexparser v2 into the model.

bibtexparser splits the file into blocks (entries, ``@string``, ``@preamble``, comments, failed
blocks) and keeps each block's raw text and first line. citekit then maps each entry's fields onto
an :class:`~citekit.model.Entry`: names split into family/given/particles/suffix (braced names
such as ``{Lowy Institute}`` become literal names), LaTeX decoded to Unicode, dates from
``date``/``year``/``month``, ``--`` in pages turned into ``-``.

Nothing is lost: every field exactly as written (braces, LaTeX, ``@string`` references and ``#``
concatenations included) and the original entry type are kept in ``entry.extra["bibtex"]``, and the
file's ``@string``/``@preamble``/``@comment`` blocks and loose text go to ``Bibliography.preamble``.
The BibTeX writer uses both to write an unchanged entry back exactly as it was read.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

import bibtexparser
from bibtexparser import model as btm
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as l2t_context_db
from pylatexenc.latexwalker import LatexWalker
from pylatexenc.latexwalker import get_default_latex_context_db as walker_context_db
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from ..model import Bibliography, Date, Entry, Failure, Name, SourceSpan

__all__ = [
    "read",
    "BIBTEX_TO_CSL_TYPE",
    "EXTRA_KEY",
    "EXTRA_TEXT_FIELDS",
    "ISSUE_NUMBER_TYPES",
    "entry_from_fields",
    "evaluate",
    "decode_latex",
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
}

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_LATEX_MARKS = frozenset("\\{}~$%")
#: Field values longer than this are not LaTeX-decoded (only case-protecting braces go).
MAX_DECODE_CHARS = 20_000


def read(text: str, path: str | None = None) -> Bibliography:
    """Read BibTeX/BibLaTeX ``text`` into a :class:`Bibliography`; failures are recorded."""
    bib = Bibliography(path=path, format="bibtex")
    with _quiet_bibtexparser():
        # Only split: string references, concatenations and enclosing are resolved below, so
        # that the raw value of every field can be kept for a lossless round trip.
        library = bibtexparser.parse_string(text, parse_stack=[])

    strings: dict[str, str] = {}
    first_line: dict[tuple[str, str], int] = {}  # (kind, key) -> line where it was defined
    last_id: str | None = None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        raw = block.raw or ""
        if isinstance(block, btm.DuplicateBlockKeyBlock):
            kind = "entry" if isinstance(block.ignore_error_block, btm.Entry) else "@string"
            earlier = first_line.get((kind, block.key.lower()))
            where = f" (first defined at line {earlier})" if earlier else ""
            bib.failures.append(Failure(
                raw=raw, path=path, line=line, col=1,
                reason=f"duplicate {kind} key {block.key!r}{where}; this one was not read"))
        elif isinstance(block, btm.DuplicateFieldKeyBlock):
            dupes = ", ".join(sorted(block.duplicate_keys))
            bib.failures.append(Failure(
                raw=raw, path=path, line=line, col=1,
                reason=f"duplicate field {dupes}; the first value was kept"))
            inner = block.ignore_error_block
            if isinstance(inner, btm.Entry):
                bib.entries.append(_entry_from_block(inner, strings, path))
                first_line.setdefault(("entry", inner.key.lower()), line)
                last_id = inner.key
        elif isinstance(block, btm.ParsingFailedBlock):
            bib.failures.append(Failure(raw=raw, path=path, line=line, col=1,
                                        reason=_failure_reason(block)))
        elif isinstance(block, btm.Entry):
            bib.entries.append(_entry_from_block(block, strings, path))
            first_line.setdefault(("entry", block.key.lower()), line)
            last_id = block.key
        elif isinstance(block, btm.String):
            strings[block.key.lower()] = evaluate(block.value, strings)
            first_line.setdefault(("@string", block.key.lower()), line)
            bib.preamble.append({"kind": "string", "key": block.key, "value": block.value,
                                 "line": line, "after": last_id})
        elif isinstance(block, btm.Preamble):
            bib.preamble.append({"kind": "preamble", "value": block.value, "line": line,
                                 "after": last_id})
        elif isinstance(block, btm.ExplicitComment):
            bib.preamble.append({"kind": "comment", "value": block.comment, "line": line,
                                 "after": last_id})
        elif isinstance(block, btm.ImplicitComment):
            if block.comment.strip():
                bib.preamble.append({"kind": "text", "value": block.comment, "line": line,
                                     "after": last_id})
    return bib


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """Silence bibtexparser's own log lines: citekit reports failed blocks as Failures."""
    logs = [logging.getLogger(name) for name in ("bibtexparser", "bibtexparser.splitter")]
    was = [log.disabled for log in logs]
    for log in logs:
        log.disabled = True
    try:
        yield
    finally:
        for log, state in zip(logs, was):
            log.disabled = state


def _failure_reason(block: btm.ParsingFailedBlock) -> str:
    err = block.error
    reason = getattr(err, "abort_reason", None) or str(err) or type(err).__name__
    reason = " ".join(str(reason).split())
    return f"not valid BibTeX: {reason}"


def _entry_from_block(block: btm.Entry, strings: dict[str, str], path: str | None) -> Entry:
    fields: dict[str, str] = {}
    for fld in block.fields:
        fields.setdefault(fld.key, fld.value if isinstance(fld.value, str) else str(fld.value))
    entry = entry_from_fields(block.entry_type, block.key, fields, strings)
    raw = block.raw or ""
    line = (block.start_line or 0) + 1
    entry.source = SourceSpan(path=path, line=line, end_line=line + raw.rstrip("\n").count("\n"),
                              raw=raw)
    return entry


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
        elif entry.type in ("report", "patent", "standard", "legislation"):
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
    for bkey, ckey in EXTRA_TEXT_FIELDS.items():
        if bkey in values and ckey not in entry.extra:
            val = _text(values[bkey])
            if val is not None:
                entry.extra[ckey] = val
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


@lru_cache(maxsize=32768)
def decode_latex(value: str) -> str:
    """LaTeX markup to Unicode (``{\\"u}`` -> ``ü``, ``\\&`` -> ``&``, ``~`` -> space)."""
    marks = _LATEX_MARKS.intersection(value)
    if "--" not in value and not marks:
        return value
    if (marks <= {"{", "}"} and "--" not in value) or len(value) > MAX_DECODE_CHARS:
        # Only braces protecting case (no need for a LaTeX parser), or a value so long that
        # pylatexenc (about 10 µs a character) would stall: drop the braces, keep the rest.
        return value.replace("{", "").replace("}", "")
    # A bare % is text in a .bib value, but LaTeX (and pylatexenc) would read a comment.
    escaped = _escape_bare_percent(value)
    try:
        decoder, walker_context = _decoder()
        # Parse with a context built once: latex_to_text() would rebuild it on every call.
        nodes = LatexWalker(escaped, latex_context=walker_context,
                            tolerant_parsing=True).get_latex_nodes()[0]
        text = decoder.nodelist_to_text(nodes)
    except Exception:  # pylatexenc gives up on malformed markup: keep the text as written
        return value
    return text.replace("\u00a0", " ")


def _escape_bare_percent(value: str) -> str:
    out: list[str] = []
    prev = ""
    for ch in value:
        out.append("\\%" if ch == "%" and prev != "\\" else ch)
        prev = ch
    return "".join(out)


@lru_cache(maxsize=1)
def _decoder() -> tuple[LatexNodes2Text, Any]:
    """A pylatexenc decoder set up like bibtexparser's (keeping the text of a few more macros),
    and the parsing context for it."""
    db = l2t_context_db()
    db.add_context_category("citekit", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl="%s")
        for name in ("url", "mbox", "hbox", "textnormal", "enquote", "mkbibquote", "nolinkurl",
                     "NoCaseChange", "textsc", "textup", "textmd", "textsf")
    ] + [MacroTextSpec("noopsort", simplify_repl="")])
    decoder = LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="verbatim")
    return decoder, walker_context_db()


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
