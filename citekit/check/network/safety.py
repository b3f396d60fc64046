"""The SSRF guard: decide whether a URL found in a document may be requested at all.

Only http(s) is allowed, and the host's addresses must all be public: loopback, private,
link-local, CGNAT, multicast, reserved, IPv4-mapped/translated and cloud metadata addresses are
refused unless the caller allows private targets. Metadata addresses are refused always.
The check runs before the first request and again before every redirect hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Iterable

import httpx

from .config import NetworkConfig, Resolver

__all__ = ["Verdict", "AddressGuard", "system_resolver", "address_problem", "METADATA_ADDRESSES"]

#: Cloud metadata endpoints (AWS/GCP/Azure/OpenStack IPv4, AWS IPv6, Alibaba).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True)
class Verdict:
    """The guard's answer for one URL: allowed, blocked (with reason) or unresolvable."""

    allowed: bool
    reason: str = ""
    #: The name does not exist (NXDOMAIN); only a verdict when the network is known to be up.
    nxdomain: bool = False
    #: Resolution failed for a reason that says nothing about the name (DNS down, timeout).
    dns_error: bool = False
    #: The checked address to connect to (IPv4 preferred), so a second lookup by the HTTP
    #: client cannot be answered differently (DNS rebinding). None for literal or trusted hosts.
    address: str | None = None


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver (off the event loop)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str:
    """Why this address must not be contacted ('' when it may be)."""
    if ip in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_problem(embedded, allow_private)
            if inner or not allow_private:
                return inner or f"{ip} embeds an IPv4 address ({embedded})"
    if allow_private:
        return ""
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.version == 4 and ip in _CGNAT, "carrier-grade NAT"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (ip.is_unspecified, "unspecified"),
        (not ip.is_global, "non-public"),
    )
    for hit, name in checks:
        if hit:
            return f"{ip} is a {name} address"
    return ""


class AddressGuard:
    """Checks URLs against the SSRF policy; caches each host's resolution for the run."""

    def __init__(self, config: NetworkConfig, trusted_hosts: Iterable[str] = ()) -> None:
        self.config = config
        self.resolver: Resolver = config.resolver or system_resolver
        #: host:port of the configured services (doi_base, crossref_base) - the user chose them.
        self.trusted = {h.lower() for h in trusted_hosts}
        self._resolved: dict[tuple[str, int], asyncio.Future[list[str]]] = {}
        self._verdicts: dict[tuple[str, str, int], Verdict] = {}
        #: True once any name resolved: evidence that DNS works.
        self.dns_ok = False

    async def check(self, url: httpx.URL) -> Verdict:
        """Allow or refuse ``url`` (resolving its host); one answer per host and port per run."""
        key = (url.scheme, url.host, url.port or 0)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = await self._check(url)
        return verdict

    async def _check(self, url: httpx.URL) -> Verdict:
        if url.scheme not in ("http", "https"):
            return Verdict(False, f"scheme {url.scheme or '(none)'!r} is not http(s)")
        host = url.host.lower()
        if not host:
            return Verdict(False, "URL has no host")
        port = url.port or (443 if url.scheme == "https" else 80)
        if f"{host}:{port}" in self.trusted or host in self.config.allowed_hosts:
            return Verdict(True)
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            problem = address_problem(literal, self.config.allow_private)
            return Verdict(not problem, problem and f"refused: {problem}")
        try:
            addresses = await self._resolve(host, port)
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return Verdict(False, f"host {host!r} does not resolve", nxdomain=True)
            return Verdict(False, f"could not resolve {host!r}: {exc.strerror or exc}",
                           dns_error=True)
        except OSError as exc:
            return Verdict(False, f"could not resolve {host!r}: {exc}", dns_error=True)
        self.dns_ok = True
        for text in addresses:
            try:
                ip = ipaddress.ip_address(text.split("%", 1)[0])
            except ValueError:
                return Verdict(False, f"refused: {host} resolved to unparseable {text!r}")
            problem = address_problem(ip, self.config.allow_private)
            if problem:
                return Verdict(False, f"refused: {host} resolves to {problem.split(' is ', 1)[0]}"
                                      f" ({problem.split(' is ', 1)[1]})")
        if not addresses:
            return Verdict(False, f"host {host!r} does not resolve", nxdomain=True)
        plain = [a.split("%", 1)[0] for a in addresses]
        chosen = next((a for a in plain if ":" not in a), plain[0])
        return Verdict(True, address=chosen)

    async def _resolve(self, host: str, port: int) -> list[str]:
        key = (host, port)
        fut = self._resolved.get(key)
        if fut is None:
            fut = asyncio.ensure_future(self.resolver(host, port))
            self._resolved[key] = fut
        return list(await asyncio.shield(fut))
