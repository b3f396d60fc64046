"""Load the shipped CRF model (once, lazily) and tag token sequences with it.

python-crfsuite trains the model, but tagging is done here with numpy on the weights read from
the model file: crfsuite's Python binding costs about 170 ns for every attribute of every token
it is handed (a string copy and a hash lookup), which was most of the parser's time. Here the
features become rows of a table of summed label scores, cached per token text
(:class:`~citekit.parse.tagger.features.ScoreEncoder`), and many references are tagged at once.

The arithmetic follows crfsuite's (``crf1d_context.c``): Viterbi adds the transition weight to
the previous score and then the state score, and keeps the first best label on ties; the
marginals and the sequence probability use the same scaled forward-backward recursions. A
token's state scores are the same sums of weights, but added in groups (per token text, per
stretch, ...) rather than strictly one attribute after another, so they can differ from
crfsuite's in the last bits; the labels could then differ only where two labellings score the
same to about 1e-13. On all 11,067 corpus and evaluation strings the labels, entries and
confidences (to six decimals) are crfsuite's.
"""

from __future__ import annotations

import functools
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pycrfsuite

from ...errors import ConfigError
from .batchrows import batch_rows, usable
from .features import (CLASS_SLOTS, ROW_SLOTS, SLOTS, TOKEN_SLOTS, ScoreEncoder,
                       sequence_features, set_clusters)
from .gazetteer import Gazetteer, default_gazetteer, gazetteer_path
from .clusters import clusters_path, load_clusters
from .tokens import Token

__all__ = ["MODEL_PATH", "Tagging", "Tagger", "default_tagger", "read_model"]

#: The model trained by ``python -m citekit.parse.tagger.train`` and shipped in the package.
MODEL_PATH = Path(__file__).with_name("model.crfsuite")

# Sequences tagged together; long enough to spread numpy's per-call cost, short enough to keep
# the batch's arrays in cache.
_BATCH = 256
# Fewer sequences than this are tagged by crfsuite itself (see Tagger.tag_tokens).
_SMALL_BATCH = 8
# Tokens whose scores are added up together (about 320 kB of buffers).
_SCORE_TOKENS = 2048


@dataclass(slots=True)  # no __dict__: cheaper to make, one object less for the collector
class Tagging:
    """The labels of one sequence, per-token marginal probabilities, and the sequence's.

    Marginals are given where a field starts or ends (where the tagger hesitates); tokens
    inside a field get 1.0 unless ``all_marginals`` was asked for.
    """

    labels: list[str]
    marginals: list[float]
    probability: float


def read_model(path: Path) -> tuple[list[str], list[bytes], np.ndarray, np.ndarray]:
    """Read a crfsuite CRF1d model file: labels, attributes, state and transition weights.

    The state weights come as a matrix with one row per attribute *plus a first row of zeros*
    (row ``i + 1`` belongs to attribute ``i``); transitions as a labels-by-labels matrix.
    """
    # The layout is crfsuite's (crf1d_model.c, cqdb.c): a 48-byte header of little-endian
    # 32-bit fields, a FEAT chunk of (type, source, target, float64 weight) records, and two
    # constant databases whose "backward" arrays list every string by its id.
    buf = path.read_bytes()
    if len(buf) < 48 or buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ValueError("not a crfsuite CRF1d model")
    (n_labels, n_attrs, off_feat, off_labels, off_attrs) = struct.unpack_from("<5I", buf, 20)
    labels = [s.decode("utf-8") for s in _cqdb_strings(buf, off_labels, n_labels)]
    attrs = _cqdb_strings(buf, off_attrs, n_attrs)
    if buf[off_feat:off_feat + 4] != b"FEAT":
        raise ValueError("model has no feature chunk")
    count = struct.unpack_from("<I", buf, off_feat + 8)[0]
    rec = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
    feats = np.frombuffer(buf, dtype=rec, count=count, offset=off_feat + 12)
    state = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    s = feats[feats["type"] == 0]
    state[s["src"].astype(np.intp) + 1, s["dst"]] = s["weight"]
    t = feats[feats["type"] == 1]
    trans[t["src"], t["dst"]] = t["weight"]
    return labels, attrs, state, trans


