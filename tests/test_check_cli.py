"""``citekit check`` on the command line: exit codes, the three output formats, --fix."""

from __future__ import annotations

import io
import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from citekit.check import CODES
from citekit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "bib" / "sample-commentary.txt"
REPORT_SCHEMA = json.loads((ROOT / "docs" / "json-report.schema.json").read_text(encoding="utf-8"))

LINE_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info) "
                     r"(?P<code>[a-z0-9-]+)(?: \[(?P<key>[^\]]+)\])? (?P<message>\S.*)$")
FIX_RE = re.compile(r"^    fix(?: \(automatic\))?: \S")
SUMMARY_RE = re.compile(r"^(\d+) errors?, (\d+) warnings?, (\d+) info in (\d+) files?$")
ANSI = "\033["

CLEAN_CSL = [{"id": "adams2020", "type": "book", "title": "Other Book",
              "author": [{"family": "Adams", "given": "Jane"}],
              "issued": {"date-parts": [[2020]]}, "publisher": "Pub"}]


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """A CSL-JSON file with nothing to report."""
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(CLEAN_CSL), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``citekit ARGV``; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- exit codes


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """No findings: exit 0 and a summary saying so."""
    code, out, err = run(capsys, "check", "--offline", str(clean))
    assert code == 0
    assert out == "0 errors, 0 warnings, 0 info in 1 file\n"
    assert err == ""


def test_warnings_only_exit_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Warnings and info do not fail the run; only errors do."""
    path = tmp_path / "refs.txt"
    path.write_text("Smith, John. 2020. \u201cA Page.\u201d Example News. May 3. "
                    "http://example.com/a\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--offline", "-f", "text", str(path))
    assert code == 0
    assert "warning url-insecure" in out


def test_errors_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    """The sample's Kwak year mismatch is an error: exit 1."""
    code, out, _ = run(capsys, "check", "--offline", str(SAMPLE))
    assert code == 1
    assert "error citation-year-mismatch" in out


def test_ignoring_the_errors_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """--ignore takes the error out of the report, and so out of the exit code."""
    code, out, _ = run(capsys, "check", "--offline", "--ignore", "citation-year-mismatch",
                       str(SAMPLE))
    assert code == 0
    assert "citation-year-mismatch" not in out


def test_unknown_select_code_exits_2_with_a_suggestion(capsys: pytest.CaptureFixture[str],
                                                       clean: Path) -> None:
    """A typo in --select is a usage error that suggests the nearest codes."""
    code, out, err = run(capsys, "check", "--offline", "--select", "url-insecur", str(clean))
    assert code == 2
    assert out == ""
    assert "unknown check code 'url-insecur'" in err
    assert "did you mean" in err and "url-insecure" in err
    assert "Traceback" not in err


def test_unknown_ignore_code_exits_2(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """--ignore is checked the same way."""
    code, _, err = run(capsys, "check", "--offline", "--ignore", "missing-feild", str(clean))
    assert code == 2
    assert "missing-field" in err


@pytest.mark.parametrize("make", ["missing", "directory", "binary", "bad-json"])
def test_unreadable_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  make: str) -> None:
    """A missing, binary or broken file is one clear error line and exit 2, never a traceback."""
    if make == "missing":
        path = tmp_path / "nope.txt"
    elif make == "directory":
        path = tmp_path / "folder.txt"
        path.mkdir()
    elif make == "binary":
        path = tmp_path / "bin.txt"
        path.write_bytes(b"\x00\x01\x02garbage\x00" * 20)
    else:
        path = tmp_path / "broken.json"
        path.write_text('[{"id": "x",', encoding="utf-8")
    code, out, err = run(capsys, "check", "--offline", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("citekit: error: ") and str(path.name) in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv", [
    ["check"],
    ["check", "--offline", "--format", "xml", "x.txt"],
    ["check", "--offline", "--fix", "--in-place", "x.txt"],
])
def test_bad_command_lines_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """argparse usage errors keep exit code 2."""
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err


