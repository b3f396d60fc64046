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


def _words_and_spans() -> list[str]:
    """Awkward short strings: every pair of a few letters, quotes, brackets and punctuation,
    with and without text around them."""
    alphabet = ["A", "a", "É", "×", "Þ", "ß", ".", ",", ";", ":", " ", "-", "\u2010", "“", "”",
                "\"", "'", "‘", "’", "«", "»", "„", "‹", "›", "(", ")", "[", "]", "\t"]
    out = []
    for a in alphabet:
        for b in alphabet:
            for c in ("", ".", "..", " al.", "x"):
                out += [a + b + c, a + "Title" + b + c, "J" + a + b + c, a + b + " K." + c]
    return out


def _clean_title_reference(text: str) -> str:
    """``fields._clean_title`` as it was before its early exit (the reference)."""
    text = " ".join(text.split())
    for _ in range(4):
        before = text
        text = text.strip(" ,;:")
        if text.endswith(".") and not text.endswith(("..", " al.")):
            text = text[:-1].rstrip()
        if text[:1] in fields._PAIRS:
            close = fields._PAIRS[text[0]]
            body = text[1:]
            if body.endswith(close) and (close in "’'" or close not in body[:-1]):
                text = body[:-1]
            elif close not in body:
                text = body
        elif text[-1:] in "”»\"" and not any(q in text[:-1] for q in "“«\""):
            text = text[:-1]
        if text == before:
            break
    return text


def test_clean_title_early_exit_changes_nothing() -> None:
    samples = _words_and_spans()
    samples += ["\u201cLearning to parse.\u201d,", "'Title',", "Title.", "Title..", "et al.",
                "«Titre»,", "„Titel“", "\"\"\"", "", " ", ".", "‘a’ b’", "Book: A, B; C."]
    samples += [q + s + r for q in ("", "“", "\"", "«") for s in samples[:400]
                for r in ("", "”", ".", ",\"")]
    for text in samples:
        assert fields._clean_title(text) == _clean_title_reference(text), repr(text)
