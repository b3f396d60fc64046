"""Write CSL-JSON: a JSON array of items, 2-space indent, UTF-8 text, trailing newline."""

from __future__ import annotations

import json
from typing import Any

from ..model import Bibliography, Date, Name

__all__ = ["write"]


def write(bib: Bibliography) -> str:
    """The bibliography as a CSL-JSON array (``id`` and ``type`` first in every item)."""
    return json.dumps(bib.to_csl(), indent=2, ensure_ascii=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    """JSON form of model objects left in ``extra`` under non-standard keys."""
    if isinstance(value, (Name, Date)):
        return value.to_csl()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)