def test_fix_takes_one_path(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """--fix on two files is refused."""
    code, _, err = run(capsys, "check", "--offline", "--fix", str(clean), str(clean))
    assert code == 2
    assert "exactly one PATH" in err


def test_output_without_fix_is_a_usage_error(capsys: pytest.CaptureFixture[str], clean: Path,
                                             tmp_path: Path) -> None:
    """-o alone would silently write nothing; it is refused instead."""
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "check", "--offline", "-o", str(out), str(clean))
    assert code == 2
    assert "--fix" in err
    assert not out.exists()


# ----------------------------------------------------------------------------- text output


def test_text_output_is_compiler_style(capsys: pytest.CaptureFixture[str]) -> None:
    """Each finding is `path:line:col: severity code message`, fixes indented, a summary last."""
    code, out, _ = run(capsys, "check", "--offline", str(SAMPLE))
    lines = out.rstrip("\n").split("\n")
    summary = SUMMARY_RE.match(lines[-1])
    assert summary is not None
    findings = [LINE_RE.match(ln) for ln in lines[:-1] if not ln.startswith("    ")]
    assert all(findings), [ln for ln in lines[:-1] if not LINE_RE.match(ln)]
    fixes = [ln for ln in lines[:-1] if ln.startswith("    ")]
    assert fixes and all(FIX_RE.match(ln) for ln in fixes)
    matched = [m for m in findings if m is not None]
    assert all(m["path"] == str(SAMPLE) and m["code"] in CODES for m in matched)
    counts = [sum(m["severity"] == s for m in matched) for s in ("error", "warning", "info")]
    assert [int(g) for g in summary.groups()[:3]] == counts
    assert summary.group(4) == "1"
    kwak = next(m for m in matched if m["code"] == "citation-year-mismatch")
    assert (kwak["line"], kwak["col"]) == ("29", "259")
    dash = next(m for m in matched if m["code"] == "repeated-author-dash")
    assert dash["key"] == "easley2023" and dash["line"] == "55"


def test_no_colour_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    """Piped output carries no ANSI escapes."""
    _, out, _ = run(capsys, "check", "--offline", str(SAMPLE))
    assert ANSI not in out


