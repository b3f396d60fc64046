"""The score-table rows of a whole batch of references at once, with numpy (the tagger's path).

:meth:`ScoreEncoder.rows <citekit.parse.tagger.features.ScoreEncoder.rows>` gives one
reference's rows with a Python loop over its tokens (stretches, pairs of neighbours, the
left-to-right and right-to-left scans). :func:`batch_rows` gives the same rows for every token
of a batch with array operations over all of them: each token text's record keeps the fields
those steps read as ints (:attr:`ScoreEncoder.record_columns`, written by ``learn`` once per
new token text), a batch gathers them by the tokens' ids, and the scans become cumulative
sums and maxima within each reference. Only the lookups of the parts' table rows (a stretch's
kind, a class pair, a scan state) and the walk along known phrases from where one can start
are Python work, and the parts are summed as in
``rows`` (the same attributes in the same order: the same sums to the last bit, only their
places in the table may differ). ``tests/test_tagger_model.py`` checks the two paths give
equal sums for every slot of every token.
"""

from __future__ import annotations

import operator
from itertools import chain, compress, repeat
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .features import (_GZ_WORD, _ID, _N_COLUMNS, _NUMBER_LEAD, _STRETCH_BUCKETS,
                       ROW_SLOTS, _pair, _props)

if TYPE_CHECKING:
    from .features import ScoreEncoder

__all__ = ["COLUMNS", "batch_rows", "record_columns", "usable"]

#: The record fields (positions of ``ScoreEncoder._token_slow``'s tuple) kept as the first
#: columns of ``record_columns``: stretch bits, sentence end, chunk end, first-word rows (this
#: and the next sentence), year, opening and closing quote, "In", parentheses and square
#: brackets opened, comma, colon, whether a known phrase can start there. Then: the class's
#: id, the ids of (class, end) and (class, begin), whether the class is a link, the id of the
#: word among the word pairs' words (or -1) and among the first two words of the known
#: phrases (-1; -2 if the token has no word).
COLUMNS = (18, 11, 19, 22, 23, 5, 6, 7, 8, 14, 15, 16, 17, 26)
(_MASK, _SG, _CH, _W0, _W1, _YEAR, _OPEN, _CLOSE, _IN, _PAREN, _SQUARE, _COMMA, _COLON, _CAN,
 _CLS, _LEFT, _RIGHT, _LINK, _WID, _GID) = range(_N_COLUMNS)
_FIELDS = operator.itemgetter(*COLUMNS)
_WORD = operator.itemgetter(12)
_CLASS = operator.itemgetter(13)
_CLASS_END, _CLASS_BEGIN = operator.itemgetter(13, 9), operator.itemgetter(13, 10)
# Ids are packed into int64 keys: class ids and (class, edge) ids below 2**20, stretch bits
# below 2**31 (the columns are int32; the lexicon and flags make 28 properties at most, and
# about 200 classes are seen); past that the tagger uses ScoreEncoder.rows.
_ID_BITS = 20
_MAX_PROP_BITS = 31


def _ids(ids: dict, names: list, keys: list) -> list[int]:
    # The id of each key, a new one (its place in ``names``) for a key not seen before.
    got = list(map(ids.get, keys))
    if None in got:
        for i, key in enumerate(keys):
            if got[i] is None:
                got[i] = ids.get(key)
                if got[i] is None:
                    got[i] = ids[key] = len(names)
                    names.append(key)
    return got


def record_columns(enc: ScoreEncoder, fresh: Sequence[tuple]) -> np.ndarray:
    """The int columns (see :data:`COLUMNS`) of new token records."""
    n = len(fresh)
    out = np.empty((n, _N_COLUMNS), dtype=np.int64)
    out[:, :len(COLUMNS)] = np.fromiter(chain.from_iterable(map(_FIELDS, fresh)),
                                        dtype=np.int64, count=n * len(COLUMNS)
                                        ).reshape(n, len(COLUMNS))
    out[:, _CLS] = cls = _ids(enc._class_ids, enc._class_names, list(map(_CLASS, fresh)))
    out[:, _LEFT] = _ids(enc._left_ids, enc._left_names, list(map(_CLASS_END, fresh)))
    out[:, _RIGHT] = _ids(enc._right_ids, enc._right_names, list(map(_CLASS_BEGIN, fresh)))
    links = [enc._class_ids.get(k, -1) for k in ("url", "doi")]
    out[:, _LINK] = np.isin(np.asarray(cls), links)
    # The id of the record's word among the first two words of the known phrases (-1 if
    # it is none of them, -2 if the token has no word).
    if enc._gazetteer.phrases:
        gz_ids = _gz_tables(enc)[0]
        out[:, _GID] = [-2 if not w else gz_ids.get(w, -1) for w in map(_GZ_WORD, fresh)]
    else:
        out[:, _GID] = -2
    # The id of the record's word among the words of the model's word pairs, or -1.
    out[:, _WID] = [-1 if i is None else i
                    for i in map(enc._fast.pair_ids.get, map(_WORD, fresh))]
    return out


