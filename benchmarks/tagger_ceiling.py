"""How far the learned tagger's figures are held down by its data (issue 6's ninth round).

Usage: python benchmarks/tagger_ceiling.py [--data DIR] [--model FILE] [--corpora all|anystyle|grobid]
       python benchmarks/tagger_ceiling.py [--data DIR] --routed ANYSTYLE_MODEL GROBID_MODEL

Prints two things; it asserts nothing.

1. **Fit**: the model's figures (field micro-F1, token accuracy, fully right; the metric of
   ``eval_parser.py``) on its own training strings, with the features they were trained with
   (each string's known phrases from the gazetteer of the folds it is not in). A model that
   cannot reach a figure on the strings it was trained on will not reach it on new ones.
2. **Convention conflicts**: for each dev token the model tags wrong, whether the two corpora's
   training strings label that token text, in the same context, differently. The context is
   the token with its neighbours (lower-cased texts of tokens −1, 0, +1); where that trigram
   is not in both corpora, the token text alone (seen at least three times in each). A wrong
   token is a *conflict* when its gold label is the commonest label of the context in its own
   corpus and the predicted label the commonest in the other corpus; *disputed* when the two
   corpora's commonest labels differ but not in that way; *agreed* when they share the
   commonest label; *unseen* when the context is not in both corpora. Also the dev strings
   that occur in both corpora with different gold.

``--corpora`` picks the training strings for the fit (as the training script's flag); the
conflict count always reads both corpora's training strings. ``--routed`` scores the dev split
with its AnyStyle part tagged by one model and its GROBID part by another (models trained with
``--corpora anystyle`` and ``--corpora grobid``): what each convention learnt alone allows.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pycrfsuite  # noqa: E402

from citekit.parse.tagger.data import (CORPORA, EVALUATION, Example, is_dev, raw_key,  # noqa: E402
                                       read_examples)
from citekit.parse.tagger.features import sequence_features  # noqa: E402
from citekit.parse.tagger.gazetteer import FOLDS, Gazetteer, fold_of  # noqa: E402
from citekit.parse.tagger.model import MODEL_PATH, Tagger  # noqa: E402
from citekit.parse.tagger.train import CORPUS_GROUPS  # noqa: E402

from eval_parser import score  # noqa: E402

_ANYSTYLE = frozenset(CORPORA[:2])


def _side(ex: Example) -> str:
    return "anystyle" if ex.corpus in _ANYSTYLE else "grobid"


def training_examples(data: Path, group: str = "all") -> list[Example]:
    """The corpus strings the training script trains on (no synthetic ones)."""
    held_out = set()
    if (data / EVALUATION).exists():
        held_out = {raw_key(ex.raw) for ex in read_examples([data / EVALUATION])}
    paths = [data / name for name in CORPUS_GROUPS[group] if (data / name).exists()]
    return [ex for ex in read_examples(paths)
            if not is_dev(ex.raw) and raw_key(ex.raw) not in held_out]


def fit(examples: list[Example], model: Path) -> None:
    """Print the model's figures on its training strings, with their cross-fold known phrases."""
    folds = [Gazetteer.from_examples(ex for ex in examples if fold_of(ex.raw) != f)
             for f in range(FOLDS)]
    crf = pycrfsuite.Tagger()
    crf.open(str(model))
    preds = []
    for ex in examples:
        crf.set(sequence_features(ex.tokens, folds[fold_of(ex.raw)]))
        preds.append(crf.tag())
    for side in ("anystyle", "grobid"):
        part = [(ex, p) for ex, p in zip(examples, preds) if _side(ex) == side]
        if part:
            score(f"training strings, {side} part (fit)", [e for e, _ in part],
                  [p for _, p in part])
    score("training strings, all (fit)", examples, preds)


def _key3(ex: Example, i: int) -> tuple[str, str, str]:
    toks = ex.tokens
    return (toks[i - 1].text.lower() if i else "<s>", toks[i].text.lower(),
            toks[i + 1].text.lower() if i + 1 < len(toks) else "</s>")


