"""DOI checks against a local server playing doi.org (handle API, content negotiation) and
Crossref (bibliographic search)."""

from __future__ import annotations

import json

from citekit.check.findings import Severity
from citekit.check.network import run_network_checks_sync
from network_support import base, bib, entry, make_config

pytest_plugins = ["network_fixtures"]

DOI = "10.1080/13523260.2019.1660483"
CSL = {
    "type": "article-journal",
    "DOI": DOI,
    "title": "Renegotiating Pariah State Partnerships: Why Myanmar and North Korea Respond "
             "Differently to Chinese Influence",
    "author": [{"family": "Chow", "given": "Jonathan T."},
               {"family": "Easley", "given": "Leif-Eric"}],
    "issued": {"date-parts": [[2019, 9, 4]]},
    "container-title": "Contemporary Security Policy",
    "volume": "40",
    "issue": "4",
    "page": "502-525",
}


def chow(**changes):
    fields = dict(doi=DOI, family="Chow", year=2019, container="Contemporary Security Policy",
                  title="Renegotiating Pariah State Partnerships: Why Myanmar and North Korea "
                        "Respond Differently to Chinese Influence",
                  volume="40", issue="4", page="502-525")
    fields.update(changes)
    return entry("chow2019", **fields)


def serve_doi(web, doi=DOI, csl=CSL):
    web.expect_request(f"/doi/api/handles/{doi}").respond_with_json(
        {"responseCode": 1, "handle": doi, "values": []})
    web.expect_request(f"/doi/{doi}", headers={
        "Accept": "application/vnd.citationstyles.csl+json"}).respond_with_json(csl)


def run(web, *entries, **changes):
    return run_network_checks_sync(bib(entries), make_config(web, **changes))


def test_registered_doi_that_matches_gives_no_finding(web):
    serve_doi(web)
    result = run(web, chow())
    assert result.findings == []


def test_unregistered_doi_is_an_error(web):
    web.expect_request("/doi/api/handles/10.9999/nope").respond_with_json(
        {"responseCode": 100, "handle": "10.9999/nope"}, status=404)
    result = run(web, chow(doi="10.9999/nope"))
    [found] = result.findings
    assert found.code == "doi-not-found" and found.severity is Severity.ERROR
    assert "10.9999/nope" in found.message and found.evidence["status"] == 404


def test_doi_of_another_work_is_a_mismatch_showing_the_registry(web):
    other = dict(CSL, title="A Field Guide to the Mosses of Tasmania",
                 author=[{"family": "Grundy", "given": "P."}], issued={"date-parts": [[1987]]},
                 **{"container-title": "Bryology Notes"})
    serve_doi(web, csl=other)
    [found] = run(web, chow()).findings
    assert found.code == "doi-mismatch"
    assert "Mosses of Tasmania" in found.message and "Grundy" in found.message
    assert found.evidence["registry"]["year"] == 1987
    assert found.evidence["scores"]["title"] < 70


def test_subtitle_and_case_differences_are_not_a_mismatch(web):
    serve_doi(web)
    result = run(web, chow(title="renegotiating pariah state partnerships"))
    assert result.findings == []


def test_registry_fills_missing_volume_issue_pages(web):
    serve_doi(web)
    result = run(web, chow(volume=None, issue=None, page=None))
    assert [(f.code, f.fix.field, f.fix.after) for f in result.findings] == [
        ("doi-metadata", "volume", "40"), ("doi-metadata", "issue", "4"),
        ("doi-metadata", "page", "502-525")]
    assert all(f.severity is Severity.INFO for f in result.findings)


def test_handle_api_server_error_is_unverified(web):
    web.expect_request(f"/doi/api/handles/{DOI}").respond_with_data("oops", status=500)
    [found] = run(web, chow()).findings
    assert found.code == "doi-unverified" and "500" in found.message


def test_doi_with_special_characters_is_escaped(web):
    doi = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    web.expect_request("/doi/api/handles/10.1002/(SICI)1097-4571(199806)49:8"
                       "<693::AID-ASI4>3.0.CO;2-0").respond_with_json(
        {"responseCode": 100}, status=404)
    [found] = run(web, chow(doi=doi)).findings
    assert found.code == "doi-not-found"


def crossref_item(**changes):
    item = {"DOI": DOI, "title": [CSL["title"]], "author": CSL["author"],
            "issued": CSL["issued"], "container-title": [CSL["container-title"]], "score": 80.1}
    item.update(changes)
    return item


def serve_crossref(web, items, headers=None):
    web.expect_request("/crossref/works").respond_with_json(
        {"status": "ok", "message": {"items": items}}, headers=headers or {})


