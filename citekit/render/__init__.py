"""Rendering with CSL styles over citeproc-py: style lookup, the engine, output formats.

``render`` formats a bibliography and in-text citations; ``list_styles``/``resolve_style`` find
styles; the corrections citekit makes to citeproc-py live in :mod:`citekit.render.fidelity`.
"""

from __future__ import annotations

from .body import BodyCites, cites_from_body
from .engine import RenderResult, render
from .styles import StyleInfo, list_styles, resolve_style
from .._callable import make_callable

__all__ = ["render", "RenderResult", "list_styles", "resolve_style", "StyleInfo",
           "cites_from_body", "BodyCites"]

# ``citekit.render(bibliography, ...)`` calls :func:`render`; ``citekit.render.X`` still works.
make_callable(__name__, render)
