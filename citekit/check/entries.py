"""Offline checks of one entry at a time: required fields, DOI, URL problems, URL dates."""

from __future__ import annotations

from typing import Iterator

from ..model import Date, Entry, valid_date_parts
from ..normalise.doi import is_valid_doi
from ..normalise.url import date_in_url, url_issues
from .codes import severity_of
from .findings import Finding, Fix
from .locate import entry_location, locate_in_entry

__all__ = ["check_entry", "label_of", "REQUIRED_FIELDS"]

#: CSL type -> fields it needs (beyond title, names and year, which every entry needs).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article-journal": ("container-title", "volume", "page"),
    "article-newspaper": ("container-title",),
    "article-magazine": ("container-title",),
    "webpage": ("URL",),
    "post": ("URL",),
    "post-weblog": ("URL",),
    "dataset": ("URL",),
    "report": ("publisher",),
    "book": ("publisher",),
    "chapter": ("container-title", "publisher"),
    "thesis": ("publisher",),
}

_FIELD_WORDS = {"container-title": "container (journal or site)", "volume": "volume",
                "page": "page range", "URL": "URL", "publisher": "publisher"}
# Fields a work not yet published cannot have ("(in press)", "forthcoming").
_NOT_YET = frozenset({"volume", "page", "issue"})


def _finding(code: str, message: str, entry: Entry, needle: str | None = None,
             fix: Fix | None = None, **evidence: object) -> Finding:
    loc = locate_in_entry(entry, needle) if needle else entry_location(entry)
    return Finding(code, severity_of(code), message, loc, fix, dict(evidence))


_DATE_WORDS = {"issued": "date", "accessed": "access date"}


def _date_problem(entry: Entry, field: str, date: Date | None) -> str | None:
    """Why a date is no calendar date (a month 13, 30 February), else None: as the BibTeX or
    RIS reader found it written (it kept the year), or as CSL-JSON date-parts give it."""
    written = (entry.diagnostics.get("invalid-dates") or {}).get(field)
    if written:
        return f"{written!r} is not a calendar date" + (
            f"; only its year {date.year} was kept" if date is not None and date.year else "")
    if date is not None and date.month is not None and \
            not valid_date_parts(date.year, date.month, date.day):
        return f"{date} is not a calendar date"
    return None


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeio" else "a"


def label_of(entry: Entry) -> str:
    """A short human label for an entry: ``Kwak 2024``."""
    names = entry.names
    who = names[0].sort_name if names else (entry.title or "entry")[:30]
    return f"{who} {entry.year or date_words(entry) or 'n.d.'}"


def date_words(entry: Entry) -> str:
    """The date an entry gives in words instead of a year ("in press", "forthcoming",
    "n.d."), or ""."""
    text = entry.extra.get("status") or entry.extra.get("date-text")
    if not isinstance(text, str) and entry.issued is not None and entry.issued.year is None:
        text = entry.issued.literal
    return text if isinstance(text, str) else ""


