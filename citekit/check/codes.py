"""Every finding code citekit can report, with its default severity and a one-line summary.

docs/checks.md documents each code with a bad and a good example; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Severity

__all__ = ["CodeInfo", "CODES", "severity_of"]


@dataclass(frozen=True)
class CodeInfo:
    """A finding code: its default severity, a summary, and whether it needs the network."""

    code: str
    severity: Severity
    summary: str
    network: bool = False


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_ALL = [
    # reading
    CodeInfo("unreadable-reference", E, "a paragraph of the reference list could not be read as a reference"),
    CodeInfo("repeated-author-dash", I, "a ______. dash was resolved to the previous entry's authors"),
    CodeInfo("stray-fragment", I, "a stray line was joined to the reference before it"),
    CodeInfo("parse-uncertain", W, "the parser is unsure of some fields of this reference"),
    # body citations against the list
    CodeInfo("citation-missing-reference", E, "a body citation has no entry in the reference list"),
    CodeInfo("citation-year-mismatch", E, "a body citation names an entry's authors with another year"),
    CodeInfo("citation-name-mismatch", W, "a body citation names an entry's authors differently"),
    CodeInfo("citation-suffix-mismatch", W,
             "a body citation's year letter (2019a) is not the one its entry has"),
    CodeInfo("citation-ambiguous", W,
             "a body citation without a year letter fits two works of the list (2019a, 2019b)"),
    CodeInfo("reference-uncited", W, "an entry of the reference list is never cited in the body"),
    # the list as a whole
    CodeInfo("reference-order", W, "the list is not in author-then-year order"),
    CodeInfo("reference-numbering", W, "a numbered list skips or repeats a number"),
    CodeInfo("year-suffix-missing", W, "entries with the same authors and year need 2023a/2023b"),
    CodeInfo("duplicate-entry", W, "two entries describe the same work"),
    # entry fields
    CodeInfo("missing-field", W, "a field the item type requires is missing"),
    CodeInfo("date-invalid", W, "a date is not a calendar date (month 13, 30 February)"),
    CodeInfo("doi-invalid", E, "the DOI does not have DOI syntax"),
    CodeInfo("doi-normalised", I, "the DOI was written with a prefix or decoration and was cleaned"),
    CodeInfo("doi-in-url", W, "the DOI is only given inside a publisher URL"),
    CodeInfo("missing-doi", I, "a journal article has no DOI"),
    CodeInfo("url-whitespace", W, "a URL is broken by white space (repaired)"),
    CodeInfo("url-malformed", E, "a URL is not a valid http(s) URL"),
    CodeInfo("url-no-scheme", I, "a URL is written without https:// (as MLA does) and read with it"),
    CodeInfo("url-text-fragment", W, "a URL carries a #:~:text= highlight directive"),
    CodeInfo("url-trailing-punctuation", I, "sentence punctuation after a URL was dropped"),
    CodeInfo("url-insecure", W, "a URL uses http:// instead of https://"),
    CodeInfo("url-date-mismatch", W, "a date in the URL path disagrees with the entry's date"),
    CodeInfo("field-normalised", I, "a name, date, page range or title was tidied"),
    # document
    CodeInfo("no-reference-list", W, "the document has no reference list"),
    CodeInfo("author-name-variant", W, "the document names its own author under another spelling"),
    # network (issue: network validation)
    CodeInfo("doi-not-found", E, "the DOI is not registered", network=True),
    CodeInfo("doi-mismatch", W, "the DOI's registered metadata disagree with the entry", network=True),
    CodeInfo("doi-metadata", I, "the registry has fields the entry lacks", network=True),
    CodeInfo("doi-found", I, "a DOI was found for an entry without one", network=True),
    CodeInfo("doi-unverified", W, "the DOI could not be checked", network=True),
    CodeInfo("url-dead", E, "the URL answers 404/410 or its host does not exist", network=True),
    CodeInfo("url-redirected", I, "the URL redirects permanently", network=True),
    CodeInfo("url-blocked", W, "the URL points at a private or local address and was not fetched",
             network=True),
    CodeInfo("url-unverified", W, "the URL could not be checked", network=True),
]

#: code -> CodeInfo
CODES: dict[str, CodeInfo] = {c.code: c for c in _ALL}


def severity_of(code: str) -> Severity:
    """The default severity of a code (warning for an unknown one)."""
    info = CODES.get(code)
    return info.severity if info else Severity.WARNING
