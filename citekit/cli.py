"""The ``citekit`` command: argument parsing and output formatting only.

Each sub-command calls one library function and formats its result. Exit codes: 0 clean,
1 errors found in the data, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from . import __version__
from .errors import CitekitError

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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all sub-commands."""
    parser = argparse.ArgumentParser(
        prog="citekit",
        description="Parse, repair, validate and render bibliographies.",
    )
    parser.add_argument("--version", action="version", version=f"citekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("convert", help="convert a bibliography between formats",
                       description="Read INPUT (a commentary, a reference list, BibTeX, "
                                   "CSL-JSON or RIS) and write it as BibTeX, CSL-JSON or RIS.")
    p.add_argument("input", metavar="INPUT", help="input file")
    p.add_argument("-f", "--from", dest="format", metavar="FORMAT",
                   help="input format: commentary, text, bibtex, csl-json, ris "
                        "(default: from suffix)")
    p.add_argument("-t", "--to", choices=["bibtex", "csl-json", "ris"],
                   help="output format (default: from -o's suffix, else csl-json)")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.set_defaults(func=_cmd_convert)
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
