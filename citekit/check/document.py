"""Document-level checks: a missing reference list, the author's name spelt two ways."""

from __future__ import annotations

import re
from typing import Iterator

from rapidfuzz import fuzz

from ..model import Bibliography
from .codes import severity_of
from .findings import Finding, Fix, Location

__all__ = ["check_document", "surname_variants"]

# Romanisations of one surname (Korean and Chinese surnames are written many ways in English).
_VARIANT_SETS = [
    {"jang", "chang", "zhang", "jiang"}, {"lee", "yi", "rhee", "li", "rhie", "ri"},
    {"park", "pak", "bak", "bahk"}, {"choi", "choe", "chwe", "cui"}, {"kang", "gang"},
    {"jeong", "jung", "chung", "cheong", "chong", "zheng"}, {"cho", "jo", "joe", "zhao"},
    {"kim", "gim"}, {"shin", "sin", "shen"}, {"yoon", "yun", "youn"}, {"lim", "im", "rim", "lin"},
    {"han", "hahn"}, {"oh", "o"}, {"seo", "suh", "so", "xu"}, {"kwon", "gwon"},
    {"hwang", "huang"}, {"ahn", "an"}, {"song", "soung"}, {"yoo", "yu", "ryu", "you", "liu"},
    {"jun", "jeon", "chun", "chon", "quan"}, {"koh", "ko", "go", "gao"}, {"moon", "mun", "wen"},
    {"bae", "pae", "pei"}, {"baek", "paik", "paek", "bai"}, {"heo", "huh", "hur", "xu"},
    {"noh", "roh", "no", "ro", "lu"}, {"ha", "xia"}, {"ju", "joo", "chu", "zhu"},
]
_HONORIFIC = re.compile(r"\b(?:Dr|Prof|Professor|Mr|Ms|Mrs|Ambassador|Director)\.?\s+"
                        r"(?P<name>[A-Z][a-z'\u2019-]+)\b")


def surname_variants(a: str, b: str) -> bool:
    """True when two surnames are spellings of one name (``Jang``/``Chang``), not the same string."""
    x, y = a.casefold(), b.casefold()
    if x == y:
        return False
    if any(x in s and y in s for s in _VARIANT_SETS):
        return True
    return len(x) >= 4 and len(y) >= 4 and fuzz.ratio(x, y) >= 80


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_document(bib: Bibliography) -> Iterator[Finding]:
    """Findings about the commentary as a whole."""
    doc = bib.document
    if doc is None:
        return
    if not doc.has_reference_list:
        n = sum(len(c.items) for c in bib.citations)
        extra = f"; its {n} body citation(s) cannot be checked" if n else ""
        yield Finding("no-reference-list", severity_of("no-reference-list"),
                      f"the document has no reference list (no References/Bibliography/"
                      f"Works Cited heading){extra}",
                      Location(path=doc.path, line=1, col=1),
                      Fix("add a References section if the text relies on sources"))
    if not doc.authors:
        return
    author_surnames = {}
    for full in doc.authors:
        words = full.split()
        if words:
            # "Leif-Eric EASLEY" / "Seho Jang": the last word is the family name.
            author_surnames[words[-1].casefold()] = full
    known = set(author_surnames)
    text = doc.text
    seen: set[tuple[str, str]] = set()
    for m in _HONORIFIC.finditer(text):
        name = m.group("name")
        if name.casefold() in known:
            continue
        for surname, full in author_surnames.items():
            if surname_variants(name, surname) and (name, surname) not in seen:
                seen.add((name, surname))
                line, col = _line_col(text, m.start())
                proper = surname.capitalize() if full.split()[-1].isupper() else full.split()[-1]
                yield Finding(
                    "author-name-variant", severity_of("author-name-variant"),
                    f"the text calls its author \u201c{m.group(0)}\u201d but the byline/bio spells "
                    f"the name \u201c{full}\u201d",
                    Location(path=doc.path, line=line, col=col),
                    Fix(f"write {m.group(0).replace(name, proper)}", "text", m.group(0),
                        m.group(0).replace(name, proper)),
                    {"variant": name, "author": full})
