"""Generate a realistic, seeded CSL-JSON corpus for the rendering benchmarks and conformance tests.

    python benchmarks/make_corpus.py [-n 2000] [--seed 5] [-o tests/fixtures/render/corpus_2000.csl.json]

The mix follows what commentaries and papers cite: journal articles, web pages and news, books,
chapters in edited volumes, reports by organisations, edited volumes without authors; with
particles (van, de, von, al-, d'), non-ASCII names, same-author-same-year pairs, apostrophes,
quoted words and italics in titles. The same seed always gives the same corpus.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "render" / "corpus_2000.csl.json"

FAMILIES = [
    "Smith", "Johnson", "Kim", "Lee", "Park", "Chen", "Wang", "Li", "Zhang", "Nguyen", "Tanaka",
    "Suzuki", "Müller", "Schmidt", "Dubois", "Martin", "García", "Fernández", "Rossi", "Russo",
    "Kowalski", "Nowak", "Ivanov", "Petrov", "Østergaard", "Åberg", "Öztürk", "Şahin", "Yılmaz",
    "Ó Briain", "O'Neill", "McCarthy", "Easley", "Chow", "Fish", "Kelly", "Kwak", "Ha", "Chun",
    "Zhou", "Abadi", "Haddad", "Cohen", "Levi", "Novák", "Dvořák", "Lindqvist", "Nakamura",
    "Sato", "Gupta", "Sharma", "Singh", "Okafor", "Mensah", "Silva", "Santos", "Costa", "Brown",
    "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Clarke", "Jackson", "Harris", "Lewis", "Young", "King",
]
PARTICLE_NAMES = [
    {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
    {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
    {"family": "Rashid", "given": "Ahmed", "non-dropping-particle": "al-"},
    {"family": "Alembert", "given": "Jean", "non-dropping-particle": "d'"},
    {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"},
    {"family": "Boer", "given": "Anne", "non-dropping-particle": "de"},
    {"family": "Vries", "given": "Hugo", "non-dropping-particle": "de"},
    {"family": "La Fontaine", "given": "Jean", "dropping-particle": "de"},
    {"family": "Souza", "given": "Maria", "non-dropping-particle": "de"},
    {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
]
GIVENS = [
    "Jonathan T.", "Leif-Eric", "Amanda", "Young-sun", "Yang Gyu", "Robert E.", "Soo-yeon",
    "Yeon-soo", "Sang-yong", "Wootae", "Chaesung", "Anna", "Maria", "José", "Zoë", "Søren",
    "Ingrid", "Mehmet", "Ayşe", "Hiroshi", "Yuki", "Wei", "Xiaoming", "Priya", "Arjun",
    "Chinedu", "Kwame", "Olga", "Dmitri", "Ewa", "Jan", "Pierre", "Élodie", "Luca", "Giulia",
    "Sarah", "David", "Emily", "Michael", "Laura", "Thomas", "Claire", "Peter", "Helen", "James",
    "J. R.", "A. B.", "Mary Ann", "Jean-Paul", "Hans-Peter",
]
ORGS = [
    "World Bank", "Ministry of Unification", "Lowy Institute", "OECD", "United Nations",
    "Korea Institute for National Unification", "International Crisis Group",
    "World Health Organization", "European Commission", "Asan Institute for Policy Studies",
    "Congressional Research Service", "International Monetary Fund",
]
JOURNALS = [
    ("Contemporary Security Policy", "Contemp. Secur. Policy"), ("Asian Survey", None),
    ("Pacific Review", None), ("Korean Social Science Journal", None),
    ("Asian International Studies Review", None), ("Journal of East Asian Studies", None),
    ("International Security", "Int. Secur."), ("World Politics", None),
    ("American Political Science Review", "Am. Polit. Sci. Rev."), ("Nature", None),
    ("Journal of Peace Research", None), ("The China Quarterly", None),
    ("Foreign Affairs", None), ("Political Science Quarterly", None),
    ("Review of International Studies", None), ("Journal of Strategic Studies", None),
]
OUTLETS = ["Global NK", "38 North", "CNA", "Yonhap", "Korea Times", "The Diplomat",
           "East Asia Forum", "Foreign Policy", "The Guardian", "Le Monde", "NK News",
           "War on the Rocks", "The Korea Herald", "Nikkei Asia"]
PUBLISHERS = [("Cambridge University Press", "Cambridge"), ("Oxford University Press", "Oxford"),
              ("Routledge", "London"), ("Columbia University Press", "New York"),
              ("Stanford University Press", "Stanford, CA"), ("Palgrave Macmillan", "Basingstoke"),
              ("Brookings Institution Press", "Washington, DC"), ("Suhrkamp", "Berlin"),
              ("Seoul National University Press", "Seoul"), ("Springer", "Cham")]
TITLE_WORDS = [
    "North Korea", "China", "alliance", "deterrence", "sanctions", "human security",
    "regional order", "nationalism", "identity", "diplomacy", "soft power", "nuclear strategy",
    "public opinion", "trade", "economic statecraft", "the Korean Peninsula", "Japan",
    "Russia", "Myanmar", "great-power competition", "institutions", "norms", "legitimacy",
    "information control", "migration", "energy security", "climate policy", "democracy",
]
TITLE_FORMS = [
    "{A} and {B}: Rethinking {C}",
    "The Politics of {A}",
    "Why {A} Matters for {B}",
    "{A} in an Age of {B}",
    "Beyond {A}: {B} and {C} Reconsidered",
    "Renegotiating {A}: Evidence from {B}",
    "How {A} Shapes {B}",
    "{A}, {B}, and the Limits of {C}",
    "Understanding {A}'s Response to {B}",
    "The \"{A}\" Debate and {B}",
    "Reading <i>{A}</i> Again",
    "What Happened to {A}?",
    "{A}: A Survey",
    "The Rise and Fall of {A}",
]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(rng: random.Random) -> str:
    a, b, c = rng.sample(TITLE_WORDS, 3)
    return TITLE_FORMS[rng.randrange(len(TITLE_FORMS))].format(A=_cap(a), B=_cap(b), C=_cap(c))


def _person(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.06:
        return dict(rng.choice(PARTICLE_NAMES))
    return {"family": rng.choice(FAMILIES), "given": rng.choice(GIVENS)}


def _people(rng: random.Random) -> list[dict[str, Any]]:
    count = rng.choices([1, 2, 3, 4, 5, 8, 12, 22], weights=[40, 28, 12, 7, 5, 4, 2, 2])[0]
    return [_person(rng) for _ in range(count)]


def _date(rng: random.Random, precision: str) -> dict[str, Any]:
    year = rng.randint(1995, 2024)
    parts = [year]
    if precision in ("month", "day"):
        parts.append(rng.randint(1, 12))
    if precision == "day":
        parts.append(rng.randint(1, 28))
    return {"date-parts": [parts]}


def _pages(rng: random.Random) -> str:
    first = rng.randint(1, 1200)
    return f"{first}-{first + rng.randint(5, 40)}"


def _doi(rng: random.Random, n: int) -> str:
    return f"10.{rng.randint(1000, 9999)}/{rng.choice(['as', 'jps', 'isec', 'csp'])}.{2000 + n}.{rng.randint(100, 99999)}"


def make_item(rng: random.Random, n: int) -> dict[str, Any]:
    """One random but plausible CSL-JSON item."""
    kind = rng.choices(
        ["article-journal", "webpage", "article-newspaper", "book", "chapter", "report",
         "edited-book", "thesis", "paper-conference"],
        weights=[34, 14, 12, 12, 10, 8, 4, 3, 3])[0]
    item: dict[str, Any] = {"id": f"item{n:04d}", "type": kind, "title": _title(rng)}
    if kind == "article-journal":
        journal, short = rng.choice(JOURNALS)
        item.update({"author": _people(rng), "container-title": journal,
                     "volume": str(rng.randint(1, 80)), "issued": _date(rng, "year")})
        if short:
            item["container-title-short"] = short
        if rng.random() < 0.8:
            item["issue"] = str(rng.randint(1, 12))
        if rng.random() < 0.9:
            item["page"] = _pages(rng)
        if rng.random() < 0.6:
            item["DOI"] = _doi(rng, n)
        elif rng.random() < 0.5:
            item["URL"] = f"https://journals.example.org/article/{n}"
    elif kind in ("webpage", "article-newspaper"):
        item.update({"container-title": rng.choice(OUTLETS), "issued": _date(rng, "day"),
                     "URL": f"https://www.example-news.org/{2000 + n}/{rng.randint(1, 99999)}"})
        item["author"] = [{"literal": rng.choice(ORGS)}] if rng.random() < 0.15 else _people(rng)[:2]
        if rng.random() < 0.3:
            item["accessed"] = {"date-parts": [[2024, rng.randint(1, 12), rng.randint(1, 28)]]}
    elif kind in ("book", "edited-book"):
        publisher, place = rng.choice(PUBLISHERS)
        item.update({"type": "book", "publisher": publisher, "publisher-place": place,
                     "issued": _date(rng, "year")})
        if kind == "edited-book":
            item["editor"] = _people(rng)[:3]
        else:
            item["author"] = _people(rng)[:3]
            if rng.random() < 0.1:
                item["translator"] = [_person(rng)]
        if rng.random() < 0.15:
            item["edition"] = str(rng.randint(2, 5))
    elif kind == "chapter":
        publisher, place = rng.choice(PUBLISHERS)
        item.update({"author": _people(rng)[:2], "editor": _people(rng)[:3],
                     "container-title": _title(rng), "publisher": publisher,
                     "publisher-place": place, "page": _pages(rng), "issued": _date(rng, "year")})
    elif kind == "report":
        item.update({"issued": _date(rng, rng.choice(["year", "month", "day"])),
                     "publisher": rng.choice(ORGS)})
        if rng.random() < 0.5:
            item["author"] = [{"literal": item["publisher"]}]
        else:
            item["author"] = _people(rng)
        if rng.random() < 0.7:
            item["URL"] = f"https://reports.example.org/{n}.pdf"
        if rng.random() < 0.3:
            item["number"] = f"{rng.randint(1, 99)}-{rng.randint(1, 9)}"
    elif kind == "thesis":
        publisher, place = rng.choice(PUBLISHERS)
        item.update({"author": [_person(rng)], "genre": "PhD diss.",
                     "publisher": publisher.replace(" Press", "").replace("University", "University"),
                     "issued": _date(rng, "year")})
    else:  # paper-conference
        item.update({"author": _people(rng)[:4], "container-title": "Proceedings of the "
                     + rng.choice(["Annual Meeting", "International Conference", "Workshop"])
                     + " on " + _cap(rng.choice(TITLE_WORDS)),
                     "page": _pages(rng), "issued": _date(rng, "year")})
    return item


def generate(n: int = 2000, seed: int = 5) -> list[dict[str, Any]]:
    """``n`` items; about one in twenty shares its first author and year with the one before."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    while len(items) < n:
        item = make_item(rng, len(items))
        items.append(item)
        if len(items) < n and rng.random() < 0.05 and item.get("author"):
            twin = make_item(rng, len(items))
            twin["type"] = item["type"] if item["type"] != "chapter" else "article-journal"
            twin["author"] = [dict(a) for a in item["author"]]
            twin["issued"] = json.loads(json.dumps(item["issued"]))
            if twin["type"] == "article-journal" and "container-title" not in twin:
                twin["container-title"] = rng.choice(JOURNALS)[0]
            items.append(twin)
    return items


def main(argv: list[str] | None = None) -> int:
    """Write the corpus as CSL-JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUT))
    args = parser.parse_args(argv)
    items = generate(args.n, args.seed)
    Path(args.output).write_text(json.dumps(items, ensure_ascii=False, indent=0) + "\n",
                                 encoding="utf-8")
    print(f"wrote {len(items)} items to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
