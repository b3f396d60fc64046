"""Find author-date citations in body text, with line and column.

Parenthetical: ``(Easley 2017)``, ``(Lee, et al. 2023)``, ``(Ha and Kim 2024)``,
``(Ministry of Unification 2024)``, ``(see Easley 2017, 12; Kim 2024)``, ``(Easley 2017, 2023)``.
Narrative: ``Easley (2017)``, ``Ha and Kim (2024, 3)``, ``Park (2020, 2021)``.
Numeric (for numbered lists): ``[3]``, ``[2, 5]``, ``[2-4]``, ``[1; 7–9]``.
Author-page (MLA, for a body with none of the above): ``(Cha 45)``, ``(Kim and Lee 620)``,
``(Park)``, ``(Cha, Impossible State 12)``, ``(Ministry of Unification 14)``: only names the
reference list has are read, as a parenthesis of a name and a number is otherwise too common.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..model import Citation, CitationItem

__all__ = ["extract_citations", "parse_citation_text", "extract_author_page_citations",
           "extract_note_citations", "citable_names", "widen_to_listed_names"]

_PAREN_RE = re.compile(r"\(([^()\n]{4,300})\)")
_YEAR = r"(?:(?:1[5-9]|20)\d\d[a-z]?|(?i:n\.\s?d\.|forthcoming|in\s+press))"
_ITEM_RE = re.compile(
    rf"^(?P<names>[A-Z\u00C0-\u024F][^;]*?)[,]?\s+(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)"
    r"(?:\s*[,:]\s*(?P<loc>[^;]+?))?\s*$"
)
_YEARS_ONLY_RE = re.compile(rf"^(?P<years>{_YEAR}(?:\s*[,;]\s*{_YEAR})*)(?:\s*[,:]\s*(?P<loc>[^;]+?))?\s*$")
_PREFIX_RE = re.compile(r"^(?:see\s+also|see|e\.g\.,?|cf\.|for\s+example,?|as\s+in|quoted\s+in)\s+",
                        re.IGNORECASE)
_NARRATIVE_RE = re.compile(
    r"(?P<names>[A-Z\u00C0-\u024F][\w'\u2019-]+(?:(?:\s+(?:and|&)\s+|/)[A-Z\u00C0-\u024F][\w'\u2019-]+"
    r"|,?\s+et\s+al\.)?)\s+\((?P<inner>" + _YEAR + r"(?:\s*[,;]\s*" + _YEAR + r")*"
    r"(?:\s*[,:]\s*[^()\n]{1,40})?)\)"
)
_YEAR_SPLIT = re.compile(rf"{_YEAR}")


def _year_text(year: str) -> str:
    """A cited year as the list writes it: "n. d." → "n.d.", "In  press" → "in press",
    "Forthcoming" → "forthcoming"."""
    if year[:1].isdigit():
        return year.replace(" ", "")
    return "in press" if year[:2].lower() == "in" else year.replace(" ", "").lower()
_NOT_NAMES = frozenset({"in", "since", "from", "until", "by", "circa", "c.", "ca.", "before", "after",
                        "around", "during", "january", "february", "march", "april", "may", "june",
                        "july", "august", "september", "october", "november", "december"})


# "[3]", "[2, 5]", "[2-4]", "[1; 7–9]": numbers below 1000 (a bracketed four-digit number is a
# year, "[1998]").
_NUMERIC_RE = re.compile(r"\[(\d{1,3}(?:\s*[-\u2013\u2014,;]\s*\d{1,3})*)\]")
_BRACKET_RANGE = re.compile(r"\[(\d{1,3})\]\s*[-\u2013\u2014]\s*\[(\d{1,3})\]")
_NUMERIC_PART = re.compile(r"(\d{1,3})(?:\s*[-\u2013\u2014]\s*(\d{1,3}))?")
#: A range wider than this ("[1-900]") is read as its two ends only.
MAX_RANGE = 100


def _not_a_citation(text: str, m: re.Match[str]) -> bool:
    """Brackets that hold numbers but cite nothing: Markdown's links ("[text][3]", "[3](url)",
    a "[3]: https://…" definition), code ("a[4]", a `code span`), intervals and other
    mathematics ("[0, 1]")."""
    before = text[m.start() - 1] if m.start() > 0 else " "
    if before == "]" or before.isalnum() or before == "_":
        return True  # "[text][3]", "a[4]"
    if text[m.end():m.end() + 1] == "(":
        return True  # Markdown's "[3](https://…)"
    if text.count("`", 0, m.start()) % 2:
        return True  # inside a code span
    if text[m.end():m.end() + 1] == ":" and not text[:m.start()].strip():
        return True
    return any(int(n) == 0 for n in re.findall(r"\d+", m.group(1)))


def _numeric_items(m: re.Match[str], lineno: int) -> list[CitationItem]:
    items: list[CitationItem] = []
    for part in _NUMERIC_PART.finditer(m.group(1)):
        first = int(part.group(1))
        last = int(part.group(2)) if part.group(2) else first
        numbers = range(first, last + 1) if 0 <= last - first <= MAX_RANGE else (first, last)
        col = m.start(1) + part.start() + 1
        items.extend(CitationItem(names="", year="", raw=m.group(0), line=lineno, col=col,
                                  number=n) for n in numbers)
    return items


def parse_citation_text(content: str, line: int = 0, col: int = 0) -> list[CitationItem]:
    """Parse the inside of a parenthetical citation into items (empty if it is not a citation)."""
    items: list[CitationItem] = []
    offset = 0
    last_names: str | None = None
    for part in content.split(";"):
        raw = part.strip()
        start = col + offset + (len(part) - len(part.lstrip())) + 1
        offset += len(part) + 1
        if not raw:
            continue
        prefix = None
        pm = _PREFIX_RE.match(raw)
        body = raw
        if pm:
            prefix = pm.group(0).strip()
            body = raw[pm.end():]
        m = _ITEM_RE.match(body)
        if m:
            names = m.group("names").strip().rstrip(",")
            if names.split()[0].lower() in _NOT_NAMES or not any(c.isalpha() for c in names):
                return []
            last_names = names
        else:
            m = _YEARS_ONLY_RE.match(body)
            if not m or last_names is None:
                return [] if not items else items
            names = last_names
        loc = m.group("loc")
        for y in _YEAR_SPLIT.findall(m.group("years")):
            items.append(CitationItem(names=names, year=_year_text(y), locator=loc,
                                      prefix=prefix, raw=raw, line=line, col=start))
    return items


@dataclass
class _Wrapped:
    """A parenthesis opened at the end of one line and closed on the next (hard-wrapped
    text): its content joined by one space, and how to place a column of it back."""

    content: str
    raw: str
    line: int
    open_at: int
    first_len: int  # characters of the content on the first line
    next_indent: int  # white space before the content's rest on the next line

    def place(self, col: int) -> tuple[int, int]:
        """(line, column) of a 1-based column counted along the joined content's line."""
        offset = col - self.open_at - 2  # 0-based offset into the content
        if offset < self.first_len:
            return self.line, col
        joint = 1 if self.first_len else 0  # the space put between the two lines' parts
        return self.line + 1, offset - self.first_len - joint + self.next_indent + 1


