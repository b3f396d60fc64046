"""A learned reference-string parser: a CRF tags each token with the field it belongs to.

``parse(text)`` returns an :class:`~citekit.model.Entry`; ``parse_many(texts)`` does the same for
many strings; ``tag(text)`` gives the raw labelled spans with their character offsets.
"""

from __future__ import annotations

import contextlib
import gc
import operator
from typing import Iterable, Iterator, Sequence

from ...model import Entry, SourceSpan
from .fields import Span, entry_from_spans, spans_from_labels
from .model import Tagger, default_tagger
from .tokens import MAX_CHARS, tokenize

__all__ = ["parse", "parse_many", "tag", "tag_many", "uncertain_fields", "Span", "Tagger",
           "UNCERTAIN_BELOW"]

_CHUNK = 512
_START, _END = operator.itemgetter(1), operator.itemgetter(2)  # a token's offsets

#: Field confidence under which :func:`uncertain_fields` reports a field.
UNCERTAIN_BELOW = 0.6


def tag(text: str, tagger: Tagger | None = None) -> tuple[list[Span], float]:
    """Label the spans of one reference string; return them and the labelling's probability."""
    return tag_many([text], tagger)[0]


def tag_many(texts: Sequence[str], tagger: Tagger | None = None
             ) -> list[tuple[list[Span], float]]:
    """Label the spans of many reference strings (tagged together, which is faster)."""
    tagger = tagger or default_tagger()
    out: list[tuple[list[Span], float]] = []
    # A few hundred at a time: enough to tag them together, few enough to keep the batch's
    # arrays small.
    with _collector_paused():
        for b in range(0, len(texts), _CHUNK):
            out += _tag_chunk(texts[b:b + _CHUNK], tagger)
    return out


def _tag_chunk(texts: Sequence[str], tagger: Tagger) -> list[tuple[list[Span], float]]:
    tokens = [tokenize(t) for t in texts]
    out: list[tuple[list[Span], float]] = [([], 0.0)] * len(texts)
    for i, result in enumerate(tagger.tag_tokens(tokens)):
        toks = tokens[i]
        if not toks:
            continue
        spans = spans_from_labels(texts[i], list(map(_START, toks)), list(map(_END, toks)),
                                  result.labels, result.marginals)
        out[i] = (spans, result.probability)
    return out


def parse(text: str, tagger: Tagger | None = None) -> Entry:
    """Parse one reference string into an entry; ``entry.confidence`` is the tagging's probability.

    Per-field confidences (the weakest token's marginal probability) are in
    ``entry.extra["parse-confidence"]``. Empty input gives an empty entry with confidence 0.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    return parse_many([text], tagger)[0]


def parse_many(texts: Iterable[str], tagger: Tagger | None = None) -> list[Entry]:
    """Parse many reference strings (tagged together; the order of ``texts`` is kept)."""
    texts = list(texts)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    tagger = tagger or default_tagger()
    out: list[Entry] = []
    with _collector_paused():
        for b in range(0, len(texts), _CHUNK):
            chunk = texts[b:b + _CHUNK]
            out += [_entry(text, spans, prob)
                    for text, (spans, prob) in zip(chunk, _tag_chunk(chunk, tagger))]
    return out


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # Parsing allocates many small lists and tuples that live until the entries are built; the
    # cyclic garbage collector would walk them (and every entry built so far) again and again,
    # which cost a fifth of the time. Nothing here makes reference cycles, so it is paused and
    # restored (only if it was on) when the batch is done.
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _entry(text: str, spans: list[Span], prob: float) -> Entry:
    entry = entry_from_spans(text, spans) if spans else Entry(confidence=0.0)
    entry.confidence = round(prob, 4) if spans else 0.0
    if len(text) > MAX_CHARS:
        entry.extra["parse-truncated"] = True
    entry.source = SourceSpan(path=None, line=1, end_line=1 + text.count("\n"), raw=text)
    return entry


def uncertain_fields(entry: Entry, threshold: float = UNCERTAIN_BELOW) -> list[tuple[str, float]]:
    """The fields of a parsed entry whose confidence is below ``threshold``, weakest first."""
    # parse_reference keeps them in diagnostics; the tagger's own parse() in extra
    conf = entry.diagnostics.get("parse-confidence") or entry.extra.get("parse-confidence") or {}
    low = [(k, float(v)) for k, v in conf.items() if float(v) < threshold]
    return sorted(low, key=lambda kv: kv[1])
