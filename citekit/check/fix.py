"""``--fix``: write the repaired bibliography.

For text input written back as text, the original document is *patched*: only the repaired spans
change (a URL, a ``______.`` dash, a stray fragment line, a body citation's name), so everything
else — prose, layout, fields citekit does not understand — is kept byte for byte.
For structured output (BibTeX, CSL-JSON) the normalised bibliography is written.
Writes are atomic; ``in_place`` keeps a backup of the original next to it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import Bibliography, Entry
from ..parse.authordate import DASH_RE
from ..readers import detect_format, load, loads
from ..readers.decode import decode_text, newline_of
from ..writers import atomic_write, dumps, format_for_path
from .findings import Finding, Report
from .runner import TEXT_FORMATS, CheckOptions, check_bibliography

__all__ = ["FixResult", "fix", "patch_text"]

#: Codes whose automatic fix patch_text writes into a plain-text document (besides URL changes).
_TEXT_PATCHED = frozenset({"doi-in-url", "citation-name-mismatch"})

_ABSORBED = ("repeats the DOI", "gives the DOI", "continues the URL", "gives the URL")


@dataclass
class FixResult:
    """What ``fix`` did: the report of the original, the fixes applied, where it wrote."""

    report: Report
    applied: list[Finding] = field(default_factory=list)
    #: The findings left when the repaired output is checked again (what needs a person).
    remaining: Report = field(default_factory=Report)
    text: str = ""
    output: Path | None = None
    backup: Path | None = None
    #: Things the user should know about the written file (e.g. its encoding changed).
    notes: list[str] = field(default_factory=list)
    #: The encoding and line end of the repaired text (those of a text original).
    encoding: str = "utf-8"
    newline: str = "\n"
    #: True when ``in_place`` found nothing to repair and left the file (and made no backup).
    unchanged: bool = False


def fix(path: str | Path, *, output: str | Path | None = None, in_place: bool = False,
        to: str | None = None, options: CheckOptions | None = None) -> FixResult:
    """Check ``path`` and write the repaired bibliography to ``output`` (or over ``path``).

    With neither ``output`` nor ``in_place`` the repaired text is only returned in the result.
    """
    if str(path) == "-":
        raise InputError("--fix and --in-place repair a file, not standard input")
    src = Path(path)
    opts = options or CheckOptions(offline=True)
    fmt = opts.input_format or detect_format(src)
    bib = load(src, fmt)
    original = {id(e): e.url for e in bib.entries}
    report = check_bibliography(bib, opts)
    out_fmt = to or (format_for_path(output) if output else None) or fmt
    applied = [f for f in report.findings if f.fix is not None and f.fix.automatic]
    encoding, newline = "utf-8", "\n"
    if fmt in TEXT_FORMATS and out_fmt in TEXT_FORMATS:
        data = src.read_bytes()
        # The repaired copy keeps the original's encoding and line ends: only the repaired
        # spans change.
        text, encoding = decode_text(data, str(src))
        newline = newline_of(data, encoding)
        patched: set[str] = set()
        new_text = patch_text(text, bib, original, applied, patched)
        # Only links and citations are patched into the text; tidied fields (pages, titles, a
        # DOI's prefix) keep their wording there, so they are not counted as applied, and
        # neither is a fix whose span patch_text could not find.
        applied = [f for f in applied if (f.code in _TEXT_PATCHED or (
            f.fix is not None and f.fix.field == "URL" and f.fix.after is not None))
            and _key_of(f) in patched]
    elif out_fmt in TEXT_FORMATS:
        raise InputError(f"cannot write {fmt} input back as {out_fmt}; use -o with .bib or .json")
    else:
        new_text = dumps(bib, out_fmt)
    again = CheckOptions(offline=True, select=opts.select, ignore=opts.ignore)
    target = str(output) if output is not None else str(src)
    remaining = check_bibliography(loads(new_text, out_fmt, target), again)
    result = FixResult(report=report, applied=applied, text=new_text, remaining=remaining)
    try:
        new_text.encode(encoding)
    except UnicodeEncodeError:
        result.notes.append(f"the repaired text has characters {encoding} cannot hold, so it "
                            "was written as UTF-8")
        encoding = "utf-8"
    result.encoding, result.newline = encoding, newline
    if in_place and not applied:
        # Nothing to repair: rewriting would only re-serialise the file (and leave a backup
        # identical to it). What remains is the first check's, whose lines are the file's.
        result.output, result.unchanged = src, True
        result.remaining = report
    elif in_place:
        backup = src.with_name(src.name + ".bak")
        try:
            shutil.copy2(src, backup)
        except OSError as exc:
            raise InputError(f"{backup}: cannot write the backup ({exc.strerror or exc}); "
                             f"{src} was not changed") from None
        atomic_write(src, new_text, encoding=encoding, newline=newline)
        result.output, result.backup = src, backup
    elif output is not None:
        atomic_write(output, new_text, encoding=encoding, newline=newline)
        result.output = Path(output)
    return result


def _url_pattern(written: str) -> re.Pattern[str]:
    """Match a URL as written, whatever white space (line breaks included) split it."""
    return re.compile(r"\s+".join(re.escape(p) for p in written.split()))


def _final_link(entry: Entry, applied: list[Finding]) -> str | None:
    for f in applied:
        if f.code == "doi-in-url" and f.location.key == entry.id and f.fix is not None \
                and f.fix.field == "URL":
            return str(f.fix.after)
    return entry.url


def _author_head(entry: Entry) -> str | None:
    """The author segment as written at the start of an entry: ``Easley, Leif-Eric. ``."""
    if entry.source is None:
        return None
    first = entry.source.raw.split("\n", 1)[0]
    m = re.search(r"(?<![\w/.-])(?:1[5-9]|20)\d\d[a-z]?(?![\w/-])", first)
    if not m or m.start() == 0 or DASH_RE.match(first):
        return None
    return first[: m.start()].lstrip()


def _key_of(f: Finding) -> str:
    """What patch_text records for a fix it made: the entry key, or a citation's place."""
    if f.code == "citation-name-mismatch":
        return f"citation:{f.location.line}:{f.location.col}"
    return f"entry:{f.location.key}"


