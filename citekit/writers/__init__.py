"""Writers: a :class:`~citekit.model.Bibliography` out to BibTeX, CSL-JSON or RIS.

A writer is ``write(bib: Bibliography) -> str`` registered in ``WRITERS``. ``dump`` writes atomically.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import InputError, UnknownFormatError
from ..model import Bibliography

__all__ = ["WRITERS", "dumps", "dump", "atomic_write", "format_for_path"]

Writer = Callable[[Bibliography], str]

WRITERS: dict[str, str] = {
    "bibtex": "citekit.writers.bibtex:write",
    "csl-json": "citekit.writers.csljson:write",
    "ris": "citekit.writers.ris:write",
}

_SUFFIX_TO_FORMAT = {".bib": "bibtex", ".json": "csl-json", ".ris": "ris"}


def format_for_path(path: str | Path) -> str | None:
    """The output format a file name implies, if any."""
    return _SUFFIX_TO_FORMAT.get(Path(path).suffix.lower())


def _writer(fmt: str) -> Writer:
    try:
        target = WRITERS[fmt]
    except KeyError:
        raise UnknownFormatError(
            f"unknown output format {fmt!r}; known: {', '.join(sorted(WRITERS))}"
        ) from None
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def dumps(bib: Bibliography, format: str = "csl-json") -> str:
    """The bibliography as text in ``format``."""
    return _writer(format)(bib)


def dump(bib: Bibliography, path: str | Path, format: str | None = None) -> None:
    """Write the bibliography to ``path`` atomically; the format comes from ``format`` or suffix."""
    fmt = format or format_for_path(path)
    if fmt is None:
        raise UnknownFormatError(f"{path}: cannot tell the output format; pass -t/--to")
    atomic_write(path, dumps(bib, fmt))


def atomic_write(path: str | Path, text: str, *, encoding: str = "utf-8",
                 newline: str = "\n") -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    ``text`` has ``\\n`` line ends; ``newline`` is what they are written as.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):  # a directory in the way, a full or read-only disk…
            raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
        raise
