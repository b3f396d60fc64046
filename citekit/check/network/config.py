"""NetworkConfig: endpoints, politeness, bounds and cache settings for the network checks.

Settings are layered, later layers winning: built-in defaults, then a config file
(``citekit.toml`` ``[network]`` or ``pyproject.toml`` ``[tool.citekit.network]``), then
``CITEKIT_*`` environment variables, then explicit arguments.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping

from ...errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["NetworkConfig", "load_config", "find_config_file", "Resolver", "ENV_VARS"]

#: ``async resolve(host, port) -> list of IP address strings``; raises ``socket.gaierror``.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_VERSION = "0.1.0"
_PROJECT_URL = "https://github.com/citekit/citekit"


@dataclass
class NetworkConfig:
    """Everything the network checks need to know; plain values, no global state."""

    #: Base of the DOI resolver (handle API at ``{doi_base}/api/handles/``).
    doi_base: str = "https://doi.org"
    #: Base of the Crossref REST API (``{crossref_base}/works``).
    crossref_base: str = "https://api.crossref.org"
    #: Contact address sent in the User-Agent and to Crossref (its "polite pool").
    mailto: str | None = None
    #: Overrides the whole User-Agent header; by default it names citekit and the contact.
    user_agent: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: Total seconds of network time one URL or DOI may take (requests, redirects, retries).
    deadline: float = 20.0
    #: Requests in flight at once, over all hosts.
    max_concurrency: int = 32
    #: Requests in flight at once to one host (``host:port``).
    per_host: int = 4
    #: Extra attempts after a 429, a 5xx or a timeout.
    retries: int = 2
    #: First backoff delay in seconds; doubles on each retry.
    backoff: float = 0.5
    #: Longest ``Retry-After`` honoured, in seconds; a longer one ends the retries.
    retry_after_cap: float = 30.0
    max_redirects: int = 10
    #: Bytes of a response body read at most (the rest is never downloaded).
    max_body: int = 65536
    #: Seconds a successful result stays fresh in the cache.
    ttl_ok: float = 86400.0
    #: Seconds a failed result (dead link, missing DOI) stays fresh.
    ttl_fail: float = 3600.0
    use_cache: bool = True
    #: SQLite file of the cache; None = ``network.sqlite3`` in the user cache directory.
    cache_path: str | None = None
    #: Allow loopback/private/link-local targets (tests, intranets); metadata stays blocked.
    allow_private: bool = False
    #: Host names exempt from the address check (e.g. a test server on ``localhost``).
    allowed_hosts: tuple[str, ...] = ()
    #: Look for missing DOIs on Crossref.
    discover: bool = True
    #: Score (0-100) a Crossref candidate needs to be suggested as ``doi-found``.
    discovery_threshold: float = 88.0
    #: Score below which a registered DOI's metadata counts as a different work.
    mismatch_threshold: float = 70.0
    #: Resolver used by the address check; None = the system resolver. Injected by tests.
    resolver: Resolver | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.doi_base = _base(self.doi_base, "doi_base")
        self.crossref_base = _base(self.crossref_base, "crossref_base")
        for name in ("connect_timeout", "read_timeout", "deadline", "backoff"):
            if float(getattr(self, name)) <= 0:
                raise ConfigError(f"network setting {name}{_OPTION.get(name, '')} must be "
                                  "positive")
        for name in ("max_concurrency", "per_host", "max_redirects", "max_body"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"network setting {name}{_OPTION.get(name, '')} must be at "
                                  "least 1")
        if self.retries < 0 or self.retry_after_cap < 0 or self.ttl_ok < 0 or self.ttl_fail < 0:
            raise ConfigError("network settings retries, retry_after_cap and ttl_* must be >= 0")
        if not 0 <= self.discovery_threshold <= 100 or not 0 <= self.mismatch_threshold <= 100:
            raise ConfigError("score thresholds must lie between 0 and 100")
        self.allowed_hosts = tuple(h.lower() for h in self.allowed_hosts)

    @property
    def agent(self) -> str:
        """The User-Agent header: names citekit and, when known, a contact address."""
        if self.user_agent:
            return self.user_agent
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"citekit/{_VERSION} (+{_PROJECT_URL}{contact})"

    def replace(self, **changes: Any) -> "NetworkConfig":
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)


#: The command-line option that sets a network setting, named in errors about its value.
_OPTION = {"connect_timeout": " (--timeout)", "read_timeout": " (--timeout)",
           "deadline": " (--deadline)", "max_concurrency": " (--concurrency)",
           "per_host": " (--per-host)"}


def _base(value: str, name: str) -> str:
    value = str(value).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"network setting {name} must be an http(s) URL, got {value!r}")
    return value


#: Environment variable -> setting name.
ENV_VARS: dict[str, str] = {
    "CITEKIT_DOI_BASE": "doi_base",
    "CITEKIT_CROSSREF_BASE": "crossref_base",
    "CITEKIT_MAILTO": "mailto",
    "CITEKIT_USER_AGENT": "user_agent",
    "CITEKIT_CACHE": "cache_path",
    "CITEKIT_NO_CACHE": "no_cache",
    "CITEKIT_TIMEOUT": "read_timeout",
    "CITEKIT_DEADLINE": "deadline",
    "CITEKIT_CONCURRENCY": "max_concurrency",
    "CITEKIT_PER_HOST": "per_host",
    "CITEKIT_ALLOW_PRIVATE": "allow_private",
}

_FIELDS = {f.name: f for f in dataclasses.fields(NetworkConfig) if f.name != "resolver"}


def find_config_file(start: str | Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``citekit.toml``, or ``pyproject.toml`` with a citekit section, from ``start``
    upwards: its path and its network settings."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "citekit.toml"
        if own.is_file():
            data = _read_toml(own)
            section = data.get("network", {})
            return own, _table(section, own, "[network]")
        project = folder / "pyproject.toml"
        if project.is_file():
            tool = _read_toml(project).get("tool", {}).get("citekit")
            if isinstance(tool, dict):
                flat = {k: v for k, v in tool.items() if k in _FIELDS}
                flat.update(_table(tool.get("network", {}), project, "[tool.citekit.network]"))
                return project, flat
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc


def _table(section: Any, path: Path, name: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {name} must be a table")
    unknown = sorted(set(section) - set(_FIELDS))
    if unknown:
        raise ConfigError(f"{path}: unknown network setting(s) in {name}: {', '.join(unknown)}")
    return dict(section)


def _coerce(name: str, value: Any, origin: str) -> Any:
    """Convert a setting from text (env) or TOML to the field's type, with a clear error."""
    kind = _FIELDS[name].type
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(value)
        if kind.startswith("int"):
            return int(value)
        if kind.startswith("float"):
            return float(value)
        if kind.startswith("tuple"):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(i).strip() for i in items if str(i).strip())
        return None if value is None else str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: invalid value {value!r} for network setting {name}") from None


