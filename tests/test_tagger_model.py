"""The numpy tagger reads crfsuite's model file and tags exactly as crfsuite does."""

from __future__ import annotations

import math
from pathlib import Path

import pycrfsuite
import pytest

from citekit.errors import ConfigError
from citekit.parse.tagger.features import SLOTS, sequence_features
from citekit.parse.tagger.model import MODEL_PATH, Tagger, default_tagger, read_model
from citekit.parse.tagger.tokens import tokenize

TEXTS = [
    "Smith, J. A., & Jones, B. (2010). Learning to parse references. Journal of Documentation, "
    "66(2), 123–145. https://doi.org/10.1108/00220411011023456",
    '[4] K. Lee, M. Park, et al., "Fast tagging of strings," in Proc. Test Conf., 2018, '
    "pp. 10–20.",
    "Heidegger M., 1927, Être et temps, Gallimard, Ed. 1986, Paris.",
    "Dupont, Marie. « La ville et ses marges ». Dans Histoire urbaine, sous la direction de "
    "Jean Martin, 45-67. Paris : Seuil, 2010.",
    "Kim, Jina. 2024. “Sanctions and Smuggling.” Global NK. April 15. https://example.org/a",
    "Lee JA, Park M. Tagging strings. J Test Med. 2003;24(3):301-9.",
    "x",
    "(2019) ... ; : , 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34",
]


def test_model_file_is_read_like_crfsuite_reads_it() -> None:
    labels, attrs, state, trans = read_model(MODEL_PATH)
    crf = pycrfsuite.Tagger()
    crf.open(str(MODEL_PATH))
    assert labels == crf.labels()
    info = crf.info()
    assert len(attrs) == len({a for a, _ in info.state_features})
    assert state.shape == (len(attrs) + 1, len(labels)) and not state[0].any()
    row = {a: i + 1 for i, a in enumerate(attrs)}
    for (attr, label), weight in list(info.state_features.items())[:500]:
        # crfsuite's dump prints six decimals
        assert state[row[attr.encode()], labels.index(label)] == pytest.approx(weight, abs=1e-6)
    for (src, dst), weight in info.transitions.items():
        assert trans[labels.index(src), labels.index(dst)] == pytest.approx(weight, abs=1e-6)


def test_labels_marginals_and_probability_match_crfsuite() -> None:
    crf = pycrfsuite.Tagger()
    crf.open(str(MODEL_PATH))
    tagger = default_tagger()
    tokens = [tokenize(t) for t in TEXTS]
    fast = tagger.tag_tokens(tokens, all_marginals=True)
    for toks, got in zip(tokens, fast):
        xseq = sequence_features(toks)
        want = crf.tag(xseq)
        assert got.labels == want
        assert got.probability == pytest.approx(crf.probability(want), rel=1e-9)
        for i, lab in enumerate(want):
            assert got.marginals[i] == pytest.approx(crf.marginal(lab, i), rel=1e-9, abs=1e-12)
        # the slow path (feature names, as in training) agrees with the fast one
        slow = tagger.tag(xseq)
        assert slow.labels == got.labels
        assert math.isclose(slow.probability, got.probability, rel_tol=1e-9)


def test_tagging_alone_or_in_a_batch_is_the_same() -> None:
    tagger = default_tagger()
    tokens = [tokenize(t) for t in TEXTS]
    together = tagger.tag_tokens(tokens)
    for toks, got in zip(tokens, together):
        alone = tagger.tag_tokens([toks])[0]
        assert alone.labels == got.labels
        assert alone.marginals == pytest.approx(got.marginals)


def test_a_file_that_is_not_a_model_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.crfsuite"
    bad.write_bytes(b"not a model at all" * 4)
    with pytest.raises(ConfigError):
        Tagger(bad)
    with pytest.raises(ConfigError):
        Tagger(tmp_path / "missing.crfsuite")


def test_encoder_caches_starting_afresh_change_nothing(monkeypatch) -> None:
    from citekit.parse.tagger import features

    tagger = Tagger(MODEL_PATH)
    tokens = [tokenize(t) for t in TEXTS]
    first = tagger.tag_tokens(tokens)
    monkeypatch.setattr(features, "_SCORE_CACHE_MAX", 5)
    for _ in range(3):  # every batch now starts from empty caches and a fresh table
        again = tagger.tag_tokens(list(reversed(tokens)))[::-1]
        assert [a.labels for a in again] == [f.labels for f in first]
        assert [a.probability for a in again] == pytest.approx([f.probability for f in first])


