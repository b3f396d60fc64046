"""Run the CSL processor test suite through citekit and through citeproc-py used plainly.

Prints passed/total per feature group (the file-name prefix) and overall, for both engines.

    python benchmarks/csl_suite.py [--suite DIR] [--only citekit|plain] [--write-ledger FILE]

The suite's ``humans/`` folder comes from ``--suite``, else ``$CSL_TEST_SUITE``, else
``../shared/csl-test-suite/humans`` next to (or above) the repository. Fixtures in a mode other
than ``citation`` or ``bibliography`` are not run. ``--write-ledger`` stores the names of the
fixtures citekit fails, which ``tests/test_render_csl_suite.py`` uses to catch regressions.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import signal
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citekit.errors import CitekitError  # noqa: E402
from citekit.render import render  # noqa: E402

_SECTION_RE = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", re.DOTALL)
RUNNABLE_MODES = ("citation", "bibliography")


@dataclass
class Outcome:
    """One fixture's result."""

    name: str
    group: str
    passed: bool
    expected: str = ""
    actual: str = ""
    error: str = ""


def find_suite(option: str | None = None) -> Path | None:
    """The suite's humans/ folder, or None when it is not there."""
    candidates: list[Path] = []
    if option:
        candidates.append(Path(option))
    if os.environ.get("CSL_TEST_SUITE"):
        candidates.append(Path(os.environ["CSL_TEST_SUITE"]))
    for folder in ROOT.parents:
        candidates.append(folder / "shared" / "csl-test-suite" / "humans")
    for path in candidates:
        if path.is_dir() and (path / "humans").is_dir():
            path = path / "humans"
        if path.is_dir() and any(path.glob("*.txt")):
            return path
    return None


def parse_fixture(text: str) -> dict[str, str]:
    """The sections of a fixture file, by name."""
    return {m.group(1): m.group(2) for m in _SECTION_RE.finditer(text)}


def _normalise(text: str) -> str:
    return html.unescape(text).strip()


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"fixture took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _citations(sections: dict[str, str]) -> tuple[list[list[dict[str, Any]]], bool]:
    """The fixture's citations as lists of cite objects, and whether they came from CITATIONS."""
    if "CITATIONS" in sections:
        data = json.loads(sections["CITATIONS"])
        return [list(entry[0].get("citationItems", [])) for entry in data], True
    if "CITATION-ITEMS" in sections:
        return [list(group) for group in json.loads(sections["CITATION-ITEMS"])], False
    return [], False


def _citations_steps(sections: dict[str, str]) -> list[list[tuple[str, list[dict[str, Any]]]]]:
    """For CITATIONS fixtures: the document's citations (id, cites) after each step, in order.

    Each step adds or replaces one citation (by citationID) and says which citations come
    before and after it, as citeproc-js's processCitationCluster does.
    """
    current: dict[str, list[dict[str, Any]]] = {}
    steps = []
    for citation, before, after in json.loads(sections["CITATIONS"]):
        cid = str(citation.get("citationID", len(current)))
        current[cid] = list(citation.get("citationItems", []))
        order = [str(c[0]) for c in before] + [cid] + [str(c[0]) for c in after]
        steps.append([(c, current[c]) for c in order if c in current])
    return steps


def _render_citations_steps(items: list[dict[str, Any]], style: Path, fidelity: bool,
                            steps: list[list[tuple[str, list[dict[str, Any]]]]]) -> str:
    """Render each step; mark with ">>" the citations the last step changed, as the suite does."""
    previous: dict[str, str] = {}
    texts: list[tuple[str, str]] = []
    for step in steps:
        before = dict(texts)
        result = render(items, style=str(style), format="html",
                        cite_keys=[cites for _, cites in step], fidelity=fidelity, link_urls=False)
        texts = [(cid, text) for (cid, _), text in zip(step, result.citations)]
        previous = before
    lines = []
    for i, (cid, text) in enumerate(texts):
        mark = ">>" if previous.get(cid) != text else ".."
        lines.append(f"{mark}[{i}] {text}")
    return "\n".join(lines)


