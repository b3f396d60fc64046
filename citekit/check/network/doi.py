"""DOI checks: existence via the handle API, metadata via content negotiation, discovery via
Crossref. Each function returns plain, cacheable data; findings are made in ``checks``."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from ...model import Entry
from .fetch import Fetcher, FetchResult
from .match import RecordView, discovery_score

__all__ = ["check_doi", "discover_doi", "doi_path", "bibliographic_query", "CSL_JSON"]

CSL_JSON = "application/vnd.citationstyles.csl+json"


def doi_path(doi: str) -> str:
    """The DOI escaped for a URL path (the ``/`` between prefix and suffix kept)."""
    return urllib.parse.quote(doi, safe="/:@!$&'()*+,;=-._~")


def _json(result: FetchResult) -> Any:
    if result.truncated:
        return None
    try:
        return json.loads(result.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


async def check_doi(fetcher: Fetcher, doi: str) -> dict[str, Any]:
    """Ask the handle API whether ``doi`` exists, then fetch its CSL-JSON metadata.

    Returns ``{"state": "exists"|"missing"|"error", "reason", "status", "elapsed_ms",
    "csl": dict|None, "ambiguous": bool}``.
    """
    base = fetcher.config.doi_base
    handle = await fetcher.get(f"{base}/api/handles/{doi_path(doi)}", "application/json")
    out: dict[str, Any] = {"state": "error", "reason": handle.reason, "status": handle.status,
                           "elapsed_ms": handle.elapsed_ms, "csl": None,
                           "ambiguous": handle.ambiguous}
    data = _json(handle)
    code = data.get("responseCode") if isinstance(data, dict) else None
    if handle.status is not None and code == 100:
        out.update(state="missing", reason="the DOI handle API answers: not found")
        return out
    if handle.outcome != "ok" or code != 1:
        if handle.status is not None and not handle.reason:
            out["reason"] = f"handle API answered HTTP {handle.status}, responseCode {code}"
        return out
    out.update(state="exists", reason="")
    meta = await fetcher.get(f"{base}/{doi_path(doi)}", CSL_JSON)
    out["elapsed_ms"] += meta.elapsed_ms
    record = _json(meta) if meta.outcome == "ok" else None
    if isinstance(record, dict):
        out["csl"] = {k: record[k] for k in ("title", "subtitle", "author", "issued",
                                              "container-title", "volume", "issue", "page",
                                              "DOI", "type") if k in record}
    else:
        out["metadata_reason"] = meta.reason or "no CSL-JSON metadata"
    return out


def bibliographic_query(entry: Entry) -> str | None:
    """The free-text query sent to Crossref for an entry (None when it has no title)."""
    if not entry.title:
        return None
    bits = [entry.title]
    if entry.names:
        bits.append(entry.names[0].sort_name)
    if entry.year:
        bits.append(str(entry.year))
    if entry.container_title:
        bits.append(entry.container_title)
    return " ".join(b.strip() for b in bits if b and b.strip())


async def discover_doi(fetcher: Fetcher, query: str) -> dict[str, Any]:
    """Search Crossref with ``query``; returns ``{"state", "reason", "items": [csl-ish...]}``."""
    config = fetcher.config
    params = {"query.bibliographic": query, "rows": "5",
              "select": "DOI,title,subtitle,author,issued,container-title,volume,issue,page"}
    if config.mailto:
        params["mailto"] = config.mailto
    url = f"{config.crossref_base}/works?{urllib.parse.urlencode(params)}"
    result = await fetcher.get(url, "application/json")
    data = _json(result) if result.outcome == "ok" else None
    message = data.get("message") if isinstance(data, dict) else None
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        return {"state": "error", "reason": result.reason or "unexpected Crossref answer",
                "items": [], "ambiguous": result.ambiguous}
    return {"state": "ok", "reason": "", "items": [i for i in items if isinstance(i, dict)][:5],
            "ambiguous": False}


def best_candidate(entry: Entry, items: list[dict[str, Any]]
                   ) -> tuple[RecordView, float, float] | None:
    """The best-scoring Crossref item for ``entry``: (record, score, runner-up score)."""
    scored = []
    for item in items:
        record = RecordView.from_csl(item)
        if record.doi:
            scored.append((discovery_score(entry, record), record))
    if not scored:
        return None
    scored.sort(key=lambda pair: pair[0], reverse=True)
    runner = scored[1][0] if len(scored) > 1 else 0.0
    return scored[0][1], scored[0][0], runner