def test_parse_references_matches_parse_reference_one_by_one() -> None:
    from citekit import parse_reference, parse_references

    texts = TEXTS * 3  # enough that the tagger's share is tagged as a batch
    many = parse_references(texts)
    assert sum(e.diagnostics.get("parser") == "tagger" for e in many) >= 8
    for text, entry in zip(texts, many):
        assert entry.to_csl() == parse_reference(text).to_csl()
        assert entry.diagnostics.get("parser") == parse_reference(text).diagnostics.get("parser")


def test_decoding_sequences_in_any_order_of_length() -> None:
    import numpy as np

    tagger = default_tagger()
    seqs = [tokenize(t) for t in TEXTS]
    lens = [len(s) for s in seqs]
    assert lens != sorted(lens)
    table = tagger.encoder
    table.start()
    records = [table.records(s) for s in seqs]
    weights = table.flush()
    flat = np.concatenate([weights[np.asarray(r).reshape(SLOTS, -1).T].sum(axis=1)
                           for r in records])
    decoded = tagger._decode(flat, lens, True, False)
    for toks, got in zip(seqs, decoded):
        want = tagger.tag(sequence_features(toks))
        assert got.labels == want.labels
        assert got.probability == pytest.approx(want.probability, rel=1e-9)


def test_encoder_scores_equal_the_sum_of_the_attribute_weights() -> None:
    """The two feature paths (attribute names for training, score-table records for tagging)
    give every token the same state scores, so they cannot drift apart unnoticed."""
    import numpy as np

    tagger = default_tagger()
    seed = (Path(__file__).resolve().parents[1] / "bib" / "seed-references.txt").read_text(
        encoding="utf-8")
    texts = TEXTS + [line for line in seed.splitlines() if len(line) > 20]
    index = tagger.index
    encoder = tagger.encoder
    for text in texts:
        tokens = tokenize(text)
        if not tokens:
            continue
        names = [[a if isinstance(a, bytes) else a.encode() for a in attrs]
                 for attrs in sequence_features(tokens)]
        want = np.array([tagger._state[[0] + [index[a] for a in attrs if a in index]].sum(0)
                         for attrs in names])
        encoder.start()
        slots = np.asarray(encoder.records(tokens), dtype=np.intp).reshape(SLOTS, -1).T
        table = encoder.flush()
        got = table[slots].sum(1)
        assert got.shape == want.shape == (len(tokens), len(tagger.labels)) and want.any()
        assert np.allclose(got, want, rtol=0, atol=1e-9), text


def test_fast_token_records_equal_the_slow_path() -> None:
    """TokenRows mirrors token_features: same rows in the same order, so the same sums and
    the same record, for every token of these strings and of the seed; with the shipped model
    the encoder uses it (it falls back to the slow path only if its own check fails). The
    gazetteer's word priors are part of both paths' sums."""
    from citekit.parse.tagger.features import ScoreEncoder
    from citekit.parse.tagger.tokenrows import SAMPLE

    tagger = default_tagger()
    encoder = ScoreEncoder(tagger.index, tagger._state, tagger.gazetteer)
    assert encoder._token == encoder._fast.record
    seed = (Path(__file__).resolve().parents[1] / "bib" / "seed-references.txt").read_text(
        encoding="utf-8")
    words = {t.text for text in [*TEXTS, seed] for t in tokenize(text)}
    words |= set(SAMPLE) | {"IV.", "mmxx", "1e", "12th,", "(1999)", "[2001]", "1999a", "0-19-",
                            "..", "…", "'", "‘Title’,", "http", "a|b", "||", "Æ.", "ß",
                            "2ème", "1er,", "12º", "(3ª)", "Œuvres,", "Ærø", "Ωmega", "ǅemal"}
    for word in sorted(words):
        assert encoder._same(encoder._fast, word), word
    # many of these words carry a prior the model knows, so the priors are checked too
    with_prior = [w for w in words if tagger.gazetteer.prior(w)
                  and encoder._fast.priors.get(w.strip(".,:;()[]\"'“”").lower())]
    assert len(with_prior) > 50


