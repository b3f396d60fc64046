"""The ``citekit`` command: argument parsing and output formatting only.

Each sub-command calls one library function and formats its result. Exit codes: 0 clean,
1 errors found in the data, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from . import __version__
from .check.findings import Severity
from .errors import CitekitError, InputError

if TYPE_CHECKING:
    from .check import CheckOptions, Report
    from .model import Bibliography

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNVERIFIED = 0, 1, 2, 3


class UsageError(CitekitError):
    """The command line is inconsistent."""


def _note_encoding(bib: "Bibliography") -> None:
    """Say on stderr that a file's encoding was guessed (check says it in its report)."""
    if bib.guessed_encoding:
        print(f"citekit: note: {bib.path}: not UTF-8; read as {bib.guessed_encoding} (a guess: "
              "check accented letters, or convert the file to UTF-8)", file=sys.stderr)


def _cmd_convert(args: argparse.Namespace) -> int:
    from .readers import load
    from .writers import dump, dumps, format_for_path

    bib = load(args.input, args.format)
    _note_encoding(bib)
    to = args.to or (format_for_path(args.output) if args.output else None) or "csl-json"
    if args.output:
        implied = format_for_path(args.output)
        if args.to and implied and implied != args.to:
            print(f"citekit: warning: writing {args.to} to {args.output}, whose suffix says "
                  f"{implied}", file=sys.stderr)
        dump(bib, args.output, to)
    else:
        sys.stdout.write(dumps(bib, to))
    for failure in bib.failures:
        print(f"{failure.location()}: warning: could not read: {failure.reason}", file=sys.stderr)
    if bib.document is not None and not bib.document.has_reference_list:
        print(f"{args.input}: no reference list found", file=sys.stderr)
    return EXIT_OK


_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "bold": "\033[1m",
            "dim": "\033[2m", "reset": "\033[0m"}


def _use_colour(stream: object) -> bool:
    # Hand-written ANSI colouring: four colours do not justify importing rich on every run.
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def _format_text(report: "Report", colour: bool) -> str:
    def c(name: str, text: str) -> str:
        return f"{_COLOURS[name]}{text}{_COLOURS['reset']}" if colour else text

    out = [c("bold", f"note: {n}") for n in report.notices]
    for f in report.findings:
        key = f" [{f.location.key}]" if f.location.key else ""
        out.append(f"{c('bold', str(f.location))}: {c(f.severity.value, f.severity.value)} "
                   f"{f.code}{key} {f.message}")
        if f.fix is not None:
            tag = "fix (automatic)" if f.fix.automatic else "fix"
            out.append(f"    {c('dim', tag + ':')} {f.fix.description}")
    e, w, i = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    files = len(report.paths)
    summary = f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}, {i} info in " \
              f"{files} file{'s' * (files != 1)}"
    if report.unverified:
        summary += f"; {report.unverified} network check(s) could not be verified"
    out.append(c("bold", summary))
    return "\n".join(out) + "\n"


