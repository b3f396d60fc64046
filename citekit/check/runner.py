"""The validator pipeline: read → normalise → offline checks → (network checks) → Report."""

from __future__ import annotations

import copy
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import ConfigError, InputError, UnknownFormatError
from ..model import Bibliography
from ..normalise import normalise
from ..readers import load
from .citations import check_citations
from .codes import CODES, severity_of
from .document import check_document
from .entries import check_entry, label_of, missing_doi_message
from .findings import Finding, Fix, Report
from .listing import check_duplicates, check_numbering, check_order, check_year_suffixes
from .locate import entry_location, locate_in_entry

__all__ = ["CheckOptions", "check", "check_bibliography", "select_codes", "TEXT_FORMATS"]

#: Formats whose entries were parsed from plain text (with provenance worth patching).
TEXT_FORMATS = frozenset({"commentary", "text"})
#: Entries the author-date parser read with less confidence than this get ``parse-uncertain``.
UNCERTAIN_BELOW = 0.8
#: For the learned tagger, whose confidence is the probability of the whole labelling.
TAGGER_UNCERTAIN_BELOW = 0.7


@dataclass
class CheckOptions:
    """What to check: network on or off, which codes, and network settings."""

    offline: bool = False
    select: Sequence[str] | None = None
    ignore: Sequence[str] | None = None
    #: Passed to the network checks (a ``NetworkConfig``), when they run.
    network_config: Any = None
    #: Called as progress(done, total) during network checks.
    progress: Any = None
    input_format: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _expand(patterns: Sequence[str] | None) -> set[str] | None:
    if not patterns:
        return None
    out: set[str] = set()
    for raw in patterns:
        for pat in (p.strip() for p in raw.split(",")):
            if not pat:
                continue
            if pat.lower() == "all":
                out.update(CODES)
                continue
            prefix = pat.rstrip("*")
            matched = {c for c in CODES if c == pat or (pat != prefix or pat.endswith("-"))
                       and c.startswith(prefix)}
            if not matched:
                matched = {c for c in CODES if c.startswith(pat + "-")}
            if not matched:
                near = difflib.get_close_matches(pat, list(CODES), n=3)
                hint = f"; did you mean {', '.join(near)}?" if near else ""
                raise ConfigError(f"unknown check code {pat!r}{hint} (see docs/checks.md)")
            out |= matched
    return out


def select_codes(select: Sequence[str] | None, ignore: Sequence[str] | None) -> set[str]:
    """The codes that are reported, given --select and --ignore lists (codes or prefixes)."""
    chosen = _expand(select) or set(CODES)
    return chosen - (_expand(ignore) or set())


def _change_findings(bib: Bibliography, from_text: bool) -> list[Finding]:
    """Run the normalisers in place; each change becomes a finding with its automatic fix."""
    out = []
    for entry, change in normalise(bib.entries):
        if change.silent:
            continue  # kept in the data, not reported (a page range's dash)
        if from_text and change.code == "doi-in-url" and change.field == "DOI":
            # In a text the entry check reports it once, with the link to write instead.
            continue
        code = change.code if change.code in CODES else "field-normalised"
        needle = str(change.before) if change.field == "URL" and change.before else None
        loc = locate_in_entry(entry, needle) if from_text else entry_location(entry)
        what = (f"remove the {change.field}" if change.after is None
                else f"{change.field}: {change.after}")
        out.append(Finding(code, severity_of(code), f"{label_of(entry)}: {change.message}", loc,
                           Fix(what, change.field, change.before, change.after, automatic=True),
                           {"field": change.field}))
    return out



