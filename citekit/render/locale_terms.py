"""Locale terms where citeproc-py's bundled locale files are older than the CSL locales.

citeproc-py ships a copy of the CSL locale files that predates some corrections made in the
CSL locales repository, which citeproc-js (and every current CSL processor) uses. The values
below are the current CSL locale values; :func:`update_locales` writes them into the locale
files citeproc-py loads for a style. A style's own ``cs:locale`` still wins, because citeproc-py
searches the style's locales first.

Only terms whose value differs are listed; each entry is (name, form) → value. Written by hand
from the published CSL locale data (a handful of facts, no file is copied).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

__all__ = ["TERM_OVERRIDES", "update_locales"]

_CSL_NS = "http://purl.org/net/xbiblio/csl"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: locale → {(term name, form): value}. en-US: the short month names of CSL locales 1.0.2
#: ("Jun.", "Jul.", "Sep.", where the older file has "June", "July", "Sept."); the long
#: "issue" label reads "number" (APA's "Vol. 23, Number 4"); a translator is "tran." (one)
#: or "trans." (several).
TERM_OVERRIDES: dict[str, dict[tuple[str, str], str | tuple[str, str]]] = {
    "en-US": {
        ("month-06", "short"): "Jun.",
        ("month-07", "short"): "Jul.",
        ("month-09", "short"): "Sep.",
        # (singular, plural)
        ("issue", "long"): ("number", "numbers"),
        ("translator", "short"): ("tran.", "trans."),
    },
}


def update_locales(root: Any) -> None:
    """Apply :data:`TERM_OVERRIDES` to the locale files loaded for the style ``root``.

    Call after citeproc-py's ``set_locale_list``; in-style locales are left alone.
    """
    for locale in getattr(root, "locales", ()):
        if locale.getroottree().getroot() is root:  # an in-style cs:locale
            continue
        overrides = TERM_OVERRIDES.get(locale.get(_XML_LANG) or "")
        if not overrides:
            continue
        for term in locale.iter(f"{{{_CSL_NS}}}term"):
            value = overrides.get((term.get("name"), term.get("form") or "long"))
            if value is None:
                continue
            if isinstance(value, str):
                if len(term) == 0:
                    term.text = value
                continue
            single = term.find(f"{{{_CSL_NS}}}single")
            multiple = term.find(f"{{{_CSL_NS}}}multiple")
            if single is None and multiple is None and len(term) == 0:
                # the old file has one form for both numbers: give the term both
                term.text = None
                single = etree.SubElement(term, f"{{{_CSL_NS}}}single")
                multiple = etree.SubElement(term, f"{{{_CSL_NS}}}multiple")
            if single is not None and multiple is not None:
                single.text, multiple.text = value
