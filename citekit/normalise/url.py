"""URLs: rejoin links broken by line wrapping, drop text fragments and trailing punctuation,
and say what is wrong with a URL (``url-insecure``, ``url-malformed``).

Parsing and validation use ``yarl`` (aio-libs; the URL type behind aiohttp). It is actively
maintained, has a compiled fast path, splits a URL into its RFC 3986 parts without guessing,
IDNA-encodes non-ASCII host names and rejects bad ports and IP literals. The alternatives have
stopped releasing (``rfc3986`` 2.0.0, January 2022; ``hyperlink`` 21.0.0, January 2021, pure
Python). yarl does not judge host names, so the label check below is ours.

The whitespace repair is hand-written: no library can know that the space in
``…/relations/ 2009Present/…`` came from a line break, which is a judgement about wrapped text.
All string work here is single-pass (split, scan, ``str.find``), so it is linear in the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from yarl import URL

from ..model import Entry
from .base import Change, bracket_counts, trim_end
from .doi import clean_doi, doi_from_url, is_doi_fragment, same_doi

__all__ = [
    "UrlIssue",
    "rejoin_url",
    "split_text_fragment",
    "strip_trailing_punctuation",
    "url_issues",
    "implied_https",
    "is_insecure",
    "date_in_url",
    "split_stray_doi",
    "repair_url_whitespace",
    "drop_text_fragment",
    "drop_url_punctuation",
    "URL_STEPS",
    "normalise_url",
]

_WS = re.compile(r"[\s\u200b\u2060\ufeff\u00ad]+")
_PIECE = re.compile(r"[^\s\u200b\u2060\ufeff\u00ad]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Characters RFC 3986 allows in a URL (unreserved, reserved and '%').
_ASCII_URL_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
# A piece ending in one of these was cut inside the URL (a path, a query, a %-escape, a hyphen).
_CONTINUES_AFTER = frozenset("/&=?#%-_~:+@")
# A piece starting with one of these continues the URL before it.
_CONTINUES_BEFORE = frozenset("/&=?#%._~")
# A piece holding one of these is a piece of URL, not a word of prose.
_URL_STRUCTURE = frozenset("/%=&?#_")
# Sentence punctuation and closing quotation marks: at the very end they are never URL.
_TRAILING = frozenset(".,;:!?'\"\u2019\u201d\u00bb")
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")
# File extensions a URL may be broken before ("….pdf" wrapped after the dot).
_EXTENSIONS = frozenset({"html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cfm", "pdf",
                         "xml", "json", "txt", "doc", "docx"})
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_DATE = re.compile(r"/((?:19|20)\d\d)/(?:(0?[1-9]|1[0-2])/)?")


@dataclass(frozen=True)
class UrlIssue:
    """A problem with a URL that is reported, not repaired: its finding code and a message."""

    code: str
    message: str


def _url_legal(piece: str) -> bool:
    for ch in piece:
        if ch in _ASCII_URL_CHARS:
            continue
        if ord(ch) > 127 and (ch.isalnum() or unicodedata.category(ch).startswith("M")):
            continue  # letters of an internationalised URL (IRI)
        return False
    return True


def _continues(prev: str, piece: str) -> bool:
    """Whether ``piece`` (after whitespace) is the rest of the URL ending in ``prev``."""
    if _SCHEME.match(piece) or not _url_legal(piece) or not piece.strip(".,;:"):
        return False  # (a lone "." is the sentence's full stop after a stray space)
    if is_doi_fragment(piece) and not prev.lower().endswith("doi.org/"):
        return False
    if prev[-1] in _CONTINUES_AFTER or piece[0] in _CONTINUES_BEFORE:
        return True
    if any(ch in _URL_STRUCTURE for ch in piece):
        return True
    if prev[-1] == "." and piece.lower() in _EXTENSIONS:
        return True  # "…/398_342391. html"
    # A slug cut mid-word ("…-activ ist-propaganda-4382726"): hyphens or dots with digits.
    return any(ch.isdigit() for ch in piece) and ("-" in piece or "." in piece[:-1])


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _trails(ch: str) -> bool:
    return ch in _TRAILING or _is_space(ch)


def _core_span(text: str) -> tuple[int, int]:
    """Where the URL in ``text`` starts and ends once surrounding whitespace, ``<…>`` wrappers
    and trailing sentence punctuation (with unbalanced closing brackets) are left out.

    The three are peeled until none applies (stripping ``:`` from ``<url>:`` exposes a wrapper),
    so the result is a fixed point; bracket counts are kept up to date as characters are
    dropped, so the whole walk is linear.
    """
    start, end = 0, len(text)
    counts = bracket_counts(text)

    def drop(i: int) -> None:
        if text[i] in counts:
            counts[text[i]] -= 1

    changed = True
    while changed:
        changed = False
        while start < end and _is_space(text[start]):
            start += 1
        while end > start and _is_space(text[end - 1]):
            end -= 1
        if end - start > 2 and text[start] == "<" and text[end - 1] == ">":
            drop(start)
            drop(end - 1)
            start, end = start + 1, end - 1
            changed = True
            continue
        new_end = trim_end(text, start, end, counts, _trails)
        if new_end != end:
            end = new_end
            changed = True
    return start, end


def rejoin_url(text: str) -> tuple[str, str]:
    """Rejoin a URL broken by line-wrapping whitespace; return ``(url, rest)``.

    ``rest`` is the whitespace-separated text after the URL that does not continue it (a stray
    DOI, a second URL, prose), or ``""``. ``% 20`` comes back as ``%20``. Pieces are judged
    without the sentence punctuation that ends the text (the punctuation step removes it), so
    that running the steps again decides the same way.
    """
    start, end = _core_span(text)
    prev: str | None = None
    for m in _PIECE.finditer(text, start, end):
        piece = m.group()
        if prev is not None and not _continues(prev, piece):
            return _squash(text[:m.start()]), " ".join(_PIECE.findall(text, m.start()))
        prev = piece
    return _squash(text), ""


def _squash(text: str) -> str:
    return _WS.sub("", text)


def split_text_fragment(url: str) -> tuple[str, str | None]:
    """Split off a text-fragment directive: ``(url without it, the directive or None)``.

    ``…#:~:text=foo`` loses the whole fragment; ``…#sec2:~:text=foo`` keeps ``#sec2``.
    """
    hash_at = url.find("#")
    if hash_at < 0:
        return url, None
    fragment = url[hash_at + 1:]
    directive_at = fragment.find(":~:")
    if directive_at < 0:
        return url, None
    anchor = fragment[:directive_at]
    kept = url[:hash_at] + ("#" + anchor if anchor else "")
    return kept, fragment[directive_at:]


def strip_trailing_punctuation(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets that end ``url``.

    Balanced brackets stay (``…/wiki/Foo_(bar)``); so does a final ``/``.
    """
    start, end = _core_span(url)
    return url[start:end]


