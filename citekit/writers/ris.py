"""Write a bibliography as RIS.

A record read from RIS keeps its tags in ``entry.extra["ris"]``: tags whose model value is
unchanged (and tags the model has no place for) are written back exactly as read; tags of a
changed value are written from the model. Other entries are written from the model alone.
"""

from __future__ import annotations

from typing import Any

from ..model import Bibliography, Date, Entry, Name
from ..readers.ris import EXTRA_KEY, TAG_SLOT, entry_from_tags
from .merge import changed_variables, merge_fields

__all__ = ["write", "CSL_TO_RIS_TYPE", "entry_tags"]

#: CSL item type -> RIS reference type.
CSL_TO_RIS_TYPE: dict[str, str] = {
    "article": "JOUR", "article-journal": "JOUR", "article-magazine": "MGZN",
    "article-newspaper": "NEWS", "book": "BOOK", "chapter": "CHAP",
    "paper-conference": "CPAPER", "report": "RPRT", "thesis": "THES", "webpage": "ELEC",
    "post": "ELEC", "post-weblog": "BLOG", "dataset": "DATA", "software": "COMP",
    "manuscript": "UNPB", "patent": "PAT", "standard": "STAND", "document": "GEN",
    "personal_communication": "PCOMM", "pamphlet": "PAMP", "map": "MAP", "song": "SOUND",
    "musical_score": "MUSIC", "motion_picture": "VIDEO", "graphic": "ART", "figure": "FIGURE",
    "bill": "BILL", "legal_case": "CASE", "legislation": "STAT", "regulation": "LEGAL",
    "hearing": "HEAR", "entry-encyclopedia": "ENCYC", "entry-dictionary": "DICT",
    "periodical": "JFULL", "speech": "SLIDE",
}

_EXTRA_TAGS = (("container-title-short", "J2"), ("collection-title", "T3"),
               ("title-short", "ST"), ("abstract", "AB"), ("language", "LA"),
               ("edition", "ET"), ("genre", "M3"), ("number-of-volumes", "NV"))


def write(bib: Bibliography) -> str:
    """The bibliography as RIS text: one record per entry, ``TY`` first and ``ER`` last."""
    return "\n".join(_record(entry) for entry in bib.entries)


def _record(entry: Entry) -> str:
    derived = entry_tags(entry)
    original = _original(entry.extra.get(EXTRA_KEY))
    tags: list[tuple[str, str]] = []
    if original is not None:
        orig_tags = [(str(t), str(v)) for t, v in original["tags"]]
        base = entry_from_tags(str(original["type"]), orig_tags)
        if not any(t == "ID" for t, _ in orig_tags):
            derived.pop("id", None)  # the key was made up when reading; do not add an ID tag
            base.id = entry.id
        changed = changed_variables(entry, base, ignore=(EXTRA_KEY,))
        tags = merge_fields(orig_tags, derived, changed, _tag_slot)
        rtype = str(original["type"]) if base.type == entry.type else _ris_type(entry)
    else:
        tags = [pair for pairs in derived.values() for pair in pairs]
        rtype = _ris_type(entry)
    lines = [f"TY  - {rtype}"]
    for tag, value in tags:
        first, *rest = value.split("\n") or [""]
        lines.append(f"{tag}  - {first}".rstrip() if first else f"{tag}  - ")
        lines.extend(rest)
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def _original(value: Any) -> dict[str, Any] | None:
    """The original record kept by the reader, if it is well formed."""
    ok = (isinstance(value, dict) and isinstance(value.get("tags"), list)
          and isinstance(value.get("type"), str)
          and all(isinstance(t, (list, tuple)) and len(t) == 2 for t in value["tags"]))
    return value if ok else None


def _tag_slot(tag: str) -> str | None:
    if tag == "ID":
        return "id"
    return TAG_SLOT.get(tag)


def _ris_type(entry: Entry) -> str:
    return CSL_TO_RIS_TYPE.get(entry.type, "GEN")


def entry_tags(entry: Entry) -> dict[str, list[tuple[str, str]]]:
    """The RIS tags for an entry's model values, grouped by the CSL variable they hold."""
    out: dict[str, list[tuple[str, str]]] = {}

    def put(slot: str, tag: str, value: str | None) -> None:
        if value:
            out.setdefault(slot, []).append((tag, value))

    put("id", "ID", entry.id)
    for name in entry.author:
        put("author", "AU", _name(name))
    if entry.et_al:
        put("author", "AU", "et al.")
    for name in entry.editor:
        put("editor", "A2", _name(name))
    put("title", "TI", entry.title)
    put("container-title", "T2", entry.container_title)
    if entry.issued is not None:
        if entry.issued.year is not None:
            put("issued", "PY", str(entry.issued.year))
            if entry.issued.month is not None:
                put("issued", "DA", _ris_date(entry.issued))
        else:
            put("issued", "PY", entry.issued.literal)
    put("volume", "VL", entry.volume)
    put("issue", "IS", entry.issue)
    if entry.page:
        start, sep, end = entry.page.replace("\u2013", "-").partition("-")
        put("page", "SP", start.strip())
        if sep:
            put("page", "EP", end.strip().lstrip("-"))
    put("publisher", "PB", entry.publisher)
    put("publisher-place", "CY", entry.publisher_place)
    put("DOI", "DO", entry.doi)
    put("URL", "UR", entry.url)
    if entry.accessed is not None:
        put("accessed", "Y2", _ris_date(entry.accessed))
    if entry.note:
        put("note", "N1", entry.note)
    for key, tag in _EXTRA_TAGS:
        val = entry.extra.get(key)
        if isinstance(val, (str, int)):
            put(key, tag, str(val))
    keywords = entry.extra.get("keyword")
    if isinstance(keywords, str):
        for word in keywords.split(","):
            put("keyword", "KW", word.strip())
    for key in ("ISBN", "ISSN"):
        val = entry.extra.get(key)
        if isinstance(val, str):
            put("ISBN/ISSN", "SN", val)
    return out


def _name(name: Name) -> str:
    if name.literal is not None:
        return " ".join(name.literal.replace(",", " ").split())  # a comma would mean "Last, First"
    family = " ".join(p for p in (name.non_dropping_particle or name.dropping_particle,
                                  name.family) if p)
    parts = [family, name.given or ""]
    if name.suffix:
        parts.append(name.suffix)
    return ", ".join(parts)


def _ris_date(date: Date) -> str | None:
    if date.year is None:
        return date.literal
    parts = [f"{date.year:04d}", f"{date.month:02d}" if date.month else "",
             f"{date.day:02d}" if date.day and date.month else ""]
    return "/".join(parts) + "/"
