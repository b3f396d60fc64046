"""Body citations against the reference list."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from rapidfuzz import fuzz

from ..model import Bibliography, CitationItem, Entry
from ..parse.names import split_acronym
from .codes import severity_of
from .findings import Finding, Fix, Location
from .entries import date_words
from .listing import cite_label
from .locate import entry_location

__all__ = ["check_citations", "match_key", "CitationMatch", "CitationMatcher"]


def match_key(names: str) -> str:
    """Fold a cited-names string for matching: ``Lee, et al.`` → ``lee et al``."""
    if "[" in names:  # APA's first citation "(Semiconductor Industry Association [SIA], 2023)"
        names = re.sub(r"\s*\[[^\]]*\]", "", names)
    s = unicodedata.normalize("NFKD", names)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("&", " and ").replace("/", " and ")  # German "Schmidt/Weber"
    s = re.sub(r"[.,]", " ", s)
    return " ".join(s.split())


def _labels(entry: Entry) -> set[str]:
    """Every acceptable way of citing the entry's names."""
    out = {match_key(cite_label(entry))}
    names = [n.sort_name for n in entry.names]
    if len(names) >= 3:
        out.add(match_key(", ".join(names[:-1]) + " and " + names[-1]))
    if entry.et_al and names:
        out.add(match_key(names[0] + " et al"))
    first = entry.names[0] if entry.names else None
    if first is not None and first.literal and len(entry.names) == 1:
        out.update(_short_forms(first.literal))
    return out


def _short_forms(literal: str) -> set[str]:
    """The ways an organisation is cited short: the acronym it gives in brackets and the name
    without it ("Semiconductor Industry Association (SIA)" → "sia", "semiconductor industry
    association"; "OECD (Organisation for …)" likewise), or the capitals of its words ("World Health Organization" → "who")."""
    named = split_acronym(literal)
    if named:
        return {match_key(named[1]), match_key(named[0])}
    capitals = "".join(w[0] for w in literal.split() if w[:1].isupper())
    return {match_key(capitals)} if len(capitals) >= 3 else set()


def _year_of(entry: Entry) -> str:
    if entry.year is None:
        words = date_words(entry).lower()
        return words if words in ("in press", "forthcoming") else "n.d."
    return f"{entry.year}{entry.extra.get('year-suffix', '')}"


def _years_match(cited: str, entry: Entry) -> bool:
    ey = _year_of(entry)
    if cited == ey:
        return True
    digits = cited[:4]
    return entry.year is not None and digits == str(entry.year) and (len(cited) == 4 or ey == digits)


def _item_location(item: CitationItem, path: str | None) -> Location:
    return Location(path=path, line=item.line, col=item.col)


@dataclass
class CitationMatch:
    """How a body citation item matches the list.

    ``kind`` is ``"exact"`` (names and year agree), ``"letter"`` (names and year agree, but the
    cited year letter is none the list's works of that year have), ``"year"`` (the names agree,
    the year does not), ``"name"`` (the year agrees, the names are a variant) or ``"none"``; ``entry`` is the
    matched entry and ``candidates`` how many entries fitted as well.
    """

    kind: str
    entry: Entry | None = None
    entries: list[Entry] = field(default_factory=list)
    candidates: int = 0


