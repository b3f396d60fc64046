"""The fetcher: polite, bounded HTTP requests with redirects followed by hand.

Redirects are followed here rather than by httpx so that every hop passes the SSRF guard, is
recorded, and counts against the redirect limit and loop detection. Each URL gets a total
deadline over all its requests (httpx's read timeout restarts on every byte, so a server dripping
bytes would otherwise never time out). Bodies are streamed and never read past ``max_body``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import email.utils
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any, AsyncIterator, Awaitable, Iterable, TypeVar

import httpx

from .config import NetworkConfig
from .safety import AddressGuard
from .transport import PerHostTransport

__all__ = ["FetchResult", "Fetcher", "make_client", "normalise_url", "REDIRECT_STATUSES"]

_T = TypeVar("_T")
#: Headers httpx's client would add, for requests sent straight to the transport.
_DIRECT_HEADERS = {"Accept-Encoding": "gzip, deflate", "Connection": "keep-alive"}

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
#: Statuses after which a HEAD is repeated as GET: servers that refuse HEAD, and 404/410, so
#: that a link is only called dead on a GET's word (some servers answer HEAD wrongly).
HEAD_REFUSED = frozenset({400, 403, 404, 405, 410, 501})
#: Statuses worth retrying after a pause.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def normalise_url(url: str) -> str:
    """A cache/dedup key: lower-case scheme and host, default port and fragment dropped."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        return url.strip()
    return str(parsed).split("#", 1)[0]


@dataclass
class FetchResult:
    """What one URL did: outcome, status, redirect chain, timings and (for API calls) the body.

    ``outcome`` is one of: ``ok`` (2xx), ``dead`` (404/410, redirect loop or too many redirects),
    ``nxdomain`` (the host name does not exist), ``blocked`` (refused by the SSRF guard),
    ``http-error`` (another status after retries) and ``error`` (no answer: connection failure,
    timeout, deadline, DNS failure).
    """

    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    chain: list[dict[str, Any]] = field(default_factory=list)
    elapsed_ms: int = 0
    method: str = "HEAD"
    attempts: int = 0
    reason: str = ""
    #: Where the leading run of permanent redirects (301/308) ends, if any.
    permanent_url: str | None = None
    #: Body bytes (API calls only), at most ``max_body``; not cached.
    body: bytes = b""
    truncated: bool = False
    from_cache: bool = False

    @property
    def ambiguous(self) -> bool:
        """True when the outcome may only mean the machine is offline."""
        return self.outcome in ("error", "nxdomain")

    def evidence(self) -> dict[str, Any]:
        """The evidence dict carried by findings (JSON-safe)."""
        return {
            "url": self.url,
            "status": self.status,
            "final_url": self.final_url,
            "redirects": list(self.chain),
            "elapsed_ms": self.elapsed_ms,
            "from_cache": self.from_cache,
            "method": self.method,
            "attempts": self.attempts,
            "reason": self.reason or None,
        }

    def to_cache(self) -> dict[str, Any]:
        """The JSON-safe form stored in the cache (no body)."""
        data = asdict(self)
        data.pop("body")
        data.pop("from_cache")
        return data

    @classmethod
    def restore(cls, data: dict[str, Any]) -> "FetchResult":
        """Rebuild a cached result."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        result = cls(**known)
        result.from_cache = True
        return result


def make_client(config: NetworkConfig,
                transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """An httpx client sized and timed for ``config`` (redirects are followed by the Fetcher),
    over ``transport`` or a new :class:`PerHostTransport`."""
    timeout = httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                            write=config.read_timeout, pool=None)
    # Evicting a pool mid-request would close its connections, so keep room for every host
    # that can be in flight at once.
    transport = transport or PerHostTransport(config.per_host,
                                              max_hosts=max(256, config.max_concurrency))
    return httpx.AsyncClient(timeout=timeout, transport=transport, follow_redirects=False,
                             headers={"User-Agent": config.agent})


class _Exchange:
    """One request/response, body capped."""

    __slots__ = ("status", "headers", "body", "truncated")

    def __init__(self, status: int, headers: httpx.Headers, body: bytes, truncated: bool) -> None:
        self.status, self.headers, self.body, self.truncated = status, headers, body, truncated


class _Budget:
    """The per-URL deadline: network time and backoff waits spent so far."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.used = 0.0

    @property
    def left(self) -> float:
        return self.total - self.used


