"""Validation: offline checks, citations against the list, network checks, and the report.

``check(source, ...) -> Report`` is the entry point; ``fix(...)`` writes the repaired text.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .codes import CODES, CodeInfo
from .findings import Finding, Fix, Location, Report, Severity
from .runner import CheckOptions, check, check_bibliography

__all__ = ["check", "check_bibliography", "CheckOptions", "CODES", "CodeInfo", "Finding", "Fix",
           "Location", "Report", "Severity"]


class _CallableModule(types.ModuleType):
    """Lets ``citekit.check(source, ...)`` call :func:`check` while ``citekit.check.X`` still works."""

    def __call__(self, *args: Any, **kwargs: Any) -> Report:
        return check(*args, **kwargs)


# ``citekit.check`` is both this package and the library's entry point (issue: "Library API:
# citekit.check(source, ...) -> Report"); a module subclass keeps submodule access intact.
sys.modules[__name__].__class__ = _CallableModule
