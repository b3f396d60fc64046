"""The public entry point: run every network check over a Bibliography and return findings."""

from __future__ import annotations

import asyncio
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

from ...errors import CitekitError
from ...model import Bibliography, Entry
from ...normalise.url import implied_https
from ..findings import Finding, Fix, Location
from .cache import NullCache, ResultCache
from .codes import NETWORK_CODES, UNVERIFIED_CODES
from .config import NetworkConfig, load_config
from .doi import best_candidate, bibliographic_query, check_doi, discover_doi
from .fetch import Fetcher, FetchResult, hosts_of, make_client, normalise_url
from .match import RecordView, compare
from .reachability import Reachability, probe
from .safety import AddressGuard
from .transport import PerHostTransport

__all__ = ["NetworkResult", "run_network_checks", "run_network_checks_sync"]

Progress = Callable[[int, int], None]
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_FILLABLE = ("volume", "issue", "page")


@dataclass
class NetworkResult:
    """Findings of the network checks, run-level notices, and how many checks stayed unverified."""

    findings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    unverified: int = 0
    #: For each entry without a DOI (by ``id(entry)``), what the Crossref search gave:
    #: ``found`` (a ``doi-found`` finding), ``none`` (no confident match), ``not-asked``
    #: (no title to search by), ``off`` (discovery is off), or ``failed: <reason>``.
    discovery: dict[int, str] = field(default_factory=dict)


def _location(entry: Entry) -> Location:
    src = entry.source
    if src is None:
        return Location(key=entry.id or None)
    return Location(path=src.path, line=src.line, col=src.col, key=entry.id or None)


def _finding(code: str, entry: Entry, message: str, evidence: dict[str, Any],
             fix: Fix | None = None) -> Finding:
    return Finding(code=code, severity=NETWORK_CODES[code], message=message,
                   location=_location(entry), fix=fix, evidence=evidence)


def _is_doi_link(url: str, doi: str | None) -> bool:
    """True when ``url`` is just the doi.org link of ``doi`` (the DOI check covers it)."""
    if not doi:
        return False
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return False
    if parsed.host.lower() not in _DOI_HOSTS:
        return False
    return urllib.parse.unquote(parsed.path).lstrip("/").lower() == doi.lower()


