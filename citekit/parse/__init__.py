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

from ..model import Entry
from .authordate import parse_authordate

__all__ = ["parse_reference", "AUTHOR_DATE_CONFIDENT"]

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
    structural = parse_authordate(text)
    if structural.confidence >= AUTHOR_DATE_CONFIDENT:
        structural.diagnostics["parser"] = "author-date"
        return structural
    from .tagger import parse as tagger_parse

    tagged = tagger_parse(text)
    tagged.source = None  # provenance is the reader's job
    for key in _DIAGNOSTIC_KEYS:
        if key in tagged.extra:
            tagged.diagnostics[key] = tagged.extra.pop(key)
    if not (tagged.title or tagged.names) and (structural.title or structural.names):
        structural.diagnostics["parser"] = "author-date"
        return structural
    # A broken URL is kept as written by the structural parser; the normalisers repair it.
    if structural.url and tagged.url and structural.url.replace(" ", "") == tagged.url.replace(" ", ""):
        tagged.url = structural.url
    tagged.diagnostics["parser"] = "tagger"
    return tagged
