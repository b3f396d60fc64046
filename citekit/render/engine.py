"""Rendering a bibliography with a CSL style: citeproc-py plus citekit's fidelity layer.

:func:`render` turns a :class:`~citekit.model.Bibliography` (or CSL-JSON items) into formatted
bibliography entries and in-text citations. With ``fidelity=False`` it is citeproc-py used
plainly, which is what the benchmarks and the conformance report compare against.

Disambiguation renders each cite on its own ("probes") to find cites that read the same, then
again at every step it tries. While it runs no cite has been recorded, so a probe's text depends
only on the item's disambiguation state (:meth:`_Run._state_of`); probes are remembered per
state for that phase only (also in styles with position tests) and forgotten before the real
citations render.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import threading
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence, Union

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.model import CitationStylesElement
from citeproc.source import Locator
from citeproc.source import Name as CSLName
from citeproc.source.json import CiteProcJSON
from lxml import etree

from ..errors import ConfigError, StyleError
from ..model import Bibliography, Entry
from ..normalise.doi import clean_doi
from ..normalise.keys import year_suffix
from . import bycite
from . import fidelity as fx
from .compiled import (compile_initials, compile_locale_dates, compile_name_process,
                       compile_style, memo_dates)
from .fast import MIXINS, FastElement
from .formats import FORMATS, formatter_for, markdown_links, wrap_bibliography
from .locale_terms import update_locales
from .sanitize import sanitize_item
from .styles import StyleInfo, resolve_style

__all__ = ["RenderResult", "render", "CiteGroup"]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NSMAP = {"cs": CSL_NS}
_TAGS_ONLY_RE = re.compile(r"(?:<[^<>]{1,80}>|[\ue000-\ue01f])*")
_CLOSING_TAGS_RE = re.compile(r"(?:</[^<>]{1,20}>|[\ue001\ue003\ue005\ue007\ue009])*")
_LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?$")
#: POSIX modifiers that name a script ("sr_RS@latin").
_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl"}

#: One cited work: an entry id, or a CSL cite object ``{"id", "locator", "label", "prefix",
#: "suffix"}``.
Cite = Union[str, Mapping[str, Any]]
#: One in-text citation: one cite, or several cited together.
CiteGroup = Union[Cite, Sequence[Cite]]
Items = Union[Bibliography, Iterable[Entry], Iterable[dict]]


@dataclass
class RenderResult:
    """What :func:`render` made: bibliography entries (in style order) and citations."""

    style: StyleInfo
    locale: str
    format: str
    #: Entry ids in the order of ``entries``.
    keys: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    #: Entries or cites that could not be rendered, each with the reason.
    failures: list[str] = field(default_factory=list)

    def bibliography(self) -> str:
        """The whole bibliography as one string (HTML wrapped like citeproc-js)."""
        return wrap_bibliography(self.entries, self.format)

    def __str__(self) -> str:
        return self.bibliography()


#: Whether citekit's element classes get the speed mixins of :mod:`.fast`. They never change
#: the output; ``tests/test_render_fast.py`` renders with and without them to check that.
SPEED_MIXINS = True
#: Whether disambiguation remembers its probes per state (see ``_Run._probe_cites``); never
#: changes the output either, which ``tests/test_render_fast.py`` checks with it off and on.
PROBE_CACHE = True
#: Whether, in styles with position tests, a lone cite of an item not cited before reuses the
#: text rendered for the same disambiguation state (see ``_Run._cache_state``); never changes
#: the output, which ``tests/test_render_fast.py`` checks with it off and on.
FIRST_CITE_CACHE = True
#: Whether the probe and cite caches treat the "more names" part of a disambiguation level
#: as absent for an item whose every name list has at most one name (see ``_Run._state_of``);
#: never changes the output, which ``tests/test_render_fast.py`` checks with it off and on.
ONE_NAME_LEVELS = True
#: Whether the loaded style's cs:text, cs:group and cs:macro elements get compiled render
#: functions (:mod:`.compiled`); never changes the output (``tests/test_render_fast.py``).
COMPILED = True
#: Whether the loaded style's cs:name elements remember their initials settings per context
#: and the initials of each given name (:func:`.compiled.compile_initials`); never changes
#: the output (``tests/test_render_fast.py``).
INITIALS_CACHE = True
#: Whether a compiled cs:choose that also tests ``is-numeric`` / ``is-uncertain-date``
#: remembers its branch per item signature with those tests' results in it (see
#: :func:`.compiled._compile_choose`); never changes the output (``tests/test_render_fast.py``).
CHOOSE_VALUE_TESTS = True
#: Whether a compiled cs:group that reads only the item's type and variables remembers, per
#: type, that it is suppressed for items that lack all its variables (see
#: :func:`.compiled._compile_group`); never changes the output (``tests/test_render_fast.py``).
GROUP_SKIPS = True
#: Whether the loaded style's cs:date elements remember what they rendered per date value
#: (:func:`.compiled.memo_dates`); never changes the output (``tests/test_render_fast.py``).
DATE_MEMO = True
#: Whether the loaded style's cs:name elements render their name lists with a compiled
#: function that looks the options up once per context (:func:`.compiled.compile_name_process`)
#: instead of citeproc-py's ``Name.process``; never changes the output
#: (``tests/test_render_fast.py``).
NAME_PROCESS = True
#: Compiling a style costs 5–20 ms once (MLA 5, apa 10, chicago-author-date 19), about what it
#: saves on 15 items and 15 cites: renders of fewer items and cites than this are interpreted.
COMPILE_MIN_ITEMS = 30


@functools.lru_cache(maxsize=4)
def _element_lookup(fidelity: bool, fast: bool = True) -> etree.ElementNamespaceClassLookup:
    """citeproc-py's element classes, with citekit's overrides mixed in when ``fidelity``.

    The fidelity mixins come first, then the speed mixins of :mod:`.fast` (per-element caches
    that leave the output as it is), then citeproc-py's class. citeproc-py's own classes are
    never changed, so ``fidelity=False`` is citeproc-py used plainly."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = CitationStylesElement
    for cls in CitationStylesElement.__subclasses__():
        tag = cls.__name__.replace("_", "-").lower()
        if fidelity:
            mixin = fx.ELEMENT_OVERRIDES.get(tag, fx._CachedLookups)
            speed = (MIXINS.get(tag, FastElement),) if fast else ()
            cls = type(cls.__name__, (mixin, *speed, cls), {"__module__": __name__})
        namespace[tag] = cls
    return lookup


