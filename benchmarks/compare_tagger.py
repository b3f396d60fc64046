"""Check that the numpy tagger gives what python-crfsuite's own tagger gives, on every string.

Usage: python benchmarks/compare_tagger.py [--data DIR] [--model FILE] [--save FILE | --against FILE]

Parses every distinct string of the training corpora and of the GROBID evaluation set twice —
with ``parse_many`` (the numpy path) and with crfsuite's tagger fed the same feature lists —
and compares the labels, the entries (CSL-JSON, rounded confidences included) and the
per-token marginals and sequence probabilities (to 1e-9). Prints the counts; exit status 1 if
anything differs.

``--save FILE`` also writes what the numpy path gives (see :func:`outputs`) to FILE;
``--against FILE`` compares that, bit for bit, with what an earlier ``--save`` wrote (for
speed work that must not change a single bit; crfsuite is not run then). Each run
starts from empty caches, so run ``--save`` with the code before a change and ``--against``
after it.
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from citekit.parse.tagger import parse_many  # noqa: E402
from citekit.parse.tagger.data import CORPORA, EVALUATION, read_examples  # noqa: E402
from citekit.parse.tagger.features import sequence_features  # noqa: E402
from citekit.parse.tagger.model import MODEL_PATH, Tagger  # noqa: E402
from citekit.parse.tagger.tokens import tokenize  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from eval_parser import _parse_many_crfsuite  # noqa: E402


def main() -> int:
    """Run the comparison."""
    shared = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared / "data")
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--save", type=Path, help="write the numpy path's outputs to FILE")
    ap.add_argument("--against", type=Path,
                    help="compare the numpy path's outputs bit for bit with a --save FILE")
    args = ap.parse_args()
    files = [args.data / n for n in (*CORPORA, EVALUATION)]
    if not all(f.exists() for f in files):
        print(f"labelled data not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    texts = list(dict.fromkeys(ex.raw for ex in read_examples(files)))
    tagger = Tagger(args.model)
    if args.against:
        return against(args.against, outputs(texts, tagger))
    crf = pycrfsuite.Tagger()
    crf.open(str(args.model))
    tokens = [tokenize(t) for t in texts]
    fast = tagger.tag_tokens(tokens, all_marginals=True)
    labels = marginals = probability = 0
    for toks, got in zip(tokens, fast):
        if not toks:
            continue
        crf.set(sequence_features(toks, tagger.gazetteer))
        want = crf.tag()
        if got.labels != want:
            labels += 1
            continue
        if any(not math.isclose(got.marginals[i], crf.marginal(lab, i), rel_tol=1e-9,
                                abs_tol=1e-12) for i, lab in enumerate(want)):
            marginals += 1
        if not math.isclose(got.probability, crf.probability(want), rel_tol=1e-9):
            probability += 1
    new = [e.to_csl() for e in parse_many(texts, tagger)]
    old = [e.to_csl() for e in _parse_many_crfsuite(texts, crf, tagger.gazetteer)]
    entries = sum(a != b for a, b in zip(new, old))
    print(f"{len(texts)} strings: labels differ in {labels}, marginals in {marginals}, "
          f"probability in {probability}, entries in {entries}")
    if args.save:
        with open(args.save, "wb") as out:
            pickle.dump(outputs(texts, Tagger(args.model)), out)
        print(f"outputs saved to {args.save}")
    return 1 if labels or marginals or probability or entries else 0


def outputs(texts: list[str], tagger: Tagger) -> dict[str, list]:
    """What the numpy path gives for ``texts``, from empty caches: the labels, every marginal
    and the probability of ``tag_tokens``, the marginals it gives by default, and the entries
    (the whole ``Entry``'s repr) of ``parse_many`` in corpus and in reverse order, of ``parse``
    one string at a time (first 300) and of ``citekit.parse_references`` (first 3,000)."""
    from citekit import parse_references
    from citekit.parse.tagger import parse

    tokens = [tokenize(t) for t in texts]
    every = [(t.labels, t.marginals, t.probability)
             for t in tagger.tag_tokens(tokens, all_marginals=True)]
    tagger._encoder = None
    default = [t.marginals for t in tagger.tag_tokens(tokens)]
    tagger._encoder = None
    forward = [repr(e) for e in parse_many(texts, tagger)]
    tagger._encoder = None
    backward = [repr(e) for e in parse_many(texts[::-1], tagger)]
    one = [repr(parse(t, tagger)) for t in texts[:300]]
    refs = [repr(e) for e in parse_references(texts[:3000])]
    return {"tag_tokens": every, "marginals": default, "parse_many": forward,
            "parse_many reversed": backward, "parse": one, "parse_references": refs}


def against(path: Path, now: dict[str, list]) -> int:
    """Compare ``now`` with the outputs saved in ``path``; print the counts of differences."""
    with open(path, "rb") as f:
        saved = pickle.load(f)
    bad = 0
    for key, values in now.items():
        old = saved.get(key)
        if old is None or len(old) != len(values):
            print(f"{key}: not comparable ({'missing' if old is None else 'other length'})")
            bad += 1
            continue
        # Floats compare with ==, which for finite values is equality bit for bit.
        differ = sum(a != b for a, b in zip(values, old))
        print(f"{key}: {len(values)} compared, {differ} differ")
        bad += differ
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
