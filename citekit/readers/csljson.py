"""Read CSL-JSON: an array of items, a single item, or an object with an ``items`` array."""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from ..model import Bibliography, Entry, Failure, SourceSpan

__all__ = ["read"]

_DECODER = json.JSONDecoder()


#: An object with none of these keys is not a CSL-JSON item (``{"not": "a list"}``).
_ITEM_KEYS = frozenset({"id", "type", "title", "author", "editor", "issued", "container-title",
                        "DOI", "URL", "publisher", "ISBN", "citation-key"})


def read(text: str, path: str | None = None) -> Bibliography:
    """Read CSL-JSON ``text``; invalid JSON raises :class:`InputError` with ``line:col``."""
    where = path or "<string>"
    text = text.lstrip("\ufeff")  # a byte-order mark left in a string read without utf-8-sig
    if not text.strip():
        return Bibliography(path=path, format="csl-json")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{where}: invalid CSL-JSON: nested too deeply") from None

    spans: list[tuple[int, int]] = []
    if isinstance(data, list):
        items = data
        spans = _item_offsets(text)
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
    elif isinstance(data, dict):
        items = [data]
        start = len(text) - len(text.lstrip())
        spans = [(start, len(text.rstrip()))]
    else:
        raise InputError(f"{where}: not CSL-JSON: expected an array of items or an object, "
                         f"found {type(data).__name__}")
    if len(spans) != len(items):
        spans = []

    bib = Bibliography(path=path, format="csl-json")
    places = _locate(text, spans) if spans else []
    for index, item in enumerate(items):
        line, col, end_line, raw = places[index] if places else (0, 0, 0, "")
        if not isinstance(item, dict):
            bib.failures.append(Failure(
                raw=raw or json.dumps(item, ensure_ascii=False)[:500], path=path, line=line,
                col=col, reason=f"item {index} is a {_json_type(item)}, not a CSL-JSON object"))
            continue
        if not _ITEM_KEYS & set(item):
            bib.failures.append(Failure(
                raw=raw or json.dumps(item, ensure_ascii=False)[:500], path=path, line=line,
                col=col, reason=f"item {index} has none of the CSL-JSON item fields "
                                f"({', '.join(sorted(_ITEM_KEYS))})"))
            continue
        try:
            entry = Entry.from_csl(item)
        except (TypeError, ValueError, AttributeError) as exc:
            bib.failures.append(Failure(raw=raw or json.dumps(item, ensure_ascii=False)[:500],
                                        path=path, line=line, col=col,
                                        reason=f"item {index} is not valid CSL-JSON: {exc}"))
            continue
        if spans:
            entry.source = SourceSpan(path=path, line=line, end_line=end_line, raw=raw, col=col)
        bib.entries.append(entry)
    return bib


def _item_offsets(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each element of a top-level JSON array (already validated)."""
    offsets: list[tuple[int, int]] = []
    i = text.index("[") + 1
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n or text[i] == "]":
            break
        try:
            _, end = _DECODER.raw_decode(text, i)
        except (json.JSONDecodeError, RecursionError):
            return []
        offsets.append((i, end))
        i = end
    return offsets


def _locate(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, int, str]]:
    """Line, column, last line and raw text of each span (spans in file order; one pass)."""
    places: list[tuple[int, int, int, str]] = []
    line, pos, line_start = 1, 0, 0
    for start, end in spans:
        newlines = text.count("\n", pos, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, start) + 1
        raw = text[start:end]
        places.append((line, start - line_start + 1, line + raw.count("\n"), raw))
        pos = start
    return places


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "string",
            list: "array"}.get(type(value), type(value).__name__)
