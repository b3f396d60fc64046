"""The finding codes the network checks emit, with their severities."""

from __future__ import annotations

from ..findings import Severity

__all__ = ["NETWORK_CODES", "UNVERIFIED_CODES", "EXIT_UNVERIFIED"]

#: code -> severity, for every finding the network checks can produce.
NETWORK_CODES: dict[str, Severity] = {
    "doi-not-found": Severity.ERROR,      # the handle API says the DOI does not exist
    "doi-mismatch": Severity.WARNING,     # the DOI is registered for a different work
    "doi-metadata": Severity.INFO,        # the registry can fill volume/issue/page
    "doi-found": Severity.INFO,           # Crossref knows a DOI for an entry without one
    "doi-unverified": Severity.WARNING,   # could not ask (offline, timeout, server error)
    "url-dead": Severity.ERROR,           # 404/410, name does not resolve, redirect loop
    "url-redirected": Severity.INFO,      # permanent redirect; fix = the new URL
    "url-blocked": Severity.WARNING,      # refused by the safety rules, never requested
    "url-unverified": Severity.WARNING,   # could not tell (offline, timeout, 403, 5xx...)
}

#: Codes meaning "could not verify" rather than "found a problem".
UNVERIFIED_CODES = frozenset({"doi-unverified", "url-unverified"})

#: Proposed exit status of ``citekit check`` when something could not be verified and no
#: errors were found (0 clean, 1 errors found, 2 usage/unreadable input).
EXIT_UNVERIFIED = 3
