"""`citekit convert` between the structured formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citekit.cli import main
from citekit.readers import load

FIXTURES = Path(__file__).parent / "fixtures" / "io"


def test_bibtex_to_csl_json_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(FIXTURES / "rich.bib")]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 8
    assert items[0]["container-title"] == "Contemporary Security Policy"


@pytest.mark.parametrize("source", ["rich.bib", "sample.json", "sample.ris"])
@pytest.mark.parametrize("target, suffix", [("bibtex", ".bib"), ("csl-json", ".json"),
                                            ("ris", ".ris")])
def test_every_format_converts_to_every_other(source: str, target: str, suffix: str,
                                             tmp_path: Path) -> None:
    out = tmp_path / f"out{suffix}"
    assert main(["convert", str(FIXTURES / source), "-o", str(out)]) == 0
    original = load(FIXTURES / source)
    converted = load(out)
    assert [e.id for e in converted] == [e.id for e in original]
    for before, after in zip(original, converted):
        assert after.title == before.title
        assert after.issued == before.issued
        assert [n.sort_name for n in after.author] == [n.sort_name for n in before.author]


def test_ris_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(FIXTURES / "sample.json"), "-t", "ris"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("TY  - JOUR\nID  - easley2017\n")
    assert "item 2" in captured.err  # the non-object item is reported, not dropped


def test_broken_bibtex_reports_each_failure_with_its_location(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "broken.bib"
    assert main(["convert", str(path), "-t", "bibtex"]) == 0
    captured = capsys.readouterr()
    assert "@article{last2024," in captured.out
    warnings = [line for line in captured.err.splitlines() if "could not read" in line]
    assert [w.split(": warning")[0] for w in warnings] == [f"{path}:7:1", f"{path}:13:1",
                                                          f"{path}:18:1"]


def test_invalid_json_is_one_line_and_exit_2(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a",}]', encoding="utf-8")
    assert main(["convert", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{bad}:1:13: invalid JSON" in err[0]


def test_convert_warns_when_to_and_the_suffix_disagree(tmp_path, capsys) -> None:
    from pathlib import Path

    from citekit.cli import main

    seed = Path(__file__).resolve().parents[1] / "bib" / "seed-references.json"
    out = tmp_path / "out.bib"
    assert main(["convert", str(seed), "-t", "ris", "-o", str(out)]) == 0
    assert "whose suffix says bibtex" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").startswith("TY  - ")
