"""`citekit check` with the network on, against a real HTTP server on localhost."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer

from citekit.cli import main


def test_cli_network_run_against_local_server(httpserver: HTTPServer, tmp_path, capsys):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/alive").respond_with_data("ok")
    httpserver.expect_request("/gone").respond_with_data("gone", status=410)
    httpserver.expect_request("/api/handles/10.1234/abc").respond_with_json(
        {"responseCode": 1, "handle": "10.1234/abc"})
    httpserver.expect_request("/10.1234/abc").respond_with_json(
        {"title": "Alive and Well", "author": [{"family": "Smith", "given": "J."}],
         "issued": {"date-parts": [[2020]]}, "container-title": "Journal A",
         "volume": "1", "issue": "2", "page": "3-4"})
    httpserver.expect_request("/works").respond_with_json({"message": {"items": []}})
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "A Title\n\nBody text (Smith 2020; Jones 2021).\n\nReferences\n\n"
        f"Smith, J. 2020. \u201cAlive and Well.\u201d Journal A, 1(2): 3-4. doi:10.1234/abc\n\n"
        f"Jones, K. 2021. \u201cGone Away.\u201d Example Site. May 2. {base}/gone\n\n"
        f"Jones, K. 2022. \u201cStill Here.\u201d Example Site. May 3. {base}/alive\n",
        encoding="utf-8")
    args = ["check", "--format", "json", "--no-cache", "--allow-private", "--doi-base", base,
            "--crossref-base", base, "--no-discover", "--timeout", "5", str(doc)]
    code = main(args)
    data = json.loads(capsys.readouterr().out)
    codes = {(f["code"], f["location"]["key"]) for f in data["findings"]}
    assert ("url-dead", "jones2021") in codes
    assert not any(c.endswith("-unverified") for c, _ in codes)
    assert not {c for c, k in codes if k == "smith2020" and c.startswith("doi-")}
    assert data["summary"]["unverified"] == 0 and data["notices"] == []
    assert code == 1  # url-dead is an error
    asked = {req.path for req, _ in httpserver.log}
    assert {"/api/handles/10.1234/abc", "/gone", "/alive"} <= asked


def _article_without_doi(tmp_path):
    doc = tmp_path / "refs.txt"
    doc.write_text("References\n\nFish, A. 2023. \u201cA Study of Regional Security.\u201d Asian Review "
                   "Quarterly, 14(1): 228-252.\n", encoding="utf-8")
    return doc


def _missing_doi_message(args, capsys):
    main(args)
    data = json.loads(capsys.readouterr().out)
    [finding] = [f for f in data["findings"] if f["code"] == "missing-doi"]
    return finding["message"]


def test_missing_doi_says_what_the_crossref_search_gave(httpserver: HTTPServer, tmp_path, capsys):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/works").respond_with_json({"message": {"items": []}})
    doc = _article_without_doi(tmp_path)
    common = ["check", "--format", "json", "--no-cache", "--allow-private", "--doi-base", base,
              "--crossref-base", base, "--timeout", "5", str(doc)]
    searched = _missing_doi_message(common, capsys)
    assert searched.endswith("Crossref has no confident match; look it up by hand")
    assert "/works" in {req.path for req, _ in httpserver.log}
    offline = _missing_doi_message(["check", "--format", "json", "--offline", str(doc)], capsys)
    assert offline.endswith("(citekit check without --offline asks Crossref)")
    not_asked = _missing_doi_message(common + ["--no-discover"], capsys)
    assert not_asked.endswith("(Crossref was not asked: --no-discover)")


def test_missing_doi_says_when_crossref_could_not_be_asked(httpserver: HTTPServer, tmp_path,
                                                           capsys):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/works").respond_with_data("busy", status=503)
    doc = _article_without_doi(tmp_path)
    message = _missing_doi_message(
        ["check", "--format", "json", "--no-cache", "--allow-private", "--doi-base", base,
         "--crossref-base", base, "--timeout", "5", str(doc)], capsys)
    assert "Crossref could not be asked: " in message and message.endswith("run again later)")


def test_missing_doi_says_crossref_was_not_asked_when_no_network_check_is_selected(tmp_path,
                                                                                  capsys):
    doc = _article_without_doi(tmp_path)
    message = _missing_doi_message(["check", "--format", "json", "--select", "missing-doi",
                                    str(doc)], capsys)
    assert message.endswith("(Crossref was not asked: no network check is selected)")


def test_missing_doi_says_a_match_is_hidden_when_doi_found_is_ignored(httpserver: HTTPServer,
                                                                      tmp_path, capsys):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/works").respond_with_json({"status": "ok", "message": {"items": [{
        "DOI": "10.1000/fish", "title": ["A Study of Regional Security"],
        "author": [{"family": "Fish", "given": "A."}], "issued": {"date-parts": [[2023]]},
        "container-title": ["Asian Review Quarterly"], "volume": "14", "issue": "1",
        "page": "228-252"}]}})
    doc = _article_without_doi(tmp_path)
    common = ["check", "--format", "json", "--no-cache", "--allow-private", "--doi-base", base,
              "--crossref-base", base, "--timeout", "5", str(doc)]
    assert _missing_doi_message(common, capsys).endswith(
        "Crossref has a likely match (see doi-found)")
    assert _missing_doi_message(common + ["--ignore", "doi-found"], capsys).endswith(
        "(not shown: doi-found is not selected)")
