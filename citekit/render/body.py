"""The in-text citations of a commentary's body, as entry ids the renderer can cite.

A body citation names authors and a year as written (``Ha and Kim 2024``, ``Lee, et al.
2023``, ``Lowy 2024``). It is matched to an entry by the same matcher the validator uses
(:class:`citekit.check.citations.CitationMatcher`): exact matches and name variants of the
same year are cited; a citation whose year disagrees with the list, or that matches nothing,
is listed as unmatched (``citekit check`` explains why). A numeric citation (``[3]``) cites the
entry of that number in a numbered list; beside an author-date list it is a note mark, skipped.
"""

from __future__ import annotations

import re
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


# A locator's label as written before it, and its CSL label.
_LABELS = {"p": "page", "pp": "page", "page": "page", "pages": "page", "ch": "chapter",
           "chap": "chapter", "chapter": "chapter", "sec": "section", "section": "section",
           "para": "paragraph", "n": "note", "nn": "note", "fig": "figure", "vol": "volume",
           "col": "column", "l": "line", "ll": "line"}
_LABELLED = re.compile(r"^([A-Za-z]{1,7})\.?\s*(\S.*)$")
_YEAR_LIKE = re.compile(r"^(?:1[5-9]|20)\d\d[a-z]?$")


def _cite(entry_id: str, locator: str | None) -> Any:
    """A cite of ``entry_id`` with the body citation's locator ("45", "p. 7", "chap. 3"), its
    label read off the front; a bare id when there is none (or it is a year: "2020, 2021")."""
    text = (locator or "").strip()
    if not text or _YEAR_LIKE.match(text):
        return entry_id
    label = "page"
    m = _LABELLED.match(text)
    if m and m.group(1).lower() in _LABELS:
        label, text = _LABELS[m.group(1).lower()], m.group(2)
    return {"id": entry_id, "locator": text, "label": label}


def cites_from_body(bibliography: Bibliography) -> BodyCites:
    """Match each body citation's works to entries (see the module docstring)."""
    out = BodyCites()
    matcher = CitationMatcher(bibliography.entries)
    for citation in bibliography.citations:
        group: list[Any] = []
        for item in citation.items:
            if item.number is not None and not matcher.numbered:
                continue  # "[3]" beside an author-date list is a note mark
            m = matcher.match(item)
            if m.kind in ("exact", "name") and m.entry is not None:
                # "(Garcia et al. 2018, 45)": the page goes with the cite as its locator.
                cite = _cite(m.entry.id, item.locator)
                if item.prefix:  # "(see Smith 2019)"
                    cite = dict(cite, prefix=item.prefix + " ") if isinstance(cite, dict) \
                        else {"id": cite, "prefix": item.prefix + " "}
                group.append(cite)
            else:
                where = f"{bibliography.path or '<string>'}:{item.line or citation.line}:" \
                        f"{item.col or citation.col}"
                why = " (the list has another year)" if m.kind == "year" else ""
                out.unmatched.append(
                    f"{where}: no entry for {item.raw or item.names + ' ' + item.year}{why}")
        if group:
            out.groups.append(group)
    return out
