"""An httpx transport that keeps one small connection pool per host.

httpx/httpcore keep a single pool for all hosts and scan every connection for every queued
request; with dozens of hosts and a per-host limit that scan dominates the run time, and idle
connections to one host get evicted to open connections to another. One pool per
``(scheme, host, port)``, sized to the per-host limit, keeps each scan tiny and lets every host
keep its connections alive. (Hand-written because neither library offers per-host pools.)
"""

from __future__ import annotations

import ssl
from collections import OrderedDict

import certifi
import httpx

__all__ = ["PerHostTransport"]


class PerHostTransport(httpx.AsyncBaseTransport):
    """Dispatch each request to its host's own ``httpx.AsyncHTTPTransport``."""

    def __init__(self, per_host: int, max_hosts: int = 256, **transport_options: object) -> None:
        self.per_host = per_host
        self.max_hosts = max_hosts
        self.options = dict(transport_options)
        if "verify" not in self.options:
            # One SSL context for all pools: loading the CA bundle costs ~15 ms each time.
            self.options["verify"] = ssl.create_default_context(cafile=certifi.where())
        self._pools: OrderedDict[tuple[bytes, bytes, int | None],
                                 httpx.AsyncHTTPTransport] = OrderedDict()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the pool of its host (created on first use)."""
        # Keyed by the Host header, not the URL: a request pinned to an IP address must not
        # share connections (and their TLS name) with another site on the same address.
        url = request.url
        key = (url.raw_scheme, request.headers.get("host", "").encode() or url.raw_host, url.port)
        pool = self._pools.get(key)
        if pool is None:
            limits = httpx.Limits(max_connections=self.per_host,
                                  max_keepalive_connections=self.per_host)
            pool = self._pools[key] = httpx.AsyncHTTPTransport(limits=limits,
                                                               **self.options)  # type: ignore[arg-type]
            if len(self._pools) > self.max_hosts:
                _, oldest = self._pools.popitem(last=False)
                await oldest.aclose()
        else:
            self._pools.move_to_end(key)
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        """Close every pool."""
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.aclose()