def test_no_colour_through_a_real_pipe() -> None:
    """The installed command, run as a subprocess with a pipe, prints plain text."""
    proc = subprocess.run([sys.executable, "-m", "citekit", "check", "--offline", str(SAMPLE)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert ANSI not in proc.stdout
    assert SUMMARY_RE.match(proc.stdout.rstrip("\n").split("\n")[-1])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the severities are coloured; NO_COLOR turns that off."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    term = _Terminal()
    monkeypatch.setattr(sys, "stdout", term)
    assert main(["check", "--offline", str(SAMPLE)]) == 1
    assert ANSI in term.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    term = _Terminal()
    monkeypatch.setattr(sys, "stdout", term)
    main(["check", "--offline", str(SAMPLE)])
    assert ANSI not in term.getvalue()


def test_several_paths_in_one_report(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """Findings of every file, one summary counting the files."""
    code, out, _ = run(capsys, "check", "--offline", str(clean), str(SAMPLE))
    assert code == 1
    assert out.rstrip().endswith("in 2 files")


def test_select_by_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    """--select url- keeps only the URL findings."""
    code, out, _ = run(capsys, "check", "--offline", "--select", "url-", str(SAMPLE))
    codes = {m["code"] for m in map(LINE_RE.match, out.splitlines()) if m}
    assert codes == {"url-insecure", "url-text-fragment", "url-whitespace", "url-date-mismatch"}
    assert code == 0  # the only error (a citation) is not selected


# ----------------------------------------------------------------------------- JSON and SARIF


def test_json_output_matches_the_documented_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json validates against docs/json-report.schema.json (version 1)."""
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", str(SAMPLE))
    assert code == 1
    data = json.loads(out)
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["version"] == 1
    assert data["paths"] == [str(SAMPLE)]
    assert data["summary"]["errors"] == 1
    assert len(data["findings"]) == sum(data["summary"][k] for k in ("errors", "warnings", "info"))
    kwak = next(f for f in data["findings"] if f["code"] == "citation-year-mismatch")
    assert kwak["location"] == {"path": str(SAMPLE), "line": 29, "col": 259, "key": None}
    assert kwak["evidence"]["cited-year"] == "2023" and kwak["evidence"]["list-year"] == "2024"
    ws = next(f for f in data["findings"] if f["code"] == "url-whitespace")
    assert ws["fix"]["automatic"] is True and ws["fix"]["field"] == "URL"


def test_json_output_of_a_clean_file(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """A clean run is still a full, valid document."""
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", str(clean))
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["findings"] == []


def test_schema_rejects_a_wrong_version() -> None:
    """The schema really constrains the output (a check on the check)."""
    bad = {"version": 2, "tool": {"name": "citekit", "version": "0"}, "paths": [], "notices": [],
           "summary": {"errors": 0, "warnings": 0, "info": 0, "unverified": 0}, "findings": []}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, REPORT_SCHEMA)


def run_json(capsys: pytest.CaptureFixture[str]) -> str:
    """The JSON report of the sample (to compare counts with SARIF)."""
    main(["check", "--offline", "--format", "json", str(SAMPLE)])
    return capsys.readouterr().out


def test_sarif_output_has_the_required_structure(capsys: pytest.CaptureFixture[str]) -> None:
    """SARIF 2.1.0: version, one run, a driver with rules, results with rule, level, location."""
    code, out, _ = run(capsys, "check", "--offline", "--format", "sarif", str(SAMPLE))
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    assert "sarif-2.1.0" in log["$schema"]
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "citekit"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for rule in driver["rules"]:
        assert rule["id"] in CODES
        assert rule["shortDescription"]["text"] == CODES[rule["id"]].summary
        assert "helpUri" not in rule  # SARIF requires it absolute; the docs have no fixed URL
        assert f"'{rule['id']}' section" in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    results = run_["results"]
    assert len(results) == len(json.loads(run_json(capsys))["findings"])
    levels = {"error", "warning", "note"}
    for res in results:
        assert res["ruleId"] in rule_ids
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in levels
        assert res["message"]["text"]
        (loc,) = res["locations"]
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == str(SAMPLE)
        assert phys["region"]["startLine"] >= 1 and phys["region"]["startColumn"] >= 1
    kwak = next(r for r in results if r["ruleId"] == "citation-year-mismatch")
    assert kwak["level"] == "error"
    assert kwak["locations"][0]["physicalLocation"]["region"] == {"startLine": 29,
                                                                   "startColumn": 259}
    info = next(r for r in results if r["ruleId"] == "missing-doi")
    assert info["level"] == "note"
    assert info["properties"]["key"] in {"easley2017", "fish2023"}


# ----------------------------------------------------------------------------- --fix


def test_fix_to_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--fix -o writes the repaired file and reports what is left for a person."""
    out = tmp_path / "fixed.txt"
    code, stdout, _ = run(capsys, "check", "--offline", "--fix", "-o", str(out), str(SAMPLE))
    assert code == 1  # the Kwak year still needs a person
    assert out.exists()
    assert re.search(r"^citekit: applied \d+ automatic fix\(es\); wrote ", stdout, re.M)
    codes = sorted(m["code"] for m in map(LINE_RE.match, stdout.splitlines()) if m)
    assert codes == sorted(["citation-year-mismatch", "missing-doi", "missing-doi",
                            "url-insecure", "url-date-mismatch"])
    assert all(m["path"] == str(out) for m in map(LINE_RE.match, stdout.splitlines()) if m)


def test_fix_to_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--fix without -o prints the repaired text on stdout and the report on stderr."""
    code, stdout, stderr = run(capsys, "check", "--offline", "--fix", str(SAMPLE))
    assert code == 1
    assert "(Lowy Institute 2024)" in stdout and stdout.startswith("Borrowed Time")
    assert "repaired text on stdout" in stderr
    assert SUMMARY_RE.match(stderr.rstrip("\n").split("\n")[-1])


def test_in_place(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--in-place rewrites the file and keeps PATH.bak."""
    target = tmp_path / "doc.txt"
    target.write_bytes(SAMPLE.read_bytes())
    code, stdout, _ = run(capsys, "check", "--offline", "--in-place", str(target))
    assert code == 1
    assert (tmp_path / "doc.txt.bak").read_bytes() == SAMPLE.read_bytes()
    assert "(Lowy Institute 2024)" in target.read_text(encoding="utf-8")
    assert "original kept as" in stdout


def test_in_place_keeps_line_ends_and_encoding(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    """Only the repaired spans change: CRLF line ends and a Latin-1 encoding are kept."""
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    run(capsys, "check", "--offline", "--in-place", str(crlf))
    data = crlf.read_bytes()
    assert b"(Lowy Institute 2024)" in data
    assert data.count(b"\n") == data.count(b"\r\n") > 100
    latin = tmp_path / "latin.txt"
    text = SAMPLE.read_text(encoding="utf-8").replace("\u2019", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    text = "Caf\u00e9 notes\n\n" + "".join(ch for ch in text if ord(ch) < 256)
    latin.write_bytes(text.encode("latin-1"))
    run(capsys, "check", "--offline", "--in-place", str(latin))
    data = latin.read_bytes()
    assert data.startswith("Caf\u00e9".encode("latin-1")) and b"(Lowy Institute 2024)" in data


def test_write_errors_are_usage_errors_not_crashes(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    """Writing over a directory is a clear error (exit 2), not an internal error."""
    folder = tmp_path / "adir"
    folder.mkdir()
    code, _, stderr = run(capsys, "convert", str(ROOT / "bib" / "seed-references.json"),
                          "-t", "csl-json", "-o", str(folder))
    assert code == 2 and "cannot write" in stderr and "Traceback" not in stderr
    assert list(folder.iterdir()) == []


def test_fix_json_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--fix --format json prints only the remaining report, as valid JSON."""
    out = tmp_path / "fixed.txt"
    code, stdout, _ = run(capsys, "check", "--offline", "--fix", "-o", str(out), "--format",
                          "json", str(SAMPLE))
    data = json.loads(stdout)
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["summary"] == {"errors": 1, "warnings": 2, "info": 2, "unverified": 0}
    assert code == 1


# ----------------------------------------------------------------------------- the network hook


class _FakeNetworkResult:
    def __init__(self, unverified: int) -> None:
        from citekit.check import Finding, Location, Severity

        self.findings = [Finding("url-unverified", Severity.WARNING, "could not be checked",
                                 Location(path="clean.json", line=1, col=1))] * unverified
        self.notices = ["network unreachable: links were not checked"]
        self.unverified = unverified


@pytest.fixture
def fake_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """A stand-in for citekit.check.network that records calls and answers 'unverified'."""
    import types

    calls: list[object] = []
    module = types.ModuleType("citekit.check.network")

    def run_network_checks_sync(bib: object, config: object, progress: object = None) -> object:
        calls.append(bib)
        return _FakeNetworkResult(unverified=2)

    module.run_network_checks_sync = run_network_checks_sync  # type: ignore[attr-defined]
    module.load_config = lambda overrides: None  # type: ignore[attr-defined]
    module.terminal_progress = lambda: contextlib.nullcontext()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "citekit.check.network", module)
    return calls


def test_unverified_network_checks_exit_3(capsys: pytest.CaptureFixture[str], clean: Path,
                                          fake_network: list[object]) -> None:
    """No errors but unverified network checks: exit 3, with the notice and the count shown."""
    code, out, _ = run(capsys, "check", str(clean))
    assert code == 3
    assert len(fake_network) == 1
    assert out.startswith("note: network unreachable")
    assert out.rstrip().endswith("2 network check(s) could not be verified")


def test_offline_never_calls_the_network_layer(capsys: pytest.CaptureFixture[str], clean: Path,
                                               fake_network: list[object]) -> None:
    """--offline skips the network hook entirely."""
    code, out, _ = run(capsys, "check", "--offline", str(clean))
    assert code == 0 and fake_network == []
    assert "note:" not in out


def test_json_reports_unverified_and_notices(capsys: pytest.CaptureFixture[str], clean: Path,
                                             fake_network: list[object]) -> None:
    """The JSON summary carries the unverified count and the run's notices."""
    code, out, _ = run(capsys, "check", "--format", "json", str(clean))
    data = json.loads(out)
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["summary"]["unverified"] == 2
    assert data["notices"] == ["network unreachable: links were not checked"]
    assert code == 3


def test_sarif_message_ends_each_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    """The fix is appended to the SARIF message as its own sentence."""
    _, out, _ = run(capsys, "check", "--offline", "--format", "sarif", str(SAMPLE))
    results = json.loads(out)["runs"][0]["results"]
    ws = next(r for r in results if r["ruleId"] == "url-whitespace")
    assert ". Fix: URL: https://" in ws["message"]["text"]
    assert all(" Fix: " not in r["message"]["text"].split(". Fix: ")[0] for r in results)


def test_codes_lists_every_code_with_severity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codes"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert sorted(r[0] for r in rows) == sorted(CODES)
    for code, severity, where, summary in rows:
        assert severity == CODES[code].severity.value
        assert where == ("network" if CODES[code].network else "offline")
        assert summary == CODES[code].summary


def test_codes_filters_by_prefix_and_rejects_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codes", "url-"]) == 0
    listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed and all(c.startswith("url-") for c in listed)
    assert main(["codes", "url-whitespce"]) == 2
    assert "url-whitespace" in capsys.readouterr().err


def test_standard_input_is_read_for_a_dash(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    text = "References\n\nSmith, J. 2020. \u201cA Title.\u201d Journal A, 1(2): 3-4.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, stdout, _ = run(capsys, "check", "--offline", "-")
    assert code == 0 and "<stdin>:3:1: info missing-doi [smith2020]" in stdout
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, _, stderr = run(capsys, "check", "--offline", "--in-place", "-")
    assert code == 2 and "not standard input" in stderr


def test_fix_to_stdout_keeps_crlf_and_encoding(capsysbinary: pytest.CaptureFixture[bytes],
                                               tmp_path: Path) -> None:
    """The repaired text on stdout has the bytes -o would write: CRLF and Latin-1 stay."""
    src = tmp_path / "refs.txt"
    src.write_bytes("Smith, Jos\u00e9. 2019. Book One. London: Routledge.\r\n\r\n"
                    "Lee, Ann. 2020. \u201cTitle.\u201d Journal 3 (1): 1-10. "
                    "https://www.example.org /a/b\r\n".replace("\u201c", '"')
                    .replace("\u201d", '"').encode("latin-1"))
    out = tmp_path / "fixed.txt"
    main(["check", "--offline", "--fix", "-o", str(out), str(src)])
    capsysbinary.readouterr()
    main(["check", "--offline", "--fix", str(src)])
    stdout = capsysbinary.readouterr().out
    assert stdout == out.read_bytes()
    assert b"https://www.example.org/a/b\r\n" in stdout and "Jos\u00e9".encode("latin-1") in stdout


def test_in_place_with_nothing_to_repair_leaves_the_file(capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    src = tmp_path / "refs.txt"
    src.write_text("Smith, John. 2019. Book One. London: Routledge.\n\n"
                   "Lee, Ann. 2020. \"Title.\" Journal 3 (1): 1-10.\n", encoding="utf-8")
    before = src.stat().st_mtime_ns
    code, stdout, _ = run(capsys, "check", "--offline", "--in-place", str(src))
    assert "nothing to repair automatically" in stdout
    assert src.stat().st_mtime_ns == before and not (tmp_path / "refs.txt.bak").exists()


def test_a_doi_found_in_a_publisher_link_is_reported_once_and_fixed_as_a_doi_link(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The parser left the DOI inside the Springer link, so the normaliser took it out; the
    text is still patched with the doi.org link (it was patched with the bare DOI)."""
    src = tmp_path / "refs.txt"
    src.write_text("Adams, Jane. 2020. \"One.\" Journal A 1 (1): 1-2. "
                   "https://link.springer.com/article/10.1007/s11127-020-00789-1\n\n"
                   "Brown, Kim. 2021. \"Two.\" Journal B 2 (2): 3-4. "
                   "https://onlinelibrary.wiley.com/doi/abs/10.1111/ajps.12345\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--offline", str(src))
    assert [m["key"] for m in map(LINE_RE.match, out.splitlines())
            if m and m["code"] == "doi-in-url"] == ["adams2020", "brown2021"]
    fixed = tmp_path / "fixed.txt"
    run(capsys, "check", "--offline", "--fix", "-o", str(fixed), str(src))
    text = fixed.read_text(encoding="utf-8")
    assert "1-2. https://doi.org/10.1007/s11127-020-00789-1\n" in text
    assert "3-4. https://doi.org/10.1111/ajps.12345\n" in text


def test_in_place_with_nothing_to_repair_reports_the_files_own_lines(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "refs.bib"
    # compact entries: written out again, the second would start on another line
    src.write_text("@book{adams2018, author = {Adams, Jo}, title = {One},\n  year = {2018}, "
                   "publisher = {P}}\n@book{lee2019,\n  author = {Lee, Ann}, title = {Book}, "
                   "year = {2019}}\n", encoding="utf-8")
    code, stdout, _ = run(capsys, "check", "--offline", "--in-place", str(src))
    assert "nothing to repair automatically" in stdout
    lines = [m for m in map(LINE_RE.match, stdout.splitlines()) if m]
    assert lines and all(m["line"] == "3" for m in lines)  # lee2019's line in the file


def test_fix_rewrites_a_markdown_autolink_and_counts_only_what_it_wrote(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "doc.md"
    src.write_text("## References\n\nKim, B. 2022. \"Dunes.\" *Journal of Coasts* 5 (1): 1-9. "
                   "<https://onlinelibrary.wiley.com/doi/full/10.1002/jc.2022.5?af=R>.\n",
                   encoding="utf-8")
    once, twice = tmp_path / "once.md", tmp_path / "twice.md"
    run(capsys, "check", "--offline", "--fix", "-o", str(once), str(src))
    assert "<https://doi.org/10.1002/jc.2022.5>." in once.read_text(encoding="utf-8")
    _, stdout, _ = run(capsys, "check", "--offline", "--fix", "-o", str(twice), str(once))
    assert twice.read_bytes() == once.read_bytes()
    assert "applied 0 automatic fix(es)" in stdout


@pytest.mark.parametrize("name, what", [("page.html", "a web page"),
                                        ("report.docx", "a word-processor document"),
                                        ("paper.pdf", "a PDF")])
def test_formats_citekit_does_not_read_are_named(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path, name: str, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"<html></html>")
    code, _, err = run(capsys, "check", "--offline", str(path))
    assert code == 2 and f"does not read {what}" in err and ".txt" in err


def test_a_full_stop_after_a_markdown_autolink_is_no_part_of_the_link(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "doc.md"
    src.write_text("## References\n\nLee, A. 2021. \"Sand.\" *J* 4 (2): 3-9. "
                   "<https://example.org/sand>.\n", encoding="utf-8")
    _, stdout, _ = run(capsys, "check", "--offline", str(src))
    assert "url-trailing-punctuation" not in stdout
