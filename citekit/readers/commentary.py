"""Read a whole commentary (plain text): metadata, body citations and the reference list.

The reference section starts at a heading (``References``, ``Bibliography``, ``Works Cited``,
``Sources``…) and ends at the author's bio, a ``Typeset by`` line or a similar footer.
A commentary without a reference section is not an error: ``bib.document.has_reference_list`` is
False and the entries are empty.
"""

from __future__ import annotations

import re

from ..model import Bibliography, Citation, Document
from ..parse.authordate import parse_month_day
from ..parse.citations import (citable_names, extract_author_page_citations, extract_citations,
                               extract_note_citations, widen_to_listed_names)
from ..parse.liststyle import numbered, years_late
from ..parse.names import split_acronym
from .refsplit import NAME_START, Block, parse_blocks, split_references

__all__ = ["read", "find_reference_section", "is_reference_heading", "REFERENCE_HEADINGS"]

#: Headings that open a reference section (compared case-insensitively, without a trailing colon).
REFERENCE_HEADINGS = frozenset({
    "references", "reference", "reference list", "bibliography", "works cited", "works consulted",
    "sources", "literature", "literature cited", "cited works", "notes and references",
    "references and notes", "further reading", "endnotes and references", "citations",
    "select bibliography", "selected bibliography", "list of references", "references cited",
    "sources cited", "work cited", "bibliographical references", "primary sources",
    "secondary sources", "primary literature", "secondary literature",
    # other languages' reference headings
    "literaturverzeichnis", "literatur", "quellen", "quellenverzeichnis", "bibliographie",
    "références", "références bibliographiques", "ouvrages cités", "referencias",
    "bibliografía", "referencias bibliográficas", "obras citadas", "bibliografia",
    "riferimenti bibliografici", "referências", "referências bibliográficas", "literatuur",
    "literatuurlijst", "bronnen", "litteratur", "kirjallisuus", "bibliografie",
    "список литературы", "литература", "참고문헌", "참고 문헌", "参考文献", "參考文獻",
})

_FOOTER_RE = re.compile(
    r"^\s*(?:typeset\s+by|edited\s+by\s*:|for\s+inquiries|about\s+the\s+authors?\b|author\s+bio|"
    r"biography\b|\u00a9|copyright\b|all\s+rights\s+reserved|the\s+views\s+expressed|"
    r"disclaimer\b|acknowledg(?:e)?ments?\b|contact\s*:|tel\.?\s*:|e-?mail\s*:|"
    r"this\s+(?:commentary|article|paper|brief)\s+(?:was|is)\b|LIST\s*$)",
    re.IGNORECASE,
)
# "Leif-Eric EASLEY (Ph.D. ...) is a professor", "Seho Jang is a research fellow".
_BIO_RE = re.compile(
    r"^\s*(?:Dr\.?\s+|Prof\.?\s+)?(?P<name>[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){0,3})"
    r"(?:\s*\([^)]{0,120}\))?,?\s+(?:is|was|serves|served|teaches|holds|received|works)\b"
)
_BYLINE_DATE = re.compile(r"(?:january|february|march|april|may|june|july|august|september|"
                          r"october|november|december)\s+\d{1,2},\s+\d{4}", re.IGNORECASE)
_BULLET = re.compile(r"^[\s\u2022\u00b7\u25cf*-]+")
_PERSON_LINE = re.compile(r"^[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,3}$")


def is_reference_heading(line: str) -> bool:
    """True for a line that is only a reference heading: ``References``, ``4. Bibliography:``,
    Markdown's ``## References`` or ``**References**``, reStructuredText-free plain text."""
    s = line.strip().strip("\u00a0")
    if len(s) > 80:
        return False  # (a heading is short; and the patterns below are slow on long lines)
    s = _MARKUP_HEADING.sub("", s).strip()
    s = s.rstrip(":").strip()
    s = re.sub(r"^(?:\d+\.?|[IVX]+\.)\s+", "", s)
    return len(s) <= 40 and s.lower() in REFERENCE_HEADINGS


# Markdown heading marks and emphasis around a heading: "## References", "**References**".
_MARKUP_HEADING = re.compile(r"^#{1,6}\s+|\s+#+$|^(\*\*|__|\*|_)(?=\S)|(?<=\S)(\*\*|__|\*|_)$")


#: Headings of an endnotes section (compared like reference headings).
NOTES_HEADINGS = frozenset({"notes", "endnotes", "footnotes", "end notes", "anmerkungen",
                            "fußnoten", "notas", "note", "noten", "주", "注"})


