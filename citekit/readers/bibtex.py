"""Read BibTeX and BibLaTeX through bibtexparser v2 into the model.

bibtexparser splits the file into blocks (entries, ``@string``, ``@preamble``, comments, failed
blocks) and keeps each block's raw text and first line. This module turns the blocks into entries,
failures and preamble items; :mod:`citekit.readers.bibtex_fields` maps each entry's fields onto
an :class:`~citekit.model.Entry`: names split into family/given/particles/suffix (braced names
such as ``{Lowy Institute}`` become literal names), LaTeX decoded to Unicode, dates from
``date``/``year``/``month``, ``--`` in pages turned into ``-``.

Nothing is lost: every field exactly as written (braces, LaTeX, ``@string`` references and ``#``
concatenations included) and the original entry type are kept in ``entry.extra["bibtex"]``, and the
file's ``@string``/``@preamble``/``@comment`` blocks and loose text go to ``Bibliography.preamble``.
The BibTeX writer uses both to write an unchanged entry back exactly as it was read.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import bibtexparser
from bibtexparser import model as btm

from ..model import Bibliography, Entry, Failure, SourceSpan
from .bibtex_fields import BIBTEX_TO_CSL_TYPE, EXTRA_KEY, entry_from_fields, evaluate

__all__ = ["read", "BIBTEX_TO_CSL_TYPE", "EXTRA_KEY"]


def read(text: str, path: str | None = None) -> Bibliography:
    """Read BibTeX/BibLaTeX ``text`` into a :class:`Bibliography`; failures are recorded."""
    bib = Bibliography(path=path, format="bibtex")
    with _quiet_bibtexparser():
        # Only split: string references, concatenations and enclosing are resolved below, so
        # that the raw value of every field can be kept for a lossless round trip.
        library = bibtexparser.parse_string(text, parse_stack=[])

    strings: dict[str, str] = {}
    first_line: dict[tuple[str, str], int] = {}  # (kind, key) -> line where it was defined
    last_id: str | None = None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        raw = block.raw or ""
        if isinstance(block, btm.DuplicateBlockKeyBlock):
            kind = "entry" if isinstance(block.ignore_error_block, btm.Entry) else "@string"
            earlier = first_line.get((kind, block.key.lower()))
            where = f" (first defined at line {earlier})" if earlier else ""
            bib.failures.append(Failure(
                raw=raw, path=path, line=line, col=1,
                reason=f"duplicate {kind} key {block.key!r}{where}; this one was not read"))
        elif isinstance(block, btm.DuplicateFieldKeyBlock):
            dupes = ", ".join(sorted(block.duplicate_keys))
            bib.failures.append(Failure(
                raw=raw, path=path, line=line, col=1,
                reason=f"duplicate field {dupes}; the first value was kept"))
            inner = block.ignore_error_block
            if isinstance(inner, btm.Entry):
                bib.entries.append(_entry_from_block(inner, strings, path))
                first_line.setdefault(("entry", inner.key.lower()), line)
                last_id = inner.key
        elif isinstance(block, btm.ParsingFailedBlock):
            bib.failures.append(Failure(raw=raw, path=path, line=line, col=1,
                                        reason=_failure_reason(block)))
        elif isinstance(block, btm.Entry):
            bib.entries.append(_entry_from_block(block, strings, path))
            first_line.setdefault(("entry", block.key.lower()), line)
            last_id = block.key
        elif isinstance(block, btm.String):
            strings[block.key.lower()] = evaluate(block.value, strings)
            first_line.setdefault(("@string", block.key.lower()), line)
            bib.preamble.append({"kind": "string", "key": block.key, "value": block.value,
                                 "line": line, "after": last_id})
        elif isinstance(block, btm.Preamble):
            bib.preamble.append({"kind": "preamble", "value": block.value, "line": line,
                                 "after": last_id})
        elif isinstance(block, btm.ExplicitComment):
            bib.preamble.append({"kind": "comment", "value": block.comment, "line": line,
                                 "after": last_id})
        elif isinstance(block, btm.ImplicitComment):
            if block.comment.strip():
                bib.preamble.append({"kind": "text", "value": block.comment, "line": line,
                                     "after": last_id})
    return bib


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """Silence bibtexparser's own log lines: citekit reports failed blocks as Failures."""
    logs = [logging.getLogger(name) for name in ("bibtexparser", "bibtexparser.splitter")]
    was = [log.disabled for log in logs]
    for log in logs:
        log.disabled = True
    try:
        yield
    finally:
        for log, state in zip(logs, was):
            log.disabled = state


def _failure_reason(block: btm.ParsingFailedBlock) -> str:
    err = block.error
    reason = getattr(err, "abort_reason", None) or str(err) or type(err).__name__
    reason = " ".join(str(reason).split())
    return f"not valid BibTeX: {reason}"


def _entry_from_block(block: btm.Entry, strings: dict[str, str], path: str | None) -> Entry:
    fields: dict[str, str] = {}
    for fld in block.fields:
        fields.setdefault(fld.key, fld.value if isinstance(fld.value, str) else str(fld.value))
    entry = entry_from_fields(block.entry_type, block.key, fields, strings)
    raw = block.raw or ""
    line = (block.start_line or 0) + 1
    entry.source = SourceSpan(path=path, line=line, end_line=line + raw.rstrip("\n").count("\n"),
                              raw=raw)
    return entry
