"""The experiment flags of issue 6's ninth round: one corpus alone, corpus copies, word clusters.

All are off by default; these tests hold what each does when it is on, on a tiny sample.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citekit.parse.tagger import features
from citekit.parse.tagger.clusters import (build_clusters, clusters_path, load_clusters,
                                           save_clusters, word_key)
from citekit.parse.tagger.data import CORPORA
from citekit.parse.tagger.model import Tagger
from citekit.parse.tagger.tokens import tokenize
from citekit.parse.tagger.train import main

ANY = [["author", "Smith, J."], ["date", "(2010)."], ["title", "A first title."],
       ["journal", "Journal of Tests,"], ["volume", "12,"], ["pages", "45–67."]]
GRO = [["author", "K. Lee and M. Park,"], ["title", "Fast tagging,"],
       ["journal", "Review of Examples"], ["volume", "4"], ["date", "(2018)"], ["pages", "10–20"]]


def _write(folder: Path, name: str, segs: list, times: int = 4) -> None:
    with open(folder / name, "w", encoding="utf-8") as fh:
        for _ in range(times):
            fh.write(json.dumps({"raw": " ".join(t for _, t in segs), "segments": segs}) + "\n")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    _write(tmp_path, CORPORA[0], ANY)
    _write(tmp_path, CORPORA[2], GRO)
    return tmp_path


@pytest.fixture(autouse=True)
def no_clusters_after():
    yield
    features.set_clusters(None)


def _attributes(model: Path) -> set[str]:
    """The attributes the model file keeps (those L1 left a weight)."""
    return set(Tagger(model).attributes())


def _train(data: Path, out: Path, *extra: str) -> int:
    return main(["--data", str(data), "--out", str(out), "--all", "--synthetic", "0",
                 "--max-iterations", "15", *extra])


@pytest.mark.parametrize("corpora, seen, unseen", [
    ("anystyle", "smith", "park"), ("grobid", "park", "smith")])
def test_one_corpus_alone(data: Path, corpora: str, seen: str, unseen: str,
                          capsys) -> None:
    out = data / "m.crfsuite"
    assert _train(data, out, "--corpora", corpora) == 0
    assert "trained on 4 references" in capsys.readouterr().out
    attrs = _attributes(out)
    assert any(seen in a for a in attrs) and not any(unseen in a for a in attrs)


def test_corpus_copies_prefix_the_attributes_of_each_corpus(data: Path) -> None:
    both, grobid = data / "both.crfsuite", data / "grobid.crfsuite"
    assert _train(data, both, "--corpus-copies", "both") == 0
    assert _train(data, grobid, "--corpus-copies", "grobid") == 0
    attrs = _attributes(both)
    assert any(a.startswith("A:") and "smith" in a for a in attrs)
    assert any(a.startswith("G:") and "park" in a for a in attrs)
    assert not any(a.startswith("A:") and "park" in a for a in attrs)
    attrs = _attributes(grobid)
    assert any(a.startswith("G:") and "park" in a for a in attrs)
    assert not any(a.startswith("A:") for a in attrs)
    # Tagging sees the shared attributes only, and still labels.
    labels = Tagger(grobid).tag_tokens(
        [tokenize("Smith, J. (2010). A first title. Journal of Tests, 12, 45–67.")])[0].labels
    assert labels[0] == "author"


def test_corpus_copies_with_a_lower_value(data: Path) -> None:
    from citekit.parse.tagger.train import _valued

    assert _valued([b"w=of", b"s=x", b"w=of"], b"G:", 0.25) == {
        "w=of": 2.0, "G:w=of": 0.5, "s=x": 1.0, "G:s=x": 0.25}
    out = data / "low.crfsuite"
    assert _train(data, out, "--corpus-copies", "both", "--corpus-copy-value", "0.25") == 0
    tagging = Tagger(out).tag_tokens([tokenize("K. Lee and M. Park, Fast tagging, Review of "
                                               "Examples 4 (2018) 10–20")])[0]
    assert tagging.labels[0] == "author" and tagging.labels[-1] == "pages"


def test_without_the_flags_no_copies_and_no_clusters(data: Path) -> None:
    out = data / "m.crfsuite"
    assert _train(data, out) == 0
    attrs = _attributes(out)
    assert not any(a.startswith(("A:", "G:", "c1=", "c2=", "c-1=")) for a in attrs)
    assert not clusters_path(out).exists()


def test_clusters_group_words_of_like_contexts_reproducibly() -> None:
    sentences = []
    for journal in ("journal", "review", "bulletin", "annals"):
        for place in ("london", "paris", "berlin", "boston"):
            sentences.append(["Smith,", "J.", "(2010).", "Title.", journal.title(), "of",
                              "Tests,", "12,", "45–67."])
            sentences.append(["Doe,", "A.", "Book.", place.title() + ":", "Example",
                              "Press,", "1999."])
    a = build_clusters(sentences, dims=4, ks=(2, 4))
    b = build_clusters(sentences, dims=4, ks=(2, 4))
    assert a == b
    assert a["journal"] == a["review"] == a["bulletin"] == a["annals"]
    assert a["london"] == a["paris"] == a["berlin"] == a["boston"]
    assert a["journal"][0] != a["london"][0]
    assert "12" not in a  # words without a letter get no cluster
    assert word_key("(Journal,") == "journal"


def test_clusters_travel_with_the_model_and_become_features(data: Path) -> None:
    out = data / "m.crfsuite"
    assert _train(data, out, "--clusters") == 0
    saved = load_clusters(clusters_path(out))
    assert saved["journal"] and saved["review"]
    assert features._CLUSTERS == {}  # training leaves the module-wide table empty
    assert any(a.startswith("c1=") for a in _attributes(out))
    with pytest.warns(RuntimeWarning, match="slow path"):
        tagger = Tagger(out)
        tagger.tag_tokens([tokenize("Doe, J. (2011). Title. Journal of Tests, 3, 1–2.")] * 40,
                          marginals=False)
    assert features._CLUSTERS == saved
    round_trip = data / "again.clusters"
    save_clusters(saved, round_trip)
    assert load_clusters(round_trip) == saved