def check_entry(entry: Entry, from_text: bool = True) -> Iterator[Finding]:
    """Yield the offline findings for one (normalised) entry.

    ``from_text`` says the entry was parsed from plain text (where a DOI can hide in a link);
    structured formats carry the DOI in its own field.
    """
    label = label_of(entry)
    # Fields every entry needs.
    if not entry.names:
        yield _finding("missing-field", f"{label}: no author or editor", entry, field="author")
    if not entry.title:
        yield _finding("missing-field", f"{label}: no title", entry, field="title")
    if entry.year is None and not date_words(entry) and \
            not _date_problem(entry, "issued", entry.issued):
        yield _finding("missing-field", f"{label}: no year; write \u201cn.d.\u201d if it has none",
                       entry, fix=Fix("mark the date as n.d.", "issued", None, "n.d."), field="issued")
    unpublished = date_words(entry).lower() in ("in press", "forthcoming")
    for key in REQUIRED_FIELDS.get(entry.type, ()):
        if unpublished and key in _NOT_YET:
            continue
        if key == "publisher" and entry.type in ("book", "report") and entry.author and \
                entry.author[0].literal and len(entry.author) == 1:
            continue  # APA 7 leaves out a publisher that is the (organisation) author
        if entry.get(key) in (None, "", []):
            yield _finding("missing-field",
                           f"{label}: {_article(entry.type)} {entry.type} needs a "
                           f"{_FIELD_WORDS.get(key, key)}",
                           entry, field=key)
    for field, date in (("issued", entry.issued), ("accessed", entry.accessed)):
        problem = _date_problem(entry, field, date)
        if problem:
            yield _finding("date-invalid", f"{label}: the {_DATE_WORDS[field]} {problem}", entry,
                           field=field)
    # DOI.
    if entry.doi is not None and not is_valid_doi(entry.doi):
        yield _finding("doi-invalid", f"{label}: {entry.doi!r} is not a valid DOI "
                       "(expected 10.NNNN/suffix)", entry, entry.doi, doi=entry.doi)
    if from_text and entry.doi and entry.url and entry.doi.lower() in entry.url.lower():
        raw = (entry.source.raw if entry.source else "").lower()
        outside = raw.replace(entry.url.lower(), "")
        if "doi.org/" not in outside and "doi:" not in outside:
            yield _finding(
                "doi-in-url",
                f"{label}: the DOI {entry.doi} is only given inside the publisher link",
                entry, entry.url,
                Fix(f"cite the DOI as https://doi.org/{entry.doi}", "URL", entry.url,
                    f"https://doi.org/{entry.doi}", automatic=True),
                doi=entry.doi)
    if entry.type == "article-journal" and not entry.doi:
        yield _finding("missing-doi", missing_doi_message(label, "offline"), entry)
    # URL.
    if entry.url:
        for issue in url_issues(entry.url):
            if issue.code == "url-insecure":
                fix = Fix("use https:// if the site serves it", "URL", entry.url,
                          "https://" + entry.url[len("http://"):])
            elif issue.code == "url-no-scheme":
                fix = Fix("write it with https:// if the style wants full links", "URL",
                          entry.url, "https://" + entry.url.strip())
            else:
                fix = None
            yield _finding(issue.code, f"{label}: {issue.message}", entry, entry.url, fix)
        yield from _url_date(entry, label)


#: The end of a ``missing-doi`` message, by what the Crossref search gave (the runner picks it).
MISSING_DOI_HINTS = {
    "offline": "look it up (citekit check without --offline asks Crossref)",
    "found": "Crossref has a likely match (see doi-found)",
    "found-hidden": "Crossref has a likely match (not shown: doi-found is not selected)",
    "unselected": "look it up (Crossref was not asked: no network check is selected)",
    "none": "Crossref has no confident match; look it up by hand",
    "not-asked": "look it up (Crossref was not asked: no title to search by)",
    "off": "look it up (Crossref was not asked: --no-discover)",
    "failed": "look it up (Crossref could not be asked: {reason}; run again later)",
}


def missing_doi_message(label: str, outcome: str) -> str:
    """The ``missing-doi`` message for an entry, ending with what the Crossref search gave
    (``outcome``: a key of ``MISSING_DOI_HINTS``, ``failed`` as ``failed: <reason>``)."""
    kind, _, reason = outcome.partition(": ")
    hint = MISSING_DOI_HINTS.get(kind, MISSING_DOI_HINTS["not-asked"]).format(reason=reason)
    return f"{label}: journal article without a DOI; {hint}"


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def _url_date(entry: Entry, label: str) -> Iterator[Finding]:
    found = date_in_url(entry.url)
    if found is None or entry.issued is None or entry.issued.year is None:
        return
    year, month = found
    issued = entry.issued
    same_year = year == issued.year
    same_month = month is None or issued.month is None or month == issued.month
    if same_year and same_month:
        return
    when = f"{_MONTHS[issued.month - 1]} {issued.day or ''} {issued.year}".replace("  ", " ") \
        if issued.month else str(issued.year)
    url_when = f"{year}/{month:02d}" if month else str(year)
    yield _finding("url-date-mismatch",
                   f"{label}: the URL's path says {url_when} but the entry is dated {when}; "
                   "check which is right", entry, entry.url,
                   url_date=url_when, entry_date=str(issued))