def _wrapped(lines: list[str], idx: int, first_line: int = 1) -> _Wrapped | None:
    """The parenthesis that ``lines[idx]`` opens and does not close, if the next line closes it
    (within 300 characters, with no other parenthesis between)."""
    text = lines[idx]
    open_at = text.rfind("(")
    if open_at < 0 or open_at < text.rfind(")") or idx + 1 >= len(lines):
        return None
    nxt = lines[idx + 1]
    rest = nxt.lstrip()
    close = rest.find(")")
    head = text[open_at + 1:].rstrip()
    if close < 0 or "(" in rest[:close] or not rest or len(head) + close > 300:
        return None
    content = f"{head} {rest[:close]}" if head else rest[:close]
    return _Wrapped(content, f"({content})", first_line + idx, open_at, len(head),
                    len(nxt) - len(rest))


def extract_citations(lines: list[str], path: str | None = None, first_line: int = 1) -> list[Citation]:
    """All citations in ``lines`` (numbered from ``first_line``), in reading order."""
    found: list[Citation] = []
    for idx, text in enumerate(lines):
        if "(" not in text and "[" not in text:
            continue
        lineno = first_line + idx
        spans: list[tuple[int, Citation]] = []
        if "[" in text:
            ranged: list[tuple[int, int]] = []
            for m in _BRACKET_RANGE.finditer(text):
                # IEEE's "[4]–[6]": the works from 4 to 6
                first, last = int(m.group(1)), int(m.group(2))
                if not 0 < last - first <= MAX_RANGE:
                    continue
                ranged.append((m.start(), m.end()))
                if _not_a_citation(text, m):
                    continue  # "a[1]-[2]": code, neither end a citation
                spans.append((m.start(), Citation(raw=m.group(0), line=lineno, col=m.start() + 1,
                                                  items=[CitationItem(
                                                      names="", year="", raw=m.group(0),
                                                      line=lineno, col=m.start() + 2, number=n)
                                                      for n in range(first, last + 1)])))
            for m in _NUMERIC_RE.finditer(text):
                if any(a <= m.start() < b for a, b in ranged):
                    continue
                word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\t", 0, m.start()))
                if "://" in text[word_start + 1:m.start()]:
                    continue  # part of a link
                if _not_a_citation(text, m):
                    continue
                spans.append((m.start(), Citation(raw=m.group(0), line=lineno, col=m.start() + 1,
                                                  items=_numeric_items(m, lineno))))
        for m in _PAREN_RE.finditer(text):
            if not re.search(_YEAR, m.group(1)):
                continue
            items = parse_citation_text(m.group(1), lineno, m.start(1))
            if items:
                spans.append((m.start(), Citation(raw=m.group(0), line=lineno, col=m.start() + 1,
                                                  items=items)))
        wrapped = _wrapped(lines, idx, first_line)
        if wrapped is not None and re.search(_YEAR, wrapped.content):
            items = parse_citation_text(wrapped.content, lineno, wrapped.open_at + 1)
            if items:
                for item in items:
                    item.line, item.col = wrapped.place(item.col)
                spans.append((wrapped.open_at, Citation(
                    raw=wrapped.raw, line=lineno, col=wrapped.open_at + 1, items=items)))
        across = _narrative_across(lines, idx, first_line) if idx else []
        taken = {col for col, _ in across}
        for _, citation in across:
            spans.append((-1, citation))
        for m in _NARRATIVE_RE.finditer(text):
            names = m.group("names")
            if names.lower() in _NOT_NAMES or names.split()[0].lower() in _NOT_NAMES:
                continue
            if any(start <= m.start("inner") - 1 < start + len(c.raw) for start, c in spans
                   if start >= 0) or m.start("inner") - 1 in taken:
                continue  # "(Easley 2017)" already taken as parenthetical, or names above
            items = _narrative_items(m, names, lineno, m.start() + 1)
            spans.append((m.start(), Citation(raw=m.group(0), line=lineno, col=m.start() + 1,
                                              items=items)))
        found.extend(c for _, c in sorted(spans, key=lambda s: s[0]))
    if any(c.line < found[k - 1].line for k, c in enumerate(found) if k):
        found.sort(key=lambda c: (c.line, c.col))  # a narrative citation begun a line above
    return found


