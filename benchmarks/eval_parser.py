"""Accuracy and speed of the learned reference tagger (citekit.parse.tagger).

Usage: python benchmarks/eval_parser.py [--data DIR] [--model FILE] [--no-speed | --speed-only]

Accuracy is measured on references the model never saw: the hash-held-out dev split of the
training corpora (one in ten, see citekit.parse.tagger.data.is_dev) and the whole GROBID
evaluation set. A field is a maximal run of tokens with one label; a predicted field counts as
right when its label and its text (edge punctuation and brackets stripped) equal a gold field's.
A reference is fully right when its predicted fields equal its gold fields exactly.
The script prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from citekit.parse.tagger import _entry, parse_many  # noqa: E402
from citekit.parse.tagger import features, fields  # noqa: E402
from citekit.parse.tagger.data import CORPORA, Example, is_dev, read_examples  # noqa: E402
from citekit.parse.tagger.features import sequence_features  # noqa: E402
from citekit.parse.tagger.fields import spans_from_labels  # noqa: E402
from citekit.parse.tagger.gazetteer import Gazetteer  # noqa: E402
from citekit.parse.tagger.model import MODEL_PATH, Tagger  # noqa: E402
from citekit.parse.tagger.tokens import tokenize  # noqa: E402

ANYSTYLE = "AnyStyle (published, own held-out set): 97.0 span micro-F1, 89% fully right, " \
           "560-900 refs/s on this machine"
GROBID_CRF = "GROBID citation CRF (published): 0.94 F1"
_STRIP = " \t,;:.()[]{}\"'“”‘’«»"


def fields_of(ex_tokens: list, labels: list[str], raw: str) -> Counter:
    """Multiset of (label, normalised text) fields in one labelled sequence."""
    out: Counter = Counter()
    i = 0
    n = len(labels)
    while i < n:
        j = i
        while j + 1 < n and labels[j + 1] == labels[i]:
            j += 1
        if labels[i] != "O":
            text = " ".join(raw[ex_tokens[i].start:ex_tokens[j].end].split()).strip(_STRIP)
            out[(labels[i], text)] += 1
        i = j + 1
    return out


def evaluate(name: str, examples: list[Example], tagger: Tagger) -> None:
    """Print per-field P/R/F1, micro F1, token accuracy and fully-right share."""
    taggings = tagger.tag_tokens([ex.tokens for ex in examples], marginals=False)
    score(name, examples, [tagging.labels for tagging in taggings])


def score(name: str, examples: list[Example], predictions: list[list[str]]) -> None:
    """Print the figures of :func:`evaluate` for given predicted labels, one list per example."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    right = 0
    tok_ok = tok_all = 0
    for ex, pred in zip(examples, predictions):
        tok_ok += sum(p == g for p, g in zip(pred, ex.labels))
        tok_all += len(pred)
        gold_f = fields_of(ex.tokens, ex.labels, ex.raw)
        pred_f = fields_of(ex.tokens, pred, ex.raw)
        if gold_f == pred_f:
            right += 1
        for key, cnt in (gold_f & pred_f).items():
            tp[key[0]] += cnt
        for key, cnt in (pred_f - gold_f).items():
            fp[key[0]] += cnt
        for key, cnt in (gold_f - pred_f).items():
            fn[key[0]] += cnt
    print(f"\n## {name}: {len(examples)} references, {tok_all} tokens")
    print(f"{'field':18} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    labels = sorted(set(tp) | set(fn) | set(fp), key=lambda k: -(tp[k] + fn[k]))
    for lab in labels:
        p, r, f = _prf(tp[lab], fp[lab], fn[lab])
        print(f"{lab:18} {p:6.1f} {r:6.1f} {f:6.1f} {tp[lab] + fn[lab]:6d}")
    p, r, f = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"{'MICRO':18} {p:6.1f} {r:6.1f} {f:6.1f} {sum(tp.values()) + sum(fn.values()):6d}")
    print(f"token accuracy {100 * tok_ok / max(tok_all, 1):.2f}%   "
          f"fully right {100 * right / max(len(examples), 1):.1f}%")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = 100 * tp / (tp + fp) if tp + fp else 0.0
    r = 100 * tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    return time.perf_counter() - start[0], time.process_time() - start[1]


def _parse_many_crfsuite(texts: list[str], crf: pycrfsuite.Tagger,
                         gazetteer: Gazetteer | None = None) -> list:
    """The parser as it was before issue 6's third round: python-crfsuite's binding tags
    each string from its feature lists (same features, same model, same fields step)."""
    out = []
    for text in texts:
        tokens = tokenize(text)
        if not tokens:
            out.append(_entry(text, [], 0.0))
            continue
        crf.set(sequence_features(tokens, gazetteer))
        labels = crf.tag()
        n = len(labels)
        probs = [1.0] * n
        for i, lab in enumerate(labels):
            if i == 0 or i == n - 1 or lab != labels[i - 1] or lab != labels[i + 1]:
                probs[i] = crf.marginal(lab, i)
        spans = spans_from_labels(text, [t.start for t in tokens], [t.end for t in tokens],
                                  labels, probs)
        out.append(_entry(text, spans, crf.probability(labels)))
    return out


