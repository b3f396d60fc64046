"""Known phrases of some fields (journals, publishers, places, series), matched in a reference.

The training script collects the gold strings of a few labels from the training split (never
from the dev split or the evaluation set) and writes them beside the model
(``model.gazetteer`` beside ``model.crfsuite``). When a reference is tagged, every token inside
the longest known phrase of a label that starts where it does gets a feature naming the label,
the phrase's length and where in it the token is (see :meth:`Gazetteer.marks`).

Phrases are compared as their words: each token's text without edge punctuation, lower-cased;
tokens that are only punctuation are skipped (so "Phys. Rev. Lett." and "Phys Rev Lett" match).
The same file holds each word's label prior (its commonest label in the training split and
that label's share, for words seen at least three times; cue words excepted), which marks the
word and its neighbours. For training, the features of a training string come from a
gazetteer built without the string's own fold (:func:`fold_of`), so that the model learns how
often a phrase is found in text it has not seen rather than trusting a perfect match.
"""

from __future__ import annotations

import functools
import hashlib
from itertools import compress
from pathlib import Path
from typing import Iterable, Sequence

from .data import raw_key
from .lexicon import KEYWORDS
from .lexicon import PUNCT as _PUNCT

__all__ = ["Gazetteer", "GAZETTEER_LABELS", "FOLDS", "fold_of", "gazetteer_path",
           "default_gazetteer"]

#: Labels whose gold strings are collected, with the short code used in feature names.
GAZETTEER_LABELS = {"container-title": "ct", "publisher": "pb", "location": "lc",
                    "collection-title": "cl"}
#: Number of folds for the training strings' features.
FOLDS = 5
# Longest phrase kept, in words (longer ones seldom recur word for word).
_MAX_WORDS = 10
# A word's label prior is kept when it occurs this often in the training strings.
_PRIOR_MIN = 3
# Lead-in words dropped from the start of a collected phrase ("In: Proc. ...").
_LEAD_INS = frozenset(("in", "dans", "en"))
# Cache of token text -> word, bounded like the feature caches.
_WORDS: dict[str, str] = {}
_WORDS_MAX = 200_000


def gazetteer_path(model_path: Path) -> Path:
    """Where the gazetteer of a model file is kept: beside it, suffix ``.gazetteer``."""
    return model_path.with_suffix(".gazetteer")


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> "Gazetteer":
    """The shipped model's gazetteer (``model.gazetteer`` in this package), loaded once."""
    return Gazetteer.load(Path(__file__).with_name("model.gazetteer"))


def fold_of(raw: str) -> int:
    """The training fold of a reference string (by hash, independent of the dev split)."""
    digest = hashlib.sha1(raw_key(raw).encode("utf-8")).digest()
    return digest[1] % FOLDS


def _word(text: str) -> str:
    word = _WORDS.get(text)
    if word is None:
        word = text.strip(_PUNCT).lower()
        if len(_WORDS) >= _WORDS_MAX:
            _WORDS.clear()
        _WORDS[text] = word
    return word


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4"


