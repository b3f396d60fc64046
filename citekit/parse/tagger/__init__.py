"""A learned reference-string parser: a CRF tags each token with the field it belongs to.

``parse(text)`` returns an :class:`~citekit.model.Entry`; ``parse_many(texts)`` does the same for
many strings; ``tag(text)`` gives the raw labelled spans with their character offsets.
"""

from __future__ import annotations

from typing import Iterable

from ...model import Entry, SourceSpan
from .features import sequence_features
from .fields import Span, entry_from_spans, spans_from_labels
from .model import Tagger, default_tagger
from .tokens import MAX_CHARS, tokenize

__all__ = ["parse", "parse_many", "tag", "uncertain_fields", "Span", "Tagger",
           "UNCERTAIN_BELOW"]

#: Field confidence under which :func:`uncertain_fields` reports a field.
UNCERTAIN_BELOW = 0.6


def tag(text: str, tagger: Tagger | None = None) -> tuple[list[Span], float]:
    """Label the spans of one reference string; return them and the labelling's probability."""
    tagger = tagger or default_tagger()
    tokens = tokenize(text)
    if not tokens:
        return [], 0.0
    result = tagger.tag(sequence_features(tokens))
    spans = spans_from_labels(text, [t.start for t in tokens], [t.end for t in tokens],
                              result.labels, result.marginals)
    return spans, result.probability


def parse(text: str, tagger: Tagger | None = None) -> Entry:
    """Parse one reference string into an entry; ``entry.confidence`` is the tagging's probability.

    Per-field confidences (the weakest token's marginal probability) are in
    ``entry.extra["parse-confidence"]``. Empty input gives an empty entry with confidence 0.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    spans, prob = tag(text, tagger)
    entry = entry_from_spans(text, spans) if spans else Entry(confidence=0.0)
    entry.confidence = round(prob, 4) if spans else 0.0
    if len(text) > MAX_CHARS:
        entry.extra["parse-truncated"] = True
    entry.source = SourceSpan(path=None, line=1, end_line=1 + text.count("\n"), raw=text)
    return entry


def parse_many(texts: Iterable[str], tagger: Tagger | None = None) -> list[Entry]:
    """Parse many reference strings (loads the model once; the order of ``texts`` is kept)."""
    tagger = tagger or default_tagger()
    return [parse(t, tagger) for t in texts]


def uncertain_fields(entry: Entry, threshold: float = UNCERTAIN_BELOW) -> list[tuple[str, float]]:
    """The fields of a parsed entry whose confidence is below ``threshold``, weakest first."""
    conf = entry.extra.get("parse-confidence") or {}
    low = [(k, float(v)) for k, v in conf.items() if float(v) < threshold]
    return sorted(low, key=lambda kv: kv[1])
