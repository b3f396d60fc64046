"""Parser throughput: references per second, one core, warm; plus the adversarial worst case.

Corpus: the labelled real reference strings in ``../shared/data`` (read in place, never copied) and
a generated set of Chicago author-date strings shaped like the seeds. Run:

    python benchmarks/bench_parser.py [--shared ../shared] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

from citekit import parse_reference
from citekit.readers import loads

ROOT = Path(__file__).resolve().parents[1]


def real_strings(shared: Path) -> list[str]:
    """Raw reference strings from the shared labelled data (empty if it is absent)."""
    out: list[str] = []
    for name in ("anystyle_core.jsonl", "anystyle_gold.jsonl", "grobid_citation_evaluation.jsonl"):
        path = shared / "data" / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                out.extend(json.loads(line)["raw"] for line in fh if line.strip())
    return out


def generated_strings(n: int, seed: int = 7) -> list[str]:
    """Chicago author-date strings in the seeds' shape, with their defects."""
    rng = random.Random(seed)
    fam = ["Kim", "Lee", "Park", "Easley", "Chow", "Smith", "Nguyen", "Garc\u00eda", "M\u00fcller"]
    giv = ["Jonathan T.", "Soo-yeon", "Leif-Eric", "Amanda", "Yang Gyu", "Maria", "J."]
    orgs = ["World Bank", "Lowy Institute", "Ministry of Unification", "Asan Institute"]
    jour = ["Asian Survey", "Pacific Review", "Contemporary Security Policy", "Journal of Peace"]
    sites = ["Global NK", "38 North", "Yonhap", "Korea Times", "CNA"]
    out = []
    for i in range(n):
        kind = i % 4
        a = f"{rng.choice(fam)}, {rng.choice(giv)}"
        if rng.random() < 0.3:
            a += f" and {rng.choice(giv)} {rng.choice(fam)}"
        year = rng.randint(1990, 2024)
        title = " ".join(rng.choice(["North", "Korea", "Policy", "Alliance", "Rise", "Order", "Shift",
                                     "Security", "Trade"]) for _ in range(rng.randint(3, 9)))
        if kind == 0:
            out.append(f"{a}. {year}. \u201c{title}.\u201d {rng.choice(jour)}, {rng.randint(1, 70)}"
                       f"({rng.randint(1, 6)}): {rng.randint(1, 400)}-{rng.randint(401, 900)}. "
                       f"https://doi.org/10.{rng.randint(1000, 9999)}/x.{year}.{i}")
        elif kind == 1:
            out.append(f"{a}. {year}. \u201c{title}.\u201d {rng.choice(sites)}. May {rng.randint(1, 28)}. "
                       f"https://www.example{i % 50}.org /news/{year}/{i}.html")
        elif kind == 2:
            out.append(f"{rng.choice(orgs)}. {year}. {title}. https://data.example.org/{i}#:~:text=a%20b")
        else:
            out.append(f"{a}, et al. {year}. \u201c{title}.\u201d Korea Institute for National "
                       f"Unification. April. https://www.kinu.or.kr/report/{i}")
    return out


def throughput(strings: list[str], repeat: int) -> float:
    """Best-of-``repeat`` references per second (warm: one untimed pass first)."""
    for s in strings[:200]:
        parse_reference(s)
    rates = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for s in strings:
            parse_reference(s)
        rates.append(len(strings) / (time.perf_counter() - t0))
    return max(rates)


def adversarial() -> list[tuple[str, int, float]]:
    """Seconds to parse hostile inputs at two sizes (linear growth ⇒ about 2× per doubling)."""
    shapes = {
        "long whitespace run": lambda n: "A" + " " * n + "b",
        "many initials": lambda n: "Smith, " + "A. " * (n // 3) + "2020.",
        "repeated years": lambda n: "Smith, J. " + "2020 " * (n // 5),
        "unclosed quote": lambda n: "Smith. 2020. \u201c" + "word ' " * (n // 7),
        "many vol(issue)": lambda n: "Smith. 2020. Title. J" + " 12(3)" * (n // 6) + "x",
        "nested parentheses": lambda n: "(" * (n // 2) + "Smith 2020" + ")" * (n // 2),
    }
    rows = []
    for label, make in shapes.items():
        for n in (5_000, 10_000, 20_000):
            text = make(n)
            t0 = time.perf_counter()
            parse_reference(text)
            loads(text, "text")
            rows.append((label, len(text), time.perf_counter() - t0))
    return rows


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    real = real_strings(args.shared)
    gen = generated_strings(2000)
    print(f"corpus: {len(real)} real strings from the shared data, {len(gen)} generated author-date")
    if real:
        print(f"real strings (all styles):   {throughput(real, args.repeat):8.0f} refs/s")
    print(f"generated author-date:       {throughput(gen, args.repeat):8.0f} refs/s")
    both = real + gen
    print(f"all {len(both)} strings:          {throughput(both, args.repeat):8.0f} refs/s")
    # Linearity in input size: the same corpus doubled should take about twice as long.
    t1 = time.perf_counter(); [parse_reference(s) for s in both]; t1 = time.perf_counter() - t1
    t2 = time.perf_counter(); [parse_reference(s) for s in both * 2]; t2 = time.perf_counter() - t2
    print(f"linearity: {len(both)} refs {t1:.3f}s, {2 * len(both)} refs {t2:.3f}s (ratio {t2 / t1:.2f})")
    print("adversarial inputs (chars, seconds):")
    for label, size, secs in adversarial():
        print(f"  {label:22s} {size:7d} {secs:8.4f}")
    sizes = [len(s) for s in both]
    print(f"median reference length {statistics.median(sizes):.0f} chars")


if __name__ == "__main__":
    main()
