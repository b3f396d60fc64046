"""A commentary's organisations cited by acronym, Korean names ending the author part,
access notes left on their own line and narrative citations broken over two lines."""

from __future__ import annotations

from pathlib import Path

import citekit
from citekit import parse_reference
from citekit.parse.citations import extract_citations
from citekit.parse.names import parse_names

DOC = Path(__file__).parent / "fixtures" / "commentary" / "chips_commentary.txt"


def _codes(findings, code):
    return [f for f in findings if f.code == code]


def test_short_family_name_closing_the_author_part_is_no_initial() -> None:
    names, _ = parse_names("Kang, David C., and Seung-yoon Oh.")
    assert [(n.family, n.given) for n in names] == [("Kang", "David C."), ("Oh", "Seung-yoon")]
    names, _ = parse_names("Rui Lin, Mu Li, and Sheng Li.", natural=True)
    assert [(n.family, n.given) for n in names][-1] == ("Li", "Sheng")
    # two-letter initials, and Vancouver initials written in lower case, stay initials
    assert [(n.family, n.given) for n in parse_names("Dupont Ch.")[0]] == [("Dupont", "Ch.")]
    assert [(n.family, n.given) for n in parse_names("Ivanov Yu.")[0]] == [("Ivanov", "Yu.")]
    assert [(n.family, n.given) for n in parse_names("Saiki Rk.")[0]] == [("Saiki", "Rk.")]


def test_organisation_with_commas_and_acronym_is_one_author() -> None:
    entry = parse_reference('Ministry of Trade, Industry and Energy (MOTIE). 2023. '
                            '"K-Semiconductor Strategy." Press release. May 12.')
    assert [n.literal for n in entry.names] == ["Ministry of Trade, Industry and Energy (MOTIE)"]
    assert entry.title == "K-Semiconductor Strategy"
    # a person's name is not taken for one
    names, _ = parse_names("Smith, John, and Jane Doe")
    assert [n.family for n in names] == ["Smith", "Doe"]


def test_access_note_on_its_own_line_joins_the_reference_above() -> None:
    text = ("References\n\n"
            "Lowy Institute. 2024. Global Diplomacy Index. https://globaldiplomacyindex.lowyinstitute.org/\n\n"
            "Accessed July 3, 2024.\n\n"
            "Miller, Chris. 2022. Chip War. New York: Scribner.\n")
    bib = citekit.loads(text, "commentary")
    assert len(bib.entries) == 2
    lowy = bib.entries[0]
    assert lowy.accessed is not None and (lowy.accessed.year, lowy.accessed.month,
                                          lowy.accessed.day) == (2024, 7, 3)
    events = [e for e in lowy.source.events if e.code == "stray-fragment"]
    assert len(events) == 1 and "accessed date" in events[0].detail and events[0].line == 5


def test_narrative_citation_broken_over_two_lines() -> None:
    lines = ["Early on Choi", "(2021, 4) argued that Farrell and", "   Newman (2019) were right."]
    found = [(c.line, c.col, i.names, i.year, i.locator)
             for c in extract_citations(lines) for i in c.items]
    assert found == [(1, 10, "Choi", "2021", "4"), (2, 23, "Farrell and Newman", "2019", None)]


def test_commentary_cites_organisations_by_acronym_and_finds_real_defects() -> None:
    report = citekit.check(DOC, offline=True)
    # "(MOTIE 2023)" and "(SIA 2024)" cite the organisations listed with those acronyms;
    # "Kang and Oh 2023" matches "Kang, David C., and Seung-yoon Oh"; "Choi\n(2021)" is read.
    assert not _codes(report, "citation-name-mismatch")
    missing = _codes(report, "citation-missing-reference")
    assert [f.message.split(" but ")[0] for f in missing] == ["the body cites Lee and Shin 2025"]
    assert not _codes(report, "reference-uncited")
    year = _codes(report, "citation-year-mismatch")
    assert len(year) == 1 and "Park 2024" in year[0].message and "Park 2023" in year[0].message
    # the access note is a stray fragment of the SIA report, not an entry of its own
    stray = _codes(report, "stray-fragment")
    assert len(stray) == 1 and stray[0].location.line == 38
    assert stray[0].location.key == "sia2024"
    assert not _codes(report, "missing-field") and not _codes(report, "parse-uncertain")
    assert {f.location.key for f in _codes(report, "url-whitespace")} == {"choi2021", "hwang2023"}
    assert len(_codes(report, "duplicate-entry")) == 1
    assert len(_codes(report, "year-suffix-missing")) == 2


