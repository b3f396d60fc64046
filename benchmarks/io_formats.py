"""Throughput of the structured-format readers and writers (entries per second, one core).

Builds a synthetic BibTeX file of N distinct entries (LaTeX accents, braces, @string references,
unknown fields), converts it once to CSL-JSON and RIS, then times reading and writing each
format. Prints figures; asserts nothing. Usage: python benchmarks/io_formats.py [N]
"""

from __future__ import annotations

import sys
import time

from citekit.readers import loads
from citekit.writers import dumps

ACCENTS = ["M{\\\"u}ller", "Garc{\\'\\i}a", "{\\AA}ngstr{\\\"o}m", "Fran{\\c{c}}ois", "Smith"]


def make_bibtex(n: int) -> str:
    """N distinct, realistic-looking BibLaTeX entries."""
    parts = ['@string{jour = "Journal of Synthetic Studies"}\n']
    for i in range(n):
        family = ACCENTS[i % len(ACCENTS)]
        parts.append(
            f"@article{{key{i},\n"
            f"  author = {{{family}, Anna{i} and Lee, Wootae{i} and {{Institute {i}}}"
            f" and others}},\n"
            f"  title = {{On {{NATO}} and the {{Korean}} Question, Part {i}}},\n"
            f"  journal = jour,\n  year = {1950 + i % 70},\n  month = apr,\n"
            f"  volume = {{{i % 90}}},\n  number = {{{i % 12}}},\n  pages = {{{i}--{i + 20}}},\n"
            f"  doi = {{10.1000/xyz.{i}}},\n  file = {{:paper{i}.pdf:PDF}},\n}}\n\n")
    return "".join(parts)


def timed(label: str, n: int, func: object) -> object:
    start = time.perf_counter()
    result = func()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"{label:<22} {n / elapsed:>10,.0f} entries/s  ({elapsed:.2f} s)")
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    bibtex = make_bibtex(n)
    print(f"{n} entries, {len(bibtex):,} characters of BibTeX")
    bib = timed("read bibtex", n, lambda: loads(bibtex, "bibtex"))
    timed("write bibtex", n, lambda: dumps(bib, "bibtex"))  # type: ignore[arg-type]
    csl = timed("write csl-json", n, lambda: dumps(bib, "csl-json"))  # type: ignore[arg-type]
    timed("read csl-json", n, lambda: loads(csl, "csl-json"))  # type: ignore[arg-type]
    for entry in bib:  # type: ignore[attr-defined]
        entry.extra.pop("bibtex", None)
    ris = timed("write ris", n, lambda: dumps(bib, "ris"))  # type: ignore[arg-type]
    timed("read ris", n, lambda: loads(ris, "ris"))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
