"""The speed machinery never changes what is rendered — the speed mixins (render/fast.py), the
compiled style (render/compiled.py) and the engine's caches, each switched off and on — and
citeproc-py's own classes stay untouched (the benchmarks' baseline is citeproc-py used plainly)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import citeproc.model
import pytest

from citekit.render import engine, fast, render

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"
CORPUS = json.loads((FIXTURES / "corpus_2000.csl.json").read_text(encoding="utf-8"))
SEED = json.loads((FIXTURES / "seed_refs.csl.json").read_text(encoding="utf-8"))
# a slice with same-author-same-year pairs, particles, edited books, every item type
ITEMS = CORPUS[:160] + SEED


@pytest.fixture(autouse=True)
def _compile_every_render(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile the style whatever the number of items, so every test here exercises it."""
    monkeypatch.setattr(engine, "COMPILE_MIN_ITEMS", 0)


def test_small_renders_skip_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = engine.compile_style
    monkeypatch.setattr(engine, "compile_style",
                        lambda root, **options: calls.append(1) or real(root, **options))
    monkeypatch.setattr(engine, "COMPILE_MIN_ITEMS", 30)
    small = render(SEED[:3], style="apa", cite_keys=[SEED[0]["id"]])
    assert calls == []
    big = render(CORPUS[:60], style="apa")
    assert calls == [1]
    monkeypatch.setattr(engine, "COMPILE_MIN_ITEMS", 0)
    again = render(SEED[:3], style="apa", cite_keys=[SEED[0]["id"]])
    assert (again.entries, again.citations) == (small.entries, small.citations)
    assert calls == [1, 1]
    monkeypatch.setattr(engine, "COMPILED", False)
    assert render(CORPUS[:60], style="apa").entries == big.entries


def _cites(items: list[dict[str, Any]]) -> list[Any]:
    ids = [str(i["id"]) for i in items]
    return ([[i] for i in ids] + [ids[n:n + 3] for n in range(0, len(ids), 11)]
            + [[{"id": i, "locator": "12-14", "label": "page", "prefix": "see "}] for i in ids[::17]])