def _emit_report(report: "Report", fmt: str, stream: object) -> None:
    from .check.serialise import report_to_json, report_to_sarif

    if fmt == "json":
        text = json.dumps(report_to_json(report), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "sarif":
        text = json.dumps(report_to_sarif(report), indent=2, ensure_ascii=False) + "\n"
    else:
        text = _format_text(report, _use_colour(stream))
    stream.write(text)  # type: ignore[attr-defined]


def _exit_code(report: "Report") -> int:
    if report.has_errors:
        return EXIT_FINDINGS
    return EXIT_UNVERIFIED if report.unverified else EXIT_OK


def _check_options(args: argparse.Namespace, progress: object = None) -> "CheckOptions":
    from .check import CheckOptions

    config = None
    if not args.offline:
        from .check.network import load_config

        config = load_config({
            "doi_base": args.doi_base, "crossref_base": args.crossref_base,
            "mailto": args.mailto, "user_agent": args.user_agent, "cache_path": args.cache,
            "no_cache": args.no_cache or None, "read_timeout": args.timeout,
            "deadline": args.deadline, "max_concurrency": args.concurrency,
            "per_host": args.per_host, "allow_private": args.allow_private or None,
            "discover": False if args.no_discover else None,
        })
    return CheckOptions(offline=args.offline, select=args.select, ignore=args.ignore,
                        input_format=args.format, network_config=config, progress=progress)


@contextlib.contextmanager
def _progress(args: argparse.Namespace) -> Iterator[object]:
    """A progress bar on stderr for the network checks (terminal only, never in CI)."""
    if args.offline or args.quiet:
        yield None
        return
    from .check.network import terminal_progress

    with terminal_progress() as progress:
        yield progress


def _cmd_check(args: argparse.Namespace) -> int:
    if args.output and not args.fix:
        raise UsageError("-o/--output is only used with --fix"
                         + (" (--in-place writes over PATH)" if args.in_place else ""))
    with _progress(args) as progress:
        return _run_check(args, _check_options(args, progress))


def _run_check(args: argparse.Namespace, opts: "CheckOptions") -> int:
    from .check import check
    from .check.fix import fix

    if args.fix or args.in_place:
        if len(args.paths) != 1:
            raise UsageError("--fix and --in-place take exactly one PATH")
        if Path(args.paths[0]).is_dir():
            raise UsageError("--fix and --in-place take one file, not a folder")
        result = fix(args.paths[0], output=args.output, in_place=args.in_place, options=opts)
        if result.output is None:
            _write_stdout(result.text, result.encoding, result.newline)
            stream = sys.stderr
        else:
            stream = sys.stdout
        where = f"wrote {result.output}" if result.output else "repaired text on stdout"
        backup = f" (original kept as {result.backup})" if result.backup else ""
        if args.output_format == "text":
            if result.unchanged:
                print(f"citekit: nothing to repair automatically; {result.output} was left as it "
                      "was", file=stream)
            else:
                print(f"citekit: applied {len(result.applied)} automatic fix(es); {where}{backup}",
                      file=stream)
            for note in result.notes:
                print(f"citekit: note: {note}", file=stream)
            if result.remaining.findings:
                print("citekit: what remains:" if result.unchanged
                      else "citekit: checked again, what remains:", file=stream)
                if any(f.fix is not None and f.fix.automatic for f in result.remaining.findings):
                    print("citekit: note: plain text keeps tidied fields (page ranges, names, a "
                          "DOI's prefix) as written; -o FILE.json or FILE.bib writes them tidied",
                          file=stream)
        _emit_report(result.remaining, args.output_format, stream)
        return _exit_code(result.remaining)
    report = check(args.paths, options=opts)
    _emit_report(report, args.output_format, sys.stdout)
    return _exit_code(report)

def _write_stdout(text: str, encoding: str, newline: str) -> None:
    """Write repaired text to stdout as ``-o`` would write it to a file: in the original's
    encoding and line ends (a text-mode stdout would turn CRLF into LF)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (an embedding host)
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.replace("\n", newline).encode(encoding))
    buffer.flush()


def _read_cites(args: argparse.Namespace) -> list[list[str]] | None:
    """Citations from --cite (repeatable) and --cites FILE: one citation per value or line."""
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
    _note_encoding(bib)
    if bib.format in ("commentary", "text"):
        from .normalise import normalise

        normalise(bib)  # a list as written: render it with check's automatic repairs made
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
    if not bib.entries:
        print(f"citekit: warning: {args.input}: no entries to render (a commentary's list "
              "follows a References heading; -f text reads a bare list)", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_FINDINGS if result.failures or unmatched else EXIT_OK


def _cmd_codes(args: argparse.Namespace) -> int:
    from .check.codes import CODES
    from .check.runner import select_codes

    chosen = select_codes(args.codes or None, None)
    for code in sorted(chosen):
        info = CODES[code]
        where = "network" if info.network else "offline"
        print(f"{code}\t{info.severity.value}\t{where}\t{info.summary}")
    return EXIT_OK


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

    p = sub.add_parser(
        "check", help="validate reference lists and body citations",
        description="Check PATHs (commentaries, reference lists, BibTeX, CSL-JSON) for problems in "
                    "the references and in the body's citations. Exit codes: 0 no errors, "
                    "1 errors found, 2 usage error or unreadable input, 3 no errors but some "
                    "network checks could not be verified. Every code is in docs/checks.md.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to check; a folder checks the .txt, .md, .markdown, .bib, .ris and CSL-JSON .json files in it and its sub-folders")
    p.add_argument("-f", "--from", dest="format", metavar="FORMAT",
                   help="input format: commentary, text, bibtex, csl-json, ris "
                        "(default: from suffix)")
    p.add_argument("--offline", action="store_true",
                   help="skip the network checks (DOI registry, Crossref, link liveness)")
    p.add_argument("--format", dest="output_format", choices=["text", "json", "sarif"],
                   default="text", help="report format (default: text)")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="report only these codes or prefixes (comma-separated, e.g. url-,doi-invalid)")
    p.add_argument("--ignore", action="append", metavar="CODES",
                   help="do not report these codes or prefixes (comma-separated)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--fix", action="store_true",
                   help="write the repaired bibliography (to -o OUT, else to stdout)")
    g.add_argument("--in-place", action="store_true",
                   help="repair the file itself, keeping the original as PATH.bak")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="with --fix: where to write (its suffix may choose .bib or .json)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    n = p.add_argument_group("network checks (see docs/network.md; also settable in "
                             "citekit.toml / pyproject.toml [tool.citekit.network] and "
                             "CITEKIT_* environment variables)")
    n.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    n.add_argument("--cache", metavar="PATH", help="the cache database (default: user cache dir)")
    n.add_argument("--doi-base", metavar="URL", help="DOI resolver (default: https://doi.org)")
    n.add_argument("--crossref-base", metavar="URL",
                   help="Crossref API (default: https://api.crossref.org)")
    n.add_argument("--mailto", metavar="EMAIL", help="contact address for Crossref's polite pool")
    n.add_argument("--user-agent", metavar="TEXT", help="User-Agent header")
    n.add_argument("--timeout", type=float, metavar="S", help="connect/read timeout in seconds")
    n.add_argument("--deadline", type=float, metavar="S", help="total time allowed per URL")
    n.add_argument("--concurrency", type=int, metavar="N", help="requests in flight in all")
    n.add_argument("--per-host", type=int, metavar="N", help="requests in flight per host")
    n.add_argument("--allow-private", action="store_true",
                   help="allow links to private and loopback addresses (never metadata addresses)")
    n.add_argument("--no-discover", action="store_true",
                   help="do not search Crossref for missing DOIs")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("render", help="format a bibliography and citations with a CSL style",
                       description="Render INPUT's entries (and in-text citations for given "
                                   "keys) in a CSL style.")
    p.add_argument("input", metavar="INPUT", help="input file")
    p.add_argument("-f", "--from", dest="from_format", metavar="FORMAT",
                   help="input format: commentary, text, bibtex, csl-json, ris "
                        "(default: from suffix)")
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

    p = sub.add_parser("codes", help="list the check codes",
                       description="List check codes (all, or those matching the given codes "
                                   "or prefixes) with severity, whether they need the network, "
                                   "and a summary. Each is documented in docs/checks.md.")
    p.add_argument("codes", nargs="*", metavar="CODE",
                   help="codes or prefixes, e.g. doi or url-whitespace (comma lists allowed)")
    p.set_defaults(func=_cmd_codes)
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
    except Exception as exc:  # a bug: say so in one line; CITEKIT_DEBUG=1 shows the traceback
        if os.environ.get("CITEKIT_DEBUG"):
            raise
        print(f"citekit: internal error: {type(exc).__name__}: {exc} (run with CITEKIT_DEBUG=1 "
              "for details and please report it)", file=sys.stderr)
        return 70
