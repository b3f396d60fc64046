"""Bad input: a clear error or a recorded failure with its location — no traceback, no hang."""

from __future__ import annotations

import os
import random

import pytest

from citekit import InputError, UnreadableInputError, load, loads, parse_reference
from citekit.cli import main


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    bib = load(p)
    assert bib.entries == [] and bib.document.has_reference_list is False


def test_binary_file_is_refused(tmp_path):
    p = tmp_path / "img.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnreadableInputError, match="binary"):
        load(p)


def test_random_bytes_give_a_clear_error_in_the_cli(tmp_path, capsys):
    p = tmp_path / "noise.txt"
    p.write_bytes(random.Random(1).randbytes(4096))
    assert main(["convert", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("citekit: error:") and "noise.txt" in err and "Traceback" not in err


def test_latin1_file_is_detected(tmp_path):
    p = tmp_path / "latin1.txt"
    text = ("References\n\nM\u00fcller, J\u00fcrgen. 2020. \u201cStra\u00dfe und Br\u00fccke "
            "in der sp\u00e4ten Neuzeit.\u201d Zeitschrift f\u00fcr Geschichte, 3(1): 1-20.\n")
    p.write_bytes(text.replace("\u201c", '"').replace("\u201d", '"').encode("latin-1"))
    bib = load(p)
    assert bib.entries[0].author[0].family == "M\u00fcller"


def test_missing_file_and_directory(tmp_path, capsys):
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        load(tmp_path, "text")
    assert main(["convert", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unknown_suffix_and_format(tmp_path):
    p = tmp_path / "refs.xyz"
    p.write_text("x")
    with pytest.raises(InputError, match="-f"):
        load(p)
    with pytest.raises(InputError, match="unknown input format"):
        load(p, "word")


def test_ten_megabyte_text_is_read(tmp_path):
    block = ("Smith, John. 2020. \u201cA Title.\u201d Journal, 1(2): 3-4. https://example.org/a\n\n")
    p = tmp_path / "big.txt"
    p.write_text(block * (10_000_000 // len(block)), encoding="utf-8")
    bib = load(p, "text")
    assert len(bib.entries) == 10_000_000 // len(block)


def test_ten_thousand_character_reference():
    text = "Smith, John. 2020. \u201c" + "word " * 2000 + "\u201d Journal, 1(2): 3-4."
    e = parse_reference(text)
    assert e.author[0].family == "Smith" and e.volume == "1"


def test_overlong_reference_becomes_a_failure():
    bib = loads("Smith, J. 2020. " + "x" * 30_000, "text")
    assert bib.entries == []
    assert bib.failures[0].line == 1 and "characters long" in bib.failures[0].reason


def test_unbalanced_quotes():
    bib = loads("Lee, S. 2023. \u201cNever closed. Site. May 2.\n\nKim, A. 2024. \"Also open. X.\n", "text")
    assert [e.author[0].family for e in bib.entries] == ["Lee", "Kim"]
    assert all(e.confidence < 1 for e in bib.entries)


def test_junk_paragraph_becomes_a_failure_with_location():
    bib = loads("Smith, J. 2020. \u201cT.\u201d J, 1(1): 1-2.\n\n... ;;; ...\n", "text")
    assert len(bib.entries) == 1
    assert bib.failures and bib.failures[0].line == 3


@pytest.mark.parametrize("shape", [
    lambda n: "A" + " " * n + "b",
    lambda n: "Smith, " + "A. " * (n // 3) + "2020.",
    lambda n: "(" * (n // 2) + "Smith 2020" + ")" * (n // 2),
    lambda n: "Smith. 2020. Title. J" + " 12(3)" * (n // 6) + "x",
    lambda n: "Smith, J. " + "2020 " * (n // 5),
])
def test_adversarial_strings_finish(shape):
    # Linear-time parsing: 20,000 hostile characters must parse (the benchmark reports times).
    text = shape(19_000)
    parse_reference(text)
    loads(text, "commentary")


def test_convert_writes_atomically_and_keeps_failures_visible(tmp_path, capsys):
    src = tmp_path / "refs.txt"
    src.write_text("Smith, J. 2020. \u201cT.\u201d J, 1(1): 1-2.\n\n... ;;; ...\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["convert", "-f", "text", str(src), "-o", str(out)]) == 0
    assert out.exists() and not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    assert "could not read" in capsys.readouterr().err


def test_an_object_that_is_no_csl_item_is_a_recorded_failure() -> None:
    from citekit.readers import loads as read_string

    bib = read_string('{"not": "a list"}', "csl-json")
    assert bib.entries == [] and "none of the CSL-JSON item fields" in bib.failures[0].reason


def test_reading_nothing_is_noted(tmp_path) -> None:
    from citekit.check import CheckOptions, check

    text = tmp_path / "apa.txt"
    text.write_text("Smith, J. (2019). A title. Journal, 1(2), 3-4.\n", encoding="utf-8")
    report = check(text, options=CheckOptions(offline=True, input_format="bibtex"))
    assert report.findings == []
    assert any("no entries were read" in n for n in report.notices)


def test_a_guessed_encoding_is_noted(tmp_path) -> None:
    from citekit.check import CheckOptions, check

    path = tmp_path / "refs.txt"
    path.write_bytes("References\n\nM\u00fcller, J\u00fcrgen. 2020. \u00c9t\u00e9 \u00e0 Paris. "
                     "Paris: Gallimard.\n".encode("latin-1"))
    report = check(path, options=CheckOptions(offline=True))
    assert any("not UTF-8; read as" in n for n in report.notices)
    assert load(path).guessed_encoding
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text("References\n\nM\u00fcller, J. 2020. Title. Paris: Gallimard.\n",
                    encoding="utf-8")
    assert load(utf8).guessed_encoding is None
