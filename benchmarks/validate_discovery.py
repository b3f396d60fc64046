"""Validate the ``doi-found`` score threshold on real, labelled reference strings.

Reads the labelled reference sets in ``../shared/data`` (or ``$CITEKIT_SHARED/data``) and builds,
for each reference with a title, an author and a year:

* positives: the same work as a registry would describe it, with the differences seen between
  reference lists and Crossref (other casing, subtitle dropped on one side, year off by one for
  online-first, accents/capitals in names, no authors on record, a typo or two);
* negatives: the most similar *other* titles in the corpus (what a search returns when the work
  itself is not indexed), other works by an author of the same family name, and notices about the
  work itself (correction, review, reply) and numbered siblings (Part 1 / Part 2).

It prints the score distribution and, for each candidate threshold, the share of positives
suggested (recall) and of each kind of negative wrongly suggested. Prints; asserts nothing.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from rapidfuzz import process, fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citekit.check.network.config import NetworkConfig  # noqa: E402
from citekit.check.network.match import RecordView, discovery_score, normalise_text  # noqa: E402
from citekit.model import Date, Entry, Name  # noqa: E402

FILES = ["anystyle_gold.jsonl", "anystyle_core.jsonl", "grobid_citation_evaluation.jsonl"]
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def shared_data() -> Path | None:
    root = os.environ.get("CITEKIT_SHARED")
    if root:
        return Path(root) / "data" if (Path(root) / "data").is_dir() else None
    for folder in Path(__file__).resolve().parents[1].parents:  # ../shared, ../../shared...
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return None


def family_of(author: str) -> str | None:
    first = re.split(r";| and | & |\bet al\b", author, maxsplit=1)[0].strip(" ,.")
    head = first.split(",", 1)[0].strip()
    if "," in first and "." not in head and head:
        return head
    words = [w for w in re.findall(r"[^\W\d_][\w'\-]+", first) if not w.endswith(".")]
    long = [w for w in words if len(w) > 2]
    return (long[-1] if long else None) if words else None


def clean(text: str) -> str:
    return text.strip().strip(" .,;:\u201c\u201d\"'").strip()


def load(data: Path) -> list[dict]:
    out = []
    for name in FILES:
        path = data / name
        if not path.exists():
            continue
        for line in path.open(encoding="utf-8"):
            fields = json.loads(line)["fields"]
            title, author, date = fields.get("title"), fields.get("author"), fields.get("date")
            if not (title and author and date):
                continue
            if isinstance(title, list):
                title = title[0]
            if isinstance(author, list):
                author = author[0]
            if isinstance(date, list):
                date = date[0]
            year = YEAR.search(str(date))
            family = family_of(str(author))
            title = clean(str(title))
            if year and family and len(normalise_text(title)) >= 12:
                out.append({"title": title, "family": clean(family), "year": int(year.group(1))})
    return out


def as_entry(rec: dict) -> Entry:
    return Entry(id="x", title=rec["title"], author=[Name(family=rec["family"], given="A.")],
                 issued=Date(year=rec["year"]))


def as_record(title: str, family: str | None, year: int | None) -> RecordView:
    return RecordView(title=title, families=[family] if family else [], year=year, doi="10.1/x")


def registry_version(rec: dict, rng: random.Random) -> RecordView:
    title, family, year = rec["title"], rec["family"], rec["year"]
    roll = rng.random()
    if roll < 0.15:
        title = title.upper()
    elif roll < 0.3:
        title = title.lower()
    elif roll < 0.45:
        title = title.title()
    if ":" in title and rng.random() < 0.5:
        title = title.split(":", 1)[0]
    if rng.random() < 0.1:
        year += rng.choice((-1, 1))
    if rng.random() < 0.1:
        family = family.upper()
    if rng.random() < 0.05:
        family = None
    if rng.random() < 0.1 and len(title) > 20:
        i = rng.randrange(len(title))
        title = title[:i] + rng.choice("aeiou") + title[i + 1:]
    return as_record(title, family, year)


def main() -> None:
    data = shared_data()
    if data is None:
        print("shared data not found (set CITEKIT_SHARED); nothing to validate")
        return
    recs = load(data)
    rng = random.Random(4)
    titles = [normalise_text(r["title"]) for r in recs]
    by_family: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        by_family[normalise_text(r["family"])].append(i)
    scores: dict[str, list[float]] = defaultdict(list)
    duplicates = 0

    def same_work(a: dict, b: dict) -> bool:
        """The corpus cites some works twice (e.g. with a hyphenation break): not a negative."""
        return (normalise_text(a["family"]) == normalise_text(b["family"]) and
                abs(a["year"] - b["year"]) <= 1 and
                fuzz.ratio(normalise_text(a["title"]).replace(" ", ""),
                           normalise_text(b["title"]).replace(" ", "")) >= 90)

    for i, rec in enumerate(recs):
        entry = as_entry(rec)
        scores["positive"].append(discovery_score(entry, registry_version(rec, rng)))
        for _, _, j in process.extract(titles[i], titles, scorer=fuzz.token_set_ratio, limit=4):
            if j != i and titles[j] != titles[i]:
                other = recs[j]
                if same_work(rec, other):
                    duplicates += 1
                    continue
                scores["similar title"].append(discovery_score(
                    entry, as_record(other["title"], other["family"], other["year"])))
        for j in by_family[normalise_text(rec["family"])][:6]:
            if j != i and titles[j] != titles[i]:
                other = recs[j]
                if same_work(rec, other):
                    duplicates += 1
                    continue
                scores["same author family"].append(discovery_score(
                    entry, as_record(other["title"], other["family"], other["year"])))
        for prefix in ("Correction to: ", "Review of ", "Reply to "):
            scores["notice about the work"].append(discovery_score(
                entry, as_record(prefix + rec["title"], rec["family"], rec["year"])))
        scores["numbered sibling"].append(discovery_score(
            entry, as_record(rec["title"] + ", Part 2", rec["family"], rec["year"])))
    default = NetworkConfig().discovery_threshold
    print(f"{len(recs)} labelled references from {', '.join(FILES)}; {duplicates} candidate "
          f"negatives skipped as the same work cited twice")
    def q(vals: list[float], p: float) -> float:
        return vals[min(len(vals) - 1, int(p * len(vals)))]

    for kind, vals in scores.items():
        vals.sort()
        print(f"  {kind:24s} n={len(vals):5d}  min {vals[0]:5.1f}  p5 {q(vals, 0.05):5.1f}  "
              f"median {q(vals, 0.5):5.1f}  p95 {q(vals, 0.95):5.1f}  max {vals[-1]:5.1f}")
    print("threshold  recall  " + "  ".join(f"{k} FP" for k in scores if k != "positive"))
    for threshold in (75, 80, 82, 85, 88, 90, 92, 95):
        recall = sum(v >= threshold for v in scores["positive"]) / len(scores["positive"])
        fps = [sum(v >= threshold for v in vals) / max(1, len(vals))
               for k, vals in scores.items() if k != "positive"]
        mark = "  <- default" if threshold == default else ""
        print(f"  {threshold:5d}   {recall:6.1%}  " + "  ".join(f"{fp:8.2%}" for fp in fps) + mark)


if __name__ == "__main__":
    main()