def test_organisations_are_cited_by_their_acronym_or_initials() -> None:
    text = ("Health spending rose (WHO 2020; OECD 2021), as the bank noted (World Bank 2019).\n\n"
            "References\n\n"
            "OECD (Organisation for Economic Co-operation and Development). 2021. Health at a Glance. Paris: OECD.\n\n"
            "World Bank. 2019. World Development Report. Washington, DC: World Bank.\n\n"
            "World Health Organization. 2020. World Health Statistics. Geneva: WHO.\n")
    report = citekit.check(citekit.loads(text, "commentary"), offline=True)
    assert not _codes(report, "citation-missing-reference")
    assert not _codes(report, "reference-uncited")
    assert not _codes(report, "citation-name-mismatch")


def test_narrative_citation_of_a_listed_organisation_takes_its_whole_name() -> None:
    text = ("Japan's role is set out by the Ministry of Foreign Affairs of Japan\n"
            "(2022), and the World Bank (2019) agrees.\n\n"
            "References\n\n"
            "Ministry of Foreign Affairs of Japan. 2022. Diplomatic Bluebook 2022. Tokyo: MOFA.\n\n"
            "World Bank. 2019. World Development Report. Washington, DC: World Bank.\n")
    bib = citekit.loads(text, "commentary")
    cited = [(i.names, i.year, i.line, i.col) for c in bib.citations for i in c.items]
    assert cited == [("Ministry of Foreign Affairs of Japan", "2022", 1, 32),
                     ("World Bank", "2019", 2, 17)]
    report = citekit.check(bib, offline=True)
    assert not [f for f in report if f.code.startswith(("citation-", "reference-uncited"))]


def test_stray_space_before_the_closing_full_stop_is_no_broken_url() -> None:
    entry = parse_reference("Sato, Yuki. 2018. Japan and Climate Finance. Singapore: ISEAS. "
                            "https://bookshop.iseas.edu.sg/publication/2345 .")
    assert entry.url == "https://bookshop.iseas.edu.sg/publication/2345"


def test_endnote_pages_reach_the_rendered_notes() -> None:
    from citekit.render import cites_from_body

    text = ("Fleets serve the state.1 Coast guards escort them.2\n\n"
            "Notes\n\n"
            "1. Ryan D. Martinson, Echelon Defense (Newport, RI: Naval War College Press, 2018), 55\u201358.\n"
            "2. Ibid., 12.\n\n"
            "Bibliography\n\n"
            "Martinson, Ryan D. Echelon Defense. Newport, RI: Naval War College Press, 2018.\n")
    bib = citekit.loads(text, "commentary")
    groups = cites_from_body(bib).groups
    assert [[(c["locator"], c["label"]) for c in g] for g in groups] == [
        [("55\u201358", "page")], [("12", "page")]]
    notes = citekit.render(bib, style="chicago-note-bibliography", cite_keys=groups).citations
    assert notes[0].endswith("2018), 55\u201358.") and notes[1].endswith(", 12.")


