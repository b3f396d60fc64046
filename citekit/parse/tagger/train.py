"""Train the reference tagger: ``python -m citekit.parse.tagger.train --data DIR --out FILE``.

Reads the labelled corpora in ``DIR`` (JSON lines; see ``../shared/data/README.md``), holds one
reference in ten out as a dev split (chosen by hash, so the split never changes), and trains a
linear-chain CRF with python-crfsuite. Training is deterministic: L-BFGS has no randomness and
the ``--seed`` only fixes the order in which examples are fed.
"""

from __future__ import annotations

import argparse
import random
import os
import sys
import time
from pathlib import Path

import pycrfsuite

from .data import CORPORA, EVALUATION, Example, is_dev, raw_key, read_examples
from .clusters import build_clusters, clusters_path, save_clusters
from .features import sequence_features, set_clusters
from .gazetteer import FOLDS, GAZETTEER_LABELS, Gazetteer, fold_of, gazetteer_path
from . import rendered
from .journals import style_journal_titles
from .synth import generate, harvest

__all__ = ["train", "main", "CORPUS_GROUPS"]

#: The corpus files of each ``--corpora`` choice (one corpus alone measures what mixing the
#: two corpora's conventions costs; issue 6's ninth round).
CORPUS_GROUPS = {"all": CORPORA, "anystyle": CORPORA[:2], "grobid": CORPORA[2:]}
# Prefixes of the corpus-specific attribute copies (``--corpus-copies``); the synthetic and
# rendered strings get none.
_CORPUS_PREFIX = {CORPORA[0]: b"A:", CORPORA[1]: b"A:", CORPORA[2]: b"G:"}