def _gz_tables(enc: ScoreEncoder) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """The first and second words of the gazetteer's phrases: their ids, whether a word
    alone is a phrase (by id; ids -1 and -2 read False), and the sorted keys (first id *
    ids + second id) of the first two words of the longer phrases. Made on first use."""
    tables = enc._gz_tables
    if tables is None:
        trie = enc._gazetteer._phrase_trie()
        ids: dict[str, int] = {}
        for word, (_, following) in trie.items():
            ids.setdefault(word, len(ids))
            for nxt in following:
                ids.setdefault(nxt, len(ids))
        single = np.zeros(len(ids) + 2, dtype=bool)
        for word, (mask, _) in trie.items():
            single[ids[word]] = bool(mask)
        keys = np.array(sorted(ids[word] * len(ids) + ids[nxt]
                               for word, (_, following) in trie.items() for nxt in following),
                        dtype=np.int64)
        if not len(keys):
            keys = np.array([-1], dtype=np.int64)  # no key is negative: matches nothing
        tables = enc._gz_tables = (ids, single, keys)
    return tables


def usable(enc: ScoreEncoder) -> bool:
    """Whether the encoder's ids fit the packed keys (else ``ScoreEncoder.rows`` is used)."""
    limit = 1 << _ID_BITS
    return (len(enc._prop_bits) <= _MAX_PROP_BITS and len(enc._class_names) < limit
            and len(enc._left_names) < limit and len(enc._right_names) < limit)


def _lookup(cache: dict, keys: np.ndarray, make) -> np.ndarray:
    """``cache[key]`` for every key, ``make(i)`` (stored) for a key not yet in it, where
    ``i`` is the key's first index."""
    listed = keys.tolist()  # (Python ints: cheaper to read one by one than the array)
    got = list(map(cache.get, listed))
    if None in got:
        # Only the keys not found (a C-level scan finds them), in order: a key met twice is
        # made once.
        for i in compress(range(len(got)), map(operator.is_, got, repeat(None))):
            key = listed[i]
            row = cache.get(key)
            if row is None:
                row = cache[key] = make(i)
            got[i] = row
    return np.array(got, dtype=np.intp)


