"""Link checking against a real local HTTP server: every verdict a user can see."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
from werkzeug import Response

from citekit.check.findings import Severity
from citekit.check.network import run_network_checks, run_network_checks_sync
from network_support import base, bib, entry, make_config, paths

pytest_plugins = ["network_fixtures"]


def check(srv, *urls: str, **changes):
    """Run the checks over one entry per URL; return the result."""
    entries = [entry(f"e{i}", url=u, line=i + 1) for i, u in enumerate(urls)]
    return run_network_checks_sync(bib(entries), make_config(srv, **changes))


def only(result, code=None):
    assert len(result.findings) == 1, [f.to_dict() for f in result.findings]
    found = result.findings[0]
    if code:
        assert found.code == code, found.to_dict()
    return found


def test_live_link_gives_no_finding(web):
    web.expect_request("/ok", method="HEAD").respond_with_data("")
    result = check(web, f"{base(web)}/ok")
    assert result.findings == [] and result.notices == [] and result.unverified == 0


def test_permanent_redirect_chain_suggests_final_url(web):
    origin = base(web)
    web.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/older"})
    web.expect_request("/older").respond_with_data("", status=308,
                                                   headers={"Location": f"{origin}/new"})
    web.expect_request("/new").respond_with_data("")
    found = only(check(web, f"{origin}/old"), "url-redirected")
    assert found.severity is Severity.INFO
    assert found.fix.after == f"{origin}/new" and found.fix.field == "URL"
    assert found.evidence["status"] == 200
    assert found.evidence["final_url"] == f"{origin}/new"
    assert [hop["status"] for hop in found.evidence["redirects"]] == [301, 308]
    assert found.location.path == "refs.txt" and found.location.line == 1
    assert found.location.key == "e0"
    assert found.evidence["from_cache"] is False and found.evidence["elapsed_ms"] >= 0
    assert json.loads(json.dumps(found.to_dict()))["evidence"]["final_url"] == f"{origin}/new"


def test_temporary_redirect_is_not_reported(web):
    web.expect_request("/tmp").respond_with_data("", status=302, headers={"Location": "/ok"})
    web.expect_request("/ok").respond_with_data("")
    assert check(web, f"{base(web)}/tmp").findings == []


@pytest.mark.parametrize("status", [404, 410])
def test_gone_pages_are_dead(web, status):
    web.expect_request("/gone").respond_with_data("", status=status)
    found = only(check(web, f"{base(web)}/gone"), "url-dead")
    assert found.severity is Severity.ERROR
    assert found.evidence["status"] == status and f"HTTP {status}" in found.message
    assert found.evidence["method"] == "GET"


def test_head_404_is_confirmed_with_get(web):
    web.expect_request("/shy", method="HEAD").respond_with_data("", status=404)
    web.expect_request("/shy", method="GET").respond_with_data("here after all")
    assert check(web, f"{base(web)}/shy").findings == []


def test_429_with_retry_after_is_retried(web):
    web.expect_oneshot_request("/busy", method="HEAD").respond_with_data(
        "", status=429, headers={"Retry-After": "1"})
    web.expect_request("/busy", method="HEAD").respond_with_data("")
    result = check(web, f"{base(web)}/busy")
    assert result.findings == []
    assert paths(web).count("/busy") == 2


def test_retry_after_over_the_cap_is_not_waited_for(web):
    web.expect_request("/later", method="HEAD").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"})
    found = only(check(web, f"{base(web)}/later"), "url-unverified")
    assert "Retry-After 3600" in found.message and "cap" in found.message
    assert paths(web).count("/later") == 1


def test_503_then_200_is_alive(web):
    web.expect_oneshot_request("/flaky", method="HEAD").respond_with_data("", status=503)
    web.expect_request("/flaky", method="HEAD").respond_with_data("")
    result = check(web, f"{base(web)}/flaky")
    assert result.findings == []
    assert paths(web).count("/flaky") == 2


def test_persistent_503_is_unverified_not_dead(web):
    web.expect_request("/down").respond_with_data("", status=503)
    found = only(check(web, f"{base(web)}/down"), "url-unverified")
    assert "503" in found.message and found.evidence["attempts"] == 3
    assert found.severity is Severity.WARNING
    assert check(web, f"{base(web)}/down").unverified == 1


@pytest.mark.parametrize("refusal", [405, 403, 501])
def test_head_refused_falls_back_to_get(web, refusal):
    web.expect_request("/nohead", method="HEAD").respond_with_data("", status=refusal)
    web.expect_request("/nohead", method="GET").respond_with_data("hello")
    assert check(web, f"{base(web)}/nohead").findings == []
    assert [r.method for r, _ in web.log if r.path == "/nohead"] == ["HEAD", "GET"]


def test_slow_drip_is_cut_off_at_the_deadline(web):
    sent = []

    def drip(request):
        def body():
            for _ in range(100):  # 40 s in all if nobody hung up
                sent.append(1)
                yield b"x"
                time.sleep(0.4)
        return Response(body(), status=200)

    web.expect_request("/drip", method="HEAD").respond_with_data("", status=405)
    web.expect_request("/drip", method="GET").respond_with_handler(drip)
    found = only(check(web, f"{base(web)}/drip", deadline=1.0), "url-unverified")
    assert "deadline" in found.message
    assert len(sent) < 100


def test_huge_body_is_not_downloaded(web):
    sent = []

    def huge(request):
        def body():
            for _ in range(200):  # 200 MiB if read to the end
                sent.append(1)
                yield b"x" * (1 << 20)
        return Response(body(), status=200)

    web.expect_request("/huge", method="HEAD").respond_with_data("", status=405)
    web.expect_request("/huge", method="GET").respond_with_handler(huge)
    result = check(web, f"{base(web)}/huge", max_body=4096)
    assert result.findings == []
    assert len(sent) < 200


def test_redirect_loop_is_dead(web):
    web.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    web.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    found = only(check(web, f"{base(web)}/a"), "url-dead")
    assert "redirect loop" in found.message
    assert paths(web).count("/a") == 1 and paths(web).count("/b") == 1


def test_too_many_redirects_is_dead(web):
    for i in range(12):
        web.expect_request(f"/hop{i}").respond_with_data(
            "", status=302, headers={"Location": f"/hop{i + 1}"})
    found = only(check(web, f"{base(web)}/hop0", max_redirects=10), "url-dead")
    assert "more than 10 redirects" in found.message
    assert "/hop11" not in paths(web)


def test_redirect_to_loopback_is_blocked_and_not_followed(web):
    web.expect_request("/sneaky").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.1:{web.port}/secret"})
    web.expect_request("/secret").respond_with_data("top secret")
    found = only(check(web, f"{base(web)}/sneaky"), "url-blocked")
    assert "loopback" in found.message
    assert "/secret" not in paths(web)


def test_redirect_to_metadata_address_is_blocked(web):
    web.expect_request("/meta").respond_with_data(
        "", status=301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    found = only(check(web, f"{base(web)}/meta", allow_private=True), "url-blocked")
    assert "metadata" in found.message
    assert found.evidence["redirects"][0]["status"] == 301


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:1/admin", "loopback"),
    ("http://10.1.2.3/", "private"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://224.0.0.1/", "multicast"),
    ("ftp://example.org/file", "not http(s)"),
    ("file:///etc/passwd", "not http(s)"),
])
def test_hostile_first_hop_is_blocked_without_a_request(web, url, words):
    found = only(check(web, url), "url-blocked")
    assert words in found.message
    assert [p for p in paths(web) if p not in ("/doi/", "/crossref/")] == []


def test_name_resolving_to_private_address_is_blocked(web):
    from network_support import fake_resolver

    resolver = fake_resolver({"intranet.example": ["192.168.1.10"]})
    found = only(check(web, "http://intranet.example/wiki", resolver=resolver), "url-blocked")
    assert "192.168.1.10" in found.message and "private" in found.message


def test_unresolvable_host_is_dead_when_network_is_up(web):
    found = only(check(web, "http://no-such-host.invalid/page"), "url-dead")
    assert "does not resolve" in found.message


def test_dns_failure_is_unverified(web):
    import socket

    from network_support import fake_resolver

    failure = socket.gaierror(socket.EAI_AGAIN, "Temporary failure")
    resolver = fake_resolver({"flaky.example": failure})
    found = only(check(web, "http://flaky.example/", resolver=resolver), "url-unverified")
    assert "could not resolve" in found.message


def test_per_host_limit_is_never_exceeded(web):
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(request):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return Response("", status=200)

    for i in range(10):
        web.expect_request(f"/p{i}").respond_with_handler(slow)
    result = check(web, *(f"{base(web)}/p{i}" for i in range(10)), per_host=2)
    assert result.findings == []
    assert 1 <= state["max"] <= 2


def test_user_agent_names_citekit_and_contact(web):
    web.expect_request("/ua").respond_with_data("")
    check(web, f"{base(web)}/ua")
    agent = [r.headers.get("User-Agent") for r, _ in web.log if r.path == "/ua"][0]
    assert agent.startswith("citekit/") and "tests@example.org" in agent


def test_same_url_in_two_entries_is_fetched_once_and_reported_twice(web):
    web.expect_request("/gone").respond_with_data("", status=404)
    result = check(web, f"{base(web)}/gone", f"{base(web)}/gone")
    assert [f.location.key for f in result.findings] == ["e0", "e1"]
    assert [r.method for r, _ in web.log if r.path == "/gone"] == ["HEAD", "GET"]


def test_progress_is_reported(web):
    web.expect_request("/ok").respond_with_data("")
    seen = []
    entries = [entry("a", url=f"{base(web)}/ok"), entry("b", url=f"{base(web)}/ok?x=1")]
    run_network_checks_sync(bib(entries), make_config(web),
                            progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (2, 2)


def test_async_entry_point_takes_an_injected_client(web):
    import httpx

    web.expect_request("/ok").respond_with_data("")

    async def main():
        async with httpx.AsyncClient() as client:
            return await run_network_checks(bib([entry("a", url=f"{base(web)}/ok")]),
                                            make_config(web), client=client)

    assert asyncio.run(main()).findings == []


def test_per_host_limit_counts_each_host_separately(web):
    lock = threading.Lock()
    now: dict[str, int] = {}
    peak: dict[str, int] = {}

    def slow(request):
        host = request.headers["Host"].split(":")[0]
        with lock:
            now[host] = now.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), now[host])
        time.sleep(0.03)
        with lock:
            now[host] -= 1
        return Response("", status=200)

    for i in range(6):
        web.expect_request(f"/q{i}").respond_with_handler(slow)
    urls = [f"http://{host}:{web.port}/q{i}" for host in ("localhost", "127.0.0.1")
            for i in range(6)]
    result = check(web, *urls, per_host=1, allow_private=True)
    assert result.findings == []
    assert set(peak) == {"localhost", "127.0.0.1"}
    assert all(value == 1 for value in peak.values())


def test_connection_goes_to_the_address_the_guard_checked(web):
    import urllib.request

    from network_support import fake_resolver

    if urllib.request.getproxies():
        pytest.skip("a proxy is configured: requests go through it, not to pinned addresses")

    web.expect_request("/pinned").respond_with_data("")
    resolver = fake_resolver({"web.test": ["127.0.0.1"]})
    result = check(web, f"http://web.test:{web.port}/pinned", resolver=resolver,
                   allow_private=True)
    assert result.findings == []
    [host] = [r.headers["Host"] for r, _ in web.log if r.path == "/pinned"]
    assert host == f"web.test:{web.port}"
