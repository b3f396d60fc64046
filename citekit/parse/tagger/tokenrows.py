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

from typing import TYPE_CHECKING, Callable

import numpy as np

from .features import (NO_PAIRS, _ASCII_SHAPE_BYTES, _DIGITS, _HAS_DIGIT, _LEXICON, _PUNCT, _QUOTES,
                       _ROMAN_CHARS, _SHAPE_TABLE, _ARXIV, _DOI, _ISBN, _ORDINAL, _RANGE,
                       _ROMAN, _VOL_ISSUE, _YEAR, _YEAR_RANGE, _capitals, _shape)

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
    "www.", "https", "iv", "Abcd.", "Abcdef.", "MIT;",
)

_NO_WORD = (0, 0, 0, 0, 0, 0, 0, NO_PAIRS, NO_PAIRS)
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


def _pair_table(table: dict[str, dict[str, int]], ids: dict[str, int]
                ) -> tuple[np.ndarray, np.ndarray]:
    """``{a: {b: row}}`` as sorted keys ``ids[a] * len(ids) + ids[b]`` and their rows."""
    n = len(ids)
    pairs = sorted((ids[a] * n + ids[b], row) for a, nexts in table.items()
                   for b, row in nexts.items())
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    rows = np.array([r for _, r in pairs], dtype=np.intp)
    return keys, rows


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
        self.words = {w: (*word_rows.get(w, no_rows), before.get(w, NO_PAIRS),
                          after.get(w, NO_PAIRS)) for w in (*word_rows, *before, *after)}
        # The word pairs again, for the batch path (batchrows.py): every word of a pair gets
        # an id, and each table is a sorted array of keys (first id * ids + second id) with
        # the rows beside them, so that a batch looks all its pairs up with numpy.
        ids: dict[str, int] = {}
        for table in (before, after):
            for a, nexts in table.items():
                ids.setdefault(a, len(ids))
                for b in nexts:
                    ids.setdefault(b, len(ids))
        self.pair_ids = ids
        self.pair_tables = tuple(_pair_table(table, ids) for table in (before, after))
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
        # Words a known phrase can start with (Gazetteer.can_start; a token's word has no
        # space, so this is the same test).
        self.starters = frozenset() if gazetteer is None else \
            frozenset(gazetteer._prefixes).union(gazetteer.phrases)
        self._encoder: ScoreEncoder | None = None

    def bind(self, encoder: ScoreEncoder) -> None:
        """Write sums into ``encoder``'s pending list (see ``ScoreEncoder._sum_row``) and make
        :meth:`record` for it."""
        self._encoder = encoder
        self.record = self._compile(encoder)

    def record(self, text: str) -> tuple:
        """A token text's record for the bound
        :class:`~citekit.parse.tagger.features.ScoreEncoder`: the same as its
        ``_token_slow(text)``, with the sums asked for in the same order (replaced by
        :meth:`bind`)."""
        raise RuntimeError("TokenRows.record before bind()")

    def _compile(self, enc: ScoreEncoder) -> Callable[[str], tuple]:
        """:meth:`record` as a closure over the tables and the encoder.

        This runs once per new token text (about six per unseen reference), so it is written
        for CPython: every table is a local of the closure (no attribute loads), the rows of
        attributes named by a short value (``cap=``, ``nd=``, ``trail2=``) come from tables
        built here, word shapes are cached by their uncollapsed form, and the stretch
        properties are bit masks fixed here (the encoder's ``_mask`` gives the same bits).
        A plain ASCII word (letters, perhaps one of ``, . ; :`` after them; six in ten new
        token texts) takes a shorter branch that skips the tests such a text cannot pass;
        a change to the features must be made in both branches (the sample and the tests
        check both).
        """
        get = self.get
        words, shapes, priors, lexicon_rows = self.words, self.shapes, self.priors, self.lexicon
        starters = self.starters
        same = enc._same_sums
        p2, x2, p3, x3, p4, x4 = self.affixes
        lead_rows, trail_rows, end_rows, flag_rows = self.lead, self.trail, self.end, self.flags
        named = self.named
        num, alnum, year_open, yearrange = (named[k] for k in ("num", "alnum", "year(",
                                                                 "yearrange"))
        ordinal, isbn, volissue, arxivnum, roman = (
            named[k] for k in ("ordinal", "isbn", "volissue", "arxivnum", "roman"))
        email, hyph, innerdot, dashrule, qopen, qclose = (
            named[k] for k in ("email", "hyph", "innerdot", "dashrule", "qopen", "qclose"))
        trail2_rows = {a + b: get("trail2=" + a + b, 0) for a in _PUNCT for b in _PUNCT}
        cap_rows = {c: get("cap=" + c, 0) for c in ("all", "one", "mixed", "init", "low")}
        nd_rows = {d: get("nd=" + (str(d) if d < 5 else "5+"), 0) for d in range(1, 5)}
        nd_many = get("nd=5+", 0)
        mask = enc._mask
        bit = {p: mask([p]) for p in ("year", "num", "link", "quote", "lowword", "abbr")}
        year_bit, num_bit, link_bit = bit["year"], bit["num"], bit["link"]
        quote_bit, lowword_bit, abbr_bit = bit["quote"], bit["lowword"], bit["abbr"]
        # The lexicon with its stretch properties as one mask, and its cue's bit.
        lexicon = {w: (own, dprev, dnext, mask(props), kw, kws, mask([kw]) if kw else 0)
                   for w, (own, dprev, dnext, props, kw, kws) in lexicon_rows.items()}
        shape_of = _shape
        ascii_shape, shape_table = _ASCII_SHAPE_BYTES, _SHAPE_TABLE
        # The rows of a shape by the text's first 12 characters translated to their classes
        # (the shape is that, runs collapsed): ASCII as bytes, other text as str.
        shape_cache: dict[bytes | str, tuple] = {}
        has_digit, all_digits = _HAS_DIGIT, _DIGITS
        year_match, yrange_match, range_match = _YEAR.match, _YEAR_RANGE.match, _RANGE.match
        ordinal_match, isbn_match, volissue_match = _ORDINAL.match, _ISBN.match, _VOL_ISSUE.match
        arxiv_match, roman_match, doi_search = _ARXIV.match, _ROMAN.match, _DOI.search
        roman_chars = _ROMAN_CHARS
        no_word, no_shape = _NO_WORD, _NO_SHAPE
        punct, quotes = _PUNCT, _QUOTES
        segment_ends = (".\u201d", '."', ".'", "?\u201d", ").", ".)")
        url_doi = ("url", "doi")

        def record(text: str) -> tuple:
            last = text[-1]
            if text.isascii() and (text.isalpha() or last in ",.;:" and text[:-1].isalpha()):
                # A plain word, perhaps with a comma, full stop, semicolon or colon after it
                # (six in ten new token texts): the general path below cut down to what such
                # a text can have (no digits, brackets, quotes, dashes or inner punctuation;
                # the same rows in the same order).
                core = text if last.isalpha() else text[:-1]
                low = core.lower()
                head = text[:12].encode().translate(ascii_shape)
                srows = shape_cache.get(head)
                if srows is None:
                    if len(shape_cache) > 50_000:
                        shape_cache.clear()
                    srows = shape_cache[head] = shapes.get(shape_of(text), no_shape)
                word = low
                wrows = words.get(word, no_word)
                own = [wrows[0], srows[0]]
                n = len(low)
                if n > 2:
                    own += (p2.get(low[:2], 0), x2.get(low[-2:], 0))
                    if n > 3:
                        own += (p3.get(low[:3], 0), x3.get(low[-3:], 0))
                        if n > 4:
                            own += (p4.get(low[:4], 0), x4.get(low[-4:], 0))
                if core is not text:
                    own.append(trail_rows[last])
                if core.isupper():
                    cap = "all" if n > 1 else "one"
                elif core[0].islower():
                    cap = "low"
                else:
                    cap = "mixed" if core[1:] != core[1:].lower() else "init"
                own.append(cap_rows[cap])
                if n < 8 and roman_chars.issuperset(low) and roman_match(core):
                    own.append(roman)
                flags = []
                if "http" in text or text.startswith("www."):
                    flags.append("url")
                if n == 1 and last == ".":
                    flags.append("initial")
                if flags:
                    frows = [flag_rows[f] for f in flags]
                    for f in frows:
                        own.append(f[0])
                prev = [wrows[1], srows[1]]
                nxt = [wrows[2], srows[2]]
                entry = lexicon.get(low)
                kw = None
                props = link_bit if flags and flags[0] in url_doi else 0
                kw_prev2 = kw_next2 = 0
                dprev = dnext = ()
                if entry is not None:
                    own += entry[0]
                    dprev, dnext = entry[1], entry[2]
                    props |= entry[3]
                    if entry[4] and (n > 1 or core.islower()):
                        kw = entry[4]
                        krows = entry[5]
                        own.append(krows[0])
                        prev.append(krows[1])
                        nxt.append(krows[2])
                        kw_prev2, kw_next2 = krows[3], krows[4]
                        props |= entry[6]
                end = "w" if core is text else last
                begin = "C" if core[0].isupper() else "l"
                closes_segment = last == "." and n > 3
                is_year = opens = closes = False
                paren = square = 0
                prev += dprev
                nxt += dnext
                if flags:
                    for f in frows:
                        prev.append(f[1])
                        nxt.append(f[2])
                prev.append(end_rows[end])
                klass = kw or (flags[0] if flags else cap + end)
                if cap == "low":
                    if n > 3:
                        props |= lowword_bit
                elif cap == "init" and last == "." and 1 < n < 6:
                    props |= abbr_bit
            else:
                core = text.strip(punct)
                low = core.lower()
                head = text[:12]
                # (the shape is the collapsed translation of the head: texts whose heads
                # translate alike have one shape)
                head = head.encode().translate(ascii_shape) if head.isascii() else \
                    head.translate(shape_table)
                srows = shape_cache.get(head)
                if srows is None:
                    if len(shape_cache) > 50_000:
                        shape_cache.clear()
                    srows = shape_cache[head] = shapes.get(shape_of(text), no_shape)
                word = low or text[:20]
                wrows = words.get(word, no_word)
                own = [wrows[0], srows[0]]
                n = len(low)
                if n > 2:
                    own += (p2.get(low[:2], 0), x2.get(low[-2:], 0))
                    if n > 3:
                        own += (p3.get(low[:3], 0), x3.get(low[-3:], 0))
                        if n > 4:
                            own += (p4.get(low[:4], 0), x4.get(low[-4:], 0))
                first, last = text[0], text[-1]
                lead = lead_rows.get(first)
                if lead is not None:
                    own.append(lead[0])
                two = len(text) > 1
                if last in punct:
                    own.append(trail_rows[last])
                    if two and text[-2] in punct:
                        own.append(trail2_rows[text[-2:]])
                # _capitals(core), its common cases written out (no call).
                if not core:
                    cap = ""
                elif core.isupper():
                    cap = "all" if len(core) > 1 else "one"
                elif core[0].islower():
                    cap = "low"
                elif core[0].isupper() and core.isascii():
                    cap = "mixed" if core[1:] != core[1:].lower() else "init"
                elif core[0].isdigit():
                    cap = "d"  # what _capitals gives: its first character's class
                else:
                    cap = _capitals(core)
                if core:
                    row = cap_rows.get(cap)
                    own.append(get("cap=" + cap, 0) if row is None else row)
                # A word of letters has no digit (no regex search needed).
                digits = 0 if core.isalpha() or not has_digit(core) else len(all_digits(core))
                is_year = False
                flags: list[str] = []
                if digits:
                    own.append(nd_rows[digits] if digits < 5 else nd_many)
                    if core.isdigit():
                        own.append(num)
                    elif digits < len(core) and any(c.isalpha() for c in core):
                        own.append(alnum)
                    if year_match(core):
                        is_year = True
                        flags.append("year")
                        if first in "([":
                            own.append(year_open)
                    elif yrange_match(core):
                        own.append(yearrange)
                    if range_match(core):
                        flags.append("range")
                    if ordinal_match(core):
                        own.append(ordinal)
                    if isbn_match(core):
                        own.append(isbn)
                    if volissue_match(core):
                        own.append(volissue)
                    if arxiv_match(core):
                        own.append(arxivnum)
                elif core and len(core) < 8 and roman_chars.issuperset(low) and roman_match(core):
                    own.append(roman)
                if "http" in text or text.startswith("www.") or "://" in text:
                    flags.append("url")
                if "10." in text and doi_search(text):
                    flags.append("doi")
                if "@" in text:
                    own.append(email)
                if "-" in core or "–" in core:
                    own.append(hyph)
                if "." in core:
                    own.append(innerdot)
                if len(core) == 1 and last == "." and core.isalpha():
                    flags.append("initial")
                if text[:2] in ("__", "——", "--"):
                    own.append(dashrule)
                if flags:
                    frows = [flag_rows[f] for f in flags]
                    for f in frows:
                        own.append(f[0])
                prev = [wrows[1], srows[1]]
                nxt = [wrows[2], srows[2]]
                entry = lexicon.get(low)
                kw = None
                props = (year_bit if is_year else num_bit) if digits else 0
                if flags and flags[0] in url_doi:
                    props |= link_bit
                dprev = dnext = ()
                kw_prev2 = kw_next2 = 0
                if entry is not None:
                    own += entry[0]
                    dprev, dnext = entry[1], entry[2]
                    props |= entry[3]
                    if entry[4] and (len(core) > 1 or core.islower()):
                        kw = entry[4]
                        krows = entry[5]
                        own.append(krows[0])
                        prev.append(krows[1])
                        nxt.append(krows[2])
                        kw_prev2, kw_next2 = krows[3], krows[4]
                        props |= entry[6]
                opens = first in quotes
                closes = last in quotes or (two and text[-2] in quotes)
                if opens:
                    own.append(qopen)
                if closes:
                    own.append(qclose)
                end = last if last in punct else "w"
                begin = "C" if core[:1].isupper() else "d" if core[:1].isdigit() else \
                    "l" if core else "p"
                closes_segment = last in ".?!" and len(core) > 3 or (two and text[-2:] in
                                                                     segment_ends)
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
                prev.append(end_rows[end])
                klass = kw or (flags[0] if flags else (("D" if digits else cap or "p") + end))
                if opens or closes:
                    props |= quote_bit
                if cap == "low":
                    if n > 3 and low.isalpha():
                        props |= lowword_bit
                elif cap == "init" and last == "." and 1 < n < 6 and low.isalpha():
                    props |= abbr_bit
            comma, colon = last == ",", last == ":"
            prior = priors.get(low)  # the gazetteer's word is this lower-cased core too
            if prior is not None:  # the word's prior comes last in each of the three sums
                own.append(prior[0])
                prev.append(prior[1])
                nxt.append(prior[2])
            event = bool(is_year or opens or closes or kw == "in" or closes_segment or paren
                         or square or comma or colon or klass in url_doi)
            # The sums, asked for in the slow path's order: own, -1, +1, -2, +2 (see
            # ScoreEncoder._sum_row); at -2 and +2 there are two rows only after a cue word.
            # A sum of one row is that row; a longer one gets a new table row (its rows go
            # to the encoder's pending list). What a token tells its neighbours is mostly its
            # shape, edges and flags, so many texts share those sums: one table row serves
            # them all (the same rows added in the same order). Its own sums hold its
            # affixes and seldom repeat. (Written out sum by sum rather than as a loop over
            # the sums: this runs for every new token text.)
            flat, starts, used = enc._flat, enc._starts, enc._used
            own = tuple(filter(None, own))
            if len(own) > 1:
                starts.append(len(flat))
                flat += own
                s_own = used
                used += 1
            else:
                s_own = own[0] if own else 0
            prev = tuple(filter(None, prev))
            if len(prev) > 1:
                s_prev = same.get(prev)
                if s_prev is None:
                    starts.append(len(flat))
                    flat += prev
                    s_prev = same[prev] = used
                    used += 1
            else:
                s_prev = prev[0] if prev else 0
            nxt = tuple(filter(None, nxt))
            if len(nxt) > 1:
                s_next = same.get(nxt)
                if s_next is None:
                    starts.append(len(flat))
                    flat += nxt
                    s_next = same[nxt] = used
                    used += 1
            else:
                s_next = nxt[0] if nxt else 0
            if kw is None:
                s_prev2, s_next2 = wrows[3], wrows[4]
            else:  # after a cue word: shared like the two above
                two = []
                for rows in ((wrows[3], kw_prev2), (wrows[4], kw_next2)):
                    rows = tuple(filter(None, rows))
                    if len(rows) > 1:
                        row = same.get(rows)
                        if row is None:
                            starts.append(len(flat))
                            flat += rows
                            row = same[rows] = used
                            used += 1
                    else:
                        row = rows[0] if rows else 0
                    two.append(row)
                s_prev2, s_next2 = two
            enc._used = used
            return (s_own, s_prev, s_next, s_prev2, s_next2, is_year, opens, closes, kw == "in",
                    end, begin, closes_segment, word, klass, paren, square, comma, colon,
                    props, last in ",;:." or closes, wrows[7], wrows[8], wrows[5], wrows[6],
                    event, low, low in starters if low else False, len(enc._tokens))

        return record
