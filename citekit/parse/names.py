"""Split a reference's author string into structured names.

Handles Chicago (``Chow, Jonathan T. and Leif-Eric Easley``), APA/Harvard
(``Moreno, C., Patel, D., & Dixon, C.``), Vancouver (``Smith J, Jones KL``), natural order
(``J. Smith and K. Jones``), ``et al.``, particles, suffixes and institutional names.

Hand-written: name-list grammars of reference styles are not covered by any maintained library
(``nameparser`` handles one person's name, not a list with style-dependent inversion).
"""

from __future__ import annotations

import re

from ..model import Name

__all__ = ["parse_names", "split_person", "ORG_WORDS", "looks_like_organisation"]

#: Words that mark an institutional (literal) author.
ORG_WORDS = frozenset("""
institute institution ministry department office agency bank council commission committee
organization organisation association society university college school center centre
foundation fund trust program programme project group government administration service
corporation company inc ltd llc press bureau board network forum union nations academy
laboratory library museum authority parliament congress senate court assembly federation
alliance coalition party league secretariat unit team consortium initiative observatory
survey agency-wide news times post herald daily
""".split())

_ET_AL = re.compile(r"[,;]?\s*(?:et\.?\s*al\.?|and\s+others|u\.\s*a\.)\s*$", re.IGNORECASE)
_CONJ = re.compile(r"\s*,?\s+(?:and|AND|And)\s+|\s*,?\s*&\s*")
_INITIALS = re.compile(r"^(?:[A-Z\u00C0-\u00DE]{1,3}|(?:[A-Z\u00C0-\u00DE][a-z]?\.[\s-]*){1,4})$")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"})
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le",
                        "la", "dos", "das", "ten", "ter", "zu", "bin", "ibn", "st.", "op"})


def looks_like_organisation(text: str) -> bool:
    """True when ``text`` reads as an institution rather than a person."""
    words = [w.strip(".,()").lower() for w in text.split()]
    if any(w in ORG_WORDS for w in words):
        return True
    return any(w in ("of", "for", "the", "on") for w in words[1:])


def _is_initials(part: str) -> bool:
    """``C.``, ``J. T.``, ``L.-E.``, ``JT`` — a given name written as initials."""
    p = part.strip()
    return bool(p) and len(p) <= 12 and bool(_INITIALS.match(p))


def split_person(text: str) -> Name:
    """Split one natural-order name (``Leif-Eric Easley``, ``J. Smith``, ``Smith JT``)."""
    words = text.split()
    if not words:
        return Name(literal=text)
    suffix = None
    if len(words) > 1 and words[-1].lower().rstrip(",") in _SUFFIXES:
        suffix = words.pop().rstrip(",")
    if len(words) == 1:
        return Name(family=words[0], suffix=suffix)
    # Vancouver: "Smith JT" — family first, initials last.
    if len(words) == 2 and words[1].isupper() and len(words[1]) <= 3 and not words[0].isupper():
        return Name(family=words[0], given=_dot_initials(words[1]), suffix=suffix)
    # Particles: lower-case words before the family name ("Ludwig van Beethoven").
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES and words[i - 1][0].islower():
        i -= 1
    given = " ".join(words[: i if i < len(words) - 1 else len(words) - 1])
    family_words = words[i if i < len(words) - 1 else len(words) - 1:]
    particle = None
    if len(family_words) > 1:
        particle = " ".join(family_words[:-1])
    return Name(family=family_words[-1], given=given or None,
                non_dropping_particle=particle, suffix=suffix)


def _dot_initials(letters: str) -> str:
    return " ".join(f"{ch}." for ch in letters)


def _inverted(family: str, given: str) -> Name:
    """``van Beethoven`` + ``Ludwig`` or ``Beethoven`` + ``Ludwig van``."""
    fam_words = family.split()
    particle = None
    if len(fam_words) > 1 and all(w[0].islower() for w in fam_words[:-1]):
        particle = " ".join(fam_words[:-1])
        family = fam_words[-1]
    giv_words = given.split()
    dropping = None
    if len(giv_words) > 1 and giv_words[-1] in _PARTICLES and giv_words[-1][0].islower():
        dropping = giv_words.pop()
    return Name(family=family, given=" ".join(giv_words) or None,
                non_dropping_particle=particle, dropping_particle=dropping)


def parse_names(text: str, natural: bool = False) -> tuple[list[Name], bool]:
    """Parse an author string into names; the flag says whether it ended with "et al.".

    ``natural`` says the list is in natural order (``edited by Min Lee``): a lone multi-word
    name is then a person, not an institution.
    """
    text = " ".join(text.split()).strip(" ,;:")
    if text.endswith(".") and not re.search(r"(?:(?:^|[\s.-])[A-Z\u00C0-\u00DE]|\b[JS]r)\.$", text):
        text = text[:-1].rstrip(" ,")
    et_al = False
    m = _ET_AL.search(text)
    if m:
        et_al = True
        text = text[: m.start()].strip(" ,;")
    if not text:
        return [], et_al
    if "," not in text and ";" not in text and looks_like_organisation(text):
        return [Name(literal=text)], et_al
    # Split into (separator, part) pairs; separator is "," or "and" (conjunction).
    pieces: list[tuple[str, str]] = []
    for ci, chunk in enumerate(_CONJ.split(text)):
        for pi, part in enumerate(re.split(r"\s*[;,]\s*", chunk)):
            part = part.strip()
            if part:
                sep = "start" if not pieces else ("and" if pi == 0 and ci > 0 else ",")
                pieces.append((sep, part))
    names: list[Name] = []
    i = 0
    while i < len(pieces):
        sep, part = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if nxt and nxt[1].lower().rstrip(".") in ("jr", "sr", "ii", "iii", "iv") and names:
            names[-1].suffix = nxt[1]
        if nxt is not None and nxt[0] == "," and (
            _is_initials(nxt[1])
            or (i == 0 and len(part.split()) <= 3 and not _is_initials(part)
                and not _natural_with_initials(part) and not _vancouver(part))
        ):
            names.append(_inverted(part, nxt[1].strip()))
            i += 2
            continue
        if i == 0 and len(pieces) == 1 and len(part.split()) > 1 and not _natural_with_initials(part) \
                and not _vancouver(part) and not (natural and not looks_like_organisation(part)):
            names.append(Name(literal=part))
        elif part.lower().rstrip(".") in ("jr", "sr", "ii", "iii", "iv") and names:
            names[-1].suffix = part
        else:
            names.append(split_person(part))
        i += 1
    return names, et_al


def _natural_with_initials(part: str) -> bool:
    """``J. Smith`` / ``J.T. Smith``: starts with initials, ends with a family name."""
    words = part.split()
    return len(words) >= 2 and all(_is_initials(w) and "." in w for w in words[:-1])


def _vancouver(part: str) -> bool:
    words = part.split()
    return len(words) == 2 and words[1].isupper() and len(words[1]) <= 3
