"""Per-token features for the CRF: what a token looks like, what surrounds it, where it is."""

from __future__ import annotations

import re
from typing import Sequence

from .lexicon import (GIVEN_NAMES, JOURNAL_WORDS, KEYWORDS, MONTHS, ORG_WORDS, PARTICLES,
                      PLACE_WORDS, PUBLISHER_WORDS)
from .tokens import Token

__all__ = ["sequence_features", "token_features"]

_PUNCT = "()[]{}.,;:!?\"'“”‘’«»„‹›<>*/\\|-–—_#"
_QUOTES = "\"'“”‘’«»„‹›"
_YEAR = re.compile(r"^(1[5-9]\d\d|20[0-4]\d)[a-z]?$")
_RANGE = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?[-–—‐‑]+[A-Za-z]?\d+[A-Za-z]?$")
_YEAR_RANGE = re.compile(r"^(1[5-9]\d\d|20[0-4]\d)[-–—/](\d\d|\d\d\d\d)$")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$",
                    re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|e|er|ème|re|te|º|°)$", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{3,9}/")
_ISBN = re.compile(r"^(97[89][-\d]{10,14}|\d[-\d]{8,11}[\dXx])$")

# Token features depend only on the token's text, so they are computed once per distinct text;
# the cache is cleared when it grows past this many entries, which keeps memory bounded.
_CACHE_MAX = 200_000
_cache: dict[str, tuple] = {}


def _shape_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(128):
        ch = chr(code)
        if ch.isupper():
            table[code] = "X"
        elif ch.islower():
            table[code] = "x"
        elif ch.isdigit():
            table[code] = "9"
    return table


_ASCII_SHAPE = _shape_table()
_ROMAN_CHARS = frozenset("ivxlcdm")
_HAS_DIGIT = re.compile(r"\d").search
_DIGITS = re.compile(r"\d").findall


def _shape(text: str) -> str:
    """Word shape: X for capitals, x for small letters, 9 for digits, runs collapsed."""
    text = text[:12]
    if text.isascii():
        text = text.translate(_ASCII_SHAPE)
    else:
        text = "".join("X" if ch.isupper() else "x" if ch.isalpha() else "9" if ch.isdigit()
                       else ch for ch in text)
    out = text[0] if text else ""
    for ch in text[1:]:
        if ch != out[-1]:
            out += ch
    return out


def token_features(text: str) -> tuple:
    """Features of one token text, plus what its neighbours' features need to know of it."""
    hit = _cache.get(text)
    if hit is not None:
        return hit
    core = text.strip(_PUNCT)
    low = core.lower()
    shape = _shape(text)
    f = ["w=" + (low or text[:20]), "s=" + shape]
    if len(low) > 3:
        f.append("suf=" + low[-3:])
    first, last = text[0], text[-1]
    if first in _PUNCT:
        f.append("lead=" + first)
    if last in _PUNCT:
        f.append("trail=" + last)
        if len(text) > 1 and text[-2] in _PUNCT:
            f.append("trail2=" + text[-2:])
    if core:
        if core.isupper():
            f.append("cap=all" if len(core) > 1 else "cap=one")
        elif core[0].isupper():
            f.append("cap=init")
        elif core[0].islower():
            f.append("cap=low")
    digits = len(_DIGITS(core)) if _HAS_DIGIT(core) else 0
    is_year = False
    if digits:
        f.append("nd=" + (str(digits) if digits < 5 else "5+"))
        if core.isdigit():
            f.append("num")
        if _YEAR.match(core):
            is_year = True
            f.append("year")
            if first in "([":
                f.append("year(")
        elif _YEAR_RANGE.match(core):
            f.append("yearrange")
        if _RANGE.match(core):
            f.append("range")
        if _ORDINAL.match(core):
            f.append("ordinal")
        if _ISBN.match(core):
            f.append("isbn")
    elif core and len(core) < 8 and _ROMAN_CHARS.issuperset(low) and _ROMAN.match(core):
        f.append("roman")
    if "http" in text or text.startswith("www.") or "://" in text:
        f.append("url")
    if "10." in text and _DOI.search(text):
        f.append("doi")
    if "@" in text:
        f.append("email")
    if "-" in core or "–" in core:
        f.append("hyph")
    if "." in core:
        f.append("innerdot")
    if len(core) == 1 and core.isalpha() and last == ".":
        f.append("initial")
    if text.startswith("__") or text.startswith("——") or text.startswith("--"):
        f.append("dashrule")
    entry = _LEXICON.get(low)
    kw = None
    if entry is not None:
        f += entry[0]
        # A capital single letter is an initial ("T."), not the cue "t." (tome) or "p." (page).
        if entry[1] and (len(core) > 1 or core.islower()):
            kw = entry[1]
            f.append("kw=" + kw)
    opens = first in _QUOTES
    closes = last in _QUOTES or (len(text) > 1 and text[-2] in _QUOTES)
    if opens:
        f.append("qopen")
    if closes:
        f.append("qclose")
    # What the token ends with and starts as, for its neighbours' features.
    end = last if last in _PUNCT else "w"
    begin = "C" if core[:1].isupper() else "d" if core[:1].isdigit() else "l" if core else "p"
    # A full stop ending a word that is not an initial or abbreviation closes a "sentence".
    closes_segment = last in ".?!" and len(core) > 3 or (len(text) > 1 and text[-2:] in (
        ".\u201d", '."', ".'", "?\u201d", ").", ".)"))
    word = low or text[:20]
    # Context features are built here once per distinct token, so that a sequence only has to
    # concatenate its neighbours' ready-made lists.
    as_prev = ["w-1=" + word, "s-1=" + shape]
    as_next = ["w+1=" + word, "s+1=" + shape]
    if kw:
        as_prev.append("k-1=" + kw)
        as_next.append("k+1=" + kw)
    # Attributes are handed to crfsuite as UTF-8 bytes, so the binding does not re-encode
    # every attribute of every occurrence.
    result = (_utf8(f), _utf8(as_prev), _utf8(as_next), ["w-2=".encode() + word.encode()],
              ["w+2=".encode() + word.encode()], is_year, opens, closes, kw == "in", end, begin,
              closes_segment)
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[text] = result
    return result


