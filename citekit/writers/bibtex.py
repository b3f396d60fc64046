"""Write a bibliography as BibTeX/BibLaTeX through bibtexparser v2.

An entry read from BibTeX keeps its original fields in ``entry.extra["bibtex"]``: each group of
fields whose model value is unchanged (say, ``year``+``month`` for the date) is written back
exactly as it was read, LaTeX, braces and ``@string`` references included, and so are fields the
model has no place for. A group the model changed is written from the model. Entries from other
formats are written from the model alone, with a BibTeX type chosen from their CSL type.
"""

from __future__ import annotations

from typing import Any, Iterable

import bibtexparser
from bibtexparser import BibtexFormat
from bibtexparser import model as btm

from ..model import Bibliography, Date, Entry, Name
from ..readers.bibtex_fields import (
    EXTRA_KEY,
    EXTRA_TEXT_FIELDS,
    ISSUE_NUMBER_TYPES,
    entry_from_fields,
    evaluate,
    field_slot,
)
from .merge import changed_variables, merge_fields

__all__ = ["write", "CSL_TO_BIBTEX_TYPE", "entry_fields"]

#: CSL item type -> BibTeX/BibLaTeX entry type for entries that did not come from BibTeX.
CSL_TO_BIBTEX_TYPE: dict[str, str] = {
    "article": "misc",  # CSL's preprint or unpublished article: BibTeX's article needs a journal
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "periodical": "periodical",
    "book": "book",
    "chapter": "incollection",
    "entry": "incollection",
    "entry-dictionary": "incollection",
    "entry-encyclopedia": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "software": "software",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
    "patent": "patent",
    "standard": "standard",
    "legislation": "legislation",
    "personal_communication": "letter",
    "document": "misc",
}

# CSL types whose container is a book or proceedings (booktitle), not a journal.
_BOOKTITLE_TYPES = {"chapter", "paper-conference", "entry", "entry-dictionary",
                    "entry-encyclopedia"}
_SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")

# CSL variable -> the BibTeX field citekit writes it to (first match in EXTRA_TEXT_FIELDS).
_EXTRA_OUT: dict[str, str] = {}
for _bkey, _ckey in EXTRA_TEXT_FIELDS.items():
    _EXTRA_OUT.setdefault(_ckey, _bkey)

# Model text is plain Unicode, so LaTeX's special characters (braces too) are written escaped.
_ESCAPES = {"&": "\\&", "%": "\\%", "#": "\\#", "$": "\\$", "_": "\\_", "{": "\\{",
            "}": "\\}"}
# Characters that would end or break an entry key when the file is read again.
_KEY_BAD = set(" \t\n\r,{}=%")


def write(bib: Bibliography) -> str:
    """The bibliography as BibTeX text (UTF-8; LaTeX of unchanged fields kept as read)."""
    strings: dict[str, str] = {}
    for item in bib.preamble:
        if isinstance(item, dict) and item.get("kind") == "string":
            strings[str(item.get("key", "")).lower()] = evaluate(str(item.get("value", "")),
                                                                 strings)
    after: dict[str | None, list[btm.Block]] = {}
    for item in bib.preamble:
        block = _preamble_block(item)
        if block is not None:
            anchor = item.get("after") if isinstance(item, dict) else None
            after.setdefault(anchor, []).append(block)

    blocks: list[btm.Block] = list(after.pop(None, []))
    used: dict[str, int] = {}
    for n, entry in enumerate(bib.entries, 1):
        key = _unique_key(entry, n, used)
        blocks.append(_entry_block(entry, key, strings))
        blocks.extend(after.pop(entry.id, []))
    for rest in after.values():  # anchored to entries no longer in the bibliography
        blocks.extend(rest)

    library = bibtexparser.Library(blocks)
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    text = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=fmt)
    return text if text.endswith("\n") or not text else text + "\n"


