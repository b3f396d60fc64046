"""Read labelled reference strings (JSON lines) into token/label sequences for training."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .labels import OTHER, map_label
from .tokens import Token, tokenize

__all__ = ["Example", "read_examples", "is_dev", "CORPORA", "EVALUATION", "raw_key", "align",
           "label_chars"]

#: Corpus files the training script reads, by name, from the data folder.
CORPORA = ("anystyle_core.jsonl", "anystyle_gold.jsonl", "grobid_citation_corpus.jsonl")
#: Evaluation-only corpus: never trained on (its strings also occur in the GROBID corpus).
EVALUATION = "grobid_citation_evaluation.jsonl"

_ISSUE_CUE = re.compile(r"^(?:no|nr|n°|issue|iss|heft|num|number)\.?,?$", re.IGNORECASE)


@dataclass
class Example:
    """One labelled reference: raw text, its tokens, one label per token, and its corpus."""

    raw: str
    tokens: list[Token]
    labels: list[str]
    corpus: str


def is_dev(raw: str, share: int = 10) -> bool:
    """Deterministic held-out split: one reference in ``share`` goes to dev, chosen by hash."""
    digest = hashlib.sha1(raw_key(raw).encode("utf-8")).digest()
    return digest[0] % share == 0


def raw_key(raw: str) -> str:
    """The string used to recognise one reference across corpora (whitespace collapsed)."""
    return " ".join(raw.split())


def read_examples(paths: Iterable[Path]) -> Iterator[Example]:
    """Yield aligned examples from JSON-lines files; unalignable lines are skipped."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                item = json.loads(line)
                ex = align(item["raw"], item.get("segments") or [], path.name)
                if ex is not None:
                    yield ex


def align(raw: str, segments: list[list[str]], corpus: str) -> Example | None:
    """Label the tokens of ``raw`` from its ``(label, text)`` segments; None if they do not fit."""
    chars = [OTHER] * len(raw)
    pos = 0
    for label, text in segments:
        text = text.strip()
        if not text:
            continue
        at = raw.find(text, pos)
        if at < 0:
            return None
        lab = map_label(label)
        for i in range(at, at + len(text)):
            chars[i] = lab
        pos = at + len(text)
    return label_chars(raw, chars, corpus)


def label_chars(raw: str, chars: list[str], corpus: str) -> Example | None:
    """Label the tokens of ``raw`` from one label per character (``O`` outside every field).

    A token takes the label of its first word character; unlabelled cue words and punctuation
    between fields then join a field as in :func:`align`. None if ``raw`` has no token.
    """
    tokens = tokenize(raw)
    if not tokens:
        return None
    labels = []
    for tok in tokens:
        labels.append(_token_label(tok, raw, chars))
    _fill_gaps(tokens, labels)
    _split_issue(tokens, labels)
    return Example(raw, tokens, labels, corpus)


_PREFIX_CUES = frozenset(
    "pp p pages page vol vols volume no nr issue in retrieved available from doi isbn url "
    "edited by accessed at of pubmed epub".split())
# Role words of editors: AnyStyle labels them with the editors' names, before or after them.
_EDITOR_CUES = frozenset("ed eds edd editor editors edited editedby éditeur éditeurs hg hrsg "
                         "hgg".split())


def _fill_gaps(tokens: list[Token], labels: list[str]) -> None:
    # GROBID leaves cue words and punctuation between fields unlabelled; AnyStyle labels them
    # with the field they introduce or close. Unify on AnyStyle's convention: a cue word joins
    # the field after it ("volume 36 | of Lecture Notes", "PubMed | PMID: 123"), an editor's
    # role word the editors next to it, anything else the field before it.
    n = len(labels)
    for i in range(n):
        if labels[i] != OTHER:
            continue
        word = tokens[i].text.strip(".,:;()[]").lower()
        nxt = next((labels[j] for j in range(i + 1, n) if labels[j] != OTHER), None)
        prev = labels[i - 1] if i else None
        if word in _EDITOR_CUES and "editor" in (prev, nxt):
            labels[i] = "editor"
        elif word in _PREFIX_CUES and nxt:
            labels[i] = nxt
        elif prev and prev != OTHER:
            labels[i] = prev
        elif nxt:
            labels[i] = nxt


def _token_label(tok: Token, raw: str, chars: list[str]) -> str:
    # The label of the token's first word character; punctuation-only tokens take their first.
    for i in range(tok.start, tok.end):
        if raw[i].isalnum():
            return chars[i]
    return chars[tok.start]


def _split_issue(tokens: list[Token], labels: list[str]) -> None:
    # AnyStyle labels "12(3)" or "vol. 12, no. 3" all as volume; the tagger keeps issue apart.
    i = 0
    n = len(tokens)
    while i < n:
        if labels[i] != "volume":
            i += 1
            continue
        j = i
        while j < n and labels[j] == "volume":
            j += 1
        seen_number = False
        k = i
        while k < j:
            text = tokens[k].text
            if seen_number and text.startswith("(") and any(c.isdigit() for c in text):
                labels[k] = "issue"
            elif seen_number and _ISSUE_CUE.match(text):
                labels[k] = "issue"
                if k + 1 < j:
                    labels[k + 1] = "issue"
                    k += 1
            elif any(c.isdigit() for c in text):
                seen_number = True
            k += 1
        i = j
