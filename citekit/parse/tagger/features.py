"""Per-token features for the CRF: what a token looks like, what surrounds it, where it is.

The templates follow the usual recipe for reference taggers (as in AnyStyle's wapiti patterns):
the token's own identity, affixes, shape and punctuation; the same for its neighbours two
either side; explicit conjunctions of neighbouring words and word classes (crfsuite only has
observation features, so pairs must be spelled out); state gathered by scanning the string
both ways (inside quotes or brackets, years seen, a year still to come, after "In", after a
colon, commas in the current "sentence"); and what the token's "sentence" (full-stop delimited)
and chunk (comma delimited) hold, how they start and how many follow, and the same for the
neighbouring sentences and chunks.
"""

from __future__ import annotations

import functools
import operator
import re
import warnings
from itertools import chain, compress
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .gazetteer import Gazetteer, default_gazetteer
from .lexicon import PUNCT as _PUNCT
from .lexicon import (GIVEN_NAMES, JOURNAL_WORDS, KEYWORDS, MONTHS, ORG_WORDS, PARTICLES,
                      PLACE_WORDS, PUBLISHER_WORDS)
from .tokens import Token

if TYPE_CHECKING:
    from .tokenrows import TokenRows

__all__ = ["sequence_features", "token_features"]

_QUOTES = "\"'“”‘’«»„‹›"
_YEAR = re.compile(r"^(1[5-9]\d\d|20[0-4]\d)[a-z]?$")
_RANGE = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?[-–—‐‑]+[A-Za-z]?\d+[A-Za-z]?$")
_YEAR_RANGE = re.compile(r"^(1[5-9]\d\d|20[0-4]\d)[-–—/](\d\d|\d\d\d\d)$")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$",
                    re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|e|er|ème|re|te|º|°)$", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{3,9}/")
_ISBN = re.compile(r"^(97[89][-\d]{10,14}|\d[-\d]{8,11}[\dXx])$")
_VOL_ISSUE = re.compile(r"^\d+\(\d+[-–/]?\d*\)")
_NUMBER_LEAD = re.compile(r"^[\[(]?\d{1,4}[\].):]?$")
_ARXIV = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")

# Token features depend only on the token's text, so they are computed once per distinct text;
# the cache is cleared when it grows past this many entries, which keeps memory bounded.
_CACHE_MAX = 200_000
_cache: dict[str, tuple] = {}
# Word clusters (clusters.py; issue 6's ninth round, off unless a model comes with them):
# word -> (coarse id, fine id). Set by set_clusters, which empties the token caches.
_CLUSTERS: dict[str, tuple[int, ...]] = {}


def set_clusters(clusters: dict[str, tuple[int, ...]] | None) -> None:
    """Give the token features these word clusters (None: none) and forget cached tokens."""
    global _CLUSTERS
    _CLUSTERS = dict(clusters or {})
    _cache.clear()
    _PAIRS.clear()
    _PROP_CACHE.clear()


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
# The same classes as a bytes.translate table, for ASCII text encoded (the fast token path
# keys its cache of shapes by a head translated so: bytes.translate costs a third of
# str.translate with a dict).
_ASCII_SHAPE_BYTES = bytes(ord(_ASCII_SHAPE.get(code, chr(code))) for code in range(128)) + \
    bytes(range(128, 256))


class _ShapeTable(dict):
    """A ``str.translate`` table giving any character its shape class (what :func:`_shape`'s
    generator gives for text that is not ASCII): each character is classed once, on first
    sight, then looked up in C, much cheaper than the generator for a non-ASCII token text
    (about one in thirteen new token texts). ASCII is filled in up front, the same
    classes as :data:`_ASCII_SHAPE` (for ASCII, letters are exactly the upper- and lower-case
    characters); at most :data:`_SHAPE_TABLE_MAX` characters are kept."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        cls = "X" if ch.isupper() else "x" if ch.isalpha() else "9" if ch.isdigit() else ch
        if len(self) < _SHAPE_TABLE_MAX:
            self[code] = cls
        return cls


_SHAPE_TABLE_MAX = 20_000
_SHAPE_TABLE = _ShapeTable({code: _ASCII_SHAPE.get(code, chr(code)) for code in range(128)})
_ROMAN_CHARS = frozenset("ivxlcdm")
_HAS_DIGIT = re.compile(r"\d").search
_DIGITS = re.compile(r"\d").findall


def _shape(text: str) -> str:
    """Word shape: X for capitals, x for small letters, 9 for digits, runs collapsed."""
    text = text[:12]
    text = text.translate(_ASCII_SHAPE if text.isascii() else _SHAPE_TABLE)
    out = text[0] if text else ""
    for ch in text[1:]:
        if ch != out[-1]:
            out += ch
    return out


def _capitals(core: str) -> str:
    """How a token's letters are capitalised: all, one, mixed, init, low, or its first
    character's class. Shared by both token paths (``TokenRows.record`` calls it too)."""
    if core.isupper():
        return "all" if len(core) > 1 else "one"
    if core[0].isupper():
        rest = core[1:]
        if rest.isascii():  # a capital after the first letter: cheaper test for ASCII
            return "mixed" if rest != rest.lower() else "init"
        return "mixed" if any(c.isupper() for c in rest) else "init"
    if core[0].islower():
        return "low"
    return _char_class(core[0])


def _char_class(ch: str) -> str:
    if ch.isupper():
        return "C"
    if ch.isalpha():
        return "l"
    if ch.isdigit():
        return "d"
    return ch


def token_features(text: str) -> tuple:
    """Features of one token text, plus what its neighbours' features need to know of it."""
    hit = _cache.get(text)
    if hit is not None:
        return hit
    result = _token_features(text)
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[text] = result
    return result


