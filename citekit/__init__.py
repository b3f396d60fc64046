"""citekit: parse, repair, validate and render bibliographies.

The public API is what ``__all__`` lists; everything else is internal.
"""

from __future__ import annotations

from . import check, render
from .check.findings import Finding, Fix, Location, Report, Severity
from .errors import (
    CitekitError,
    ConfigError,
    InputError,
    NetworkError,
    StyleError,
    UnknownFormatError,
    UnreadableInputError,
)
from .render import RenderResult, list_styles
from .model import (
    Bibliography,
    Citation,
    CitationItem,
    Date,
    Document,
    Entry,
    Failure,
    Name,
    SourceSpan,
)

from .parse import parse_reference, parse_references
from .readers import load, loads
from .writers import dump, dumps

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # reading, parsing, writing
    "load", "loads", "dump", "dumps", "parse_reference", "parse_references", "check",
    # model
    "Bibliography", "Citation", "CitationItem", "Date", "Document", "Entry", "Failure", "Name",
    "SourceSpan",
    # findings
    "Finding", "Fix", "Location", "Report", "Severity",
    # rendering
    "render", "RenderResult", "list_styles",
    # errors
    "CitekitError", "ConfigError", "InputError", "NetworkError", "StyleError",
    "UnknownFormatError", "UnreadableInputError",
]
