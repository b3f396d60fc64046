"""A token text's model rows, computed straight from the text (the tagger's fast path).

:func:`~citekit.parse.tagger.features.token_features` spells out every attribute of a token
text as a string, which training needs. Tagging only needs the rows of the model's weight
matrix that those attributes name, and most of the strings are built only to be looked up
once. :class:`TokenRows` computes the same attributes, in the same order, but looks their rows
up in tables keyed by the attribute's value alone (the word, the shape, an affix), built once
from the model's attribute names; a word's rows for every template that uses it (``w``,
``w-1``, ``w+1``, ``w-2``, ``w+2``, ``sgw``, ``sgw+1`` and the word pairs) come from one lookup.

It mirrors ``token_features`` attribute by attribute, so **a change to the token features must
be made here too**; :meth:`ScoreEncoder.__init__` checks the two against each other on a sample
of token texts (:data:`SAMPLE`) and falls back to the slow path if they disagree, and
``tests/test_tagger_model.py`` checks them on every token of its strings. The rows of each sum
are listed in ``token_features``' order, so the sums (added one row after another) are the same
to the last bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .features import (_DIGITS, _HAS_DIGIT, _LEXICON, _PUNCT, _QUOTES, _ROMAN_CHARS, _ARXIV,
                       _DOI, _ISBN, _ORDINAL, _RANGE, _ROMAN, _VOL_ISSUE, _YEAR, _YEAR_RANGE,
                       _char_class, _edge_halves, _klass_halves, _shape)

if TYPE_CHECKING:
    from .features import ScoreEncoder
    from .gazetteer import Gazetteer

__all__ = ["TokenRows", "SAMPLE"]

#: Token texts on which the fast path is checked against ``token_features`` when an encoder
#: is made (one of each kind of token the features tell apart).
SAMPLE = (
    "Smith,", "J.", "J.A.", "(2010).", "[1]", "1.", "2010a.", "1999-2001", "123-145.", "pp.",
    "vol.", "12(3):", "40(4):502-525", "https://doi.org/10.1000/xyz.", "doi:10.1/2", "www.x.org",
    "“Learning", "parse”.", "'quoted'", "«Titre»,", "Journal", "of", "Press,", "New", "York:",
    "In", "in:", "Eds.", "(eds.),", "et", "al.", "Retrieved", "April", "15,", "McDonald",
    "IEEE", "iii.", "XIV", "2nd", "3e", "ISBN", "978-3-16-148410-0", "1234.56789v2", "a@b.c",
    "——.", "___", "--", "Müller,", "Ålesund", "É.", "x", "-", "&", "(", ")", "),", ".\u201d",
    "van", "der", "Berg,", "University", "Institute", "Ed", "no.", "No.", "p.", "P.", "t.",
)

_NO_WORD = (0, 0, 0, 0, 0, 0, 0, None, None)
_NO_SHAPE = (0, 0, 0)


def _pairs(values: dict[str, int]) -> dict[str, dict[str, int]]:
    """Pair attributes' values ``a + "|" + b`` -> row, as ``{a: {b: row}}``, for every cut at
    a ``|`` (words may hold ``|``, so a lookup ``(a, b)`` hits exactly when the attribute
    exists)."""
    out: dict[str, dict[str, int]] = {}
    for value, row in values.items():
        at = value.find("|")
        while at >= 0:
            out.setdefault(value[:at], {})[value[at + 1:]] = row
            at = value.find("|", at + 1)
    return out


class TokenRows:
    """The rows of a token text's attributes, from tables built once per model."""

    def __init__(self, index: dict[bytes, int], gazetteer: Gazetteer | None = None) -> None:
        attrs = {a.decode("utf-8", "surrogateescape"): r for a, r in index.items()}
        self.get = get = attrs.get
        # One pass sorts the attributes by template (the text before the first "=").
        templates = ("w", "w-1", "w+1", "w-2", "w+2", "sgw", "sgw+1")
        word_slot = {t: i for i, t in enumerate(templates)}
        shape_slot = {"s": 0, "s-1": 1, "s+1": 2}
        affix_slot = {t: i for i, t in enumerate(("p2", "x2", "p3", "x3", "p4", "x4"))}
        word_rows: dict[str, list] = {}
        shape_rows: dict[str, list[int]] = {}
        affixes: list[dict[str, int]] = [{} for _ in affix_slot]
        pair_attrs: dict[str, dict[str, int]] = {"w-1|w": {}, "w|w+1": {}}
        for attr, row in attrs.items():
            template, eq, value = attr.partition("=")
            if not eq:
                continue
            i = word_slot.get(template)
            if i is not None:
                word_rows.setdefault(value, [0] * 7)[i] = row
                continue
            i = shape_slot.get(template)
            if i is not None:
                shape_rows.setdefault(value, [0, 0, 0])[i] = row
                continue
            i = affix_slot.get(template)
            if i is not None:
                affixes[i][value] = row
            elif template in pair_attrs:
                pair_attrs[template][value] = row
        before = _pairs(pair_attrs["w-1|w"])
        after = _pairs(pair_attrs["w|w+1"])
        no_rows = [0] * 7
        self.words = {w: (*word_rows.get(w, no_rows), before.get(w), after.get(w))
                      for w in (*word_rows, *before, *after)}
        self.shapes = {s: tuple(rows) for s, rows in shape_rows.items()}
        self.affixes = affixes
        # Edge punctuation: (lead=, l-1=, l+1=) by first character, trail= by last.
        self.lead = {c: (get("lead=" + c, 0), get("l-1=" + c, 0), get("l+1=" + c, 0))
                     for c in _PUNCT}
        self.trail = {c: get("trail=" + c, 0) for c in _PUNCT}
        self.end = {c: get("e-1=" + c, 0) for c in (*_PUNCT, "w")}
        names = ("num", "alnum", "year(", "yearrange", "ordinal", "isbn", "volissue", "arxivnum",
                 "roman", "email", "hyph", "innerdot", "dashrule", "qopen", "qclose")
        self.named = {n: get(n, 0) for n in names}
        # Flags: (own, f-1=, f+1=).
        self.flags = {f: (get(f, 0), get("f-1=" + f, 0), get("f+1=" + f, 0))
                      for f in ("year", "range", "url", "doi", "initial")}
        # The lexicon, per word: (own dictionary rows, d-1 rows, d+1 rows, dictionary names
        # for the stretch properties, cue, rows of kw=, k-1=, k+1=, k-2=, k+2=).
        lexicon = {}
        for word, (dicts, kw) in _LEXICON.items():
            kws = tuple(get(t + kw, 0) for t in ("kw=", "k-1=", "k+1=", "k-2=", "k+2=")) \
                if kw else None
            lexicon[word] = (
                [get(d, 0) for d in dicts], [get("d-1=" + d[2:], 0) for d in dicts],
                [get("d+1=" + d[2:], 0) for d in dicts],
                [d[2:] for d in dicts if d != "d=given" and d != "d=particle"], kw, kws)
        self.lexicon = lexicon
        # The gazetteer's word priors, per word (the gazetteer strips the same edge
        # punctuation and lower-cases, so its word is ``low`` below): the rows of pr= (own),
        # pr-1= (as the previous token's, to the token after) and pr+1= (as the next token's,
        # to the token before), as ScoreEncoder._token_slow adds them. Words whose three
        # attributes the model does not know are left out (they would add nothing).
        priors: dict[str, tuple[int, int, int]] = {}
        by_prior: dict[str, tuple[int, int, int]] = {}
        for word, prior in (gazetteer.words.items() if gazetteer is not None else ()):
            rows = by_prior.get(prior)
            if rows is None:
                rows = by_prior[prior] = (get("pr=" + prior, 0), get("pr-1=" + prior, 0),
                                          get("pr+1=" + prior, 0))
            if any(rows):
                priors[word] = rows
        self.priors = priors
        self._encoder: ScoreEncoder | None = None

    def bind(self, encoder: ScoreEncoder) -> None:
        """Write sums into ``encoder``'s pending list (see ``ScoreEncoder._sum_row``)."""
        self._encoder = encoder

    def record(self, text: str) -> tuple:
        """A token text's record for the bound
        :class:`~citekit.parse.tagger.features.ScoreEncoder`: the same as its
        ``_token_slow(text)``, with the sums asked for in the same order.
        """
        get = self.get
        core = text.strip(_PUNCT)
        low = core.lower()
        shape = _shape(text)
        word = low or text[:20]
        wrows = self.words.get(word, _NO_WORD)
        srows = self.shapes.get(shape, _NO_SHAPE)
        own = [wrows[0], srows[0]]
        n = len(low)
        if n > 2:
            p2, x2, p3, x3, p4, x4 = self.affixes
            own += (p2.get(low[:2], 0), x2.get(low[-2:], 0))
            if n > 3:
                own += (p3.get(low[:3], 0), x3.get(low[-3:], 0))
                if n > 4:
                    own += (p4.get(low[:4], 0), x4.get(low[-4:], 0))
        first, last = text[0], text[-1]
        lead = self.lead.get(first)
        if lead is not None:
            own.append(lead[0])
        if last in _PUNCT:
            own.append(self.trail[last])
            if len(text) > 1 and text[-2] in _PUNCT:
                own.append(get("trail2=" + text[-2:], 0))
        cap = ""
        named = self.named
        if core:
            if core.isupper():
                cap = "all" if len(core) > 1 else "one"
            elif core[0].isupper():
                rest = core[1:]
                if rest.isascii():
                    cap = "mixed" if rest != rest.lower() else "init"
                else:
                    cap = "mixed" if any(c.isupper() for c in rest) else "init"
            elif core[0].islower():
                cap = "low"
            else:
                cap = _char_class(core[0])
            own.append(get("cap=" + cap, 0))
        digits = len(_DIGITS(core)) if _HAS_DIGIT(core) else 0
        is_year = False
        flags: list[str] = []
        if digits:
            own.append(get("nd=" + (str(digits) if digits < 5 else "5+"), 0))
            if core.isdigit():
                own.append(named["num"])
            elif digits < len(core) and any(c.isalpha() for c in core):
                own.append(named["alnum"])
            if _YEAR.match(core):
                is_year = True
                flags.append("year")
                if first in "([":
                    own.append(named["year("])
            elif _YEAR_RANGE.match(core):
                own.append(named["yearrange"])
            if _RANGE.match(core):
                flags.append("range")
            if _ORDINAL.match(core):
                own.append(named["ordinal"])
            if _ISBN.match(core):
                own.append(named["isbn"])
            if _VOL_ISSUE.match(core):
                own.append(named["volissue"])
            if _ARXIV.match(core):
                own.append(named["arxivnum"])
        elif core and len(core) < 8 and _ROMAN_CHARS.issuperset(low) and _ROMAN.match(core):
            own.append(named["roman"])
        if "http" in text or text.startswith("www.") or "://" in text:
            flags.append("url")
        if "10." in text and _DOI.search(text):
            flags.append("doi")
        if "@" in text:
            own.append(named["email"])
        if "-" in core or "–" in core:
            own.append(named["hyph"])
        if "." in core:
            own.append(named["innerdot"])
        if len(core) == 1 and core.isalpha() and last == ".":
            flags.append("initial")
        if text[:2] in ("__", "——", "--"):
            own.append(named["dashrule"])
        if flags:
            frows = [self.flags[f] for f in flags]
            for f in frows:
                own.append(f[0])
        prev = [wrows[1], srows[1]]
        nxt = [wrows[2], srows[2]]
        entry = self.lexicon.get(low)
        kw = None
        props: list[str] = []
        if digits:
            props.append("year" if is_year else "num")
        if flags and flags[0] in ("url", "doi"):
            props.append("link")
        dprev = dnext = ()
        kw_prev2 = kw_next2 = 0
        if entry is not None:
            own += entry[0]
            dprev, dnext = entry[1], entry[2]
            props += entry[3]
            if entry[4] and (len(core) > 1 or core.islower()):
                kw = entry[4]
                krows = entry[5]
                own.append(krows[0])
                prev.append(krows[1])
                nxt.append(krows[2])
                kw_prev2, kw_next2 = krows[3], krows[4]
                props.append(kw)
        opens = first in _QUOTES
        closes = last in _QUOTES or (len(text) > 1 and text[-2] in _QUOTES)
        if opens:
            own.append(named["qopen"])
        if closes:
            own.append(named["qclose"])
        end = last if last in _PUNCT else "w"
        begin = "C" if core[:1].isupper() else "d" if core[:1].isdigit() else "l" if core else "p"
        closes_segment = last in ".?!" and len(core) > 3 or (len(text) > 1 and text[-2:] in (
            ".\u201d", '."', ".'", "?\u201d", ").", ".)"))
        paren = text.count("(") - text.count(")")
        square = text.count("[") - text.count("]")
        if lead is not None:
            prev.append(lead[1])
            nxt.append(lead[2])
        prev += dprev
        nxt += dnext
        if flags:
            for f in frows:
                prev.append(f[1])
                nxt.append(f[2])
        prev.append(self.end[end])
        klass = kw or (flags[0] if flags else (("D" if digits else cap or "p") + end))
        if opens or closes:
            props.append("quote")
        if cap == "low" and n > 3 and low.isalpha():
            props.append("lowword")
        elif cap == "init" and last == "." and 1 < n < 6 and low.isalpha():
            props.append("abbr")
        comma, colon = last == ",", last == ":"
        prior = self.priors.get(low)  # the gazetteer's word is this lower-cased core too
        if prior is not None:  # the word's prior comes last in each of the three sums
            own.append(prior[0])
            prev.append(prior[1])
            nxt.append(prior[2])
        event = bool(is_year or opens or closes or kw == "in" or closes_segment or paren
                     or square or comma or colon or klass in ("url", "doi"))
        # The sums, asked for in the slow path's order: own, -1, +1, -2, +2 (see _sum_row);
        # at -2 and +2 there are two rows only after a cue word.
        enc = self._encoder
        flat, starts, used = enc._flat, enc._starts, enc._used
        sums = []
        for rows in (own, prev, nxt) if kw is None else (
                own, prev, nxt, [wrows[3], kw_prev2], [wrows[4], kw_next2]):
            rows = list(filter(None, rows))
            k = len(rows)
            if k > 1:
                starts.append(len(flat))
                flat += rows
                sums.append(used)
                used += 1
            else:
                sums.append(rows[0] if k else 0)
        if kw is None:
            sums += (wrows[3], wrows[4])
        enc._used = used
        return (*sums, is_year, opens, closes, kw == "in",
                end, begin, closes_segment, word, klass, paren, square, comma, colon,
                enc._mask(props), last in ",;:." or closes, wrows[7], wrows[8], wrows[5], wrows[6],
                event, _klass_halves(klass), _edge_halves(end, begin))
