"""Turn input bytes into text: UTF-8 first, other encodings detected, binary refused clearly."""

from __future__ import annotations

from ..errors import UnreadableInputError

__all__ = ["decode_bytes"]

# Control characters other than tab, LF, CR, FF: a text file has (almost) none of them.
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def decode_bytes(data: bytes, source: str = "<input>") -> str:
    """Decode ``data`` as text, or raise :class:`UnreadableInputError` saying why.

    UTF-8 (with or without BOM) is tried first; otherwise the encoding is detected with
    charset-normalizer. Binary data (NUL bytes, many control characters) is refused.
    """
    if not data:
        return ""
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise UnreadableInputError(f"{source}: binary file (contains NUL bytes), not text")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableInputError(f"{source}: invalid UTF-16 text ({exc.reason})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _detect(data, source)
    controls = sum(1 for ch in text[:65536] if ord(ch) in _CONTROL)
    if controls > max(8, len(text[:65536]) // 100):
        raise UnreadableInputError(f"{source}: binary file ({controls} control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _detect(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise UnreadableInputError(
            f"{source}: not UTF-8 and no other text encoding could be detected; "
            "convert it to UTF-8 (e.g. iconv -f <encoding> -t UTF-8)"
        )
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableInputError(
            f"{source}: looks like {best.encoding} but does not decode as it; convert it to UTF-8"
        ) from exc


def text_layout(data: bytes) -> tuple[str, str]:
    """The encoding and line ending of some text's bytes, so that a repaired copy can be
    written the way the original was: ``("utf-8", "\\r\\n")``, ``("cp1252", "\\n")``…"""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data[:1_000_000]).best()
            encoding = best.encoding if best is not None and best.encoding else "utf-8"
    crlf = data.count(b"\r\n")
    lf = data.count(b"\n")
    if encoding == "utf-16":
        crlf, lf = data.count("\r\n".encode("utf-16-le")), data.count("\n".encode("utf-16-le"))
    if crlf and 2 * crlf >= lf:
        newline = "\r\n"
    elif not lf and b"\r" in data:
        newline = "\r"
    else:
        newline = "\n"
    return encoding, newline
