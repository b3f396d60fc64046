"""Reports as JSON (citekit's own schema) and SARIF 2.1.0."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .codes import CODES
from .findings import Finding, Report, Severity

__all__ = ["JSON_SCHEMA_VERSION", "report_to_json", "report_to_sarif"]

#: Version of the JSON report layout (docs/json-report.md); bumped on incompatible changes.
JSON_SCHEMA_VERSION = 1

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict (see docs/json-report.md)."""
    return {
        "version": JSON_SCHEMA_VERSION,
        "tool": {"name": "citekit", "version": __version__},
        "paths": report.paths,
        "notices": report.notices,
        "summary": {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "unverified": report.unverified,
        },
        "findings": [f.to_dict() for f in report.findings],
    }


def _message(f: Finding) -> str:
    """The finding's message, then its fix as a sentence of its own."""
    if f.fix is None:
        return f.message
    stop = "" if f.message.rstrip().endswith((".", "!", "?")) else "."
    return f"{f.message.rstrip()}{stop} Fix: {f.fix.description}"


def report_to_sarif(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log, for code-scanning tools."""
    used = sorted({f.code for f in report.findings})
    rules = [{
        "id": code,
        "name": code,
        "shortDescription": {"text": CODES[code].summary if code in CODES else code},
        # No helpUri: SARIF wants an absolute URI and the docs have no fixed address, so the
        # help text names the section instead.
        "help": {"text": f"See the '{code}' section of citekit's docs/checks.md, "
                         f"or run `citekit codes {code}`."},
        "defaultConfiguration": {"level": _SARIF_LEVEL[CODES[code].severity]
                                 if code in CODES else "warning"},
    } for code in used]
    index = {code: i for i, code in enumerate(used)}
    results = []
    for f in report.findings:
        loc = f.location
        region: dict[str, Any] = {}
        if loc.line:
            region["startLine"] = loc.line
            if loc.col:
                region["startColumn"] = loc.col
        physical: dict[str, Any] = {"artifactLocation": {"uri": loc.path or "<string>"}}
        if region:
            physical["region"] = region
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": _message(f)},
            "locations": [{"physicalLocation": physical}],
        }
        props: dict[str, Any] = dict(f.evidence)
        if loc.key:
            props["key"] = loc.key
        if props:
            result["properties"] = props
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "citekit", "version": __version__,
                                "informationUri": "https://pypi.org/project/citekit/",
                                "rules": rules}},
            "results": results,
        }],
    }
