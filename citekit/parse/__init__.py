"""Reference-string parsing: one entry point, :func:`parse_reference`.

Two parsers stand behind it:

- the structural author-date parser (:mod:`citekit.parse.authordate`), exact on Chicago
  author-date, APA- and Harvard-like strings, which it recognises by the year right after the
  author list;
- the learned CRF tagger (:mod:`citekit.parse.tagger`) for every other style (numbered, MLA,
  notes-bibliography, humanities).

The structural parser runs first (it is cheap); when it is not confident that the string has the
author-date shape, the tagger decides.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Entry
from .authordate import BOOK_SHAPE_PENALTY, parse_authordate

__all__ = ["parse_reference", "parse_references", "AUTHOR_DATE_CONFIDENT"]

#: The structural parser's result is kept at or above this confidence.
AUTHOR_DATE_CONFIDENT = 0.9

# Tagger outputs that belong in diagnostics, not in the entry's CSL fields.
_DIAGNOSTIC_KEYS = ("parse-confidence", "parse-truncated")


def parse_reference(text: str) -> Entry:
    """Parse one reference string into an :class:`~citekit.model.Entry`.

    ``entry.confidence`` (0–1) says how sure the parser is; ``entry.diagnostics["parser"]`` says
    which parser was used and, for the tagger, ``diagnostics["parse-confidence"]`` holds
    per-field confidences.
    """
    return parse_references([text])[0]


def parse_references(texts: Sequence[str]) -> list[Entry]:
    """Parse many reference strings, as :func:`parse_reference` does each; faster for many,
    as the strings the tagger reads are tagged together. The order of ``texts`` is kept."""
    structural = [parse_authordate(text) for text in texts]
    todo = [i for i, entry in enumerate(structural) if entry.confidence < AUTHOR_DATE_CONFIDENT]
    out = list(structural)
    for entry in structural:
        entry.diagnostics["parser"] = "author-date"
    if todo:
        from .tagger import parse_many

        tagged = parse_many([texts[i] for i in todo])
        for i, entry in zip(todo, tagged):
            out[i] = _choose(structural[i], entry)
    return out


def _choose(structural: Entry, tagged: Entry) -> Entry:
    """The tagger's entry, unless it found no title or names where the structural parser did
    (for a book the structural parser read whole, unless it lacks either)."""
    tagged.source = None  # provenance is the reader's job
    for key in _DIAGNOSTIC_KEYS:
        if key in tagged.extra:
            tagged.diagnostics[key] = tagged.extra.pop(key)
    book = structural.diagnostics.pop("book-shape", False)
    if book:
        # The structural parser read this book whole but for its publisher (it lowered its
        # confidence only to ask the tagger): its confidence is restored if it is kept.
        structural.confidence = round(min(1.0, structural.confidence + BOOK_SHAPE_PENALTY), 2)
    if not (tagged.title or tagged.names) and (structural.title or structural.names):
        return structural
    if book and structural.confidence >= AUTHOR_DATE_CONFIDENT:
        # The tagger's reading is taken only when it too has the names and a title, and an
        # organisation as author ("Ministry of Unification. 2024. …") stays the author.
        if not (tagged.title and tagged.names):
            return structural
        if any(n.literal for n in structural.author) and not tagged.author:
            tagged.author = structural.author
    # A broken URL is kept as written by the structural parser; the normalisers repair it.
    if structural.url and tagged.url and \
            structural.url.replace(" ", "") == tagged.url.replace(" ", ""):
        tagged.url = structural.url
    tagged.diagnostics["parser"] = "tagger"
    return tagged
