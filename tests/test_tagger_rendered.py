"""Training strings rendered by citekit's CSL engine: labelled by field, reproducible."""

from __future__ import annotations

import random

from citekit.model import Name
from citekit.parse.tagger import rendered
from citekit.parse.tagger.journals import style_journal_titles
from citekit.parse.tagger.synth import Pools


def _pools() -> rendered.RenderPools:
    base = Pools(
        names=[Name(family="Smith", given="John"), Name(family="Brown", given="Anne Marie"),
               Name(family="Okafor", given="Chidi"), Name(family="Lindqvist", given="Eva"),
               Name(family="Moreau", given="Luc"), Name(family="Tanaka", given="Yui"),
               Name(family="Garcia", given="Ines"), Name(family="Novak", given="Petr"),
               Name(family="Haddad", given="Omar"), Name(family="Kowalski", given="Jan"),
               Name(family="Fischer", given="Greta"), Name(family="Silva", given="Rui")],
        titles=["Learning to parse references", "A history of the printed page",
                "Measuring rainfall in alpine valleys"],
        journals=["Journal of Documentation", "Annals of Applied Statistics"],
        books=["Handbook of Reference Work"], publishers=["Example Press"],
        places=["London"], outlets=["Daily Planet"])
    return rendered.RenderPools(base, dois=["10.1108/00220411011023456"],
                                urls=["https://www.example.org/page"], series=["Lecture Notes"],
                                genres=["PhD thesis"])


def _fields(ex) -> dict[str, str]:
    out: dict[str, str] = {}
    for tok, label in zip(ex.tokens, ex.labels):
        out[label] = (out.get(label, "") + " " + tok.text).strip()
    return out


def test_a_journal_article_is_labelled_field_by_field() -> None:
    item = {"id": "r0", "type": "article-journal", "title": "Learning to parse references",
            "author": [{"family": "Smith", "given": "John"}, {"family": "Brown", "given": "Anne"}],
            "container-title": "Journal of Documentation", "volume": "66", "issue": "2",
            "page": "123-145", "issued": {"date-parts": [[2010]]}}
    apa = _fields(rendered._batch([item], "apa")[0])
    assert apa == {"author": "Smith, J., & Brown, A.", "date": "(2010).",
                   "title": "Learning to parse references.",
                   "container-title": "Journal of Documentation,", "volume": "66",
                   "issue": "(2),", "pages": "123–145."}
    ieee = _fields(rendered._batch([item], "ieee")[0])
    assert ieee["citation-number"] == "[1]"
    assert ieee["volume"] == "vol. 66," and ieee["issue"] == "no. 2,"
    assert ieee["pages"] == "pp. 123–145," and ieee["date"] == "2010."
    # Vancouver writes "2010;66(2):123–45." as one word: the fields are the tagger's tokens.
    van = _fields(rendered._batch([item], "vancouver")[0])
    assert van["date"] == "2010;" and van["volume"] == "66" and van["pages"] == "123–45."


def test_a_doi_link_is_labelled_as_the_corpora_label_it() -> None:
    item = {"id": "r0", "type": "article-journal", "title": "A title",
            "author": [{"family": "Smith", "given": "John"}], "container-title": "Nature",
            "volume": "1", "page": "1-2", "issued": {"date-parts": [[2001]]},
            "DOI": "10.1000/xyz123"}
    assert _fields(rendered._batch([item], "apa")[0])["url"] == "https://doi.org/10.1000/xyz123"


def test_rendered_strings_are_reproducible_and_every_token_is_labelled(monkeypatch) -> None:
    # Three styles keep the test short; every style goes through the same code.
    monkeypatch.setattr(rendered, "STYLES", (("apa", 1), ("ieee", 1), ("mhra-notes", 1)))
    pools = _pools()
    first = rendered.generate(pools, 30, seed=13)
    again = rendered.generate(pools, 30, seed=13)
    assert [e.raw for e in first] == [e.raw for e in again]
    assert [e.labels for e in first] == [e.labels for e in again]
    assert len(first) >= 25
    for ex in first:
        assert len(ex.tokens) == len(ex.labels) and "O" not in ex.labels
        assert "title" in ex.labels
    assert [e.raw for e in rendered.generate(pools, 30, seed=7)] != [e.raw for e in first]


def test_items_are_of_the_common_types() -> None:
    maker = rendered._Items(_pools(), random.Random(1))
    kinds = {maker.item()["type"] for _ in range(200)}
    assert {"article-journal", "book", "chapter", "paper-conference", "report", "thesis",
            "webpage", "article-newspaper"} <= kinds


def test_changed_parts_are_widened_to_tokens_and_skip_the_number() -> None:
    whole = "[10] J. Smith, Title, 2010;66(2):123-45."
    other = "[3] J. Smith, Title, 2010;77(2):123-45."
    assert [whole[a:b] for a, b in rendered._changed(whole, other, numbered=True)] == ["66"]
    # A value the style writes twice (IEEE's series volume) gives two parts.
    whole = "Book, vol. 12, J. Lee, Ed., in Series, vol. 12."
    other = "Book, vol. 23, J. Lee, Ed., in Series, vol. 23."
    assert [whole[a:b] for a, b in rendered._changed(whole, other)] == ["12,", "12."]


def test_style_journal_titles_are_journals() -> None:
    titles = set(style_journal_titles())
    assert "Physical Review Letters" in titles and "Journal of Molecular Biology" in titles
    assert not any(t.startswith(("APA", "Chicago Manual")) or " " not in t for t in titles)
