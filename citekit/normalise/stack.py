"""The default normalising stack and :func:`normalise`, which runs it over entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Bibliography, Entry
from .base import Change, Normaliser
from .dates import fill_date_parts
from .doi import normalise_doi
from .names import normalise_names
from .pages import normalise_pages
from .titles import normalise_titles
from .url import normalise_url

__all__ = ["DEFAULT_STACK", "normalise", "normalise_entry"]

#: The steps :func:`normalise` runs, in order. The URL is repaired first (its four repairs run
#: to a fixed point, see :func:`~citekit.normalise.url.normalise_url`), so the DOI step reads the
#: repaired URL. Names, titles, pages and dates are independent of each other.
DEFAULT_STACK: tuple[Normaliser, ...] = (
    normalise_url,
    normalise_doi,
    normalise_names,
    normalise_titles,
    normalise_pages,
    fill_date_parts,
)


def normalise_entry(entry: Entry, steps: Sequence[Normaliser] = DEFAULT_STACK) -> list[Change]:
    """Run ``steps`` over one entry in order; return every change made."""
    changes: list[Change] = []
    for step in steps:
        changes.extend(step(entry))
    return changes


def normalise(
    bib_or_entries: Bibliography | Iterable[Entry],
    steps: Sequence[Normaliser] = DEFAULT_STACK,
) -> list[tuple[Entry, Change]]:
    """Normalise every entry in place with ``steps``; return ``(entry, change)`` pairs in order.

    Running it again on the result returns ``[]``. Provenance (``entry.source``) is untouched.
    Citation keys are not assigned here (they depend on the whole list): see
    :func:`citekit.normalise.keys.make_keys`.
    """
    entries = bib_or_entries.entries if isinstance(bib_or_entries, Bibliography) else bib_or_entries
    out: list[tuple[Entry, Change]] = []
    for entry in entries:
        out.extend((entry, change) for change in normalise_entry(entry, steps))
    return out