def patch_text(text: str, bib: Bibliography, original_urls: dict[int, str | None],
               applied: list[Finding], patched: set[str] | None = None) -> str:
    """Apply the automatic fixes to the document text, changing only the repaired spans.

    ``patched`` (if given) receives what was changed: ``entry:KEY`` for an entry's block and
    ``citation:LINE:COL`` for a renamed body citation."""
    done = patched if patched is not None else set()
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (first index, end index, replacement lines)
    #: The author segment of the entry above as it reads after patching (a dash resolved to it
    #: carries it on, so a run of dashes is filled in one pass).
    previous_head: str | None = None
    for entry in bib.entries:
        src = entry.source
        if src is None:
            continue
        last_main = src.end_line
        drop_from = None
        for ev in src.events:
            if ev.code == "stray-fragment" and any(a in ev.detail for a in _ABSORBED):
                drop_from = ev.line if drop_from is None else min(drop_from, ev.line)
        if drop_from is not None:
            last_main = drop_from - 1
            while last_main > src.line and not lines[last_main - 1].replace("\u00a0", "").strip():
                last_main -= 1
        block = "\n".join(lines[src.line - 1: last_main])
        written = original_urls.get(id(entry))
        final = _final_link(entry, applied)
        if written and final and written != final:
            m = _url_pattern(written).search(block)
            bare = written.rstrip(".,;")
            if m is None and bare != written:
                # "<https://…>." in Markdown: the full stop was read with the link
                m = _url_pattern(bare).search(block)
            if m is None:  # the URL ran on into a dropped fragment: replace to the block's end
                m = _url_pattern(written.split()[0]).search(block)
                if m is not None:
                    block = block[: m.start()] + final
            else:
                block = block[: m.start()] + final + block[m.end():]
        if entry.doi and drop_from is not None and entry.doi.lower() not in block.lower():
            block = block.rstrip() + f" https://doi.org/{entry.doi}"
        head = _author_head(entry)
        if any(ev.code == "repeated-author-dash" and ev.detail.startswith("resolved")
               for ev in src.events):
            dash = DASH_RE.match(block)
            if previous_head and dash:
                block = previous_head + block[dash.end():]
                head = previous_head
        new_lines = block.split("\n")
        if new_lines != lines[src.line - 1: src.end_line]:
            edits.append((src.line - 1, src.end_line, new_lines))
            done.add(f"entry:{entry.id}")
        previous_head = head
    # Right to left, so that renaming one citation does not move the next one on the same line.
    renames = sorted((f for f in applied if f.code == "citation-name-mismatch"),
                     key=lambda f: (f.location.line, f.location.col), reverse=True)
    for f in renames:
        if f.fix is not None and f.location.line:
            i, c = f.location.line - 1, f.location.col - 1
            before, after = str(f.fix.before), str(f.fix.after)
            if 0 <= i < len(lines) and lines[i][c:c + len(before)] == before:
                lines[i] = lines[i][:c] + after + lines[i][c + len(before):]
                done.add(f"citation:{f.location.line}:{f.location.col}")
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = new
    return "\n".join(lines)