def _preamble_block(item: Any) -> btm.Block | None:
    if isinstance(item, str):  # from another reader: written as % comment lines, never parsed
        return btm.ImplicitComment("\n".join(f"% {line}".rstrip() for line in item.splitlines()))
    if not isinstance(item, dict):
        return None
    kind, value = item.get("kind"), str(item.get("value", ""))
    if kind == "string":
        return btm.String(str(item.get("key", "")), value)
    if kind == "preamble":
        return btm.Preamble(value)
    if kind == "comment":
        return btm.ExplicitComment(value)
    if kind == "text":
        return btm.ImplicitComment(value)
    return None


def _unique_key(entry: Entry, n: int, used: dict[str, int]) -> str:
    """The entry's key, made safe, with ``-2``, ``-3`` … when it is already taken."""
    key = "".join(ch for ch in entry.id if ch not in _KEY_BAD) or _fallback_key(entry, n)
    candidate, i = key, used.get(key.lower(), 1)
    while candidate.lower() in used:
        i += 1
        candidate = f"{key}-{i}"
    used[key.lower()] = i  # where to start looking next time this key comes up
    used.setdefault(candidate.lower(), 1)
    return candidate


def _fallback_key(entry: Entry, n: int) -> str:
    name = entry.names[0].sort_name if entry.names else ""
    stem = "".join(ch for ch in name.lower() if ch.isalnum())
    return f"{stem}{entry.year or ''}" if stem else f"ref{n}"


def _entry_block(entry: Entry, key: str, strings: dict[str, str]) -> btm.Entry:
    derived = entry_fields(entry)
    original = _original(entry.extra.get(EXTRA_KEY))
    fields: list[tuple[str, str]] = []
    if original is not None:
        orig_fields: dict[str, str] = {str(k): str(v) for k, v in original["fields"].items()}
        base = entry_from_fields(str(original["type"]), key, orig_fields, strings)
        changed = changed_variables(entry, base, ignore=(EXTRA_KEY,))
        fields = merge_fields(list(orig_fields.items()), derived, changed,
                              lambda fkey: field_slot(fkey, base.type))
        entry_type = str(original["type"]) if base.type == entry.type else _bibtex_type(entry)
    else:
        fields = [pair for pairs in derived.values() for pair in pairs]
        entry_type = _bibtex_type(entry)
    seen: set[str] = set()
    out: list[btm.Field] = []
    for fkey, value in fields:
        if fkey.lower() not in seen:
            seen.add(fkey.lower())
            out.append(btm.Field(fkey, value, enclosing="no-enclosing"))
    return btm.Entry(entry_type, key, out)


def _original(value: Any) -> dict[str, Any] | None:
    """The original record kept by the reader, if it is well formed."""
    ok = (isinstance(value, dict) and isinstance(value.get("fields"), dict)
          and isinstance(value.get("type"), str))
    return value if ok else None


def _bibtex_type(entry: Entry) -> str:
    return CSL_TO_BIBTEX_TYPE.get(entry.type, "misc")


