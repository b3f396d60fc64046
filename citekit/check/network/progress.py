"""A progress callback for the CLI: a rich progress bar on a terminal, nothing in CI or pipes."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Callable, Iterator, TextIO

__all__ = ["terminal_progress"]


@contextlib.contextmanager
def terminal_progress(stream: TextIO | None = None, *, enabled: bool | None = None,
                      label: str = "checking links and DOIs"
                      ) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a ``progress(done, total)`` callback drawing a bar on ``stream`` (stderr).

    Yields None (no output) when ``enabled`` is False, or when it is None and the stream is not
    a terminal or the ``CI`` environment variable is set.
    """
    out = stream or sys.stderr
    if enabled is None:
        enabled = bool(getattr(out, "isatty", lambda: False)()) and not os.environ.get("CI")
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(file=out), transient=True)
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update
