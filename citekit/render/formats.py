"""Output formats for citeproc-py: plain text, HTML (escaped) and Markdown."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Callable

__all__ = ["FORMATS", "formatter_for", "wrap_bibliography"]

FORMATS = ("text", "html", "markdown")


def _tag(name: str, attrs: str = "") -> Callable[[str], str]:
    def wrap(text: str) -> str:
        return f"<{name}{attrs}>{text}</{name}>"

    return wrap


def _same(text: str) -> str:
    return text


def _md_wrap(mark: str) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        return f"{mark}{text}{mark}" if text else text

    return wrap


_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>])")


def _md_escape(text: object) -> str:
    return _MD_SPECIAL_RE.sub(r"\\\1", str(text))


_TEXT = SimpleNamespace(preformat=_same, Italic=_same, Oblique=_same, Bold=_same, Light=_same,
                        Underline=_same, Superscript=_same, Subscript=_same, SmallCaps=_same)
_HTML = SimpleNamespace(
    preformat=lambda text: html.escape(str(text), quote=False),
    Italic=_tag("i"), Oblique=_tag("i"), Bold=_tag("b"), Light=_same,
    Underline=_tag("span", ' style="text-decoration:underline;"'),
    Superscript=_tag("sup"), Subscript=_tag("sub"),
    SmallCaps=_tag("span", ' style="font-variant:small-caps;"'),
)
_MARKDOWN = SimpleNamespace(
    preformat=_md_escape, Italic=_md_wrap("*"), Oblique=_md_wrap("*"), Bold=_md_wrap("**"),
    Light=_same, Underline=_same, Superscript=_tag("sup"), Subscript=_tag("sub"), SmallCaps=_same,
)


def formatter_for(fmt: str) -> SimpleNamespace:
    """The citeproc-py formatter object for an output format."""
    return {"text": _TEXT, "html": _HTML, "markdown": _MARKDOWN}[fmt]


_MD_URL_RE = re.compile(r"https?://[^\s<>]+[^\s<>.,;:)]")


def markdown_links(text: str) -> str:
    """Make URLs in Markdown output autolinks, undoing the escapes inside them."""
    return _MD_URL_RE.sub(lambda m: "<" + m.group(0).replace("\\", "") + ">", text)


def wrap_bibliography(entries: list[str], fmt: str) -> str:
    """The whole bibliography: one entry per line, or citeproc-js's HTML wrapper."""
    if fmt == "html":
        body = "".join(f'  <div class="csl-entry">{e}</div>\n' for e in entries)
        return f'<div class="csl-bib-body">\n{body}</div>\n'
    if fmt == "markdown":
        return "".join(f"{e}\n\n" for e in entries)
    return "".join(f"{e}\n" for e in entries)
