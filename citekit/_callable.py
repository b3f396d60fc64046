"""Make a package callable, so ``citekit.check(...)`` and ``citekit.render(...)`` call the entry point.

The issue's API names (``citekit.check(source)``, ``citekit.render(bibliography, style=...)``) are
also the names of the packages that hold them. Binding the functions over the package attributes
would break ``import citekit.render.fidelity``; swapping the module's class keeps both working.
"""

from __future__ import annotations

import sys
import types
from typing import Any, Callable


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Let the module ``module_name`` be called as ``function`` while its submodules stay importable."""

    class _CallableModule(types.ModuleType):
        __call__ = staticmethod(function)

    _CallableModule.__name__ = f"CallableModule[{function.__name__}]"
    sys.modules[module_name].__class__ = _CallableModule