def _token_features(text: str) -> tuple:
    """:func:`token_features` without the cache."""
    core = text.strip(_PUNCT)
    low = core.lower()
    shape = _shape(text)
    word = low or text[:20]
    f = ["w=" + word, "s=" + shape]
    n = len(low)
    if n > 2:
        f.append("p2=" + low[:2])
        f.append("x2=" + low[-2:])
    if n > 3:
        f.append("p3=" + low[:3])
        f.append("x3=" + low[-3:])
    if n > 4:
        f.append("p4=" + low[:4])
        f.append("x4=" + low[-4:])
    first, last = text[0], text[-1]
    if first in _PUNCT:
        f.append("lead=" + first)
    if last in _PUNCT:
        f.append("trail=" + last)
        if len(text) > 1 and text[-2] in _PUNCT:
            f.append("trail2=" + text[-2:])
    cap = _capitals(core) if core else ""
    if core:
        f.append("cap=" + cap)
    digits = len(_DIGITS(core)) if _HAS_DIGIT(core) else 0
    is_year = False
    flags = []
    if digits:
        f.append("nd=" + (str(digits) if digits < 5 else "5+"))
        if core.isdigit():
            f.append("num")
        elif digits < len(core) and any(c.isalpha() for c in core):
            f.append("alnum")
        if _YEAR.match(core):
            is_year = True
            flags.append("year")
            if first in "([":
                f.append("year(")
        elif _YEAR_RANGE.match(core):
            f.append("yearrange")
        if _RANGE.match(core):
            flags.append("range")
        if _ORDINAL.match(core):
            f.append("ordinal")
        if _ISBN.match(core):
            f.append("isbn")
        if _VOL_ISSUE.match(core):
            f.append("volissue")
        if _ARXIV.match(core):
            f.append("arxivnum")
    elif core and len(core) < 8 and _ROMAN_CHARS.issuperset(low) and _ROMAN.match(core):
        f.append("roman")
    if "http" in text or text.startswith("www.") or "://" in text:
        flags.append("url")
    if "10." in text and _DOI.search(text):
        flags.append("doi")
    if "@" in text:
        f.append("email")
    if "-" in core or "–" in core:
        f.append("hyph")
    if "." in core:
        f.append("innerdot")
    if len(core) == 1 and core.isalpha() and last == ".":
        flags.append("initial")
    if text.startswith("__") or text.startswith("——") or text.startswith("--"):
        f.append("dashrule")
    f += flags
    cluster = _CLUSTERS.get(word) if _CLUSTERS else None
    if cluster is not None:
        f += [f"c{i}={c}" for i, c in enumerate(cluster, 1)]
    entry = _LEXICON.get(low)
    kw = None
    dicts: list[str] = []
    if entry is not None:
        dicts = entry[0]
        f += dicts
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
    # Bracket depth changes, for the left-to-right scan.
    paren = text.count("(") - text.count(")")
    square = text.count("[") - text.count("]")
    # What a neighbour at each offset may know of this token: its word, shape, cue class,
    # punctuation at its edges, capitalisation, dictionaries and flags.
    wb = word.encode()
    sb = shape.encode()
    as_prev = [b"w-1=" + wb, b"s-1=" + sb]
    as_next = [b"w+1=" + wb, b"s+1=" + sb]
    as_prev2 = [b"w-2=" + wb]
    as_next2 = [b"w+2=" + wb]
    if kw:
        kb = kw.encode()
        as_prev.append(b"k-1=" + kb)
        as_next.append(b"k+1=" + kb)
        as_prev2.append(b"k-2=" + kb)
        as_next2.append(b"k+2=" + kb)
    if first in _PUNCT:
        fb = first.encode()
        as_prev.append(b"l-1=" + fb)
        as_next.append(b"l+1=" + fb)
    for d in dicts:
        db = d[2:].encode()
        as_prev.append(b"d-1=" + db)
        as_next.append(b"d+1=" + db)
    for fl in flags:
        flb = fl.encode()
        as_prev.append(b"f-1=" + flb)
        as_next.append(b"f+1=" + flb)
    if cluster is not None:
        as_prev.append(b"c-1=%d" % cluster[0])
        as_next.append(b"c+1=%d" % cluster[0])
    as_prev.append(b"e-1=" + end.encode())
    # Short classes for conjunctions: the word itself when it is a cue or frequent kind of
    # token, else its shape with edge punctuation.
    klass = kw or (flags[0] if flags else (("D" if digits else cap or "p") + end))
    # What this token tells about the stretch of text it sits in (see _stretches).
    props = []
    if digits:
        props.append("year" if is_year else "num")
    if flags and flags[0] in ("url", "doi"):
        props.append("link")
    props += [d[2:] for d in dicts if d != "d=given" and d != "d=particle"]
    if kw:
        props.append(kw)
    if opens or closes:
        props.append("quote")
    if cap == "low" and n > 3 and low.isalpha():
        props.append("lowword")
    elif cap == "init" and last == "." and 1 < n < 6 and low.isalpha():
        props.append("abbr")
    # Attributes are handed to crfsuite as UTF-8 bytes, so the binding does not re-encode
    # every attribute of every occurrence.
    # Only immutable values go into the cache, so the garbage collector need not track it.
    # One encode and split instead of one encode per attribute: a token has no whitespace,
    # so "\n" cannot occur in its attributes (checked, for callers that pass other text).
    own = tuple("\n".join(f).encode().split(b"\n")) if "\n" not in text else tuple(_utf8(f))
    result = (own, tuple(as_prev), tuple(as_next), tuple(as_prev2), tuple(as_next2),
              is_year, opens, closes, kw == "in", end, begin, closes_segment,
              word, klass, paren, square, last == ",", last == ":", tuple(props),
              last in ",;:." or closes,
              # Halves of the pair (conjunction) attributes, joined by sequence_features.
              wb, b"w-1|w=" + wb + b"|", b"w|w+1=" + wb + b"|", *_klass_halves(klass),
              *_edge_halves(end, begin), b"sgw=" + wb, b"sgw+1=" + wb)
    return result


