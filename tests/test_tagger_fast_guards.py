"""Cheap first-character tests before regex calls (speed) skip only text the regex leaves alone."""

from __future__ import annotations

import re

import pytest

from citekit.parse import names
from citekit.parse.tagger import fields

# The characters to try: ASCII and every character with a case mapping. (A case-insensitive
# pattern's letter matches a character other than itself only through a case mapping, so a
# character without one matches only its own literal, and the patterns' literals are ASCII
# letters, "ü" and punctuation.)
_CHARS = [ch for ch in map(chr, range(0x30000)) if (ch.isascii() and ch != "\n") or (
    not 0xD800 <= ord(ch) < 0xE000 and (ch.lower() != ch or ch.upper() != ch
                                        or ch.casefold() != ch))]


def _openers(pattern: re.Pattern, rests: list[str]) -> set[str]:
    """The characters ``c`` for which ``pattern`` matches ``c + rest + " 12"`` for some rest
    (one pass per rest: the pattern, anchored at each line's start, over every character)."""
    lines = re.compile(pattern.pattern, pattern.flags | re.M)
    found: set[str] = set()
    for rest in rests:
        text = "".join(c + rest + " 12\n" for c in _CHARS)
        found |= {m.group(0)[0] for m in lines.finditer(text) if m.group(0)}
    return found


@pytest.mark.parametrize("pattern, first, rests", [
    (fields._PAGE_PREFIX, fields._PAGE_PREFIX_FIRST, ["", "p", ".", "age", "ages", "g", "gs"]),
    (fields._LEAD_IN, fields._LEAD_IN_FIRST, ["n", "n:", "ans", "m"]),
    (names._ROLE_PHRASE, names._ROLE_PHRASE_FIRST,
     ["ous la direction de", "ous la dir. de", "dited by", "d. by", "ds.", "d.", "rsg. von",
      "g. von", "erausgegeben von", " cura di", "ranslated by", "rans. by", "rad. par",
      "bersetzt von"]),
])
def test_first_character_guards_cover_every_match(pattern: re.Pattern, first: frozenset,
                                                  rests: list[str]) -> None:
    openers = _openers(pattern, rests)
    assert openers, "the rests must complete some matches"
    assert openers <= first, sorted(openers - first)
    # and the guard lets through the plain letters that open the alternatives
    assert {c for c in first if c.isascii()} <= openers


def test_heft_pages_open_with_h_or_n() -> None:
    """``_HEFT_PAGES`` is case-sensitive: only "H…" or "N…" can match."""
    assert fields._HEFT_PAGES("H. 2, S. 123–140")
    assert fields._HEFT_PAGES("Nr. 2, pp. 3-4")
    assert not fields._HEFT_PAGES("h. 2, S. 123–140")
