"""Save citekit's rendered outputs, or compare them with a saved snapshot (for refactoring).

    python benchmarks/render_snapshot.py save FILE [--plain] [--suite DIR] [--styles a,b]
    python benchmarks/render_snapshot.py compare FILE [--no-plain] [--no-suite] [--styles a,b]

``save`` renders the 2,000-item corpus and the seed bibliography in the ten styles of
``compare_citeproc_js.py`` (text and HTML; bibliography, one citation per entry, citations of
three entries and cites with locators), plus every runnable fixture of the CSL test suite when it
is found, and writes everything (entries, keys, citations, failures) to FILE (JSON, gzipped when
FILE ends in ``.gz``). ``--plain`` adds citeproc-py used plainly (slow). ``compare`` renders
the same things again and prints every difference; the exit code is 1 when there is one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from citekit.errors import CitekitError  # noqa: E402
from citekit.render import render  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "render"
STYLES = ["apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right",
          "ieee", "vancouver", "nature", "american-political-science-association",
          "chicago-note-bibliography", "eai-commentary"]
INPUTS = {"corpus": FIXTURES / "corpus_2000.csl.json", "seed": FIXTURES / "seed_refs.csl.json"}


def _cite_groups(items: list[dict[str, Any]]) -> list[Any]:
    """One citation per entry, then groups of three, then cites with a locator and affixes."""
    ids = [str(i["id"]) for i in items]
    groups: list[Any] = [[i] for i in ids]
    groups += [ids[n:n + 3] for n in range(0, len(ids), 37)]
    groups += [[{"id": i, "locator": str(n % 90 + 1), "label": "page", "prefix": "see "}]
               for n, i in enumerate(ids[::53])]
    return groups


def _render(items: list[dict[str, Any]], style: str, fmt: str, fidelity: bool) -> dict[str, Any]:
    try:
        result = render(items, style=style, locale="en-US", format=fmt,
                        cite_keys=_cite_groups(items), fidelity=fidelity)
    except CitekitError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"keys": result.keys, "entries": result.entries, "citations": result.citations,
            "failures": result.failures}


def snapshot(plain: bool, suite: str | None, styles: list[str],
             with_suite: bool = True) -> dict[str, Any]:
    """Everything rendered, keyed by a readable name."""
    out: dict[str, Any] = {}
    engines = [("citekit", True)] + ([("citeproc-py", False)] if plain else [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, path in INPUTS.items():
            items = json.loads(path.read_text(encoding="utf-8"))
            for style in styles:
                for fmt in ("text", "html"):
                    for label, fidelity in engines:
                        start = time.perf_counter()
                        out[f"{label}/{name}/{style}/{fmt}"] = _render(items, style, fmt, fidelity)
                        print(f"{label}/{name}/{style}/{fmt}: {time.perf_counter() - start:.1f} s",
                              file=sys.stderr, flush=True)
    import csl_suite

    found = csl_suite.find_suite(suite) if with_suite else None
    if found is not None:
        for label, fidelity in engines:
            for o in csl_suite.run_suite(found, fidelity):
                out[f"{label}/suite/{o.name}"] = {"passed": o.passed, "actual": o.actual,
                                                  "error": o.error}
        print("suite done", file=sys.stderr)
    return out


def _open(path: Path, mode: str) -> Any:
    return gzip.open(path, mode + "t", encoding="utf-8") if path.suffix == ".gz" else \
        open(path, mode, encoding="utf-8")


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Readable differences between two snapshots (only keys present in both or in old)."""
    problems = []
    for key, before in old.items():
        after = new.get(key)
        if after == before:
            continue
        if after is None:
            problems.append(f"{key}: missing")
            continue
        for part in sorted(set(before) | set(after)):
            a, b = before.get(part), after.get(part)
            if a == b:
                continue
            if isinstance(a, list) and isinstance(b, list):
                for n, (x, y) in enumerate(zip(a, b)):
                    if x != y:
                        problems.append(f"{key} {part}[{n}]:\n  was: {x}\n  now: {y}")
                if len(a) != len(b):
                    problems.append(f"{key} {part}: {len(a)} -> {len(b)} elements")
            else:
                problems.append(f"{key} {part}:\n  was: {a}\n  now: {b}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Save or compare a snapshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--plain", action="store_true", help="also citeproc-py used plainly")
    parser.add_argument("--suite", help="the CSL test suite's humans/ folder")
    parser.add_argument("--styles", help="comma-separated style ids (default: the ten)")
    parser.add_argument("--no-suite", action="store_true", help="leave out the CSL test suite")
    parser.add_argument("--no-plain", action="store_true",
                        help="compare: leave out citeproc-py used plainly")
    args = parser.parse_args(argv)
    styles = args.styles.split(",") if args.styles else STYLES
    if args.action == "save":
        data = snapshot(args.plain, args.suite, styles, not args.no_suite)
        with _open(args.file, "w") as fh:
            json.dump(data, fh, ensure_ascii=False)
        print(f"{len(data)} outputs saved")
        return 0
    with _open(args.file, "r") as fh:
        old = json.load(fh)
    plain = any(k.startswith("citeproc-py/") for k in old) and not args.no_plain
    if not plain:
        old = {k: v for k, v in old.items() if not k.startswith("citeproc-py/")}
    if not args.styles:
        styles = [s for s in STYLES if any(k.split("/")[2] == s for k in old
                                               if k.split("/")[1] in INPUTS)]
    old = {k: v for k, v in old.items() if (k.split("/")[1] == "suite" and not args.no_suite)
           or (k.split("/")[1] in INPUTS and k.split("/")[2] in styles)}
    new = snapshot(plain, args.suite, styles, not args.no_suite)
    problems = diff(old, new)
    for line in problems[:200]:
        print(line)
    print(f"{len(old)} outputs compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
