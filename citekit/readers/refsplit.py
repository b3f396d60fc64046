"""Split the lines of a reference list into references and parse each one.

Shared by the commentary reader and the bare reference-list reader. It

- separates references by blank lines (or lines holding only white space / no-break spaces), or
  one per line when each line starts a reference;
- within a paragraph, reads where references start from, in turn, their numbers (a numbered
  list, whatever its indentation), the indentation (a hanging or first-line indent of two or more
  columns), and else the words and line lengths: the author-and-year shape, a name after a line
  that ends a sentence, a line whose first word would have fitted on the line before (which was
  ended, not wrapped), and never after a line that stops mid-sentence (docs/reading.md has the
  rules and their measured effect);
- attaches a line that continues the previous reference (a wrapped line, or a stray fragment such
  as ``doi/10.1080/…`` in its own paragraph) to it, recording a ``stray-fragment`` event;
- resolves ``______.`` (a run of underscores or dashes) to the previous entry's authors, recording a
  ``repeated-author-dash`` event.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from ..model import Date, Entry, Failure, SourceEvent, SourceSpan
from ..normalise.keys import make_keys
from ..parse import parse_references
from ..parse.authordate import DASH_RE, accessed_note, find_links
from ..parse.liststyle import years_late
from ..parse.tagger.fields import known_as
from ..parse.tagger.lexicon import PLACE_WORDS

__all__ = ["Block", "split_references", "parse_blocks", "looks_like_reference_start"]

#: A reference longer than this is recorded as a failure rather than parsed.
MAX_REFERENCE_CHARS = 20_000

_START_RE = re.compile(
    r"^(?:\[\d{1,4}\]|\d{1,4}[.)]\s)"  # numbered
    r"|^[_\u2010-\u2015-]{2,}"  # repeated-author dash
    r"|^[\u2014\u2015]"
)
# A list bullet (Markdown's "- ", "* " and "+ " too); it only starts references in a paragraph
# that opens with it (a wrapped line may begin with a dash).
_BULLET = re.compile(r"^([\u2022\u25e6\u25aa\u25cf\u00b7*+-])\s+")
_YEAR_NEAR_START = re.compile(r"(?<![\w/.-])(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.)(?![\w/-])")
# A name at the start of a line: one to three capitalised words, a comma, then a given name or
# initials ("Butler, Judith", "Said, Edward W.", "Gilroy, P."), or initials, a family name and a
# comma ("R. S. K. Mong, "); role and cue words that follow a comma inside a reference
# ("Policy, Vol. 3", "Press, In") are not given names.
NAME_START = re.compile(
    r"^(?:[A-Z][\w'\u2019-]*\s){0,2}[A-Z][\w'\u2019-]*,\s"
    r"(?!(?:Vol|No|Nr|Pp|In|Ed|Eds|Trans|Ibid|Accessed|Retrieved|Available)\b)"
    r"(?:[A-Z]\.|[A-Z][a-z\u00e0-\u00ff][\w'\u2019-]*[\s.,])"
    r"|^[a-z][\w'\u2019-]*,\s[a-z][\w'\u2019-]*\.\s"  # a lower-case name: "hooks, bell."
    r"|^(?:[A-Z]\.[\s-]?){1,3}\s?[A-Z][\w'\u2019-]+,\s")  # initials first: "R. S. K. Mong, "
# Function words that cannot end a reference: a line stopping on one goes on in the next.
_OPEN_WORDS = frozenset(
    "a an and at by de del der des di du en et for from in into la le of on or the to und von "
    "with y e".split())
_CLOSERS = "\u201d\"')]\u2019"
_PARTICLE_START = re.compile(r"^(?:van|von|de|der|den|del|della|di|da|du|le|la|al|el|ten|ter)"
                             r"(?:\s(?:der|den|la|le)\b)?\s[A-Z]|^(?:d|l)[\u2019'][A-Z]")
# Names then a year, near the start of a line ("Kim, J., and Lee, H. 2020." / "Smith J (2019)").
_AUTHOR_YEAR = re.compile(r"^[^\W\d_][^\d\n]{0,80}?[(\s.,](?:1[5-9]|20)\d\d[a-z]?(?![\w/-])")
_FRAGMENT_RE = re.compile(r"^(?:doi[:/]|10\.\d{4,9}/|https?://|www\.|[a-z0-9/%#?&=._~-]+$)", re.I)
_DOI_FRAGMENT = re.compile(r"^(?:doi[:/]\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)


@dataclass
class Block:
    """Consecutive source lines that make one reference."""

    lines: list[tuple[int, str]]  # (1-based line number, text)
    fragments: list[tuple[int, str]] = field(default_factory=list)  # stray pieces joined later

    @property
    def first_line(self) -> int:
        return self.lines[0][0]

    @property
    def last_line(self) -> int:
        return (self.fragments or self.lines)[-1][0]


def _blank(line: str) -> bool:
    return not line.strip() or not line.replace("\u00a0", "").replace("\u200b", "").strip()


def looks_like_reference_start(line: str) -> bool:
    """True when a line begins a new reference (author-date, numbered, or dash)."""
    s = line.strip()
    if not s:
        return False
    if _START_RE.match(s):
        return True
    if not _opens_like_reference(s):
        return False
    if _FRAGMENT_RE.match(s) and " " not in s:
        return False
    return _YEAR_NEAR_START.search(s, 0, 250) is not None


def _last_token(line: str) -> str:
    parts = line.rsplit(None, 1)
    return parts[-1] if parts else ""


def _is_link(token: str) -> bool:
    return "://" in token or token.lower().startswith(("www.", "doi:", "10.")) or \
        ("/" in token and "." in token)


def _ends_sentence(line: str) -> bool:
    """True when a line ends a sentence: a full stop (or ! ?) perhaps inside a closing quote
    or bracket, or a link or DOI (APA ends references with them, without a full stop)."""
    token = _last_token(line)
    if not token:
        return False
    return token.rstrip(_CLOSERS)[-1:] in (".", "!", "?") or _is_link(token)


def _open_end(line: str) -> bool:
    """True when a line cannot end a reference: it stops on a comma, colon, semicolon, "&", a
    hyphen or dash, or a function word ("… the Interpretation of"), not in a link."""
    token = _last_token(line)
    if not token or _is_link(token):
        return False
    return token[-1] in ",:;&-\u2010\u2011\u2012\u2013\u2014" or token in _OPEN_WORDS


def _indent(line: str) -> int:
    """Leading white space of a line, a tab counted as four spaces."""
    width = 0
    for ch in line:
        if ch == "\t":
            width += 4
        elif ch.isspace():
            width += 1
        else:
            break
    return width


#: No line wrapped at a width is longer than this.
_WRAPPED_MAX = 1000
_NUMBER = re.compile(r"^\[?(\d{1,4})[.)\]]")


def _numbered_starts(para: list[tuple[int, str]]) -> list[bool] | None:
    """In a numbered or bulleted list, the lines with a number or the list's bullet start
    references, whatever the indentation (numbers are often right-aligned: " 9." above "10.").

    None unless the paragraph opens with a number (or bullet) and another line has one. A
    number that neither the number before nor the one after nor the last one kept is close to
    (within three, up or down: lists count up or down, skip, or start again) is part of a
    reference ("9. Aufl."); a bracketed number ("[10]") never is. Markdown's lazy numbering
    (the same number on every item, at one indent) marks every item.
    """
    first = para[0][1].strip()
    bullet = _BULLET.match(first)
    if bullet:
        margin = _indent(para[0][1]) + 1  # an indented dash is inside a reference
        marks = [_BULLET.match(t.strip()) is not None and _indent(t) <= margin
                 for _, t in para]  # any bullet at the margin ("* " then "- ")
        return marks if sum(marks) >= 2 else None
    numbers = [int(m.group(1)) if _START_RE.match(t.strip()) and (m := _NUMBER.match(t.strip()))
               else None for _, t in para]
    at = [k for k, n in enumerate(numbers) if n is not None]  # the numbered lines
    if numbers[0] is None or len(at) < 2:
        return None
    if len({numbers[k] for k in at}) == 1 and len({_indent(para[k][1]) for k in at}) == 1:
        # Markdown's lazy numbering ("1." on every item, the renderer counts): each starts one
        return [numbers[k] is not None for k in range(len(para))]
    close = {0}
    for a, b in zip(at, at[1:]):
        if 1 <= abs(numbers[a] - numbers[b]) <= 3:
            close.update((a, b))
    last = numbers[0]
    for k in at:  # a number close to the last one kept, past one out of sequence
        if k in close or 1 <= abs(numbers[k] - last) <= 3 or para[k][1].lstrip()[:1] == "[":
            close.add(k)  # a bracketed number ("[10]") is never inside a reference
            last = numbers[k]
    # A repeated-author dash (no number) starts one too.
    return [k in close or (numbers[k] is None and bool(_START_RE.match(para[k][1].strip())))
            for k in range(len(para))]


def _layout_starts(para: list[tuple[int, str]]) -> list[bool] | None:
    """Which lines of a paragraph start a reference, read from its indentation alone.

    None when the indentation says nothing: one line, all lines within a column of each other
    (a stray space is not a layout), or a first-line indent on fewer than two lines.
    """
    if len(para) < 2:
        return None
    indents = [_indent(text) for _, text in para]
    low, high = min(indents), max(indents)
    if high - low < 2:
        return None
    deep = [i >= low + 2 for i in indents]  # indented, not a stray space off the margin
    numbered = [bool(_START_RE.match(t.strip())) for _, t in para]
    if not deep[0]:
        # Hanging indent: margin lines start references, unless the line before stops
        # mid-sentence or the line cannot open one (a paste that lost some indentation);
        # numbered lines always do.
        return [n or (not d and (k == 0 or (not _open_end(para[k - 1][1])
                                             and _could_open(para[k][1].strip()))))
                for k, (d, n) in enumerate(zip(deep, numbered))]
    if sum(deep) >= 2 and sum(deep) < len(deep):  # first-line indent
        return [d or n for d, n in zip(deep, numbered)]
    return None


def _starts_by_words(para: list[tuple[int, str]]) -> list[bool]:
    """Which lines of an unindented paragraph start a reference, read from their words.

    In a paragraph of five lines or more, the line lengths count too: when the first word of a
    line would have fitted at the end of the line before (within the paragraph's longest line
    that has a space; a long link on a line of its own does not widen it), the line was not
    wrapped there, so the line before ended a reference. When that holds for half the lines or
    more, the paragraph is a list of one reference per line, and a full line before is no
    sign of a wrap. Fewer lines (a reference broken by hand) say too little about the width.
    """
    stripped = [text.strip() for _, text in para]
    lengths = sorted(len(t) for t in stripped if " " in t) or [max(len(t) for t in stripped)]
    width = lengths[-1]
    ended = [False] + [
        " " not in prev or len(prev) > _WRAPPED_MAX
        or len(prev) + 1 + len(text.split(None, 1)[0]) <= width
        for prev, text in zip(stripped, stripped[1:])]
    by_width = len(stripped) >= 5
    one_per_line = by_width and 2 * sum(ended) >= len(stripped) - 1
    starts = []
    for k, text in enumerate(stripped):
        previous = stripped[k - 1] if k else ""
        if _START_RE.match(text):
            start = True  # numbered, or a repeated-author dash
        elif not previous:
            # The first line of a paragraph: a reference if it opens like one (after its
            # bullet: a bulleted item of words always does), else a stray fragment of the
            # reference before.
            item = _BULLET.sub("", text)
            start = ((item != text and len(item.split()) >= 3)
                     or looks_like_reference_start(item) or _AUTHOR_YEAR.match(item) is not None
                     or NAME_START.match(item) is not None
                     or (_could_open(item) and len(item.split()) >= 4))
        elif _open_end(previous) and not (
                one_per_line and previous[-1] in ",;" and looks_like_reference_start(text)):
            start = False  # the line before stops mid-sentence
        elif by_width and ended[k] and _could_open(text):
            start = True  # the line before was ended (or one token, or too long to wrap)
        elif not by_width or one_per_line:
            start = looks_like_reference_start(text) or (
                _ends_sentence(previous) and NAME_START.match(text) is not None)
        else:
            # In a wrapped paragraph the full line before was a wrap, unless it ended a
            # sentence and this line opens with names (and a year).
            start = _ends_sentence(previous) and (
                _AUTHOR_YEAR.match(text) is not None or NAME_START.match(text) is not None)
        starts.append(start)
    return starts


def _could_open(text: str) -> bool:
    """True when a line could be the first of a reference (not a link or DOI piece, nor a
    lower-case word other than a lower-case name such as "hooks, bell.")."""
    if _FRAGMENT_RE.match(text) and " " not in text:
        return False
    return _opens_like_reference(text) or NAME_START.match(text) is not None


def _opens_like_reference(text: str) -> bool:
    """True when the first character could open a reference: a capital, a digit, a quote or
    bracket, a letter of a script without case (Chinese, Japanese, Korean…), or a lower-case
    name particle before a capital ("van Bueren J", "de Blok W.")."""
    first = text[0]
    if first.isupper() or first.isdigit() or first in "\u201c\"'\u2018([\u00ab":
        return True
    if first.isalpha() and not first.islower():
        return True
    return _PARTICLE_START.match(text) is not None


def split_references(lines: list[tuple[int, str]]) -> list[Block]:
    """Group numbered lines into reference blocks (see module docstring)."""
    blocks: list[Block] = []
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if not para:
            return
        starts = _numbered_starts(para) or _layout_starts(para) or _starts_by_words(para)
        for (lineno, text), start in zip(para, starts):
            if start and blocks and _access_line(text):
                # "Accessed July 3, 2024." or "Retrieved March 3, 2024, from https://…" on a
                # line of its own belongs to the reference above
                start = False
            if not blocks or start:
                # A new reference, unless it is the continuation of a block in this paragraph.
                blocks.append(Block([(lineno, text)]))
            elif blocks[-1].lines[-1][0] == lineno - 1 and not blocks[-1].fragments:
                blocks[-1].lines.append((lineno, text))  # wrapped line
            else:
                blocks[-1].fragments.append((lineno, text))  # stray fragment after a gap
        para.clear()

    for lineno, text in lines:
        if _blank(text):
            flush()
        else:
            para.append((lineno, text))
    flush()
    return blocks


# Markdown around a reference's parts: "*Title*", "**Title**", "<https://…>" (autolinks).
# An emphasis opens after a space, a bracket or a quote and closes before one or punctuation
# (a corresponding-author mark, "Smith, J.*,", is no emphasis).
_EMPHASIS = re.compile(
    r"(?<![^\s(\[\"'\u201c\u2018])(\*\*|\*)(?=[^\s*])(.+?)(?<=[^\s*])\1(?=[\s.,;:)\]\"'\u201d\u2019]|$)")
# A corresponding author's mark after a name: "Smith, J.*, & Lee, K.".
_STAR_MARK = re.compile(r"(?<=[^\W\d_.]\.|[^\W\d_]{2})\*+(?=[,;&]|\s+(?:&|and)\b)")
# (a full stop after the closing bracket ends the sentence, not the link: it is dropped)
_AUTOLINK = re.compile(r"<((?:https?://|doi:|10\.\d{4,9}/)[^\s<>]+)>[.,;]?", re.I)


def _plain(text: str) -> str:
    """The reference without Markdown emphasis marks and link brackets (the source keeps them)."""
    if "*" in text:
        text = _STAR_MARK.sub("", _EMPHASIS.sub(r"\2", text))
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    return text


def parse_blocks(blocks: list[Block], all_lines: list[str], path: str | None
                 ) -> tuple[list[Entry], list[Failure]]:
    """Parse each block into an Entry with provenance; unparseable blocks become failures."""
    entries: list[Entry] = []
    failures: list[Failure] = []
    previous: Entry | None = None
    # The texts are parsed together first (the tagger is much faster on many at once).
    texts = [_plain(_BULLET.sub("", " ".join(t.strip() for _, t in block.lines)))
             for block in blocks]
    wanted = [i for i, (block, text) in enumerate(zip(blocks, texts))
              if len(text) <= MAX_REFERENCE_CHARS
              and (looks_like_reference_start(block.lines[0][1]) or any(c.isalpha() for c in text))]
    parsed = dict(zip(wanted, parse_references([texts[i] for i in wanted])))
    for i, block in enumerate(blocks):
        first, last = block.first_line, block.last_line
        raw = "\n".join(all_lines[first - 1: last])
        first_text = block.lines[0][1]
        col = len(first_text) - len(first_text.lstrip()) + 1
        text = texts[i]
        if len(text) > MAX_REFERENCE_CHARS:
            failures.append(Failure(raw=raw[:200] + "…", path=path, line=first, col=col,
                                    reason=f"reference is {len(text)} characters long "
                                           f"(limit {MAX_REFERENCE_CHARS}); not parsed"))
            continue
        if i not in parsed:
            failures.append(Failure(raw=raw, path=path, line=first, col=col,
                                    reason="not a reference: no words"))
            continue
        span = SourceSpan(path=path, line=first, end_line=last, raw=raw, col=col)
        entry = parsed[i]
        entry.source = span
        if DASH_RE.match(text):
            _resolve_dash(entry, previous, span)
        for lineno, frag in block.fragments:
            if not any(ch.isalnum() for ch in frag):
                failures.append(Failure(raw=frag, path=path, line=lineno, col=1,
                                        reason="stray text with no words or numbers; not joined"))
                continue
            _join_fragment(entry, lineno, frag.strip(), span)
        if entry.title is None and not entry.author and entry.url is None:
            failures.append(Failure(raw=raw, path=path, line=first, col=col,
                                    reason="could not find authors, title or link"))
            continue
        entries.append(entry)
        previous = entry
    numbers = [e.extra.get("citation-number") for e in entries]
    if len(entries) >= 2 and None not in numbers and len(set(numbers)) == 1 and \
            str(path or "").lower().endswith((".md", ".markdown")):
        # Markdown's lazy numbering ("1." on every item): the items count as they are shown
        # (in plain text the same number twice is a numbering error: reference-numbering)
        for k, entry in enumerate(entries, 1):
            entry.extra["citation-number"] = str(k)
    _publishers_as_places(entries)
    make_keys(entries)
    return entries, failures


def _publishers_as_places(entries: list[Entry]) -> None:
    """In an MLA list (years late, every book with a publisher and no place), a book read with
    a place and no publisher ("Cha, Victor. The Impossible State. Ecco, 2012.") names its
    publisher: a single name that no word list knows as a place."""
    books = [e for e in entries if e.type == "book"]
    if any(e.publisher and e.publisher_place for e in books) or sum(
            1 for e in books if e.publisher and not e.publisher_place) < 2 \
            or not years_late(entries):
        return
    for entry in books:
        place = entry.publisher_place
        if entry.publisher is None and place and "," not in place and ":" not in place and \
                not any(w.lower() in PLACE_WORDS for w in place.split()) and \
                not known_as(place, "location"):  # "Bruxelles, 1862." stays a place
            entry.publisher, entry.publisher_place = place, None


def _resolve_dash(entry: Entry, previous: Entry | None, span: SourceSpan) -> None:
    if previous is None or not previous.author:
        span.events.append(SourceEvent("repeated-author-dash", span.line, span.col,
                                       "no previous entry with authors to resolve the dash to"))
        return
    entry.author = copy.deepcopy(previous.author)
    entry.et_al = previous.et_al
    who = "; ".join(str(n) for n in entry.author) + (", et al." if entry.et_al else "")
    span.events.append(SourceEvent("repeated-author-dash", span.line, span.col,
                                   f"resolved to {who}"))


def _access_line(text: str) -> bool:
    """Whether a line is only an access note, perhaps with its link ("Accessed July 3, 2024.",
    "Retrieved March 3, 2024, from https://…"), not a reference whose title opens so
    ("Retrieved memories in older adults. (2015). …")."""
    return _access_note(text) is not None


def _access_note(text: str) -> tuple[Date, str | None] | None:
    """The date of an access note and the link after it, if any (see :func:`_access_line`)."""
    if not _ACCESS_CUE(text):
        return None
    link = _LINK_IN(text)
    head = text[:link.start()].rstrip(" ,").removesuffix(" from").rstrip(" ,") if link else text
    date = accessed_note(head)
    return None if date is None else (date, text[link.start():] if link else None)


_ACCESS_CUE = re.compile(r"^\s*[\[(]?\s*(?:last\s+)?(?:accessed|retrieved|viewed)\b", re.I).match
_LINK_IN = re.compile(r"https?://|www\.", re.I).search


def _join_fragment(entry: Entry, lineno: int, frag: str, span: SourceSpan) -> None:
    """Attach a stray fragment: a DOI piece fills or confirms the DOI; a link piece extends the URL."""
    m = _DOI_FRAGMENT.match(frag)
    if m:
        doi = m.group(1).rstrip(".,;")
        if entry.doi is None:
            entry.doi = doi
            what = "it gives the DOI"
        elif entry.doi.lower() == doi.lower():
            what = "it repeats the DOI"
        else:
            entry.extra.setdefault("stray-text", []).append(frag)
            what = "it names a different DOI, kept as stray text"
    elif (note := _access_note(frag)) is not None and note[1] is not None and entry.url is None:
        # APA 6's "Retrieved March 3, 2024, from https://…" in its own paragraph
        entry.accessed = entry.accessed or note[0]
        entry.url, doi = find_links(note[1])
        entry.doi = entry.doi or doi
        what = "it gives the accessed date and the URL"
    elif note is not None and note[1] is None:
        accessed = note[0]
        if entry.accessed is None:
            entry.accessed = accessed
            what = "it gives the accessed date"
        elif entry.accessed == accessed:
            what = "it repeats the accessed date"
        else:
            entry.extra.setdefault("stray-text", []).append(frag)
            what = "it names another accessed date, kept as stray text"
    elif entry.url is not None and _FRAGMENT_RE.match(frag) and " " not in frag:
        entry.url = f"{entry.url} {frag}"
        what = "it continues the URL"
    elif entry.url is None and frag.lower().startswith(("http", "www.")):
        entry.url, doi = find_links(frag)
        entry.doi = entry.doi or doi
        what = "it gives the URL"
    else:
        entry.extra.setdefault("stray-text", []).append(frag)
        what = "it is kept as stray text"
    span.events.append(SourceEvent("stray-fragment", lineno, 1,
                                   f"line {lineno} ({frag[:60]!r}) joined to the reference at "
                                   f"line {span.line}: {what}"))