@functools.lru_cache(maxsize=4096)
def _klass_halves(klass: str) -> tuple[bytes, ...]:
    # Few distinct classes, so their pair halves are built once.
    kb = klass.encode()
    return (kb, b"k-1|k=" + kb + b"|", b"k|k+1=" + kb + b"|", b"k-2|k-1=" + kb + b"|",
            b"k+1|k+2=" + kb + b"|", b"k-1|k+1=" + kb + b"|")


@functools.lru_cache(maxsize=4096)
def _edge_halves(end: str, begin: str) -> tuple[bytes, bytes]:
    return ("e-1|b=" + end + "|").encode(), begin.encode()


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


def _buckets(name: str, n: int) -> list[bytes]:
    return _utf8([f"{name}={i}" for i in range(n)])


_POS = _buckets("pos", 10)
_SEGPOS = _utf8(["segpos=0", "segpos=1", "segpos=2", "segpos=3+"])
_SEGCOMMAS = _buckets("segcommas", 4)
_YEARS = _buckets("years", 3)
_FIRST, _LAST, _INQUOTE, _AFTERIN, _INPAREN, _INSQUARE, _AFTERCOLON, _SEGCOLON, \
    _YEARAHEAD, _INAHEAD, _AFTERURL, _NUMBERED = _utf8(
        ["first", "last", "inquote", "afterin", "inparen", "insquare", "aftercolon",
         "segcolon", "yearahead", "inahead", "afterurl", "numbered"])
_PAIRS: dict[tuple[str, str, str], bytes] = {}


def _pair(kind: str, a: str, b: str) -> bytes:
    key = (kind, a, b)
    hit = _PAIRS.get(key)
    if hit is None:
        hit = (kind + a + "|" + b).encode()
        if len(_PAIRS) < _CACHE_MAX:
            _PAIRS[key] = hit
    return hit


_PROP_CACHE: dict[tuple[str, frozenset], tuple[bytes, ...]] = {}
_STRETCH_BUCKETS = {(name, kind): _utf8([f"{name}{kind}={i}|" for i in range(7)])
                    for name in ("sg", "ch") for kind in ("left",)}


def _props(prefix: str, props: frozenset) -> tuple[bytes, ...]:
    key = (prefix, props)
    hit = _PROP_CACHE.get(key)
    if hit is None:
        hit = tuple((prefix + p).encode() for p in sorted(props))
        if len(_PROP_CACHE) < _CACHE_MAX:
            _PROP_CACHE[key] = hit
    return hit


def _stretches(infos: list[tuple], n: int, end_at: int,
               name: str) -> tuple[list[int], list[list[bytes]]]:
    """The stretches of a reference, ending where ``info[end_at]``, and their features.

    Returns where each stretch starts (plus ``n``) and one feature list per stretch. A stretch
    is described by the properties of its tokens, the class of its first token and how many
    stretches follow; its neighbour stretches by their properties (the next one also by its
    first token's class).
    """
    starts = [0]
    starts += [i + 1 for i in range(n - 1) if infos[i][end_at]]
    count = len(starts)
    bounds = starts + [n]
    props = [frozenset().union(*[infos[i][18] for i in range(bounds[s], bounds[s + 1])])
             for s in range(count)]
    lefts = _STRETCH_BUCKETS[(name, "left")]
    out: list[list[bytes]] = []
    for s in range(count):
        first = infos[bounds[s]][13]
        left = count - 1 - s
        f = [*_props(name + ":", props[s]), _pair(name + "first=", first, ""),
             lefts[min(left, 3)]]
        if left:
            f += _props(name + "+1:", props[s + 1])
            f.append(_pair(name + "first+1=", infos[bounds[s + 1]][13], ""))
        if s:
            f += _props(name + "-1:", props[s - 1])
        out.append(f)
    return bounds, out


def _stretch_features(infos: list[tuple], n: int, end_at: int, name: str) -> list[list[bytes]]:
    """The features of the stretch each token sits in (see :func:`_stretches`)."""
    bounds, feats = _stretches(infos, n, end_at, name)
    out: list[list[bytes]] = []
    for s, f in enumerate(feats):
        out += [f] * (bounds[s + 1] - bounds[s])
    return out


