"""BibTeX/BibLaTeX reading and writing: mapping to the model, failures, lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from citekit.model import Bibliography, Date, Entry, Name
from citekit.readers import load, loads
from citekit.writers import dumps

FIXTURES = Path(__file__).parent / "fixtures" / "io"
RICH = FIXTURES / "rich.bib"
BROKEN = FIXTURES / "broken.bib"


@pytest.fixture(scope="module")
def rich() -> Bibliography:
    return load(RICH)


def test_reads_every_entry_of_a_rich_biblatex_file(rich: Bibliography) -> None:
    assert [e.id for e in rich] == ["chow2019", "easley2023", "leeetal2023", "lowy2024",
                                    "kim2024", "muller2010", "park2021", "unification2024"]
    assert rich.failures == []
    assert rich.format == "bibtex"


def test_article_fields_map_to_csl_variables(rich: Bibliography) -> None:
    chow = rich["chow2019"]
    assert chow.type == "article-journal"
    assert [str(n) for n in chow.author] == ["Chow, Jonathan T.", "Easley, Leif-Eric"]
    # braces protecting capitals are gone and the line break inside the title is a space
    assert chow.title == ("Renegotiating Pariah State Partnerships: Why Myanmar and North Korea "
                          "Respond Differently to Chinese Influence")
    assert chow.container_title == "Contemporary Security Policy"  # journaltitle via @string
    assert (chow.volume, chow.issue, chow.page) == ("40", "4", "502-525")
    assert chow.issued == Date(year=2019)
    assert chow.doi == "10.1080/13523260.2019.1660483"
    assert chow.extra["keyword"] == "China, pariah states"


def test_latex_accents_and_escapes_become_unicode(rich: Bibliography) -> None:
    muller = rich["muller2010"]
    assert muller.author[0] == Name(family="Müller", given="Jörg")
    assert muller.author[1] == Name(family="Durkheim", given="Émile")
    assert muller.author[2] == Name(family="Berg", given="Hans", non_dropping_particle="van der",
                                    suffix="Jr.")
    assert [str(n) for n in muller.editor] == ["García Márquez, Gabriel", "Ångström, Anders"]
    assert muller.title == "Cafés & Cities: Notes on 50% of Europe"
    assert muller.container_title == "Essays in Honour of Øystein"
    assert muller.note == "Reprinted 2012"  # a # concatenation
    assert muller.issued == Date(year=2010, month=3)  # month macro
    assert (muller.publisher, muller.publisher_place) == ("Springer", "Berlin")
    assert muller.extra["ISBN"] == "978-3-16-148410-0"
    assert muller.extra["collection-title"] == "Lecture Notes"


def test_braced_corporate_authors_are_literal_names(rich: Bibliography) -> None:
    assert rich["lowy2024"].author == [Name(literal="Lowy Institute")]
    assert rich["unification2024"].author == [Name(literal="Ministry of Unification")]


def test_and_others_sets_et_al(rich: Bibliography) -> None:
    lee = rich["leeetal2023"]
    assert lee.et_al is True
    assert lee.author == [Name(family="Lee", given="Wootae")]
    assert rich["chow2019"].et_al is False


def test_types_dates_and_publishers(rich: Bibliography) -> None:
    lee = rich["leeetal2023"]
    assert lee.type == "report"
    assert lee.publisher == "Korea Institute for National Unification"  # institution, @string
    assert lee.issued == Date(year=2023, month=5, day=4)
    assert lee.accessed == Date(year=2024, month=6, day=1)
    assert lee.extra["genre"] == "White Paper"
    assert rich["kim2024"].type == "article-newspaper"  # entrysubtype = newspaper
    assert rich["lowy2024"].type == "webpage"
    park = rich["park2021"]
    assert (park.type, park.publisher, park.issued) == (
        "thesis", "Seoul National University", Date(year=2021, month=6))
    assert rich["unification2024"].type == "document"


def test_unknown_fields_and_original_type_are_kept_in_extra(rich: Bibliography) -> None:
    original = rich["muller2010"].extra["bibtex"]
    assert original["type"] == "incollection"
    assert original["fields"]["crossref"] == "{essays2010}"
    assert original["fields"]["mrnumber"] == "{MR1234567}"
    assert original["fields"]["note"] == '{Reprinted } # "2012"'
    chow = rich["chow2019"].extra["bibtex"]["fields"]
    assert chow["file"] == "{:chow2019.pdf:PDF}"
    assert chow["journaltitle"] == "csp"  # the @string reference as written


def test_each_entry_knows_its_lines_and_raw_text(rich: Bibliography) -> None:
    lines = RICH.read_text(encoding="utf-8").splitlines()
    for entry in rich:
        span = entry.source
        assert span is not None and span.path == str(RICH)
        assert lines[span.line - 1].lstrip().lower().startswith("@")
        assert f"{{{entry.id}," in lines[span.line - 1]
        assert lines[span.end_line - 1].strip() == "}"
        assert span.raw.startswith("@") and span.raw.rstrip().endswith("}")
    assert rich["chow2019"].source.line == 11  # type: ignore[union-attr]


def test_strings_preamble_and_comments_are_kept(rich: Bibliography) -> None:
    kinds = [(item["kind"], item.get("key")) for item in rich.preamble]
    assert kinds == [("text", None), ("preamble", None), ("string", "csp"),
                     ("string", "kinu"), ("comment", None)]
    assert rich.preamble[2]["value"] == '"Contemporary Security Policy"'


def test_bad_blocks_become_failures_with_locations_and_the_rest_is_read() -> None:
    bib = load(BROKEN)
    assert [e.id for e in bib] == ["good2020", "twice2022", "last2024"]
    assert bib["good2020"].author == [Name(family="Good", given="Ann")]
    found = {(f.line, f.reason.split(" ")[0]) for f in bib.failures}
    assert found == {(7, "duplicate"), (13, "not"), (18, "duplicate")}
    dup = next(f for f in bib.failures if f.line == 7)
    assert "good2020" in dup.reason and "line 1" in dup.reason
    assert "Same key again" in dup.raw
    assert dup.location() == f"{BROKEN}:7:1"
    unclosed = next(f for f in bib.failures if f.line == 13)
    assert "unclosed2019" in unclosed.raw
    twice = next(f for f in bib.failures if f.line == 18)
    assert "title" in twice.reason
    assert bib["twice2022"].title == "First title"


@pytest.mark.parametrize("text", ["", "   \n", "just some prose, no entries at all\n",
                                  "@article{", "@article{x, title = {a}}}}}", "@@@@{{{{",
                                  "@string{a = b # }", "@article{k, author = {and and and}}",
                                  "@article{k, title = {" + "{" * 5000 + "x" + "}" * 5000 + "}}",
                                  "@article{k, title = {" + "a" * 1_000_000,
                                  "@" * 100_000, "@article{k, title = \"" + "{\"" * 5000])
def test_odd_input_never_raises(text: str) -> None:
    bib = loads(text, "bibtex")
    assert isinstance(bib, Bibliography)
    dumps(bib, "bibtex")  # and whatever was read can be written


def test_round_trip_keeps_every_field_exactly(rich: Bibliography) -> None:
    written = dumps(rich, "bibtex")
    again = loads(written, "bibtex")
    assert [e.id for e in again] == [e.id for e in rich]
    for before, after in zip(rich, again):
        assert after.extra["bibtex"]["fields"] == before.extra["bibtex"]["fields"]
        assert after.extra["bibtex"]["type"].lower() == before.extra["bibtex"]["type"].lower()
        assert after.to_csl() == before.to_csl()
    assert [(p["kind"], p["value"]) for p in again.preamble] == [
        (p["kind"], p["value"]) for p in rich.preamble]
    assert dumps(again, "bibtex") == written  # a fixed point after one pass


def test_round_trip_text_holds_the_original_markup(rich: Bibliography) -> None:
    written = dumps(rich, "bibtex")
    for snippet in ('@string{csp = "Contemporary Security Policy"}',
                    '@preamble{"\\providecommand{\\noopsort}[1]{}"}',
                    "@comment{jabref-meta: databaseType:biblatex;}",
                    "% A BibLaTeX file written for citekit's round-trip tests.",
                    "journaltitle = csp,", "month = mar,", "M{\\\"u}ller, J{\\\"o}rg",
                    "author = {{Lowy Institute}}", "{Lee, Wootae and others}",
                    "mrnumber = {MR1234567}", 'note = {Reprinted } # "2012"', "@incollection{"):
        assert snippet in written, snippet


def test_a_changed_value_is_written_from_the_model(rich: Bibliography) -> None:
    bib = load(RICH)
    entry = bib["muller2010"]
    entry.title = "R&D at 100% #1"
    entry.doi = "10.1000/xyz_1"
    entry.author = entry.author[:1]
    entry.issued = Date(year=2011)
    written = dumps(bib, "bibtex")
    block = written[written.index("@incollection{muller2010"):]
    block = block[:block.index("\n}\n")]
    assert "title = {R\\&D at 100\\% \\#1}" in block
    assert "doi = {10.1000/xyz_1}" in block  # verbatim field: no escaping
    assert "author = {Müller, Jörg}" in block
    assert "year = 2011" in block and "month" not in block
    assert "mrnumber = {MR1234567}" in block  # untouched fields stay as written
    assert "booktitle = {Essays in Honour of {\\O}ystein}" in block
    again = loads(written, "bibtex")["muller2010"]
    assert (again.title, again.doi, again.issued) == ("R&D at 100% #1", "10.1000/xyz_1",
                                                      Date(year=2011))


def test_a_changed_type_gets_a_bibtex_type(rich: Bibliography) -> None:
    bib = load(RICH)
    bib["park2021"].type = "report"
    written = dumps(bib, "bibtex")
    assert "@techreport{park2021," in written
    assert "@phdthesis" not in written


def _csl_entry(**kwargs: object) -> Entry:
    return Entry.from_csl({"id": "x", "type": "article-journal", **kwargs})


@pytest.mark.parametrize("csl_type, bibtex_type", [
    ("article-journal", "article"), ("article-newspaper", "article"), ("book", "book"),
    ("chapter", "incollection"), ("paper-conference", "inproceedings"),
    ("report", "techreport"), ("webpage", "online"), ("post", "online"),
    ("thesis", "phdthesis"), ("dataset", "dataset"), ("document", "misc"),
    ("interview", "misc"), ("article", "misc"),  # a preprint: BibTeX's article needs a journal
])
def test_entries_from_other_formats_get_sensible_types(csl_type: str, bibtex_type: str) -> None:
    bib = Bibliography(entries=[Entry(id="key2024", type=csl_type, title="T")])
    assert dumps(bib, "bibtex").startswith(f"@{bibtex_type}{{key2024,")


def test_entries_from_other_formats_round_trip_through_bibtex() -> None:
    entry = Entry.from_csl({
        "id": "leeetal2023", "type": "report",
        "author": [{"family": "Lee", "given": "Wootae"}, {"literal": "Lowy Institute"},
                   {"family": "Berg", "given": "Hans", "non-dropping-particle": "van der",
                    "suffix": "Jr."}],
        "custom": {"et-al": True},
        "title": "White Paper on Human Rights in North Korea: {draft} & 100% final",
        "publisher": "Korea Institute for National Unification", "publisher-place": "Seoul",
        "issued": {"date-parts": [[2023, 5, 4]]}, "accessed": {"date-parts": [[2024, 6, 1]]},
        "page": "3–17", "URL": "https://www.kinu.or.kr/view.do?idx=1&nav=2",
        "ISBN": "979-11-0000-000-0", "note": "In Korean",
    })
    written = dumps(Bibliography(entries=[entry]), "bibtex")
    assert written.startswith("@techreport{leeetal2023,")
    assert ("author = {Lee, Wootae and {Lowy Institute} and van der Berg, Jr., Hans and others}"
            in written)
    assert "institution = {Korea Institute for National Unification}" in written
    assert "pages = {3--17}" in written
    assert "month = may" in written and "date = {2023-05-04}" in written
    back = loads(written, "bibtex")[0]
    expected = entry.to_csl()
    expected["page"] = "3-17"
    got = back.to_csl()
    got["custom"].pop("bibtex")  # the BibTeX fields kept for the round trip
    assert got == expected


def test_keys_are_made_unique_and_safe() -> None:
    bib = Bibliography(entries=[
        Entry(id="same", type="book", title="A"), Entry(id="same", type="book", title="B"),
        Entry(id="has space, comma", type="book", title="C"),
        Entry(id="", type="book", title="D", author=[Name(family="Ha", given="Y")],
              issued=Date(year=2024)),
    ])
    again = loads(dumps(bib, "bibtex"), "bibtex")
    assert [e.id for e in again] == ["same", "same-2", "hasspacecomma", "ha2024"]
    assert again.failures == []


def test_family_only_and_literal_names_survive() -> None:
    entry = Entry(id="k", type="book", author=[
        Name(family="Suharto"), Name(literal="Research and Development Corp."),
        Name(family="Abe Shinzo")])
    back = loads(dumps(Bibliography(entries=[entry]), "bibtex"), "bibtex")[0]
    assert back.author[0] == Name(family="Suharto")
    assert back.author[1] == Name(literal="Research and Development Corp.")
    assert back.author[2].sort_name == "Abe Shinzo"


def test_comments_between_entries_stay_where_they_were() -> None:
    text = ("@book{a, title = {A}}\n\n% about b\n@comment{b follows}\n@string{x = {X}}\n"
            "@book{b, title = x}\n% trailing note\n")
    written = dumps(loads(text, "bibtex"), "bibtex")
    assert written.index("@book{a,") < written.index("% about b") < written.index("@book{b,")
    assert written.index("@string{x = {X}}") < written.index("@book{b,")
    assert written.rstrip().endswith("% trailing note")
    assert loads(written, "bibtex")["b"].title == "X"


def test_what_the_model_cannot_hold_survives_an_unchanged_group() -> None:
    text = "@book{k, editor = {Kim, A. and others}, title = {The {UN} at 80}, year = {2025a}}"
    written = dumps(loads(text, "bibtex"), "bibtex")
    assert "editor = {Kim, A. and others}" in written
    assert "title = {The {UN} at 80}" in written
    assert "year = {2025a}" in written


def test_a_huge_field_is_read_without_stalling() -> None:
    title = "M{\\\"u}ller and words " * 5000  # 100,000 characters
    entry = loads("@book{k, title = {" + title + "}}", "bibtex")[0]
    assert entry.title is not None and entry.title.startswith("M\\\"uller and words")
    assert entry.extra["bibtex"]["fields"]["title"] == "{" + title + "}"


def test_plain_text_in_the_preamble_is_written_as_comments() -> None:
    bib = Bibliography(entries=[Entry(id="a", type="book", title="A")],
                       preamble=["Exported from a commentary\nwrite to ed@example.org"])
    written = dumps(bib, "bibtex")
    assert written.startswith("% Exported from a commentary\n% write to ed@example.org\n")
    again = loads(written, "bibtex")
    assert [e.id for e in again] == ["a"] and again.failures == []


def test_latex_escapes_in_doi_and_url_are_undone_but_kept_in_the_raw_field() -> None:
    text = ("@article{k, doi = {10.1002/(SICI)1097-4636\\_abc}, "
            "url = {https://example.org/a\\_b?x=1\\%2C2}}")
    entry = loads(text, "bibtex")[0]
    assert entry.doi == "10.1002/(SICI)1097-4636_abc"
    assert entry.url == "https://example.org/a_b?x=1%2C2"
    assert "doi = {10.1002/(SICI)1097-4636\\_abc}" in dumps(loads(text, "bibtex"), "bibtex")


def test_an_impossible_date_keeps_its_year_and_its_text_for_the_check() -> None:
    """"2024-13-45" keeps its year (it used to lose its month and day silently, then for a
    while the year too); the text as written is kept for date-invalid."""
    from citekit.readers import loads as read

    bib = read("@misc{web, title = {Page}, author = {Smith, J.}, urldate = {2024-13-45},\n"
               "  date = {2019-02-29}}\n@misc{ay, title = {T}, date = {2019-20}}\n"
               "@misc{m13, title = {T}, year = {2020}, month = {13}}\n", "bibtex")
    e, ay, m13 = bib.entries
    assert (e.id, e.year, e.accessed.year, e.accessed.month) == ("web", 2019, 2024, None)
    assert e.diagnostics["invalid-dates"] == {"issued": "2019-02-29", "accessed": "2024-13-45"}
    assert ay.year == 2019 and "invalid-dates" not in ay.diagnostics  # an academic year
    assert m13.year == 2020 and m13.diagnostics["invalid-dates"] == {"issued": "month = 13"}


def test_an_arxiv_preprint_round_trips_through_bibtex() -> None:
    from citekit import loads

    bib = Bibliography(entries=[Entry(id="m2013", type="article", title="Word vectors",
                                      publisher="arXiv", extra={"number": "1301.3781"})])
    text = dumps(bib, "bibtex")
    assert text.startswith("@misc{m2013,") and "eprint = {1301.3781}" in text
    assert "archiveprefix = {arXiv}" in text
    back = loads(text, "bibtex").entries[0]
    assert (back.type, back.publisher, back.extra["number"]) == ("article", "arXiv", "1301.3781")
