"""Shared helpers for the network tests: a threaded local HTTP server, configs, entries.

Nothing here touches the internet: web hosts, doi.org and Crossref are all played by a
pytest-httpserver instance on localhost, and name resolution is faked.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any, Iterable

from pytest_httpserver import HTTPServer

from citekit.check.network import NetworkConfig
from citekit.model import Bibliography, Date, Entry, Name, SourceSpan


def start_server() -> HTTPServer:
    """A threaded server on 127.0.0.1 (threads let slow handlers overlap)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


def base(server: HTTPServer) -> str:
    """The server's origin under the name ``localhost`` (the one name tests allow)."""
    return f"http://localhost:{server.port}"


def fake_resolver(table: dict[str, Any] | None = None):
    """An async resolver: names in ``table`` map to addresses or an exception; others NXDOMAIN."""
    table = dict(table or {})

    async def resolve(host: str, port: int) -> list[str]:
        answer = table.get(host)
        if isinstance(answer, BaseException):
            raise answer
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(answer)

    return resolve


def make_config(server: HTTPServer | None, tmp_path: Path | None = None,
                **changes: Any) -> NetworkConfig:
    """A config pointing doi.org and Crossref at ``server``, with tiny waits and timeouts."""
    origin = base(server) if server is not None else "http://localhost:9"
    settings: dict[str, Any] = dict(
        doi_base=f"{origin}/doi",
        crossref_base=f"{origin}/crossref",
        mailto="tests@example.org",
        connect_timeout=1.0,
        read_timeout=1.0,
        deadline=2.0,
        backoff=0.01,
        retry_after_cap=2.0,
        retries=2,
        allowed_hosts=("localhost",),
        use_cache=tmp_path is not None,
        cache_path=str(tmp_path / "cache.sqlite3") if tmp_path is not None else None,
        resolver=fake_resolver(),
    )
    settings.update(changes)
    return NetworkConfig(**settings)


def probe_ok(server: HTTPServer) -> None:
    """Answer the reachability probe (HEAD of the DOI and Crossref bases)."""
    server.expect_request("/doi/", method="HEAD").respond_with_data("")
    server.expect_request("/crossref/", method="HEAD").respond_with_data("")


def entry(key: str, *, url: str | None = None, doi: str | None = None, title: str | None = None,
          family: str | None = None, year: int | None = None, container: str | None = None,
          line: int = 1, **extra: Any) -> Entry:
    """An entry with provenance, as a reader would produce it."""
    e = Entry(id=key, type="article-journal", title=title, url=url, doi=doi,
              container_title=container,
              author=[Name(family=family, given="A.")] if family else [],
              issued=Date(year=year) if year else None,
              source=SourceSpan(path="refs.txt", line=line, end_line=line, raw=key, col=1))
    for k, v in extra.items():
        setattr(e, k, v)
    return e


def bib(entries: Iterable[Entry]) -> Bibliography:
    """A bibliography of ``entries``."""
    return Bibliography(entries=list(entries), path="refs.txt")


def paths(server: HTTPServer) -> list[str]:
    """Paths the server was asked for, in order."""
    return [req.path for req, _ in server.log]