def is_insecure(url: str) -> bool:
    """True for a plain ``http://`` link."""
    return url.strip().lower().startswith("http://")


def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host name"
    if ":" in host:  # an IPv6 literal; yarl has already checked it
        return None
    labels = host.rstrip(".").split(".")
    if any(not label for label in labels):
        return f"has an empty part in its host name {host!r}"
    for label in labels:
        if not _LABEL.fullmatch(label):
            return f"has an invalid part {label!r} in its host name"
    if len(labels) == 1 and host != "localhost":
        return f"has a host name {host!r} with no domain"
    if labels[-1].isdigit() and not all(x.isdigit() for x in labels):
        return f"has a host name {host!r} ending in a number"
    return None


def url_issues(url: str | None) -> list[UrlIssue]:
    """What is wrong with ``url`` that citekit reports but does not repair.

    ``url-insecure`` for ``http://``; ``url-no-scheme`` for a link written without its scheme
    that is well-formed with ``https://``; ``url-malformed`` for whitespace left inside, no
    scheme (and none that makes it well-formed), no or an invalid host name, a bad port or a
    broken ``%`` escape.
    """
    if not isinstance(url, str) or not url.strip():
        return []
    s = url.strip()
    issues: list[UrlIssue] = []
    if is_insecure(s):
        issues.append(UrlIssue("url-insecure", f"the link {s} uses http://, not https://"))
    problem = _malformed(s)
    implied = implied_https(s) if problem else None
    if implied:
        issues.append(UrlIssue("url-no-scheme", f"the link {s} has no scheme; it is read as "
                                                f"{implied}"))
    elif problem:
        issues.append(UrlIssue("url-malformed", f"the URL {s} is malformed: it {problem}"))
    return issues


def implied_https(url: str) -> str | None:
    """``https://`` + ``url`` for a link written without its scheme, as MLA writes them
    (``www.jstor.org/stable/1``, ``muse.jhu.edu/article/1``: a host name with a lower-case
    top-level domain, then ``www.`` or a path), when that makes a well-formed URL; else None."""
    s = url.strip()
    host, slash, _ = s.partition("/")
    if not s or _SCHEME.match(s) or _WS.search(s) or "@" in s or ":" in host or \
            not _IMPLIED_HOST(host) or not (host.lower().startswith("www.") or slash):
        return None  # ("editor@journal.org", "mailto:…", "U.S.", "pp.12-14", "J.Smith")
    candidate = "https://" + s
    return candidate if _malformed(candidate) is None else None


# A host name as links are written without their scheme: two or more labels, the last (the
# top-level domain) two or more lower-case letters.
_IMPLIED_HOST = re.compile(r"(?:[a-zA-Z0-9-]+\.)+[a-z]{2,24}").fullmatch