def _notes_heading(lines: list[str], body_end: int) -> int | None:
    """0-based index of the last notes heading before ``body_end`` that is followed by
    numbered notes ("1. …", "[1] …"), or None."""
    for i in range(body_end - 1, -1, -1):
        s = _MARKUP_HEADING.sub("", lines[i].strip().strip("\u00a0")).strip().rstrip(":").strip()
        if len(s) <= 20 and s.lower() in NOTES_HEADINGS:
            following = [ln.strip() for ln in lines[i + 1:body_end] if ln.strip()]
            if following and _NOTE_START.match(following[0]):
                return i
            return None
    return None


_NOTE_START = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)]?\s)")


def _other_citations(lines: list[str], body_end: int, bib: Bibliography,
                     doc: Document) -> list[Citation]:
    """The body's citations when they are not (only) author-date or numeric ones.

    - MLA's author-page citations ("(Cha 45)") of the list's names are added when the text
      has no numeric citation of a numbered list and either no author-date citation or a list
      that gives its years late (so that one "(Smith 2019)" does not hide an MLA text's
      citations);
    - endnotes under a "Notes" heading (Chicago's notes and bibliography) cite the list when
      the text above them cites nothing or the list gives its years late: the body then ends at
      the heading, and a parenthesis with a year in it ("(Hwasong-15, 2017)") or in a note
      ("(New York: Ecco, 2012)") is no author-date citation.
    """
    found = bib.citations
    notes = _notes_heading(lines, body_end)
    text_end = notes if notes is not None else body_end
    numbered_list = numbered(bib.entries)
    in_text = [c for c in found if c.line <= text_end
               and (numbered_list or not any(i.number is not None for i in c.items))]
    if numbered_list and any(i.number is not None for c in in_text for i in c.items):
        return found
    late = years_late(bib.entries)
    mla: list[Citation] = []
    if not in_text or late:
        mla = extract_author_page_citations(lines[:text_end], citable_names(bib.entries))
    if notes is not None and (not in_text or late):
        doc.body_lines = (1, notes)
        noted = extract_note_citations(lines[notes + 1:body_end],
                                       citable_names(bib.entries, family_only=True),
                                       first_line=notes + 2)
        return sorted(mla + noted, key=lambda c: (c.line, c.col))
    taken = {(c.line, c.col) for c in in_text}
    extra = [c for c in mla if (c.line, c.col) not in taken]
    if extra:
        return sorted(found + extra, key=lambda c: (c.line, c.col))
    return found


def find_reference_section(lines: list[str]) -> tuple[int, int] | None:
    """0-based (heading index, end index exclusive) of the reference section, or None."""
    headings = [i for i, line in enumerate(lines) if is_reference_heading(line)]
    if not headings:
        return None
    # The last heading wins (a "Sources" sub-head in the body is not it), unless the headings
    # before it hold only references: "Quellen" (primary sources), then "Literatur".
    heading = headings[-1]
    for earlier in reversed(headings[:-1]):
        if not _only_references(lines[earlier + 1:heading]):
            break
        heading = earlier
    end = len(lines)
    for j in range(heading + 1, len(lines)):
        line = lines[j]
        if _FOOTER_RE.match(line.strip("\u00a0 ")) or _BIO_RE.match(line) and not _has_ref_shape(line):
            end = j
            break
    return heading, end


def _only_references(lines: list[str]) -> bool:
    """True when every paragraph of ``lines`` opens like a reference (or is a heading)."""
    starts = [line for prev, line in zip([""] + lines, lines)
              if line.strip("\u00a0 ") and not prev.strip("\u00a0 ")]
    return all(is_reference_heading(line) or _REF_HEAD.match(line.strip())
               or NAME_START.match(line.strip()) or _has_ref_shape(line) for line in starts)


# The head of a reference: names (capitalised words, initials, "and", "&", "et al.", commas,
# particles; no other lower-case words), then a year closed by a full stop ("Smith, J.
# (2019).", "Kwak, Yeon-soo. 2024."). The splitter's NAME_START ("Butler, Judith.") also counts.
_NAME_WORD = r"(?:[A-Z][\w'\u2019.-]*|and|&|et|al\.|van|von|de|der|del|da|di|du|le|la)"
_REF_HEAD = re.compile(
    r"^" + _NAME_WORD + r"(?:[\s,]+" + _NAME_WORD + r"){0,15}[\s,]+(?:\(?(?:1[5-9]|20)\d\d[a-z]?\)?"
    r"|\((?:1[5-9]|20)\d\d[a-z]?,\s[A-Z][a-z]+(?:\s\d{1,2})?\)|\((?:in press|n\.\s?d\.|forthcoming)\))\.")
