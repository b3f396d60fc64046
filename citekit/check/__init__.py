"""Validation: offline checks, citations against the list, network checks, and the report.

``check(source, ...) -> Report`` is the entry point; ``fix(...)`` writes the repaired text.
"""

from __future__ import annotations

from .._callable import make_callable
from .codes import CODES, CodeInfo
from .findings import Finding, Fix, Location, Report, Severity
from .runner import CheckOptions, check, check_bibliography

__all__ = ["check", "check_bibliography", "CheckOptions", "CODES", "CodeInfo", "Finding", "Fix",
           "Location", "Report", "Severity"]


# ``citekit.check(source, ...)`` calls :func:`check`; ``citekit.check.X`` still works.
make_callable(__name__, check)
