"""Honest verdicts: with the network down nothing is called dead; the cache serves repeat runs."""

from __future__ import annotations

import asyncio
import socket

import httpx

from citekit.check.network import run_network_checks, run_network_checks_sync
from network_support import base, bib, entry, fake_resolver, make_config, paths

pytest_plugins = ["network_fixtures"]


def down_client() -> httpx.AsyncClient:
    """A client whose every request fails as if there were no route to any host."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 101] Network is unreachable", request=request)

    return httpx.AsyncClient(transport=httpx.MockTransport(refuse))


def offline_run(entries, resolver_error):
    config = make_config(None, resolver=fake_resolver(), allowed_hosts=())
    config = config.replace(resolver=_always(resolver_error))

    async def main():
        async with down_client() as client:
            return await run_network_checks(bib(entries), config, client=client)

    return asyncio.run(main())


def _always(error):
    async def resolve(host, port):
        raise error

    return resolve


ENTRIES = [
    entry("a", url="http://gone.example.org/404", line=1),
    entry("b", url="http://no-such-host.invalid/", line=2),
    entry("c", doi="10.1234/abc", line=3),
    entry("d", title="Some Title Without a DOI", family="Kim", year=2020, line=4),
]


def test_network_down_nothing_is_dead_everything_unverified():
    result = offline_run(ENTRIES, socket.gaierror(socket.EAI_AGAIN, "Temporary failure"))
    codes = [f.code for f in result.findings]
    assert codes == ["url-unverified", "url-unverified", "doi-unverified"]
    assert result.unverified == 3
    assert all("network unreachable" in f.message for f in result.findings)
    assert len(result.notices) == 1
    assert "2 URLs and 1 DOI unverified" in result.notices[0]
    assert "discovery skipped" in result.notices[0]
    # Only the entry without a DOI was to be searched for one; the search could not be made.
    assert list(result.discovery) == [id(ENTRIES[0]), id(ENTRIES[1]), id(ENTRIES[3])]
    assert result.discovery[id(ENTRIES[3])].startswith("failed: ")


def test_network_down_even_when_dns_says_no_such_name():
    # Some offline resolvers answer NXDOMAIN for everything; that is still not a dead link.
    result = offline_run(ENTRIES, socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    assert "url-dead" not in [f.code for f in result.findings]
    assert result.unverified == 3


def test_cached_results_still_count_when_offline(web, tmp_path):
    web.expect_request("/gone").respond_with_data("", status=404)
    entries = [entry("a", url=f"{base(web)}/gone")]
    first = run_network_checks_sync(bib(entries), make_config(web, tmp_path))
    assert [f.code for f in first.findings] == ["url-dead"]

    async def main():
        async with down_client() as client:
            return await run_network_checks(bib(entries), make_config(web, tmp_path), client=client)

    second = asyncio.run(main())
    assert [f.code for f in second.findings] == ["url-dead"]
    assert second.findings[0].evidence["from_cache"] is True
    assert second.notices == []


def test_second_run_is_served_from_the_cache(web, tmp_path):
    origin = base(web)
    web.expect_request("/ok").respond_with_data("")
    web.expect_request("/gone").respond_with_data("", status=410)
    web.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/ok"})
    web.expect_request("/doi/api/handles/10.1234/abc").respond_with_json({"responseCode": 1})
    web.expect_request("/doi/10.1234/abc").respond_with_json(
        {"title": "A Title", "author": [{"family": "Kim"}], "issued": {"date-parts": [[2020]]}})
    entries = [entry("a", url=f"{origin}/ok"), entry("b", url=f"{origin}/gone"),
               entry("c", url=f"{origin}/moved"),
               entry("d", doi="10.1234/abc", title="A Title", family="Kim", year=2020)]
    first = run_network_checks_sync(bib(entries), make_config(web, tmp_path))
    asked = len(web.log)
    second = run_network_checks_sync(bib(entries), make_config(web, tmp_path))
    assert len(web.log) == asked  # not even the reachability probe
    assert [f.code for f in second.findings] == [f.code for f in first.findings] == [
        "url-dead", "url-redirected"]
    assert all(f.evidence["from_cache"] for f in second.findings)
    assert not any(f.evidence["from_cache"] for f in first.findings)


def test_no_cache_asks_again(web, tmp_path):
    web.expect_request("/ok").respond_with_data("")
    entries = [entry("a", url=f"{base(web)}/ok")]
    run_network_checks_sync(bib(entries), make_config(web, tmp_path))
    run_network_checks_sync(bib(entries), make_config(web, tmp_path, use_cache=False))
    assert paths(web).count("/ok") == 2


def test_unverified_results_are_not_cached(web, tmp_path):
    web.expect_oneshot_request("/flaky").respond_with_data("", status=503)
    web.expect_oneshot_request("/flaky").respond_with_data("", status=503)
    web.expect_oneshot_request("/flaky").respond_with_data("", status=503)
    web.expect_request("/flaky").respond_with_data("")
    entries = [entry("a", url=f"{base(web)}/flaky")]
    first = run_network_checks_sync(bib(entries), make_config(web, tmp_path))
    assert [f.code for f in first.findings] == ["url-unverified"]
    second = run_network_checks_sync(bib(entries), make_config(web, tmp_path))
    assert second.findings == []


def test_expired_failure_is_asked_again(web, tmp_path):
    web.expect_request("/gone").respond_with_data("", status=404)
    entries = [entry("a", url=f"{base(web)}/gone")]
    run_network_checks_sync(bib(entries), make_config(web, tmp_path, ttl_fail=0))
    run_network_checks_sync(bib(entries), make_config(web, tmp_path, ttl_fail=0))
    assert [r.method for r, _ in web.log if r.path == "/gone"] == ["HEAD", "GET"] * 2


def test_corrupt_cache_file_is_a_notice_not_a_crash(web, tmp_path):
    (tmp_path / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    web.expect_request("/ok").respond_with_data("")
    result = run_network_checks_sync(bib([entry("a", url=f"{base(web)}/ok")]),
                                     make_config(web, tmp_path))
    assert result.findings == []
    assert len(result.notices) == 1 and "without cache" in result.notices[0]


def test_sync_wrapper_refuses_to_run_inside_a_loop(web):
    import pytest

    from citekit.errors import CitekitError

    async def main():
        run_network_checks_sync(bib([]), make_config(web))

    with pytest.raises(CitekitError):
        asyncio.run(main())


def test_nothing_to_check_makes_no_request(web):
    result = run_network_checks_sync(bib([entry("a", title=None)]), make_config(web))
    assert result.findings == [] and web.log == []