def conflicts(data: Path, model: Path) -> None:
    """Print how many of the model's wrong dev tokens the corpora's conventions dispute."""
    train = training_examples(data)
    tri: dict[str, dict[tuple, Counter]] = {"anystyle": defaultdict(Counter),
                                            "grobid": defaultdict(Counter)}
    uni: dict[str, dict[str, Counter]] = {"anystyle": defaultdict(Counter),
                                          "grobid": defaultdict(Counter)}
    for ex in train:
        side = _side(ex)
        for i, lab in enumerate(ex.labels):
            tri[side][_key3(ex, i)][lab] += 1
            uni[side][ex.tokens[i].text.lower()][lab] += 1
    dev = [ex for ex in read_examples([data / n for n in CORPORA]) if is_dev(ex.raw)]
    tagger = Tagger(model)
    taggings = tagger.tag_tokens([ex.tokens for ex in dev], marginals=False)
    kinds: Counter = Counter()
    by_side: dict[str, Counter] = {"anystyle": Counter(), "grobid": Counter()}
    pairs: dict[str, Counter] = defaultdict(Counter)
    wrong_refs: dict[str, set] = defaultdict(set)
    for n, (ex, tagging) in enumerate(zip(dev, taggings)):
        own = _side(ex)
        other = "grobid" if own == "anystyle" else "anystyle"
        for i, (gold, pred) in enumerate(zip(ex.labels, tagging.labels)):
            if gold == pred:
                continue
            k3 = _key3(ex, i)
            if k3 in tri[own] and k3 in tri[other]:
                mine, theirs = tri[own][k3], tri[other][k3]
            else:
                word = ex.tokens[i].text.lower()
                mine, theirs = uni[own].get(word), uni[other].get(word)
                if not mine or not theirs or sum(mine.values()) < 3 or sum(theirs.values()) < 3:
                    mine = theirs = None
            if mine is None or theirs is None:
                kind = "unseen"
            else:
                top_mine = mine.most_common(1)[0][0]
                top_theirs = theirs.most_common(1)[0][0]
                if top_mine == top_theirs:
                    kind = "agreed"
                elif top_mine == gold and top_theirs == pred:
                    kind = "conflict"
                else:
                    kind = "disputed"
            kinds[kind] += 1
            by_side[own][kind] += 1
            pairs[kind][(gold, pred)] += 1
            wrong_refs[kind].add(n)
    total = sum(kinds.values())
    print(f"\n## wrong dev tokens of {model.name} by the corpora's conventions "
          f"({total} wrong of {sum(len(ex.labels) for ex in dev)} tokens)")
    for kind in ("conflict", "disputed", "agreed", "unseen"):
        print(f"  {kind:9} {kinds[kind]:5d} ({100 * kinds[kind] / max(total, 1):4.1f}%)  "
              f"AnyStyle part {by_side['anystyle'][kind]:4d}, GROBID part "
              f"{by_side['grobid'][kind]:4d}; in {len(wrong_refs[kind])} references; "
              "commonest: " + ", ".join(f"{g}→{p} {c}" for (g, p), c in
                                         pairs[kind].most_common(4)))
    # References wrong only because of conflict tokens: fully right if those were right.
    only = 0
    for n in wrong_refs["conflict"]:
        if not any(n in wrong_refs[k] for k in ("disputed", "agreed", "unseen")):
            only += 1
    print(f"  dev references whose only wrong tokens are conflicts: {only} of {len(dev)} "
          f"({100 * only / len(dev):.1f} points of fully right)")
    golds: dict[str, Counter] = defaultdict(Counter)
    for ex in dev:
        golds[raw_key(ex.raw)][tuple(ex.labels)] += 1
    split = {k: c for k, c in golds.items() if len(c) > 1}
    # One output can match only one of a string's golds: the others are wrong whatever it says.
    lost = sum(sum(c.values()) - max(c.values()) for c in split.values())
    print(f"  dev strings held more than once with different gold: {len(split)} strings, "
          f"{sum(sum(c.values()) for c in split.values())} references, of which {lost} cannot "
          f"be fully right ({100 * lost / len(dev):.1f} points)")


def routed(data: Path, anystyle_model: Path, grobid_model: Path) -> None:
    """Print the dev split's figures with each part tagged by the model of its own corpus.

    Not a parser anyone can use (a new string does not say which corpus it follows): the
    figure the two conventions would allow if each were learnt and judged alone.
    """
    dev = [ex for ex in read_examples([data / n for n in CORPORA]) if is_dev(ex.raw)]
    preds: list[list[str]] = [[] for _ in dev]
    for side, model in (("anystyle", anystyle_model), ("grobid", grobid_model)):
        idx = [i for i, ex in enumerate(dev) if _side(ex) == side]
        tagger = Tagger(model)
        for i, tagging in zip(idx, tagger.tag_tokens([dev[i].tokens for i in idx],
                                                     marginals=False)):
            preds[i] = tagging.labels
    score("dev split, all, each part tagged by its own corpus's model", dev, preds)


def main() -> int:
    """Run the analysis."""
    shared = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared / "data")
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--corpora", choices=tuple(CORPUS_GROUPS), default="all")
    ap.add_argument("--routed", nargs=2, type=Path, metavar=("ANYSTYLE_MODEL", "GROBID_MODEL"),
                    help="only score the dev split with each part tagged by its corpus's model")
    ap.add_argument("--no-fit", action="store_true", help="skip the training-set figures")
    ap.add_argument("--no-conflicts", action="store_true", help="skip the conflict count")
    args = ap.parse_args()
    if not (args.data / CORPORA[0]).exists():
        print(f"labelled data not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    if args.routed:
        routed(args.data, *args.routed)
        return 0
    if not args.no_fit:
        fit(training_examples(args.data, args.corpora), args.model)
    if not args.no_conflicts:
        conflicts(args.data, args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
