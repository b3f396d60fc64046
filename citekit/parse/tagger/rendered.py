"""Extra training strings rendered by citekit's own CSL engine, each token labelled by its field.

Items of the common CSL types are assembled from field values of the training split (see
:func:`harvest`) and rendered in bibliography form in many CSL styles (:data:`STYLES`). Where a
field landed in the rendered string is found by rendering the item again with that one field's
value perturbed — every letter and digit changed to another, a date moved by a year, a month
and a day, a page range moved up — and taking the parts of the string that changed, widened to
the tagger's tokens. The perturbation keeps the kind of each character, so the
style formats the value the same way (initials, title case, page-range format, ordinals), and
what the style writes around the value (quotes, "pp.", "In", "(Eds.)") is the same in both
renders and stays outside the field; such cue words then join a field as they do in the corpora
(:func:`.data.label_chars`).

Items rendered together have different first authors, so that no style adds a year letter or a
"same author" dash between them; the perturbed renders of one field hold the items that have
it, in the same order, and a numbered style's reference number is not compared.

The renderer is citekit's own (citeproc-py with citekit's corrections), so the strings follow
its terms and punctuation. Used by ``python -m citekit.parse.tagger.train --rendered N``; the
shipped model is trained without them (see docs/parser.md, issue 6's eighth round).
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ...model import Name
from .data import Example, label_chars
from .labels import OTHER
from .tokens import tokenize
from .synth import Pools, harvest as harvest_pools, label_texts

__all__ = ["STYLES", "CORPUS", "RenderPools", "harvest", "generate"]

#: The ``corpus`` of the rendered examples.
CORPUS = "rendered"

#: Styles rendered, with a weight each: numbered (biomedical, physics, chemistry, computing),
#: author-date (social sciences, Harvard variants, linguistics, geosciences) and
#: notes-bibliography / humanities styles, English and German.
STYLES: tuple[tuple[str, int], ...] = (
    ("ieee", 3), ("vancouver", 2), ("nature", 2), ("american-medical-association", 1),
    ("american-chemical-society", 1), ("american-physics-society", 1),
    ("american-institute-of-physics", 1), ("springer-lecture-notes-in-computer-science", 1),
    ("association-for-computing-machinery", 1), ("cell", 1), ("plos", 1), ("the-lancet", 1),
    ("apa", 3), ("chicago-author-date", 3), ("harvard-cite-them-right", 2),
    ("elsevier-harvard", 1), ("american-sociological-association", 1),
    ("springer-basic-author-date", 1), ("unified-style-sheet-for-linguistics", 1),
    ("american-anthropological-association", 1), ("american-political-science-association", 1),
    ("american-geophysical-union", 1), ("din-1505-2", 1),
    ("chicago-note-bibliography", 3), ("modern-language-association", 3), ("mhra-notes", 2),
)

#: CSL variable → tagger label (names and dates are handled alike; the DOI by how it is written).
_LABEL = {
    "author": "author", "editor": "editor", "translator": "translator", "issued": "date",
    "accessed": "date", "title": "title", "container-title": "container-title",
    "collection-title": "collection-title", "volume": "volume", "issue": "issue",
    "page": "pages", "edition": "edition", "publisher": "publisher",
    "publisher-place": "location", "genre": "genre", "URL": "url", "DOI": "doi",
}
_NAMES = ("author", "editor", "translator")
_DATES = ("issued", "accessed")
_BATCH = 120
_GAP = 3
_NUMBER = re.compile(r"\s*(?:\[\d+\]|\(\d+\)|\d+\.?)\s")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_URL = re.compile(r"https?://[^\s<>\"]+")
_LEAD = re.compile(r"(?<!\S)(?:Bd|S|Jg|H|Nr|Hft|Vol|vol|no|No|pp?|art|Art|ch)\.(?=\s+\d)")
_GENRE = re.compile(r"(?i)thesis|dissert|report|paper|memo|note|draft|diss\.|master|doctor")
_GENRES = ("PhD thesis", "Doctoral dissertation", "Master's thesis", "PhD dissertation",
           "Technical report", "Working paper", "Research report")
# Role words the styles write next to translators' names ("Translated by", "trans."): the
# corpora label them with the names, and the gap filling knows only editors' role words.
_TRANS_BEFORE = re.compile(r"(?:[Tt]rans(?:lated)?\.?(?: by)?|[Tt]r\.|[Üü]bers(?:etzt)?\.?"
                           r"(?: von)?)\s*$")
_TRANS_AFTER = re.compile(r"^,?\s*\(?(?:trans|tr|transl)\.\)?")


@dataclass
class RenderPools:
    """Field values of the training split to assemble CSL items from."""

    base: Pools
    dois: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)


def harvest(examples: Iterable[Example]) -> RenderPools:
    """Collect names, titles, containers, publishers, places, DOIs, URLs, series and genres."""
    examples = list(examples)
    pools = RenderPools(harvest_pools(examples))
    seen: set[tuple[str, str]] = set()
    for ex in examples:
        spans = label_texts(ex)
        for lab in ("doi", "url", "collection-title", "genre"):
            for text in spans.get(lab, [])[:1]:
                value = _value(lab, text)
                if value and (lab, value) not in seen:
                    seen.add((lab, value))
                    {"doi": pools.dois, "url": pools.urls, "collection-title": pools.series,
                     "genre": pools.genres}[lab].append(value)
    return pools


def _value(label: str, text: str) -> str | None:
    if label == "doi":
        m = _DOI.search(text)
        return m.group(0).rstrip(".,;)]") if m else None
    if label == "url":
        m = _URL.search(text)
        return m.group(0).rstrip(".,;)]") if m and "doi.org" not in m.group(0) else None
    value = " ".join(text.split()).strip(" ,.;:()[]")
    return value if 2 < len(value) < 100 else None


class _Items:
    """Assembles CSL-JSON items of the common types from the pools."""

    def __init__(self, pools: RenderPools, rng: random.Random) -> None:
        base = pools.base
        self.p = pools
        self.b = base
        self.r = rng
        self.journals = base.journals or base.titles
        self.books = base.books or self.journals
        self.proceedings = [j for j in self.journals + self.books
                            if re.search(r"(?i)\b(?:proc|conference|symposium|workshop|meeting)",
                                         j)] or self.books
        self.publishers = base.publishers or ["University Press"]
        self.places = base.places or ["London"]
        self.genres = [g for g in pools.genres if len(g.split()) <= 4 and _GENRE.search(g)] \
            or list(_GENRES)

    def pick(self, seq: list[Any]) -> Any:
        return seq[self.r.randrange(len(seq))]

    def person(self, n: Name) -> dict[str, str]:
        out = {"family": n.family or "", "given": n.given or ""}
        for key, value in (("non-dropping-particle", n.non_dropping_particle),
                           ("dropping-particle", n.dropping_particle), ("suffix", n.suffix)):
            if value:
                out[key] = value
        return out

    def people(self, org: float = 0.06) -> list[dict[str, str]]:
        if self.b.orgs and self.r.random() < org:
            return [{"literal": self.pick(self.b.orgs)}]
        k = self.r.choice((1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 7, 12))
        return [self.person(self.pick(self.b.names)) for _ in range(k)]

    def date(self, month: float = 0.15, day: float = 0.5) -> dict[str, Any]:
        parts = [self.r.randint(1950, 2024)]
        if self.r.random() < month:
            parts.append(self.r.randint(1, 12))
            if self.r.random() < day:
                parts.append(self.r.randint(1, 28))
        return {"date-parts": [parts]}

    def pages(self) -> str:
        a = self.r.randint(1, 1500)
        return f"{a}-{a + self.r.randint(1, 60)}" if self.r.random() < 0.9 else str(a)

    def link(self, item: dict[str, Any], doi: float, url: float) -> None:
        x = self.r.random()
        if self.p.dois and x < doi:
            item["DOI"] = self.pick(self.p.dois)
        elif self.p.urls and x < doi + url:
            item["URL"] = self.pick(self.p.urls)

    def item(self) -> dict[str, Any]:
        kind = self.r.choice(("article-journal",) * 6 + ("book",) * 2 + ("chapter",) * 2 + (
            "paper-conference", "paper-conference", "report", "thesis", "webpage",
            "article-newspaper", "edited-book"))
        r = self.r
        item: dict[str, Any] = {"type": kind, "title": self.pick(self.b.titles)}
        if kind == "edited-book":
            item["type"] = "book"
            item["editor"] = self.people(0)
        else:
            item["author"] = self.people()
        item["issued"] = self.date()
        if kind == "article-journal":
            item["container-title"] = self.pick(self.journals)
            item["volume"] = str(r.randint(1, 150))
            if r.random() < 0.6:
                item["issue"] = str(r.randint(1, 12))
            if r.random() < 0.95:
                item["page"] = self.pages()
            self.link(item, 0.4, 0.05)
        elif kind in ("book", "edited-book"):
            item["publisher"] = self.pick(self.publishers)
            if r.random() < 0.75:
                item["publisher-place"] = self.pick(self.places)
            if r.random() < 0.15:
                item["edition"] = str(r.randint(2, 9))
            if self.p.series and r.random() < 0.1:
                item["collection-title"] = self.pick(self.p.series)
            if r.random() < 0.1 and self.b.names:
                item["translator"] = [self.person(self.pick(self.b.names))]
            self.link(item, 0.05, 0.05)
        elif kind in ("chapter", "paper-conference"):
            item["container-title"] = self.pick(self.books if kind == "chapter"
                                                 else self.proceedings)
            if kind == "chapter" or r.random() < 0.3:
                item["editor"] = self.people(0)
            if kind == "chapter" or r.random() < 0.4:
                item["publisher"] = self.pick(self.publishers)
                if r.random() < 0.7:
                    item["publisher-place"] = self.pick(self.places)
            if self.p.series and r.random() < 0.1:
                item["collection-title"] = self.pick(self.p.series)
                if r.random() < 0.5:
                    item["volume"] = str(r.randint(1, 9000))
            if r.random() < 0.85:
                item["page"] = self.pages()
            self.link(item, 0.25 if kind == "paper-conference" else 0.1, 0.05)
        elif kind in ("report", "thesis"):
            item["publisher"] = self.pick(self.publishers)
            if r.random() < 0.6:
                item["publisher-place"] = self.pick(self.places)
            if kind == "thesis" or r.random() < 0.5:
                item["genre"] = self.pick(self.genres)
            self.link(item, 0.05, 0.3)
        else:  # webpage, article-newspaper
            outlets = self.b.outlets or self.journals
            item["container-title"] = self.pick(outlets)
            item["issued"] = self.date(month=0.95, day=0.85)
            if kind == "article-newspaper" and r.random() < 0.3:
                item["page"] = str(r.randint(1, 40))
            if self.p.urls and r.random() < (0.9 if kind == "webpage" else 0.5):
                item["URL"] = self.pick(self.p.urls)
                if r.random() < 0.5:
                    item["accessed"] = {"date-parts": [[r.randint(2015, 2025), r.randint(1, 12),
                                                        r.randint(1, 28)]]}
        return item


def _shift(text: str) -> str:
    # Every letter and digit to another of its kind (case kept), so that the first and the last
    # character of the value as rendered differ whatever the style does to its case.
    out = []
    for ch in text:
        if "a" <= ch <= "y" or "A" <= ch <= "Y":
            out.append(chr(ord(ch) + 1))
        elif ch in "zZ":
            out.append("b" if ch == "z" else "B")
        elif ch.isalpha():
            out.append("q" if ch.islower() else "Q")
        elif "1" <= ch <= "8":
            out.append(chr(ord(ch) + 1))
        elif ch in "90":
            out.append("1" if ch == "9" else "2")
        else:
            out.append(ch)
    return "".join(out)


def _perturb(var: str, value: Any) -> Any:
    if var in _NAMES:
        return [{k: _shift(v) for k, v in name.items()} for name in value]
    if var in _DATES:
        parts = list(value["date-parts"][0])
        parts[0] = parts[0] + 1 if parts[0] < 2025 else parts[0] - 1
        if len(parts) > 1:
            parts[1] = parts[1] % 12 + 1
        if len(parts) > 2:
            parts[2] = parts[2] % 28 + 1
        return {"date-parts": [parts]}
    if var == "page":
        return "-".join(str(int(p) + 111) for p in value.split("-"))
    return _shift(value)


def _changed(whole: str, other: str, numbered: bool = False) -> list[tuple[int, int]]:
    """The parts of ``whole`` that differ from ``other``, widened to whole tokens.

    A style may write a value twice (IEEE's series volume), so there can be several parts;
    changed stretches at most :data:`_GAP` characters apart (", ", or a letter that the
    perturbed value happens to share) are one part. ``numbered``: both strings start with a
    reference number, which is not compared.
    """
    if whole == other:
        return []
    base = 0
    if numbered:
        a, b = _NUMBER.match(whole), _NUMBER.match(other)
        if a and b:
            base, other = a.end(), other[b.end():]
    matcher = difflib.SequenceMatcher(None, whole[base:], other, autojunk=False)
    parts: list[list[int]] = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete") and i2 > i1:
            if parts and i1 + base - parts[-1][1] <= _GAP:
                parts[-1][1] = i2 + base
            else:
                parts.append([i1 + base, i2 + base])
    tokens = tokenize(whole)
    out = []
    for start, end in parts:
        # Widen to the tagger's tokens ("1965;121:193–251." is three of them).
        for tok in tokens:
            if tok.start <= start < tok.end:
                start = tok.start
            if tok.start < end < tok.end:
                end = tok.end
        out.append((start, end))
    return out


def _label(text: str, spans: list[tuple[str, int, int]], numbered: bool) -> Example | None:
    chars = [OTHER] * len(text)
    # Longest first, so that a field inside another's span (rare) keeps its own label.
    for label, start, end in sorted(spans, key=lambda s: s[1] - s[2]):
        if label == "translator":
            m = _TRANS_BEFORE.search(text, 0, start)
            if m:
                start = m.start()
            m = _TRANS_AFTER.match(text[end:])
            if m:
                end += m.end()
        for i in range(start, end):
            chars[i] = label
    if numbered:
        m = _NUMBER.match(text)
        if m:
            for i in range(m.start(), m.end()):
                chars[i] = "citation-number"
    # A style's abbreviated terms before a number ("Bd.", "S.", "Jg.", "Nr.") join the field
    # after them, as "vol." and "pp." do in the corpora.
    for m in _LEAD.finditer(text):
        if chars[m.start()] == OTHER:
            nxt = next((c for c in chars[m.end():] if c != OTHER), OTHER)
            for i in range(m.start(), m.end()):
                chars[i] = nxt
    return label_chars(text, chars, CORPUS)


def _render(items: list[dict[str, Any]], style: str) -> dict[str, str]:
    from ...render import render

    result = render(items, style)
    return dict(zip(result.keys, result.entries))


def _batch(items: list[dict[str, Any]], style: str) -> list[Example]:
    whole = _render(items, style)
    numbered = bool(_NUMBER.match(next(iter(whole.values()), "")))
    spans: dict[str, list[tuple[str, int, int]]] = {it["id"]: [] for it in items}
    variables = sorted({v for it in items for v in it if v in _LABEL})
    for var in variables:
        # Only the items that have the variable are rendered again; their numbers (in numbered
        # styles) may then differ, so the leading number is left out of the comparison.
        changed = [dict(it, **{var: _perturb(var, it[var])}) for it in items if var in it]
        other = _render(changed, style)
        for it in changed:
            key = it["id"]
            if key not in whole or key not in other:
                continue
            for start, end in _changed(whole[key], other[key], numbered):
                label = _LABEL[var]
                if var == "DOI" and whole[key][start:end].lower().startswith("http"):
                    label = "url"  # the corpora label a doi.org link as a URL
                spans[key].append((label, start, end))
    out = []
    for it in items:
        text = whole.get(it["id"])
        if text and spans[it["id"]]:
            ex = _label(text, spans[it["id"]], numbered)
            if ex is not None:
                out.append(ex)
    return out


def _first_author(item: dict[str, Any]) -> str:
    names = item.get("author") or item.get("editor") or [{}]
    return (names[0].get("family") or names[0].get("literal") or "").lower()


def generate(pools: RenderPools, n: int, seed: int) -> list[Example]:
    """Render about ``n`` labelled references in the styles of :data:`STYLES` (deterministic)."""
    if n <= 0 or not (pools.base.names and pools.base.titles):
        return []
    rng = random.Random(seed)
    maker = _Items(pools, rng)
    weights = sum(w for _, w in STYLES)
    out: list[Example] = []
    for style, weight in STYLES:
        want = round(n * weight / weights)
        made = 0
        while made < want:
            size = min(_BATCH, want - made)
            items: list[dict[str, Any]] = []
            firsts: set[str] = set()
            tries = 0
            # A small pool may run out of first authors: the batch is then cut short.
            while len(items) < size and tries < 20 * size:
                tries += 1
                item = maker.item()
                first = _first_author(item)
                if first in firsts:
                    continue
                firsts.add(first)
                item["id"] = f"r{len(items)}"
                items.append(item)
            out.extend(_batch(items, style))
            made += size
    rng.shuffle(out)
    return out
