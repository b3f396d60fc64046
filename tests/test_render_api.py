"""Rendering through the library API and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import citekit
from citekit.cli import main
from citekit.errors import ConfigError, StyleError
from citekit.model import Entry, Name, Date, Bibliography

ITEMS = [
    {"id": "chow2019", "type": "article-journal",
     "author": [{"family": "Chow", "given": "Jonathan T."}, {"family": "Easley", "given": "Leif-Eric"}],
     "title": "Renegotiating Pariah State Partnerships", "container-title": "Contemporary Security Policy",
     "volume": "40", "issue": "4", "page": "502-525", "issued": {"date-parts": [[2019]]},
     "DOI": "10.1080/13523260.2019.1660483"},
    {"id": "smith-a", "type": "book", "author": [{"family": "Smith", "given": "Ann"}],
     "title": "Tom & Jerry <b>bold</b>", "publisher": "Press", "issued": {"date-parts": [[2020]]},
     "URL": "https://example.org/a?x=1&y=2"},
]


def test_render_returns_entries_in_style_order_and_citations() -> None:
    result = citekit.render(ITEMS, style="apa", cite_keys=["smith-a", ["chow2019", "smith-a"]])
    assert result.keys == ["chow2019", "smith-a"]
    assert result.entries[0].startswith("Chow, J. T., & Easley, L.-E. (2019). Renegotiating")
    assert result.citations == ["(Smith, 2020)", "(Chow & Easley, 2019; Smith, 2020)"]
    assert result.failures == []


def test_render_accepts_a_bibliography_of_entries() -> None:
    entry = Entry(id="x", type="book", author=[Name(family="Kim", given="Soo-yeon")],
                  title="A Book", issued=Date(2024), publisher="Yonhap")
    result = citekit.render(Bibliography(entries=[entry]), style="chicago-author-date")
    assert result.entries == ["Kim, Soo-yeon. 2024. A Book. Yonhap."]


def test_html_is_escaped_wrapped_and_linked() -> None:
    html = citekit.render(ITEMS, style="apa", format="html").bibliography()
    assert html.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">Chow')
    assert "Tom &amp; Jerry <b>bold</b>" in html
    assert '<a href="https://doi.org/10.1080/13523260.2019.1660483">' in html
    assert '<a href="https://example.org/a?x=1&amp;y=2">' in html
    assert html.rstrip().endswith("</div>")


def test_markdown_marks_italics_and_autolinks_urls() -> None:
    md = citekit.render(ITEMS, style="apa", format="markdown").bibliography()
    assert "*Contemporary Security Policy*" in md
    assert "<https://doi.org/10.1080/13523260.2019.1660483>" in md


def test_unknown_style_suggests_near_matches() -> None:
    with pytest.raises(StyleError, match="did you mean.*chicago-author-date"):
        citekit.render(ITEMS, style="chicago-autor-date")


def test_missing_style_file_is_a_style_error(tmp_path: Path) -> None:
    with pytest.raises(StyleError, match="does not exist"):
        citekit.render(ITEMS, style=str(tmp_path / "nope.csl"))


def test_broken_style_file_is_a_style_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "broken.csl"
    bad.write_text("<style><unclosed></style>", encoding="utf-8")
    with pytest.raises(StyleError, match="broken"):
        citekit.render(ITEMS, style=str(bad))


def test_bad_format_and_locale_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        citekit.render(ITEMS, style="apa", format="pdf")
    with pytest.raises(ConfigError):
        citekit.render(ITEMS, style="apa", locale="english please")


def test_unknown_cite_key_is_reported_not_raised() -> None:
    result = citekit.render(ITEMS, style="apa", cite_keys=[["nobody", "smith-a"]])
    assert result.citations == ["(Smith, 2020)"]
    assert any("nobody" in f for f in result.failures)


def test_malformed_entry_is_a_recorded_failure() -> None:
    bad = {"id": "bad", "type": "book", "title": "T", "issued": {"date-parts": [["x", None, 3]]}}
    result = citekit.render(ITEMS + [bad], style="apa")
    assert len(result.entries) >= 2


def test_style_aliases_and_listing() -> None:
    found = citekit.list_styles("chicago-author-date")
    assert any(s.id == "chicago-author-date" and "Chicago" in s.title for s in found)
    assert citekit.render(ITEMS, style="vancouver").entries


def _csl_json_reader(text: str, path: str | None) -> Bibliography:
    return Bibliography(entries=[Entry.from_csl(item) for item in json.loads(text)])


def test_cli_render_and_styles(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    import citekit.readers as readers

    try:
        import citekit.readers.csljson  # noqa: F401  (the real reader, once it exists)
    except ImportError:
        monkeypatch.setattr(readers, "_reader", lambda fmt: _csl_json_reader)
    src = tmp_path / "refs.json"
    src.write_text(json.dumps(ITEMS), encoding="utf-8")
    cites = tmp_path / "cites.txt"
    cites.write_text("chow2019\nsmith-a, chow2019  # two works\n", encoding="utf-8")
    code = main(["render", str(src), "--style", "apa", "--cites", str(cites), "--cite", "smith-a"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Chow, J. T., & Easley" in out
    assert "(Chow & Easley, 2019)\n" in out and "(Smith, 2020)\n" in out
    assert main(["styles", "harvard-cite-them"]) == 0
    assert "harvard-cite-them-right\t" in capsys.readouterr().out
    assert main(["render", str(src), "--style", "no-such-style-xyz"]) == 2
    assert "unknown style" in capsys.readouterr().err


def test_body_citations_of_a_commentary_are_matched_to_entries() -> None:
    from citekit.model import Citation, CitationItem
    from citekit.render import cites_from_body

    entries = [Entry.from_csl(i) for i in json.loads(
        (Path(__file__).parent / "fixtures" / "render" / "seed_refs.csl.json").read_text("utf-8"))]
    bib = Bibliography(entries=entries, path="commentary.txt", citations=[
        Citation("(Ha and Kim 2024)", 10, 5, [CitationItem("Ha and Kim", "2024", line=10, col=6)]),
        Citation("(Lowy 2024; Easley 2023)", 12, 1, [CitationItem("Lowy", "2024"),
                                                      CitationItem("Easley", "2023")]),
        Citation("(Kwak 2023)", 14, 3, [CitationItem("Kwak", "2023", raw="Kwak 2023", line=14, col=4)]),
        Citation("(Lee 2023; Lee, et al. 2023)", 16, 1, [CitationItem("Lee", "2023"),
                                                          CitationItem("Lee, et al.", "2023")]),
    ])
    found = cites_from_body(bib)
    # Two different Lees in one parenthesis: the "et al." tells them apart.
    assert found.groups == [["ha2024"], ["lowy2024", "easley2023"], ["lee2023a", "lee2023b"]]
    assert found.unmatched == ["commentary.txt:14:4: no entry for Kwak 2023 (the list has another year)"]
    result = citekit.render(bib, style="eai-commentary", cite_keys=found.groups)
    assert result.citations[:2] == ["(Ha and Kim 2024)", "(Easley 2023; Lowy Institute 2024)"]
    # A page in the body citation goes with the cite as its locator.
    paged = Bibliography(entries=entries, path="c.txt", citations=[Citation(
        "(Ha and Kim 2024, 12)", 3, 1, [CitationItem("Ha and Kim", "2024", locator="12")])])
    groups = cites_from_body(paged).groups
    assert groups == [[{"id": "ha2024", "locator": "12", "label": "page"}]]
    assert citekit.render(paged, style="apa", cite_keys=groups).citations == [
        "(Ha & Kim, 2024, p. 12)"]
    # A label written before the locator is read off it; a "locator" that is a year (the
    # second year of "Park (2020, 2021)") is none; a prefix stays.
    labelled = Bibliography(entries=entries, path="c.txt", citations=[
        Citation("(Ha and Kim 2024, p. 7)", 3, 1,
                 [CitationItem("Ha and Kim", "2024", locator="p. 7")]),
        Citation("(see Ha and Kim 2024, sec. 2)", 4, 1,
                 [CitationItem("Ha and Kim", "2024", locator="sec. 2", prefix="see")]),
        Citation("(Ha and Kim 2024, 2025)", 5, 1,
                 [CitationItem("Ha and Kim", "2024", locator="2025")])])
    groups = cites_from_body(labelled).groups
    assert groups == [[{"id": "ha2024", "locator": "7", "label": "page"}],
                      [{"id": "ha2024", "locator": "2", "label": "section", "prefix": "see "}],
                      ["ha2024"]]
    assert citekit.render(labelled, style="apa", cite_keys=groups).citations == [
        "(Ha & Kim, 2024, p. 7)", "(see Ha & Kim, 2024, Section 2)", "(Ha & Kim, 2024)"]


def test_numeric_body_citations_cite_a_numbered_lists_entries() -> None:
    from citekit.readers import loads
    from citekit.render import cites_from_body

    refs = ('[1] J. Smith, "Title one," J. Med., vol. 1, pp. 1-2, 2019.\n'
            '[2] B. Adams, "Title two," J. Med., vol. 2, pp. 3-4, 2020.\n')
    bib = loads("A Paper\n\nWork [2] and [1-2] and [7].\n\nReferences\n\n" + refs, "commentary")
    found = cites_from_body(bib)
    ids = [e.id for e in bib.entries]
    assert found.groups == [[ids[1]], [ids[0], ids[1]]]
    assert len(found.unmatched) == 1 and found.unmatched[0].endswith("no entry for [7]")
    # beside an author-date list, "[3]" is a note mark: neither cited nor unmatched
    bib = loads("A Paper\n\nWork (Adams 2020) [3].\n\nReferences\n\n"
                "Adams, Jane. 2020. Other Book. London: Pub.\n", "commentary")
    found = cites_from_body(bib)
    assert (found.groups, found.unmatched) == ([["adams2020"]], [])


def test_a_cite_locator_does_not_change_the_bibliography_entry() -> None:
    item = {"id": "s", "type": "article-journal", "title": "A Study", "page": "45-67",
            "container-title": "Journal of Stuff", "volume": "12", "issue": "3",
            "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2019]]}}
    plain = citekit.render([item], style="chicago-author-date").entries
    cited = citekit.render([item], style="chicago-author-date",
                           cite_keys=[[{"id": "s", "locator": "45-46", "prefix": "see "}]])
    assert cited.entries == plain and "45–67" in plain[0]
    assert cited.citations == ["(see Smith 2019, 45–46)"]


def test_is_numeric_reads_the_cites_locator() -> None:
    # APA and Chicago label a numeric chapter, line or verse locator and leave a non-numeric
    # one bare (citeproc-py read is-numeric="locator" from the item and so never labelled
    # them); outputs as citeproc-js 1.4.61 gives them
    book = {"id": "b", "type": "book", "title": "A Book", "issued": {"date-parts": [[2019]]},
            "author": [{"family": "Smith", "given": "John"}]}
    cites = [[{"id": "b", "locator": locator, "label": label}] for label, locator in
             [("chapter", "3"), ("chapter", "3-5"), ("chapter", "iv"), ("chapter", "abc"),
              ("line", "3"), ("verse", "3"), ("section", "3"), ("page", "3")]]
    apa = citekit.render([book], style="apa", cite_keys=cites).citations
    assert apa == ["(Smith, 2019, Chapter 3)", "(Smith, 2019, Chapters 3–5)",
                   "(Smith, 2019, Chapter iv)", "(Smith, 2019, abc)", "(Smith, 2019, Line 3)",
                   "(Smith, 2019, Verse 3)", "(Smith, 2019, Section 3)", "(Smith, 2019, p. 3)"]
    chicago = citekit.render([book], style="chicago-author-date", cite_keys=cites).citations
    assert chicago[:3] == ["(Smith 2019, chap. 3)", "(Smith 2019, chaps. 3–5)",
                           "(Smith 2019, chap. iv)"]
    assert chicago[4:] == ["(Smith 2019, line 3)", "(Smith 2019, v. 3)", "(Smith 2019, sec. 3)",
                           "(Smith 2019, 3)"]


def test_locator_is_numeric_as_citeproc_js_reads_it() -> None:
    from citekit.render.fidelity import locator_is_numeric

    numeric = ["3", " 3 ", "03", "3a", "A3", "2nd", "3, 5", "3 & 5", "3–5", "3 - 5", "3b-4",
               "3 and 5", "iv", "xii", "xl", "xcix"]
    other = ["", "abc", "XIV", "mix", "lx", "A-3", "second", "2nd ed", "3.2", "1:4", "3,5",
             "12 ff."]
    assert [v for v in numeric if not locator_is_numeric(v)] == []
    assert [v for v in other if locator_is_numeric(v)] == []


def test_malformed_fields_are_repaired_and_reported_not_crashed() -> None:
    bad = [{"id": "a", "type": "book", "title": ["Two", "Parts"], "author": "Smith",
            "issued": "2020"},
           {"id": "b", "type": "book", "title": "B", "author": [{"family": None}, 5],
            "issued": {"date-parts": [["abc"]]}},
           {"id": "c", "type": "book", "title": "C", "issued": {"date-parts": [[2020, 13, 40]]}}]
    for style in ("apa", "eai-commentary", "ieee", "chicago-author-date"):
        result = citekit.render(bad, style=style, cite_keys=[["a", "b", "c"]])
        assert len(result.entries) == 3
        assert any("'b': issued" in f and "printed as written" in f for f in result.failures)
        assert any("'c': issued" in f and "kept what is valid" in f for f in result.failures)
    apa = citekit.render(bad, style="apa")
    assert "Smith. (2020). Two Parts." in apa.entries


def test_entry_points_are_callable_and_submodules_importable():
    """``citekit.render``/``citekit.check`` are callable and still packages with submodules."""
    import importlib

    fidelity = importlib.import_module("citekit.render.fidelity")
    runner = importlib.import_module("citekit.check.runner")
    assert citekit.render.fidelity is fidelity
    assert citekit.check.runner is runner
    exec("import citekit.render.fidelity as f\nimport citekit.check.runner as r", {})
    assert citekit.render(ITEMS, style="apa").entries == citekit.render.render(
        ITEMS, style="apa").entries


def test_style_search_matches_words_in_ids_titles_and_short_titles() -> None:
    ids = [s.id for s in citekit.list_styles("modern humanities")]
    assert "mhra-notes" in ids  # only its short title says "Modern Humanities Research …"
    assert "chicago-author-date" in [s.id for s in citekit.list_styles("Chicago author date")]
    assert citekit.list_styles("no such words anywhere") == []


@pytest.mark.parametrize("typo, wanted", [
    ("chicgo-author-date", "chicago-author-date"),
    ("vancover", "vancouver"),
    ("modern-humanities-research-association", "mhra-notes"),
    ("apa7", "apa"),
])
def test_unknown_style_suggests_near_ids(typo: str, wanted: str) -> None:
    from citekit.errors import StyleError
    from citekit.render.styles import resolve_style

    with pytest.raises(StyleError) as caught:
        resolve_style(typo)
    assert wanted in str(caught.value)


def test_cli_render_of_a_text_list_repairs_its_links(capsys: pytest.CaptureFixture[str]) -> None:
    from citekit.cli import main

    sample = Path(__file__).resolve().parents[1] / "bib" / "sample-commentary.txt"
    assert " /www/art/" in sample.read_text(encoding="utf-8")  # the broken link, as written
    assert main(["render", str(sample), "--style", "apa"]) == 0
    out = capsys.readouterr().out
    assert "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html" in out
    assert " /www/art/" not in out and ":~:text=" not in out


def test_a_locale_without_a_csl_locale_file_is_an_error() -> None:
    from citekit.errors import ConfigError

    with pytest.raises(ConfigError, match="no CSL locale for 'xx-YY'"):
        citekit.render(ITEMS, style="apa", locale="xx-YY")
    assert citekit.render(ITEMS, style="apa", locale="de").entries  # de-DE serves "de"


def test_locale_codes_are_read_in_their_posix_and_lower_case_forms() -> None:
    want = citekit.render(ITEMS, style="apa", locale="en-GB")
    for code in ("en_GB", "en-gb", "EN_GB", "en_GB.UTF-8", "en_GB@euro", "en_GB.UTF-8@euro"):
        got = citekit.render(ITEMS, style="apa", locale=code)
        assert (got.locale, got.entries) == ("en-GB", want.entries)
    from citekit.render.engine import normalise_locale

    assert normalise_locale("sr-cyrl-rs") == "sr-Cyrl-RS"
    assert normalise_locale("sr_RS@cyrillic") == "sr-Cyrl-RS"
    assert normalise_locale("sr_RS@latin") == "sr-Latn-RS"


def test_mla_is_an_alias_and_an_exact_id_is_listed_first() -> None:
    assert citekit.render(ITEMS, style="mla").entries == citekit.render(
        ITEMS, style="modern-language-association").entries
    assert citekit.list_styles("nature")[0].id == "nature"
