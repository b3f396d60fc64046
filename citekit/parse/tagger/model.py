"""Load the shipped CRF model (once, lazily) and tag token sequences with it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pycrfsuite

from ...errors import ConfigError

__all__ = ["MODEL_PATH", "Tagging", "Tagger", "default_tagger"]

#: The model trained by ``python -m citekit.parse.tagger.train`` and shipped in the package.
MODEL_PATH = Path(__file__).with_name("model.crfsuite")


@dataclass
class Tagging:
    """The labels of one sequence, per-token marginal probabilities, and the sequence's.

    Marginals are computed where a field starts or ends (where the tagger hesitates); tokens
    inside a field get 1.0 unless ``all_marginals`` was asked for.
    """

    labels: list[str]
    marginals: list[float]
    probability: float


class Tagger:
    """A python-crfsuite tagger bound to one model file."""

    def __init__(self, path: Path | str = MODEL_PATH) -> None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"tagger model not found: {path.name} (train it with "
                              "python -m citekit.parse.tagger.train)")
        self._crf = pycrfsuite.Tagger()
        try:
            self._crf.open(str(path))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"tagger model cannot be loaded: {exc}") from exc
        self.labels = tuple(self._crf.labels())

    def attributes(self) -> frozenset[str]:
        """Every attribute (feature name) the model has a weight for; slow, for checks only."""
        return frozenset(attr for attr, _ in self._crf.info().state_features)

    def tag(self, xseq: Sequence[Sequence[str]], marginals: bool = True,
            all_marginals: bool = False) -> Tagging:
        """Tag one sequence of feature lists; with ``marginals`` also score the labels."""
        if not xseq:
            return Tagging([], [], 1.0)
        crf = self._crf
        crf.set(xseq)
        labels = crf.tag()
        if not marginals:
            return Tagging(labels, [1.0] * len(labels), 1.0)
        marg = crf.marginal
        if all_marginals:
            probs = [marg(lab, i) for i, lab in enumerate(labels)]
        else:
            n = len(labels)
            probs = [1.0] * n
            prev = None
            for i, lab in enumerate(labels):
                if lab != prev:
                    probs[i] = marg(lab, i)
                    if i and probs[i - 1] == 1.0:
                        probs[i - 1] = marg(prev, i - 1)
                prev = lab
            if probs[-1] == 1.0:
                probs[-1] = marg(labels[-1], n - 1)
        return Tagging(labels, probs, crf.probability(labels))


@functools.lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger over the shipped model, loaded on first use and then reused."""
    return Tagger(MODEL_PATH)
