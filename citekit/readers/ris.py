"""Read RIS (the tagged format of reference managers) into the model.

Every tag of a record is kept, in order, in ``entry.extra["ris"]`` (with the ``TY`` type), so the
RIS writer can write an unchanged record back as it was read, unknown tags included.

Hand-written rather than through ``rispy`` (checked: 0.10.0): rispy keeps no line numbers, drops a
last record that lacks ``ER`` without a word, folds repeated tags and loses their order, and fails
on a continuation line after a repeated tag. The format itself is a line scan.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Bibliography, Date, Entry, Failure, Name, SourceSpan, valid_date_parts
from ..parse.names import looks_like_organisation, split_acronym

__all__ = ["read", "RIS_TO_CSL_TYPE", "EXTRA_KEY", "entry_from_tags", "parse_ris_name"]

#: Key of ``Entry.extra`` under which the original RIS type and tags are kept.
EXTRA_KEY = "ris"

#: RIS reference type (TY) -> CSL item type.
RIS_TO_CSL_TYPE: dict[str, str] = {
    "JOUR": "article-journal", "EJOUR": "article-journal", "INPR": "article-journal",
    "ABST": "article-journal", "MGZN": "article-magazine", "NEWS": "article-newspaper",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter",
    "CONF": "paper-conference", "CPAPER": "paper-conference", "RPRT": "report",
    "GOVDOC": "report", "THES": "thesis", "ELEC": "webpage", "BLOG": "post-weblog",
    "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset", "COMP": "software",
    "UNPB": "manuscript", "MANSCPT": "manuscript", "PAT": "patent", "STAND": "standard",
    "GEN": "document", "PCOMM": "personal_communication", "ICOMM": "personal_communication",
    "PAMP": "pamphlet", "MAP": "map", "SOUND": "song", "MUSIC": "musical_score",
    "VIDEO": "motion_picture", "MPCT": "motion_picture", "ADVS": "motion_picture",
    "ART": "graphic", "FIGURE": "figure", "BILL": "bill", "CASE": "legal_case",
    "STAT": "legislation", "LEGAL": "regulation", "HEAR": "hearing",
    "ENCYC": "entry-encyclopedia", "DICT": "entry-dictionary", "SER": "periodical",
    "JFULL": "periodical", "SLIDE": "speech", "MULTI": "webpage", "CTLG": "document",
}

#: RIS tag -> the CSL variable it feeds (used by the writer to know which tags a change touches).
TAG_SLOT: dict[str, str] = {
    "AU": "author", "A1": "author", "A2": "editor", "ED": "editor",
    "TI": "title", "T1": "title", "CT": "title",
    "T2": "container-title", "JO": "container-title", "JF": "container-title",
    "BT": "container-title", "JA": "container-title-short", "J2": "container-title-short",
    "T3": "collection-title", "ST": "title-short",
    "PY": "issued", "Y1": "issued", "DA": "issued", "Y2": "accessed",
    "VL": "volume", "IS": "issue", "CP": "issue", "SP": "page", "EP": "page",
    "DO": "DOI", "UR": "URL", "PB": "publisher", "CY": "publisher-place", "PP": "publisher-place",
    "SN": "ISBN/ISSN", "AB": "abstract", "N2": "abstract", "N1": "note", "KW": "keyword",
    "LA": "language", "ET": "edition", "M3": "genre", "NV": "number-of-volumes",
}

_BOOKISH = {"book", "chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary",
            "report", "thesis"}
_ET_AL = {"et al.", "et al", "others", "et. al."}


def read(text: str, path: str | None = None) -> Bibliography:
    """Read RIS ``text`` into a :class:`Bibliography`; stray text becomes a recorded failure."""
    bib = Bibliography(path=path, format="ris")
    record: list[tuple[str, list[str]]] = []  # tag and its lines (continuations joined later)
    rtype: str | None = None
    start = 0
    raw_lines: list[str] = []
    stray: list[tuple[int, str]] = []
    keys: dict[str, int] = {}

    def flush_stray() -> None:
        if stray:
            bib.failures.append(Failure(
                raw="\n".join(s for _, s in stray), path=path, line=stray[0][0], col=1,
                reason="text outside a RIS record (records start with 'TY  - ')"))
            stray.clear()

    def close(end_line: int) -> None:
        nonlocal rtype
        if rtype is None:
            return
        entry = entry_from_tags(rtype, [(tag, "\n".join(lines)) for tag, lines in record])
        if not entry.id:
            entry.id = _make_key(entry, keys)
        entry.source = SourceSpan(path=path, line=start, end_line=end_line,
                                  raw="\n".join(raw_lines))
        bib.entries.append(entry)
        rtype = None
        record.clear()
        raw_lines.clear()

    last = 0
    for number, line in _lines(text):
        tag, value = _split_tag(line)
        if tag == "TY":
            flush_stray()
            close(last)  # a record without ER ends where the next one starts
            rtype, start = value.strip().upper(), number
            raw_lines.append(line)
        elif rtype is None:
            if line.strip():
                stray.append((number, line))
            continue
        elif tag == "ER":
            raw_lines.append(line)
            close(number)
        elif tag is not None:
            record.append((tag, [value]))
            raw_lines.append(line)
        elif record:
            # A line without a tag continues the previous tag's value.
            if line.strip():
                record[-1][1].append(line.strip())
            raw_lines.append(line)
        else:
            raw_lines.append(line)
        if line.strip():
            last = number
    close(last)
    flush_stray()
    return bib


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        yield number, line.rstrip("\r")


def _split_tag(line: str) -> tuple[str | None, str]:
    """``('AU', 'Smith, J.')`` for ``AU  - Smith, J.``; ``(None, line)`` for other lines."""
    head = line[:2]
    if (len(head) == 2 and "A" <= head[0] <= "Z" and (head[1].isdigit() or "A" <= head[1] <= "Z")
            and line[2:5] == "  -" and (len(line) == 5 or line[5] == " ")):
        return head, line[6:].strip()
    return None, line


def entry_from_tags(rtype: str, tags: list[tuple[str, str]]) -> Entry:
    """Build an entry from a RIS type and its ``(tag, value)`` pairs in order."""
    entry = Entry(type=RIS_TO_CSL_TYPE.get(rtype.upper(), "document"))
    entry.extra[EXTRA_KEY] = {"type": rtype, "tags": [[t, v] for t, v in tags]}
    first: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    for tag, value in tags:
        flat = " ".join(value.split())
        if flat:
            first.setdefault(tag, flat)
            every.setdefault(tag, []).append(flat)

    def pick(*names: str) -> str | None:
        for name in names:
            if name in first:
                return first[name]
        return None

    for tag in ("AU", "A1"):
        for value in every.get(tag, []):
            if value.lower() in _ET_AL:
                entry.et_al = True
            else:
                entry.author.append(parse_ris_name(value))
    for tag in ("A2", "ED"):
        entry.editor.extend(parse_ris_name(v) for v in every.get(tag, []))
    entry.id = pick("ID") or ""
    entry.title = pick("TI", "T1", "CT")
    if entry.type in ("book",) and entry.title is None:
        entry.title = pick("BT")
    entry.container_title = pick("T2", "JF", "JO", "BT" if entry.type != "book" else "T2")
    entry.publisher = pick("PB")
    entry.publisher_place = pick("CY", "PP")
    entry.volume = pick("VL")
    entry.issue = pick("IS", "CP")
    entry.page = _pages(pick("SP"), pick("EP"))
    entry.doi = pick("DO")
    urls = every.get("UR", [])
    entry.url = urls[0] if urls else None
    notes = every.get("N1", [])
    entry.note = "\n".join(notes) if notes else None
    entry.issued = _ris_date(pick("DA")) or _ris_date(pick("PY", "Y1"))
    entry.accessed = _ris_date(pick("Y2"))
    # An impossible date keeps its year; the text as written is kept for date-invalid.
    for field, raw in (("issued", pick("DA") or pick("PY", "Y1")), ("accessed", pick("Y2"))):
        if raw and _impossible(raw):
            entry.diagnostics.setdefault("invalid-dates", {})[field] = raw.strip()
    for tag, key in (("JA", "container-title-short"), ("J2", "container-title-short"),
                     ("T3", "collection-title"), ("ST", "title-short"), ("AB", "abstract"),
                     ("N2", "abstract"), ("LA", "language"), ("ET", "edition"),
                     ("M3", "genre"), ("NV", "number-of-volumes")):
        if tag in first and key not in entry.extra:
            entry.extra[key] = first[tag]
    if "KW" in every:
        entry.extra["keyword"] = ", ".join(every["KW"])
    if "SN" in first:
        entry.extra["ISBN" if entry.type in _BOOKISH else "ISSN"] = first["SN"]
    return entry


def parse_ris_name(value: str) -> Name:
    """``Last, First, Suffix`` -> a person; a name without a comma, or an organisation's with
    one ("Ministry of Trade, Industry and Energy (MOTIE)") -> a literal name."""
    family_part = value.partition(",")[0]
    if "," not in value or split_acronym(value) or (
            len(family_part.split()) > 1 and looks_like_organisation(family_part)):
        # ("Service, Robert" is a person: one word before the comma)
        return Name(literal=value.strip())
    family, _, rest = value.partition(",")
    given, _, suffix = rest.partition(",")
    words = family.split()
    particle: list[str] = []
    while len(words) > 1 and words[0][:1].islower():
        particle.append(words.pop(0))
    return Name(family=" ".join(words) or None, given=given.strip() or None,
                non_dropping_particle=" ".join(particle) or None,
                suffix=suffix.strip() or None)


def _pages(sp: str | None, ep: str | None) -> str | None:
    if sp and ep and ep != sp:
        return f"{sp}-{ep}"
    return sp or ep


def _impossible(value: str) -> bool:
    """True for a numeric date with a month or day no calendar has ("2019/13/01"); 0 and
    empty parts are "unknown" ("2020/00/00/")."""
    sep = "/" if "/" in value else "-"
    bits = [b.strip() for b in value.strip().split(sep)]
    if len(bits) < 2 or len(bits[0]) != 4 or not all(b.isdigit() or not b for b in bits[:3]):
        return False
    nums = [int(b) if b and int(b) else None for b in bits[:3]]
    month, day = (nums[1:] + [None, None])[:2]
    return not valid_date_parts(nums[0], month, day if month is not None else None)


def _ris_date(value: str | None) -> Date | None:
    """``2024``, ``2024///``, ``2024/05/01/``, ``2024-05-01`` -> a Date; other text -> literal."""
    if not value:
        return None
    sep = "/" if "/" in value else "-"
    bits = [b.strip() for b in value.split(sep)]
    nums: list[int] = []
    for bit in bits[:3]:
        if not bit:
            break
        if not bit.isdigit():
            return Date(literal=value) if not nums else Date(*nums[:3])  # type: ignore[arg-type]
        nums.append(int(bit))
    if not nums or len(bits[0]) != 4:
        return Date(literal=value)
    date = Date(year=nums[0])
    if _impossible(value):
        return date  # "2019/02/30": the year only (date-invalid reports the rest)
    if len(nums) > 1 and 1 <= nums[1] <= 12:
        date.month = nums[1]
        if len(nums) > 2 and 1 <= nums[2] <= 31:
            date.day = nums[2]
    return date


def _make_key(entry: Entry, used: dict[str, int]) -> str:
    """A citation key like ``easley2017`` (``easley2017b`` for the second one)."""
    name = entry.names[0] if entry.names else None
    stem = name.family if name is not None and name.family else (name.sort_name if name else "")
    stem = "".join(ch for ch in stem.lower() if ch.isalnum()) or "ref"
    key = f"{stem}{entry.year or ''}"
    count = used.get(key, 0)
    used[key] = count + 1
    return key if count == 0 else f"{key}{chr(ord('a') + count) if count < 26 else count}"
