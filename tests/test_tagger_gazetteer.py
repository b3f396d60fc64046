"""Known-phrase (gazetteer) features: matching, building, files, and both feature paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from citekit.parse.tagger.data import Example
from citekit.parse.tagger.features import SLOTS, ScoreEncoder, sequence_features
from citekit.parse.tagger.gazetteer import Gazetteer, fold_of
from citekit.parse.tagger.model import default_tagger
from citekit.parse.tagger.tokens import tokenize

TEXT = "A. B. Smith, Nature of things, Phys. Rev. Lett. 12 (2001); Springer, New York."


def _gazetteer() -> Gazetteer:
    return Gazetteer({"ct": ["phys rev lett", "phys rev", "nature"], "pb": ["springer"],
                      "lc": ["new york", "york"]}, {"springer": "publisher:9", "smith": "author:7"})


def _marks(text: str, gaz: Gazetteer) -> dict[str, list[str]]:
    toks = tokenize(text)
    return {t.text: sorted(a.decode() for a in m)
            for t, m in zip(toks, gaz.marks([t.text for t in toks]))}


def test_longest_phrase_marks_its_tokens() -> None:
    got = _marks(TEXT, _gazetteer())
    assert got["Phys."] == ["gzct=b3"] and got["Rev."] == ["gzct=i3"]
    assert got["Lett."] == ["gzct=e3"]
    assert got["Nature"] == ["gzct=s1", "pr-1=author:7"]  # after "Smith,"
    assert got["New"] == ["gzlc=b2", "pr-1=publisher:9"]
    assert got["York."] == ["gzlc=e2"]  # "new york", not "york" alone
    assert got["Springer,"] == ["gzpb=s1", "pr=publisher:9"]
    assert got["(2001);"] == ["pr+1=publisher:9"]  # the next token's prior
    assert got["A."] == []


def test_empty_gazetteer_marks_nothing() -> None:
    assert all(m == () for m in Gazetteer().marks(["Nature", "Springer"]))


def test_built_from_examples_saved_and_loaded(tmp_path: Path) -> None:
    toks = tokenize("Smith, J. 2001. A title. In: Journal of Tests, 12. Springer, Berlin.")
    labels = (["author"] * 2 + ["date"] + ["title"] * 2 + ["container-title"] * 4 + ["volume"]
              + ["publisher", "location"])
    assert len(labels) == len(toks)
    examples = [Example("x", toks, labels, "test")] * 3
    gaz = Gazetteer.from_examples(examples)
    assert gaz.phrases["journal of tests"] == 1  # the lead-in "In:" is dropped
    assert "springer" in gaz.phrases and "berlin" in gaz.phrases
    assert gaz.words["springer"] == "publisher:9"
    assert "in" not in gaz.words  # cue words have no prior
    path = tmp_path / "m.gazetteer"
    gaz.save(path)
    again = Gazetteer.load(path)
    assert again.phrases == gaz.phrases and again.words == gaz.words
    again.save(tmp_path / "again.gazetteer")
    assert (tmp_path / "again.gazetteer").read_bytes() == path.read_bytes()
    assert len(Gazetteer.load(tmp_path / "missing.gazetteer")) == 0


def test_folds_are_deterministic_and_spread() -> None:
    folds = [fold_of(f"reference number {i}") for i in range(500)]
    assert folds == [fold_of(f"reference  number {i} ") for i in range(500)]
    assert set(folds) == {0, 1, 2, 3, 4}


def test_encoder_scores_equal_attribute_sums_with_a_gazetteer() -> None:
    """The score-table path adds the known-phrase rows exactly as the attribute path does."""
    tagger = default_tagger()
    gaz = _gazetteer()
    texts = [TEXT, "Springer, New York: Springer; Nature Phys. Rev. Lett.", "Nature"]
    extra = sorted({a for t in texts for m in gaz.marks([x.text for x in tokenize(t)])
                    for a in m})
    index = dict(tagger.index)
    rng = np.random.default_rng(13)
    rows = rng.normal(size=(len(extra), tagger._state.shape[1]))
    for k, attr in enumerate(extra):
        index[attr] = len(tagger._state) + k
    weights = np.vstack([tagger._state, rows])
    encoder = ScoreEncoder(index, weights, gaz)
    # the fast token path (TokenRows) holds the word priors as the slow one does, so the
    # encoder's own check keeps it
    assert encoder._token == encoder._fast.record
    assert set(encoder._fast.priors) == {"springer", "smith"}
    for text in texts:
        tokens = tokenize(text)
        assert all(encoder._same(encoder._fast, t.text) for t in tokens)
        names = sequence_features(tokens, gaz)
        want = np.array([weights[[0] + [index[a] for a in attrs if a in index]].sum(0)
                         for attrs in names])
        encoder.start()
        slots = np.asarray(encoder.records(tokens), dtype=np.intp).reshape(SLOTS, -1).T
        got = encoder.flush()[slots].sum(1)
        assert np.allclose(got, want, rtol=0, atol=1e-9), text


def _scan_by_strings(gaz: Gazetteer, words: list[str]) -> dict[int, tuple[bytes, ...]]:
    """The phrase scan spelled out plainly (joined words looked up), to check the tree walk."""
    at = [i for i, w in enumerate(words) if w]
    free = [0] * len(gaz.codes)
    out: dict[int, tuple[bytes, ...]] = {}
    for s in range(len(at)):
        if not gaz.can_start(words[at[s]]):
            continue
        best: dict[int, int] = {}
        for e in range(s, len(at)):
            mask = gaz.phrases.get(" ".join(words[i] for i in at[s:e + 1]), 0)
            for b in range(len(gaz.codes)):
                if mask >> b & 1:
                    best[b] = e - s + 1
        for b, length in sorted(best.items()):
            if s < free[b]:
                continue
            free[b] = s + length
            first, last = at[s], at[s + length - 1]
            for i in range(first, last + 1):
                where = (1 if i == first else 0) | (2 if i == last else 0)
                out[i] = out.get(i, ()) + (gaz._attr(b, length, where),)
    return out


def test_phrase_scan_walks_the_words_as_joined_strings_would_match() -> None:
    seed = (Path(__file__).resolve().parents[1] / "bib" / "seed-references.txt").read_text(
        encoding="utf-8")
    texts = [TEXT, "In: New York Times, New York: Phys. Rev. -- Lett. & Nature, York"]
    texts += seed.splitlines()
    for gaz in (_gazetteer(), default_tagger().gazetteer):
        for text in texts:
            words = [gaz._token(t.text)[0] for t in tokenize(text)]
            starts = [i for i, w in enumerate(words) if gaz.can_start(w)]
            want = _scan_by_strings(gaz, words)
            got = gaz.words_marks(words, starts) if starts else {}
            assert {i: sorted(m) for i, m in got.items()} == \
                {i: sorted(m) for i, m in want.items()}, text
