"""A key → value cache in one SQLite file, for work a rebuild would otherwise redo.

It lives outside the swapped index folders (indexes/cache/), so every build reuses it. A
broken or unwritable cache only costs time: reads then find nothing and the file is
removed, writes are skipped, and the caller computes the values again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)


class KeyValueCache:
    """Values keyed by a text key in table ``table`` of the SQLite file ``path``; ``encode``
    turns a value into what SQLite stores, ``decode`` turns it back. One connection per thread."""

    def __init__(self, path: Path, *, table: str, what: str,
                 encode: Callable[[Any], Any], decode: Callable[[Any], Any], column: str = "value"):
        self.path = Path(path)
        self.table, self.column, self.what = table, column, what
        self.encode, self.decode = encode, decode
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
            db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, {self.column} BLOB NOT NULL)")
            self._local.db = db
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        try:
            db = self._db()
            for b in range(0, len(keys), 500):
                part = keys[b: b + 500]
                marks = ",".join("?" * len(part))
                for key, value in db.execute(f"SELECT key, {self.column} FROM {self.table} WHERE key IN ({marks})", part):
                    found[key] = self.decode(value)
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            log.warning("%s cache %s unreadable (%s); computing again", self.what, self.path, exc)
            self._reset()
            return {}
        return found

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        try:
            db = self._db()
            with db:
                db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, {self.column}) VALUES (?, ?)",
                               [(k, self.encode(v)) for k, v in items])
        except sqlite3.DatabaseError as exc:
            log.warning("%s cache %s not writable (%s)", self.what, self.path, exc)

    def close(self) -> None:
        """Close this thread's connection (the next call opens a new one)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def _reset(self) -> None:
        self.close()
        try:
            self.path.unlink()
        except OSError:
            pass
