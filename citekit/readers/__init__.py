"""Readers: every input format becomes a :class:`~citekit.model.Bibliography`.

A reader is a function ``read(text: str, path: str | None) -> Bibliography`` registered in
``READERS`` under its format name. ``load``/``loads`` pick the reader from ``format`` or the suffix.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Callable

from ..errors import InputError, UnknownFormatError
from ..model import Bibliography
from .decode import decode_bytes, decode_text

__all__ = ["READERS", "SUFFIXES", "load", "loads", "detect_format"]

Reader = Callable[[str, "str | None"], Bibliography]

#: format name -> "module:function" (imported on first use, so start-up stays fast).
READERS: dict[str, str] = {
    "commentary": "citekit.readers.commentary:read",
    "text": "citekit.readers.reflist:read",
    "bibtex": "citekit.readers.bibtex:read",
    "csl-json": "citekit.readers.csljson:read",
    "ris": "citekit.readers.ris:read",
}

#: file suffix -> format name.
SUFFIXES: dict[str, str] = {
    ".txt": "commentary",
    ".text": "commentary",
    ".md": "commentary",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".json": "csl-json",
    ".csl.json": "csl-json",
    ".csljson": "csl-json",
    ".ris": "ris",
}

#: Inputs larger than this are refused rather than parsed (a reference list is never this big).
MAX_INPUT_BYTES = 64 * 1024 * 1024


#: Formats people try that citekit does not read, with what to do instead.
_NOT_READ = {
    (".html", ".htm", ".xhtml"): "a web page",
    (".docx", ".doc", ".odt", ".rtf", ".pages"): "a word-processor document",
    (".pdf",): "a PDF",
}


def detect_format(path: str | Path) -> str:
    """The format implied by a file name's suffix."""
    name = str(path).lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIXES[suffix]
    for suffixes, what in _NOT_READ.items():
        if name.endswith(suffixes):
            raise UnknownFormatError(
                f"{path}: citekit does not read {what}; save or export it as plain text (.txt) "
                "or Markdown (.md) and check that file")
    raise UnknownFormatError(
        f"{path}: cannot tell the format from the suffix; pass one of "
        f"{', '.join(sorted(READERS))} with -f/--from"
    )


def _reader(fmt: str) -> Reader:
    try:
        target = READERS[fmt]
    except KeyError:
        raise UnknownFormatError(
            f"unknown input format {fmt!r}; known: {', '.join(sorted(READERS))}"
        ) from None
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def loads(text: str, format: str = "text", path: str | None = None) -> Bibliography:
    """Read a bibliography from a string in the given format."""
    bib = _reader(format)(text, path)
    bib.format = format
    bib.path = path
    return bib


def load(path: str | Path, format: str | None = None) -> Bibliography:
    """Read a bibliography from a file; the format comes from ``format`` or the suffix."""
    if str(path) == "-":  # standard input; a commentary unless -f says otherwise
        fmt = format or "commentary"
        _reader(fmt)
        return loads(decode_bytes(sys.stdin.buffer.read(), "<stdin>"), fmt, "<stdin>")
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a file (only `citekit check` takes a folder)")
    fmt = format or detect_format(p)
    _reader(fmt)  # fail on an unknown format before touching the file
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{p}: {size} bytes is larger than the {MAX_INPUT_BYTES} byte limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    text, encoding = decode_text(data, str(p))
    bib = loads(text, fmt, str(p))
    if encoding not in ("utf-8", "utf-8-sig", "utf-16"):
        bib.guessed_encoding = encoding
    return bib