def _malformed(s: str) -> str | None:
    if _WS.search(s):
        return "contains whitespace"
    if not _SCHEME.match(s):
        return "has no scheme (such as https://)"
    try:
        parsed = URL(s)
        host = parsed.raw_host or ""
        parsed.port  # noqa: B018 - raises ValueError on a bad port
    except (ValueError, TypeError, UnicodeError) as exc:
        return f"cannot be parsed ({exc})"
    if parsed.scheme not in ("http", "https", "ftp"):
        return f"has an unexpected scheme {parsed.scheme!r}"
    problem = _host_problem(host.lower())
    if problem:
        return problem
    if _BAD_ESCAPE.search(s):
        return "has a '%' that does not start an escape like %20"
    return None


def date_in_url(url: str | None) -> tuple[int, int | None] | None:
    """The ``(year, month)`` a URL path shows, as in ``/2024/05/`` (month None for ``/2024/``)."""
    if not isinstance(url, str):
        return None
    try:
        path = URL(_WS.sub("", url), encoded=True).raw_path
    except (ValueError, TypeError):
        return None
    m = _PATH_DATE.search(path)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


# --------------------------------------------------------------------------- steps


def split_stray_doi(entry: Entry) -> list[Change]:
    """Take stray DOI fragments (``… doi/10.…``) off the end of the URL (``stray-fragment``).

    A fragment is dropped when the URL or the DOI field already holds that DOI; it becomes the
    DOI (``doi-in-url``) when the entry has none; a fragment with another DOI stops the step,
    and it and the text before it are left alone.
    """
    if not isinstance(entry.url, str) or not _WS.search(entry.url):
        return []
    start, end = _core_span(entry.url)  # judged without the punctuation that ends it
    pieces = _PIECE.findall(entry.url, start, end)
    if len(pieces) < 2:
        return []
    head_doi = doi_from_url(pieces[0])
    removed: list[str] = []
    changes: list[Change] = []
    while len(pieces) > 1 and is_doi_fragment(pieces[-1]):
        fragment_doi = clean_doi(pieces[-1])
        if not (same_doi(fragment_doi, head_doi) or same_doi(fragment_doi, entry.doi)):
            if entry.doi:
                break
            entry.doi = fragment_doi
            changes.append(Change("doi-in-url", "DOI", None, fragment_doi,
                                  f"DOI {fragment_doi} taken from a stray fragment after the URL"))
        removed.insert(0, pieces.pop())
    if not removed:
        return []
    before, entry.url = entry.url, " ".join(pieces)
    changes.insert(0, Change("stray-fragment", "URL", before, entry.url,
                             f"stray DOI fragment {' '.join(removed)!r} removed from the URL"))
    return changes


def repair_url_whitespace(entry: Entry) -> list[Change]:
    """Rejoin a URL broken by line-wrapping whitespace (``url-whitespace``).

    Text after the URL that does not continue it is kept, after one space, and left for
    ``url-malformed`` to report.
    """
    url = entry.url
    if not isinstance(url, str) or not _WS.search(url):
        return []
    joined, rest = rejoin_url(url)
    after = f"{joined} {rest}" if rest else joined
    if after == url:
        return []
    entry.url = after or None
    return [Change("url-whitespace", "URL", url, entry.url,
                   "URL broken by whitespace rejoined" if not rest
                   else f"URL broken by whitespace rejoined up to {rest!r}")]


def drop_text_fragment(entry: Entry) -> list[Change]:
    """Remove a ``#:~:text=`` directive from the URL (``url-text-fragment``); an anchor stays."""
    url = entry.url
    if not isinstance(url, str):
        return []
    kept, directive = split_text_fragment(url)
    if directive is None:
        return []
    entry.url = kept
    shown = directive if len(directive) <= 60 else directive[:57] + "..."
    return [Change("url-text-fragment", "URL", url, kept,
                   f"text-fragment directive {shown!r} removed from the URL")]


def drop_url_punctuation(entry: Entry) -> list[Change]:
    """Drop sentence punctuation that ends the URL (``url-trailing-punctuation``)."""
    url = entry.url
    if not isinstance(url, str) or not url:
        return []
    kept = strip_trailing_punctuation(url)
    if kept == url or not kept:
        return []
    entry.url = kept
    return [Change("url-trailing-punctuation", "URL", url, kept,
                   "punctuation that ends the sentence, not the URL, removed")]


#: The URL repairs, in the order :func:`normalise_url` applies them.
URL_STEPS = (split_stray_doi, repair_url_whitespace, drop_text_fragment, drop_url_punctuation)
# Each repair only removes characters, and one can expose work for another (cutting a text
# fragment can leave a stray DOI last); real URLs settle in one or two rounds.
_MAX_ROUNDS = 8


def normalise_url(entry: Entry) -> list[Change]:
    """Run the URL repairs (:data:`URL_STEPS`) until none applies; return all their changes.

    Codes: ``stray-fragment``, ``doi-in-url``, ``url-whitespace``, ``url-text-fragment``,
    ``url-trailing-punctuation``. Running the repairs to a fixed point is what makes this
    step idempotent as a whole, whatever order the damage came in.
    """
    changes: list[Change] = []
    for _ in range(_MAX_ROUNDS):
        found = [change for step in URL_STEPS for change in step(entry)]
        if not found:
            break
        changes.extend(found)
    return changes