def _narrative_items(m: re.Match[str], names: str, line: int, col: int) -> list[CitationItem]:
    """The items of a narrative citation ``Name (years[, locator])``."""
    inner = m.group("inner")
    ym = _YEARS_ONLY_RE.match(inner)
    if ym is None:  # "Kim (2020, in press)": the year, then a note taken as locator
        first = re.match(_YEAR, inner)
        assert first is not None
        years, loc = [first.group(0)], inner[first.end():].lstrip(" ,:") or None
    else:  # "Park (2020, 2021)" cites two works; "Ha (2024, 3)" one, at page 3
        years, loc = _YEAR_SPLIT.findall(ym.group("years")), ym.group("loc")
    return [CitationItem(names=names.rstrip(","), year=_year_text(y), locator=loc,
                         raw=m.group(0), line=line, col=col) for y in years]


def widen_to_listed_names(citations: list[Citation], lines: list[str], names: Sequence[str],
                          first_line: int = 1) -> None:
    """Give narrative citations the whole name of a listed organisation when the text before
    them holds the rest of it: "the Ministry of Foreign Affairs of Japan (2022)" was read as
    "Japan (2022)", as a narrative citation's names are one or two words (changed in place).
    ``names`` are the list's organisation names."""
    for citation in citations:
        if citation.raw.startswith("(") or len(citation.items) == 0:
            continue
        cited = citation.items[0].names
        for name in names:
            if len(name) <= len(cited) or not name.endswith(" " + cited):
                continue
            words = name[: -len(cited)].split()
            before = re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\s+$")
            idx = citation.line - first_line
            here = lines[idx][: citation.col - 1]
            above = lines[idx - 1][-200:] if idx > 0 else ""
            # (the rest of the name may begin on the line above: "… the Ministry of" /
            # "Foreign Affairs of Japan (2022)")
            m = before.search(f"{above} {here}"[-400:])
            if m is None:
                continue
            cut = len(f"{above} {here}"[-400:]) - len(here)  # where this line starts
            if m.start() >= cut:
                line, col = citation.line, m.start() - cut + 1
            else:
                line, col = citation.line - 1, len(lines[idx - 1]) - len(above) + m.start() + 1
            citation.line, citation.col = line, col
            citation.raw = name + citation.raw[len(cited):]
            for item in citation.items:
                item.names, item.line, item.col = name, line, col
            break