class CitationMatcher:
    """Matches body citation items to the entries of a reference list."""

    def __init__(self, entries: list[Entry]) -> None:
        self.labels = [(e, _labels(e)) for e in entries]
        self.by_number: dict[int, list[Entry]] = {}
        for e in entries:
            number = str(e.extra.get("citation-number") or "")
            if number.isdigit():
                self.by_number.setdefault(int(number), []).append(e)
        #: True when the list is numbered (most entries carry a number), so that "[3]" in the
        #: body cites its third entry.
        self.numbered = 2 * sum(len(v) for v in self.by_number.values()) > len(entries)

    def match(self, item: CitationItem) -> CitationMatch:
        """The best match for one cited work (see :class:`CitationMatch`)."""
        if item.number is not None:
            hits = self.by_number.get(item.number, []) if self.numbered else []
            return CitationMatch("exact", hits[0], hits, len(hits)) if hits \
                else CitationMatch("none")
        key = match_key(item.names)
        if not item.year:
            # an author-page citation ("(Cha 45)") or a note ("Sung Kim and Jae Lee, …", read
            # as "Kim"): the names, or the first author's, and a short title if given
            named = [e for e, ls in self.labels if key in ls]
            if not named and item.note is not None:
                # a note names a work by its first author ("Sung Kim and Jae Lee, …")
                named = [e for e, _ in self.labels
                         if e.names and match_key(e.names[0].sort_name) == key]
            if item.title and named:
                titled = [e for e in named if _same_title(item.title, e.title or "")]
                if not titled:
                    return CitationMatch("none")  # "Cha, Powerplay": no such work of Cha's
                named = titled
            return CitationMatch("exact", named[0], named, len(named)) if named \
                else CitationMatch("none")
        exact = [e for e, ls in self.labels if key in ls and _years_match(item.year, e)]
        if exact:
            if len(exact) > 1 and item.year[4:5].isalpha():
                suffixed = [e for e in exact if e.extra.get("year-suffix") == item.year[4:5]]
                exact = suffixed or exact
            return CitationMatch("exact", exact[0], exact, len(exact))
        same_names = [e for e, ls in self.labels if key in ls]
        lettered = [e for e in same_names
                    if item.year[4:5].isalpha() and str(e.year) == item.year[:4]
                    and e.extra.get("year-suffix")]
        if lettered:
            # "2019c" where the list has 2019a and 2019b: the year is right, the letter is not.
            return CitationMatch("letter", lettered[0], lettered, len(lettered))
        if same_names:
            best = min(same_names, key=lambda e: abs((e.year or 0) - (item.year_int or 0)))
            return CitationMatch("year", best, [best], len(same_names))
        candidates = []
        first_word = key.split(" ")[0]
        for e, ls in self.labels:
            if not _years_match(item.year, e):
                continue
            label = match_key(cite_label(e))
            score = max(fuzz.ratio(key, lab) for lab in ls)
            if label.split(" ")[0] == first_word or label.startswith(key) or score >= 80:
                candidates.append((score, e))
        if candidates:
            candidates.sort(key=lambda c: -c[0])
            return CitationMatch("name", candidates[0][1], [candidates[0][1]], len(candidates))
        return CitationMatch("none")