def _within(x: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """How much of ``x`` the tokens before each token in its reference hold (exclusive
    prefix sums restarted at every reference's first token)."""
    c = np.cumsum(x)
    c -= x
    return c - c[firsts]


def _last_before(flags: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Per token, the index of the last flagged token before it in its reference, or -1."""
    idx = np.where(flags, np.arange(len(flags)), -1)
    np.maximum.accumulate(idx, out=idx)
    out = np.empty_like(idx)
    out[0] = -1
    out[1:] = idx[:-1]
    out[out < firsts] = -1
    return out


def _clamped(delta: np.ndarray, seq_of: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Per token, whether a count that each token changes by ``delta`` and that never goes
    below 0 (``max(0, count + delta)``, as ``ScoreEncoder.rows`` keeps the open brackets) is
    above 0 after the tokens before it in its reference."""
    where = np.flatnonzero(delta)
    if not where.size:
        return np.zeros(len(delta), dtype=bool)
    after = np.zeros(len(delta), dtype=np.int64)
    count, seq = 0, -1
    # Few tokens open or close a bracket (about one in 40): a loop over those alone.
    for t, d, s in zip(where.tolist(), delta[where].tolist(), seq_of[where].tolist()):
        if s != seq:
            count, seq = 0, s
        count = max(0, count + d)
        after[t] = count
    last = _last_before(delta != 0, firsts)
    return (last >= 0) & (after[last] > 0)


def batch_rows(enc: ScoreEncoder, sequences: Sequence[Sequence], caches: list[list[tuple]]
               ) -> np.ndarray:
    """The :data:`ROW_SLOTS` rows of every token of ``sequences`` (their records from
    ``enc.learn``), shape ``(ROW_SLOTS, tokens)``, the sequences' tokens one after another:
    for each token what ``enc.rows`` gives (sums equal to the last bit)."""
    lens = np.fromiter(map(len, caches), dtype=np.intp, count=len(caches))
    total = int(lens.sum())
    out = np.zeros((ROW_SLOTS, total), dtype=np.intp)
    if not total:
        return out
    flat = list(chain.from_iterable(caches))
    ids = np.fromiter(map(_ID, flat), dtype=np.intp, count=total)
    out[0] = ids
    rec = enc.record_columns[ids].astype(np.int64)  # kept as int32; keys pack into int64
    ar = np.arange(total)
    seq_first = np.cumsum(lens) - lens
    firsts = np.repeat(seq_first, lens)  # each token's reference's first token
    sizes = np.repeat(lens, lens)
    seq_of = np.repeat(np.arange(len(lens)), lens)
    pos = ar - firsts
    is_first = pos == 0
    is_last = pos == sizes - 1
    has_prev = ~is_first
    # Class pairs of each token with the one before it, by (class, end) and (class, begin).
    keys = (rec[:-1, _LEFT] << _ID_BITS) | rec[1:, _RIGHT]
    sel = np.flatnonzero(has_prev[1:])
    classes = enc._classes

    def make_pair(i: int) -> int:
        t = int(sel[i]) + 1
        p, q = flat[t - 1], flat[t]
        key = (p[13], q[13], p[9], q[10])
        c = classes.get(key)
        if c is None:
            c = classes[key] = enc._class_pair_id(p, q)
        return c

    out[1, sel + 1] = _lookup(enc._pair_keys, keys[sel], make_pair)
    # Word pairs (each first word's {next word: row} tables in the records) by the words'
    # ids, from sorted keys (TokenRows.pair_tables).
    if total > 1:
        wid = rec[:, _WID]
        both = (wid[:-1] >= 0) & (wid[1:] >= 0)
        keys = wid[:-1] * len(enc._fast.pair_ids) + wid[1:]
        for slot, (table, rows), keep in zip((11, 12), enc._fast.pair_tables,
                                              (has_prev[1:], ~is_last[:-1])):
            if not len(table):
                continue
            at = np.searchsorted(table, keys)
            np.minimum(at, len(table) - 1, out=at)
            hit = both & keep & (table[at] == keys)
            if slot == 11:  # the pair's row goes to its second token
                out[11, 1:][hit] = rows[at[hit]]
            else:  # and to its first
                out[12, :-1][hit] = rows[at[hit]]
    # Stretches (sentences, chunks): the own, next and previous stretch's parts.
    mask = rec[:, _MASK]
    seg_start = None
    for at, end_col, name in ((2, _SG, "sg"), (5, _CH, "ch")):
        starts_flag = is_first.copy()
        starts_flag[1:] |= rec[:-1, end_col].astype(bool)
        starts = np.flatnonzero(starts_flag)
        sid = np.cumsum(starts_flag) - 1
        props = np.bitwise_or.reduceat(mask, starts)
        first_cls = rec[starts, _CLS]
        seq_s = seq_of[starts]
        count = np.bincount(seq_s, minlength=len(lens))
        s_local = np.arange(len(starts)) - (np.cumsum(count) - count)[seq_s]
        left = count[seq_s] - 1 - s_local
        own_d, next_d, prev_d = enc._stretch_keys[name]
        left3 = np.minimum(left, 3)
        own_keys = (props << (_ID_BITS + 2)) | (first_cls << 2) | left3
        names = enc._class_names

        def make_own(i: int, name: str = name) -> int:
            return enc._sum_attrs([
                *_props(name + ":", enc._props_of(int(props[i]))),
                _pair(name + "first=", names[int(first_cls[i])], ""),
                _STRETCH_BUCKETS[(name, "left")][int(left3[i])]])

        own = _lookup(own_d, own_keys, make_own)
        nxt = np.zeros(len(starts), dtype=np.intp)
        has_next = np.flatnonzero(left > 0)
        if has_next.size:
            nk = (props[has_next + 1] << _ID_BITS) | first_cls[has_next + 1]

            def make_next(i: int, name: str = name) -> int:
                s = int(has_next[i]) + 1
                return enc._sum_attrs([
                    *_props(name + "+1:", enc._props_of(int(props[s]))),
                    _pair(name + "first+1=", names[int(first_cls[s])], "")])

            nxt[has_next] = _lookup(next_d, nk, make_next)
        prv = np.zeros(len(starts), dtype=np.intp)
        has_prev_s = np.flatnonzero(s_local > 0)
        if has_prev_s.size:
            pk = props[has_prev_s - 1]

            def make_prev(i: int, name: str = name) -> int:
                return enc._sum_attrs(
                    _props(name + "-1:", enc._props_of(int(pk[i]))))

            prv[has_prev_s] = _lookup(prev_d, pk, make_prev)
        out[at] = own[sid]
        out[at + 1] = nxt[sid]
        out[at + 2] = prv[sid]
        if name == "sg":
            # The first word of this sentence and of the next.
            out[8] = rec[starts, _W0][sid]
            nf = np.zeros(len(starts), dtype=np.intp)
            if has_next.size:
                nf[has_next] = rec[starts[has_next + 1], _W1]
            out[9] = nf[sid]
            seg_start = starts[sid]
    # The scan state (see ScoreEncoder.rows): right to left, a year or "In" still to come;
    # left to right, quotes, brackets, years, "In", colons, links, commas in the sentence.
    lasts = firsts + sizes - 1
    # A reference whose first token can be a number ("1.", "[12]").
    numbered = np.fromiter((bool(s) and _NUMBER_LEAD.match(s[0][0]) is not None for s in sequences),
                           dtype=np.intp, count=len(lens))
    year = rec[:, _YEAR]
    cy = np.cumsum(year)
    ci = np.cumsum(rec[:, _IN])
    ahead = (np.where(cy[lasts] > cy, 1024, 0) | np.where(ci[lasts] > ci, 2048, 0)
             | (rec[:, _OPEN] << 2) | is_first | (is_last << 1) | (np.repeat(numbered, lens) << 9))
    opens, closes = rec[:, _OPEN].astype(bool), rec[:, _CLOSE].astype(bool)
    last_quote = _last_before(opens | closes, firsts)
    in_quote = (last_quote >= 0) & opens[last_quote] & ~closes[last_quote]
    scan = (in_quote << 2) | (_clamped(rec[:, _PAREN], seq_of, firsts) << 3) \
        | (_clamped(rec[:, _SQUARE], seq_of, firsts) << 4) \
        | ((_within(rec[:, _IN], firsts) > 0) << 5) \
        | ((_within(rec[:, _COLON], firsts) > 0) << 6) \
        | ((_within(rec[:, _LINK], firsts) > 0) << 8)
    colons = np.cumsum(rec[:, _COLON]) - rec[:, _COLON]
    scan |= ((colons - colons[seg_start]) > 0) << 7
    commas = np.cumsum(rec[:, _COMMA]) - rec[:, _COMMA]
    seg_commas = np.minimum(commas - commas[seg_start], 3)
    years = np.minimum(_within(year, firsts), 2)
    k = np.minimum(ar - seg_start, 3)
    state_keys = ((10 * pos) // sizes + 10 * k + 40 * years + 120 * seg_commas
                  + 480 * (ahead | scan))
    out[10] = _lookup(enc._states, state_keys, lambda i: enc._state(int(state_keys[i])))
    # Known phrases (as ScoreEncoder._gz_rows): one walk over the batch's words, a space
    # after each reference's (no token's word holds one, so no phrase runs over it), from
    # the tokens where a phrase can start. Most of those start none: a phrase can start
    # at a word only if the word alone is a phrase or the next word (tokens without one
    # are skipped, as in the walk) follows it in one; those are found with numpy first.
    can = rec[:, _CAN].astype(bool)
    if can.any() and enc._gazetteer.phrases:
        ids, single, keys = _gz_tables(enc)
        gid = rec[:, _GID]
        # The next token with a word after each token, in the same reference.
        ahead_at = np.where(gid != -2, ar, total)
        ahead_at = np.minimum.accumulate(ahead_at[::-1])[::-1]
        nxt_at = np.empty_like(ahead_at)
        nxt_at[:-1] = ahead_at[1:]
        nxt_at[-1] = total
        nxt_gid = np.where(nxt_at <= lasts, gid[np.minimum(nxt_at, total - 1)], -1)
        pair_keys = gid * len(ids) + nxt_gid
        at = np.minimum(np.searchsorted(keys, pair_keys), len(keys) - 1)
        can &= single[gid] | ((gid >= 0) & (nxt_gid >= 0) & (keys[at] == pair_keys))
    if can.any() and enc._gazetteer.phrases:
        words: list[str] = []
        for c in caches:
            words += map(_GZ_WORD, c)
            words.append(" ")
        at = ar + seq_of  # each token's place among the words
        marked = enc._gazetteer.words_marks(words, (at[can]).tolist())
        if marked:
            token_of = np.zeros(len(words), dtype=np.intp)
            token_of[at] = ar
            groups = enc._groups
            rows = []
            for marks in marked.values():
                key = ("gz", marks)
                row = groups.get(key)
                rows.append(enc._part(key, list(marks)) if row is None else row)
            out[13, token_of[list(marked)]] = rows
    return out