def _narrative_across(lines: list[str], idx: int, first_line: int) -> list[tuple[int, Citation]]:
    """Narrative citations whose names end the line above and whose bracket opens this line
    ("… Choi" / "(2021) argued …", "Farrell and" / "Newman (2019)"), each with the 0-based
    column of its bracket on this line."""
    above, text = lines[idx - 1].rstrip(), lines[idx]
    indent = len(text) - len(text.lstrip())
    tail_at = max(0, len(above) - 80)  # names are short: the end of the line above will do
    joined = f"{above[tail_at:]} {text[indent:]}"
    cut = len(above) - tail_at  # where the line above ends in ``joined``
    out = []
    for m in _NARRATIVE_RE.finditer(joined):
        if not m.start() < cut < m.start("inner") or m.start("inner") - 1 > cut + 40:
            continue
        names = " ".join(m.group("names").split())
        if names.lower() in _NOT_NAMES or names.split()[0].lower() in _NOT_NAMES:
            continue
        line, col = first_line + idx - 1, tail_at + m.start() + 1
        items = _narrative_items(m, names, line, col)
        bracket = m.start("inner") - 1 - cut - 1 + indent
        out.append((bracket, Citation(raw=" ".join(m.group(0).split()), line=line, col=col,
                                      items=items)))
    return out


# A locator after an MLA name: "45", "12-14", "45, 47", "xii", "p. 3", "ch. 2", "par. 4".
_MLA_LOC = (r"(?:(?:pp?|ch|chap|par|sec|l|ll|vol)\.\s*)?[\dxivlc]+(?:\s*[-\u2013]\s*[\dxivlc]+)?"
            r"(?:\s*,\s*[\dxivlc]+(?:\s*[-\u2013]\s*[\dxivlc]+)?)*")