def _cqdb_strings(buf: bytes, off: int, n: int) -> list[bytes]:
    if buf[off:off + 4] != b"CQDB":
        raise ValueError("model has no string database")
    size, n_back, back = struct.unpack_from("<I8xII", buf, off + 4)
    if n_back != n:
        raise ValueError("model string database is inconsistent")
    out: list[bytes] = [b""] * n
    for rec in struct.unpack_from(f"<{n}I", buf, off + back):
        value, klen = struct.unpack_from("<II", buf, off + rec)
        out[value] = buf[off + rec + 8:off + rec + 7 + klen]  # the key ends in a NUL
    return out


class Tagger:
    """A CRF tagger bound to one model file (written by python-crfsuite)."""

    def __init__(self, path: Path | str = MODEL_PATH) -> None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"tagger model not found: {path.name} (train it with "
                              "python -m citekit.parse.tagger.train)")
        try:
            labels, attrs, state, trans = read_model(path)
        except (OSError, ValueError, struct.error) as exc:
            raise ConfigError(f"tagger model cannot be loaded: {exc}") from exc
        self.labels = tuple(labels)
        # The label names as an object array: a batch's paths become names in one gather.
        self._label_names = np.array(self.labels, dtype=object)
        self._attrs = attrs
        #: attribute (UTF-8) -> row of the state weight matrix
        self.index = {a: i + 1 for i, a in enumerate(attrs)}
        self._state = state
        self._trans = trans
        self._exp_trans = np.exp(trans)
        self._encoder: ScoreEncoder | None = None
        #: the known phrases the model was trained with (the file beside the model)
        self.gazetteer = (default_gazetteer() if path.resolve() == Path(MODEL_PATH).resolve()
                          else Gazetteer.load(gazetteer_path(path)))
        clusters = clusters_path(path)
        if clusters.is_file():
            # A model trained with word clusters (--clusters, off by default) has them beside
            # it; the token features read them from one module-wide table.
            set_clusters(load_clusters(clusters))
        self._path = path
        self._crfsuite: pycrfsuite.Tagger | None = None
        self._lock = threading.RLock()

    def attributes(self) -> frozenset[str]:
        """Every attribute (feature name) the model has a weight for."""
        return frozenset(a.decode("utf-8") for a in self._attrs)

    @property
    def encoder(self) -> ScoreEncoder:
        """The feature encoder for this model (caches per token text; see ``features.py``)."""
        if self._encoder is None:
            self._encoder = ScoreEncoder(self.index, self._state, self.gazetteer)
        return self._encoder

    def tag(self, xseq: Sequence[Sequence[bytes | str]], marginals: bool = True,
            all_marginals: bool = False) -> Tagging:
        """Tag one sequence of feature lists (attribute names, as in training)."""
        if not xseq:
            return Tagging([], [], 1.0)
        index = self.index
        rows: list[int] = []
        offsets: list[int] = []
        for attrs in xseq:
            offsets.append(len(rows))
            rows.append(0)
            for a in attrs:
                r = index.get(a if isinstance(a, bytes) else a.encode("utf-8"))
                if r is not None:
                    rows.append(r)
        scores = np.add.reduceat(self._state[np.asarray(rows, dtype=np.intp)],
                                 np.asarray(offsets, dtype=np.intp), axis=0)
        return self._decode(scores, [len(xseq)], marginals, all_marginals)[0]

    def tag_tokens(self, sequences: Sequence[Sequence[Token]], marginals: bool = True,
                   all_marginals: bool = False) -> list[Tagging]:
        """Tag many token sequences (the fast path: features are encoded as table rows).

        A handful of sequences go through crfsuite's own tagger instead: numpy's cost per call
        would outweigh what batching saves (same labels either way).
        """
        with self._lock:  # the encoder's caches and crfsuite's tagger are not thread-safe
            if len(sequences) < _SMALL_BATCH:
                return [self._crfsuite_tag(toks, marginals, all_marginals) for toks in sequences]
            return self._tag_batches(sequences, marginals, all_marginals)

    def _tag_batches(self, sequences: Sequence[Sequence[Token]], marginals: bool,
                     all_marginals: bool) -> list[Tagging]:
        enc = self.encoder
        enc.start()
        caches = enc.learn(sequences)
        columns = encoded = None
        if usable(enc):  # all the batch's rows with numpy (batchrows.py)
            columns = batch_rows(enc, sequences, caches)
            lens_all = np.fromiter(map(len, sequences), dtype=np.intp, count=len(sequences))
            offsets = np.cumsum(lens_all) - lens_all
        else:  # reference by reference (ScoreEncoder.rows)
            encoded = list(map(enc.rows, sequences, caches))
        table = enc.flush()
        token_sums, class_rows = enc.token_sums, enc.class_rows
        out: list[Tagging] = [Tagging([], [], 1.0)] * len(sequences)
        # Sequences of like length go together, so few steps run for a handful of long ones.
        order = sorted((i for i in range(len(sequences)) if sequences[i]),
                       key=lambda i: len(sequences[i]))
        for b in range(0, len(order), _BATCH):
            idx = order[b:b + _BATCH]
            lens = [len(sequences[i]) for i in idx]
            if columns is not None:
                # The batch's tokens, sequence after sequence, among the columns.
                counts = np.asarray(lens, dtype=np.intp)
                shift = np.repeat(offsets[idx] - (np.cumsum(counts) - counts), counts)
                part = columns[:, np.arange(len(shift)) + shift]
            else:
                flat: list[int] = []
                for i in idx:
                    flat += encoded[i]
                part = _by_slot(np.fromiter(flat, dtype=np.intp, count=len(flat)), lens)
            slots = _slots_of(part, lens, token_sums, class_rows)
            # Each slot's rows are gathered into one buffer (np.take, no bounds checks: every
            # index is a row of the table) and added in slot order, _SCORE_TOKENS tokens at a
            # time (the buffers then stay in the processor's cache).
            total = slots.shape[1]
            scores = np.empty((total, table.shape[1]))
            rows = np.empty((min(total, _SCORE_TOKENS), table.shape[1]))
            for a in range(0, total, _SCORE_TOKENS):
                part = slots[:, a:a + _SCORE_TOKENS]
                acc = scores[a:a + _SCORE_TOKENS]
                buf = rows[:len(acc)]
                np.take(table, part[0], axis=0, out=acc, mode="clip")
                for k in range(1, SLOTS):
                    np.take(table, part[k], axis=0, out=buf, mode="clip")
                    acc += buf
            for i, tagging in zip(idx, self._decode(scores, lens, marginals, all_marginals)):
                out[i] = tagging
        return out

    def _crfsuite_tag(self, tokens: Sequence[Token], marginals: bool,
                      all_marginals: bool) -> Tagging:
        if not tokens:
            return Tagging([], [], 1.0)
        crf = self._crfsuite
        if crf is None:
            crf = self._crfsuite = pycrfsuite.Tagger()
            crf.open(str(self._path))
        crf.set(sequence_features(tokens, self.gazetteer))
        labels = crf.tag()
        n = len(labels)
        if not marginals:
            return Tagging(labels, [1.0] * n, 1.0)
        marg = crf.marginal
        # A field's first and last tokens, where the tagger hesitates; 1.0 inside fields.
        probs = [marg(lab, i) if all_marginals or i == 0 or i == n - 1 or lab != labels[i - 1]
                 or lab != labels[i + 1] else 1.0 for i, lab in enumerate(labels)]
        return Tagging(labels, probs, crf.probability(labels))

    def _decode(self, flat: np.ndarray, lens: list[int], marginals: bool,
                all_marginals: bool) -> list[Tagging]:
        """Labels (and scores) of sequences whose token state scores are stacked in ``flat``."""
        if any(a > b for a, b in zip(lens, lens[1:])):
            # Decoding wants the shortest first; put them so and back.
            starts = np.cumsum([0, *lens[:-1]]).tolist()
            order = sorted(range(len(lens)), key=lens.__getitem__)
            part = np.concatenate([flat[starts[i]:starts[i] + lens[i]] for i in order])
            done = self._decode(part, [lens[i] for i in order], marginals, all_marginals)
            out: list[Tagging] = [done[0]] * len(lens)
            for i, tagging in zip(order, done):
                out[i] = tagging
            return out
        n = len(lens)
        width = max(lens)
        lens_a = np.asarray(lens, dtype=np.intp)
        # Tokens laid out as (sequence, position); shorter sequences are padded at the end.
        mask = np.arange(width) < lens_a[:, None]
        scores = np.zeros((n, width, len(self.labels)))
        scores[mask] = flat
        paths, best = self._viterbi(scores, lens_a)
        if marginals:
            probs, log_norm = self._forward_backward(scores, lens_a, paths, all_marginals)
        names = [row[:m] for row, m in zip(self._label_names[paths].tolist(), lens)]
        if not marginals:
            return [Tagging(labels, [1.0] * m, 1.0) for labels, m in zip(names, lens)]
        seq_probs = np.exp(best - log_norm).tolist()
        return [Tagging(*t) for t in zip(names, probs, seq_probs)]

    def _viterbi(self, scores: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best label paths (padded) and their scores; ties go to the lower label id.

        ``lens`` must be in ascending order: the sequences still going at step ``t`` are then
        the last ones, a slice.
        """
        n, width, n_labels = scores.shape
        trans = self._trans
        # Only a sequence's own steps are written and read (not its padding): no zero fill.
        deltas = np.empty_like(scores)
        deltas[:, 0] = scores[:, 0]
        # cand[i, s, j]: sequence s at label i before, label j now. The best over i is then
        # a maximum over the outer axis, which numpy takes slab by slab over contiguous
        # rows: faster than a maximum over a middle or inner axis, or one label at a time.
        cand = np.empty((n_labels, n, n_labels))
        going = np.searchsorted(lens, np.arange(width), side="right").tolist()
        for t in range(1, width):
            # Only the best score is kept going forward; the back pointers are recomputed
            # along the chosen path alone, which is far cheaper than storing them all.
            k = going[t]
            block = cand[:, :n - k]
            np.add(deltas[k:, t - 1].T[:, :, None], trans[:, None, :], out=block)
            nxt = block.max(axis=0)
            nxt += scores[k:, t]
            deltas[k:, t] = nxt
        last = np.maximum(lens - 1, 0)
        ar = np.arange(n)
        paths = np.zeros((n, width), dtype=np.intp)
        final = deltas[ar, last]
        y = final.argmax(axis=1)
        best = final[ar, y]
        paths[ar, last] = y
        for t in range(width - 1, 0, -1):
            k = going[t]
            cur = paths[k:, t]
            # deltas[k, t-1, i] + trans[i, cur]: the same sums the forward pass maximised.
            paths[k:, t - 1] = (deltas[k:, t - 1] + trans[:, cur].T).argmax(axis=1)
        return paths, best

    def _forward_backward(self, scores: np.ndarray, lens: np.ndarray, paths: np.ndarray,
                          all_marginals: bool) -> tuple[list[list[float]], np.ndarray]:
        """Marginals of the chosen labels (where wanted) and each sequence's log partition.

        ``lens`` must be in ascending order (see :meth:`_viterbi`).
        """
        n, width, n_labels = scores.shape
        exp_state = np.exp(scores)
        exp_trans = self._exp_trans
        # alpha and beta are written at every token of every sequence and not in the padding,
        # which is never read but by the marginals below (then dropped): no zero fill.
        alpha = np.empty_like(scores)
        scale = np.ones((n, width))
        going = np.searchsorted(lens, np.arange(width), side="right").tolist()
        for t in range(width):
            k = going[t]
            if t:
                cur = (alpha[k:, t - 1] @ exp_trans) * exp_state[k:, t]
            else:
                cur = exp_state[:, 0].copy()
            total = cur.sum(axis=1)
            s = 1.0 / np.where(total != 0.0, total, 1.0)
            cur *= s[:, None]
            scale[k:, t] = s
            alpha[k:, t] = cur
        log_norm = -np.log(scale).sum(axis=1)  # padding keeps scale 1
        beta = np.empty_like(scores)
        last = np.maximum(lens - 1, 0)
        ar = np.arange(n)
        beta[ar, last] = scale[ar, last][:, None]
        for t in range(width - 2, -1, -1):
            k = going[t + 1]
            row = beta[k:, t + 1] * exp_state[k:, t + 1]
            beta[k:, t] = (row @ exp_trans.T) * scale[k:, t][:, None]
        at = paths[:, :, None]
        # The padding holds whatever the buffers held (not read but here, then dropped), so
        # its arithmetic may overflow: no warnings (a sequence's own values are unchanged).
        with np.errstate(all="ignore"):
            marg = (np.take_along_axis(alpha, at, 2) * np.take_along_axis(beta, at, 2))[:, :, 0]
            marg /= scale
        if not all_marginals:
            # A field's first and last tokens, where the tagger hesitates; 1.0 inside fields.
            want = np.ones((n, width), dtype=bool)
            want[:, 1:] = paths[:, 1:] != paths[:, :-1]
            want[:, :-1] |= paths[:, :-1] != paths[:, 1:]
            want[ar, last] = True
            marg = np.where(want, marg, 1.0)
        probs = [row[:m] for row, m in zip(marg.tolist(), lens.tolist())]
        return probs, log_norm


def _slots(flat: np.ndarray, lens: list[int], token_sums: np.ndarray,
           class_rows: np.ndarray) -> np.ndarray:
    """The rows of consecutive sequences (each slot by slot, see ScoreEncoder.rows) as one
    row of table rows per slot over all their tokens: shape (SLOTS, tokens). The token sums
    (own, and what the tokens at -1, -2, +1, +2 tell each token) are taken from
    ``token_sums`` by the token texts' ids, the class-pair rows from ``class_rows`` by the
    ids of each token's pair with the token before it."""
    return _slots_of(_by_slot(flat, lens), lens, token_sums, class_rows)


def _by_slot(flat: np.ndarray, lens: list[int]) -> np.ndarray:
    """Consecutive sequences' rows, each slot by slot (ScoreEncoder.rows), as one row per
    slot over all their tokens: shape (ROW_SLOTS, tokens), as batch_rows gives them."""
    counts = np.asarray(lens, dtype=np.intp)
    firsts = np.repeat(np.cumsum(counts) - counts, counts)  # each token's sequence's first
    sizes = np.repeat(counts, counts)
    # Token j of a sequence starting at token f with n tokens: slot k at ROW_SLOTS*f + k*n + j-f.
    at = np.arange(len(firsts)) + (ROW_SLOTS - 1) * firsts
    return flat[at + np.arange(ROW_SLOTS)[:, None] * sizes]


def _slots_of(part: np.ndarray, lens: list[int], token_sums: np.ndarray,
              class_rows: np.ndarray) -> np.ndarray:
    """What :func:`_slots` gives, from the rows as one row per slot (``_by_slot``)."""
    counts = np.asarray(lens, dtype=np.intp)
    firsts = np.repeat(np.cumsum(counts) - counts, counts)  # each token's sequence's first
    sizes = np.repeat(counts, counts)
    out = np.empty((SLOTS, len(firsts)), dtype=np.intp)
    rest = [k for k in range(SLOTS) if k not in TOKEN_SLOTS and k not in CLASS_SLOTS]
    out[rest] = part[2:]
    pos = np.arange(len(firsts)) - firsts  # place in its sequence
    left = sizes - pos  # tokens from here to the end of its sequence
    sums = token_sums[part[0]]  # (tokens, 5): own, as -1, +1, -2, +2
    own, before, before2, after, after2 = TOKEN_SLOTS
    out[own] = sums[:, 0]
    _shifted(out[before], sums[:, 1], 1, pos < 1)  # what the token before tells this one
    _shifted(out[before2], sums[:, 3], 2, pos < 2)
    _shifted(out[after], sums[:, 2], -1, left < 2)
    _shifted(out[after2], sums[:, 4], -2, left < 3)
    pairs = class_rows[part[1]]  # (tokens, 5): each token's pair with the one before it
    edge, with_prev, with_next, prev_two, next_two = CLASS_SLOTS
    out[edge] = pairs[:, 0]  # id 0 (a sequence's first token) has zero rows
    out[with_prev] = pairs[:, 1]
    _shifted(out[with_next], pairs[:, 2], -1, left < 2)  # the pair with the next token
    _shifted(out[prev_two], pairs[:, 3], 1, pos < 2)  # the pair of the two tokens before
    _shifted(out[next_two], pairs[:, 4], -2, left < 3)  # the pair of the two tokens after
    return out


def _shifted(out: np.ndarray, values: np.ndarray, by: int, none: np.ndarray) -> None:
    """``out[j] = values[j - by]`` (the value of the token ``by`` places before; after, if
    negative), 0 where ``none`` (no such token in the same sequence)."""
    if by > 0:
        out[:by] = 0
        out[by:] = values[:-by]
    else:
        out[by:] = 0
        out[:by] = values[-by:]
    out[none] = 0


@functools.lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger over the shipped model, loaded on first use and then reused."""
    return Tagger(MODEL_PATH)
