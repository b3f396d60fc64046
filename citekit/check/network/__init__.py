"""Network checks: DOIs (handle API, content negotiation, Crossref discovery) and links.

Use :func:`run_network_checks` (async) or :func:`run_network_checks_sync`; configure with
:class:`NetworkConfig` or :func:`load_config`. See docs/network.md.
"""

from __future__ import annotations

from .checks import NetworkResult, run_network_checks, run_network_checks_sync
from .codes import EXIT_UNVERIFIED, NETWORK_CODES, UNVERIFIED_CODES
from .config import NetworkConfig, load_config
from .progress import terminal_progress

__all__ = [
    "NetworkConfig",
    "NetworkResult",
    "load_config",
    "run_network_checks",
    "run_network_checks_sync",
    "NETWORK_CODES",
    "UNVERIFIED_CODES",
    "EXIT_UNVERIFIED",
    "terminal_progress",
]