def citable_names(entries: Iterable[Any], family_only: bool = False) -> list[str]:
    """The ways a body may name the entries' authors in an author-page citation: "Cha",
    "Kim and Lee", "Cha et al.", "Ministry of Unification" (family names or an
    organisation's name, as the entries hold them). With ``family_only``, each entry's first
    name alone (as notes name a work's author: "Victor Cha, The Impossible State")."""
    out: set[str] = set()
    for entry in entries:
        names = [n.sort_name for n in entry.names if n.sort_name]
        if not names:
            continue
        if family_only:
            out.add(names[0])
        elif len(names) == 1:
            out.add(names[0])
        elif len(names) == 2:
            out.add(f"{names[0]} and {names[1]}")
        else:
            out.add(f"{names[0]} et al.")
            out.add(", ".join(names[:-1]) + f", and {names[-1]}")
        if getattr(entry, "et_al", False):
            out.add(f"{names[0]} et al.")
    return sorted(out, key=len, reverse=True)


def _alternatives(names: Sequence[str]) -> str:
    """A pattern alternation of the list's names, any run of white space between their words."""
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)


def _name_finder(names: Sequence[str]) -> re.Pattern[str]:
    """A pattern that finds any of the list's names as whole words (group ``name``)."""
    return re.compile(r"(?<![\w-])(?P<name>" + _alternatives(names) + r")(?![\w-])")


def extract_author_page_citations(lines: list[str], names: Sequence[str],
                                  first_line: int = 1) -> list[Citation]:
    """MLA's author-page citations of the given ``names`` (see :func:`citable_names`) in
    ``lines``: each part of a parenthesis (split at ";") must be a known name, with an optional
    short title and locator, or the parenthesis is not read."""
    if not names:
        return []
    alternatives = _alternatives(names)
    part_re = re.compile(
        r"^(?:(?P<prefix>see\s+also|see|cf\.|qtd\.\s+in|e\.g\.,?)\s+)?(?P<names>" + alternatives
        + r")(?:,\s*(?P<title>[\"\u201c]?[A-Z][^,;\d()\"\u201d]{1,60}?[\"\u201d]?))?"
        r"(?:,?\s+(?P<loc>" + _MLA_LOC + r"))?\s*$")
    found: list[Citation] = []
    for idx, text in enumerate(lines):
        if "(" not in text:
            continue
        lineno = first_line + idx
        for m in _MLA_PAREN_RE.finditer(text):
            items = _author_page_items(m.group(1), m.start(1), lineno, part_re, names)
            if items:
                found.append(Citation(raw=m.group(0), line=lineno, col=m.start() + 1,
                                      items=items))
        wrapped = _wrapped(lines, idx, first_line)
        if wrapped is not None:
            items = _author_page_items(wrapped.content, wrapped.open_at + 1, lineno, part_re,
                                       names)
            for item in items:
                item.line, item.col = wrapped.place(item.col)
            if items:
                found.append(Citation(raw=wrapped.raw, line=lineno, col=wrapped.open_at + 1,
                                      items=items))
    narrative = _narrative_pages(lines, names, first_line)
    if len(found) >= 2:
        found = _unlisted_names(lines, found, first_line)
    if narrative:
        found = sorted(found + narrative, key=lambda c: (c.line, c.col))
    return found


_BRACKETED = re.compile(r"\([^()]*\)")
# A parenthesis of pages only: "(45)", "(45-47)", "(12, 14)", "(xii)".
_PAGES_ONLY = re.compile(r"\((" + _MLA_LOC + r")\)")
# Where a sentence ends: a stop, a question or exclamation mark (maybe closing a quotation or
# a bracket) before a capital; not after an initial or "al." ("Kim et al. argue").
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bal)[.!?][\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018A-Z])")


_COUNTED = re.compile(r"\((\d|[ivx]{1,4}|[a-h])\)")