def _load_style(info: StyleInfo, locale: str | None, fidelity: bool,
                compiled: bool = False) -> CitationStylesStyle:
    parser = etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False)
    parser.set_element_class_lookup(_element_lookup(fidelity, SPEED_MIXINS))
    try:
        xml = etree.parse(str(info.source_path), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        raise StyleError(f"style {info.id!r} ({info.source_path.name}) cannot be read: {exc}") from None
    root = xml.getroot()
    if root.tag != f"{{{CSL_NS}}}style":
        raise StyleError(f"style {info.id!r}: {info.source_path.name} is not a CSL style")
    style = CitationStylesStyle.__new__(CitationStylesStyle)
    style.xml, style.root = xml, root
    if fidelity:
        fx.prepare_style(root)
        style.citekit_elements = fx.keep_alive(root)  # the element caches live on these
    chosen = locale or root.get("default-locale") or "en-US"
    try:
        root.set_locale_list(chosen, validate=False)
    except Exception as exc:  # citeproc-py raises ValueError or lxml errors for bad locales
        raise StyleError(f"style {info.id!r}: locale {chosen!r} cannot be loaded: {exc}") from None
    if fidelity:
        update_locales(root)
        if compiled:
            compile_style(root, value_tests=CHOOSE_VALUE_TESTS, group_skips=GROUP_SKIPS)
            style.citekit_elements += compile_locale_dates(root)
        if INITIALS_CACHE:
            compile_initials(root)
        if DATE_MEMO:
            memo_dates(root)
        if NAME_PROCESS:
            compile_name_process(root)
    return style


def _entry_csl(entry: Entry) -> dict[str, Any]:
    """An entry's CSL item, its DOI bare: a DOI field read as a link ("https://doi.org/10.…"
    in BibTeX) would print as "https://doi.org/https://doi.org/10.…". (CSL-JSON items given
    as dicts are rendered as they are, as the CSL processor does.)"""
    item = entry.to_csl()
    doi = item.get("DOI")
    if isinstance(doi, str) and not doi.startswith("10."):
        bare = clean_doi(doi)
        if bare:
            item["DOI"] = bare
    return item


def _csl_items(data: Items) -> list[dict[str, Any]]:
    if isinstance(data, Bibliography):
        return [_entry_csl(e) for e in data.entries]
    out: list[dict[str, Any]] = []
    for item in data:
        if isinstance(item, Entry):
            out.append(_entry_csl(item))
        elif isinstance(item, dict):
            out.append(item)
        else:
            raise ConfigError(f"cannot render a {type(item).__name__}; give Entries or CSL-JSON")
    return out


#: What a cite may carry that its bibliography entry must not.
_CITE_EXTRAS = frozenset({"locator", "prefix", "suffix"})


class _Item(CitationItem):
    """A cite item that remembers its reference and key (citeproc-py looks the reference up
    through three attribute lookups on every variable access, and reads ``key`` through
    ``__getattr__`` and a caught ``KeyError``)."""

    def __init__(self, key: str, **extra: Any) -> None:
        if extra:
            super().__init__(key, **extra)
        else:  # what CitationItem.__init__ leaves for a bare key, without its option checks
            dict.__setitem__(self, "key", key.lower())

    @functools.cached_property
    def reference(self) -> Any:
        # kept in the instance's __dict__ (not among the dict's items), found before
        # CitationItem.__getattr__ is ever asked
        return self.citation.bibliography.source[self.key]

    @functools.cached_property
    def key(self) -> str:
        # read once from the dict's items (citeproc-py never changes it), then from __dict__
        return dict.__getitem__(self, "key")  # type: ignore[no-any-return]


class _KeyList(list):  # type: ignore[type-arg]
    """The bibliography's keys: a list (citeproc-py's type) with set-speed membership tests
    (``CitationItem.is_bad`` asks ``key in keys`` for every cite)."""

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__(keys)
        self._members = frozenset(self)

    def __contains__(self, key: object) -> bool:
        return key in self._members


class _Run:
    """One rendering: a loaded style, the items, and citeproc-py's bibliography object."""

    def __init__(self, info: StyleInfo, locale: str | None, fmt: str, fidelity: bool,
                 link_urls: bool = True, compiled: bool = False) -> None:
        self.info, self.fmt, self.fidelity, self.link_urls = info, fmt, fidelity, link_urls
        self.style = _load_style(info, locale, fidelity, compiled)
        self.root = self.style.root
        self.locale = locale or self.root.get("default-locale") or "en-US"
        self.failures: list[str] = []
        self._cite_cache: dict[tuple[Any, ...], str] = {}
        self._positional = bool(self.root.xpath("//cs:*[@position]", namespaces=_NSMAP))
        self._uses_label = bool(self.root.xpath("//cs:*[@variable='citation-label']",
                                                namespaces=_NSMAP))
        self.root.formatter = formatter_for(fmt)  # terms are formatted on lookup
        self.quotes = self._quote_terms()
        self.suffixes: dict[str, str] = {}
        self._global_names: tuple[Any, str, dict[str, Any]] | None = None
        #: probe texts by disambiguation state, while ``_disambiguate`` runs (see _probe_cites)
        self._probe_cache: dict[tuple[Any, ...], str] | None = None
        self._one_name: dict[str, bool] = {}

    # -- setup -----------------------------------------------------------------------------

    def _term(self, name: str, default: str) -> str:
        try:
            return fx.flatten(self.root.get_single_term(name=name)) or default
        except Exception:  # a locale without the term
            return default

    def _quote_terms(self) -> fx.QuoteTerms:
        try:
            piq = str(self.root.get_locale_option("punctuation-in-quote")).lower() == "true"
        except Exception:
            piq = False
        return fx.QuoteTerms(self._term("open-quote", "\u201c"), self._term("close-quote", "\u201d"),
                             self._term("open-inner-quote", "\u2018"),
                             self._term("close-inner-quote", "\u2019"), piq)

    def load(self, items: list[dict[str, Any]]) -> tuple[list[str], dict[str, str]]:
        """Feed items to citeproc-py; returns internal keys (input order) and id -> key."""
        self.source = CiteProcJSON([])
        keys: list[str] = []
        by_id: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        for n, raw in enumerate(items):
            ident = str(raw.get("id") or f"item-{n + 1}")
            key = f"k{n}"
            if self.fidelity:  # citeproc-py alone gets the data as it is
                raw, repairs = sanitize_item(raw)
                for repair in repairs:
                    self.failures.append(f"entry {ident!r}: {repair}")
            item = fx.prepare_item(raw) if self.fidelity else dict(raw)
            if self.fidelity and not item.get("type"):
                item["type"] = "article"  # citeproc-py crashes on items without a type
            if self.fidelity and self._uses_label and not item.get("citation-label"):
                label = fx.citation_label(item)
                if label:
                    item["citation-label"] = label
            if self.fmt == "html":
                item = fx.escape_item(item)
            item["id"] = key
            custom = item.pop("custom", None)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    part = CiteProcJSON([item])
            except Exception as exc:  # citeproc-py rejects malformed names and dates this way
                self.failures.append(f"entry {ident!r}: cannot be rendered: {exc}")
                continue
            if self.fidelity and isinstance(custom, dict) and custom.get("et-al"):
                dict.__setitem__(part[key], fx.ET_AL_KEY, True)
            self.source.update(part)
            keys.append(key)
            by_id.setdefault(ident, key)
            self.ids[key] = ident
        return keys, by_id

    # -- sorting ---------------------------------------------------------------------------

    def _sorted(self, element: Any, items: list[Any]) -> list[Any]:
        if self.fidelity and len(items) < 2:
            return items  # sort_lazily never computes a key for fewer than two items
        sort = element.find("cs:sort", _NSMAP) if element is not None else None
        if sort is None or not items:
            return items
        layout = element.find("cs:layout", _NSMAP)
        if not self.fidelity:
            return sort.sort(items, layout)  # type: ignore[no-any-return]
        keys = sort.findall("cs:key", _NSMAP)
        descending = [key.get("sort", "ascending").lower() == "descending" for key in keys]

        def compute(k: int, subset: list[Any]) -> list[Any]:
            layout.repressed = {}
            return [None if v is None else fx.flatten(v) for v in keys[k].sort_keys(subset, layout)]

        return fx.sort_lazily(items, descending, compute)

    # -- citations -------------------------------------------------------------------------

    def _cite(self, citation: Citation, record: bool = True) -> str:
        element = self.root.citation
        if element is None:
            return ""
        layout = element.layout
        if not self.fidelity:
            return fx.flatten(self.bib.cite(citation, self._unknown))
        element.cites = self._cites  # citeproc-py reads earlier cites from here (positions)
        items = self._sorted(element, [c for c in citation.cites if not c.is_bad()])
        state = self._cache_state(items)
        if state is not None and state in self._cite_cache:
            if record:
                self._cites.append(items[0])
                self._cited.add(items[0].key)
            return self._cite_cache[state]
        failures = len(self.failures)
        text = self._assemble(element, layout, items, record)
        if state is not None and (not self._positional
                                  or (text and len(self.failures) == failures)):
            # with position tests, only a cite that rendered (and so was recorded) without
            # a failure is remembered: a hit records its item and reports nothing
            self._cite_cache[state] = text
        return text

    def _cache_state(self, items: list[Any]) -> tuple[Any, ...] | None:
        """What a lone cite's text depends on, when it can be reused (no locator or affixes;
        with position tests, only while its item has not been cited: every position test
        then reads as for a first cite); None otherwise."""
        if len(items) != 1:
            return None
        item = items[0]
        if any(k in item for k in ("locator", "prefix", "suffix")):
            return None
        if self._positional:
            if not FIRST_CITE_CACHE or item.key in self._cited:
                return None
            return ("first", *self._state_of(item.key))
        return self._state_of(item.key)

    def _state_of(self, key: str) -> tuple[Any, ...]:
        """What a lone cite without locator or affixes depends on besides earlier cites: its
        disambiguation level, year suffix and whether it counts as ambiguous."""
        root = self.root.__dict__
        level = (root.get(fx.EXPAND_KEY) or {}).get(key)
        if (type(level) is tuple and len(level) == 2 and level[1] and ONE_NAME_LEVELS
                and self._one_name_only(key)):
            # "n more names" (a larger et-al-use-first, et-al-min 0) changes nothing where
            # no name list has a second name: the cite reads as with (given level, 0)
            level = (level[0], 0)
        return (key, level, self.suffixes.get(key), key in (root.get(fx.AMBIGUOUS_KEY) or ()))

    def _one_name_only(self, key: str) -> bool:
        """Whether no name list of the item has more than one name."""
        try:
            return self._one_name[key]
        except KeyError:
            lists = [value for value in dict.values(self.source[key])
                     if isinstance(value, list) and value and isinstance(value[0], CSLName)]
            one = self._one_name[key] = all(len(names) <= 1 for names in lists)
            return one

    def _assemble(self, element: Any, layout: Any, items: list[Any], record: bool) -> str:
        """Render the cites of one citation and join them (collapsing where the style asks)."""
        collapse = element.get("collapse")
        capture: list[Any] | None = [] if (collapse and collapse.startswith("year")) or \
            element.get("cite-group-delimiter") else None
        parts: list[fx.CiteParts] = []
        for item in items:
            layout.repressed = {}
            self.root.__dict__.pop(fx.SUFFIX_DONE_KEY, None)
            if capture is not None:
                capture.clear()
                self.root.__dict__[fx.CAPTURE_KEY] = capture
            try:
                text = layout.render_children(item)
            except Exception as exc:
                self._fail_cite(item, exc)
                continue
            finally:
                self.root.__dict__.pop(fx.CAPTURE_KEY, None)
            if text is None:
                continue
            text = fx.flatten(text)
            names = fx.flatten(capture[0][0]) if capture else None
            if names and not text.startswith(names):
                # formatting around the names (<i>Aalto et al.</i>) belongs to the names part
                at = text.find(names)
                if at > 0 and _TAGS_ONLY_RE.fullmatch(text[:at]):
                    end = at + len(names)
                    end += len(_CLOSING_TAGS_RE.match(text, end).group(0))  # type: ignore[union-attr]
                    names = text[:end]
            prefix, suffix = item.get("prefix", ""), item.get("suffix", "")
            number = item.number if collapse == "citation-number" else None
            parts.append(fx.CiteParts(prefix + text + suffix, names, number,
                                      self.suffixes.get(item.key), "locator" in item))
            if record:
                self._cites.append(item)
                self._cited.add(item.key)
        joined = fx.collapse_cites(parts, fx.CollapseOptions(
            collapse, layout.get("delimiter", ""), element.get("cite-group-delimiter"),
            element.get("year-suffix-delimiter"), element.get("after-collapse-delimiter"),
            self.root.get("class", "in-text") == "in-text"))
        if not joined:
            return ""
        if self.root.get("class") == "note":
            ibid = self._term("ibid", "ibid")
            if ibid[:1].islower() and joined.startswith(ibid):
                joined = joined[:1].upper() + joined[1:]  # a note opening "ibid." says "Ibid."
        return fx.flatten(layout.format(layout.wrap(joined)))

    def _fail_cite(self, item: Any, exc: Exception) -> None:
        self.failures.append(f"cite {self.ids.get(item.key, item.key)!r}: style {self.info.id!r} "
                             f"cannot render it: {type(exc).__name__}: {exc}")

    def _cite_item(self, key: str, cite: Cite) -> CitationItem:
        make = _Item if self.fidelity else CitationItem
        if not isinstance(cite, Mapping):
            return make(key)
        extra: dict[str, Any] = {}
        if cite.get("locator") not in (None, ""):
            extra["locator"] = Locator(str(cite.get("label") or "page"), str(cite["locator"]).strip())
        for part in ("prefix", "suffix"):
            if cite.get(part):
                text = str(cite[part])
                extra[part] = fx.prepare_affix(text) if self.fidelity else text
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return make(key, **extra)

    @staticmethod
    def _unknown(item: Any) -> str:
        return f"{item.key}?"

    # -- the whole run ---------------------------------------------------------------------

    def run(self, items: list[dict[str, Any]], cites: Sequence[CiteGroup] | None) -> RenderResult:
        keys, by_id = self.load(items)
        self.bib = CitationStylesBibliography(self.style, self.source, formatter_for(self.fmt))
        self._cites: list[Any] = []
        self._cited: set[str] = set()  # the keys in _cites
        citations: list[Citation] = []
        for group in cites or ():
            wanted = [group] if isinstance(group, (str, Mapping)) else list(group)
            cite_items = []
            for cite in wanted:
                ident = str(cite.get("id", "")) if isinstance(cite, Mapping) else str(cite)
                if ident in by_id:
                    cite_items.append(self._cite_item(by_id[ident], cite))
                else:
                    self.failures.append(f"cite {ident!r}: no entry with this id")
            citation = Citation(cite_items)
            self.bib.register(citation)
            citations.append(citation)
        rest = Citation([self._cite_item(k, k) for k in keys])
        self.bib.register(rest)
        # citeproc-py keeps an item's first cite as its bibliography item, locator and affixes
        # included (a cite's "45-46" then printed as the article's pages): the bibliography
        # gets the bare item instead.
        bare = {item.key: item for item in rest.cites}
        self.bib.items = [bare.get(item.key, item) if _CITE_EXTRAS & item.keys() else item
                          for item in self.bib.items]
        bib_el = self.root.bibliography
        ordered = self._sorted(bib_el, list(self.bib.items))
        self.bib.items = ordered
        self.bib.keys = _KeyList(i.key for i in ordered) if self.fidelity else [i.key for i in ordered]
        if self.fidelity and self.root.citation is not None:
            self._disambiguate(ordered)
        entries, entry_keys = self._bibliography(bib_el, ordered)
        if self._global_names is not None:
            self._settle_global_names()
        rendered = []
        for citation in citations:
            if not citation.cites:
                rendered.append("")
                continue
            try:
                rendered.append(self.finish(self._cite(citation)))
            except Exception as exc:
                self.failures.append(f"citation {len(rendered) + 1}: style {self.info.id!r} "
                                     f"cannot render it: {type(exc).__name__}: {exc}")
                rendered.append("")
        if keys and bib_el is not None and not entries:
            raise StyleError(f"style {self.info.id!r} cannot render this bibliography: "
                             + "; ".join(self.failures[:3]))
        return RenderResult(self.info, self.locale, self.fmt, entry_keys, entries, rendered,
                            self.failures)

    def _probe_cites(self, ordered: list[Any]) -> list[str]:
        """Each item's cite on its own, as plain text (to find cites that read the same).

        While disambiguation runs, no cite has been recorded yet, so even in a style with
        position tests a probe is the first cite of its item and its text depends only on
        :meth:`_state_of`; probes are then remembered per state (the disambiguation steps try
        the same state again and again). A probe that failed is never remembered, so its
        failure is reported as often as before."""
        cache = self._probe_cache if not self._cites else None
        texts = []
        for item in ordered:
            state = self._state_of(item.key) if cache is not None else None
            if state is not None and state in cache:  # type: ignore[operator]
                texts.append(cache[state])  # type: ignore[index]
                continue
            failures = len(self.failures)
            probe = Citation([_Item(item.key)])
            probe.bibliography = self.bib
            try:
                text = fx.strip_markers(self._cite(probe, record=False))
            except Exception:
                text = ""
                failures = -1
            if state is not None and failures == len(self.failures):
                cache[state] = text  # type: ignore[index]
            texts.append(text)
        return texts

    def _disambiguate(self, ordered: list[Any]) -> None:
        """Tell apart cites that read the same: more names, more of the given names, year
        suffixes, then ``disambiguate="true"`` — the order CSL prescribes."""
        self._probe_cache = {} if PROBE_CACHE else None
        try:
            self._disambiguate_all(ordered)
        finally:
            self._probe_cache = None  # later cites may see earlier ones (positions)

    def _disambiguate_all(self, ordered: list[Any]) -> None:
        citation = self.root.citation
        uses_condition = bool(self.root.xpath("//cs:*[@disambiguate='true']", namespaces=_NSMAP))
        add_names = citation.get("disambiguate-add-names") == "true"
        add_given = citation.get("disambiguate-add-givenname") == "true"
        add_suffix = citation.get("disambiguate-add-year-suffix") == "true"
        if not (uses_condition or add_names or add_given or add_suffix):
            return
        levels: dict[str, tuple[int, int]] = {}
        self.root.__dict__[fx.EXPAND_KEY] = levels
        rule = citation.get("givenname-disambiguation-rule", "by-cite")
        if add_given and rule != "by-cite":
            people = {i.key: fx.name_keys(dict.get(i.reference, "author")
                                          or dict.get(i.reference, "editor")) for i in ordered}
            registered = {i.key: fx.registered_names(i.reference) for i in ordered}
            first = fx.global_given_levels(people, rule, registered)
            levels.update(first)
            self._global_names = (people, rule, dict(first))
        texts = dict(zip((i.key for i in ordered), self._probe_cites(ordered)))
        if rule == "by-cite" and (add_names or add_given or add_suffix or uses_condition):
            self._disambiguate_by_cite(ordered, texts, add_names, add_given, add_suffix,
                                       uses_condition)
            return
        ambiguous = fx.ambiguous_groups(texts)
        if ambiguous and (add_names or add_given):
            self._expand_names(ordered, texts, ambiguous, add_names, add_given)
            ambiguous = fx.ambiguous_groups(texts)
        if ambiguous and add_suffix:
            in_groups = set().union(*ambiguous)
            keys = [i.key for i in ordered if i.key in in_groups]
            self._year_suffixes(keys, texts)
            return
        if uses_condition:
            self.root.__dict__[fx.AMBIGUOUS_KEY] = {k for g in ambiguous for k in g}

    def _expand_names(self, ordered: list[Any], texts: dict[str, str], ambiguous: list[set[str]],
                      add_names: bool, add_given: bool) -> None:
        """Try more names, then initials, then full given names on ambiguous cites; keep each
        step only for the cites it tells apart."""
        levels: dict[str, tuple[int, int]] = self.root.__dict__[fx.EXPAND_KEY]
        before = {k: levels.get(k) for g in ambiguous for k in g}
        by_key = {i.key: i for i in ordered}
        steps: list[tuple[int, int]] = []
        full = 1 if str(self.root.citation.get("givenname-disambiguation-rule", "")).endswith(
            "with-initials") else 2
        rule = str(self.root.citation.get("givenname-disambiguation-rule", "by-cite"))
        givens = [1, full] if rule.startswith("primary-name") else [1, full, 3, full + 2]
        if add_given:  # citeproc-js settles for more of a given name before more names
            steps += [(g, 0) for g in givens]
        if add_names:
            steps += [(0, n) for n in range(1, 4)]
            if add_given:
                steps += [(g, n) for n in range(1, 4) for g in givens]
        pending = {k for g in ambiguous for k in g}
        accepted = {k: before[k] or (0, 0) for k in pending}
        # how many cites read as each one does (by collation key; an empty cite is in no
        # group), kept up to date as cites change instead of regrouping all texts each step
        read_as = {k: fx.collation_key(t) if t else None for k, t in texts.items()}
        counts = Counter(v for v in read_as.values() if v is not None)

        def size(reading: str | None) -> int:  # the size of the group, 1 for none
            return counts[reading] if reading is not None and counts[reading] > 1 else 1

        for step in steps:
            if not pending:
                break
            for key in pending:
                old = accepted[key]
                levels[key] = (max(old[0], step[0]), max(old[1], step[1]))
            trial = {key: self._probe_cites([by_key[key]])[0] for key in pending}
            trial_as = {k: fx.collation_key(t) if t else None for k, t in trial.items()}
            now = {key: size(read_as[key]) for key in pending}
            self._recount(counts, read_as, trial_as)
            trial_size = {key: size(trial_as[key]) for key in pending}
            self._recount(counts, trial_as, {k: read_as[k] for k in trial_as})  # back again
            kept = {}
            for key in list(pending):
                if trial_size[key] < now[key]:
                    # the step told this cite apart from some others: keep it (citeproc-js
                    # keeps such partial expansions even when the cite stays ambiguous)
                    texts[key] = trial[key]
                    kept[key] = trial_as[key]
                    accepted[key] = levels[key]
                    if trial_size[key] == 1:
                        pending.discard(key)
                else:
                    levels[key] = accepted[key]
            self._recount(counts, read_as, kept)
            read_as.update(kept)
        for key, level in accepted.items():
            if level == (0, 0) and before[key] is None:
                levels.pop(key, None)
            else:
                levels[key] = level

    @staticmethod
    def _recount(counts: Counter[str], old: dict[str, str | None],
                 new: dict[str, str | None]) -> None:
        """Move the keys of ``new`` in ``counts`` from their readings in ``old`` to theirs in
        ``new``."""
        for key, reading in new.items():
            was = old[key]
            if was is not None:
                counts[was] -= 1
            if reading is not None:
                counts[reading] += 1

    def _settle_global_names(self) -> None:
        """Redo the global given-name levels with the name lists the bibliography and the
        cites really printed (citeproc-js registers only those): before, every name list of
        an item counted, an editor the style never prints too."""
        people, rule, first = self._global_names  # type: ignore[misc]
        root = self.root.__dict__
        printed = root.get(fx.PRINTED_NAMES_KEY, {})
        registered = {}
        for key, names in people.items():
            ref = self.source[key]
            lists = [fx.name_keys(dict.get(ref, var)) for var in sorted(printed.get(key, ()))]
            registered[key] = [n for n in lists if n] + ([names] if names else [])
        again = fx.global_given_levels(people, rule, registered)
        levels = root[fx.EXPAND_KEY]
        if fx.PER_NAME_KEY in again or fx.PER_NAME_KEY in first:
            levels[fx.PER_NAME_KEY] = again.get(fx.PER_NAME_KEY, {})
        for key in (set(first) | set(again)) - {fx.PER_NAME_KEY}:
            old, new = first.get(key, (0, 0))[0], again.get(key, (0, 0))[0]
            current = levels.get(key, (0, 0))
            if old == new or not isinstance(current, tuple) or current[0] != old:
                continue  # unchanged, or settled since by adding names
            if (new, current[1]) == (0, 0):
                levels.pop(key, None)
            else:
                levels[key] = (new, current[1])

    def _disambiguate_by_cite(self, ordered: list[Any], texts: dict[str, str], add_names: bool,
                              add_given: bool, add_suffix: bool, uses_condition: bool) -> None:
        """citeproc-js's walk for the by-cite rule (see ``bycite``), group by group."""
        modes = ((["names"] if add_names or add_given else []) + (["years"] if add_suffix else [])
                 + (["extra"] if uses_condition else []))
        root = self.root.__dict__
        levels = root[fx.EXPAND_KEY]
        ambiguous: set[str] = set()
        root[fx.AMBIGUOUS_KEY] = ambiguous
        seen = root.get(fx.NAMES_SEEN_KEY, {})
        by_key = {i.key: i for i in ordered}
        position = {i.key: n for n, i in enumerate(ordered)}
        cache: dict[tuple[Any, ...], str] = {}

        def probe(key: str, config: bycite.AmbigConfig) -> str:
            state = (key, config.names, tuple(config.givens), bool(config.disambiguate))
            if state not in cache:
                old = levels.get(key)
                levels[key] = config.names_config()
                if config.disambiguate:
                    ambiguous.add(key)
                try:
                    cache[state] = self._probe_cites([by_key[key]])[0]
                finally:
                    ambiguous.discard(key)
                    if old is None:
                        levels.pop(key, None)
                    else:
                        levels[key] = old
            return cache[state]

        groups: dict[str, list[str]] = {}
        for item in ordered:
            if texts.get(item.key):
                groups.setdefault(texts[item.key], []).append(item.key)
        suffixes: dict[str, str] = {}
        for keys in groups.values():
            if len(keys) < 2:
                continue
            run = bycite.ByCiteRun(
                keys, lambda k: (str(seen.get(k, (0, 0, False))[0]), self.ids.get(k, k)),
                {k: seen.get(k, (0, 0, False))[0] for k in keys},
                {k: seen.get(k, (0, 0, False))[1] for k in keys},
                modes, probe, add_names, 2 if add_given else None,
                any(len(seen.get(k, ())) > 2 and seen[k][2] for k in keys),
                position.__getitem__)
            for key, config in run.run().items():
                levels[key] = config.names_config()
                if config.disambiguate:
                    ambiguous.add(key)
                if config.year_suffix is not None:
                    suffixes[key] = year_suffix(config.year_suffix)
        if suffixes:
            self._apply_suffixes(suffixes)

    def _year_suffixes(self, keys: list[str], texts: dict[str, str]) -> None:
        self._apply_suffixes(fx.assign_year_suffixes(keys, [texts[k] for k in keys]))

    def _apply_suffixes(self, suffixes: dict[str, str]) -> None:
        self.suffixes = suffixes
        explicit = bool(self.root.xpath("//cs:text[@variable='year-suffix']", namespaces=_NSMAP))
        for key, suffix in self.suffixes.items():
            ref = self.source[key]
            dict.__setitem__(ref, "year_suffix", suffix)
            if not explicit:
                dict.__setitem__(ref, fx.SUFFIX_KEY, suffix)

    def _bibliography(self, bib_el: Any, ordered: list[Any]) -> tuple[list[str], list[str]]:
        if bib_el is None:
            return [], []
        layout = bib_el.layout
        entries, entry_keys = [], []
        substitute = bib_el.get("subsequent-author-substitute") if self.fidelity else None
        split_first = self.fidelity and bool(bib_el.get("second-field-align"))
        previous_by_role: dict[Any, str] = {}
        capture: list[Any] = []
        et_al = self._term("et-al", "et al.") if substitute is not None else ""
        for item in ordered:
            capture.clear()
            self.root.__dict__.pop(fx.SUFFIX_DONE_KEY, None)
            if substitute is not None:
                self.root.__dict__[fx.CAPTURE_KEY] = capture
            try:
                out = layout.render_bibliography([item])
            except Exception as exc:
                self.failures.append(
                    f"entry {self.ids.get(item.key, item.key)!r}: style {self.info.id!r} cannot "
                    f"render it: {type(exc).__name__}: {exc}")
                continue
            finally:
                self.root.__dict__.pop(fx.CAPTURE_KEY, None)
            if not out:
                continue
            text = fx.flatten(out[0])
            if substitute is not None:
                names = None
                if capture:
                    # the names without the cs:names element's own affixes, which stay
                    out, n_prefix, n_suffix, (name_text, role) = capture[0]
                    names = fx.flatten(out)
                    core = names[len(n_prefix):len(names) - len(n_suffix) if n_suffix else None]
                    at = len(layout.get("prefix", "")) + len(n_prefix)
                    # as citeproc-js: the names without "et al." (but with their role label)
                    # are compared with the last names printed for the same role (authors
                    # with authors, editors with editors)
                    bare = fx.without_et_al(name_text or names, et_al)
                    if name_text and name_text in core:
                        bare += core[core.find(name_text) + len(name_text):]
                    if bare == previous_by_role.get(role) and text[at:].startswith(core):
                        after = text[at + len(core):]
                        if core.endswith(".") and after.startswith(" "):
                            after = "." + after  # the period the names' initial had absorbed
                        text = text[:at] + substitute + after
                    previous_by_role[role] = bare
            if split_first:
                text = self._second_field(layout, item, text)
            text = self.finish(text)
            entries.append(text)
            entry_keys.append(self.ids.get(item.key, item.key))
        return entries, entry_keys

    def _second_field(self, layout: Any, item: Any, text: str) -> str:
        """``second-field-align``: the first field apart, as citeproc-js does."""
        children = list(layout)
        if not children:
            return text
        layout.repressed = {}
        self.root.__dict__.pop(fx.SUFFIX_DONE_KEY, None)  # the first field may carry the suffix
        try:
            first = children[0].render(item)
        except Exception:
            return text
        first_text = fx.flatten(first) if first is not None else ""
        prefix = fx.flatten(layout.get("prefix", ""))
        if not first_text or not text.startswith(prefix + first_text):
            return text
        rest = text[len(prefix + first_text):]
        if self.fmt == "html":
            return (f'\n    <div class="csl-left-margin">{prefix + first_text}</div>'
                    f'<div class="csl-right-inline">{rest}</div>\n  ')
        return prefix + first_text + ("" if rest.startswith(" ") else " ") + rest

    def finish(self, text: str) -> str:
        """Settle markers and links for the output format."""
        text = fx.finish(text, self.fmt, self.quotes, link=self.link_urls, fidelity=self.fidelity)
        if self.fmt == "markdown":
            text = markdown_links(text)
        return text


#: Whether a render raises the collector's first threshold while it runs (see
#: :func:`_fewer_collections`); never changes the output.
GC_SCOPED = True
#: The first-generation threshold of the cyclic garbage collector during a render.
GC_THRESHOLD = 100_000
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, ...] | None = None


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Raise the garbage collector's first threshold while a render runs, then put the
    caller's thresholds back (also when the render raises).

    A render allocates hundreds of thousands of small objects (strings, tuples, the per-element
    caches) that mostly die young or live as long as the loaded style; with the default
    threshold (700) the collector walks the young ones hundreds of times and the older ones
    (the caller's objects too) several times per render, 5–10% of apa's time on the corpus;
    with 100,000 a 2,000-item render sees one or two young collections and no older one.
    Collection stays on — the loaded style, and each probe citation with its cite, are
    reference cycles that only the collector frees — it just runs less often, so at most
    that many more young objects wait to be freed (the peak memory of a 6,000-item apa render
    went from 42–43 MB to 47 MB). Nested or concurrent renders share one saved setting: the
    first to start saves the caller's thresholds and the last to finish restores them. A
    collector the caller turned off (threshold 0) is left alone."""
    global _gc_depth, _gc_saved
    if not GC_SCOPED:
        yield
        return
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            if 0 < _gc_saved[0] < GC_THRESHOLD:
                gc.set_threshold(GC_THRESHOLD, *_gc_saved[1:])
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


@functools.lru_cache(maxsize=1)
def _known_locales() -> tuple[str, ...]:
    """The locale codes citeproc-py ships a CSL locale file for (read once)."""
    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    return tuple(sorted(p.name[len("locales-"):-len(".xml")] for p in folder.glob("locales-*.xml")))


def normalise_locale(locale: str) -> str:
    """The CSL form of a locale code: ``en_GB``, ``en-gb`` and ``EN-GB`` → ``en-GB``
    (a ConfigError when it is no locale code at all)."""
    code, _, modifier = locale.strip().replace("_", "-").partition("@")
    code = code.split(".")[0]  # POSIX "en_GB.UTF-8", "de_DE@euro"
    if not _LOCALE_RE.match(code):
        raise ConfigError(f"{locale!r} is not a locale code like en-US or de-DE")
    parts = code.split("-")
    script = _SCRIPT_MODIFIERS.get(modifier.split(".")[0].lower())
    if script and not any(len(p) == 4 for p in parts[1:]):
        parts.insert(1, script)  # "sr_RS@cyrillic" is sr-Cyrl-RS
    # the language lower-case, a script title-case (sr-Latn), a region upper-case (en-GB)
    return "-".join([parts[0].lower()] + [p.title() if len(p) == 4 else p.upper()
                                          for p in parts[1:]])


def _check_locale(locale: str) -> None:
    """Raise ConfigError for a locale no CSL locale file serves (citeproc-py would quietly use
    en-US instead): the code itself, or its language (``de`` → ``de-DE``), must have one."""
    known = _known_locales()
    language = locale.split("-")[0].lower()
    if locale in known or any(k.split("-")[0].lower() == language for k in known):
        return
    raise ConfigError(f"no CSL locale for {locale!r}; known: {', '.join(known)}")


def render(bibliography: Items, style: str | Path | StyleInfo = "chicago-author-date",
           locale: str | None = None, format: str = "text",
           cite_keys: Sequence[CiteGroup] | None = None, *, fidelity: bool = True,
           link_urls: bool = True) -> RenderResult:
    """Render a bibliography (and citations of ``cite_keys``) in a CSL style.

    ``style`` is a path or a style id; ``locale`` defaults to the style's own, else en-US;
    ``format`` is ``text``, ``html`` or ``markdown``. Each element of ``cite_keys`` is one
    in-text citation: an entry id or a list of ids cited together. ``fidelity=False`` uses
    citeproc-py without citekit's corrections; ``link_urls=False`` leaves URLs and DOIs in
    HTML output as text (as citeproc-js does by default).
    """
    if format not in FORMATS:
        raise ConfigError(f"unknown output format {format!r}; choose one of {', '.join(FORMATS)}")
    if locale is not None:
        locale = normalise_locale(locale)
        _check_locale(locale)
    info = style if isinstance(style, StyleInfo) else resolve_style(style)
    items = _csl_items(bibliography)
    try:
        compiled = COMPILED and len(items) + len(cite_keys or ()) >= COMPILE_MIN_ITEMS
        with _fewer_collections():
            return _Run(info, locale, format, fidelity, link_urls, compiled).run(items, cite_keys)
    except (StyleError, ConfigError):
        raise
    except RecursionError:
        raise StyleError(f"style {info.id!r} has macros that call themselves") from None
    except Exception as exc:  # citeproc-py fails this way on styles it cannot handle
        raise StyleError(f"style {info.id!r} cannot be used: {type(exc).__name__}: {exc}") from None
