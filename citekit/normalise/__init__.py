"""citekit.normalise: small, idempotent repair steps that record every change they make.

Run the default stack with :func:`normalise`; see docs/normalise.md for each step and its code.
"""

from __future__ import annotations

from .base import Change, Normaliser
from .dates import DateText, fill_date_parts, parse_date_text
from .doi import (
    clean_doi,
    doi_from_url,
    is_doi_fragment,
    is_valid_doi,
    normalise_doi,
    same_doi,
)
from .keys import base_key, make_keys
from .names import normalise_names
from .pages import normalise_page_range, normalise_pages
from .stack import DEFAULT_STACK, normalise, normalise_entry
from .titles import normalise_titles
from .url import (
    URL_STEPS,
    UrlIssue,
    date_in_url,
    drop_text_fragment,
    drop_url_punctuation,
    is_insecure,
    normalise_url,
    rejoin_url,
    repair_url_whitespace,
    split_stray_doi,
    split_text_fragment,
    strip_trailing_punctuation,
    url_issues,
)

__all__ = [
    "Change", "Normaliser", "DEFAULT_STACK", "normalise", "normalise_entry",
    # DOI
    "clean_doi", "doi_from_url", "is_valid_doi", "same_doi", "is_doi_fragment", "normalise_doi",
    # URL
    "UrlIssue", "rejoin_url", "split_text_fragment", "strip_trailing_punctuation", "url_issues",
    "is_insecure", "date_in_url", "split_stray_doi", "repair_url_whitespace",
    "drop_text_fragment", "drop_url_punctuation", "URL_STEPS", "normalise_url",
    # names, titles, pages, dates, keys
    "normalise_names", "normalise_titles", "normalise_page_range", "normalise_pages",
    "DateText", "parse_date_text", "fill_date_parts", "base_key", "make_keys",
]
