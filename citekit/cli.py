"""The ``citekit`` command: argument parsing and output formatting only.

Each sub-command calls one library function and formats its result. Exit codes: 0 clean,
1 errors found in the data, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from . import __version__
from .errors import CitekitError, InputError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _cmd_convert(args: argparse.Namespace) -> int:
    from .readers import load
    from .writers import dump, dumps, format_for_path

    bib = load(args.input, args.format)
    to = args.to or (format_for_path(args.output) if args.output else None) or "csl-json"
    if args.output:
        dump(bib, args.output, to)
    else:
        sys.stdout.write(dumps(bib, to))
    for failure in bib.failures:
        print(f"{failure.location()}: warning: could not read: {failure.reason}", file=sys.stderr)
    if bib.document is not None and not bib.document.has_reference_list:
        print(f"{args.input}: no reference list found", file=sys.stderr)
    return EXIT_OK


def _read_cites(args: argparse.Namespace) -> list[list[str]] | None:
    """Citations from --cite (repeatable) and --cites FILE: one citation per value or line."""
    from pathlib import Path

    groups: list[list[str]] = []
    for value in args.cite or ():
        groups.append([k for k in value.replace(";", ",").split(",") if k.strip()])
    if args.cites:
        try:
            text = Path(args.cites).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{args.cites}: cannot read the citations file ({exc})") from None
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            keys = [k for k in line.replace(";", ",").replace(" ", ",").split(",") if k]
            if keys:
                groups.append(keys)
    groups = [[k.strip() for k in g] for g in groups]
    return groups or None


def _cmd_render(args: argparse.Namespace) -> int:
    from .readers import load
    from .render import render

    bib = load(args.input, args.from_format)
    cites = _read_cites(args)
    unmatched: list[str] = []
    if args.body_cites:
        from .render import cites_from_body

        body = cites_from_body(bib)
        cites = (cites or []) + body.groups
        unmatched = body.unmatched
    result = render(bib, style=args.style, locale=args.locale, format=args.format,
                    cite_keys=cites)
    sys.stdout.write(result.bibliography())
    if result.citations:
        if result.entries:
            sys.stdout.write("\n")
        for cite in result.citations:
            if args.format == "html":
                cite = f'<div class="csl-citation">{cite}</div>'
            sys.stdout.write(cite + "\n")
    for failure in bib.failures:
        print(f"{failure.location()}: warning: could not read: {failure.reason}", file=sys.stderr)
    for problem in result.failures:
        print(f"citekit: warning: {problem}", file=sys.stderr)
    for problem in unmatched:
        print(f"{problem}", file=sys.stderr)
    return EXIT_FINDINGS if result.failures or unmatched else EXIT_OK


def _cmd_styles(args: argparse.Namespace) -> int:
    from .render import list_styles

    found = list_styles(args.search)
    for info in found:
        print(f"{info.id}\t{info.title}")
    if not found:
        print(f"citekit: no style matches {args.search!r}", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all sub-commands."""
    parser = argparse.ArgumentParser(
        prog="citekit",
        description="Parse, repair, validate and render bibliographies.",
    )
    parser.add_argument("--version", action="version", version=f"citekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("convert", help="convert a bibliography between formats",
                       description="Read INPUT (a commentary, a reference list, BibTeX or "
                                   "CSL-JSON) and write it as BibTeX or CSL-JSON.")
    p.add_argument("input", metavar="INPUT", help="input file")
    p.add_argument("-f", "--from", dest="format", metavar="FORMAT",
                   help="input format: commentary, text, bibtex, csl-json (default: from suffix)")
    p.add_argument("-t", "--to", choices=["bibtex", "csl-json"],
                   help="output format (default: from -o's suffix, else csl-json)")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("render", help="format a bibliography and citations with a CSL style",
                       description="Render INPUT's entries (and in-text citations for given "
                                   "keys) in a CSL style.")
    p.add_argument("input", metavar="INPUT", help="input file")
    p.add_argument("-f", "--from", dest="from_format", metavar="FORMAT",
                   help="input format (default: from suffix)")
    p.add_argument("-s", "--style", required=True, metavar="ID|PATH",
                   help="a CSL style id (see `citekit styles`) or a .csl file")
    p.add_argument("-l", "--locale", metavar="LOCALE",
                   help="locale such as en-US or de-DE (default: the style's, else en-US)")
    p.add_argument("--format", choices=["text", "html", "markdown"], default="text",
                   help="output format (default: text)")
    p.add_argument("--cite", action="append", metavar="KEYS",
                   help="render an in-text citation of these comma-separated entry ids "
                        "(repeatable: one citation each)")
    p.add_argument("--cites", metavar="FILE",
                   help="render in-text citations listed in FILE, one citation per line")
    p.add_argument("--body-cites", action="store_true",
                   help="render the in-text citations found in a commentary's body")
    p.set_defaults(func=_cmd_render)

    p = sub.add_parser("styles", help="list CSL styles",
                       description="List the CSL style ids (with titles) whose id or title "
                                   "contains SEARCH.")
    p.add_argument("search", nargs="?", metavar="SEARCH", help="text to look for")
    p.set_defaults(func=_cmd_styles)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return func(args)
    except CitekitError as exc:
        print(f"citekit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("citekit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