class _Run:
    """One run: collects the work, consults the cache, fetches, decides, makes findings."""

    def __init__(self, bib: Bibliography, config: NetworkConfig, client: httpx.AsyncClient,
                 cache: NullCache, progress: Progress | None) -> None:
        self.bib, self.config, self.client, self.cache = bib, config, client, cache
        self.progress = progress
        guard = AddressGuard(config, hosts_of([config.doi_base, config.crossref_base]))
        # Crossref allows fewer parallel requests than we would send a web host: 3 in its
        # "polite" pool (with mailto), 1 otherwise. Its rate limit is read from its headers.
        [crossref_host] = hosts_of([config.crossref_base])
        self.fetcher = Fetcher(config, client, guard,
                               host_limits={crossref_host: 3 if config.mailto else 1})
        self.urls: dict[str, str] = {}
        self.dois: dict[str, str] = {}
        self.queries: dict[str, str] = {}
        self.url_keys: dict[int, str] = {}
        for entry in bib.entries:
            doi = (entry.doi or "").strip()
            if doi:
                self.dois.setdefault(doi.lower(), doi)
            elif config.discover:
                query = bibliographic_query(entry)
                if query:
                    self.queries.setdefault(query, query)
            url = (entry.url or "").strip()
            url = implied_https(url) or url  # MLA's "www.jstor.org/stable/1"
            if url and not _is_doi_link(url, doi):
                key = normalise_url(url)
                self.url_keys[id(entry)] = key
                self.urls.setdefault(key, url)
        self.url_results: dict[str, FetchResult] = {}
        self.doi_results: dict[str, dict[str, Any]] = {}
        self.query_results: dict[str, dict[str, Any]] = {}
        self.total = len(self.urls) + len(self.dois) + len(self.queries)
        self.done = 0
        self.notices: list[str] = []

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    async def run(self) -> None:
        """Fill the result tables from the cache and the network."""
        pending: list[tuple[str, str]] = []
        for kind, table in (("url", self.urls), ("doi", self.dois), ("crossref", self.queries)):
            for key in table:
                hit = self.cache.get(kind, key)
                if hit is None:
                    pending.append((kind, key))
                    continue
                if kind == "url":
                    self.url_results[key] = FetchResult.restore(hit)
                elif kind == "doi":
                    self.doi_results[key] = {**hit, "from_cache": True}
                else:
                    self.query_results[key] = {**hit, "from_cache": True}
                self._tick()
        if not pending:
            return
        reach = await probe(self.client, self.config)
        if not reach.up:
            self._offline(pending, reach)
            return
        await asyncio.gather(*(self._one(kind, key) for kind, key in pending))
        ambiguous = [k for k, r in self.url_results.items() if not r.from_cache and r.ambiguous]
        ambiguous += [k for k, r in self.doi_results.items()
                      if not r.get("from_cache") and r.get("ambiguous")]
        if ambiguous and not (await probe(self.client, self.config)).up:
            # The network went away during the run: nothing ambiguous may count as a verdict.
            again = Reachability(False, "network became unreachable during the run")
            self._offline([(kind, key) for kind, key in pending if key in ambiguous], again)
        self._store(pending)

    async def _one(self, kind: str, key: str) -> None:
        try:
            if kind == "url":
                self.url_results[key] = await self.fetcher.check_link(self.urls[key])
            elif kind == "doi":
                self.doi_results[key] = await check_doi(self.fetcher, self.dois[key])
            else:
                self.query_results[key] = await discover_doi(self.fetcher, key)
        except Exception as exc:  # noqa: BLE001 - a bad answer must not become a traceback
            reason = f"unexpected error: {type(exc).__name__}: {exc}"
            if kind == "url":
                self.url_results[key] = FetchResult(url=self.urls[key], outcome="error",
                                                    reason=reason)
            elif kind == "doi":
                self.doi_results[key] = {"state": "error", "reason": reason}
            else:
                self.query_results[key] = {"state": "error", "reason": reason, "items": []}
        self._tick()

    def _offline(self, pending: list[tuple[str, str]], reach: Reachability) -> None:
        full = f"network unreachable ({reach.reason})"
        # Each finding gets the short form; the run-level notice carries the details once.
        reason = "network unreachable (see the note at the top)"
        queries = 0
        for kind, key in pending:
            if kind == "url":
                old = self.url_results.get(key)
                self.url_results[key] = FetchResult(url=self.urls[key], outcome="offline",
                                                    reason=reason, method="",
                                                    elapsed_ms=old.elapsed_ms if old else 0)
            elif kind == "doi":
                self.doi_results[key] = {"state": "offline", "reason": reason}
            else:
                self.query_results[key] = {"state": "offline", "reason": reason, "items": []}
                queries += 1
        if self.done < self.total:
            for _ in range(self.total - self.done):
                self._tick()
        n_url = sum(1 for e in self.bib.entries
                    if getattr(self.url_results.get(self.url_keys.get(id(e), "")), "outcome",
                               None) == "offline")
        n_doi = sum(1 for e in self.bib.entries if e.doi and
                    self.doi_results.get(e.doi.strip().lower(), {}).get("state") == "offline")
        text = (f"{full}: {n_url} URL{'s' * (n_url != 1)} and "
                f"{n_doi} DOI{'s' * (n_doi != 1)} unverified")
        if queries:
            text += f"; DOI discovery skipped for {queries} entr{'ies' if queries != 1 else 'y'}"
        self.notices.append(text)

    def _store(self, pending: list[tuple[str, str]]) -> None:
        cfg = self.config
        if not isinstance(self.cache, ResultCache):
            return
        for kind, key in pending:
            if kind == "url":
                r = self.url_results.get(key)
                if r is None or r.from_cache:
                    continue
                ttl = {"ok": cfg.ttl_ok, "dead": cfg.ttl_fail, "nxdomain": cfg.ttl_fail}.get(
                    r.outcome, 0.0)
                self.cache.put("url", key, r.to_cache(), ttl)
            elif kind == "doi":
                d = self.doi_results.get(key, {})
                state = d.get("state")
                ttl = (cfg.ttl_ok if state == "exists" and d.get("csl") else
                       cfg.ttl_fail if state in ("exists", "missing") else 0.0)
                self.cache.put("doi", key, d, ttl)
            else:
                q = self.query_results.get(key, {})
                self.cache.put("crossref", key, q, cfg.ttl_ok if q.get("state") == "ok" else 0.0)

    # -- findings -------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Findings in document order: DOI, discovery, then URL for each entry."""
        out: list[Finding] = []
        for entry in self.bib.entries:
            doi = (entry.doi or "").strip()
            if doi and doi.lower() in self.doi_results:
                out.extend(self._doi_findings(entry, doi, self.doi_results[doi.lower()]))
            elif not doi and self.config.discover:
                query = bibliographic_query(entry)
                if query and query in self.query_results:
                    out.extend(self._discovery_findings(entry, self.query_results[query]))
            key = self.url_keys.get(id(entry), "")
            if key in self.url_results:
                out.extend(self._url_findings(entry, self.url_results[key]))
        return out

    def discovery(self) -> dict[int, str]:
        """What the DOI search gave each entry without a DOI (see ``NetworkResult.discovery``)."""
        out: dict[int, str] = {}
        for entry in self.bib.entries:
            if (entry.doi or "").strip():
                continue
            if not self.config.discover:
                out[id(entry)] = "off"
                continue
            query = bibliographic_query(entry)
            data = self.query_results.get(query) if query else None
            if data is None:
                out[id(entry)] = "not-asked"
            elif data.get("state") != "ok":
                reason = str(data.get("reason") or data.get("state"))
                out[id(entry)] = f"failed: {reason.replace(' (see the note at the top)', '')}"
            else:
                out[id(entry)] = "found" if self._discovery_findings(entry, data) else "none"
        return out

    def _doi_evidence(self, doi: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"doi": doi, "url": f"{self.config.doi_base}/{doi}", "status": data.get("status"),
                "final_url": None, "redirects": [], "elapsed_ms": data.get("elapsed_ms", 0),
                "from_cache": bool(data.get("from_cache")), "reason": data.get("reason") or None}

    def _doi_findings(self, entry: Entry, doi: str, data: dict[str, Any]) -> list[Finding]:
        ev = self._doi_evidence(doi, data)
        state = data.get("state")
        if state == "missing":
            return [_finding("doi-not-found", entry,
                             f"DOI {doi} is not registered (the DOI handle API does not know it)",
                             ev)]
        if state != "exists":
            why = data.get("reason") or "no answer"
            return [_finding("doi-unverified", entry, f"DOI {doi} could not be verified: {why}",
                             ev)]
        csl = data.get("csl")
        if not isinstance(csl, dict):
            return []
        record = RecordView.from_csl(csl)
        comp = compare(entry, record)
        ev = {**ev, "registry": {"title": record.title, "author": record.families[:3],
                                 "year": record.year, "container-title": record.container},
              **comp.to_dict()}
        title = comp.scores.get("title")
        compared = any(comp.scores.get(k) is not None for k in ("title", "author", "year"))
        threshold = self.config.mismatch_threshold
        if compared and ((title is not None and title < threshold) or comp.overall < threshold):
            return [_finding("doi-mismatch", entry,
                             f"DOI {doi} is registered for {record.summary()}, which does not "
                             f"match this entry (score {comp.overall:.0f}/100)", ev)]
        out = []
        for name in _FILLABLE:
            have = entry.get(name)
            value = getattr(record, name)
            if value and not have:
                out.append(_finding(
                    "doi-metadata", entry, f"the DOI registry gives {name} {value!r}; the entry "
                    f"has none", ev,
                    Fix(description=f"set {name} to {value!r} from the DOI registry", field=name,
                        before=None, after=value, automatic=True)))
        return out

    def _discovery_findings(self, entry: Entry, data: dict[str, Any]) -> list[Finding]:
        if data.get("state") != "ok":
            return []
        best = best_candidate(entry, data.get("items") or [])
        if best is None:
            return []
        record, score, runner = best
        if score < self.config.discovery_threshold or not record.doi:
            return []
        clear = score - runner >= 5.0
        ev: dict[str, Any] = {
            "url": None, "status": 200, "final_url": None, "redirects": [], "elapsed_ms": 0,
            "from_cache": bool(data.get("from_cache")), "doi": record.doi,
            "score": round(score, 1), "runner_up_score": round(runner, 1),
            "registry": {"title": record.title, "author": record.families[:3],
                         "year": record.year, "container-title": record.container}}
        return [_finding("doi-found", entry,
                         f"Crossref has DOI {record.doi} for {record.summary()} "
                         f"(score {score:.0f}/100)", ev,
                         Fix(description=f"add DOI {record.doi}", field="DOI", before=None,
                             after=record.doi, automatic=clear))]

    def _url_findings(self, entry: Entry, r: FetchResult) -> list[Finding]:
        ev = r.evidence()
        if r.outcome == "ok":
            if r.permanent_url and normalise_url(r.permanent_url) != normalise_url(r.url):
                return [_finding("url-redirected", entry,
                                 f"URL permanently redirects to {r.permanent_url}", ev,
                                 Fix(description=f"replace the URL with {r.permanent_url}",
                                     field="URL", before=entry.url, after=r.permanent_url,
                                     automatic=r.permanent_url == r.final_url))]
            return []
        if r.outcome in ("dead", "nxdomain"):
            return [_finding("url-dead", entry, f"URL is dead: {r.reason}", ev)]
        if r.outcome == "blocked":
            return [_finding("url-blocked", entry, f"URL not requested: {r.reason}", ev)]
        return [_finding("url-unverified", entry,
                         f"URL could not be verified: {r.reason or 'no answer'}", ev)]