def test_word_shapes_of_any_text_are_the_character_by_character_shapes() -> None:
    """``_shape`` translates non-ASCII text with a table filled on first sight: the same
    shape as classing each character (capital X, other letter x, digit 9, the rest as it
    is, runs collapsed), for every character of the Basic Multilingual Plane and beyond."""
    from citekit.parse.tagger.features import _shape

    def slow(text: str) -> str:
        classes = "".join("X" if ch.isupper() else "x" if ch.isalpha() else "9"
                          if ch.isdigit() else ch for ch in text[:12])
        out = classes[:1]
        for ch in classes[1:]:
            if ch != out[-1]:
                out += ch
        return out

    chars = [chr(c) for c in range(0x20, 0x30000, 7) if not 0xD800 <= c < 0xE000]
    for i in range(0, len(chars), 5):
        text = "".join(chars[i:i + 5]) + "a."
        assert _shape(text) == slow(text), text
        assert _shape("A" + text) == slow("A" + text), text
    for text in ("Müller,", "ÉCOLE", "2ème", "Ⅻ", "٣٤", "ǅemal", "x", "", "ⅷ.", "Σσς"):
        assert _shape(text) == slow(text), text
    # the fast token path's ASCII table, as bytes, classes alike
    from citekit.parse.tagger.features import _ASCII_SHAPE_BYTES
    ascii_all = "".join(map(chr, range(128)))
    assert ascii_all.encode().translate(_ASCII_SHAPE_BYTES).decode() == "".join(
        "X" if ch.isupper() else "x" if ch.isalpha() else "9" if ch.isdigit() else ch
        for ch in ascii_all)


def test_slow_token_path_tags_the_same() -> None:
    """The fallback (records built from token_features) gives the same tagging."""
    fast = Tagger(MODEL_PATH)
    slow = Tagger(MODEL_PATH)
    slow.encoder._token = slow.encoder._token_slow
    tokens = [tokenize(t) for t in TEXTS * 2]
    for a, b in zip(fast.tag_tokens(tokens, all_marginals=True),
                    slow.tag_tokens(tokens, all_marginals=True)):
        assert a.labels == b.labels
        assert a.marginals == pytest.approx(b.marginals, rel=1e-12, abs=1e-15)
        assert a.probability == pytest.approx(b.probability, rel=1e-12)


def test_rows_of_a_batch_are_regrouped_by_slot() -> None:
    """_slots turns consecutive slot-by-slot rows (ScoreEncoder.rows, the token sums given by
    id) into one row per slot over all tokens: the records (ScoreEncoder.records) of each
    sequence side by side, for sequences of one, two, three and more tokens."""
    import numpy as np

    from citekit.parse.tagger.model import _slots

    tagger = default_tagger()
    encoder = tagger.encoder
    seqs = [tokenize(t) for t in ["Smith", "Smith, J.", "J. Smith 2010.", *TEXTS, "Jones,"]]
    lens = [len(s) for s in seqs]
    assert lens[:3] == [1, 2, 3]
    encoder.start()
    caches = encoder.learn(seqs)
    rows = [encoder.rows(s, c) for s, c in zip(seqs, caches)]
    want = np.concatenate([np.asarray(encoder.records(s, c)).reshape(SLOTS, -1)
                           for s, c in zip(seqs, caches)], axis=1)
    encoder.flush()
    got = _slots(np.concatenate([np.asarray(r) for r in rows]), lens, encoder.token_sums,
                 encoder.class_rows)
    assert got.shape == want.shape and (got == want).all()


def test_batch_rows_give_the_same_sums_as_rows_one_reference_at_a_time() -> None:
    """batchrows.batch_rows (numpy over a whole batch) gives every token of every sequence
    the same token-text id and class pair as ScoreEncoder.rows, and for every other slot a
    table row holding the same sum to the last bit: quotes and brackets opened and closed
    (also too often), several sentences and chunks, numbered references, one-token strings."""
    import numpy as np

    from citekit.parse.tagger.batchrows import batch_rows
    from citekit.parse.tagger.features import ROW_SLOTS

    encoder = Tagger(MODEL_PATH).encoder
    odd = ["Smith", "", "(", "((a) b)) c [d [e]]] f (g h] [i j", '"a" b "c d." e', "“x” “y", "1.",
           "1. Smith: a, b, c. In: X, 2010. https://x.org 2011 In", "[3] A: b: c. D, e, f, g."]
    seqs = [tokenize(t) for t in [*odd, *TEXTS, *reversed(TEXTS), *odd]]
    encoder.start()
    caches = encoder.learn(seqs)
    want = [np.asarray(encoder.rows(s, c), dtype=np.intp).reshape(ROW_SLOTS, -1)
            for s, c in zip(seqs, caches)]
    got = batch_rows(encoder, seqs, caches)
    table = encoder.flush()
    want_all = np.concatenate(want, axis=1)
    assert got.shape == want_all.shape
    assert (got[:2] == want_all[:2]).all()
    # every slot is exercised: word pairs (11, 12) and known phrases (13) included
    assert all(got[k].any() for k in range(ROW_SLOTS))
    for k in range(2, ROW_SLOTS):
        assert (table[got[k]] == table[want_all[k]]).all(), k