def _render(style: str, fmt: str, speed: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(engine, "SPEED_MIXINS", speed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = render(ITEMS, style=style, locale="en-US", format=fmt, cite_keys=_cites(ITEMS))
    return result.keys, result.entries, result.citations, result.failures


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "ieee", "chicago-note-bibliography", "eai-commentary"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_speed_mixins_do_not_change_output(style: str, fmt: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    slow = _render(style, fmt, False, monkeypatch)
    quick = _render(style, fmt, True, monkeypatch)
    assert quick == slow
    assert len(quick[1]) == len(ITEMS)


def test_citeproc_classes_are_left_alone() -> None:
    render(SEED[:3], style="apa", cite_keys=[[str(SEED[0]["id"])]])
    for cls in citeproc.model.CitationStylesElement.__subclasses__():
        assert not issubclass(cls, fast.FastElement)
        for name in ("render", "get_root", "format", "wrap", "render_children"):
            impl = getattr(cls, name, None)
            assert getattr(impl, "__module__", "citeproc.model").startswith("citeproc"), (cls, name)


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-note-bibliography", "apa"])
def test_probe_cache_does_not_change_output(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # chicago-* have position tests: without the probe cache every probe renders afresh
    monkeypatch.setattr(engine, "PROBE_CACHE", False)
    slow = _render(style, "text", True, monkeypatch)
    monkeypatch.setattr(engine, "PROBE_CACHE", True)
    quick = _render(style, "text", True, monkeypatch)
    assert quick == slow


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "ieee", "chicago-note-bibliography", "eai-commentary",
                                   "american-political-science-association", "nature"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_compiled_style_does_not_change_output(style: str, fmt: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "COMPILED", False)
    slow = _render(style, fmt, True, monkeypatch)
    monkeypatch.setattr(engine, "COMPILED", True)
    quick = _render(style, fmt, True, monkeypatch)
    assert quick == slow
    assert len(quick[1]) == len(ITEMS)


def test_compiled_renders_live_on_the_elements() -> None:
    from citekit.render.styles import resolve_style

    run = engine._Run(resolve_style("apa"), "en-US", "text", True, compiled=True)
    compiled = [el for el in run.root.iter() if "render" in getattr(el, "__dict__", {})]
    tags = {el.tag.rpartition("}")[2] for el in compiled}
    assert {"text", "group", "macro", "names", "substitute", "choose", "if", "else"} <= tags
    # the class's own method is still there underneath (the fall-back path) and renders what
    # the compiled one renders
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run.run(SEED, None)
    layout = run.root.bibliography.layout
    checked = 0
    for name in ("title", "date", "source", "author"):
        macro = run.root.get_macro(name)
        assert "render" in macro.__dict__
        for item in run.bib.items:
            layout.repressed = {}
            compiled_text = macro.render(item, layout)
            layout.repressed = {}
            method_text = type(macro).render(macro, item, layout)
            assert str(compiled_text) == str(method_text)
            checked += bool(compiled_text)
    assert checked > len(SEED)


def _mixed_cites(items: list[dict[str, Any]]) -> list[Any]:
    """First cites, subsequent cites (ibid and not), groups and locators, interleaved."""
    ids = [str(i["id"]) for i in items]
    half = len(ids) // 2
    return ([[i] for i in ids[:half]] + [ids[n:n + 3] for n in range(0, len(ids), 13)]
            + [[i] for i in ids] + [[i] for i in ids[:5]]
            + [[{"id": i, "locator": "3", "label": "page"}] for i in ids[::19]])


def _switched(monkeypatch: pytest.MonkeyPatch, switches: tuple[str, ...], on: bool, style: str,
              fmt: str = "text") -> Any:
    """Render ITEMS with mixed cites, the given engine switches all set to ``on``."""
    for switch in switches:
        monkeypatch.setattr(engine, switch, on)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = render(ITEMS, style=style, locale="en-US", format=fmt,
                        cite_keys=_mixed_cites(ITEMS))
    return result.keys, result.entries, result.citations, result.failures


def _renders(monkeypatch: pytest.MonkeyPatch, switches: tuple[str, ...], on: bool,
             style: str) -> tuple[Any, int]:
    """``_switched``, and how many cites were rendered (not taken from a cache)."""
    calls: list[int] = []
    real = engine._Run._assemble

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(engine._Run, "_assemble", counted)
    return _switched(monkeypatch, switches, on, style), len(calls)


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-note-bibliography", "oscola"])
def test_first_cite_cache_does_not_change_output(style: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # with position tests (these three styles have them), a remembered text serves only an
    # item's first cite
    def run(on: bool) -> tuple[Any, int]:
        return _renders(monkeypatch, ("FIRST_CITE_CACHE", "PROBE_CACHE"), on, style)

    (slow, slow_renders), (quick, quick_renders) = run(False), run(True)
    assert quick == slow
    assert len(set(quick[2])) > len(ITEMS) // 2
    assert quick_renders < slow_renders  # the caches served some cites


@pytest.mark.parametrize("style", ["apa", "chicago-author-date",
                                   "american-political-science-association"])
def test_one_name_levels_do_not_change_output(style: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # the disambiguation steps that add names reuse the probes of single-name items
    def run(on: bool) -> tuple[Any, int]:
        return _renders(monkeypatch, ("ONE_NAME_LEVELS",), on, style)

    (slow, slow_renders), (quick, quick_renders) = run(False), run(True)
    assert quick == slow
    assert quick_renders < slow_renders  # some "more names" steps reused a probe


def test_choose_remembers_branches_by_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    from citekit.render.styles import resolve_style

    monkeypatch.setattr(engine, "COMPILED", False)  # FastChoose itself (compiled.py has its own)
    run = engine._Run(resolve_style("chicago-author-date"), "en-US", "text", True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run.run(ITEMS, None)
    assert len(result.entries) == len(ITEMS)
    chooses = [el for el in run.root.iter() if isinstance(el, fast.FastChoose)]
    remembered = [el for el in chooses if el.__dict__.get("_ck_taken")]
    # most chooses of this style test only type and variables; those remember branches
    assert remembered
    for el in remembered:
        assert el.__dict__["_ck_tested"] is not None
        for signature, branch in el.__dict__["_ck_taken"].items():
            assert isinstance(signature[0], str)  # the item type comes first
            assert branch is None or branch.getparent() is el
    # a choose that tests a position is never short-cut
    positional = [el for el in chooses if any("position" in c.attrib for c in el)]
    assert positional and all(el.__dict__.get("_ck_tested", None) is None for el in positional)


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "american-political-science-association"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_initials_cache_does_not_change_output(style: str, fmt: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # cs:name remembers its initials settings per context and the initials per given name
    def run(on: bool) -> Any:
        return _switched(monkeypatch, ("INITIALS_CACHE",), on, style, fmt)

    assert run(True) == run(False)


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "ieee", "chicago-note-bibliography"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_choose_value_tests_do_not_change_output(style: str, fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # a choose that tests is-numeric / is-uncertain-date remembers its branch by their results
    def run(on: bool) -> Any:
        return _switched(monkeypatch, ("CHOOSE_VALUE_TESTS",), on, style, fmt)

    assert run(True) == run(False)


def test_choose_value_tests_are_part_of_the_signature() -> None:
    from lxml import etree

    from citekit.render import compiled

    parser = etree.XMLParser()
    parser.set_element_class_lookup(engine._element_lookup(True))
    style = etree.fromstring(
        '<style xmlns="http://purl.org/net/xbiblio/csl"><choose>'
        '<if is-numeric="edition" type="book" match="all"><text value="a"/></if>'
        '<else-if is-uncertain-date="issued"><text value="b"/></else-if>'
        '<else-if is-numeric="author"><text value="c"/></else-if></choose></style>', parser)
    choose = style[0]
    assert compiled._value_tests(choose) is None  # a name variable: never in a signature
    choose.remove(choose[2])
    tested, tests = compiled._value_tests(choose)
    assert tested == () and len(tests) == 2
    choose[0].set("is-numeric", "locator")  # a variable of the cite: never in a signature
    assert compiled._value_tests(choose) is None


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "ieee", "chicago-note-bibliography",
                                   "american-political-science-association"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_date_memo_does_not_change_output(style: str, fmt: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # cs:date remembers what it rendered per date value (year suffixes are added after)
    def run(on: bool) -> Any:
        return _switched(monkeypatch, ("DATE_MEMO",), on, style, fmt)

    assert run(True) == run(False)


def test_date_memo_is_used_and_left_out_where_dates_change_the_locale() -> None:
    from lxml import etree

    from citekit.render import compiled, fidelity
    from citekit.render.styles import resolve_style

    run = engine._Run(resolve_style("apa"), "en-US", "text", True, compiled=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run.run(ITEMS, [[str(i["id"])] for i in ITEMS])
    assert len(result.entries) == len(ITEMS)
    memos = [el.__dict__[fidelity.DATE_MEMO] for el in run.root.iter(compiled.CSL + "date")
             if fidelity.DATE_MEMO in el.__dict__]
    assert memos and sum(len(m) for m in memos) > 0
    # the corpus has far fewer distinct years than items: one text serves many items
    assert max(len(m) for m in memos) < len(ITEMS) // 2
    assert any(k[0] == "issued" for m in memos for k in m)
    # a localized date with its own cs:date-part changes the locale's date parts for the dates
    # rendered after it (citeproc-py copies the attributes over): no memo in such a style
    parser = etree.XMLParser()
    parser.set_element_class_lookup(engine._element_lookup(True))
    style = etree.fromstring(
        '<style xmlns="http://purl.org/net/xbiblio/csl"><macro name="m">'
        '<date variable="issued" form="text"><date-part name="month" form="short"/></date>'
        '<date variable="accessed" form="numeric"/></macro></style>', parser)
    assert compiled.memo_dates(style) == 0
    assert not any(fidelity.DATE_MEMO in d.__dict__ for d in style.iter(compiled.CSL + "date"))
    style[0].remove(style[0][0])
    assert compiled.memo_dates(style) == 1


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "ieee", "chicago-note-bibliography",
                                   "american-political-science-association", "nature",
                                   "eai-commentary"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_group_skips_do_not_change_output(style: str, fmt: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # a group an item has no variable of is suppressed as it was for the last such item
    def run(on: bool) -> Any:
        return _switched(monkeypatch, ("GROUP_SKIPS",), on, style, fmt)

    assert run(True) == run(False)


def _style(body: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser()
    parser.set_element_class_lookup(engine._element_lookup(True))
    return etree.fromstring('<style xmlns="http://purl.org/net/xbiblio/csl">' + body
                            + "</style>", parser)


def test_group_skips_read_only_the_type_and_variables() -> None:
    from citekit.render import compiled

    style = _style(
        '<macro name="m"><text variable="edition" form="short"/></macro>'
        '<group><choose><if type="book" is-numeric="volume"><text term="edition"/></if>'
        '<else-if variable="URL DOI edition"><text term="edition"/></else-if></choose>'
        '<text macro="m"/><date variable="issued"/><label variable="page-first"/>'
        '<text variable="page-first"/></group>'
        '<group><names variable="editor translator"><name/><label prefix=" (" suffix=")"/>'
        '</names><number variable="edition"/><number variable="page-first"/></group>'
        '<group><names variable="author"><substitute><text variable="title"/></substitute>'
        '</names></group>'
        '<group><names variable="author"><name form="count"/></names></group>'
        '<group><choose><if position="first"><text variable="title"/></if></choose></group>'
        '<group><text variable="year-suffix"/></group>'
        '<group><number variable="locator"/></group>'
        '<group><text term="edition"/></group>'
        '<macro name="loop"><group><text macro="loop"/></group></macro>')
    groups = list(style.iter(compiled.CSL + "group"))
    # printed or tested by value; tested for presence only (edition is printed too)
    assert compiled._absent_variables(groups[0]) == (
        ("volume", "edition", "edition_short", "issued", "page_first", "page"), ("URL", "DOI"),
        False)
    # names without a substitute and numbers are read like texts of their variables
    assert compiled._absent_variables(groups[1]) == (
        ("editor", "translator", "edition", "page_first", "page"), (), True)
    # names with a substitute or counted, positions, variables set while rendering or
    # belonging to the cite, nothing to look up, a macro that calls itself: rendered every time
    assert [compiled._absent_variables(g) for g in groups[2:]] == [None] * 7


def test_group_skips_are_used() -> None:
    from citekit.render import compiled
    from citekit.render.styles import resolve_style

    run = engine._Run(resolve_style("apa"), "en-US", "text", True, compiled=True)
    groups = [g for g in run.root.iter(compiled.CSL + "group") if compiled.SUPPRESSED in g.__dict__]
    assert groups  # apa has such groups (date-original-year, the label-* macros' groups…)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run.run(ITEMS, None)
    assert len(result.entries) == len(ITEMS)
    remembered = [g.__dict__[compiled.SUPPRESSED] for g in groups]
    types = {k[0] for memo in remembered for k in memo}
    # some groups were suppressed for items without their variables, per item type
    assert "book" in types and "article-journal" in types
    assert all(isinstance(v, tuple) and len(v) == 3 for memo in remembered for v in memo.values())
    # groups holding names (apa's editors and translators) are skipped too, and remember
    # whether they drop the name text left by the last names printed
    assert any(v[2] for memo in remembered for v in memo.values())
    assert {v[2] for memo in remembered for v in memo.values()} <= {True, False, None}


SWITCHES = ("SPEED_MIXINS", "COMPILED", "PROBE_CACHE", "FIRST_CITE_CACHE", "ONE_NAME_LEVELS",
            "INITIALS_CACHE", "CHOOSE_VALUE_TESTS", "DATE_MEMO", "GROUP_SKIPS", "NAME_PROCESS")


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-note-bibliography",
                                   "harvard-cite-them-right"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_all_speed_switches_together(style: str, fmt: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # every shortcut off (citekit's fidelity layer alone) against every shortcut on
    def run(on: bool) -> Any:
        return _switched(monkeypatch, SWITCHES, on, style, fmt)

    slow, quick = run(False), run(True)
    assert quick == slow
    assert len(quick[1]) == len(ITEMS)


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association",
                                   "ieee", "chicago-note-bibliography",
                                   "american-political-science-association", "nature",
                                   "eai-commentary"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_name_process_does_not_change_output(style: str, fmt: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # cs:name renders its list with its options looked up once per context
    def run(on: bool) -> Any:
        return _switched(monkeypatch, ("NAME_PROCESS",), on, style, fmt)

    assert run(True) == run(False)


_NAME_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       demote-non-dropping-particle="{demote}">
  <info><title>names</title><id>names</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation et-al-min="3" et-al-use-first="1">
    <layout delimiter="; ">
      <names variable="author"><name form="short" and="{and_}"/></names>
      <date variable="issued" prefix=" "><date-part name="year"/></date>
    </layout>
  </citation>
  <bibliography et-al-min="{min}" et-al-use-first="{first}" et-al-use-last="{last}">
    <layout suffix=".">
      <group delimiter=". ">
        <names variable="author">
          <name and="{and_}" name-as-sort-order="{order}" initialize-with="{mark}"
                delimiter-precedes-last="{precedes}" delimiter-precedes-et-al="{precedes}">
            <name-part name="family" text-case="uppercase"/>
          </name>
          <et-al term="{et_al}"/>
        </names>
        <names variable="editor"><name form="short"/></names>
        <text variable="title"/>
      </group>
    </layout>
  </bibliography>
</style>
"""


@pytest.mark.parametrize("options", [
    dict(demote="never", and_="symbol", min=3, first=1, last="false", order="first", mark=". ",
         precedes="contextual", et_al="et-al"),
    dict(demote="display-and-sort", and_="text", min=4, first=2, last="true", order="all",
         mark="", precedes="after-inverted-name", et_al="and others"),
    dict(demote="sort-only", and_="text", min=6, first=1, last="true", order="first", mark=". ",
         precedes="always", et_al="et-al"),
    dict(demote="never", and_="none", min=2, first=1, last="false", order="", mark="",
         precedes="never", et_al="et-al"),
])
def test_name_process_covers_the_name_options(options: dict[str, Any], tmp_path: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from citekit.render import compiled

    path = tmp_path / "names.csl"
    style = _NAME_STYLE.format(**options).replace(' and="none"', "").replace(
        ' name-as-sort-order=""', "")
    path.write_text(style, encoding="utf-8")
    calls: list[int] = []
    real = compiled._name_process

    def counted(name_el: Any) -> Any:
        process = real(name_el)

        def call(*args: Any) -> Any:
            calls.append(1)
            return process(*args)
        return call

    monkeypatch.setattr(compiled, "_name_process", counted)
    on = _switched(monkeypatch, ("NAME_PROCESS",), True, str(path))
    assert calls  # the compiled rendering was used
    assert on == _switched(monkeypatch, ("NAME_PROCESS",), False, str(path))
    assert any(entry for entry in on[1])


def test_collation_key_ascii_path_matches_the_unicode_path() -> None:
    # ASCII text skips NFKD and the per-character tests: the same key either way
    import unicodedata

    from citekit.render import fidelity

    def by_unicode(text: str) -> str:
        text = fidelity._SORT_STRIP_RE.sub("", text).translate(fidelity._FOLD)
        text = unicodedata.normalize("NFKD", text)
        kept = "".join(ch for ch in text if not unicodedata.combining(ch)
                       and not unicodedata.category(ch).startswith("P"))
        return " ".join(kept.casefold().split())

    texts = [chr(code) * 2 + " a" for code in range(128)]
    texts += ["Smith, J. (2001). \"Title\": a_b-c [ed.] {x} 50% & more!?",
              "<i>Zhang</i> & O'Neill, 2019a", "  $+<=>^`|~ symbols stay  ", ""]
    for text in texts:
        assert fidelity.collation_key.__wrapped__(text) == by_unicode(text), repr(text)


def test_collector_threshold_is_raised_during_a_render_and_restored(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    seen: list[tuple[int, ...]] = []
    real = engine._Run.run

    def run(self: Any, *args: Any) -> Any:
        seen.append(gc.get_threshold())
        return real(self, *args)

    monkeypatch.setattr(engine._Run, "run", run)
    saved = gc.get_threshold()
    try:
        gc.set_threshold(500, 7, 9)
        result = render(SEED, style="apa", cite_keys=[SEED[0]["id"]])
        assert result.entries
        assert seen[-1] == (engine.GC_THRESHOLD, 7, 9)
        assert gc.get_threshold() == (500, 7, 9)

        def failing(self: Any, *args: Any) -> Any:
            seen.append(gc.get_threshold())
            raise engine.StyleError("boom")

        monkeypatch.setattr(engine._Run, "run", failing)
        with pytest.raises(engine.StyleError):
            render(SEED, style="apa")
        assert seen[-1] == (engine.GC_THRESHOLD, 7, 9)
        assert gc.get_threshold() == (500, 7, 9)  # restored after the exception too
        gc.set_threshold(0, 7, 9)  # a collector the caller turned off stays off
        with pytest.raises(engine.StyleError):
            render(SEED, style="apa")
        assert seen[-1] == (0, 7, 9) and gc.get_threshold() == (0, 7, 9)
        monkeypatch.setattr(engine._Run, "run", run)
        gc.set_threshold(500, 7, 9)
        monkeypatch.setattr(engine, "GC_SCOPED", False)
        assert render(SEED, style="apa", cite_keys=[SEED[0]["id"]]).entries == result.entries
        assert seen[-1] == (500, 7, 9)
    finally:
        gc.set_threshold(*saved)