def test_tagger_dates_types_of_dated_pages_and_access_notes() -> None:
    from citekit.parse.tagger import parse

    page = parse('Erickson, Andrew S., and Conor M. Kennedy. "China\'s Maritime Militia." '
                 'CNA Corporation, March 7, 2016.')
    # Chicago's web page: the quoted title of a site dated to the day is no book
    assert (page.type, page.container_title, page.publisher) == ("webpage", "CNA Corporation", None)
    weekly = parse('Silberman, Lee. "A Run for Their Money," Barron\'s (July 25, 1966).')
    assert weekly.type == "article-magazine"
    nlm = parse("Wang Y, Chen Y, Bi H: Carnitine palmitoyltransferase 1C regulates cancer cell "
                "senescence. Cell Death Differ. 2018 Mar; 2018 Jan 9. PMID: 29317762")
    # NLM's issue date, then the e-pub date: the issue's; a journal dated year first
    assert (nlm.issued.year, nlm.issued.month, nlm.issued.day) == (2018, 3, None)
    assert nlm.type == "article-journal"
    site = parse("Wikipedia. 2019. PageRank, Retrieved September 5, 2019, from "
                 "https://en.wikipedia.org/wiki/PageRank")
    # an access date is no day of the issue
    assert (site.issued.year, site.issued.month) == (2019, None)
    assert (site.accessed.year, site.accessed.month, site.accessed.day) == (2019, 9, 5)


def test_mla_narrative_pages_cite_the_author_named_in_the_sentence() -> None:
    from citekit.parse.citations import extract_author_page_citations

    lines = ["Cha argues that the regime endures (45). Later critics disagree (Kim and Lee 620).",
             "Park lists three causes: (1) famine, (2) isolation. As Kim and Lee put it, the",
             "state adapts (622-24). Nobody says so (12). Smith et al. claim otherwise (3)."]
    found = extract_author_page_citations(lines, ["Kim and Lee", "Cha", "Park"])
    assert [(c.line, c.col, [(i.names, i.locator) for i in c.items]) for c in found] == [
        (1, 36, [("Cha", "45")]), (1, 65, [("Kim and Lee", "620")]),
        (3, 14, [("Kim and Lee", "622-24")])]


def test_mla_essay_reads_narrative_citations_and_its_publishers() -> None:
    bib = citekit.load(Path(__file__).parent / "fixtures" / "commentary" / "mla_essay.txt")
    cited = [(i.names, i.locator) for c in bib.citations for i in c.items]
    assert cited == [("Cha", "12"), ("Kim and Lee", "620-22"), ("Cumings", "185-87"),
                     ("Park", "3"), ("Oberdorfer and Carlin", "301")]
    by_key = {e.id: e for e in bib.entries}
    # "W. W. Norton, 2005." is no editor; "Ecco, 2012." in a list of publishers without
    # places is the publisher
    assert (by_key["cumings2005"].publisher, by_key["cumings2005"].editor) == ("W. W. Norton", [])
    assert (by_key["cha2012"].publisher, by_key["cha2012"].publisher_place) == ("Ecco", None)
    report = citekit.check(bib, offline=True)
    assert [f.code for f in report if f.severity.value != "info"] == []


def test_ieee_organisation_authors_editors_and_reports() -> None:
    from citekit.parse.tagger import parse

    org = parse('[1] TeleGeography, "Submarine Cable Map," 2024. [Online]. Available: '
                'https://www.submarinecablemap.com/')
    assert ([n.literal for n in org.author], org.title) == (["TeleGeography"], "Submarine Cable Map")
    rep = parse('[4] International Cable Protection Committee, "Cable repair and maintenance," '
                'ICPC, London, U.K., Tech. Rep., 2022.')
    assert [n.literal for n in rep.author] == ["International Cable Protection Committee"]
    assert (rep.type, rep.title, rep.publisher) == ("report", "Cable repair and maintenance", "ICPC")
    eds = parse("[5] D. R. Burnett, R. Beckman, and T. M. Davenport, Eds., Submarine Cables: The "
                "Handbook of Law and Policy. Leiden, The Netherlands: Martinus Nijhoff, 2014.")
    assert (eds.author, [n.family for n in eds.editor]) == ([], ["Burnett", "Beckman", "Davenport"])
    think_tank = parse('[6] S. Sunak, "Undersea cables: Indispensable, insecure," Policy Exchange, '
                       'London, U.K., 2017.')
    assert (think_tank.type, think_tank.publisher, think_tank.publisher_place,
            think_tank.container_title) == ("report", "Policy Exchange", "London, U.K.", None)
    # a proceedings before its place stays the container
    conf = parse('A. Gupta and D. Quass, "Aggregate-Query Processing in Data Warehousing '
                 'Environments," Proceedings of the 21st VLDB Conference, Zurich, Switzerland, 1995.')
    assert conf.container_title == "Proceedings of the 21st VLDB Conference" and conf.publisher is None


