"""The tagger's label set and how the training corpora's labels map onto it."""

from __future__ import annotations

__all__ = ["LABELS", "OTHER", "map_label"]

#: Label for tokens outside every field (stray punctuation between fields).
OTHER = "O"

#: Every label the tagger emits.
LABELS = (
    "citation-number", "author", "editor", "translator", "date", "title", "container-title",
    "collection-title", "edition", "volume", "issue", "pages", "publisher", "location", "genre",
    "url", "doi", "isbn", "identifier", "note", OTHER,
)

_MAP = {
    "journal": "container-title",
    "publisher-place": "location",
    "institution": "publisher",
    "director": "author",
    "authors": "author",
    "page": "pages",
    "publishe": "publisher",
    "volumes": "volume",
    "arxiv": "identifier",
    "idno": "identifier",
    "pmid": "identifier",
    "notes": "note",
    "source": "note",
    "medium": "genre",
    "producer": "note",
    "chapter": "note",
    "scope": "note",
    "biblStruct": "note",
}


def map_label(label: str) -> str:
    """Map a corpus label (AnyStyle's or GROBID's) onto the tagger's label set."""
    label = _MAP.get(label, label)
    return label if label in LABELS else "note"