def load_config(
    args: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    start: str | Path | None = None,
    config_file: bool = True,
) -> NetworkConfig:
    """Build a NetworkConfig from defaults, config file, environment and ``args`` (None = unset).

    ``args`` uses setting names (``doi_base``, ``mailto``, ``cache_path``...) plus ``no_cache``.
    """
    values: dict[str, Any] = {}
    if config_file:
        found = find_config_file(start)
        if found:
            path, section = found
            for key, val in section.items():
                values[key] = _coerce(key, val, str(path))
            if values.get("cache_path") and not Path(values["cache_path"]).is_absolute():
                values["cache_path"] = str(path.parent / values["cache_path"])
    environ = os.environ if env is None else env
    for var, key in ENV_VARS.items():
        if environ.get(var) not in (None, ""):
            if key == "no_cache":
                values["use_cache"] = not _coerce("use_cache", environ[var], var)
            else:
                values[key] = _coerce(key, environ[var], var)
    for key, val in (args or {}).items():
        if val is None:
            continue
        if key == "no_cache":
            if val:
                values["use_cache"] = False
        elif key == "resolver":
            values["resolver"] = val
        elif key in _FIELDS:
            values[key] = _coerce(key, val, "argument")
        else:
            raise ConfigError(f"unknown network setting {key!r}")
    return NetworkConfig(**values)
