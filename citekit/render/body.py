"""The in-text citations of a commentary's body, as entry ids the renderer can cite.

A body citation names authors and a year as written (``Ha and Kim 2024``, ``Lee, et al.
2023``, ``Lowy 2024``). It is matched to an entry by the same matcher the validator uses
(:class:`citekit.check.citations.CitationMatcher`): exact matches and name variants of the
same year are cited; a citation whose year disagrees with the list, or that matches nothing,
is listed as unmatched (``citekit check`` explains why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..check.citations import CitationMatcher
from ..model import Bibliography

__all__ = ["BodyCites", "cites_from_body"]


@dataclass
class BodyCites:
    """Citations as groups of entry ids, and the cited works no entry matched (with where)."""

    groups: list[list[Any]] = field(default_factory=list)  # ids, or cite objects with a locator
    unmatched: list[str] = field(default_factory=list)


def cites_from_body(bibliography: Bibliography) -> BodyCites:
    """Match each body citation's works to entries (see the module docstring)."""
    out = BodyCites()
    matcher = CitationMatcher(bibliography.entries)
    for citation in bibliography.citations:
        group: list[Any] = []
        for item in citation.items:
            m = matcher.match(item)
            if m.kind in ("exact", "name") and m.entry is not None:
                # "(Garcia et al. 2018, 45)": the page goes with the cite as its locator.
                group.append({"id": m.entry.id, "locator": item.locator, "label": "page"}
                             if item.locator else m.entry.id)
            else:
                where = f"{bibliography.path or '<string>'}:{item.line or citation.line}:" \
                        f"{item.col or citation.col}"
                why = " (the list has another year)" if m.kind == "year" else ""
                out.unmatched.append(
                    f"{where}: no entry for {item.raw or item.names + ' ' + item.year}{why}")
        if group:
            out.groups.append(group)
    return out