def test_a_doi_field_written_as_a_link_renders_once(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@inproceedings{lee2019, author = {Lee, J.}, title = {Cable diplomacy},\n"
                   "  booktitle = {Proc. ICC}, year = {2019},\n"
                   "  doi = {https://doi.org/10.1109/ICC.2019.8761234}}\n", encoding="utf-8")
    text = citekit.render(citekit.load(bib), style="apa").bibliography()
    assert text.strip().endswith(" https://doi.org/10.1109/ICC.2019.8761234")
    # CSL-JSON items given as they are render as the CSL processor renders them
    item = citekit.load(bib).entries[0].to_csl()
    assert "https://doi.org/https://doi.org/" in citekit.render([item], style="apa").bibliography()


def test_chicago_reprint_gives_the_original_date() -> None:
    entry = parse_reference("Said, Edward W. Orientalism. 1978. Reprint, New York: Vintage Books, 1994.")
    assert (entry.author[0].family, entry.author[0].given, entry.title) == (
        "Said", "Edward W.", "Orientalism")
    assert entry.issued.year == 1994 and entry.extra["original-date"].year == 1978
    assert (entry.publisher, entry.publisher_place) == ("Vintage Books", "New York")


def test_a_bare_apa_list_with_books_reports_and_works_in_press() -> None:
    report = citekit.check(Path(__file__).parent / "fixtures" / "commentary" / "apa_list.txt",
                           offline=True)
    # read as a list (no heading needed): its books, "(2021, March)" and "(in press)" heads
    # are references; APA 7 leaves out a publisher that is the author; a work in press has
    # no volume or pages yet
    assert [(f.code, f.location.line) for f in report] == [("missing-doi", 10)]
    assert "Zhang in press" in report.findings[0].message
    entry = parse_reference("Zhang, W., Li, X., & Chen, Y. (in press). Cultural differences in "
                            "help-seeking. Asian Journal of Social Psychology.")
    assert (entry.type, entry.title, entry.container_title, entry.extra["date-text"]) == (
        "article-journal", "Cultural differences in help-seeking",
        "Asian Journal of Social Psychology", "in press")


def test_apa_report_numbers_after_the_title() -> None:
    nimh = parse_reference("National Institute of Mental Health. (2021, March). Depression (NIH "
                           "Publication No. 21-MH-8079). U.S. Department of Health and Human "
                           "Services. https://www.nimh.nih.gov/health/publications/depression")
    assert (nimh.type, nimh.title, nimh.extra["genre"], nimh.extra["number"]) == (
        "report", "Depression", "NIH Publication", "21-MH-8079")
    bank = parse_reference("Smith, J. (2019). Flood risk in Asia (Report No. 12). World Bank.")
    assert (bank.type, bank.title, bank.publisher, bank.extra["number"]) == (
        "report", "Flood risk in Asia", "World Bank", "12")
    rendered = citekit.render([bank], style="apa").bibliography()
    assert "Flood risk in Asia (Report No. 12). World Bank." in rendered


def test_vancouver_year_in_a_title_and_year_read_into_the_volume() -> None:
    lancet = parse_reference(
        "1. Murray CJL, Ikuta KS, Sharara F, Gray A, et al. Global burden of bacterial "
        "antimicrobial resistance in 2019: a systematic analysis. Lancet. "
        "2022;399(10325):629-55. doi:10.1016/S0140-6736(21)02724-0")
    # "in 2019:" is in the title, not the year after the names
    assert lancet.title == ("Global burden of bacterial antimicrobial resistance in 2019: "
                            "a systematic analysis")
    assert (lancet.type, lancet.container_title, lancet.issued.year, lancet.volume,
            lancet.issue, lancet.page) == ("article-journal", "Lancet", 2022, "399", "10325",
                                           "629-55")
    bmc = parse_reference("5. Nguyen KV, Thi Do NT, Chandna A, et al. Antibiotic use and "
                          "resistance in emerging economies. BMC Public Health. 2013;13:1158.")
    assert (bmc.issued.year, bmc.volume, bmc.page) == (2013, "13", "1158")
    # names with a lower-case given name stay an author-date head
    hooks = parse_reference("hooks, bell. 2000. Where We Stand: Class Matters. New York: Routledge.")
    assert (hooks.author[0].family, hooks.issued.year) == ("hooks", 2000)


def test_original_date_round_trips_through_bibtex(tmp_path: Path) -> None:
    entry = parse_reference("Said, Edward W. Orientalism. 1978. Reprint, New York: Vintage Books, 1994.")
    entry.id = "said1994"
    out = tmp_path / "said.bib"
    citekit.dump(citekit.Bibliography(entries=[entry]), out)
    assert "origdate = {1978}" in out.read_text(encoding="utf-8")
    back = citekit.load(out).entries[0]
    assert (back.issued.year, back.extra["original-date"].year) == (1994, 1978)


def test_markdown_post_with_linked_and_emphasised_citations() -> None:
    path = Path(__file__).parent / "fixtures" / "commentary" / "post.md"
    bib = citekit.load(path)
    got = [(c.line, c.col, c.raw, [(i.names, i.year) for i in c.items]) for c in bib.citations]
    # a citation written as a link, or with emphasis, is read where it stands, as written
    assert got[0] == (3, 45, "([Miller 2022](https://example.com/chipwar))", [("Miller", "2022")])
    assert got[1][3] == [("Farrell and Newman", "2019"), ("Kang and Oh", "2023")]
    assert got[1][2] == "(Farrell and Newman 2019; *Kang and Oh* 2023)"
    kim = next(e for e in bib.entries if e.id == "kim2024")
    # "Foreign Affairs, March 2024." is a magazine's dated issue
    assert (kim.type, kim.container_title, kim.issued.month) == ("article-magazine",
                                                                 "Foreign Affairs", 3)
    report = citekit.check(bib, offline=True)
    assert [f.code for f in report] == ["missing-doi"]


def test_check_a_folder(tmp_path: Path) -> None:
    import shutil

    from citekit.errors import InputError

    folder = tmp_path / "refs"
    for sub in ("sub", ".git", "node_modules/pkg"):
        (folder / sub).mkdir(parents=True)
    shutil.copy(DOC, folder / "chips.txt")
    shutil.copy(Path(__file__).parent / "fixtures" / "commentary" / "post.md", folder / "sub" / "post.md")
    (folder / ".git" / "notes.txt").write_text("not ours", encoding="utf-8")
    (folder / "node_modules" / "pkg" / "refs.json").write_text("[]", encoding="utf-8")
    (folder / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    (folder / "README.md").write_text("# Drafts\n\nNothing cited here.\n", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    report = citekit.check([folder, folder / "chips.txt"], offline=True)
    # the documents are checked once each, in name order; hidden and tool folders, a .json
    # that is no list and the picture are passed over; a README with no references is noted
    assert report.paths == [str(folder / "chips.txt"), str(folder / "sub" / "post.md")]
    assert {f.location.path for f in report} == set(report.paths)
    assert any("README.md" in n and "no references" in n for n in report.notices)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("Nothing.\n", encoding="utf-8")
    for bad in (tmp_path / "none", empty):
        bad.mkdir(exist_ok=True)
        try:
            citekit.check(bad, offline=True)
        except InputError as exc:
            assert "no file" in str(exc)
        else:
            raise AssertionError(f"{bad.name}: a folder with nothing to check is an error")


def test_nature_chapters_with_a_chapter_number_and_initials_before_in() -> None:
    ch = parse_reference("3. Park, H. in Security in Asia (eds Jones, A. & Brown, B.) Ch. 4 "
                         "(Routledge, 2019).")
    assert (ch.type, ch.container_title, ch.extra["chapter-number"], ch.publisher) == (
        "chapter", "Security in Asia", "4", "Routledge")
    assert [(n.family, n.given) for n in ch.author] == [("Park", "H.")]
    assert [n.family for n in ch.editor] == ["Jones", "Brown"] and ch.page is None
    two = parse_reference("3. Park, H. & Kim, S. in Security in Asia (eds Jones, A. & Brown, B.) "
                          "45\u201367 (Routledge, 2019).")
    assert [n.family for n in two.author] == ["Park", "Kim"] and two.page == "45\u201367"


def test_review_dissertations_reports_and_volumes_after_titles() -> None:
    thesis = parse_reference(
        "Zambrano-Vazquez, L. (2016). The interaction of state and trait worry (Publication No. "
        "10802046) [Doctoral dissertation, University of Arizona]. ProQuest Dissertations and "
        "Theses Global.")
    assert (thesis.type, thesis.extra["genre"], thesis.extra["number"]) == (
        "thesis", "Doctoral dissertation", "10802046")
    assert thesis.extra["archive"] == "ProQuest Dissertations and Theses Global"
    hale = parse_reference("Hale, R. (2019). Annual statistics (Report No. 5). Statistics Korea.")
    assert (hale.type, hale.publisher, hale.container_title) == ("report", "Statistics Korea", None)
    vol = parse_reference("Jones, B. (2018). Music theory (Vol. 2, No. 4). Routledge.")
    assert vol.type != "report" and "genre" not in vol.extra


def test_review_mla_narrative_pages_are_not_years_or_counted_items() -> None:
    lines = ["Victor Cha, in his book (2012), argues that the state endures (45). Cumings (2005)",
             "also writes about it (185-87). Cha gives three reasons: (i) famine, (ii) isolation",
             "and (iii) the army. Park lists causes (1) hunger and",
             "(2) fear."]
    from citekit.parse.citations import extract_author_page_citations

    found = extract_author_page_citations(lines, ["Cha", "Cumings", "Park"])
    assert [(c.raw, c.items[0].names, c.items[0].locator) for c in found] == [
        ("(45)", "Cha", "45"), ("(185-87)", "Cumings", "185-87")]


def test_review_ieee_outlets_with_a_place_are_no_reports() -> None:
    from citekit.parse.tagger import parse

    news = parse('[3] B. Roe, "Undersea risk," BBC News, London, U.K., Mar. 3, 2020.')
    assert (news.type, news.container_title) == ("article-newspaper", "BBC News")


def test_review_in_press_and_forthcoming_are_cited_and_rendered() -> None:
    text = ("Body cites (Gray, forthcoming), (Smith, in press) and Smith (in press).\n\n"
            "References\n\n"
            "Gray, E. (forthcoming). The next war. Review of International Studies.\n\n"
            "Smith, J. (in press). Future fabs. Journal of Chip Studies.\n")
    bib = citekit.loads(text, "commentary")
    assert [(i.names, i.year) for c in bib.citations for i in c.items] == [
        ("Gray", "forthcoming"), ("Smith", "in press"), ("Smith", "in press")]
    report = citekit.check(bib, offline=True)
    assert sorted(f.code for f in report) == ["missing-doi", "missing-doi"]
    assert "Smith, J. (in press). Future fabs." in citekit.render(bib, style="apa").bibliography()
    # CSL's publication status: printed once, where the style prints it (as citeproc-js does)
    chicago = citekit.render(bib, style="chicago-author-date").bibliography()
    assert "Smith, J. In press. \u201cFuture Fabs.\u201d Journal of Chip Studies." in chicago
    assert [e.extra.get("status") for e in bib.entries] == ["forthcoming", "in press"]
    bibtex = citekit.dumps(bib, "bibtex")
    assert "pubstate = {inpress}" in bibtex and "pubstate = {forthcoming}" in bibtex
    assert [e.extra.get("status") for e in citekit.loads(bibtex, "bibtex").entries] == [
        "forthcoming", "in press"]


def test_review_organisations_in_other_languages_and_apa_bracketed_acronyms() -> None:
    names, _ = parse_names("Bundesministerium für Wirtschaft und Energie (BMWi)")
    assert [n.literal for n in names] == ["Bundesministerium für Wirtschaft und Energie (BMWi)"]
    names, _ = parse_names("Deutsche Forschungsgemeinschaft (DFG)")
    assert [n.literal for n in names] == ["Deutsche Forschungsgemeinschaft (DFG)"]
    # a nickname in brackets is no acronym: the person stays a person
    assert parse_names("Smith, J., and K. Lee (KL)")[0][0].family == "Smith"
    text = ("Chips matter (Semiconductor Industry Association [SIA], 2023). Later (SIA, 2023).\n\n"
            "References\n\n"
            "Semiconductor Industry Association. (2023). State of the industry. "
            "https://www.semiconductors.org/x\n")
    assert list(citekit.check(citekit.loads(text, "commentary"), offline=True)) == []
    oecd = parse_reference("OECD (Organisation for Economic Co-operation and Development). "
                           "2021. Health at a Glance. Paris: OECD.")
    from citekit.normalise.keys import base_key
    assert base_key(oecd) == "oecd2021"


def test_review_access_lines_and_folders_of_mla_places() -> None:
    text = ("References\n\n"
            "Lowy Institute. (2024). Global diplomacy index.\n\n"
            "Retrieved March 3, 2024, from https://globaldiplomacyindex.lowyinstitute.org/\n\n"
            "Miller, C. (2022). Chip war. Scribner.\n")
    bib = citekit.loads(text, "commentary")
    assert len(bib.entries) == 2
    lowy = bib.entries[0]
    assert lowy.url == "https://globaldiplomacyindex.lowyinstitute.org/"
    assert (lowy.accessed.year, lowy.accessed.month, lowy.accessed.day) == (2024, 3, 3)
    mla = ("Works Cited\n\n"
           "Hugo, Victor. Les Misérables. Bruxelles, 1862.\n\n"
           "Cumings, Bruce. Korea's Place in the Sun. W. W. Norton, 2005.\n\n"
           "Oberdorfer, Don. The Two Koreas. Basic Books, 2014.\n")
    entries = {e.id: e for e in citekit.loads(mla, "commentary").entries}
    assert entries["hugo1862"].publisher_place == "Bruxelles"  # a place the model knows
    assert entries["hugo1862"].publisher is None


def test_structured_files_have_no_order_and_ris_organisations_stay_whole(tmp_path: Path) -> None:
    ris = tmp_path / "lib.ris"
    ris.write_text("TY  - RPRT\nAU  - Ministry of Trade, Industry and Energy (MOTIE)\n"
                   "TI  - K-Semiconductor Strategy\nPY  - 2023\nPB  - MOTIE\nER  - \n\n"
                   "TY  - BOOK\nAU  - Miller, Chris\nTI  - Chip War\nPY  - 2022\n"
                   "PB  - Scribner\nER  - \n", encoding="utf-8")
    bib = citekit.load(ris)
    assert [n.literal for n in bib.entries[0].author] == [
        "Ministry of Trade, Industry and Energy (MOTIE)"]
    assert (bib.entries[1].author[0].family, bib.entries[1].author[0].given) == ("Miller", "Chris")
    # Ministry before Miller is no fault in a library file: styles sort it
    assert [f.code for f in citekit.check(bib, offline=True)] == []


def test_korean_and_chinese_references() -> None:
    bib = citekit.load(Path(__file__).parent / "fixtures" / "commentary" / "cjk_list.txt")
    kim, lee, _, xi = bib.entries
    # 『…』 and 「…」 are title marks; "1월 1일" is January 1; "서울: 통일연구원" a place and
    # a publisher
    assert (kim.title, kim.container_title) == ("신년사", "로동신문")
    assert (kim.issued.year, kim.issued.month, kim.issued.day) == (2023, 1, 1)
    assert (lee.title, lee.publisher_place, lee.publisher) == (
        "북한의 정보 통제와 주민 의식 변화", "서울", "통일연구원")
    assert (xi.title, xi.publisher_place, xi.publisher) == ("習近平談治國理政", "北京", "外文出版社")
    # a list grouped by script (Korean works, then Western ones) is in order
    assert [f.code for f in citekit.check(bib, offline=True)] == []
    from citekit.parse.authordate import parse_month_day
    d = parse_month_day("2023年3月5日")
    assert (d.year, d.month, d.day) == (2023, 3, 5)


def test_second_review_regressions() -> None:
    from citekit.parse.citations import extract_author_page_citations
    from citekit.parse.tagger import parse
    from citekit.readers.ris import parse_ris_name

    # a one-word family name that is also an organisation word stays a person
    assert (parse_ris_name("Service, Robert").family, parse_ris_name("Post, Jerrold M.").given) == (
        "Service", "Jerrold M.")
    # a title that opens with "Retrieved" starts a reference of its own
    text = ("References\n\n"
            "Lee, D. (2018). Web page. Site. https://a.org/x\n"
            "Retrieved memories in older adults. (2015). Journal of Aging, 3(1), 1-9.\n"
            "Smith, J. (2019). Book. Press.\n")
    assert len(citekit.loads(text, "commentary").entries) == 3
    # an organisation's report dated to the month stays a report
    kdi = parse('[2] S. Han, "Annual economic outlook," Korea Development Institute, Sejong, '
                'South Korea, Dec. 2021.')
    assert (kdi.type, kdi.publisher) == ("report", "Korea Development Institute")
    # two-digit pages on lines next to each other are both citations
    lines = ["Cha argues the regime survives by rationing food (12).",
             "Oberdorfer and Carlin describe the south (13)."]
    found = extract_author_page_citations(lines, ["Oberdorfer and Carlin", "Cha"])
    assert [(c.items[0].names, c.items[0].locator) for c in found] == [
        ("Cha", "12"), ("Oberdorfer and Carlin", "13")]


def test_in_press_sorts_last_and_acronym_organisations_are_widened() -> None:
    text = ("As the Ministry of Foreign Affairs of Japan (2022) notes, Baker agrees "
            "(Baker, n.d.; Baker, 2019; Baker, in press).\n\n"
            "References\n\n"
            "Baker, L. (n.d.). Notes. Site. https://a.org/n\n\n"
            "Baker, L. (2019). Memory. Journal of Sleep, 3(1), 1-9.\n\n"
            "Baker, L. (in press). Dreams. Journal of Sleep.\n\n"
            "Ministry of Foreign Affairs of Japan (MOFA). (2022). Diplomatic bluebook. MOFA.\n")
    report = citekit.check(citekit.loads(text, "commentary"), offline=True)
    codes = [f.code for f in report]
    assert "reference-order" not in codes and "citation-missing-reference" not in codes
    assert "reference-uncited" not in codes


def test_convert_and_render_say_a_folder_is_no_file(tmp_path: Path) -> None:
    from citekit.errors import InputError

    try:
        citekit.load(tmp_path)
    except InputError as exc:
        assert "is a directory" in str(exc) and "citekit check" in str(exc)
    else:
        raise AssertionError("loading a folder is an error")