def _page_like(pages: str, counted: set[str]) -> bool:
    """Whether a bracket's content reads as pages after an author named in the sentence: not a
    year ("(2012)"), a letter or roman numeral counting items ("(i) … (ii)", "(c)"), or a
    digit counting them ("(1) famine, (2) isolation", also over a line break); ``counted``
    holds the bracketed digits, letters and numerals of the lines around."""
    if _LIKE_YEAR.match(pages):
        return False
    if pages.isalpha():  # "(xii)" in a preface; not "(c)" or "(iii)" after "(i)", "(ii)"
        return len(pages) >= 3 and "i" not in counted and "ii" not in counted
    if pages.isdigit() and len(pages) == 1:
        n = int(pages)
        return str(n + 1) not in counted and str(n - 1) not in counted
    return True


def _narrative_pages(lines: list[str], names: Sequence[str], first_line: int) -> list[Citation]:
    """MLA's narrative citations: a parenthesis of pages after a sentence that names an author
    of the list ("Cha argues that the state endures (45)."), citing the nearest such name
    before it in the sentence (which may begin on the line above). Numbered items in prose,
    "(1) … (2) …", are none."""
    name_re = _name_finder(names)
    out: list[Citation] = []
    for idx, text in enumerate(lines):
        if "(" not in text:
            continue
        # the items counted in brackets on this line and the lines beside it ("(1) … (2)")
        counted = set(_COUNTED.findall(" ".join(lines[max(0, idx - 1):idx + 2])))
        for m in _PAGES_ONLY.finditer(text):
            pages = m.group(1)
            if not _page_like(pages, counted):
                continue
            above = lines[idx - 1][-300:] if idx else ""
            before = f"{above} {text[max(0, m.start() - 300):m.start()]}"
            ends = list(_SENTENCE_END.finditer(before))
            sentence = before[ends[-1].end():] if ends else before
            # a name in brackets is a citation of its own ("(Cha and friends), (45)")
            named = list(name_re.finditer(_BRACKETED.sub(" ", sentence)))
            if not named:
                continue
            name = " ".join(named[-1].group("name").split())
            line = first_line + idx
            out.append(Citation(raw=m.group(0), line=line, col=m.start() + 1, items=[
                CitationItem(names=name, year="", locator=pages, raw=m.group(0)[1:-1],
                             line=line, col=m.start() + 2)]))
    return out


# "(Williams 87)": a capitalised name (or two, or "et al.") and a page, in a text that cites
# its list by author and page; the words that label numbered things in prose are no names.
_UNLISTED_NAME = (r"(?P<names>[A-Z\u00C0-\u024F][\w'\u2019-]+(?:\s+(?:and|&)\s+"
                  r"[A-Z\u00C0-\u024F][\w'\u2019-]+|\s+et\s+al\.)?)\s+"
                  r"(?P<loc>\d{1,4}(?:\s*[-\u2013]\s*\d{1,4})?)")
_UNLISTED_RE = re.compile(r"\(" + _UNLISTED_NAME + r"\)")
_UNLISTED_PART = re.compile(_UNLISTED_NAME + r"$").match
_LABEL_WORDS = frozenset("""figure fig table chapter chap article art section sec part page
vol volume no number appendix annex route item step phase level grade class room box exhibit
map plate note line act scene book psalm verse paragraph para rule clause schedule case model
version type group wave round session year day week stage windows apollo covid iphone ios
android python java vision agenda goal sdg grades floor gate terminal highway interstate study
experiment participant interviewee respondent question title amendment track task hypothesis
lecture episode season patient subject sample condition trial phase wave lot site unit zone
""".split())


def _label_word(names: str) -> bool:
    """Whether a would-be name is a word that labels numbered things ("Figures 2-3")."""
    word = names.split()[0].lower().rstrip(".")
    return word in _LABEL_WORDS or (word.endswith("s") and word[:-1] in _LABEL_WORDS) \
        or names.lower() in _NOT_NAMES




