"""The finding codes the network checks emit, with their severities."""

from __future__ import annotations

from ..codes import CODES
from ..findings import Severity

__all__ = ["NETWORK_CODES", "UNVERIFIED_CODES", "EXIT_UNVERIFIED"]

#: code -> severity, for every finding the network checks can produce (from the one registry,
#: :data:`citekit.check.codes.CODES`, where each is documented).
NETWORK_CODES: dict[str, Severity] = {c.code: c.severity for c in CODES.values() if c.network}

#: Codes meaning "could not verify" rather than "found a problem".
UNVERIFIED_CODES = frozenset({"doi-unverified", "url-unverified"})

#: Proposed exit status of ``citekit check`` when something could not be verified and no
#: errors were found (0 clean, 1 errors found, 2 usage/unreadable input).
EXIT_UNVERIFIED = 3
