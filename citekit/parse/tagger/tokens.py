"""Tokenise a reference string into tokens that keep their character offsets."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenize", "MAX_CHARS"]

#: Longer input is cut here before tagging; no reference is this long, and the cap keeps time
#: and memory bounded on adversarial input.
MAX_CHARS = 4000

# Chunks that are links or identifiers stay whole: splitting them would scatter one field.
_WHOLE = re.compile(r"(?:[(<\[]?(?:https?://|www\.|doi:|urn:|10\.\d{3,9}/))", re.IGNORECASE)
# Split points inside an ordinary chunk: before an opening bracket, and after ``:;,`` or a
# closing bracket when more text follows (``12(3):45-67`` -> ``12`` ``(3):`` ``45-67``).
# Cheap pre-test so most words skip the regexes: a split needs one of these inside the chunk.
_SPLIT_CHARS = frozenset("([:;,)]")
_SPLIT = re.compile(r"(?<=[^\s(\[])(?=[(\[])|(?<=[:;,\])])(?=[^\s:;,.)\]])")
# A journal's series letter, abbreviation or name written onto the volume ("Phys. Rev. D53",
# "Nucl.Phys.B143", "Lett.66", "Science356"): the head (words, each but the last ending in a
# full stop or hyphen) is one token and the number (up to five digits, then punctuation) another,
# so that the number can be labelled volume. Linear: every repeated word ends at its "." or "-".
_SERIES = re.compile(r"\.?(?:[^\W\d_]+[.\-])*[^\W\d_]+\.?(?=\d{1,5}[^\w\s]*$)")
_DIGITS = frozenset("0123456789")


class Token(NamedTuple):
    """One token: its text and its ``[start, end)`` character offsets in the input."""

    text: str
    start: int
    end: int


# Tokens are made with tuple.__new__ directly: the named tuple's own constructor is a Python
# function, and calling it for every token cost a few microseconds per reference.
_new = tuple.__new__


def _append_piece(append, piece: str, start: int, end: int) -> None:
    # A piece that starts with a letter or a full stop and holds a digit (the caller checked
    # the digit) may be a series head written onto its volume ("D53", "Rev.D53"): two tokens.
    if piece[0].isalpha() or piece[0] == ".":
        m = _SERIES.match(piece)
        if m is not None:
            c = m.end()
            append(_new(Token, (piece[:c], start, start + c)))
            append(_new(Token, (piece[c:], start + c, end)))
            return
    append(_new(Token, (piece, start, end)))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens on whitespace and at field-joining punctuation."""
    out: list[Token] = []
    append = out.append
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    # The whitespace-separated chunks and their offsets: str.split and str.find are cheaper
    # than a regex's match objects (both split at the same characters, str.isspace's; each
    # chunk is the first place its text occurs after the previous chunk, as only whitespace
    # lies between them).
    find = text.find
    end = 0
    for chunk in text.split():
        start = find(chunk, end)
        end = start + len(chunk)
        if len(chunk) < 3 or _SPLIT_CHARS.isdisjoint(chunk[1:-1]):
            # (A link or identifier never matches the series pattern: its head stops at "/".)
            if _DIGITS.isdisjoint(chunk):
                append(_new(Token, (chunk, start, end)))
            else:
                _append_piece(append, chunk, start, end)
            continue
        if _WHOLE.match(chunk):
            append(_new(Token, (chunk, start, end)))
            continue
        pos = 0
        for cut in _SPLIT.finditer(chunk):
            c = cut.start()
            if c > pos:
                piece = chunk[pos:c]
                if _DIGITS.isdisjoint(piece):
                    append(_new(Token, (piece, start + pos, start + c)))
                else:
                    _append_piece(append, piece, start + pos, start + c)
                pos = c
        piece = chunk[pos:]
        if _DIGITS.isdisjoint(piece):
            append(_new(Token, (piece, start + pos, end)))
        else:
            _append_piece(append, piece, start + pos, end)
    return out
