"""The training script runs end to end on a tiny labelled sample, and its split is stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citekit.parse.tagger import parse
from citekit.parse.tagger.data import CORPORA, is_dev, read_examples
from citekit.parse.tagger.model import Tagger
from citekit.parse.tagger.train import main

SAMPLE = [
    [["author", "Smith, J."], ["date", "(2010)."], ["title", "A first title."],
     ["journal", "Journal of Tests,"], ["volume", "12(3),"], ["pages", "45–67."]],
    [["author", "Brown, A., & Green, B."], ["date", "(2012)."], ["title", "Another study."],
     ["journal", "Review of Examples,"], ["volume", "4,"], ["pages", "1–9."]],
    [["author", "Doe, Jane."], ["title", "A Book of Things."], ["location", "London:"],
     ["publisher", "Example Press,"], ["date", "1999."]],
    [["citation-number", "[4]"], ["author", "K. Lee and M. Park,"], ["title", "\"Fast tagging,\""],
     ["container-title", "in Proc. Test Conf.,"], ["date", "2018,"], ["pages", "pp. 10–20."]],
]


def write_sample(folder: Path) -> None:
    with open(folder / CORPORA[0], "w", encoding="utf-8") as fh:
        for segs in SAMPLE * 3:
            raw = " ".join(text for _, text in segs)
            fh.write(json.dumps({"raw": raw, "segments": segs}) + "\n")


def test_training_script_writes_a_usable_model(tmp_path: Path, capsys) -> None:
    write_sample(tmp_path)
    out = tmp_path / "tiny.crfsuite"
    code = main(["--data", str(tmp_path), "--out", str(out), "--seed", "13",
                 "--max-iterations", "20", "--all", "--synthetic", "20"])
    assert code == 0
    assert "trained on 32 references (20 synthetic)" in capsys.readouterr().out
    tagger = Tagger(out)
    entry = parse("Smith, J. (2010). A first title. Journal of Tests, 12(3), 45–67.", tagger)
    assert entry.author and entry.author[0].family == "Smith"
    assert entry.year == 2010


def test_failed_training_leaves_the_old_model_and_gazetteer(tmp_path: Path, monkeypatch) -> None:
    from citekit.parse.tagger import train as train_module

    write_sample(tmp_path)
    out = tmp_path / "tiny.crfsuite"
    gazetteer = out.with_suffix(".gazetteer")
    out.write_bytes(b"old model")
    gazetteer.write_text("old gazetteer\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(train_module, "train", fail)
    with pytest.raises(KeyboardInterrupt):
        main(["--data", str(tmp_path), "--out", str(out), "--all", "--synthetic", "0"])
    assert out.read_bytes() == b"old model"
    assert gazetteer.read_text(encoding="utf-8") == "old gazetteer\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [CORPORA[0], out.name, gazetteer.name])


def test_training_script_without_data_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["--data", str(tmp_path), "--out", str(tmp_path / "m.crfsuite")]) == 2


def test_volume_issue_and_gaps_are_labelled_consistently(tmp_path: Path) -> None:
    write_sample(tmp_path)
    examples = list(read_examples([tmp_path / CORPORA[0]]))
    first = examples[0]
    pairs = dict(zip([t.text for t in first.tokens], first.labels))
    assert pairs["12"] == "volume" and pairs["(3),"] == "issue"
    fourth = examples[3]
    assert "O" not in fourth.labels


def test_dev_split_is_deterministic_and_about_one_in_ten() -> None:
    texts = [f"Author {i}. Title {i}. 20{i % 25:02d}." for i in range(2000)]
    first = [is_dev(t) for t in texts]
    assert first == [is_dev(t) for t in texts]
    assert 120 < sum(first) < 280
    assert is_dev("Smith,  J.  2010.") == is_dev("Smith, J. 2010.")


def test_synthetic_references_are_labelled_and_reproducible(tmp_path: Path) -> None:
    from citekit.parse.tagger.synth import generate, harvest

    write_sample(tmp_path)
    examples = list(read_examples([tmp_path / CORPORA[0]]))
    pools = harvest(examples)
    first = generate(pools, 40, seed=13)
    again = generate(pools, 40, seed=13)
    assert len(first) == 40
    assert [e.raw for e in first] == [e.raw for e in again]
    for ex in first:
        assert len(ex.tokens) == len(ex.labels)
        assert "title" in ex.labels and "author" in ex.labels or "citation-number" in ex.labels


def test_training_with_the_averaged_perceptron(tmp_path: Path, capsys) -> None:
    write_sample(tmp_path)
    out = tmp_path / "ap.crfsuite"
    assert main(["--data", str(tmp_path), "--out", str(out), "--seed", "13", "--all",
                 "--max-iterations", "10", "--synthetic", "0", "--algorithm", "ap"]) == 0
    entry = parse("Brown, A. (2012). Another study. Review of Examples, 4, 1–9.", Tagger(out))
    assert entry.author and entry.author[0].family == "Brown"


def test_unlabelled_cue_words_join_the_field_they_introduce() -> None:
    from citekit.parse.tagger.data import align

    ex = align("Lee, K. Logic, volume 36 of Lecture Notes, 1999. Epub 2012. PubMed PMID: 123.",
               [["author", "Lee, K."], ["title", "Logic"], ["volume", "volume 36"],
                ["collection-title", "Lecture Notes"], ["date", "1999"], ["date", "2012"],
                ["pmid", "PMID: 123"]], "test")
    labels = dict(zip([t.text for t in ex.tokens], ex.labels))
    assert labels["of"] == "collection-title"  # AnyStyle: "volume 36 | of Lecture Notes"
    assert labels["Epub"] == "date" and labels["PubMed"] == "identifier"
    assert labels["1999."] == "date"  # other gaps still close the field before them
    ed = align("Vita, ed. W. Levinson. MGH.", [["title", "Vita,"], ["editor", "W. Levinson."],
                                               ["container-title", "MGH."]], "test")
    assert dict(zip([t.text for t in ed.tokens], ed.labels))["ed."] == "editor"
