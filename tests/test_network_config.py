"""Configuration layering (file, environment, arguments) and the SSRF address rules."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket

import httpx
import pytest

from citekit.check.network import NETWORK_CODES, NetworkConfig, load_config, run_network_checks
from citekit.check.network.fetch import _retry_after
from citekit.check.network.safety import address_problem
from citekit.errors import ConfigError
from network_support import bib, entry, fake_resolver


def test_defaults_point_at_the_public_services(tmp_path):
    config = load_config(env={}, start=tmp_path)
    assert config.doi_base == "https://doi.org"
    assert config.crossref_base == "https://api.crossref.org"
    assert config.agent.startswith("citekit/")


def test_pyproject_section_then_env_then_arguments(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.citekit]\nmailto = "file@example.org"\n'
        '[tool.citekit.network]\ndoi_base = "https://doi.mirror.example/"\nper_host = 2\n'
        'crossref_base = "https://crossref.mirror.example"\n')
    sub = tmp_path / "docs"
    sub.mkdir()
    config = load_config(env={}, start=sub)
    assert (config.doi_base, config.per_host, config.mailto) == (
        "https://doi.mirror.example", 2, "file@example.org")
    env = {"CITEKIT_DOI_BASE": "https://env.example", "CITEKIT_MAILTO": "env@example.org",
           "CITEKIT_NO_CACHE": "1", "CITEKIT_PER_HOST": "3"}
    config = load_config(env=env, start=sub)
    assert (config.doi_base, config.mailto, config.use_cache, config.per_host) == (
        "https://env.example", "env@example.org", False, 3)
    assert config.crossref_base == "https://crossref.mirror.example"
    config = load_config({"doi_base": "https://arg.example", "mailto": None}, env=env, start=sub)
    assert config.doi_base == "https://arg.example" and config.mailto == "env@example.org"
    assert "env@example.org" in config.agent


def test_citekit_toml_network_table(tmp_path):
    (tmp_path / "citekit.toml").write_text('[network]\ncache_path = "c.db"\nallow_private = true\n')
    config = load_config(env={}, start=tmp_path)
    assert config.cache_path == str(tmp_path / "c.db") and config.allow_private is True


def test_no_cache_and_cache_path_arguments(tmp_path):
    config = load_config({"no_cache": True, "cache_path": str(tmp_path / "x.db")}, env={},
                         start=tmp_path)
    assert config.use_cache is False and config.cache_path.endswith("x.db")


@pytest.mark.parametrize("text, words", [
    ('[network]\nper_host = "many"\n', "per_host"),
    ('[network]\nspeed = 3\n', "unknown network setting"),
    ('[network]\ndoi_base = "ftp://doi.org"\n', "http(s)"),
    ('[network\n', "cannot read"),
])
def test_bad_configuration_is_a_clear_error(tmp_path, text, words):
    (tmp_path / "citekit.toml").write_text(text)
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_config(env={}, start=tmp_path)


def test_bad_environment_value_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="CITEKIT_PER_HOST"):
        load_config(env={"CITEKIT_PER_HOST": "lots"}, start=tmp_path)


def test_limits_must_be_positive():
    with pytest.raises(ConfigError):
        NetworkConfig(per_host=0)


@pytest.mark.parametrize("address, allowed_when_private_allowed", [
    ("127.0.0.1", True), ("10.0.0.1", True), ("172.16.5.4", True), ("192.168.0.1", True),
    ("169.254.10.10", True), ("100.64.1.1", True), ("::1", True), ("fe80::1", True),
    ("fc00::1", True), ("::ffff:10.0.0.1", True), ("224.0.0.5", True),
    ("169.254.169.254", False), ("fd00:ec2::254", False), ("::ffff:169.254.169.254", False),
])
def test_non_public_addresses_are_refused(address, allowed_when_private_allowed):
    ip = ipaddress.ip_address(address)
    assert address_problem(ip, allow_private=False)
    assert (address_problem(ip, allow_private=True) == "") is allowed_when_private_allowed


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address):
    assert address_problem(ipaddress.ip_address(address), allow_private=False) == ""


def test_retry_after_forms():
    assert _retry_after("7") == 7.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert _retry_after("soon") is None


def test_codes_have_severities():
    assert set(NETWORK_CODES) >= {"doi-not-found", "doi-mismatch", "doi-metadata", "doi-found",
                                  "url-dead", "url-redirected", "url-blocked", "url-unverified",
                                  "doi-unverified"}


def test_network_lost_during_the_run_turns_verdicts_into_unverified():
    calls = {"probe": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/" and request.method == "HEAD":
            calls["probe"] += 1
            if calls["probe"] <= 2:  # the first probe (two bases) succeeds
                return httpx.Response(200)
        raise httpx.ConnectError("Network is unreachable", request=request)

    config = NetworkConfig(doi_base="http://doi.test", crossref_base="http://crossref.test",
                           use_cache=False, backoff=0.01, allowed_hosts=("doi.test",),
                           resolver=fake_resolver({"gone.test": socket.gaierror(
                               socket.EAI_NONAME, "Name or service not known")}))

    async def main():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await run_network_checks(bib([entry("a", url="http://gone.test/")]), config,
                                            client=client)

    result = asyncio.run(main())
    assert [f.code for f in result.findings] == ["url-unverified"]
    assert "became unreachable" in result.notices[0]
    json.dumps([f.to_dict() for f in result.findings])


def test_progress_bar_is_quiet_off_a_terminal():
    import io

    from citekit.check.network.progress import terminal_progress

    with terminal_progress(io.StringIO()) as progress:
        assert progress is None
    out = io.StringIO()
    with terminal_progress(out, enabled=True) as progress:
        progress(1, 2)
        progress(2, 2)
    assert progress is not None