def test_missing_doi_is_found_on_crossref(web):
    decoy = crossref_item(DOI="10.1080/decoy", title=["Pariah States in World Politics"],
                          author=[{"family": "Smith"}], issued={"date-parts": [[2008]]})
    serve_crossref(web, [decoy, crossref_item()])
    mine = chow(doi=None)
    result = run(web, mine)
    assert result.discovery == {id(mine): "found"}
    [found] = result.findings
    assert found.code == "doi-found" and found.fix.after == DOI and found.fix.field == "DOI"
    assert found.fix.automatic is True
    assert found.evidence["score"] >= 88
    query = [r for r, _ in web.log if r.path == "/crossref/works"][0].args
    assert query["mailto"] == "tests@example.org" and query["rows"] == "5"
    assert "Renegotiating Pariah" in query["query.bibliographic"]


def test_weak_crossref_candidate_is_not_suggested(web):
    serve_crossref(web, [crossref_item(DOI="10.1080/other", title=["Pariah State Partnerships"],
                                       author=[{"family": "Chow"}],
                                       issued={"date-parts": [[2015]]})])
    mine = chow(doi=None)
    result = run(web, mine)
    assert result.findings == []
    assert result.discovery == {id(mine): "none"}


def test_title_alone_is_not_enough_to_suggest(web):
    serve_crossref(web, [crossref_item(author=[], issued=None)])
    bare = chow(doi=None, family=None, year=None)
    assert run(web, bare).findings == []


def test_discovery_can_be_turned_off(web):
    serve_crossref(web, [crossref_item()])
    mine = chow(doi=None)
    result = run(web, mine, discover=False)
    assert result.findings == []
    assert result.discovery == {id(mine): "off"}
    assert "/crossref/works" not in [r.path for r, _ in web.log]


def test_crossref_rate_limit_headers_are_read(web):
    serve_crossref(web, [crossref_item()], headers={"X-Rate-Limit-Limit": "50",
                                                   "X-Rate-Limit-Interval": "1s"})
    import asyncio

    import httpx

    from citekit.check.network.fetch import Fetcher
    from citekit.check.network.safety import AddressGuard

    config = make_config(web)

    async def main():
        async with httpx.AsyncClient() as client:
            fetcher = Fetcher(config, client, AddressGuard(config))
            await fetcher.get(f"{base(web)}/crossref/works?query=x", "application/json")
            return fetcher._rates

    assert asyncio.run(main()) == {f"localhost:{web.port}": (50, 1.0)}


def test_doi_link_url_is_not_fetched_twice(web):
    serve_doi(web)
    result = run(web, chow(url=f"https://doi.org/{DOI}"))
    assert result.findings == []
    assert all("doi.org" not in r.url for r, _ in web.log)


def test_content_negotiation_body_over_the_cap_is_not_parsed(web):
    web.expect_request(f"/doi/api/handles/{DOI}").respond_with_json({"responseCode": 1})
    big = dict(CSL, title="Something else entirely " + "x" * 10000)
    web.expect_request(f"/doi/{DOI}").respond_with_data(json.dumps(big),
                                                        content_type="application/json")
    assert run(web, chow(), max_body=2048).findings == []


def test_discovery_ignores_notices_and_numbered_siblings():
    from citekit.check.network.match import RecordView, discovery_score

    mine = chow(doi=None)
    same = RecordView.from_csl(crossref_item())
    correction = RecordView.from_csl(crossref_item(title=["Correction to: " + CSL["title"]]))
    part_two = RecordView.from_csl(crossref_item(title=[CSL["title"] + ", Part 2"]))
    short = RecordView.from_csl(crossref_item(title=["Renegotiating Pariah State Partnerships"]))
    assert discovery_score(mine, same) == 100
    assert discovery_score(mine, correction) == 0
    assert discovery_score(mine, part_two) < 88
    # A main title without its subtitle still matches when author and year agree.
    assert discovery_score(mine, short) >= 88


def test_registry_subtitle_field_is_joined_to_the_title():
    from citekit.check.network.match import RecordView

    record = RecordView.from_csl({"title": ["Main"], "subtitle": ["The Sub"]})
    assert record.title == "Main: The Sub"


def test_compressed_registry_answer_is_decoded(web):
    import gzip

    web.expect_request(f"/doi/api/handles/{DOI}").respond_with_json({"responseCode": 1})
    web.expect_request(f"/doi/{DOI}").respond_with_data(
        gzip.compress(json.dumps(dict(CSL, volume="41")).encode()),
        headers={"Content-Encoding": "gzip"}, content_type="application/json")
    [found] = run(web, chow(volume=None)).findings
    assert found.code == "doi-metadata" and found.fix.after == "41"