class Gazetteer:
    """Known phrases per label code (with their prefixes, for early stopping) and word priors."""

    def __init__(self, phrases: dict[str, Iterable[str]] | None = None,
                 words: dict[str, str] | None = None) -> None:
        #: phrase (words joined by one space) -> bit mask of the label codes it is known for
        self.phrases: dict[str, int] = {}
        self._attrs: dict = {}
        # token text -> what matching needs of it (see _token); depends on the phrases
        self._tokens: dict[str, tuple] = {}
        #: word -> its label prior ("container-title:9": 90% or more of its occurrences)
        self.words: dict[str, str] = dict(words or {})
        self.codes = tuple(GAZETTEER_LABELS.values())
        # label mask -> the label bits set in it
        self._bits = [tuple(b for b in range(len(self.codes)) if mask >> b & 1)
                      for mask in range(1 << len(self.codes))]
        self._prefixes: set[str] = set()
        self._trie: dict[str, list] | None = None  # made on first use (see _phrase_trie)
        for code, items in (phrases or {}).items():
            for phrase in items:
                self.add(code, phrase)

    def __len__(self) -> int:
        return len(self.phrases) + len(self.words)

    def add(self, code: str, phrase: str) -> None:
        """Add one phrase (words joined by single spaces) for the label ``code``."""
        if self._tokens:
            self._tokens.clear()
        self._trie = None
        bit = 1 << self.codes.index(code)
        self.phrases[phrase] = self.phrases.get(phrase, 0) | bit
        words = phrase.split(" ")
        for k in range(1, len(words)):
            self._prefixes.add(" ".join(words[:k]))

    @staticmethod
    def phrase_of(texts: Sequence[str]) -> str | None:
        """The phrase of a gold field's token texts, or None if it is not worth keeping."""
        words = [w for w in map(_word, texts) if w]
        while words and words[0] in _LEAD_INS:
            words = words[1:]
        if not words or len(words) > _MAX_WORDS:
            return None
        phrase = " ".join(words)
        if len(phrase) < 2 or not any(c.isalpha() for c in phrase):
            return None
        return phrase

    @classmethod
    def from_examples(cls, examples: Iterable) -> "Gazetteer":
        """Collect the phrases of the gazetteer labels from labelled examples."""
        gaz = cls()
        counts: dict[str, dict[str, int]] = {}
        for ex in examples:
            labels = ex.labels
            for tok, label in zip(ex.tokens, labels):
                word = _word(tok.text)
                if len(word) > 1 and any(c.isalpha() for c in word):
                    per = counts.setdefault(word, {})
                    per[label] = per.get(label, 0) + 1
            n = len(labels)
            i = 0
            while i < n:
                j = i + 1
                while j < n and labels[j] == labels[i]:
                    j += 1
                code = GAZETTEER_LABELS.get(labels[i])
                if code is not None:
                    phrase = cls.phrase_of([t.text for t in ex.tokens[i:j]])
                    if phrase is not None:
                        gaz.add(code, phrase)
                i = j
        for word, per in counts.items():
            total = sum(per.values())
            # Cue words ("in", "dans", "pp", "vol") are left out: their role depends on where
            # they stand, and their own features (the cue classes) already say what they are.
            if total >= _PRIOR_MIN and word not in KEYWORDS:
                label, top = max(per.items(), key=lambda kv: (kv[1], kv[0]))
                share = top / total
                if share >= 0.5:
                    gaz.words[word] = f"{label}:{9 if share >= 0.9 else 7 if share >= 0.7 else 5}"
        return gaz

    def save(self, path: Path) -> None:
        """Write the phrases, one ``code<TAB>phrase`` line each, sorted (reproducible)."""
        lines = sorted(f"{code}\t{phrase}" for phrase, mask in self.phrases.items()
                       for b, code in enumerate(self.codes) if mask >> b & 1)
        lines += sorted(f"w\t{word}\t{prior}" for word, prior in self.words.items())
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Gazetteer":
        """Read a file written by :meth:`save`; a missing file is an empty gazetteer."""
        gaz = cls()
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                code, _, phrase = line.partition("\t")
                if code == "w":
                    word, _, prior = phrase.partition("\t")
                    gaz.words[word] = prior
                elif phrase and code in gaz.codes:
                    gaz.add(code, phrase)
        return gaz

    def _token(self, text: str) -> tuple:
        """What matching needs of a token text, cached: its word, its prior attributes, and
        whether a known phrase can start with it."""
        word = _word(text)
        hit = (word, self._prior(word) if word else None, self.can_start(word))
        tokens = self._tokens
        if len(tokens) >= _WORDS_MAX:
            tokens.clear()
        tokens[text] = hit
        return hit

    def _attr(self, b: int, length: int, where: int) -> bytes:
        key = (b, length, where)
        hit = self._attrs.get(key)
        if hit is None:
            # where: 0 inside, 1 first word, 2 last word, 3 the only word
            hit = self._attrs[key] = (f"gz{self.codes[b]}={'ibes'[where]}{_bucket(length)}"
                                      ).encode()
        return hit

    def _prior(self, word: str) -> tuple[bytes, bytes, bytes] | None:
        """The prior attributes of a word: its own, and as the next and previous token's."""
        prior = self.words.get(word)
        if prior is None:
            return None
        hit = self._attrs.get(prior)
        if hit is None:
            hit = self._attrs[prior] = (f"pr={prior}".encode(), f"pr+1={prior}".encode(),
                                        f"pr-1={prior}".encode())
        return hit

    def prior(self, text: str) -> tuple[bytes, bytes, bytes] | None:
        """A token text's prior attributes: its own, as the previous token's (``pr+1=``, to
        the token before it) and as the next token's (``pr-1=``, to the token after it)."""
        return (self._tokens.get(text) or self._token(text))[1]

    def marks(self, texts: Sequence[str], priors: bool = True) -> list[tuple[bytes, ...]]:
        """One tuple of attributes per token: for each label, the longest known phrase that
        starts at a word not already inside an earlier match of that label marks its tokens
        (``gzct=b3``: first word of a three-word container title; ``i`` inside, ``e`` last,
        ``s`` a one-word phrase; lengths 4 and more are one bucket). Tokens that are only
        punctuation inside a phrase are marked as inside it. With ``priors``, a word's label
        prior marks it (``pr=``) and its neighbours (``pr-1=`` after it, ``pr+1=`` before
        it); the score encoder leaves them out and adds them with the token's own attributes
        instead (see :meth:`prior`)."""
        n = len(texts)
        if not self.phrases and not self.words:
            return [()] * n
        known = self._tokens
        toks = [known.get(t) or self._token(t) for t in texts]
        marks: list[list[bytes]] = [[] for _ in range(n)]
        if priors and self.words:
            for i, t in enumerate(toks):
                p = t[1]
                if p:
                    marks[i].append(p[0])
                    if i:
                        marks[i - 1].append(p[1])
                    if i + 1 < n:
                        marks[i + 1].append(p[2])
        for i, attrs in self._phrase_marks(toks).items():
            marks[i] += attrs
        return [tuple(x) for x in marks]

    def phrase_marks(self, texts: Sequence[str]) -> dict[int, tuple[bytes, ...]]:
        """The known-phrase marks of :meth:`marks` (no priors), only for the tokens that
        have any: token index -> attributes (the score encoder's cheaper form)."""
        if not self.phrases:
            return {}
        known = self._tokens
        return self._phrase_marks([known.get(t) or self._token(t) for t in texts])

    def can_start(self, word: str) -> bool:
        """Whether a known phrase can start with ``word`` (a token's word, see
        :meth:`words_marks`)."""
        return bool(word) and (word in self._prefixes or word in self.phrases)

    def _phrase_marks(self, toks: list[tuple]) -> dict[int, tuple[bytes, ...]]:
        starts = [i for i in range(len(toks)) if toks[i][2]]
        if not starts:  # no known phrase can start here
            return {}
        return self.words_marks([t[0] for t in toks], starts)

    def _phrase_trie(self) -> dict[str, list]:
        """The phrases as a tree of words: word -> [label mask, {next word: node}], so that
        a scan follows the tokens' words without joining them into strings to look up
        (a token's word has no space, so the two ways find the same phrases)."""
        trie = self._trie
        if trie is None:
            trie = self._trie = {}
            for phrase, mask in self.phrases.items():
                level = trie
                node: list = []
                for word in phrase.split(" "):
                    node = level.get(word) or level.setdefault(word, [0, {}])
                    level = node[1]
                node[0] = mask
        return trie

    def words_marks(self, words: Sequence[str], starts: Sequence[int]
                    ) -> dict[int, tuple[bytes, ...]]:
        """:meth:`phrase_marks` from the tokens' words (edge punctuation stripped,
        lower-cased) and the indices of those that :meth:`can_start` a phrase (ascending)."""
        trie = self._phrase_trie()
        if all(words):  # the usual case: every token has a word, word index = token index
            at = None
            seq = words
        else:  # tokens that are only punctuation are skipped
            at = list(compress(range(len(words)), words))
            where_at = dict(zip(at, range(len(at))))
            seq = [words[i] for i in at]
        m = len(seq)
        bits = self._bits
        attrs = self._attrs
        free = [0] * len(self.codes)  # per label: first word index not yet inside a match
        out: dict[int, tuple[bytes, ...]] = {}
        for i0 in starts:
            s = i0 if at is None else where_at[i0]
            node = trie.get(seq[s])
            best: dict[int, int] | None = None  # label bit -> longest match length in words
            e = s
            while node is not None:
                mask, following = node
                if mask:
                    if best is None:
                        best = {}
                    for b in bits[mask]:
                        best[b] = e - s + 1
                e += 1
                if e >= m or not following:
                    break
                node = following.get(seq[e])
            if best is None:
                continue
            for b, length in best.items():
                if s < free[b]:
                    continue
                free[b] = s + length
                first, last = (s, s + length - 1) if at is None else (at[s], at[s + length - 1])
                for i in range(first, last + 1):
                    where = (1 if i == first else 0) | (2 if i == last else 0)
                    attr = attrs.get((b, length, where)) or self._attr(b, length, where)
                    out[i] = out.get(i, ()) + (attr,)
        return out
