"""LaTeX in BibTeX values to Unicode text, through pylatexenc (as bibtexparser does)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as l2t_context_db
from pylatexenc.latexwalker import LatexWalker
from pylatexenc.latexwalker import get_default_latex_context_db as walker_context_db

__all__ = ["decode_latex", "MAX_DECODE_CHARS"]

_LATEX_MARKS = frozenset("\\{}~$%")
#: Field values longer than this are not LaTeX-decoded (only case-protecting braces go).
MAX_DECODE_CHARS = 20_000


@lru_cache(maxsize=32768)
def decode_latex(value: str) -> str:
    """LaTeX markup to Unicode (``{\\"u}`` -> ``ü``, ``\\&`` -> ``&``, ``~`` -> space)."""
    marks = _LATEX_MARKS.intersection(value)
    if "--" not in value and not marks:
        return value
    if (marks <= {"{", "}"} and "--" not in value) or len(value) > MAX_DECODE_CHARS:
        # Only braces protecting case (no need for a LaTeX parser), or a value so long that
        # pylatexenc (about 10 µs a character) would stall: drop the braces, keep the rest.
        return value.replace("{", "").replace("}", "")
    # A bare % is text in a .bib value, but LaTeX (and pylatexenc) would read a comment.
    escaped = _escape_bare_percent(value)
    try:
        decoder, walker_context = _decoder()
        # Parse with a context built once: latex_to_text() would rebuild it on every call.
        nodes = LatexWalker(escaped, latex_context=walker_context,
                            tolerant_parsing=True).get_latex_nodes()[0]
        text = decoder.nodelist_to_text(nodes)
    except Exception:  # pylatexenc gives up on malformed markup: keep the text as written
        return value
    return text.replace("\u00a0", " ")


def _escape_bare_percent(value: str) -> str:
    out: list[str] = []
    prev = ""
    for ch in value:
        out.append("\\%" if ch == "%" and prev != "\\" else ch)
        prev = ch
    return "".join(out)


@lru_cache(maxsize=1)
def _decoder() -> tuple[LatexNodes2Text, Any]:
    """A pylatexenc decoder set up like bibtexparser's (keeping the text of a few more macros),
    and the parsing context for it."""
    db = l2t_context_db()
    db.add_context_category("citekit", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl="%s")
        for name in ("url", "mbox", "hbox", "textnormal", "enquote", "mkbibquote", "nolinkurl",
                     "NoCaseChange", "textsc", "textup", "textmd", "textsf")
    ] + [MacroTextSpec("noopsort", simplify_repl="")])
    decoder = LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="verbatim")
    return decoder, walker_context_db()
