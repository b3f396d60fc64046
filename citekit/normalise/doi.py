"""DOIs: clean a DOI as written, find one inside a URL, validate and compare DOIs.

The cleaning is hand-written because no maintained library does it: DOI syntax is just
"``10.`` registrant ``/`` suffix" (Crossref publishes the validation patterns used below), and
the rest is stripping the many ways people write one (``doi:``, resolver links, percent-escapes,
the period that ends the reference). URLs are split with ``yarl`` (see :mod:`.url`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote

from yarl import URL

from ..model import Entry
from .base import Change, strip_unbalanced_end

__all__ = [
    "clean_doi",
    "doi_from_url",
    "is_valid_doi",
    "same_doi",
    "is_doi_fragment",
    "normalise_doi",
]

# The patterns come from Crossref's post "DOIs and matching regular expressions" (2015).
# Its recommended pattern for modern DOIs (74.4M of the 74.9M it had seen), dot escaped:
_CROSSREF = re.compile(r"10\.\d{4,9}/[-._;()/:A-Z0-9]+", re.IGNORECASE)
# The older forms it lists: Wiley's 10.1002 (SICI-style, with <>#[] and more), other SICI-based
# suffixes, ACS's short ones and Erlbaum's with '&'. The SICI one is rewritten ("\d+X?(\d+)\d+"
# becomes "\d[\dX]*\d") so that a failing match backtracks only linearly.
_OLD_FORMS = (
    re.compile(r"10\.1002/\S+", re.IGNORECASE),
    re.compile(r"10\.\d{4}/\d+-\d[\dX]*\d<\w+:\w*>\d+\.\d+\.\w+;\d", re.IGNORECASE),
    re.compile(r"10\.1021/\w\w\d+", re.IGNORECASE),
    re.compile(r"10\.1207/\w+&\d+_\d+", re.IGNORECASE),
)
# A DOI starts here (registrant prefix and slash); what follows is the suffix.
_DOI_START = re.compile(r"10\.\d{4,9}/")
# Invisible characters and whitespace: a DOI never contains them; line wrapping adds them.
_STRIP_SPACE = re.compile(r"[\s\u200b\u2060\ufeff\u00ad]+")
# Ways of announcing a DOI in front of it, possibly repeated ("doi: https://doi.org/10...").
_PREFIX = re.compile(
    r"(?:https?://)?(?:(?:dx|www)\.)?doi\.org/|info:doi/|urn:doi:|doi(?::|/|\.org/)?",
    re.IGNORECASE,
)
_RESOLVER_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
# Trailing pieces of a publisher URL that are views of the article, not part of its DOI.
_VIEW_SUFFIXES = tuple(
    "/" + v for v in ("abstract", "full", "fulltext", "pdf", "epdf", "pdfdirect", "html", "meta",
                      "references", "summary", "figures", "suppinfo", "citation", "issuetoc",
                      "epub")
) + (".pdf",)
_TRAILING = frozenset(".,;:'\"\u2018\u2019\u201c\u201d\u00ab\u00bb")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def is_valid_doi(doi: str) -> bool:
    """True when ``doi`` is a syntactically valid DOI (Crossref's pattern or an old Wiley form)."""
    if not isinstance(doi, str):
        return False
    return bool(_CROSSREF.fullmatch(doi)) or any(p.fullmatch(doi) for p in _OLD_FORMS)


def _unescape(text: str) -> str:
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def _unquote_compact(text: str) -> str:
    return _STRIP_SPACE.sub("", unquote(text))


def _decode_once(text: str, decode: Callable[[str], str]) -> str:
    """Decode ``text`` unless the result would decode again (``%2525``): then keep it as written,
    so that cleaning a cleaned DOI changes nothing."""
    decoded = decode(text)
    return decoded if decode(decoded) == decoded else text


def clean_doi(text: str | None) -> str | None:
    """Return the bare DOI in ``text`` (``doi:``/resolver prefixes, escapes, punctuation removed).

    Returns ``None`` when ``text`` holds no DOI. The result keeps the case as written; it is
    not guaranteed to be valid (see :func:`is_valid_doi`), only to start with ``10.NNNN/``.
    """
    if not isinstance(text, str):
        return None
    s = _STRIP_SPACE.sub("", text)
    if s[:1] == "<" and s[-1:] == ">":
        s = s[1:-1]
    s = s.lstrip("([<\"'\u201c\u201d\u2018\u2019")  # the end is cleaned below, in one place
    if not s:
        return None
    if re.match(r"https?://", s, re.IGNORECASE) and not re.match(
        r"https?://(?:(?:dx|www)\.)?doi\.org/", s, re.IGNORECASE
    ):
        return doi_from_url(s)
    for _ in range(4):  # "doi: https://doi.org/10..." has two prefixes; more is junk
        m = _PREFIX.match(s)
        if not m or m.end() == 0:
            break
        s = s[m.end():]
    s = s.lstrip("([<\"'\u201c\u201d\u2018\u2019")
    if "%" in s:
        s = _decode_once(s, _unquote_compact)
    if "&" in s:
        s = _decode_once(s, _unescape)
    s = strip_unbalanced_end(s, _TRAILING)
    if not _DOI_START.match(s) or len(s) <= _DOI_START.match(s).end():  # type: ignore[union-attr]
        return None
    return s


def same_doi(a: str | None, b: str | None) -> bool:
    """True when ``a`` and ``b`` are the same DOI (after cleaning; DOIs ignore case)."""
    ca, cb = clean_doi(a), clean_doi(b)
    return ca is not None and cb is not None and ca.casefold() == cb.casefold()


def is_doi_fragment(text: str) -> bool:
    """True when ``text`` (one word) is a DOI on its own: ``doi/10.…``, ``doi:10.…``, ``10.…/…``."""
    s = text.strip()
    if re.match(r"https?://(?:(?:dx|www)\.)?doi\.org/", s, re.IGNORECASE):
        return clean_doi(s) is not None
    if re.match(r"(?:doi[:/]?\s*)?10\.\d{4,9}/", s, re.IGNORECASE):
        return clean_doi(s) is not None
    return False


def doi_from_url(url: str | None) -> str | None:
    """Return the DOI held in a resolver or publisher URL, or ``None``.

    Knows ``doi.org``/``dx.doi.org`` links, publisher paths such as ``/doi/full/10.1080/…``,
    ``/doi/abs/``, ``/doi/pdf/``, ``/doi/epdf/``, ``/doi/10.…``, any ``/10.NNNN/…`` path
    (view suffixes like ``/abstract`` or ``.pdf`` dropped) and ``?doi=10.…`` query values.
    """
    if not isinstance(url, str) or "10." not in url:
        return None
    text = url.strip()
    if _STRIP_SPACE.search(text):
        from .url import rejoin_url  # local import: url.py uses this module too

        text = rejoin_url(text)[0]
    try:
        parsed = URL(text, encoded=True)
        host = (parsed.raw_host or "").lower()
        raw_path, raw_query = parsed.raw_path, parsed.raw_query_string
    except (ValueError, TypeError):
        return None
    if host in _RESOLVER_HOSTS:
        found = clean_doi(unquote(raw_path.lstrip("/")))
        return found if found and is_valid_doi(found) else None
    path = unquote(raw_path)
    m = re.search(r"(?:^|/)(10\.\d{4,9}/.+)$", path)
    if m:
        candidate = m.group(1)
        found = clean_doi(candidate[:_end_without_views(candidate)])
        if found and is_valid_doi(found):
            return found
    for _key, value in parse_qsl(raw_query):
        if "10." in value:
            found = clean_doi(value)
            if found and is_valid_doi(found):
                return found
    return None


def _end_without_views(candidate: str) -> int:
    """Where ``candidate`` ends once view suffixes (``/abstract``, ``.pdf`` …) are cut off."""
    lower, end = candidate.lower(), len(candidate)
    while True:
        for suffix in _VIEW_SUFFIXES:
            if lower.endswith(suffix, 0, end):
                end -= len(suffix)
                break
        else:
            return end


def normalise_doi(entry: Entry) -> list[Change]:
    """Clean the entry's DOI (``doi-normalised``), or take it from its URL (``doi-in-url``).

    A URL that is nothing but a DOI (``https://doi.org/10.…``, ``doi/10.…``) moves to the DOI
    field and the URL is cleared (``doi-normalised``): styles print the DOI as a link anyway.
    A publisher URL holding a DOI is kept; the DOI is copied out of it.
    """
    changes: list[Change] = []
    if isinstance(entry.doi, str) and entry.doi.strip():
        cleaned = clean_doi(entry.doi)
        if cleaned is not None and cleaned != entry.doi:
            before, entry.doi = entry.doi, cleaned
            changes.append(Change("doi-normalised", "DOI", before, cleaned,
                                  f"DOI written as {before!r} cleaned to {cleaned}"))
    url = entry.url
    if not isinstance(url, str) or "10." not in url:
        return changes
    if is_doi_fragment(url):
        as_doi = clean_doi(url)
        if not (isinstance(entry.doi, str) and entry.doi.strip()):
            entry.doi = as_doi
            changes.append(Change("doi-normalised", "DOI", None, as_doi,
                                  f"DOI {as_doi} was written in the URL field"))
        elif not same_doi(entry.doi, as_doi):
            return changes  # two different DOIs: a person has to choose
        entry.url = None
        changes.append(Change("doi-normalised", "URL", url, None,
                              f"URL {url} is the DOI {as_doi}; kept as the DOI only"))
        return changes
    if not (isinstance(entry.doi, str) and entry.doi.strip()):
        found = doi_from_url(url)
        if found:
            entry.doi = found
            changes.append(Change("doi-in-url", "DOI", None, found,
                                  f"DOI {found} taken from the URL {url}"))
    return changes
