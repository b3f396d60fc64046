"""Deciding honestly whether the network is up.

A link is only called dead for a reason that could also mean "this machine is offline" (a name
that does not resolve, a refused connection) when the network is known to be up. The evidence is
an HTTP answer from one of the configured services (doi.org, Crossref) or from any checked host
during the run. Without it, every such result is reported as unverified.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from .config import NetworkConfig

__all__ = ["Reachability", "probe"]


@dataclass
class Reachability:
    """Whether the network is up, and why we think so."""

    up: bool
    reason: str


async def probe(client: httpx.AsyncClient, config: NetworkConfig) -> Reachability:
    """HEAD the configured services (concurrently); any HTTP answer at all means "up"."""

    async def one(base: str) -> Reachability:
        try:
            response = await asyncio.wait_for(
                client.request("HEAD", f"{base}/", headers={"User-Agent": config.agent},
                               follow_redirects=False),
                timeout=config.connect_timeout + config.read_timeout)
        except asyncio.TimeoutError:
            return Reachability(False, f"{base} did not answer in time")
        except (httpx.HTTPError, OSError) as exc:
            return Reachability(False, f"{base} unreachable: {exc or type(exc).__name__}")
        return Reachability(True, f"{base} answered HTTP {response.status_code}")

    bases = list(dict.fromkeys([config.doi_base, config.crossref_base]))
    answers = await asyncio.gather(*(one(b) for b in bases))
    for answer in answers:
        if answer.up:
            return answer
    return Reachability(False, "; ".join(a.reason for a in answers))