def _unlisted_names(lines: list[str], found: list[Citation], first_line: int) -> list[Citation]:
    """``found`` and the author-page citations of names the list lacks, in reading order."""
    taken = {(c.line, c.col) for c in found}
    extra: list[Citation] = []
    for idx, text in enumerate(lines):
        if "(" not in text:
            continue
        lineno = first_line + idx
        for m in _UNLISTED_RE.finditer(text):
            names = m.group("names")
            if (lineno, m.start() + 1) in taken or _label_word(names) or \
                    re.fullmatch(_YEAR, m.group("loc")):
                continue
            extra.append(Citation(raw=m.group(0), line=lineno, col=m.start() + 1, items=[
                CitationItem(names=names, year="", locator=m.group("loc"), raw=m.group(0)[1:-1],
                             line=lineno, col=m.start() + 2)]))
    return sorted(found + extra, key=lambda c: (c.line, c.col))


def _author_page_items(content: str, start: int, lineno: int, part_re: re.Pattern[str],
                       names: Sequence[str]) -> list[CitationItem]:
    """The items of one parenthesis's ``content`` (which starts at 0-based column ``start``),
    or none when a part is no name and locator or no part names a work of the list."""
    items: list[CitationItem] = []
    offset = 0
    for part in content.split(";"):
        raw = part.strip()
        col = start + offset + (len(part) - len(part.lstrip())) + 1
        offset += len(part) + 1
        pm = part_re.match(raw)
        if pm is None:
            # "(Cha 45; Williams 87)": a name the list lacks beside a known one
            other = _UNLISTED_PART(raw)
            if other is not None and _label_word(other.group("names")):
                continue  # "(Cha 45; Figure 3)"
            if other is None:
                return []
            items.append(CitationItem(names=other.group("names"), year="",
                                      locator=other.group("loc"), raw=raw, line=lineno, col=col))
            continue
        title = (pm.group("title") or "").strip("\"\u201c\u201d ") or None
        items.append(CitationItem(names=" ".join(pm.group("names").split()), year="",
                                  locator=pm.group("loc"), prefix=pm.group("prefix"), raw=raw,
                                  line=lineno, col=col, title=title))
    known = any(i.title is not None or i.names in names for i in items)
    return items if known else []


# A parenthesis of an MLA citation ("(Park)" is short, so shorter ones than _PAREN_RE allows).
_MLA_PAREN_RE = re.compile(r"\(([^()\n]{2,300})\)")


# A note's number: "1. ", "12 ", "[3] ".
_NOTE_NUMBER = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)]?)\s+")
_IBID = re.compile(r"^(?:ibid|ibidem|ebd|ebenda)\b\.?", re.I)
# The opening of a note that cites a work: a name (one to four capitalised words or initials)
# and a comma, with a year somewhere after it.
_NOTE_AUTHOR = re.compile(r"^(?P<names>[A-Z\u00C0-\u024F][\w.'\u2019-]*(?:\s+(?:[A-Z\u00C0-\u024F]"
                          r"[\w.'\u2019-]*|and|&|de|van|von|der|al\.)){0,5}),\s")


def extract_note_citations(lines: list[str], names: Sequence[str],
                           first_line: int = 1) -> list[Citation]:
    """The citations of numbered endnotes (Chicago's notes): one per note, naming each of the
    list's ``names`` the note holds (with the words after it as a short title, to tell an
    author's works apart); "Ibid." repeats the note before. A note that names none of them but
    opens with a name and a comma and holds a year cites a work the list lacks, under the
    name as written."""
    name_re = _name_finder(names) if names else None
    found: list[Citation] = []
    previous: list[CitationItem] = []
    for idx, text in enumerate(lines):
        number = _NOTE_NUMBER.match(text)
        if not number:
            continue
        lineno = first_line + idx
        note = int(number.group(1) or number.group(2))
        col = number.end() + 1
        raw = text[number.end():].strip()
        if _IBID.match(raw):
            # "Ibid., 12." gives its own page; a bare "Ibid." means the same place again
            here = _note_locator(raw) if len(previous) == 1 else None
            items = [CitationItem(names=i.names, year="", locator=here or i.locator, raw=raw,
                                  line=lineno, col=col, title=i.title, note=note)
                     for i in previous]
        else:
            items = []
            hits = list(name_re.finditer(text, number.end())) if name_re else []
            for k, m in enumerate(hits):
                title = _note_title(text[m.end():].lstrip(" ,"))
                upto = hits[k + 1].start() if k + 1 < len(hits) else len(text)
                items.append(CitationItem(names=" ".join(m.group("name").split()), year="",
                                          locator=_note_locator(text[m.end():upto]),
                                          raw=raw, line=lineno, col=m.start() + 1,
                                          title=title, note=note))
            head = _NOTE_AUTHOR.match(raw)
            if not items and head and re.search(_YEAR, raw) and _person_like(
                    head.group("names"), raw[head.end():]):
                items = [CitationItem(names=head.group("names"), year="", raw=raw, line=lineno,
                                      col=col, note=note, locator=_note_locator(raw))]
        if items:
            found.append(Citation(raw=raw, line=lineno, col=col, items=items))
            previous = items
    return found