# Something only references have: a quoted title, a link or DOI, pages, volume(issue), a
# publisher's word, a role word.
_REF_MARK = re.compile(
    r"[\u201c\"]|https?://|\bdoi\b|10\.\d{4,9}/|\bpp?\.\s?\d|\d\s?\(\d+\)|:\s?\d+\s?[-\u2013]\s?\d"
    r"|\b(?:Press|Books|Verlag|Publishing|Publishers|Publications|Associates|Routledge|Wiley"
    r"|Springer)\b|\((?:Eds?|Hrsg|Hg)\.\)|\(\d{1,2}(?:st|nd|rd|th)\sed\.\)|\(in press\)"
    r"|\b(?:vol|no|eds?|trans|Retrieved|Accessed)\.?\s|\bU(?:P|\sof)\b"
    r"|,\s(?:1[5-9]|20)\d\d\.\s*$")  # MLA's "Publisher, 1993." at the end
# A place and publisher at the end ("… New York: Pub."): a mark only after an inverted name
# ("Smith, John. 2019."), as "Version History 2021. Summary: Faster startup." has the shape too.
_PLACE_PUBLISHER_END = re.compile(
    r"\.\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?:,\s?[A-Z][A-Za-z]+)?:\s?[A-Z][^.]*\.\s*$")
_NUMBERED = re.compile(r"^\[?\d{1,4}[.)\]]\s")
_A_YEAR = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")


def is_bare_list(lines: list[str]) -> bool:
    """True when a text with no reference heading is itself a reference list: two or more
    references, and at least three in four of its paragraphs or lines are references by their
    look — opening with names and a year, an inverted name, or a number followed by a year
    later — and carry a mark of one (a quoted title, a link, pages, a publisher…), and none is
    as long as prose paragraphs are."""
    return _bare_list_blocks(lines) is not None


def _bare_list_blocks(lines: list[str]) -> list[Block] | None:
    """The reference blocks of a text that is a bare list (see ``is_bare_list``), else None."""
    blocks = split_references([(i + 1, line) for i, line in enumerate(lines)])
    if len(blocks) < 2:
        return None
    refs = 0
    is_ref: list[bool] = []
    for block in blocks:
        text = " ".join(t.strip() for _, t in block.lines)
        if len(text) > 1500:
            return None
        numbered = _NUMBERED.match(text)
        head = text[numbered.end():] if numbered else text
        opens = (_REF_HEAD.match(head) is not None or NAME_START.match(head) is not None
                 or (numbered is not None and _A_YEAR.search(text) is not None))
        year = _A_YEAR.search(text)
        marked = _REF_MARK.search(text) is not None or (
            _PLACE_PUBLISHER_END.search(text) is not None and year is not None
            and "," in text[:year.start()])
        refs += opens and marked
        is_ref.append(bool(opens and marked))
    if 4 * refs < 3 * len(blocks):
        return None
    # A short first line with no year above the list ("Reading list for week 3") is its title.
    first = " ".join(t.strip() for _, t in blocks[0].lines)
    if not is_ref[0] and len(first) <= 80 and _A_YEAR.search(first) is None and len(blocks) > 2:
        return blocks[1:]
    return blocks


def _has_ref_shape(line: str) -> bool:
    """A reference line: ``Name, Given. 2024.``, ``Name (2024).`` or German ``Name (2024):``
    near its start."""
    return re.search(r"(?:[.,)]\s*\(?(?:1[5-9]|20)\d\d[a-z]?\)?|\w\s+\((?:1[5-9]|20)\d\d[a-z]?\))[.,:]",
                     line[:200]) is not None


def _metadata(lines: list[str], body_end: int, doc: Document) -> None:
    """Title, date and authors from the title block, byline and bio."""
    head = [ln.strip() for ln in lines[:20]]
    for ln in head:
        if not ln.strip("\u00a0 "):
            continue
        if len(ln) > 150:
            break  # reached the prose: the document has no title line
        if not ln.lower().startswith(("editor", "available downloads")):
            doc.title = ln.strip("\u00a0 ")
            break
    for i, ln in enumerate(head):
        m = _BYLINE_DATE.search(ln)
        if m:
            doc.date = parse_month_day(re.sub(r"\s+\d{4}$", "", m.group(0).replace(",", ""))) or None
            if doc.date is not None:
                doc.date.year = int(m.group(0)[-4:])
            # The next bulleted line that reads as a person's name is the byline.
            for nxt in head[i + 1:i + 4]:
                name = _BULLET.sub("", nxt).strip()
                if _PERSON_LINE.match(name):
                    doc.authors.append(name)
                    break
            break
    # Bio after the body: "Name (…) is a …".
    for ln in lines[body_end:]:
        m = _BIO_RE.match(ln)
        if m:
            name = m.group("name")
            if not any(_same_person(name, a) for a in doc.authors):
                doc.authors.append(name)
            break


