"""Turn input bytes into text: UTF-8 first, other encodings detected, binary refused clearly."""

from __future__ import annotations

from ..errors import UnreadableInputError

__all__ = ["decode_bytes", "decode_text", "newline_of"]

# Control characters other than tab, LF, CR, FF: a text file has (almost) none of them.
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def decode_bytes(data: bytes, source: str = "<input>") -> str:
    """Decode ``data`` as text, or raise :class:`UnreadableInputError` saying why.

    UTF-8 (with or without BOM) is tried first; otherwise the encoding is detected with
    charset-normalizer. Binary data (NUL bytes, many control characters) is refused.
    """
    return decode_text(data, source)[0]


def decode_text(data: bytes, source: str = "<input>") -> tuple[str, str]:
    """``decode_bytes``, also returning the encoding used: ``utf-8``, ``utf-8-sig``, ``utf-16``,
    or the one detected (a guess) for other text."""
    if not data:
        return "", "utf-8"
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise UnreadableInputError(f"{source}: binary file (contains NUL bytes), not text")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableInputError(f"{source}: invalid UTF-16 text ({exc.reason})") from exc
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        text, encoding = _detect(data, source)
    controls = sum(1 for ch in text[:65536] if ord(ch) in _CONTROL)
    if controls > max(8, len(text[:65536]) // 100):
        raise UnreadableInputError(f"{source}: binary file ({controls} control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _detect(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise UnreadableInputError(
            f"{source}: not UTF-8 and no other text encoding could be detected; "
            "convert it to UTF-8 (e.g. iconv -f <encoding> -t UTF-8)"
        )
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableInputError(
            f"{source}: looks like {best.encoding} but does not decode as it; convert it to UTF-8"
        ) from exc


def newline_of(data: bytes, encoding: str) -> str:
    """The line ending of some text's bytes (``\\r\\n``, ``\\r`` or ``\\n``), so that a
    repaired copy can be written the way the original was."""
    if encoding == "utf-16":
        crlf, lf = data.count("\r\n".encode("utf-16-le")), data.count("\n".encode("utf-16-le"))
    else:
        crlf, lf = data.count(b"\r\n"), data.count(b"\n")
    if crlf and 2 * crlf >= lf:
        return "\r\n"
    if not lf and b"\r" in data:
        return "\r"
    return "\n"