def check_citations(bib: Bibliography) -> Iterator[Finding]:
    """Match every body citation to an entry; report mismatches, missing and uncited entries."""
    if bib.document is not None and not bib.document.has_reference_list:
        # no-reference-list already says the citations cannot be checked; calling each of them
        # "missing" would only repeat it (and turn a warning into errors).
        return
    path = bib.path
    matcher = CitationMatcher(bib.entries)
    used: set[int] = set()
    for citation in bib.citations:
        for item in citation.items:
            if item.number is not None:
                if matcher.numbered:
                    yield from _check_number(item, matcher, used, path)
                continue  # "[3]" beside an author-date list: a note mark, not a citation
            m = matcher.match(item)
            if m.kind == "exact":
                used.update(id(e) for e in m.entries)
                entry = m.entries[0]
                if _ambiguous(item, m.entries):
                    yield _ambiguous_finding(item, m.entries, path)
                    continue
                letter = item.year[4:5] if item.year[:4].isdigit() else ""
                has = entry.extra.get("year-suffix") or ""
                if letter.isalpha() and letter != has and len(m.entries) == 1:
                    listed = f"{cite_label(entry)} {_year_of(entry)}"
                    yield Finding(
                        "citation-suffix-mismatch", severity_of("citation-suffix-mismatch"),
                        f"the body cites {item.names} {item.year} but the reference list has "
                        f"{listed} (line {entry_location(entry).line})"
                        + ("" if has else ", with no year letter"),
                        _item_location(item, path),
                        Fix(f"cite it as {item.names} {_year_of(entry)}" if has else
                            f"cite it as {item.names} {_year_of(entry)}, or add the letter to "
                            "the list if another work of that year is cited",
                            "citation", f"{item.names} {item.year}",
                            f"{item.names} {_year_of(entry)}"),
                        {"entry": entry.id, "cited-year": item.year,
                         "list-year": _year_of(entry)})
                continue
            if m.kind == "letter":
                used.update(id(e) for e in m.entries)
                listed = _listing(m.entries)
                only = m.entries[0] if len(m.entries) == 1 else None
                yield Finding(
                    "citation-suffix-mismatch", severity_of("citation-suffix-mismatch"),
                    f"the body cites {item.names} {item.year} but the reference list has only "
                    f"{listed}",
                    _item_location(item, path),
                    Fix(f"cite it as {item.names} {_year_of(only)}", "citation",
                        f"{item.names} {item.year}", f"{item.names} {_year_of(only)}")
                    if only else
                    Fix("cite it by the letter of the work it means ("
                        + ", ".join(_year_of(e) for e in m.entries)
                        + "), or add the work to the list"),
                    {"entry": m.entries[0].id, "cited-year": item.year,
                     "list-year": _year_of(m.entries[0])})
                continue
            if m.kind == "year" and m.entry is not None:
                best = m.entry
                used.add(id(best))
                where = entry_location(best)
                yield Finding(
                    "citation-year-mismatch", severity_of("citation-year-mismatch"),
                    f"the body cites {item.names} {item.year} (line {item.line}) but the reference "
                    f"list has {cite_label(best)} {_year_of(best)} (line {where.line}); one of the "
                    "two years is wrong",
                    _item_location(item, path),
                    Fix(f"cite it as {item.names} {_year_of(best)}, or correct the year in the list",
                        "citation", f"{item.names} {item.year}", f"{item.names} {_year_of(best)}"),
                    {"entry": best.id, "cited-year": item.year, "list-year": _year_of(best),
                     "list-line": where.line})
                continue
            if m.kind == "name" and m.entry is not None:
                best = m.entry
                used.add(id(best))
                right = f"{cite_label(best)} {item.year}"
                written = f"{item.names} {item.year}"
                yield Finding(
                    "citation-name-mismatch", severity_of("citation-name-mismatch"),
                    f"the body cites {item.names} {item.year} but the reference list names "
                    f"{cite_label(best)} (line {entry_location(best).line})",
                    _item_location(item, path),
                    Fix(f"cite it as {right}", "citation", written, right,
                        automatic=m.candidates == 1 and _written_at(bib, item, written)),
                    {"entry": best.id})
                continue
            yield Finding(
                "citation-missing-reference", severity_of("citation-missing-reference"),
                ("the body" if item.note is None else f"note {item.note}")
                + f" cites {_as_written(item)} but no entry of the reference list matches it",
                _item_location(item, path),
                Fix("add the work to the reference list, or correct the citation"))
    if bib.document is not None and bib.document.has_reference_list and (
            bib.citations or _has_body(bib.document)):
        for e in bib.entries:
            if id(e) not in used:
                number = e.extra.get("citation-number") if matcher.numbered else None
                yield Finding("reference-uncited", severity_of("reference-uncited"),
                              ("" if number is None else f"[{number}] ")
                              + f"{cite_label(e)} {_year_of(e)} is in the reference list but never "
                              "cited in the body", entry_location(e),
                              Fix("cite it in the body, or remove it from the list"))


def _check_number(item: CitationItem, matcher: CitationMatcher, used: set[int],
                  path: str | None) -> Iterator[Finding]:
    """A numeric citation ("[5]") against a numbered list."""
    m = matcher.match(item)
    if m.entries:
        used.update(id(e) for e in m.entries)
        return
    numbers = sorted(matcher.by_number)
    yield Finding(
        "citation-missing-reference", severity_of("citation-missing-reference"),
        f"the body cites {_as_cited(item)} but the reference list has no entry {item.number} "
        f"(it numbers {numbers[0]}–{numbers[-1]}"
        + (f", without {', '.join(map(str, _gaps(numbers)[:5]))})" if _gaps(numbers) else ")"),
        _item_location(item, path),
        Fix("add the work to the list under that number, or correct the citation"),
        {"cited-number": item.number})


def _written_at(bib: Bibliography, item: CitationItem, text: str) -> bool:
    """Whether ``text`` stands in the document at the item's line and column, so that
    ``--fix`` can replace it there (not so after a prefix, "(see Smyth 2019)", with a comma,
    "(Smyth, 2019)", or across a line break)."""
    doc = bib.document
    if doc is None or not item.line:
        return True  # (no document text to patch: the fix is applied to the entry data)
    lines = doc.text.split("\n")
    line = lines[item.line - 1] if 0 < item.line <= len(lines) else ""
    return line[item.col - 1:item.col - 1 + len(text)] == text


