"""Extra, perfectly labelled training strings: real field values set in many citation styles.

Field values (names, titles, journals, publishers, places) are harvested from the training split
only; each generated string is a list of ``(label, text)`` segments, so its labels are exact.
The styles are written here as small templates rather than rendered through CSL, which keeps
generation fast and every segment's label certain.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ...model import Name
from .data import Example, align
from ..names import parse_names

__all__ = ["Pools", "harvest", "generate"]

_MONTHS = ("January February March April May June July August September October November "
           "December").split()
_MONTHS_ABBR = ("Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.").split()
_EDGE = " ,.;:()[]"
_QUOTES = "\"“”‘’'"


@dataclass
class Pools:
    """Field values to draw from when composing synthetic references."""

    names: list[Name] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    journals: list[str] = field(default_factory=list)
    books: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(_EDGE)
    text = text.strip(_QUOTES).strip(_EDGE)
    return text


def label_texts(ex: Example) -> dict[str, list[str]]:
    """The text of each run of tokens with one label, per label, in order."""
    spans: dict[str, list[str]] = {}
    cur = None
    for tok, lab in zip(ex.tokens, ex.labels):
        if lab != cur:
            spans.setdefault(lab, []).append("")
            cur = lab
        spans[lab][-1] += (" " if spans[lab][-1] else "") + tok.text
    return spans


def harvest(examples: Iterable[Example]) -> Pools:
    """Collect clean field values from labelled examples."""
    pools = Pools()
    seen: set[str] = set()
    for ex in examples:
        spans = label_texts(ex)
        for text in spans.get("author", [])[:1]:
            names, _ = parse_names(text, natural=True)
            for n in names:
                if n.literal and 1 < len(n.literal.split()) < 6:
                    pools.orgs.append(n.literal)
                elif n.family and n.given and re.search(r"[^\W\d]{1}", n.given) \
                        and re.fullmatch(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*", n.family) \
                        and len(n.family) > 1 and not n.family.isupper():
                    pools.names.append(n)
        has_pub = "publisher" in spans
        for lab, pool in (("title", pools.titles), ("publisher", pools.publishers),
                          ("location", pools.places)):
            for text in spans.get(lab, [])[:1]:
                value = _clean(text)
                if 2 < len(value) < 200 and (lab, value) not in seen:
                    seen.add((lab, value))  # type: ignore[arg-type]
                    pool.append(value)
        for text in spans.get("container-title", [])[:1]:
            value = _clean(re.sub(r"^(?:in|In)\b\s*:?\s*", "", _clean(text)))
            if not (2 < len(value) < 120):
                continue
            if has_pub:
                pools.books.append(value)
            else:
                pools.journals.append(value)
                if len(value.split()) <= 4 and "." not in value:
                    pools.outlets.append(value)
    return pools


class _Maker:
    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self.p = pools
        self.r = rng

    def pick(self, seq: list) -> object:
        return seq[self.r.randrange(len(seq))]

    def people(self) -> list[Name]:
        k = self.r.choice((1, 1, 1, 2, 2, 3, 4, 6))
        return [self.pick(self.p.names) for _ in range(k)]  # type: ignore[misc]

    def year(self) -> str:
        return str(self.r.randint(1950, 2025)) + (self.r.choice("ab") if self.r.random() < 0.04
                                                  else "")

    def initials(self, given: str) -> str:
        parts = re.split(r"[\s.]+", given)
        out = []
        for part in parts:
            if part:
                sub = part.split("-")
                out.append("-".join(s[0] + "." for s in sub if s))
        return " ".join(out)

    def fam(self, n: Name) -> str:
        return " ".join(p for p in (n.non_dropping_particle, n.family) if p)

    def url(self) -> str:
        host = self.r.choice(("www.example.org", "news.example.com", "www.sample.net",
                              "journals.example.edu", "www.agency.gov", "blog.example.co.uk"))
        slug = "-".join(re.findall(r"[a-z]+", str(self.pick(self.p.titles)).lower())[:6])
        return f"https://{host}/{self.r.randint(2000, 2025)}/{slug or 'page'}"

    def doi(self) -> str:
        return f"10.{self.r.randint(1000, 9999)}/{self.r.choice(('j.', 'a', 's', ''))}" \
               f"{self.r.randint(10000, 9999999)}"

    def pages(self) -> str:
        a = self.r.randint(1, 900)
        b = a + self.r.randint(1, 40)
        dash = self.r.choice("-–")
        return f"{a}{dash}{b}"

    def title(self) -> str:
        return str(self.pick(self.p.titles))


def _names_chicago(m: _Maker, ns: list[Name]) -> str:
    out = []
    for i, n in enumerate(ns):
        out.append(f"{m.fam(n)}, {n.given}" if i == 0 else f"{n.given} {m.fam(n)}")
    if len(out) == 1:
        return out[0]
    if len(out) == 2:
        return f"{out[0]} and {out[1]}"
    return ", ".join(out[:-1]) + ", and " + out[-1]


def _names_apa(m: _Maker, ns: list[Name]) -> str:
    out = [f"{m.fam(n)}, {m.initials(n.given or '')}" for n in ns]
    if len(out) == 1:
        return out[0]
    return ", ".join(out[:-1]) + ", & " + out[-1]


def _names_ieee(m: _Maker, ns: list[Name]) -> str:
    out = [f"{m.initials(n.given or '')} {m.fam(n)}" for n in ns]
    if len(out) > 3 and m.r.random() < 0.5:
        return out[0] + " et al."
    if len(out) == 1:
        return out[0]
    return ", ".join(out[:-1]) + ", and " + out[-1]


def _names_vancouver(m: _Maker, ns: list[Name]) -> str:
    out = [f"{m.fam(n)} {m.initials(n.given or '').replace('.', '').replace(' ', '')}"
           for n in ns]
    if len(out) > 6:
        return ", ".join(out[:6]) + ", et al"
    return ", ".join(out)


def _org_or(m: _Maker, fmt: Callable[[_Maker, list[Name]], str]) -> str:
    if m.p.orgs and m.r.random() < 0.08:
        return str(m.pick(m.p.orgs))
    text = fmt(m, m.people())
    if m.r.random() < 0.05 and not text.endswith("et al."):
        text += ", et al."
    return text


def _end(text: str, mark: str = ".") -> str:
    return text if text.endswith((".", "?", "!")) else text + mark


def _chicago(m: _Maker) -> list[tuple[str, str]]:
    kind = m.r.choice(("journal", "journal", "book", "chapter", "web", "web", "web"))
    segs = [("author", _end(_org_or(m, _names_chicago))), ("date", m.year() + ".")]
    if kind == "journal":
        vol = str(m.r.randint(1, 120))
        segs += [("title", f"“{_end(m.title())}”"),
                 ("container-title", str(m.pick(m.p.journals)))]
        if m.r.random() < 0.6:
            segs += [("volume", vol), ("issue", f"({m.r.randint(1, 12)}):")]
        else:
            segs += [("volume", vol + ":")]
        segs += [("pages", m.pages() + ".")]
        if m.r.random() < 0.4:
            segs += [("doi", "https://doi.org/" + m.doi())]
    elif kind == "book":
        segs += [("title", _end(m.title())), ("location", str(m.pick(m.p.places)) + ":"),
                 ("publisher", _end(str(m.pick(m.p.publishers))))]
    elif kind == "chapter":
        editors = _names_chicago(m, m.people()).replace(", and", " and")
        segs += [("title", f"“{_end(m.title())}”"),
                 ("container-title", "In " + str(m.pick(m.p.books)) + ","),
                 ("editor", "edited by " + editors + ","),
                 ("pages", m.pages() + "."), ("location", str(m.pick(m.p.places)) + ":"),
                 ("publisher", _end(str(m.pick(m.p.publishers))))]
    else:
        segs += [("title", f"“{_end(m.title())}”")]
        if m.r.random() < 0.85:
            segs += [("container-title", _end(str(m.pick(m.p.outlets or m.p.journals))))]
        month = m.r.randrange(12)
        segs += [("date", f"{_MONTHS[month]} {m.r.randint(1, 28)}." if m.r.random() < 0.8
                  else f"{_MONTHS[month]}.")]
        segs += [("url", m.url())]
        if m.r.random() < 0.2:
            when = f"{_MONTHS[m.r.randrange(12)]} {m.r.randint(1, 28)}, {m.r.randint(2015, 2025)}."
            segs += [("note", "Accessed"), ("date", when)]
    return segs


def _apa(m: _Maker) -> list[tuple[str, str]]:
    kind = m.r.choice(("journal", "journal", "book", "web"))
    segs = [("author", _end(_org_or(m, _names_apa)))]
    if kind == "web":
        month = m.r.randrange(12)
        segs += [("date", f"({m.year()}, {_MONTHS[month]} {m.r.randint(1, 28)}).")]
        segs += [("title", _end(m.title())),
                 ("container-title", _end(str(m.pick(m.p.outlets or m.p.journals)))),
                 ("url", m.url())]
        return segs
    segs += [("date", f"({m.year()}).")]
    if kind == "journal":
        segs += [("title", _end(m.title())), ("container-title", str(m.pick(m.p.journals)) + ","),
                 ("volume", str(m.r.randint(1, 120)))]
        if m.r.random() < 0.7:
            segs += [("issue", f"({m.r.randint(1, 12)}),")]
        else:
            segs[-1] = ("volume", segs[-1][1] + ",")
        segs += [("pages", m.pages() + ".")]
        if m.r.random() < 0.5:
            segs += [("doi", "https://doi.org/" + m.doi())]
    else:
        segs += [("title", _end(m.title())), ("publisher", _end(str(m.pick(m.p.publishers))))]
    return segs


def _mla(m: _Maker) -> list[tuple[str, str]]:
    kind = m.r.choice(("journal", "book", "web"))
    ns = m.people()[:3]
    auth = _names_chicago(m, ns[:2]) if len(ns) < 3 else f"{m.fam(ns[0])}, {ns[0].given}, et al."
    segs = [("author", _end(auth))]
    if kind == "journal":
        segs += [("title", f"“{_end(m.title())}”"),
                 ("container-title", str(m.pick(m.p.journals)) + ","),
                 ("volume", f"vol. {m.r.randint(1, 120)},"),
                 ("issue", f"no. {m.r.randint(1, 12)},"),
                 ("date", m.year() + ","), ("pages", f"pp. {m.pages()}.")]
    elif kind == "book":
        segs += [("title", _end(m.title())), ("publisher", str(m.pick(m.p.publishers)) + ","),
                 ("date", m.year() + ".")]
    else:
        segs += [("title", f"“{_end(m.title())}”"),
                 ("container-title", str(m.pick(m.p.outlets or m.p.journals)) + ","),
                 ("date", f"{m.r.randint(1, 28)} {_MONTHS_ABBR[m.r.randrange(12)]} {m.year()},"),
                 ("url", m.url() + ".")]
    return segs


def _ieee(m: _Maker) -> list[tuple[str, str]]:
    segs = [("citation-number", f"[{m.r.randint(1, 150)}]"),
            ("author", _names_ieee(m, m.people()) + ",")]
    if m.r.random() < 0.7:
        segs += [("title", f"“{m.title()},”"),
                 ("container-title", str(m.pick(m.p.journals)) + ","),
                 ("volume", f"vol. {m.r.randint(1, 120)},"),
                 ("issue", f"no. {m.r.randint(1, 12)},"),
                 ("pages", f"pp. {m.pages()},"),
                 ("date", f"{_MONTHS_ABBR[m.r.randrange(12)]} {m.year()}.")]
    else:
        segs += [("title", m.title() + "."), ("location", str(m.pick(m.p.places)) + ":"),
                 ("publisher", str(m.pick(m.p.publishers)) + ","), ("date", m.year() + ".")]
    return segs


def _vancouver(m: _Maker) -> list[tuple[str, str]]:
    segs = []
    if m.r.random() < 0.6:
        segs.append(("citation-number", f"{m.r.randint(1, 150)}."))
    segs += [("author", _names_vancouver(m, m.people()) + "."), ("title", _end(m.title())),
             ("container-title", _end(str(m.pick(m.p.journals)))),
             ("date", f"{m.year()}" + (f" {_MONTHS_ABBR[m.r.randrange(12)].rstrip('.')};"
                                        if m.r.random() < 0.3 else ";")),
             ("volume", str(m.r.randint(1, 120))), ("issue", f"({m.r.randint(1, 12)}):"),
             ("pages", m.pages() + ".")]
    return segs


def _humanities(m: _Maker) -> list[tuple[str, str]]:
    segs = [("author", _end(_names_chicago(m, m.people()[:2])))]
    segs += [("title", _end(m.title()))]
    if m.r.random() < 0.3:
        who: Name = m.pick(m.p.names)  # type: ignore[assignment]
        segs += [("translator", f"Translated by {who.given} {m.fam(who)}.")]
    if m.r.random() < 0.2:
        segs += [("edition", f"{m.r.choice(('2nd', '3rd', '4th'))} ed.")]
    segs += [("location", str(m.pick(m.p.places)) + ":"),
             ("publisher", str(m.pick(m.p.publishers)) + ","), ("date", m.year() + ".")]
    return segs


def _notes(m: _Maker) -> list[tuple[str, str]]:
    # Chicago notes: "Given Family, Title (Place: Publisher, Year), pages."
    ns = m.people()[:2]
    auth = " and ".join(f"{n.given} {m.fam(n)}" for n in ns)
    segs = [("author", auth + ",")]
    if m.r.random() < 0.5:
        editor = m.pick(m.p.names)
        segs += [("title", f"“{m.title()},”"), ("container-title", f"in {m.pick(m.p.books)},"),
                 ("editor", f"ed. {editor.given} {m.fam(editor)}")]  # type: ignore[union-attr]
    else:
        segs += [("title", m.title())]
    segs += [("location", f"({m.pick(m.p.places)}:"), ("publisher", f"{m.pick(m.p.publishers)},"),
             ("date", f"{m.year()}),"), ("pages", f"{m.pages()}.")]
    return segs


def _european(m: _Maker) -> list[tuple[str, str]]:
    # German and French humanities conventions: "Hrsg. von", "2. Aufl.", "S.", "dans", "(dir.)".
    a, e = m.pick(m.p.names), m.pick(m.p.names)
    place, pub = str(m.pick(m.p.places)), str(m.pick(m.p.publishers))
    year, pages = m.year(), m.pages()
    if m.r.random() < 0.5:
        segs = [("author", f"{m.fam(a)}, {a.given}"), ("date", f"({year}):"),  # type: ignore
                ("title", _end(m.title()))]
        if m.r.random() < 0.5:
            segs += [("container-title", f"In: {m.pick(m.p.books)}."),
                     ("editor", f"Hrsg. von {e.given} {m.fam(e)}.")]  # type: ignore
        if m.r.random() < 0.4:
            segs += [("edition", f"{m.r.randint(2, 9)}. Aufl.")]
        segs += [("location", place + ":"), ("publisher", pub + ",")]
        segs += [("pages", f"S. {pages}.")] if m.r.random() < 0.4 else []
        if segs[-1][1].endswith(","):
            segs[-1] = (segs[-1][0], segs[-1][1][:-1] + ".")
        return segs
    segs = [("author", f"{m.fam(a)}, {a.given},"), ("title", f"« {m.title()} »,")]  # type: ignore
    if m.r.random() < 0.6:
        segs += [("container-title", f"dans {m.pick(m.p.books)},")]
        if m.r.random() < 0.5:
            segs += [("editor", f"sous la direction de {e.given} {m.fam(e)},")]  # type: ignore
    segs += [("location", place + ","), ("publisher", pub + ","), ("date", year + ","),
             ("pages", f"p. {pages}.")]
    return segs


_STYLES: tuple[tuple[Callable[[_Maker], list[tuple[str, str]]], int], ...] = (
    (_chicago, 4), (_apa, 2), (_mla, 2), (_ieee, 1), (_vancouver, 1), (_humanities, 2),
    (_notes, 1), (_european, 1),
)


def generate(pools: Pools, n: int, seed: int) -> list[Example]:
    """Compose ``n`` labelled references in assorted styles (deterministic for a seed)."""
    if not (pools.names and pools.titles):
        return []
    # Thin pools (a tiny sample) borrow from their neighbours rather than stop generation.
    pools = Pools(names=pools.names, orgs=pools.orgs, titles=pools.titles,
                  journals=pools.journals or pools.titles,
                  books=pools.books or pools.journals or pools.titles,
                  publishers=pools.publishers or ["University Press"],
                  places=pools.places or ["London"], outlets=pools.outlets)
    rng = random.Random(seed)
    maker = _Maker(pools, rng)
    styles = [s for s, w in _STYLES for _ in range(w)]
    out: list[Example] = []
    for _ in range(n):
        segs = rng.choice(styles)(maker)
        raw = " ".join(text for _, text in segs)
        ex = align(raw, [list(s) for s in segs], "synthetic")
        if ex is not None:
            out.append(ex)
    return out
