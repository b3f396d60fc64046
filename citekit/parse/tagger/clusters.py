"""Distributional word clusters for the tagger's features (issue 6's ninth round, off by default).

Words that stand in like contexts (the words before and after them in the training strings)
get like cluster ids, so that a journal word the training split has seldom seen can borrow
the weights of the ones it has. Each word of the training strings seen at least
``min_count`` times gets two ids, a coarse and a fine one: its context counts (the words at
−2, −1, +1, +2, the commonest ``contexts`` words by name and the others by kind) are
weighted by positive pointwise mutual information, reduced to ``dims`` dimensions by a
truncated SVD and grouped by k-means (cosine) into ``ks`` clusters. Everything is computed with
numpy from the training strings alone, deterministically (fixed k-means++ seed), by the
training script, which writes the clusters beside the model (``model.clusters``, one line per
word). Hand-written because the project has no clustering dependency and the job is small.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .lexicon import PUNCT

__all__ = ["word_key", "build_clusters", "save_clusters", "load_clusters", "clusters_path"]


def word_key(text: str) -> str:
    """The word of a token text as the features name it (``w=``): edge punctuation off, lower."""
    low = text.strip(PUNCT).lower()
    return low or text[:20]


def _kind(word: str) -> str:
    if any(c.isdigit() for c in word):
        return "<num>"
    if any(c.isalpha() for c in word):
        return "<word>"
    return "<punct>"


def build_clusters(sentences: Iterable[Sequence[str]], *, min_count: int = 3,
                   max_count: int = 0,
                   contexts: int = 500, dims: int = 48, ks: tuple[int, ...] = (32, 256),
                   iterations: int = 25, seed: int = 0) -> dict[str, tuple[int, ...]]:
    """Cluster the words of ``sentences`` (token texts) by their contexts; word -> ids.

    ``max_count``: if not 0, only words seen fewer times than this keep their ids (the
    commoner ones have weights of their own); all are clustered either way.
    """
    seqs = [[word_key(t) for t in s] for s in sentences]
    counts = Counter(w for s in seqs for w in s)
    vocab = sorted(w for w, c in counts.items()
                   if c >= min_count and any(ch.isalpha() for ch in w))
    row = {w: i for i, w in enumerate(vocab)}
    ctx_words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:contexts]]
    names = ctx_words + ["<num>", "<word>", "<punct>", "<s>"]
    col_of = {w: i for i, w in enumerate(names)}
    offsets = (-2, -1, 1, 2)
    width = len(names)
    m = np.zeros((len(vocab), width * len(offsets)), dtype=np.float64)
    for s in seqs:
        n = len(s)
        for i, w in enumerate(s):
            r = row.get(w)
            if r is None:
                continue
            for b, off in enumerate(offsets):
                j = i + off
                c = s[j] if 0 <= j < n else "<s>"
                col = col_of.get(c)
                if col is None:
                    col = col_of[_kind(c)]
                m[r, b * width + col] += 1.0
    # Positive pointwise mutual information of word and context.
    total = m.sum()
    pw = m.sum(axis=1, keepdims=True) / total
    pc = m.sum(axis=0, keepdims=True) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((m / total) / (pw * pc))
    m = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    # Truncated SVD from the eigenvectors of the (small) column Gram matrix.
    gram = m.T @ m
    vals, vecs = np.linalg.eigh(gram)
    top = np.argsort(vals)[::-1][:dims]
    emb = m @ vecs[:, top]
    # Fix each component's sign (eigh may return either), for a reproducible file.
    signs = np.sign(emb.sum(axis=0))
    signs[signs == 0] = 1.0
    emb *= signs
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    emb /= np.where(norms > 0, norms, 1.0)
    ids = [_kmeans(emb, k, iterations, seed) for k in ks]
    return {w: tuple(int(a[i]) for a in ids) for i, w in enumerate(vocab)
            if not max_count or counts[w] < max_count}


def _kmeans(x: np.ndarray, k: int, iterations: int, seed: int) -> np.ndarray:
    """Lloyd's k-means with k-means++ seeding; returns each row's cluster."""
    rng = np.random.default_rng(seed)
    n = len(x)
    k = min(k, n)
    centres = [x[rng.integers(n)]]
    d2 = ((x - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        p = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
        c = x[rng.choice(n, p=p)]
        centres.append(c)
        d2 = np.minimum(d2, ((x - c) ** 2).sum(axis=1))
    cent = np.array(centres)
    assign = np.zeros(n, dtype=np.intp)
    for _ in range(iterations):
        dist = (x * x).sum(axis=1)[:, None] - 2 * x @ cent.T + (cent * cent).sum(axis=1)[None, :]
        new = dist.argmin(axis=1)
        if np.array_equal(new, assign) and _ > 0:
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                cent[j] = members.mean(axis=0)
    return assign


def clusters_path(model_path: Path) -> Path:
    """Where the clusters of a model file are kept: beside it, ``.clusters``."""
    return Path(model_path).with_suffix(".clusters")


def save_clusters(clusters: dict[str, tuple[int, ...]], path: Path) -> None:
    """Write one ``word<TAB>id<TAB>id`` line per word, sorted."""
    with open(path, "w", encoding="utf-8") as fh:
        for w in sorted(clusters):
            if "\t" in w or "\n" in w:
                continue
            fh.write(w + "\t" + "\t".join(map(str, clusters[w])) + "\n")


def load_clusters(path: Path) -> dict[str, tuple[int, ...]]:
    """Read what :func:`save_clusters` wrote."""
    out: dict[str, tuple[int, ...]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = tuple(int(p) for p in parts[1:])
    return out