# The page(s) a note cites, after the last comma of its work: "…, 2016, 4.", "…, 55–58;",
# "Ibid., 12.", "…: 450–467, 455." (a journal article's own range follows a colon, not a
# comma), 'Short Title," 6;' (the comma inside the quotation marks).
_NOTE_LOCATOR = re.compile(
    r",[\u201d\u2019\"']?\s*(?P<loc>(?:(?:[Pp]p?|[Cc]h|[Cc]hap|[Ss]ec|nn?)\.\s*)?"
    r"(?:\d+[a-z]?|[xivlc]+|[XIVLC]+)(?:\s*[-\u2013]\s*(?:\d+|[xivlc]+|[XIVLC]+))?"
    r"(?:\s*,\s*\d+(?:\s*[-\u2013]\s*\d+)?)*)\s*[.;]?\s*$")
_LIKE_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")


def _note_locator(text: str) -> str | None:
    """The page or range a note's work is cited at, or None (a year is not a page)."""
    m = _NOTE_LOCATOR.search(text.strip()[-80:])  # (a locator is short: the tail will do)
    if m is None:
        return None
    parts = [p.strip() for p in m.group("loc").split(",")]
    while parts and _LIKE_YEAR.match(re.split(r"[\s\-\u2013]", parts[0], maxsplit=1)[0]):
        parts.pop(0)  # "…, March 7, 2016, 4.": the date's year, then the page
    return ", ".join(parts) or None


# Words that open a discursive note ("Moreover, …"), not an author's name.
_NOTE_OPENERS = frozenset("""moreover however indeed similarly also but thus hence still yet
instead meanwhile nevertheless furthermore additionally finally again here there see for on in
the this that these those as after before since while when where although though unlike like
notably importantly specifically accordingly consequently otherwise besides alternatively
rather today now then later earlier recently historically""".split())


def _person_like(names: str, after: str) -> bool:
    """Whether a note's opening words read as an author: two or more capitalised words (or
    initials), the first no sentence opener, and a title after the comma (a capital or a
    quotation mark: "Bruce Cumings, Korea's Place …", not "North Korea, as of 2019, …")."""
    words = names.split()
    if len(words) < 2 or words[0].lower().rstrip(".") in _NOTE_OPENERS:
        return False
    return after[:1] in _TITLE_STARTS or after[:1].isupper()


_TITLE_STARTS = frozenset("\"\u201c\u2018'\u00ab")


def _note_title(text: str) -> str | None:
    """The first words of the title after a name in a note: 'The Impossible State: North
    Korea' from 'The Impossible State: North Korea, Past … (New York: …'; '"Alliance
    Burden-Sharing Revisited' from a quoted article title."""
    text = text.lstrip("\"\u201c\u2018' ")
    cut = re.search(r"[,(\u201d\"]|\s\d", text)
    head = (text[: cut.start()] if cut else text).strip(" .:;")
    words = head.split()
    return " ".join(words[:6]) if len(words) >= 1 and head[:1].isupper() else None
