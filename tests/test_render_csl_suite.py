"""The CSL processor test suite, run through citekit: no fixture that passes may start failing.

The suite lives outside the repository (``../shared/csl-test-suite/humans`` or
``$CSL_TEST_SUITE``); without it these tests are skipped. The fixtures citekit does not pass yet
are listed in ``fixtures/render/csl_suite_known_failures.txt`` (rewrite it with
``python benchmarks/csl_suite.py --only citekit --write-ledger FILE``); the figures per feature
group, next to citeproc-py's own, come from ``python benchmarks/csl_suite.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import csl_suite  # noqa: E402

LEDGER = ROOT / "tests" / "fixtures" / "render" / "csl_suite_known_failures.txt"
SUITE = csl_suite.find_suite()

pytestmark = pytest.mark.skipif(
    SUITE is None, reason="CSL test suite not found (set CSL_TEST_SUITE to its humans/ folder)")


def _known_failures() -> set[str]:
    lines = LEDGER.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@pytest.fixture(scope="module")
def outcomes() -> list[csl_suite.Outcome]:
    assert SUITE is not None
    return csl_suite.run_suite(SUITE, fidelity=True)


def test_no_fixture_regresses(outcomes: list[csl_suite.Outcome]) -> None:
    known = _known_failures()
    regressions = [o.name for o in outcomes if not o.passed and o.name not in known]
    assert regressions == [], f"fixtures that used to pass now fail: {regressions}"


def test_citekit_passes_more_than_citeproc_py_alone(outcomes: list[csl_suite.Outcome]) -> None:
    assert SUITE is not None
    sample = sorted({o.name for o in outcomes if o.name.split("_")[0] in
                     ("collapse", "disambiguate", "flipflop", "quotes")})
    plain = csl_suite.run_suite(SUITE, fidelity=False, names=sample)
    ours = [o for o in outcomes if o.name in set(sample)]
    assert sum(o.passed for o in ours) > sum(o.passed for o in plain)


def test_every_fixture_runs_without_a_crash(outcomes: list[csl_suite.Outcome]) -> None:
    crashed = [o.name for o in outcomes if o.error and "Error" in o.error
               and not o.error.startswith(("StyleError", "KeyError"))]
    assert crashed == []