def sequence_features(tokens: Sequence[Token],
                      gazetteer: Gazetteer | None = None) -> list[list[bytes]]:
    """Feature lists (UTF-8 attribute names) for every token of one reference.

    ``gazetteer``: the known phrases to mark (default: the shipped model's).
    """
    infos = [token_features(t.text) for t in tokens]
    n = len(infos)
    if not n:
        return []
    known = (gazetteer if gazetteer is not None else default_gazetteer()).marks(
        [t.text for t in tokens])
    last = n - 1
    segs = _stretch_features(infos, n, 11, "sg")
    chunks = _stretch_features(infos, n, 19, "ch")
    # Right-to-left scan: what is still to come.
    ahead: list[list[bytes]] = [[] for _ in range(n)]
    ya = ia = False
    for i in range(last, -1, -1):
        info = infos[i]
        if ya:
            ahead[i].append(_YEARAHEAD)
        if ia:
            ahead[i].append(_INAHEAD)
        if info[5]:
            ya = True
        if info[8]:
            ia = True
    # Where the next "sentence" starts, for its first word.
    next_seg = [n] * n
    start = n
    for i in range(last, -1, -1):
        next_seg[i] = start
        if i and infos[i - 1][11]:
            start = i
    numbered = bool(_NUMBER_LEAD.match(tokens[0].text))
    out: list[list[bytes]] = []
    append = out.append
    in_quote = seen_in = after_colon = seg_colon = after_url = False
    years = seg_commas = paren = square = 0
    seg_start = 0
    prev2 = prev = None
    nxt = infos[1] if n > 1 else None
    for i, info in enumerate(infos):
        nxt2 = infos[i + 2] if i + 2 < n else None
        k = i - seg_start
        f = [*info[0], *segs[i], *chunks[i], *ahead[i], *known[i]]
        f.append(infos[seg_start][31])
        if next_seg[i] < n:
            f.append(infos[next_seg[i]][32])
        f += (_POS[(10 * i) // n], _SEGPOS[k if k < 3 else 3], _YEARS[years if years < 2 else 2],
              _SEGCOMMAS[seg_commas if seg_commas < 3 else 3])
        if prev is not None:
            f += prev[1]
            f += (prev[29] + info[30], prev[21] + info[20], prev[24] + info[23])
            if prev2 is not None:
                f += prev2[3]
                f.append(prev2[26] + prev[23])
        else:
            f.append(_FIRST)
        if nxt is not None:
            f += nxt[2]
            f += (info[22] + nxt[20], info[25] + nxt[23])
            if nxt2 is not None:
                f += nxt2[4]
                f.append(nxt[27] + nxt2[23])
        else:
            f.append(_LAST)
        if info[6]:
            in_quote = True
        if in_quote:
            f.append(_INQUOTE)
        if info[7]:
            in_quote = False
        if paren > 0:
            f.append(_INPAREN)
        if square > 0:
            f.append(_INSQUARE)
        if info[14]:
            paren = max(0, paren + info[14])
        if info[15]:
            square = max(0, square + info[15])
        if seen_in:
            f.append(_AFTERIN)
        if after_colon:
            f.append(_AFTERCOLON)
            if seg_colon:
                f.append(_SEGCOLON)
        if after_url:
            f.append(_AFTERURL)
        if numbered:
            f.append(_NUMBERED)
        if info[5]:
            years += 1
        if info[8]:
            seen_in = True
        if info[16]:
            seg_commas += 1
        if info[17]:
            after_colon = seg_colon = True
        if info[13] in ("url", "doi"):
            after_url = True
        if info[11]:
            seg_start = i + 1
            seg_commas = 0
            seg_colon = False
        append(f)
        prev2, prev, nxt = prev, info, nxt2
    return out


_TEXT = operator.itemgetter(0)  # a token's text


@functools.lru_cache(maxsize=1024)
def _position_buckets(n: int) -> tuple[int, ...]:
    """The position bucket (0-9) of each token of an ``n``-token reference."""
    return tuple((10 * i) // n for i in range(n))

#: The ``{next word: row}`` pair tables of a word that starts no word pair (never written
#: to): the encoder looks pairs up with ``dict.get`` and no test for a missing table.
NO_PAIRS: dict[str, int] = {}
_SUMS = operator.itemgetter(0, 1, 2, 3, 4)  # a record's rows: own, as -1, +1, -2, +2
# Single fields of a token's record (see ScoreEncoder._token_slow).
_GZ_WORD, _CAN_START = operator.itemgetter(25), operator.itemgetter(26)
#: Slots of a token's record in :meth:`ScoreEncoder.records`: each names one row of the score
#: table, and a token's state scores are the sum of its slots' rows.
SLOTS = 22
#: Slots of a token in :meth:`ScoreEncoder.rows`: its token text's id (standing for the five
#: slots of its own and its neighbours' token sums, see :data:`TOKEN_SLOTS`), the id of the
#: class pair it makes with the token before it (standing for the five class-pair slots,
#: :data:`CLASS_SLOTS`), and the other 12.
ROW_SLOTS = 14
#: Where the five token sums go among the :data:`SLOTS`: own (0), what the tokens at -1, -2,
#: +1, +2 tell it (10-13).
TOKEN_SLOTS = (0, 10, 11, 12, 13)
#: Where the five class-pair rows go among the :data:`SLOTS`: the edge and class pair with
#: the previous token (14, 16), with the next (18), of -2,-1 (19) and of +1,+2 (20).
CLASS_SLOTS = (14, 16, 18, 19, 20)
_ID = operator.itemgetter(27)  # a token record's id (given by ScoreEncoder.learn)
_N_COLUMNS = 20  # fields of a record kept as ints for the batch path (batchrows.COLUMNS)
# Tokens whose score-table rows are kept; past this the cache and table start afresh.
_SCORE_CACHE_MAX = 100_000


class ScoreEncoder:
    """Features as rows of a table of label-score vectors, for tagging (see ``model.Tagger``).

    :func:`sequence_features` spells every attribute out, which training needs. A token's
    state scores are the sum of the weights of its attributes, so tagging only needs those
    sums: the attributes that come from one token text (its own, and what it tells each
    neighbour) are summed once per text, those of a stretch once per stretch, and the
    string-scan flags once per combination. A token then needs one fixed-size record of
    :data:`SLOTS` table rows. Attributes the model does not know weigh nothing, as in crfsuite.
    """

    def __init__(self, index: dict[bytes, int], weights: np.ndarray,
                 gazetteer: Gazetteer | None = None) -> None:
        self.index = index
        self._gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        self._weights = weights
        # Rows of sums by the rows they add (TokenRows.record shares the sums a token text
        # tells its neighbours); emptied with the table.
        self._same_sums: dict[tuple[int, ...], int] = {}
        # Ids of classes, of (class, end) and of (class, begin), and class pairs' ids by the
        # key batchrows packs from those (model rows only: never reset).
        self._class_ids: dict[str, int] = {}
        self._class_names: list[str] = []
        self._left_ids: dict[tuple[str, str], int] = {}
        self._left_names: list[tuple[str, str]] = []
        self._right_ids: dict[tuple[str, str], int] = {}
        self._right_names: list[tuple[str, str]] = []
        self._pair_keys: dict[int, int] = {}
        self._gz_tables: tuple | None = None  # batchrows._gz_tables
        self._reset()
        get = index.get

        def rows(attrs: Sequence[bytes]) -> tuple[int, ...]:
            # Rows are >= 1, so filter(None) drops exactly the unknown attributes.
            return tuple(filter(None, map(get, attrs)))

        self._rows = rows
        # Class pairs by (class, class, end, begin): their id, a row of class_rows (the
        # five rows of _class_pair; id 0, no pair, is zeros). Model rows: never reset.
        self._classes: dict[tuple[str, str, str, str], int] = {}
        self._class_list: list[tuple[int, ...]] = [(0, 0, 0, 0, 0)]
        self.class_rows = np.zeros((1024, 5), dtype=np.intp)
        self._prop_bits: dict[str, int] = {}
        self._bit_props: dict[int, str] = {}
        self._mask_props: dict[int, frozenset] = {}
        from .tokenrows import SAMPLE, TokenRows  # it imports this module's helpers

        # A token text's record: TokenRows.record computes it straight from the text;
        # _token_slow builds it from token_features. The fast path mirrors token_features (see
        # tokenrows.py); if the two ever disagree on the sample, the slow path is used, which
        # is always right.
        self._token = self._token_slow
        fast = self._fast = TokenRows(index, self._gazetteer)
        fast.bind(self)
        if all(self._same(fast, text) for text in SAMPLE):
            self._token = fast.record
        else:  # correct but slow: say so, so that a feature change missed there is noticed
            warnings.warn("citekit tagger: the fast token path disagrees with token_features; "
                          "using the slow path", RuntimeWarning, stacklevel=2)
        self._reset()
        self._pos = [rows([a]) for a in _POS]
        self._segpos = [rows([a]) for a in _SEGPOS]
        self._years = [rows([a]) for a in _YEARS]
        self._segcommas = [rows([a]) for a in _SEGCOMMAS]
        self._flags = [rows([a]) for a in (
            _FIRST, _LAST, _INQUOTE, _INPAREN, _INSQUARE, _AFTERIN, _AFTERCOLON, _SEGCOLON,
            _AFTERURL, _NUMBERED, _YEARAHEAD, _INAHEAD)]

    def _reset(self) -> None:
        w = self._weights
        # Rows 0..len(w)-1 are the model's own (row 0 is zeros); sums are appended after them.
        self.table = np.empty((len(w) + 4096, w.shape[1]))
        self.table[:len(w)] = w
        self._used = len(w)
        # The rows of the sums asked for since the last flush, one after another, and where
        # each sum's rows start in that list.
        self._flat: list[int] = []
        self._starts: list[int] = []
        self._tokens: dict[str, tuple] = {}
        #: The five sums of each token text's record (own, as -1, +1, -2, +2) by its id;
        #: :meth:`learn` fills it, :meth:`rows` gives the ids.
        self.token_sums = np.zeros((4096, 5), dtype=np.intp)
        #: Fields of each token text's record as ints, by its id, for the batch path
        #: (:func:`~.batchrows.batch_rows`); :meth:`learn` fills it.
        self.record_columns = np.zeros((4096, _N_COLUMNS), dtype=np.int32)
        self._same_sums.clear()
        self._groups: dict[tuple, int] = {}
        # Per kind of stretch: rows of its own part, its next and its previous stretch's.
        self._stretch_parts: dict[str, tuple[dict, dict, dict]] = {
            "sg": ({}, {}, {}), "ch": ({}, {}, {})}
        # The same for batchrows, keyed by ints it packs from the parts.
        self._stretch_keys: dict[str, tuple[dict, dict, dict]] = {
            "sg": ({}, {}, {}), "ch": ({}, {}, {})}
        self._states: dict[int, int] = {}

    def start(self) -> None:
        """Begin a batch: start the caches afresh if they have grown too big."""
        if len(self._tokens) >= _SCORE_CACHE_MAX:
            self._reset()

    def learn(self, sequences: Sequence[Sequence[Token]]) -> list[list[tuple]]:
        """Make the records of the batch's new token texts, in one pass before
        :meth:`records`; return each sequence's token records, to hand to ``records``
        (optional: ``records`` makes any it lacks). Making them all together rather than
        one reference at a time, between the per-reference work, keeps the code and tables
        of each in the processor's caches: about 8% less time for the encoder on unseen
        strings; and ``records`` then needs no second lookup of every token text.

        Each new record's id (its position 27, the number of records before it, which
        ``_token`` gives) is where its five sums go in :attr:`token_sums`.
        """
        known = self._tokens
        get = known.get
        token = self._token
        new: list[int] = []
        fresh: list[tuple] = []  # the new records
        first = len(known)
        # All the batch's tokens at once; then the texts not found, one by one.
        texts = list(map(_TEXT, chain.from_iterable(sequences)))
        cache = list(map(get, texts))
        for i in compress(range(len(cache)), map(operator.not_, cache)):
            text = texts[i]
            c = get(text)  # the same text earlier in this batch
            if c is None:
                c = known[text] = token(text)  # its id: len(known) before
                new += c[:5]
                fresh.append(c)
            cache[i] = c
        out = []
        at = 0
        for toks in sequences:
            out.append(cache[at:at + len(toks)])
            at += len(toks)
        if new:
            end = len(known)
            sums = self.token_sums
            if end > len(sums):
                grown = np.zeros((max(end, 2 * len(sums)), 5), dtype=np.intp)
                grown[:first] = sums[:first]
                self.token_sums = sums = grown
            sums[first:end] = np.array(new, dtype=np.intp).reshape(-1, 5)
            self._columns_of(fresh, first)
        return out

    def _columns_of(self, fresh: list[tuple], first: int) -> None:
        """Write the new records' fields that :func:`~.batchrows.batch_rows` reads to rows
        ``first``... of :attr:`record_columns` (see :data:`~.batchrows.COLUMNS`)."""
        from .batchrows import record_columns  # it imports this module

        end = first + len(fresh)
        cols = self.record_columns
        if end > len(cols):
            grown = np.zeros((max(end, 2 * len(cols)), cols.shape[1]), dtype=np.int32)
            grown[:first] = cols[:first]
            self.record_columns = cols = grown
        cols[first:end] = record_columns(self, fresh)

    def _sum_row(self, rows: tuple[int, ...]) -> int:
        """A table row holding the sum of ``rows`` (written to the table by :meth:`flush`)."""
        if len(rows) < 2:
            return rows[0] if rows else 0
        flat = self._flat
        self._starts.append(len(flat))
        flat += rows
        self._used += 1
        return self._used - 1

    def _sum_attrs(self, attrs: Sequence[bytes]) -> int:
        """:meth:`_sum_row` of the rows of ``attrs`` (unknown attributes dropped), without
        building the tuple of rows."""
        flat = self._flat
        at = len(flat)
        # Rows are >= 1, so filter(None) drops exactly the unknown attributes.
        flat += filter(None, map(self.index.get, attrs))
        k = len(flat) - at
        if k < 2:
            return flat.pop() if k else 0
        self._starts.append(at)
        self._used += 1
        return self._used - 1

    def flush(self) -> np.ndarray:
        """Write the sums asked for since the last call to the table; return the table."""
        if self._starts:
            end = self._used
            begin = end - len(self._starts)
            table = self.table
            if end > len(table):
                table = np.empty((max(end, 2 * len(table)), table.shape[1]))
                table[:begin] = self.table[:begin]
                self.table = table
            flat = np.array(self._flat, dtype=np.intp)
            starts = np.array(self._starts, dtype=np.intp)
            # Each sum adds its rows one after another, from the first (as crfsuite adds a
            # token's attributes). The sums go longest first, so that the k-th rows of all the
            # sums that have one are added in one step; this is also faster than
            # np.add.reduceat, which adds in a different order.
            lens = np.diff(starts, append=len(flat))
            order = np.argsort(-lens, kind="stable")
            starts = starts[order]
            going = np.searchsorted(-lens[order], -np.arange(int(lens[order[0]])),
                                    side="left").tolist()
            weights = self._weights
            sums = weights[flat[starts]]
            for k in range(1, len(going)):
                c = going[k]
                sums[:c] += weights[flat[starts[:c] + k]]
            table[begin + order] = sums
            self._flat = []
            self._starts = []
        return self.table

    def _same(self, fast: TokenRows, text: str) -> bool:
        """Whether the fast and the slow path give ``text`` the same record and sums."""
        a = self._token_slow(text)
        sums_a = self._pending()
        b = fast.record(text)
        sums_b = self._pending()
        return a[5:] == b[5:] and [sums_a[r] if r in sums_a else r for r in a[:5]] == \
            [sums_b[r] if r in sums_b else r for r in b[:5]]

    def _pending(self) -> dict[int, tuple[int, ...]]:
        """The sums asked for since the last flush (row -> summed rows), forgotten."""
        flat, starts = self._flat, self._starts
        first = self._used - len(starts)
        bounds = [*starts, len(flat)]
        out = {first + i: tuple(flat[bounds[i]:bounds[i + 1]]) for i in range(len(starts))}
        self._flat, self._starts, self._used = [], [], first
        self._same_sums.clear()  # its rows were these
        return out

    def _mask(self, props: Sequence[str]) -> int:
        """Stretch properties as bits (see :meth:`_stretch_rows`)."""
        bits = self._prop_bits
        mask = 0
        for prop in props:
            bit = bits.get(prop)
            if bit is None:
                bit = bits[prop] = 1 << len(bits)
                self._bit_props[bit] = prop
            mask |= bit
        return mask

    def _token_slow(self, text: str) -> tuple:
        """A token text's record, from its features (:func:`token_features`).

        Positions 0-4 hold the rows of its own attributes and of what it tells the tokens at
        -1, +1, -2 and +2 (in that order: as previous, as next, as second previous, as second
        next); 5-17 are the features' 5-17 (year, quotes, "In", edges, sentence end, word,
        class, brackets, comma, colon); 18 its stretch properties as bits; 19 whether it ends
        a chunk; 20 and 21 the word pairs it starts (``{next word: row}`` for the pair
        attributes given to the next token and to itself, or the empty ``NO_PAIRS``); 22 and
        23 the rows of its word as first word of this and of the next sentence; 24 whether it
        changes the left-to-right scan (quotes, brackets, years, "In", commas, colons, links,
        sentence ends); 25 its word for the gazetteer's phrases and 26 whether a known
        phrase can start with it; 27 its id, the number of token records kept so far (see
        :meth:`learn`).
        Holding only atoms (and shared values) in one tuple, the record costs the garbage
        collector a single visit, where the attribute tuples cost seven.
        """
        info = _cache.get(text) or _token_features(text)
        get = self.index.get
        add = self._sum_attrs
        prior = self._gazetteer.prior(text)
        if prior is not None:
            # The gazetteer's word prior of this text: its own, as the previous token's (to
            # the token before it) and as the next token's (to the token after it).
            info = (info[0] + prior[:1], info[1] + prior[2:], info[2] + prior[1:2], *info[3:])
        # Whether the token changes the left-to-right scan of ScoreEncoder.records.
        event = bool(info[5] or info[6] or info[7] or info[8] or info[11] or info[14]
                     or info[15] or info[16] or info[17] or info[13] in ("url", "doi"))
        wrows = self._fast.words.get(info[12])
        pairs = (wrows[7], wrows[8]) if wrows else (NO_PAIRS, NO_PAIRS)
        gz = self._gazetteer._tokens.get(text) or self._gazetteer._token(text)
        return (add(info[0]), add(info[1]), add(info[2]), add(info[3]), add(info[4]),
                *info[5:18], self._mask(info[18]), info[19], *pairs, get(info[31], 0),
                get(info[32], 0), event, gz[0], gz[2], len(self._tokens))

    def _props_of(self, mask: int) -> frozenset:
        # Kept per mask (a bit, once given to a property, keeps it): a stretch part met for
        # the first time often has properties seen before.
        hit = self._mask_props.get(mask)
        if hit is None:
            hit = frozenset(prop for bit, prop in self._bit_props.items() if mask & bit)
            if len(self._mask_props) < _CACHE_MAX:
                self._mask_props[mask] = hit
        return hit

    def _state(self, key: int) -> int:
        # key: position bucket, place in sentence, years seen, commas in sentence, then flags.
        rows = (self._pos[key % 10] + self._segpos[key // 10 % 4] + self._years[key // 40 % 3]
                + self._segcommas[key // 120 % 4])
        bits = key // 480
        for i, flag in enumerate(self._flags):
            if bits >> i & 1:
                rows += flag
        hit = self._states[key] = self._sum_row(rows)
        return hit

    def _class_pair(self, p: tuple, q: tuple) -> tuple[int, ...]:
        """Rows of the pair attributes of two adjacent tokens that depend on their classes.

        ``p``, ``q``: the tokens' records (see :meth:`_token_slow`). In order: to the second
        token (how the first ends against how it begins; the classes at -1, 0), to the first
        (classes at 0, +1), to the token after the second (classes at -2, -1), to the token
        before the first (+1, +2).
        """
        get = self.index.get
        # The halves of the pair attributes, from the tokens' classes and edges (kept per
        # class and per edge pair; a class pair is met for the first time seldom).
        k, e = _klass_halves(p[13]), _edge_halves(p[9], p[10])[0]
        b = _klass_halves(q[13])[0]
        return (get(e + _edge_halves(q[9], q[10])[1], 0), get(k[1] + b, 0), get(k[2] + b, 0),
                get(k[3] + b, 0),
                get(k[4] + b, 0))

    def _class_pair_id(self, p: tuple, q: tuple) -> int:
        """The id of the class pair of two adjacent token records (see :meth:`_class_pair`),
        its rows written to :attr:`class_rows`."""
        rows = self._class_pair(p, q)
        pid = len(self._class_list)
        self._class_list.append(rows)
        if pid >= len(self.class_rows):
            grown = np.zeros((2 * len(self.class_rows), 5), dtype=np.intp)
            grown[:pid] = self.class_rows[:pid]
            self.class_rows = grown
        self.class_rows[pid] = rows
        return pid

    def _part(self, key: tuple, attrs: list[bytes]) -> int:
        row = self._groups.get(key)
        if row is None:
            row = self._groups[key] = self._sum_attrs(attrs)
        return row

    def _stretch_rows(self, cache: list[tuple], n: int, end_at: int,
                      name: str) -> tuple[list[int], list[int], list[int], list[int]]:
        """Table rows of each token's stretch features (see :func:`_stretches`): the stretch's
        own, its next and its previous stretch's; each part is summed once per distinct kind.

        A stretch's properties are kept as bits (the union of its tokens' bits), which are
        cheaper to join and to look up than the sets :func:`_stretches` builds. Each part has
        its own cache per kind of stretch, keyed by no more than it needs (the previous
        stretch's part by its bits alone, an int).
        """
        # One pass finds the stretches and the union of their tokens' properties.
        bounds = [0]
        props = []
        mask = 0
        for i, c in enumerate(cache, 1):
            mask |= c[18]
            if c[end_at]:
                props.append(mask)
                mask = 0
                bounds.append(i)
        if bounds[-1] == n:  # the last token closes its stretch: no empty stretch after it
            bounds.pop()
        else:
            props.append(mask)
        count = len(bounds)
        bounds.append(n)
        own_rows, next_rows, prev_rows = self._stretch_parts[name]
        own: list[int] = []
        after: list[int] = []
        before: list[int] = []
        first = cache[0][13]
        for s in range(count):
            left = count - 1 - s
            size = bounds[s + 1] - bounds[s]
            key = (props[s], first, left if left < 3 else 3)
            row = own_rows.get(key)
            if row is None:
                row = own_rows[key] = self._sum_attrs([
                    *_props(name + ":", self._props_of(props[s])),
                    _pair(name + "first=", first, ""), _STRETCH_BUCKETS[(name, "left")][key[2]]])
            own += [row] * size
            if left:
                first = cache[bounds[s + 1]][13]
                key = (props[s + 1], first)
                row = next_rows.get(key)
                if row is None:
                    row = next_rows[key] = self._sum_attrs([
                        *_props(name + "+1:", self._props_of(props[s + 1])),
                        _pair(name + "first+1=", first, "")])
                after += [row] * size
            else:
                after += [0] * size
            if s:
                row = prev_rows.get(props[s - 1])
                if row is None:
                    row = prev_rows[props[s - 1]] = self._sum_attrs(
                        _props(name + "-1:", self._props_of(props[s - 1])))
                before += [row] * size
            else:
                before += [0] * size
        return own, after, before, bounds

    def _gz_rows(self, cache: list[tuple]) -> list[int]:
        """The known-phrase slot of each token of one reference (its records)."""
        # Known phrases (gazetteer marks): one row per distinct combination of marks, only
        # when a token can start one (record position 26; its word is at 25). (Word priors
        # are in the token records, see _token_slow and TokenRows.record.)
        n = len(cache)
        gz_rows = [0] * n
        starts = list(compress(range(n), map(_CAN_START, cache)))
        if starts and self._gazetteer.phrases:
            groups = self._groups
            marked = self._gazetteer.words_marks(list(map(_GZ_WORD, cache)), starts)
            for i, marks in marked.items():
                key = ("gz", marks)
                row = groups.get(key)
                if row is None:
                    row = self._part(key, list(marks))
                gz_rows[i] = row
        return gz_rows

    def records(self, tokens: Sequence[Token], cache: list[tuple] | None = None) -> list[int]:
        """The score-table rows of every token of one reference, :data:`SLOTS` per token,
        slot by slot: the n tokens' rows of the first slot, then of the second, and so on
        (``np.reshape(rows, (SLOTS, n))``). (The tagger uses :meth:`rows`, the same with
        the token sums given by id.)

        Call :meth:`start` before a batch and :meth:`flush` before reading the table.
        """
        n = len(tokens)
        if not n:
            return []
        if cache is None:
            cache = self.learn([tokens])[0]
        rows = self.rows(tokens, cache)
        own, as_prev, as_next, as_prev2, as_next2 = zip(*map(_SUMS, cache))
        # Each token's class pair with the token before it (none for the first).
        pairs = [self._class_list[i] for i in rows[n:2 * n]]
        edge, before, after, two_before, two_after = zip(*pairs)
        zero, two = (0,), (0, 0)[:n]
        return list(chain(own, rows[2 * n:11 * n], zero, as_prev[:-1], two, as_prev2[:-2],
                          as_next[1:], zero, as_next2[2:], two,
                          edge, rows[11 * n:12 * n], before, rows[12 * n:13 * n],
                          after[1:], zero, two, two_before[1:-1], two_after[2:], two,
                          rows[13 * n:]))

    def rows(self, tokens: Sequence[Token], cache: list[tuple] | None = None) -> list[int]:
        """What :meth:`records` gives, but with each token's five token sums (slots
        :data:`TOKEN_SLOTS`) given by one id, its token text's row of :attr:`token_sums`:
        :data:`ROW_SLOTS` per token, slot by slot (the ids, the class pairs' ids, then the
        other 12 slots in :meth:`records`' order). The tagger gathers the five sums with
        numpy (``model._slots``): a token record's five sums are five Python ints, each a
        separate object scattered in memory, and reading them one by one for every token
        of every reference cost more than all else here. The five rows of the class pair
        of each token and the token before it (:data:`CLASS_SLOTS`) are given by one id
        (a row of :attr:`class_rows`) likewise.

        Call :meth:`start` before a batch and :meth:`flush` before reading the table.
        The rows are gathered slot by slot into columns (mostly by C-level slicing, ``map``
        and ``zip``) and chained, which costs less per token than building each token's
        record in a Python loop.
        """
        n = len(tokens)
        if not n:
            return []
        if cache is None:  # ``cache``: the tokens' records, as :meth:`learn` gives them
            cache = self.learn([tokens])[0]
        last = n - 1
        gz_rows = self._gz_rows(cache)
        segs, segs_after, segs_before, seg_bounds = self._stretch_rows(cache, n, 11, "sg")
        chunks, chunks_after, chunks_before, _ = self._stretch_rows(cache, n, 19, "ch")
        # The first word of this and of the next sentence.
        first_word: list[int] = []
        next_first: list[int] = []
        count = len(seg_bounds) - 1
        for s in range(count):
            size = seg_bounds[s + 1] - seg_bounds[s]
            first_word += [cache[seg_bounds[s]][22]] * size
            next_first += [cache[seg_bounds[s + 1]][23] if s + 1 < count else 0] * size
        # Pair attributes, per pair of neighbours (j-1, j) for j = 1..n-1: the rows of the
        # class pairs are cached per (class, class, end, begin); the word pairs come from the
        # first word's {next word: row} tables (NO_PAIRS when it starts none, so no test).
        # A token's class pair with the token before it is given by its id (0 for the
        # first token), for model._slots to gather its five rows.
        pair_ids = [0]
        word_before = [0]
        word_after = []
        add_pair, add_before, add_after = pair_ids.append, word_before.append, word_after.append
        classes = self._classes
        for p, q in zip(cache, cache[1:]):
            key = (p[13], q[13], p[9], q[10])
            c = classes.get(key)
            if c is None:
                c = classes[key] = self._class_pair_id(p, q)
            add_pair(c)
            w = q[12]
            add_before(p[20].get(w, 0))
            add_after(p[21].get(w, 0))
        add_after(0)
        # Right-to-left scan: what is still to come (flag bits 10 and 11); an opening quote
        # counts from its own token (bit 2, also set by the left-to-right scan below).
        ahead = [0] * n
        bits = 0
        for i in range(last, -1, -1):
            c = cache[i]
            ahead[i] = bits | 4 if c[6] else bits
            if c[5]:
                bits |= 1024
            if c[8]:
                bits |= 2048
        ahead[0] |= 1  # first token
        ahead[last] |= 2  # last token
        if _NUMBER_LEAD.match(tokens[0].text):
            ahead = [a | 512 for a in ahead]
        states = self._states
        state_rows: list[int] = []
        add_state = state_rows.append
        pos = _position_buckets(n)
        # Flags of the left-to-right scan, kept as the bits of the state key: 4 inside quotes,
        # 8 inside parentheses, 16 inside square brackets, 32 after "In", 64 after a colon,
        # 128 after a colon in this sentence, 256 after a link. Only tokens that change the
        # scan (record position 24) are looked at further; the key's parts for the years and
        # the commas in the sentence (``base``) change only there.
        scan = 0
        years = seg_commas = paren = square = 0
        seg_start = base = 0
        for i, c in enumerate(cache):
            k = i - seg_start
            key = pos[i] + (10 * k if k < 3 else 30) + base + 480 * (ahead[i] | scan)
            state = states.get(key)
            if state is None:
                state = self._state(key)
            add_state(state)
            if c[24]:
                if c[6]:
                    scan |= 4
                if c[7]:
                    scan &= ~4
                if c[14]:
                    paren = max(0, paren + c[14])
                    scan = scan | 8 if paren > 0 else scan & ~8
                if c[15]:
                    square = max(0, square + c[15])
                    scan = scan | 16 if square > 0 else scan & ~16
                if c[5]:
                    years += 1
                if c[8]:
                    scan |= 32
                if c[16]:
                    seg_commas += 1
                if c[17]:
                    scan |= 64 | 128
                if c[13] in ("url", "doi"):
                    scan |= 256
                if c[11]:
                    seg_start = i + 1
                    seg_commas = 0
                    scan &= ~128
                base = 40 * (years if years < 2 else 2) + 120 * (seg_commas if seg_commas < 3
                                                                 else 3)
        # A token's slots, in this order (the order the scores are added in): its own
        # attributes, its sentence's and chunk's (own, next, previous), the first word of its
        # sentence and of the next, the scan state, what the tokens at -1, -2, +1, +2 tell it,
        # and the pair attributes (edge, words and classes with the previous token; words and
        # classes with the next; classes of -2,-1 and of +1,+2), then its known-phrase marks.
        # Slot by slot (n rows each), chained without building a tuple per token; the
        # token sums (own, -1, -2, +1, +2) as the token texts' ids.
        return list(chain(
            map(_ID, cache), pair_ids, segs, segs_after, segs_before, chunks, chunks_after,
            chunks_before, first_word, next_first, state_rows, word_before, word_after,
            gz_rows))