def _same_person(a: str, b: str) -> bool:
    return a.lower().split() == b.lower().split()


def read(text: str, path: str | None = None) -> Bibliography:
    """Read a commentary: metadata, in-text citations, and its reference list if it has one."""
    lines = text.split("\n")
    doc = Document(path=path, text=text)
    bib = Bibliography(document=doc, path=path)
    section = find_reference_section(lines)
    if section is not None:
        heading, end = section
        doc.references_line = heading + 1
        doc.references_end_line = end
        body_end = heading
        # A sub-heading inside the list ("Literatur" after "Quellen") only separates.
        numbered = [(i + 1, "" if is_reference_heading(lines[i]) else lines[i])
                    for i in range(heading + 1, end)]
        blocks = split_references(numbered)
        bib.entries, bib.failures = parse_blocks(blocks, lines, path)
        inner = [i + 1 for i in range(heading + 1, end) if is_reference_heading(lines[i])]
        if inner:
            # Each sub-list is ordered (and numbered) on its own: the checks compare within it.
            for entry in bib.entries:
                if entry.source is not None:
                    entry.diagnostics["list-part"] = sum(1 for h in inner if h < entry.source.line)
    elif (listed := _bare_list_blocks(lines)) is not None:
        # No heading, but the whole text is a reference list (a .txt of references): read it
        # as one. Line 0 stands for "no heading"; the body is empty, so nothing is cited.
        doc.references_line = 0
        doc.references_end_line = len(lines)
        doc.body_lines = (1, 0)
        bib.entries, bib.failures = parse_blocks(listed, lines, path)
        return bib
    else:
        body_end = len(lines)
        for j, line in enumerate(lines):
            if j > 5 and (_FOOTER_RE.match(line.strip("\u00a0 ")) or
                          (_BIO_RE.match(line) and j > len(lines) // 2)):
                body_end = j
                break
    _metadata(lines, body_end, doc)
    doc.body_lines = (1, body_end)
    written = lines
    if str(path or "").lower().endswith((".md", ".markdown")) or "](" in text:
        lines = [_unmark(line) for line in lines[:body_end]] + lines[body_end:]
    bib.citations = extract_citations(lines[:body_end], path)
    if bib.entries:
        organisations = []
        for e in bib.entries:
            literal = e.names[0].literal if len(e.names) == 1 else None
            if literal and " " in literal:
                named = split_acronym(literal)  # "… of Japan (MOFA)" is cited as "… of Japan"
                organisations.append(named[0] if named else literal)
        widen_to_listed_names(bib.citations, lines[:body_end], organisations)
        bib.citations = _other_citations(lines, body_end, bib, doc)
    if lines is not written:
        _restore_raw(bib.citations, lines, written)
    return bib


def _restore_raw(citations: list[Citation], unmarked: list[str], written: list[str]) -> None:
    """Give citations read from unmarked lines the text as written (same columns), so that
    messages and fixes quote the source ("[Miller 2022](https://…)")."""
    for citation in citations:
        for part in (citation, *citation.items):
            at, line = part.col - 1, part.line - 1
            if 0 <= line < len(unmarked) and unmarked[line] != written[line] and \
                    unmarked[line][at:at + len(part.raw)] == part.raw:
                part.raw = written[line][at:at + len(part.raw)]


# Markdown in a body: a link "[Miller 2022](https://…)" and emphasis "*Kang and Oh*".
_MD_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((?:https?://|www\.|/|#|mailto:)[^()\s]*\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*|__|_)(?=\S)([^*_\n]{1,200}?)(?<=\S)\1(?![\w*])")


def _unmark(line: str) -> str:
    """``line`` with Markdown's link and emphasis marks blanked out, so that the citations they
    wrap are read; every character keeps its column."""
    if "](" in line:
        line = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group(0)) - len(m.group(1)) - 1),
                            line)
    if "*" in line or "_" in line:
        line = _MD_EMPHASIS.sub(lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(1)),
                                line)
    return line
