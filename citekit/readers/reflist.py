"""Read a bare reference list (``-f text``): one reference per paragraph or per line."""

from __future__ import annotations

from ..model import Bibliography
from .commentary import is_reference_heading
from .refsplit import parse_blocks, split_references

__all__ = ["read"]


def read(text: str, path: str | None = None) -> Bibliography:
    """Read references separated by blank lines, or one per line; no heading needed."""
    lines = text.split("\n")
    numbered = [(i + 1, line) for i, line in enumerate(lines)]
    # A heading line such as "References" on its own is not a reference.
    numbered = [(n, t) for n, t in numbered if not is_reference_heading(t)]
    entries, failures = parse_blocks(split_references(numbered), lines, path)
    return Bibliography(entries=entries, failures=failures, path=path)
