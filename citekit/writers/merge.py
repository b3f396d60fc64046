"""Write an entry back in the format it was read from, keeping what the model did not change.

Readers of tagged formats (BibTeX, RIS) keep the original fields in ``entry.extra``. A writer
rebuilds the entry those fields give, compares it with the entry as it is now, variable by
variable, and writes unchanged fields as they were read and changed variables from the model.
"""

from __future__ import annotations

from typing import Any, Callable

from ..model import Entry

__all__ = ["changed_variables", "merge_fields"]

Pairs = list[tuple[str, str]]


def changed_variables(now: Entry, then: Entry, ignore: tuple[str, ...] = ()) -> set[str]:
    """The CSL variables whose value differs between two entries (et al. counts as ``author``)."""
    a, b = _comparable(now, ignore), _comparable(then, ignore)
    return {key for key in set(a) | set(b) if a.get(key) != b.get(key)}


def _comparable(entry: Entry, ignore: tuple[str, ...]) -> dict[str, Any]:
    item = entry.to_csl()
    for key in ignore:
        item.pop(key, None)
    custom = item.get("custom")
    item["author"] = (item.get("author"),
                      bool(custom.get("et-al")) if isinstance(custom, dict) else False)
    item["ISBN/ISSN"] = (item.get("ISBN"), item.get("ISSN"))
    return item


def merge_fields(original: Pairs, derived: dict[str, Pairs], changed: set[str],
                 slot_of: Callable[[str], "str | None"]) -> Pairs:
    """Original fields where their variable is unchanged (or unknown to the model), and the
    model's fields for each changed variable, placed where that variable's first field stood."""
    out: Pairs = []
    done: set[str] = set()
    for key, value in original:
        slot = slot_of(key)
        if slot is None or slot not in changed:
            out.append((key, value))
        elif slot not in done:
            out.extend(derived.get(slot, []))
            done.add(slot)
    for slot, pairs in derived.items():
        if slot in changed and slot not in done:
            out.extend(pairs)
    return out