def train(examples: list[Example], out: Path, *, seed: int = 13, max_iterations: int = 150,
          c1: float = 0.05, c2: float = 0.01, verbose: bool = False,
          algorithm: str = "lbfgs", fold_gazetteers: list[Gazetteer] | None = None,
          corpus_copies: str = "", copy_value: float = 1.0) -> int:
    """Train a CRF on ``examples`` and write it to ``out``; return the number of examples used.

    ``fold_gazetteers``: one gazetteer per fold (:func:`~.gazetteer.fold_of`), each built
    without that fold's strings; an example's known-phrase features come from its fold's.
    Without them no phrase is marked.

    ``corpus_copies``: ``"both"``: each attribute of a corpus string is also given a second
    time, prefixed with its corpus (AnyStyle or GROBID), so that the weights of these copies can
    take up what one corpus labels differently from the other; ``"grobid"``: only the GROBID
    strings get the copies, so the shared weights must fit AnyStyle's strings (and the synthetic
    ones) alone. Tagging never sees the copies. Issue 6's ninth round; off (``""``) by default.
    ``copy_value``: the copies' attribute value (below 1, a copy must weigh more to count as
    much, so that the regularisation leaves more to the shared weights).

    ``algorithm`` is crfsuite's: ``lbfgs`` (the default, with L1 ``c1`` and L2 ``c2``), or
    ``ap`` (averaged perceptron) and ``pa`` (passive-aggressive), which take no ``c1``/``c2``.
    """
    order = list(examples)
    random.Random(seed).shuffle(order)
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=verbose)
    empty = Gazetteer()
    for ex in order:
        gaz = fold_gazetteers[fold_of(ex.raw)] if fold_gazetteers else empty
        if ex.corpus == rendered.CORPUS:
            # Every field value of a rendered string comes from the training split, so nearly
            # all its containers would be known phrases, far more than in real text.
            gaz = empty
        xseq = sequence_features(ex.tokens, gaz)
        prefix = _CORPUS_PREFIX.get(ex.corpus) if corpus_copies else None
        if corpus_copies == "grobid" and prefix != b"G:":
            prefix = None
        if prefix is not None and copy_value == 1.0:
            xseq = [list(attrs) + [prefix + a for a in attrs] for attrs in xseq]
        elif prefix is not None:
            xseq = [_valued(attrs, prefix, copy_value) for attrs in xseq]
        trainer.append(xseq, ex.labels)
    params: dict[str, object] = {
        "max_iterations": max_iterations,
        "feature.possible_transitions": True,
        "feature.minfreq": 1,
    }
    if algorithm == "lbfgs":
        params.update({"c1": c1, "c2": c2})
    trainer.set_params(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return len(order)


def _valued(attrs: list[bytes], prefix: bytes, value: float) -> dict[str, float]:
    """One token's attributes (value 1, repeats added up) and their copies (``value`` each)."""
    out: dict[str, float] = {}
    for a in attrs:
        name = a.decode("utf-8", "surrogateescape")
        out[name] = out.get(name, 0.0) + 1.0
        copy = (prefix + a).decode("utf-8", "surrogateescape")
        out[copy] = out.get(copy, 0.0) + value
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m citekit.parse.tagger.train", description=__doc__)
    ap.add_argument("--data", type=Path, required=True, help="folder with the labelled corpora")
    ap.add_argument("--out", type=Path, required=True, help="where to write the model")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--algorithm", choices=("lbfgs", "ap", "pa"), default="lbfgs",
                    help="crfsuite training algorithm (lbfgs: L-BFGS with c1/c2)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training examples")
    ap.add_argument("--synthetic", type=int, default=2000,
                    help="add N generated references in assorted styles (0: none)")
    ap.add_argument("--rendered", type=int, default=0,
                    help="add about N references rendered by citekit in assorted CSL styles "
                         "(0: none)")
    ap.add_argument("--style-journals", action="store_true",
                    help="add the journal names of the installed CSL styles to the known "
                         "container titles")
    ap.add_argument("--all", action="store_true", help="train on the dev split too")
    ap.add_argument("--corpora", choices=tuple(CORPUS_GROUPS), default="all",
                    help="train on the AnyStyle files only, the GROBID corpus only, or all "
                         "(the default; the shipped model)")
    ap.add_argument("--corpus-copies", choices=("both", "grobid"), default="",
                    help="train with a corpus-specific copy of every attribute of the strings "
                         "of both corpora or of the GROBID corpus only (tagging uses the "
                         "shared weights only)")
    ap.add_argument("--corpus-copy-value", type=float, default=1.0,
                    help="with --corpus-copies: the copies' attribute value (default 1)")
    ap.add_argument("--clusters", action="store_true",
                    help="word-cluster features from the training strings (written beside the "
                         "model as .clusters)")
    ap.add_argument("--cluster-max-count", type=int, default=0,
                    help="with --clusters: only words seen fewer than N times get cluster "
                         "features (0: every clustered word)")
    ap.add_argument("--no-gazetteer", action="store_true",
                    help="no known-phrase features (writes no .gazetteer file)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    paths = [args.data / name for name in CORPUS_GROUPS[args.corpora]
             if (args.data / name).exists()]
    if not paths:
        print(f"no corpora found in {args.data}", file=sys.stderr)
        return 2
    # The evaluation set's strings also occur in the GROBID corpus: keep them out of training.
    held_out = set()
    if (args.data / EVALUATION).exists():
        held_out = {raw_key(ex.raw) for ex in read_examples([args.data / EVALUATION])}
    examples = [ex for ex in read_examples(paths)
                if (args.all or not is_dev(ex.raw)) and raw_key(ex.raw) not in held_out]
    if args.limit:
        examples = examples[: args.limit]
    extra = generate(harvest(examples), args.synthetic, args.seed) if args.synthetic > 0 else []
    if args.rendered > 0:
        t_render = time.perf_counter()
        made = rendered.generate(rendered.harvest(examples), args.rendered, args.seed)
        extra += made
        print(f"rendered {len(made)} references in "
              f"{time.perf_counter() - t_render:.0f}s", file=sys.stderr)
    t0 = time.perf_counter()
    # Known phrases come from the training strings only: all of them for tagging (written
    # beside the model), and without each fold's own strings for that fold's features.
    folds = gazetteer = None
    if not args.no_gazetteer:
        gazetteer = Gazetteer.from_examples(examples)
        folds = [Gazetteer.from_examples(ex for ex in examples if fold_of(ex.raw) != f)
                 for f in range(FOLDS)]
        if args.style_journals:
            # Known without any gold string, so every fold knows them as tagging will.
            phrases = {Gazetteer.phrase_of(title.split()) for title in style_journal_titles()}
            for phrase in sorted(p for p in phrases if p):
                for gaz in (gazetteer, *folds):
                    gaz.add(GAZETTEER_LABELS["container-title"], phrase)
    word_clusters = None
    if args.clusters:
        # From the corpus strings of the training split only (before the generated ones).
        word_clusters = build_clusters([[t.text for t in ex.tokens] for ex in examples],
                                       max_count=args.cluster_max_count)
    set_clusters(word_clusters)  # the features of this run: these clusters, or none
    examples += extra
    # The model and its gazetteer are written under temporary names and put in place together
    # only once training has finished, so that a failed or interrupted run never leaves a model
    # beside a gazetteer it was not trained with.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model_tmp = args.out.with_name(args.out.name + ".tmp")
    where = gazetteer_path(args.out)
    try:
        n = train(examples, model_tmp, seed=args.seed, max_iterations=args.max_iterations,
                  c1=args.c1, c2=args.c2, verbose=args.verbose, algorithm=args.algorithm,
                  fold_gazetteers=folds, corpus_copies=args.corpus_copies,
                  copy_value=args.corpus_copy_value)
        cluster_file = clusters_path(args.out)
        if word_clusters is None:
            cluster_file.unlink(missing_ok=True)
        else:
            cluster_tmp = cluster_file.with_name(cluster_file.name + ".tmp")
            save_clusters(word_clusters, cluster_tmp)
            os.replace(cluster_tmp, cluster_file)
        if gazetteer is None:
            where.unlink(missing_ok=True)
        else:
            gazetteer_tmp = where.with_name(where.name + ".tmp")
            gazetteer.save(gazetteer_tmp)
            os.replace(gazetteer_tmp, where)
        os.replace(model_tmp, args.out)
    finally:
        model_tmp.unlink(missing_ok=True)
        if word_clusters is not None:
            set_clusters(None)  # the module-wide table: leave it as tagging with no clusters has it
    kind = "synthetic or rendered" if args.rendered > 0 else "synthetic"
    print(f"trained on {n} references ({len(extra)} {kind}) in "
          f"{time.perf_counter() - t0:.0f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