class Fetcher:
    """Checks URLs and fetches API responses with global and per-host limits, retries and guard."""

    def __init__(self, config: NetworkConfig, client: httpx.AsyncClient,
                 guard: AddressGuard, host_limits: dict[str, int] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        #: When citekit made the client itself, requests go straight to its transport: the
        #: client layer (cookies, auth, header merging, redirect bookkeeping) is not needed here
        #: and costs about a fifth of the CPU time per request.
        self.transport = transport
        self._timeout = httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                                      write=config.read_timeout, pool=None).as_dict()
        #: Per-host limits lower than ``config.per_host`` for particular ``host:port``s.
        self.host_limits = dict(host_limits or {})
        self.client = client
        self.guard = guard
        self._global = asyncio.Semaphore(config.max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._rates: dict[str, tuple[int, float]] = {}
        self._starts: dict[str, collections.deque[float]] = {}
        #: True once any server answered with an HTTP status: evidence the network is up.
        self.got_response = False

    # -- limits ---------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        sem = self._hosts.get(host)
        if sem is None:
            limit = min(self.config.per_host, self.host_limits.get(host, self.config.per_host))
            sem = self._hosts[host] = asyncio.Semaphore(max(1, limit))
        async with sem:
            await self._respect_rate(host)
            async with self._global:
                yield

    async def _respect_rate(self, host: str) -> None:
        """Wait while ``host`` announced (X-Rate-Limit-*) that its window is full."""
        rate = self._rates.get(host)
        starts = self._starts.setdefault(host, collections.deque())
        if rate is not None:
            limit, interval = rate
            while True:
                now = time.monotonic()
                while starts and starts[0] <= now - interval:
                    starts.popleft()
                if len(starts) < limit:
                    break
                await asyncio.sleep(starts[0] + interval - now)
        starts.append(time.monotonic())
        if rate is None and len(starts) > 64:
            starts.popleft()

    def _learn_rate(self, host: str, headers: httpx.Headers) -> None:
        limit, interval = headers.get("x-rate-limit-limit"), headers.get("x-rate-limit-interval")
        if not limit or not interval:
            return
        try:
            count = int(limit)
            seconds = float(interval.strip().rstrip("s"))
        except ValueError:
            return
        if count > 0 and seconds > 0:
            self._rates[host] = (count, seconds)

    # -- public ---------------------------------------------------------------------------

    async def check_link(self, url: str) -> FetchResult:
        """Check that ``url`` answers (HEAD, GET when HEAD is refused), following redirects."""
        return await self._run(url, "HEAD", {"Accept": "*/*"}, want_body=False)

    async def get(self, url: str, accept: str) -> FetchResult:
        """GET ``url`` with ``Accept: accept``; the (capped) body is in ``result.body``."""
        return await self._run(url, "GET", {"Accept": accept}, want_body=True)

    # -- machinery ------------------------------------------------------------------------

    async def _run(self, url_text: str, method: str, headers: dict[str, str],
                   want_body: bool) -> FetchResult:
        result = FetchResult(url=url_text, outcome="error", method=method)
        budget = _Budget(self.config.deadline)
        started = time.monotonic()
        try:
            await self._follow(result, url_text, method, headers, want_body, budget)
        finally:
            result.elapsed_ms = int((time.monotonic() - started) * 1000)
        return result

    async def _follow(self, result: FetchResult, url_text: str, method: str,
                      headers: dict[str, str], want_body: bool, budget: _Budget) -> None:
        try:
            url = httpx.URL(url_text)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            result.outcome, result.reason = "blocked", f"not a valid URL: {exc}"
            return
        seen = {str(url).split("#", 1)[0]}
        permanent_open = True
        for _ in range(self.config.max_redirects + 1):
            verdict = await self.guard.check(url)
            if not verdict.allowed:
                result.final_url = str(url)
                result.reason = verdict.reason
                result.outcome = ("nxdomain" if verdict.nxdomain
                                  else "error" if verdict.dns_error else "blocked")
                return
            exchange = await self._attempts(result, url, method, headers, want_body, budget,
                                            verdict.address)
            result.final_url = str(url)
            if exchange is None:
                return
            status = exchange.status
            result.status = status
            location = exchange.headers.get("location")
            if status in REDIRECT_STATUSES and location:
                result.chain.append({"url": str(url), "status": status})
                try:
                    nxt = url.join(location.strip())
                except (httpx.InvalidURL, ValueError) as exc:
                    result.outcome, result.reason = "dead", f"invalid redirect target: {exc}"
                    return
                if permanent_open and status in PERMANENT_REDIRECTS:
                    result.permanent_url = str(nxt)
                else:
                    permanent_open = False
                key = str(nxt).split("#", 1)[0]
                if key in seen:
                    result.final_url = str(nxt)
                    result.outcome, result.reason = "dead", "redirect loop"
                    return
                seen.add(key)
                if status == 303 and method != "HEAD":
                    method = "GET"
                url = nxt
                continue
            result.body, result.truncated = exchange.body, exchange.truncated
            if 200 <= status < 300:
                result.outcome = "ok"
            elif status in (404, 410):
                result.outcome, result.reason = "dead", f"HTTP {status}"
            else:
                result.outcome = "http-error"
                result.reason = result.reason or f"HTTP {status}"
            return
        result.outcome = "dead"
        result.reason = f"more than {self.config.max_redirects} redirects"

    async def _attempts(self, result: FetchResult, url: httpx.URL, method: str,
                        headers: dict[str, str], want_body: bool, budget: _Budget,
                        address: str | None = None) -> _Exchange | None:
        """Send one hop, with HEAD->GET fallback and retries; None when no answer came."""
        host = f"{url.host.lower()}:{url.port or (443 if url.scheme == 'https' else 80)}"
        retry = 0
        send_headers = {"User-Agent": self.config.agent, **headers}
        while True:
            if budget.left <= 0:
                result.reason = f"deadline of {self.config.deadline:g} s exceeded"
                return None
            result.attempts += 1
            result.method = method
            error = ""
            exchange: _Exchange | None = None
            async with self._slot(host):
                t0 = time.monotonic()
                try:
                    exchange = await _within(
                        self._exchange(method, url, send_headers, want_body, address),
                        budget.left)
                except asyncio.TimeoutError:
                    budget.used = budget.total
                    result.reason = f"deadline of {self.config.deadline:g} s exceeded"
                    return None
                except httpx.TimeoutException as exc:
                    error = f"timed out ({type(exc).__name__})"
                except httpx.ConnectError as exc:
                    error = f"connection failed: {exc or type(exc).__name__}"
                except (httpx.HTTPError, OSError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                finally:
                    budget.used += time.monotonic() - t0
            if exchange is not None:
                self.got_response = True
                self._learn_rate(host, exchange.headers)
                if method == "HEAD" and exchange.status in HEAD_REFUSED:
                    method = "GET"
                    continue
                if exchange.status not in RETRY_STATUSES:
                    return exchange
            if retry >= self.config.retries:
                if exchange is None:
                    result.reason = error + (f" after {retry + 1} attempts" if retry else "")
                    return None
                if retry:
                    result.reason = f"HTTP {exchange.status} after {retry + 1} attempts"
                return exchange
            delay = self.config.backoff * (2 ** retry)
            if exchange is not None:
                wanted = _retry_after(exchange.headers.get("retry-after"))
                if wanted is not None:
                    if wanted > self.config.retry_after_cap:
                        cap = self.config.retry_after_cap
                        result.reason = (f"HTTP {exchange.status}, Retry-After {wanted:g} s "
                                         f"is over the {cap:g} s cap")
                        return exchange
                    delay = wanted
            if delay >= budget.left:
                if exchange is None:
                    result.reason = error
                    return None
                result.reason = f"HTTP {exchange.status}; no time left to retry"
                return exchange
            budget.used += delay
            await asyncio.sleep(delay)
            retry += 1

    async def _exchange(self, method: str, url: httpx.URL, headers: dict[str, str],
                        decode: bool, address: str | None = None) -> _Exchange:
        if self.transport is not None:
            extensions: dict[str, Any] = {"timeout": self._timeout}
            if address is not None:
                # Connect to the address the guard approved; keep the name for the Host header
                # and for TLS (SNI and certificate check).
                headers = {"Host": url.netloc.decode("ascii"), **headers}
                if url.scheme == "https":
                    extensions["sni_hostname"] = url.host
                url = url.copy_with(host=address)
            request = httpx.Request(method, url, headers={**_DIRECT_HEADERS, **headers},
                                    extensions=extensions)
            response = await self.transport.handle_async_request(request)
            try:
                return await self._read(response, method, decode)
            finally:
                await response.aclose()
        async with self.client.stream(method, url, headers=headers,
                                      follow_redirects=False) as response:
            return await self._read(response, method, decode)

    async def _read(self, response: httpx.Response, method: str, decode: bool) -> _Exchange:
        """Read the body up to the cap; return status, headers and body."""
        cap = self.config.max_body
        chunks: list[bytes] = []
        size = 0
        truncated = False
        # Link checks read raw bytes (no decompression: a small gzip bomb stays small); API
        # answers (JSON) are decoded. Reading stops at the cap; a body read to its end (always,
        # for HEAD) lets the connection go back to the pool for reuse.
        stream = response.aiter_bytes() if decode else response.aiter_raw()
        async for chunk in stream:
            chunks.append(chunk)
            size += len(chunk)
            if size >= cap:
                truncated = True
                break
        body = b"".join(chunks)[:cap]
        return _Exchange(response.status_code, response.headers, body, truncated)


async def _within(coro: Awaitable[_T], seconds: float) -> _T:
    """Await ``coro`` for at most ``seconds`` (asyncio.timeout where available: no extra task)."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):
            return await coro
    return await asyncio.wait_for(coro, timeout=seconds)  # pragma: no cover - Python 3.10


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def hosts_of(urls: Iterable[str]) -> set[str]:
    """``host:port`` of each URL (for trusting configured services)."""
    out = set()
    for text in urls:
        url = httpx.URL(text)
        out.add(f"{url.host.lower()}:{url.port or (443 if url.scheme == 'https' else 80)}")
    return out