def _as_written(item: CitationItem) -> str:
    """``Smith 2019``, or ``Williams 87`` for an author-page citation (no year)."""
    if item.year:
        return f"{item.names} {item.year}"
    if item.title:
        return f"{item.names}, {item.title}"
    return f"{item.names} {item.locator}" if item.locator else item.names


def _as_cited(item: CitationItem) -> str:
    """``[5]``, or ``5 (in [2-7])`` for one number of a list or range."""
    return f"[{item.number}]" if item.raw == f"[{item.number}]" else f"{item.number} (in {item.raw})"


def _gaps(numbers: list[int]) -> list[int]:
    """The numbers missing between the first and the last of a sorted list."""
    present = set(numbers)
    return [n for n in range(numbers[0], numbers[-1] + 1) if n not in present] \
        if numbers and numbers[-1] - numbers[0] < 10_000 else []


def _listing(entries: list[Entry]) -> str:
    """``Smith 2019a (line 7) and Smith 2019b (line 9)``."""
    parts = [f"{cite_label(e)} {_year_of(e)} (line {entry_location(e).line})" for e in entries]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _ambiguous(item: CitationItem, entries: list[Entry]) -> bool:
    """True when a citation without a year letter fits two or more different works (not one
    work listed twice, which duplicate-entry reports)."""
    if len(entries) < 2 or item.year[4:5].isalpha() or (not item.year and item.title):
        return False
    titles = {" ".join(match_key(e.title or "").split()) for e in entries}
    return len(titles) == len(entries)


def _ambiguous_finding(item: CitationItem, entries: list[Entry], path: str | None) -> Finding:
    """citation-ambiguous for ``(Smith 2019)`` when the list has Smith 2019a and 2019b."""
    lettered = all(e.extra.get("year-suffix") for e in entries)
    if not item.year:
        fix = Fix("add a short title to tell the works apart: "
                  + " or ".join(f"({item.names}, {_short_title(e)})" for e in entries))
        return Finding(
            "citation-ambiguous", severity_of("citation-ambiguous"),
            f"the body cites {item.names}, which fits {len(entries)} works of the reference "
            f"list: {_listing(entries)}", _item_location(item, path), fix,
            {"entries": [e.id for e in entries], "cited-year": ""})
    if lettered:
        fix = Fix("cite it by the letter of the work it means: "
                  + " or ".join(f"{item.names} {_year_of(e)}" for e in entries))
    else:
        fix = Fix("give the list's works of that year their letters (see year-suffix-missing) "
                  "and cite each by its letter")
    return Finding(
        "citation-ambiguous", severity_of("citation-ambiguous"),
        f"the body cites {item.names} {item.year}, which fits {len(entries)} works of the "
        f"reference list: {_listing(entries)}",
        _item_location(item, path), fix,
        {"entries": [e.id for e in entries], "cited-year": item.year})


def _title_key(title: str) -> str:
    """A title folded for comparing its start: no leading article, no quotes or punctuation."""
    key = " ".join(re.sub(r"[^\w\s]", " ", match_key(title)).split())
    for article in ("the ", "a ", "an "):
        if key.startswith(article):
            return key[len(article):]
    return key


def _same_title(short: str, title: str) -> bool:
    """Whether a short title ("Impossible State", "The Impossible State: North Korea",
    Chicago's key words "Crossroads" for "South Korea at the Crossroads") names ``title``: its
    first words (up to three, a leading article aside) stand together in the title."""
    a, b = _title_key(short).split()[:3], _title_key(title).split()
    return bool(a) and any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _short_title(entry: Entry) -> str:
    """The first words of a title, as MLA shortens it ("Impossible State")."""
    title = (entry.title or "").split(":")[0]
    words = [w for w in title.split() if w.lower() not in ("a", "an", "the")]
    return " ".join(words[:3])


#: A body of fewer words than this (a heading, a title line) is no text that cites anything.
BODY_MIN_WORDS = 30


def _has_body(doc: Any) -> bool:
    """True when the document has prose before its reference list (not a bare list under a
    "References" heading), so that an entry it never cites is worth a warning (a body with
    citations counts whatever its length)."""
    first, last = doc.body_lines or (1, (doc.references_line or 1) - 1)
    lines = doc.text.split("\n")[first - 1:last]
    return sum(len(line.split()) for line in lines) >= BODY_MIN_WORDS
