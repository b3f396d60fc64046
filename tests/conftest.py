"""Shared test fixtures: paths to the repo's bundled files and the shared seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed set of examples (a failure there is reproducible);
# locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
BIB = ROOT / "bib"
SHARED = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
SEED_000 = SHARED / "seeds" / "000_a14397c3aaa57c59.txt"
SEED_002 = SHARED / "seeds" / "002_ed1a4d483575fb23.txt"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not available (set CITEKIT_SHARED to the shared folder)")
    return path


@pytest.fixture
def seed_000() -> Path:
    """The first seed commentary (15 references with real defects)."""
    return _need(SEED_000)


@pytest.fixture
def seed_002() -> Path:
    """The second seed commentary (no reference list)."""
    return _need(SEED_002)


@pytest.fixture
def sample_commentary() -> Path:
    """Our own sample commentary, bundled in bib/."""
    return BIB / "sample-commentary.txt"