def entry_fields(entry: Entry) -> dict[str, list[tuple[str, str]]]:
    """The BibTeX fields for an entry's model values, grouped by the CSL variable they hold.

    Values are ready to write: enclosed in braces, LaTeX specials escaped.
    """
    out: dict[str, list[tuple[str, str]]] = {}

    def put(slot: str, key: str, value: str | None) -> None:
        if value:
            out.setdefault(slot, []).append((key, value))

    if entry.type in _SUBTYPES:
        put("type", "entrysubtype", _braced(_SUBTYPES[entry.type]))
    if entry.author or entry.et_al:
        put("author", "author", _names(entry.author, entry.et_al))
    if entry.editor:
        put("editor", "editor", _names(entry.editor, False))
    translator = entry.extra.get("translator")
    if isinstance(translator, list) and translator and isinstance(translator[0], Name):
        put("translator", "translator", _names(translator, False))
    put("title", "title", _text(entry.title))
    container_key = "booktitle" if entry.type in _BOOKTITLE_TYPES else "journal"
    put("container-title", container_key, _text(entry.container_title))
    publisher_key = {"report": "institution", "thesis": "school"}.get(entry.type, "publisher")
    put("publisher", publisher_key, _text(entry.publisher))
    put("publisher-place", "address", _text(entry.publisher_place))
    if entry.issued is not None:
        for pair in _date_fields(entry.issued):
            put("issued", *pair)
    put("volume", "volume", _text(entry.volume))
    issue_key = "number" if entry.type in ISSUE_NUMBER_TYPES else "issue"
    put("issue", issue_key, _text(entry.issue))
    if entry.page:
        page = entry.page.replace("\u2013", "-")
        put("page", "pages", _text(page if "--" in page else page.replace("-", "--")))
    put("DOI", "doi", _verbatim(entry.doi))
    put("URL", "url", _verbatim(entry.url))
    if entry.accessed is not None and entry.accessed.year is not None:
        put("accessed", "urldate", _braced(str(entry.accessed)))
    original = entry.extra.get("original-date")
    if isinstance(original, Date) and original.year is not None:
        put("original-date", "origdate", _braced(str(original)))  # biblatex's field
    put("note", "note", _text(entry.note))
    arxiv = (entry.publisher or "").lower() == "arxiv" and entry.extra.get("number")
    for ckey in ("number", "collection-number"):
        val = entry.extra.get(ckey)
        if isinstance(val, (str, int)):
            if ckey == "number" and arxiv:
                # an arXiv preprint: biblatex's eprint fields, which BibTeX styles print too
                put(ckey, "eprint", _text(str(val)))
                put(ckey, "archiveprefix", "{arXiv}")
            else:
                put(ckey, "number", _text(str(val)))
    for ckey, bkey in _EXTRA_OUT.items():
        val = entry.extra.get(ckey)
        if ckey == "status" and isinstance(val, str):
            val = val.replace(" ", "")  # biblatex's pubstate keys: "inpress", "forthcoming"
        if isinstance(val, (str, int, float)):
            put(ckey, bkey, _text(str(val)))
        elif isinstance(val, list) and val and all(isinstance(v, str) for v in val):
            put(ckey, bkey, _text(", ".join(val)))
    return out


def _date_fields(date: Date) -> Iterable[tuple[str, str]]:
    if date.year is None:
        if date.literal:
            yield "year", _text(date.literal) or ""
        return
    yield "year", str(date.year)
    if date.month is not None:
        yield "month", _MONTH_MACROS[date.month - 1] if 1 <= date.month <= 12 else str(date.month)
    iso = str(date)
    if date.day is not None or date.circa or date.season is not None:
        if date.season is not None and date.month is None:
            iso = f"{date.year:04d}-{20 + date.season}"
        yield "date", _braced(iso + ("~" if date.circa else ""))


def _names(names: list[Name], et_al: bool) -> str:
    parts = [_name(n) for n in names]
    if et_al:
        parts.append("others")
    return _braced(" and ".join(p for p in parts if p))


def _name(name: Name) -> str:
    if name.literal is not None:
        return "{" + _escape(name.literal) + "}"
    family = _escape(name.family or "")
    von = _escape(name.non_dropping_particle or name.dropping_particle or "")
    given = _escape(name.given or "")
    suffix = _escape(name.suffix or "")
    if " and " in f" {family} ":
        family = "{" + family + "}"
    last = f"{von} {family}".strip()
    if not given and not suffix:
        return "{" + last + "}" if " " in family else last
    if suffix:
        return f"{last}, {suffix}, {given}"
    return f"{last}, {given}"


def _text(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    return _braced(_escape(value))


def _verbatim(value: str | None) -> str | None:
    if not value:
        return None
    return _braced(value if _balanced(value) else value.replace("{", "%7B").replace("}", "%7D"))


def _braced(value: str) -> str:
    return "{" + value + "}"


def _escape(value: str) -> str:
    """Escape LaTeX's special characters in plain text."""
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


def _balanced(value: str) -> bool:
    depth = 0
    prev = ""
    for ch in value:
        if prev != "\\":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    return False
        prev = ch
    return depth == 0
