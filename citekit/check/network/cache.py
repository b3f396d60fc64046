"""A small SQLite cache of network results, keyed by kind and normalised DOI/URL, with TTLs."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import platformdirs

__all__ = ["ResultCache", "default_cache_path", "NullCache"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stored_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (kind, key)
)
"""


def default_cache_path() -> Path:
    """``network.sqlite3`` in the user's cache directory for citekit."""
    return Path(platformdirs.user_cache_dir("citekit", appauthor=False)) / "network.sqlite3"


class NullCache:
    """A cache that remembers nothing (``--no-cache``)."""

    problem: str | None = None

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """Always a miss."""
        return None

    def put(self, kind: str, key: str, value: dict[str, Any], ttl: float) -> None:
        """Forget the value."""

    def close(self) -> None:
        """Nothing to close."""


class ResultCache(NullCache):
    """Results stored as JSON in SQLite; an unusable file degrades to no cache, with a note."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.problem = None
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=5.0)
            db.execute(_SCHEMA)
            db.commit()
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self.problem = f"cache {self.path} not usable ({exc}); running without cache"

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """The fresh value stored for (kind, key), or None."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT value FROM results WHERE kind = ? AND key = ? AND expires_at > ?",
                (kind, key, time.time()),
            ).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def put(self, kind: str, key: str, value: dict[str, Any], ttl: float) -> None:
        """Store ``value`` for ``ttl`` seconds (nothing when ttl <= 0)."""
        if self._db is None or ttl <= 0:
            return
        now = time.time()
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                (kind, key, json.dumps(value), now, now + ttl),
            )
        except (sqlite3.Error, TypeError, ValueError):
            return

    def close(self) -> None:
        """Commit, drop expired rows and close."""
        if self._db is None:
            return
        try:
            self._db.execute("DELETE FROM results WHERE expires_at <= ?", (time.time(),))
            self._db.commit()
        except sqlite3.Error:
            pass
        finally:
            self._db.close()
            self._db = None
