"""Scaling of every normaliser step on adversarial input: prints seconds at n and 10n characters
and their ratio (about 10 means linear; about 100 would mean quadratic). Does not assert.

    python benchmarks/normalise_scaling.py [n]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from citekit.model import Date, Entry, Name
from citekit.normalise import (
    DEFAULT_STACK,
    clean_doi,
    date_in_url,
    doi_from_url,
    is_valid_doi,
    normalise_entry,
    url_issues,
)

# Each builder returns an entry whose fields are about n characters of hostile text.
BUILDERS: dict[str, Callable[[int], Entry]] = {
    "url: whitespace runs": lambda n: Entry(url="https://a.org/" + " " * n + "x"),
    "url: many pieces": lambda n: Entry(url="https://a.org/" + "a/ " * (n // 3)),
    "url: prose pieces": lambda n: Entry(url="https://a.org/x" + " word" * (n // 5)),
    "url: closing brackets": lambda n: Entry(url="https://a.org/" + ")" * n),
    "url: fragments": lambda n: Entry(url="https://a.org/#" + ":~:" * (n // 3)),
    "url: doi views": lambda n: Entry(url="https://a.org/10.1000/x" + "/pdf" * (n // 4) + "X"),
    "doi: digits": lambda n: Entry(doi="10.1000/" + "1" * n + "-"),
    "doi: sici": lambda n: Entry(doi="10.1234/1-" + "1" * n + "<"),
    "doi: prefixes": lambda n: Entry(doi="doi:" * (n // 4) + "10.1000/x"),
    "title: quotes": lambda n: Entry(title="\u201c" * (n // 2) + "x" + "\u201d" * (n // 2)),
    "title: periods": lambda n: Entry(title="Foo" + ". " * (n // 2)),
    "title: long word": lambda n: Entry(title="a" * n + " end."),
    "names: whitespace": lambda n: Entry(author=[Name(family=" " * n + "EASLEY",
                                                      given="J." * (n // 2))]),
    "pages: dashes": lambda n: Entry(page="1" + " -" * (n // 2)),
    "pages: spaces": lambda n: Entry(page="pp." + " " * n + "1 " + " " * n + "-2"),
    "dates: tokens": lambda n: Entry(issued=Date(2024), extra={"date-text": "May 3 " * (n // 6)}),
}


def run(build: Callable[[int], Entry], n: int) -> float:
    entry = build(n)
    start = time.perf_counter()
    normalise_entry(entry, DEFAULT_STACK)
    normalise_entry(entry, DEFAULT_STACK)
    if entry.url:
        url_issues(entry.url)
        date_in_url(entry.url)
        doi_from_url(entry.url)
    if entry.doi:
        clean_doi(entry.doi)
        is_valid_doi(entry.doi)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(f"{'input':28} {'n=' + str(n):>12} {'n=' + str(10 * n):>12} {'ratio':>7}")
    for name, build in BUILDERS.items():
        small, large = run(build, n), run(build, 10 * n)
        print(f"{name:28} {small:12.4f} {large:12.4f} {large / max(small, 1e-9):7.1f}")


if __name__ == "__main__":
    main()
