"""Findings and reports: problems in the data, as data."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterator

__all__ = ["Severity", "Location", "Fix", "Finding", "Report"]


class Severity(str, enum.Enum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info (for sorting)."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file position and, when it is about an entry, the entry key."""

    path: str | None = None
    line: int = 0
    col: int = 0
    key: str | None = None

    def __str__(self) -> str:
        return f"{self.path or '<string>'}:{self.line}:{self.col}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"path": self.path, "line": self.line, "col": self.col, "key": self.key}


@dataclass(frozen=True)
class Fix:
    """A suggested fix: change ``field`` from ``before`` to ``after`` (or a free description)."""

    description: str
    field: str | None = None
    before: Any = None
    after: Any = None
    #: True when ``--fix`` may apply it without a person deciding.
    automatic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"description": self.description, "field": self.field, "before": self.before,
                "after": self.after, "automatic": self.automatic}


@dataclass
class Finding:
    """One problem: stable kebab-case code, severity, location, message, optional fix, evidence."""

    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    fix: Fix | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see docs/json-report.md)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "fix": self.fix.to_dict() if self.fix else None,
            "evidence": self.evidence,
        }


@dataclass
class Report:
    """All findings of a run, in document order, plus run-level notes."""

    findings: list[Finding] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    #: Run-level notes shown once at the top (e.g. "network unreachable: network checks unverified").
    notices: list[str] = field(default_factory=list)
    #: How many network checks could not give a verdict (network down, timeouts).
    unverified: int = 0

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def extend(self, findings: "Iterator[Finding] | list[Finding]") -> None:
        """Add findings."""
        self.findings.extend(findings)

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        """True when any finding is an error."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    def codes(self) -> list[str]:
        """The codes of all findings, in order."""
        return [f.code for f in self.findings]