async def run_network_checks(bib: Bibliography, config: NetworkConfig | None = None, *,
                             client: httpx.AsyncClient | None = None,
                             progress: Progress | None = None) -> NetworkResult:
    """Check every DOI and URL of ``bib`` (and look for missing DOIs) over the network."""
    config = config or load_config()
    cache: NullCache = ResultCache(config.cache_path) if config.use_cache else NullCache()
    own_client = client is None
    # With citekit's own client, requests go straight to its per-host transport.
    transport = None if client else PerHostTransport(config.per_host,
                                                     max_hosts=max(256, config.max_concurrency))
    http = client or make_client(config, transport)
    try:
        run = _Run(bib, config, http, cache, progress)
        if not urllib.request.getproxies():
            # Straight to the transport (and pinned to checked addresses) unless the
            # environment asks for a proxy, which only the client knows how to use.
            run.fetcher.transport = transport
        if cache.problem:
            run.notices.append(cache.problem)
        await run.run()
        findings = run.findings()
        discovery = run.discovery()
    finally:
        cache.close()
        if own_client:
            await http.aclose()
    unverified = sum(1 for f in findings if f.code in UNVERIFIED_CODES)
    return NetworkResult(findings=findings, notices=run.notices, unverified=unverified,
                         discovery=discovery)


def run_network_checks_sync(bib: Bibliography, config: NetworkConfig | None = None, *,
                            progress: Progress | None = None) -> NetworkResult:
    """Blocking form of :func:`run_network_checks` for the CLI and scripts."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_network_checks(bib, config, progress=progress))
    raise CitekitError("run_network_checks_sync called inside an event loop; "
                       "await run_network_checks instead")
