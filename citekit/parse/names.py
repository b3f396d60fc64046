"""Split a reference's author, editor or translator string into structured names.

One grammar for every caller (the structural author-date parser and the learned tagger's field
mapping). It handles Chicago (``Chow, Jonathan T. and Leif-Eric Easley``), APA/Harvard
(``Moreno, C., Patel, D., & Dixon, C.``), Vancouver (``Smith J, Jones KL``), natural order
(``J. Smith and K. Jones``), semicolon lists, conjunctions in several languages (and, &, und,
et, y, e), ``et al.``, role words (``eds.``, ``edited by``, ``Hrsg. von``) and lead-ins (``In``),
particles, suffixes, institutional names and repeated-author rules (``______``).

Hand-written: name-list grammars of reference styles are not covered by any maintained library
(``nameparser`` handles one person's name, not a list with style-dependent inversion).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Name

__all__ = ["split_acronym", "parse_names", "split_person", "looks_like_organisation",
           "ORG_WORDS", "PARTICLES", "SUFFIXES"]

#: Words that mark an institutional (literal) author (lower case). The tagger's features use
#: the same list (``citekit.parse.tagger.lexicon``).
ORG_WORDS = frozenset("""
institute institut institution ministry department office agency bank council commission
committee organization organisation association society university college school center centre
foundation fund trust program programme project group government administration service
corporation company inc ltd llc press bureau board network forum union nations academy
laboratory library museum authority parliament congress senate court assembly federation
alliance coalition party league secretariat unit team consortium initiative observatory
survey agency-wide news times post herald daily federal national world health
""".split())

#: Lower-case name particles ("van der Berg", "Ludwig van", "ibn Khaldun"). The tagger's
#: features use the same list.
PARTICLES = frozenset("""
van von der den de del della di da du le la dos das ten ter zu bin ibn st. op
""".split())

#: Generational suffixes, lower case, with and without the full stop.
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "jnr", "snr", "ii", "iii", "iv", "2nd", "3rd"})

_UPPER = "A-Z\u00C0-\u00DE"
_ET_AL = re.compile(r"[,;]?\s*(?:\bet\.?\s*al\b\.?|(?-i:et\s*al)\b[\s.]*$|\band\s+others\b"
                    r"|\bu\.\s*a\.|\bet\s+autres\b)", re.I)
# Cheap tests run before the patterns above (same flags, so a text the pattern matches always
# passes): a search that cannot start at a literal is slow, and most name lists hold none of
# these words. _ET_AL needs "et", "others" or "u."; _CONJ needs one of its words.
_ET_AL_HINT = re.compile(r"et|others|u\.", re.I).search
_LEAD_IN = re.compile(r"^(?:in|dans|im)\s*:?\s+", re.I)
_ROLE_PHRASE = re.compile(
    r"^(?:sous la (?:direction|dir\.?) de|edited by|ed\. by|eds?\.|hrsg\. von|hg\. von|"
    r"herausgegeben von|a cura di|translated by|trans\. by|trad\. par|übersetzt von)\s+", re.I)
# The characters that can open a match of _ROLE_PHRASE (case-insensitive, so also the long s;
# tests/test_tagger_fast_guards.py checks every character): other text skips the regex call.
_ROLE_PHRASE_FIRST = frozenset("aAeEhHsStT\u00dc\u00fc\u017f")
# Role words anywhere: whole words may stand bare; abbreviations need their full stop or a
# bracket, so that a given name such as "Ed" survives.
_ROLE = re.compile(
    r"\(?\b(?:editors?|(?:edited|translated|compiled|revised)\s+by|hrsg)\b\.?\)?,?"
    r"|\(?\b(?:eds?|éds?|hg|dirs?|coords?|trans|transl|tr|comps?)(?:\.\)?|\))(?=[\s,;.:]|$),?",
    re.I)
#: A list of names that ends with "(Ed.)" / "(Eds.)" / "(Hrsg.)" / "(dir.)": the names are
#: editors (APA's "Lee, S. (Ed.). (2015)."). Both parsers read it.
EDITED_HEAD = re.compile(r"\((?:eds?|hrsg|hg|éds?|dirs?|coords?)\.?\)[\s.,:]*$", re.I)
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;])")
_ROLE_WORD = re.compile(r"edit|transl|compiled|revised|hrsg", re.I)
# Every alternative of _ROLE holds one of these (a cheap test first, as for _ET_AL_HINT).
_ROLE_HINT = re.compile(r"ed|éd|hg|dir|coord|tr|comp|hrsg", re.I).search
# "and", "&", German "und", French "et", Spanish "y" and Portuguese/Italian "e" (the last two
# only in lower case between spaces, so that an initial "Y." or "E." survives).
_CONJ = re.compile(r"\s*(?:,\s*)?(?:\band\b|&|\bund\b|\bet\b|(?-i:(?<=\s)[ye](?=\s)))\s*", re.I)
_CONJ_HINT_SEARCH = re.compile(r"and|&|und|et|(?-i:\s[ye]\s)", re.I).search


def _conj_hint(text: str) -> bool:
    """Whether ``_CONJ`` may match ``text``: what ``_CONJ_HINT_SEARCH`` finds, by substring
    tests (several times faster) for printable ASCII text, whose only whitespace is spaces
    (``parse_names`` holds that after ``_strip_decorations``)."""
    if text.isascii() and text.isprintable():
        low = text.lower()
        return ("and" in low or "&" in text or "und" in low or "et" in low or " y " in text
                or " e " in text)
    return _CONJ_HINT_SEARCH(text) is not None
_INITIALS_DOTTED = re.compile(rf"(?:[{_UPPER}][a-z\u00DF-\u00FF]?\.[\s\-\u2010]*"
                              rf"|[{_UPPER}](?![\w.])[\s\-\u2010]*)+")
_FINAL_INITIAL = re.compile(rf"(?:^|[\s.\-\u2010])[{_UPPER}]\.$")
_RULE = "_-\u2013\u2014\u2010 ."
_EDGE = " \t,;:.([{)]}"


def looks_like_organisation(text: str) -> bool:
    """True when ``text`` reads as an institution rather than a person."""
    # (Lower-casing first gives the same words: no edge character or space is cased.)
    words = [w.strip(_EDGE) for w in text.lower().split()]
    return not ORG_WORDS.isdisjoint(words) or not _LINK_WORDS.isdisjoint(words[1:])


_LINK_WORDS = frozenset(("of", "for", "the", "on"))


# Only inverted names on both sides of every slash ("Arbeitskreis Umwelt/Energie, Berlin" and
# "SPD/CDU-Fraktion" are single names).
_SLASHED_INVERTED = re.compile(
    r"^\s*[^\W\d_][^,/]*,\s*[^\W\d_][^,/]*(?:\s*/\s*[^\W\d_][^,/]*,\s*[^\W\d_][^,/]*)+\s*$").match
_SLASH = re.compile(r"(?<=[^\W\d_])(\.?)\s*/\s*(?=[^\W\d_])").sub


# An acronym: two to twelve letters, digits and "&.-", two or more of them capitals ("SIA",
# "BMWi", "DoD", "R&D"; not "Jack").
_ACRONYM = r"(?=(?:[^()\s]*?[A-Z]){2})[A-Z][A-Za-z0-9&.\-]{0,10}[A-Za-z0-9]"
_ACRONYM_AFTER = re.compile(r"(?P<name>[^();]+?)\s*\(\s*(?P<short>" + _ACRONYM + r")\s*\)").fullmatch
_ACRONYM_BEFORE = re.compile(r"(?P<short>" + _ACRONYM + r")\s*\(\s*(?P<name>[^()]+?)\s*\)").fullmatch


def split_acronym(name: str) -> tuple[str, str] | None:
    """An organisation's name and the acronym it gives in brackets, either way round:
    "Semiconductor Industry Association (SIA)" and "OECD (Organisation for …)" →
    ``(name, acronym)``; None when it gives none."""
    text = name.strip()
    if not text.endswith(")"):
        return None
    m = _ACRONYM_AFTER(text) or _ACRONYM_BEFORE(text)
    return (m.group("name"), m.group("short")) if m else None


# A person among the names: initials after a comma ("Smith, J.,"), an ampersand, initials
# after "and" ("and K. Lee").
_PERSON_SHAPED = re.compile(r",\s*(?:[A-Z]\.[\s-]?)+(?:[,;&]|\s|$)|&|\band\s+(?:[A-Z]\.\s?)+[A-Z]").search


def parse_names(text: str, natural: bool = False) -> tuple[list[Name], bool]:
    """Parse a name list into names; the flag says whether it ended with "et al.".

    ``natural`` says personal names may stand in natural order without a comma (an editor list
    after "edited by", an author span the tagger found in any style). Without it the text is the
    head of an author-date reference, whose first name is inverted ("Family, Given"), so a lone
    multi-word name with no comma ("Korea Times", "Asan Institute") is an institution, and a
    first name of up to three words before a comma is a family name ("Garcia Marquez, Gabriel").
    """
    text, et_al = _strip_decorations(text)
    if not text:
        return [], et_al
    if "/" in text and _SLASHED_INVERTED(text):
        text = _SLASH(r"\1;", text)  # German lists: "Schmidt, Anna/Weber, Karl"
    if text.strip(_RULE) == "":
        return [Name(literal=text)], et_al  # a rule standing for "same authors as above"
    if text.endswith(")") and _ACRONYM_AFTER(text) and not _PERSON_SHAPED(text):
        # "Ministry of Trade, Industry and Energy (MOTIE)", "Deutsche Forschungsgemeinschaft
        # (DFG)": the commas and "and"s are the body's own.
        return [Name(literal=text)], et_al
    if "," not in text and ";" not in text:
        if _is_institution(text):
            return [Name(literal=text.rstrip(" .,"))], et_al
        if not natural and len(text.split()) > 1 \
                and not (_conj_hint(text) and len(_CONJ.split(text)) > 1) \
                and not _natural_with_initials(text) and not _family_then_initials(text.split()):
            return [Name(literal=text)], et_al
    names: list[Name] = []
    for piece in text.split(";"):
        if "," not in piece and _is_institution(piece):
            names.append(Name(literal=piece.strip(" .")))
            continue
        chunks = [c for c in (_CONJ.split(piece) if _conj_hint(piece) else [piece])
                  if c.strip(_EDGE)]
        # In an author-date head (not natural) a lone first word is a family name ("Smith and
        # John Jones"), so a shared family name is only looked for after the first chunk there.
        shared = _shared_family(chunks) if "," not in piece and (
            natural or len(chunks) > 2) else None
        for ci, chunk in enumerate(chunks):
            if shared and ci == len(chunks) - 2:
                names.append(Name(family=shared, given=chunk.strip(_EDGE)))  # "Willa and Edwin Muir"
                continue
            parts = [p.strip() for p in chunk.split(",") if p.strip(_EDGE)]
            names.extend(_from_parts(parts, first=ci == 0 and not natural))
    return [n for n in names if n.family or n.literal or n.given], et_al


def _shared_family(chunks: list[str]) -> str | None:
    """The family name two given names share ("Willa and Edwin Muir" → ``Muir``), else None.

    Only for a one-word given name joined to a last name of two plain capitalised words, with
    no comma in the list; "Plato and Aristotle" or "J. and K. Smith" are left alone.
    """
    if len(chunks) < 2:
        return None
    given, last = chunks[-2].strip(_EDGE).split(), chunks[-1].strip(_EDGE).split()
    if len(given) != 1 or len(last) != 2:
        return None
    words = given + last
    if any(not w.isalpha() or not w[0].isupper() or not w[1:].islower() for w in words):
        return None  # initials, acronyms, abbreviations and particles are other shapes
    return last[1]


def _is_institution(text: str) -> bool:
    """An organisation word, unless the text is initials and a family name ("W. H. Press")."""
    return looks_like_organisation(text) and not _natural_with_initials(text)


def split_person(text: str) -> Name:
    """Split one name written without a comma (``Leif-Eric Easley``, ``J. Smith``, ``Smith JT``)."""
    words = text.split()
    return _split_words(text, words, _family_then_initials(words))


def _split_words(text: str, words: list[str], k: int) -> Name:
    """:func:`split_person` given ``text.split()`` (changed in place) and what
    :func:`_family_then_initials` gives for it (worked out once by callers that need both)."""
    suffix = None
    last = words[-1].rstrip(",") if words else ""
    # "Prange AJ Jr", "GARBISCH JR"; but "Wright JR", "Le Gall JR", "Wistuba II" in Vancouver
    # are initials.
    if len(words) > 1 and _is_suffix(last) and not (
            last.rstrip(".") in ("JR", "SR", "II") and not words[0].isupper()
            and not _is_initials(words[-2])):
        suffix = words.pop().rstrip(",")
        k = _family_then_initials(words)
    if not words:
        return Name(literal=text) if text.strip() else Name()
    if len(words) == 1:
        word = words[0].strip(" ,")
        return Name(family=word if _is_initials(word) else word.rstrip("."), suffix=suffix)
    if k:  # Vancouver "Smith JA", "Heidegger M.": family first, initials after
        return Name(family=" ".join(words[:k]), given=_given_initials(words[k:]), suffix=suffix)
    # Particles before the family name: lower-case ones are the CSL particle ("Ludwig van
    # Beethoven"), capitalised ones belong to the family name ("G. La Paglia", "Charles De Gaulle").
    start = len(words) - 1
    caps = words[-1].isupper()
    while start > 1 and words[start - 1].lower() in PARTICLES and (
            words[start - 1] in (words[start - 1].lower(), words[start - 1].capitalize())
            or (caps and words[start - 1].isupper())):
        start -= 1
    lower = start
    while lower < len(words) - 1 and words[lower] in PARTICLES:
        lower += 1
    family = " ".join(words[lower:]).rstrip(" ,")
    return Name(family=family, given=" ".join(words[:start]) or None,
                non_dropping_particle=" ".join(words[start:lower]) or None, suffix=suffix)


def _strip_decorations(text: str) -> tuple[str, bool]:
    """Drop "et al." (and what follows it), lead-ins, role words and the closing full stop."""
    et_al = False
    et_al_hint, role_hint = _decoration_hints(text)
    m = _ET_AL.search(text) if et_al_hint else None
    if m:
        et_al = True
        text = text[: m.start()]
    text = text.strip()
    if text[:2].lower() in ("in", "da", "im"):
        text = _LEAD_IN.sub("", text)
    if text[:1] in _ROLE_PHRASE_FIRST:
        text = _ROLE_PHRASE.sub("", text)
    if role_hint and ("." in text or ")" in text or _ROLE_WORD.search(text)) and _ROLE_HINT(text):
        text = _ROLE.sub(" ", text)
        text = _SPACE_BEFORE_STOP.sub(r"\1", text)  # "Lee, S. (Ed.)." left "Lee, S.  ."
    text = " ".join(text.split()).strip(" ,;:")
    if text.endswith(".."):
        text = text.rstrip(".") + "."
    words = text.split()
    last = words[-1] if words else ""
    # The full stop closing the field, not an initial's: keep it after "Heidegger M.",
    # "Saiki Rk.", "Jr."; drop it after "Smith", "I. Yu" and Vancouver "Lobry JR".
    if last.endswith(".") and not (
            _FINAL_INITIAL.search(last) or (_is_initials(last) and len(words) > 1
                                            and not _is_initials(words[-2])
                                            and not _short_family(words))
            or (_is_suffix(last) and not last.isupper())):
        text = text[:-1].rstrip(" ,")
    return text, et_al


def _decoration_hints(text: str) -> tuple[bool, bool]:
    """Whether ``_ET_AL`` may match ``text``, and whether the role words' test may pass on
    what is left of it (a substring: so the test on the whole text is a safe filter).

    For ASCII text (nine in ten name lists) substring tests on the lower-cased text give what
    ``_ET_AL_HINT`` and the role test give, several times faster than those case-insensitive
    searches (which have no literal to skip ahead by); other text takes ``_ET_AL_HINT`` and
    leaves the role test to its caller.
    """
    if not text.isascii():
        return _ET_AL_HINT(text) is not None, True
    low = text.lower()
    return ("et" in low or "others" in low or "u." in low), (
        ("." in text or ")" in text or "edit" in low or "transl" in low or "compiled" in low
         or "revised" in low or "hrsg" in low)
        and ("ed" in low or "hg" in low or "dir" in low or "tr" in low or "comp" in low
             or "coord" in low or "hrsg" in low))


@lru_cache(maxsize=4096)  # a C-level cache hit is cheaper than the call; most words recur
def _is_suffix(word: str) -> bool:
    """``Jr.``, ``Sr``, ``III``."""
    return word.lower().rstrip(".") in SUFFIXES


@lru_cache(maxsize=4096)  # called for every word of every name; the same words recur
def _is_initials(part: str) -> bool:
    """``C.``, ``J. T.``, ``L.-E.``, ``Ch.``, or two or three capitals without dots (``JT``)."""
    p = part.strip()
    # A lower-case letter first, or second but with no full stop after it ("Smith", "van"):
    # no initials (neither the pattern nor the capitals below can match), found without them.
    if not p or len(p) > 12 or p[0].islower() or (p[1:2].islower() and p[2:3] != ".") \
            or (_is_suffix(p) and p not in ("JR", "SR", "II")):
        return False
    if _INITIALS_DOTTED.fullmatch(p):
        return True
    return 1 < len(p) <= 3 and p.isupper() and p.isalpha()


def _natural_with_initials(part: str) -> bool:
    """``J. Smith`` / ``J.T. Smith``: starts with dotted initials, ends with a family name."""
    return _natural_words(part.split())


def _natural_words(words: list[str]) -> bool:
    """:func:`_natural_with_initials` given the words."""
    if len(words) < 2:
        return False
    for w in words[:-1]:  # a loop: cheaper than all() over a generator for 1–3 words
        if "." not in w or not _is_initials(w):
            return False
    return not _INITIALS_DOTTED.fullmatch(words[-1]) and words[-1][0].isupper()


# Two letters written as one initial: Ch(arles), Th(omas), Ph(ilippe), Yu(ri), Gy(örgy)…
# Any other "Xy." closing a name is a short family name ending the author part ("Seung-yoon
# Oh.", "Wei Li."), not an initial.
_DIGRAPH_INITIALS = frozenset(
    "ch ph th sh zh kh ts yu ya ye yo ju ja jo st wm gy sz cs zs ny ty dj lj nj fr ed".split())


def _short_family(words: list[str]) -> bool:
    """Whether the last of two or more words is a two-letter family name with the author part's
    full stop ("Seung-yoon Oh.", "Wei Li."): a vowel in it, no two-letter initial, and a given
    name of three letters or more before it ("Saiki Rk." and "Dupont Ch." keep initials)."""
    last = words[-1]
    return (len(last) == 3 and last[2] == "." and last[1].islower()
            and last[:2].lower() not in _DIGRAPH_INITIALS
            and any(c in "aeiouy" for c in last[:2].lower())
            and len(words[-2]) >= 3 and not _is_initials(words[-2]))


def _family_then_initials(words: list[str]) -> int:
    """Where the initials start in ``Smith JA`` / ``van der Berg J. A.`` (0 when not that shape)."""
    if len(words) < 2 or not _is_initials(words[-1]) or _is_initials(words[0]):
        return 0
    if _short_family(words):
        return 0
    k = len(words) - 1
    while k > 1 and _is_initials(words[k - 1]):
        k -= 1
    return k


def _given_initials(words: list[str]) -> str:
    """Initials as written, with undotted Vancouver capitals dotted: ``JA`` → ``J. A.``."""
    return _dotted_initials(tuple(words))


@lru_cache(maxsize=4096)  # the same few initials ("JA", "M.") recur in every list
def _dotted_initials(words: tuple[str, ...]) -> str:
    """:func:`_given_initials` of a tuple of words."""
    out = []
    for w in words:
        if "." not in w and w.isupper() and w.isalpha():
            out.extend(f"{ch}." for ch in w)
        else:
            out.append(w)
    return " ".join(out)


def _from_parts(parts: list[str], first: bool) -> list[Name]:
    """Names from the comma-separated parts of one chunk (between conjunctions/semicolons)."""
    out: list[Name] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if nxt is not None and _is_suffix(nxt.strip()):
            after = parts[i + 2] if i + 2 < len(parts) else None
            if after is not None and len(part.split()) == 1 and _is_initials(after):
                name = _inverted(part, after)  # "Guerney, Jr., B. G."
                i += 1
            else:
                name = split_person(part)
            name.suffix = nxt.strip()
            out.append(name)
            i += 2
            continue
        words = part.split()
        k = _family_then_initials(words)
        if nxt is not None and _inverted_pair(part, nxt, first and i == 0,
                                              alone=len(parts) == 2, words=words, k=k):
            name = _inverted(part, nxt)
            i += 2
            if i < len(parts) and _is_suffix(parts[i].strip()):
                name.suffix = parts[i].strip()
                i += 1
            out.append(name)
            continue
        name = _split_words(part, words, k)
        out.append(name)
        i += 1
        if nxt is not None and name.given and _is_initials(nxt) \
                and _letters(nxt) == _letters(name.given):
            i += 1  # "R. Shinghal, R.": the initials written again after the name
    return out


def _letters(text: str) -> str:
    """The capitals of some initials, ``J. A.`` → ``JA``."""
    return "".join(c for c in text if c.isupper())


def _inverted_pair(part: str, nxt: str, first: bool, alone: bool, words: list[str],
                   k: int) -> bool:
    """True when ``part, nxt`` is one inverted name ("Family, Given"); ``alone`` says the two
    are the whole chunk (no other comma before the next "and" or semicolon); ``words`` and
    ``k`` are ``part.split()`` and what :func:`_family_then_initials` gives for them."""
    if k or _natural_words(words):
        return False
    if _is_initials(nxt) and len(words) <= 3:
        return True
    if first and len(words) <= 3 and not _is_initials(part):
        return True  # author-date: the first name is inverted
    if alone and 2 <= len(words) <= 3 and _one_given(nxt) and all(
            w[0].isupper() or w.lower() in PARTICLES for w in words):
        return True  # "Le Roy Ladurie, Emmanuel", "Garcia Marquez, Gabriel"
    if len(words) > 1 and not all(w.lower() in PARTICLES for w in words[:-1]):
        return False  # a family part is one word, or particles and one word ("van der Berg")
    gwords = nxt.split()
    return 0 < len(gwords) <= 3 and all(w[0].isupper() or w in PARTICLES for w in gwords)


def _one_given(text: str) -> bool:
    """One capitalised given name, perhaps hyphenated ("Emmanuel", "Jean-Paul")."""
    word = text.strip(" .,")
    return " " not in word and word[:1].isupper() and word[1:2].islower() and \
        word.replace("-", "").isalpha()


def _inverted(family: str, given: str) -> Name:
    """``van Beethoven`` + ``Ludwig`` or ``Beethoven`` + ``Ludwig van`` (``Blyth Jr.`` + ``C.``)."""
    fwords = family.split()
    suffix = None
    if len(fwords) > 1 and _is_suffix(fwords[-1]):
        suffix = fwords.pop()
        family = " ".join(fwords)
    particle = None
    if len(fwords) > 1 and all(w in PARTICLES for w in fwords[:-1]):
        particle = " ".join(fwords[:-1])
        family = fwords[-1]
    gwords = given.split()
    if len(gwords) > 1 and suffix is None and _is_suffix(gwords[-1]):
        suffix = gwords.pop()  # "Smith, J. Jr."
    tail: list[str] = []
    while len(gwords) > 1 and gwords[-1] in PARTICLES:
        tail.insert(0, gwords.pop())
    return Name(family=family.strip(" ,") or None, given=" ".join(gwords).strip(" ,") or None,
                non_dropping_particle=particle, dropping_particle=" ".join(tail) or None,
                suffix=suffix)