def run_fixture(path: Path, fidelity: bool, workdir: Path) -> Outcome | None:
    """Run one fixture; None when its mode is not runnable."""
    sections = parse_fixture(path.read_text(encoding="utf-8"))
    name = path.stem
    group = name.split("_", 1)[0]
    mode = sections.get("MODE", "").strip()
    if mode not in RUNNABLE_MODES:
        return None
    expected = _normalise(sections.get("RESULT", ""))
    style = workdir / f"{name}.csl"
    style.write_text(sections.get("CSL", ""), encoding="utf-8")
    try:
        items = json.loads(sections.get("INPUT", "[]"))
        for n, item in enumerate(items):  # an item without an id gets the one render() gives
            if isinstance(item, dict) and not item.get("id"):
                item["id"] = f"item-{n + 1}"
        citations, numbered = _citations(sections)
        with _time_limit(10):
            if mode == "citation":
                if not citations:  # like citeproc-js's runner: all items, in registry order
                    order = render(items, style=str(style), format="html",
                                   fidelity=fidelity, link_urls=False).keys
                    ids = order + [str(i["id"]) for i in items if str(i["id"]) not in order]
                    citations = [[{"id": i} for i in ids]]
                if numbered:
                    actual = _render_citations_steps(items, style, fidelity,
                                                     _citations_steps(sections))
                else:
                    result = render(items, style=str(style), format="html", cite_keys=citations,
                                    fidelity=fidelity, link_urls=False)
                    actual = "\n".join(result.citations)
            else:
                if "BIBENTRIES" in sections:
                    wanted = json.loads(sections["BIBENTRIES"])[-1]
                    by_id = {str(item["id"]): item for item in items}
                    items = [by_id[str(i)] for i in wanted if str(i) in by_id]
                elif citations:
                    cited = {str(c["id"]) for group in citations for c in group}
                    items = [item for item in items if str(item["id"]) in cited]
                result = render(items, style=str(style), format="html", cite_keys=citations,
                                fidelity=fidelity, link_urls=False)
                actual = result.bibliography()
    except (CitekitError, TimeoutError, ValueError, KeyError, TypeError) as exc:
        return Outcome(name, group, False, expected, "", f"{type(exc).__name__}: {exc}")
    actual = _normalise(actual)
    return Outcome(name, group, actual == expected, expected, actual)


def run_suite(suite: Path, fidelity: bool, names: list[str] | None = None) -> list[Outcome]:
    """Run every runnable fixture (or only ``names``) and return the outcomes."""
    import warnings

    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = sorted(suite.glob("*.txt"))
        if names is not None:
            wanted = set(names)
            paths = [p for p in paths if p.stem in wanted]
        for path in paths:
            outcome = run_fixture(path, fidelity, Path(tmp))
            if outcome is not None:
                outcomes.append(outcome)
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """passed/total per group."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        table[o.group][1] += 1
        table[o.group][0] += int(o.passed)
    return {g: (p, t) for g, (p, t) in sorted(table.items())}


def main(argv: list[str] | None = None) -> int:
    """Print the per-group and overall pass rates of citeproc-py alone and of citekit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", help="the test suite's humans/ folder")
    parser.add_argument("--only", choices=["citekit", "plain"])
    parser.add_argument("--write-ledger", metavar="FILE",
                        help="write the names of the fixtures citekit fails to FILE")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args(argv)
    suite = find_suite(args.suite)
    if suite is None:
        print("CSL test suite not found: pass --suite or set CSL_TEST_SUITE", file=sys.stderr)
        return 2
    engines = [("citeproc-py", False), ("citekit", True)]
    if args.only:
        engines = [e for e in engines if e[0].startswith(args.only[:5])]
    results: dict[str, dict[str, tuple[int, int]]] = {}
    totals: dict[str, tuple[int, int]] = {}
    for label, fidelity in engines:
        start = time.perf_counter()
        outcomes = run_suite(suite, fidelity)
        elapsed = time.perf_counter() - start
        results[label] = summary(outcomes)
        passed = sum(o.passed for o in outcomes)
        totals[label] = (passed, len(outcomes))
        print(f"{label}: {passed}/{len(outcomes)} fixtures "
              f"({100 * passed / max(len(outcomes), 1):.1f}%) in {elapsed:.1f} s")
        if fidelity and args.write_ledger:
            failed = sorted(o.name for o in outcomes if not o.passed)
            Path(args.write_ledger).write_text(
                "# CSL test-suite fixtures citekit does not pass yet (benchmarks/csl_suite.py "
                "--write-ledger).\n" + "".join(f"{n}\n" for n in failed), encoding="utf-8")
        if args.show_failures:
            for o in outcomes:
                if not o.passed:
                    print(f"  FAIL {o.name}: {o.error or ''}")
    groups = sorted({g for table in results.values() for g in table})
    labels = list(results)
    print()
    print(f"{'group':<16}" + "".join(f"{label:>16}" for label in labels))
    for g in groups:
        cells = []
        for label in labels:
            p, t = results[label].get(g, (0, 0))
            cells.append(f"{p:>7}/{t:<8}")
        print(f"{g:<16}" + "".join(f"{c:>16}" for c in cells))
    print(f"{'overall':<16}" + "".join(
        f"{f'{totals[label][0]}/{totals[label][1]}':>16}" for label in labels))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
