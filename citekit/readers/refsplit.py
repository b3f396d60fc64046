"""Split the lines of a reference list into references and parse each one.

Shared by the commentary reader and the bare reference-list reader. It

- separates references by blank lines (or lines holding only white space / no-break spaces), or
  one per line when each line starts a reference;
- attaches a line that continues the previous reference (a wrapped line, or a stray fragment such
  as ``doi/10.1080/…`` in its own paragraph) to it, recording a ``stray-fragment`` event;
- resolves ``______.`` (a run of underscores or dashes) to the previous entry's authors, recording a
  ``repeated-author-dash`` event.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from ..model import Entry, Failure, SourceEvent, SourceSpan
from ..normalise.keys import make_keys
from ..parse import parse_references
from ..parse.authordate import DASH_RE, find_links

__all__ = ["Block", "split_references", "parse_blocks", "looks_like_reference_start"]

#: A reference longer than this is recorded as a failure rather than parsed.
MAX_REFERENCE_CHARS = 20_000

_START_RE = re.compile(
    r"^(?:\[\d{1,4}\]|\d{1,4}[.)]\s)"  # numbered
    r"|^[_\u2010-\u2015-]{2,}"  # repeated-author dash
    r"|^[\u2014\u2015]"
)
_YEAR_NEAR_START = re.compile(r"(?<![\w/.-])(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.)(?![\w/-])")
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
    if not (s[0].isupper() or s[0] in "\u201c\"'\u2018(" or s[0].isdigit()):
        return False
    if _FRAGMENT_RE.match(s) and " " not in s:
        return False
    return _YEAR_NEAR_START.search(s, 0, 250) is not None


def split_references(lines: list[tuple[int, str]]) -> list[Block]:
    """Group numbered lines into reference blocks (see module docstring)."""
    blocks: list[Block] = []
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if not para:
            return
        for lineno, text in para:
            if not blocks or looks_like_reference_start(text):
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


def parse_blocks(blocks: list[Block], all_lines: list[str], path: str | None
                 ) -> tuple[list[Entry], list[Failure]]:
    """Parse each block into an Entry with provenance; unparseable blocks become failures."""
    entries: list[Entry] = []
    failures: list[Failure] = []
    previous: Entry | None = None
    # The texts are parsed together first (the tagger is much faster on many at once).
    texts = [" ".join(t.strip() for _, t in block.lines) for block in blocks]
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
    make_keys(entries)
    return entries, failures


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
