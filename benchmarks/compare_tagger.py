"""Check that the numpy tagger gives what python-crfsuite's own tagger gives, on every string.

Usage: python benchmarks/compare_tagger.py [--data DIR] [--model FILE]

Parses every distinct string of the training corpora and of the GROBID evaluation set twice —
with ``parse_many`` (the numpy path) and with crfsuite's tagger fed the same feature lists —
and compares the labels, the entries (CSL-JSON, rounded confidences included) and the
per-token marginals and sequence probabilities (to 1e-9). Prints the counts; exit status 1 if
anything differs.
"""

from __future__ import annotations

import argparse
import math
import os
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
    args = ap.parse_args()
    files = [args.data / n for n in (*CORPORA, EVALUATION)]
    if not all(f.exists() for f in files):
        print(f"labelled data not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    texts = list(dict.fromkeys(ex.raw for ex in read_examples(files)))
    tagger = Tagger(args.model)
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
    return 1 if labels or marginals or probability or entries else 0


if __name__ == "__main__":
    raise SystemExit(main())
