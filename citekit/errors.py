"""The exception tree. Problems *in the data* are findings, not exceptions; these are for misuse
of the API and for failures of the program's environment (unreadable files, unknown styles)."""

from __future__ import annotations

__all__ = [
    "CitekitError",
    "InputError",
    "UnreadableInputError",
    "UnknownFormatError",
    "StyleError",
    "NetworkError",
    "ConfigError",
]


class CitekitError(Exception):
    """Base class of every error citekit raises on purpose."""


class InputError(CitekitError):
    """The input cannot be read as asked (bad path, wrong format, undecodable text)."""


class UnreadableInputError(InputError):
    """The input is binary, empty where content is required, or in an undetectable encoding."""


class UnknownFormatError(InputError):
    """The input or output format is not one citekit knows."""


class StyleError(CitekitError):
    """A CSL style cannot be found, loaded or used."""


class NetworkError(CitekitError):
    """A network operation failed in a way that is not a verdict about the data."""


class ConfigError(CitekitError):
    """The configuration (arguments, environment, config file) is invalid."""
