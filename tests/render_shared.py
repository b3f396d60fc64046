"""Where the team's shared data (../shared) is, for the render tests."""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path:
    """``$CITEKIT_SHARED``, else the first ``shared/`` folder beside the repository or above it."""
    env = os.environ.get("CITEKIT_SHARED")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1]
    for folder in repo.parents:
        if (folder / "shared").is_dir():
            return folder / "shared"
    return repo.parent / "shared"
