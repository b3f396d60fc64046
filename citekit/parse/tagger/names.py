"""Split a tagged author/editor span into structured names."""

from __future__ import annotations

import re

from ...model import Name
from .lexicon import ORG_WORDS, PARTICLES

__all__ = ["split_names"]

_ET_AL = re.compile(r"[,;]?\s*(?:et\s*al\b\.?|and\s+others\b|u\.\s*a\.|et\s+autres)", re.I)
_ROLE_PHRASE = re.compile(
    r"^(?:sous la (?:direction|dir\.?) de|edited by|ed\. by|eds?\.|hrsg\. von|hg\. von|"
    r"herausgegeben von|a cura di|translated by|trans\. by|trad\. par|übersetzt von)\s+", re.I)
# Role words: whole words may stand bare; abbreviations need their full stop or a bracket, so
# that a given name such as "Ed" survives.
_ROLE = re.compile(
    r"\(?\b(?:editors?|edited\s+by|translated\s+by|compiled\s+by|hrsg)\b\.?\)?,?"
    r"|\(?\b(?:eds?|éds?|hg|dirs?|coords?|trans|transl|tr|comps?)(?:\.\)?|\))(?=[\s,;]|$),?",
    re.I)
_LEAD_IN = re.compile(r"^(?:in|dans|im)\s*:?\s+", re.I)
_CONJ = re.compile(r"\s*(?:,\s*)?(?:\band\b|&|\bund\b|\bet\b|(?-i:(?<=\s)[ye](?=\s)))\s*", re.I)
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "jnr", "snr"}
_EDGE = " \t,;:.([{)]}"


def split_names(text: str) -> tuple[list[Name], bool]:
    """Return the names in an author/editor span and whether it ended in "et al."."""
    et_al = False
    m = _ET_AL.search(text)
    if m:
        et_al = True
        text = text[: m.start()]
    text = _LEAD_IN.sub("", text.strip())
    text = _ROLE_PHRASE.sub("", text)
    text = _ROLE.sub(" ", text)
    text = " ".join(text.split()).strip(" ,;:")
    last = text.split()[-1] if text else ""
    if last.endswith(".") and not _is_initials(last) and last[:-1].lower() not in _SUFFIXES:
        text = text[:-1]  # the full stop closing the field, not an initial's
    if not text:
        return [], et_al
    if text.strip("_-–—‐ .") == "":
        return [Name(literal=text)], et_al  # a rule standing for "same authors as above"
    if text.rstrip(".") and _looks_like_org(text):
        return [Name(literal=text.rstrip(" .,"))], et_al
    names: list[Name] = []
    if ";" in text:
        for piece in text.split(";"):
            piece = _CONJ.sub(" ", piece, count=0) if _starts_with_conj(piece) else piece
            names.extend(_from_parts([p.strip() for p in piece.split(",")]))
    else:
        for piece in _CONJ.split(text):
            names.extend(_from_parts([p.strip() for p in piece.split(",")]))
    return [n for n in names if n.family or n.literal or n.given], et_al


def _starts_with_conj(piece: str) -> bool:
    return bool(re.match(r"\s*(?:and|&|und|et)\s", piece, re.I))


def _looks_like_org(text: str) -> bool:
    if "," in text:
        return False
    words = [w.strip(_EDGE).lower() for w in text.split()]
    return any(w in ORG_WORDS for w in words)


_INITIALS_ONLY = re.compile(
    r"(?:[A-ZÀ-Þ][a-zà-ÿ]?\.[\s\-‐]*|[A-ZÀ-Þ](?![\w.])[\s\-‐]*)+")


def _is_initials(part: str) -> bool:
    if _INITIALS_ONLY.fullmatch(part):
        return True
    # "JA" in Vancouver style: two or three capitals with no dots.
    return 1 < len(part) <= 3 and part.isupper() and part.isalpha()


def _from_parts(parts: list[str]) -> list[Name]:
    parts = [p.strip() for p in parts if p.strip(_EDGE)]
    out: list[Name] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if nxt is not None and nxt.strip(" .").lower() in _SUFFIXES:
            name = _direct(part) if len(part.split()) > 1 else Name(family=part)
            name.suffix = nxt.strip()
            out.append(name)
            i += 2
            continue
        words = part.split()
        if nxt is not None and _is_family_part(words) and _is_given_part(nxt):
            name = _inverted(part, nxt)
            i += 2
            if i < len(parts) and parts[i].strip(" .").lower() in _SUFFIXES:
                name.suffix = parts[i].strip()
                i += 1
            out.append(name)
            continue
        out.append(_direct(part))
        i += 1
    return out


def _is_family_part(words: list[str]) -> bool:
    # One word ("Smith", "Leif-Eric"), or particles and one word ("van der Berg").
    if len(words) == 1:
        return True
    return all(w.lower() in PARTICLES for w in words[:-1])


def _is_given_part(part: str) -> bool:
    words = part.split()
    if not words or len(words) > 3:
        return False
    if _is_initials(part):
        return True
    # Given names: capitalised words, possibly ending in a particle ("Ludwig van").
    return all(w[0].isupper() or w.lower() in PARTICLES for w in words)


def _inverted(family: str, given: str) -> Name:
    name = Name()
    fwords = family.split()
    lead = [w for w in fwords[:-1] if w.lower() in PARTICLES]
    if lead and len(lead) == len(fwords) - 1:
        name.non_dropping_particle = " ".join(lead)
        name.family = fwords[-1]
    else:
        name.family = family
    gwords = given.split()
    tail: list[str] = []
    while len(gwords) > 1 and gwords[-1].lower() in PARTICLES and gwords[-1][0].islower():
        tail.insert(0, gwords.pop())
    if tail:
        name.dropping_particle = " ".join(tail)
    name.given = " ".join(gwords).strip(" ,") or None
    name.family = (name.family or "").strip(" ,") or None
    return name


def _direct(part: str) -> Name:
    words = part.split()
    if not words:
        return Name()
    if len(words) == 1:
        return Name(family=words[0].strip(" ,."))
    # "Heidegger M." / "Smith JA": family first, initials after.
    if _is_initials(words[-1]) and not _is_initials(words[0]):
        k = len(words) - 1
        while k > 1 and _is_initials(words[k - 1]):
            k -= 1
        return Name(family=" ".join(words[:k]), given=" ".join(words[k:]))
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in PARTICLES:
        family_start -= 1
    particle = words[family_start:-1]
    given = " ".join(words[:family_start])
    return Name(family=words[-1].rstrip(" ,"), given=given or None,
                non_dropping_particle=" ".join(particle) or None)