def check_bibliography(bib: Bibliography, options: CheckOptions | None = None) -> Report:
    """Check one bibliography. It is normalised **in place**; pass a copy to keep the original."""
    opts = options or CheckOptions()
    codes = select_codes(opts.select, opts.ignore)
    from_text = (bib.format or "text") in TEXT_FORMATS
    findings: list[Finding] = []
    for failure in bib.failures:
        findings.append(Finding("unreadable-reference", severity_of("unreadable-reference"),
                                f"could not read this as a reference: {failure.reason}",
                                _failure_location(failure), None, {"raw": failure.raw[:200]}))
    for entry in bib.entries:
        if entry.source is None:
            continue
        for ev in entry.source.events:
            findings.append(Finding(ev.code, severity_of(ev.code), ev.detail,
                                    _event_location(entry, ev.line, ev.col)))
        unsure = _uncertain(entry)
        if unsure is not None:
            findings.append(Finding("parse-uncertain", severity_of("parse-uncertain"),
                                    f"the parser is unsure of this reference "
                                    f"(confidence {entry.confidence:.2f}){unsure}; check its fields",
                                    entry_location(entry), None,
                                    {"confidence": entry.confidence,
                                     "parser": entry.diagnostics.get("parser")}))
    findings.extend(_change_findings(bib, from_text))
    no_doi: list[tuple[Finding, Any]] = []  # missing-doi findings, worded after the network run
    for entry in bib.entries:
        for finding in check_entry(entry, from_text=from_text):
            findings.append(finding)
            if finding.code == "missing-doi":
                no_doi.append((finding, entry))
    if from_text:  # (a BibTeX, RIS or CSL-JSON file has no order of its own: styles sort it)
        findings.extend(check_order(bib.entries))
    findings.extend(check_numbering(bib.entries))
    findings.extend(check_year_suffixes(bib.entries))
    findings.extend(check_duplicates(bib.entries))
    if bib.document is not None:
        findings.extend(check_citations(bib))
        findings.extend(check_document(bib))
    report = Report(paths=[bib.path] if bib.path else [])
    if bib.guessed_encoding:
        report.notices.append(f"{bib.path or 'the input'}: not UTF-8; read as "
                              f"{bib.guessed_encoding} (a guess: check accented letters, or "
                              "convert the file to UTF-8)")
    if not bib.entries and not bib.failures and bib.document is None:
        report.notices.append(f"{bib.path or 'the input'}: no entries were read (an empty file, "
                              "or another format: see -f)")
    if not opts.offline and bib.entries and any(CODES[c].network for c in codes):
        _network(bib, opts, findings, report, no_doi, codes)
    elif not opts.offline:
        _word_missing_doi(no_doi, lambda entry: "unselected")
    report.findings = sorted((f for f in findings if f.code in codes), key=_order)
    return report


def _uncertain(entry: Any) -> str | None:
    """None when the parse is trusted, else a note naming the weak fields (may be empty)."""
    if entry.diagnostics.get("parser") == "tagger":
        from ..parse.tagger import uncertain_fields

        weak = uncertain_fields(entry)
        if entry.confidence >= TAGGER_UNCERTAIN_BELOW and not weak:
            return None
        if not weak:  # unsure of the whole, no field below the bar: name the two weakest
            weak = uncertain_fields(entry, threshold=1.01)[:2]
        return f": weakest fields {', '.join(f'{k} {v:.2f}' for k, v in weak)}" if weak else ""
    return "" if entry.confidence < UNCERTAIN_BELOW else None


def _network(bib: Bibliography, opts: CheckOptions, findings: list[Finding], report: Report,
             no_doi: list[tuple[Finding, Any]], codes: set[str]) -> None:
    try:
        from .network import run_network_checks_sync
    except ImportError:  # the network layer is optional at import time
        report.notices.append("network checks are not available in this installation")
        return
    result = run_network_checks_sync(bib, opts.network_config, progress=opts.progress)
    findings.extend(result.findings)
    report.notices.extend(result.notices)
    report.unverified += result.unverified

    def outcome(entry: Any) -> str:
        found = result.discovery.get(id(entry), "not-asked")
        return "found-hidden" if found == "found" and "doi-found" not in codes else found

    _word_missing_doi(no_doi, outcome)


def _word_missing_doi(no_doi: list[tuple[Finding, Any]], outcome: Any) -> None:
    """End each missing-doi message with what the Crossref search gave the entry."""
    for finding, entry in no_doi:
        finding.message = missing_doi_message(label_of(entry), outcome(entry))