def _lexicon() -> dict[str, tuple[list[str], str | None]]:
    # One lookup per token instead of one per word list: word -> (dictionary features, cue).
    lists = (("d=month", MONTHS), ("d=given", GIVEN_NAMES), ("d=pub", PUBLISHER_WORDS),
             ("d=place", PLACE_WORDS), ("d=journal", JOURNAL_WORDS), ("d=particle", PARTICLES),
             ("d=org", ORG_WORDS))
    words = set(KEYWORDS).union(*(ws for _, ws in lists))
    return {w: ([name for name, ws in lists if w in ws], KEYWORDS.get(w)) for w in words}


_LEXICON = _lexicon()


def _utf8(attrs: list[str]) -> list[bytes]:
    return [a.encode() for a in attrs]


_POS = _utf8(["pos=" + str(i) for i in range(10)])
_SEG = _utf8(["seg=" + str(i) for i in range(10)])
_SEGPOS = _utf8(["segpos=0", "segpos=1", "segpos=2", "segpos=3+"])
_FIRST, _LAST, _INQUOTE, _AFTERYEAR, _AFTERIN = _utf8(
    ["first", "last", "inquote", "afteryear", "afterin"])
_EDGES: dict[tuple[str, str], bytes] = {}


def _edge(key: tuple[str, str]) -> bytes:
    return _EDGES.get(key) or _EDGES.setdefault(key, ("e-1=" + key[0] + "|" + key[1]).encode())


def sequence_features(tokens: Sequence[Token]) -> list[list[bytes]]:
    """Feature lists (UTF-8 attribute names) for every token of one reference."""
    infos = [token_features(t.text) for t in tokens]
    n = len(infos)
    out: list[list[bytes]] = []
    append = out.append
    in_quote = seen_year = seen_in = False
    segment = 0
    seg_start = 0
    last = n - 1
    for i, info in enumerate(infos):
        pos = _POS[(10 * i) // n]
        k = i - seg_start
        segpos = _SEGPOS[k if k < 3 else 3]
        if 0 < i < last:
            prev = infos[i - 1]
            edge = _edge((prev[9], info[10]))
            f = [*info[0], pos, _SEG[segment], segpos, edge, *prev[1], *infos[i + 1][2]]
            if i > 1:
                f += infos[i - 2][3]
            if i < last - 1:
                f += infos[i + 2][4]
        else:
            f = [*info[0], pos, _SEG[segment], segpos]
            if i:
                prev = infos[i - 1]
                f.append(_edge((prev[9], info[10])))
                f += prev[1]
                if i > 1:
                    f += infos[i - 2][3]
                f.append(_LAST)
            else:
                f.append(_FIRST)
                if n == 1:
                    f.append(_LAST)
                else:
                    f += infos[1][2]
                    if n > 2:
                        f += infos[2][4]
        if info[6]:
            in_quote = True
        if in_quote:
            f.append(_INQUOTE)
        if info[7]:
            in_quote = False
        if seen_year:
            f.append(_AFTERYEAR)
        if seen_in:
            f.append(_AFTERIN)
        if info[5]:
            seen_year = True
        if info[8]:
            seen_in = True
        if info[11]:
            seg_start = i + 1
            if segment < 9:
                segment += 1
        append(f)
    return out
