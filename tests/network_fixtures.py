"""pytest fixtures for the network tests (loaded with ``pytest_plugins``): a local server."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from network_support import probe_ok, start_server


@pytest.fixture(scope="module")
def server():
    """One threaded local server per test module; cleared before each test by ``web``."""
    srv = start_server()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def web(server: HTTPServer) -> HTTPServer:
    """The module's server, cleared, answering the reachability probe."""
    server.clear()
    probe_ok(server)
    return server