def _failure_location(failure: Any) -> Any:
    from .findings import Location

    return Location(path=failure.path, line=failure.line, col=failure.col)


def _event_location(entry: Any, line: int, col: int) -> Any:
    loc = entry_location(entry)
    return type(loc)(path=loc.path, line=line, col=col, key=loc.key)


def _order(f: Finding) -> tuple[Any, ...]:
    # Position only: findings at one place keep the pipeline's order (the sort is stable), so
    # repairs read in the order they were made (whitespace rejoined, then fragment removed).
    loc = f.location
    return (loc.path or "", loc.line, loc.col)


#: The files a folder given to ``check`` contributes ("refs.csl.json" ends in ".json").
_WALKED_SUFFIXES = (".txt", ".md", ".markdown", ".bib", ".ris", ".json")
#: Folders of tools, not of writing, that a folder walk passes over (besides hidden ones).
_TOOL_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env"})


def _files_in(folder: Path) -> list[Path]:
    """The files citekit reads in ``folder`` and its sub-folders, in name order. Hidden files
    and folders (".git", ".venv") and tool folders ("node_modules") are passed over without
    being entered, and a ".json" file only counts when it holds a JSON array (CSL-JSON), so
    that "package.json" is no bibliography."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _TOOL_FOLDERS)
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") or not name.lower().endswith(_WALKED_SUFFIXES):
                continue
            if name.lower().endswith(".json") and not _json_array(path):
                continue
            out.append(path)
    return sorted(out)


def _json_array(path: Path) -> bool:
    """Whether a JSON file opens with "[" (a CSL-JSON list of items)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head[:1] == b"["


def check(source: str | Path | Bibliography | Iterable[str | Path], *,
          options: CheckOptions | None = None, **kwargs: Any) -> Report:
    """Check a file, several files, or a Bibliography; return one Report of all findings.

    Keyword arguments are :class:`CheckOptions` fields (``offline=True``, ``select=[...]``…).
    Files are read with :func:`citekit.load`; a Bibliography is copied, never modified.
    """
    opts = options or CheckOptions(**kwargs)
    select_codes(opts.select, opts.ignore)  # fail early on unknown codes
    if isinstance(source, Bibliography):
        return check_bibliography(copy.deepcopy(source), opts)
    paths = [source] if isinstance(source, (str, Path)) else list(source)
    report = Report()
    walked: set[str] = set()
    files: list[str | Path] = []
    seen: dict[Path, bool] = {}  # each file given so far: whether it came from a folder
    for p in paths:
        if Path(p).is_dir():
            found = _files_in(Path(p))
            if not found:
                raise InputError(f"{p}: a folder with no file citekit reads "
                                 f"({', '.join(_WALKED_SUFFIXES)})")
            walked.update(str(f) for f in found)
        else:
            found = [p]
        for f in found:
            key = Path(f).resolve() if str(f) != "-" else Path(str(id(f)))
            from_folder = str(f) in walked
            if key in seen and (from_folder or seen[key]):
                continue  # a folder and a file in it ("check refs refs/a.bib"): checked once
            seen[key] = from_folder
            files.append(f)
    checked = 0
    for p in files:
        if str(p) in walked:
            try:
                bib = load(p, opts.input_format)
            except (InputError, UnknownFormatError) as exc:
                # one unreadable file in a folder is noted; the others are checked
                report.notices.append(f"skipped: {exc}")
                continue
            if not bib.entries and not bib.citations and not bib.failures:
                # a README or notes with no references in a folder of drafts: no finding
                report.notices.append(f"passed over {p}: no references or citations")
                continue
        else:
            bib = load(p, opts.input_format)
        checked += 1
        part = check_bibliography(bib, opts)
        report.findings.extend(part.findings)
        report.paths.append(str(p))
        report.notices.extend(n for n in part.notices if n not in report.notices)
        report.unverified += part.unverified
    if walked and not checked:
        raise InputError("no file in " + ", ".join(str(p) for p in paths if Path(p).is_dir())
                         + " holds references or citations; notes: " + "; ".join(report.notices))
    return report