def _fresh(tagger: Tagger) -> None:
    # Forget every cached token, so that each timed run starts from the same state.
    features._cache.clear()
    features._PAIRS.clear()
    features._PROP_CACHE.clear()
    fields._DATES.clear()
    tagger._encoder = None


def speed(texts: list[str], warm: list[str], tagger: Tagger, model: Path) -> None:
    """Print single-process throughput of parse_many on distinct strings, and its growth.

    CPU time of this process is shown (on a shared machine it is the fairer measure of what
    one core does), beside the wall clock. The crfsuite-binding path that the parser used
    before runs in the same process, alternately, each from empty caches.
    """
    crf = pycrfsuite.Tagger()
    crf.open(str(model))
    print(f"\n## speed (one process, warm, {len(texts)} distinct strings, full parse to Entry; "
          "best of 2 alternating runs each)")
    runs = {"numpy tagger (now)": lambda ts: parse_many(ts, tagger),
            "crfsuite binding (before)":
                lambda ts: _parse_many_crfsuite(ts, crf, tagger.gazetteer)}
    best: dict[str, list[float]] = {name: [1e9, 1e9, 1e9] for name in runs}
    for _ in range(2):
        for name, run in runs.items():
            _fresh(tagger)
            run(warm)  # warm up code paths and common tokens on other strings
            start = _clock()
            run(texts)
            wall, cpu = _since(start)
            start = _clock()
            run(texts)  # the same strings again: every token already seen
            again = _since(start)[1]
            b = best[name]
            best[name] = [min(b[0], cpu), min(b[1], wall), min(b[2], again)]
    for name, (cpu, wall, again) in best.items():
        print(f"  {name:26} unseen strings {len(texts) / cpu:6,.0f}/s "
              f"({1e6 * cpu / len(texts):3.0f} µs each; wall clock {len(texts) / wall:,.0f}/s); "
              f"seen again {len(texts) / again:6,.0f}/s ({1e6 * again / len(texts):3.0f} µs)")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("linearity in number of references (CPU time, tokens seen before):")
    parse_many(texts, tagger)
    for n in (1000, 2000, 4000, 8000):
        start = _clock()
        parse_many(texts[:n], tagger)
        cpu = _since(start)[1]
        print(f"  {n:6d} refs  {cpu:6.3f}s  {1e6 * cpu / n:6.1f} µs/ref")
    print("linearity in string length (references joined into one string, CPU time):")
    for k in (1, 4, 16):
        long = [" ".join(texts[i:i + k]) for i in range(0, 200 * k, k)]
        chars = sum(len(s) for s in long)
        start = _clock()
        parse_many(long, tagger)
        cpu = _since(start)[1]
        print(f"  {k:2d} refs per string (~{chars // len(long):5d} chars)  "
              f"{1e9 * cpu / chars:6.0f} ns/char")


def main() -> int:
    """Run the evaluation."""
    shared = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared / "data")
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--speed-only", action="store_true", help="skip the accuracy tables")
    args = ap.parse_args()
    if not (args.data / CORPORA[0]).exists():
        print(f"labelled data not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    tagger = Tagger(args.model)
    print(f"model {args.model.name}: {args.model.stat().st_size / 1e6:.1f} MB, "
          f"loaded in {1000 * (time.perf_counter() - t0):.0f} ms")
    print(ANYSTYLE)
    print(GROBID_CRF)
    anystyle = [ex for ex in read_examples([args.data / n for n in CORPORA[:2]]) if is_dev(ex.raw)]
    grobid = [ex for ex in read_examples([args.data / CORPORA[2]]) if is_dev(ex.raw)]
    if not args.speed_only:
        evaluate("dev split, AnyStyle core+gold (held out by hash)", anystyle, tagger)
        evaluate("dev split, GROBID corpus (held out by hash)", grobid, tagger)
        evaluate("dev split, all", anystyle + grobid, tagger)
    gev = args.data / "grobid_citation_evaluation.jsonl"
    if gev.exists() and not args.speed_only:
        evaluate("GROBID evaluation set (never trained on)", list(read_examples([gev])), tagger)
    if not args.no_speed:
        every = read_examples([args.data / n for n in CORPORA])
        raws = list(dict.fromkeys(ex.raw for ex in every))
        speed(raws[500:], raws[:500], tagger, args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
