"""The server's engine, swapped for a new one when the corpus or index changes on disk.

``policy-assistant add``/``remove``/``index`` run in other processes (or in the web UI's
upload tab) while the server answers. They write the manifest first and switch the index
pointer (indexes/current.json) last, so the pointer is the signal: when it names another build
and that build matches the manifest's documents, a new Engine is loaded beside the old one
(the embedding model stays in memory; ~1 s) and swapped in with one assignment. A request holds
the engine it started with, so every answer comes from one corpus, old or new, never a mix.
A manifest that the index does not match yet (an add still embedding) keeps the old engine.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

from .config import Settings

log = logging.getLogger(__name__)

CHECK_INTERVAL_S = 1.0  # how often a request looks at the pointer (one small file read)


class LiveEngine:
    """Hands out the current Engine; reloads it when the serving index build changes."""

    def __init__(self, settings: Settings, engine=None, *, check_interval: float = CHECK_INTERVAL_S):
        from .engine import Engine

        self.settings = settings
        self._engine = engine if engine is not None else Engine.load(settings)
        self._stamp = self._read_stamp()
        self._checked = time.monotonic()
        self._interval = check_interval
        self._lock = threading.Lock()
        self.reloads = 0
        self.last_error: str | None = None

    # the engine answers everything; attribute access passes through to the current one
    def __getattr__(self, name):
        return getattr(self.current(), name)

    def _read_stamp(self) -> tuple:
        index_dir = Path(self.settings.index_dir)
        try:
            pointer = json.loads((index_dir / "current.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pointer = {}
        manifest = Path(self.settings.manifest_path)
        try:
            st = manifest.stat()
            mstamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            mstamp = None
        return pointer.get("build"), pointer.get("collection"), mstamp

    def current(self):
        """The engine to answer one request with (checks the pointer at most once a second)."""
        now = time.monotonic()
        if now - self._checked >= self._interval:
            self._checked = now
            stamp = self._read_stamp()
            if stamp != self._stamp and self._lock.acquire(blocking=False):
                # one request reloads; the others keep answering from the old engine meanwhile
                try:
                    self._reload(stamp)
                finally:
                    self._lock.release()
        return self._engine

    def reload(self) -> bool:
        """Reload now (the upload tab calls this after `add`); True when the engine changed."""
        with self._lock:
            return self._reload(self._read_stamp(), force=True)

    def _reload(self, stamp: tuple, *, force: bool = False) -> bool:
        from .corpus import load_corpus
        from .engine import Engine
        from .index import chunks_from
        from .retrieve import Retriever
        from .rules import build_rules_table

        old = self._engine
        try:
            docs = load_corpus(self.settings)
            retriever = Retriever.load(self.settings)
            wanted = {c.id: c.content_hash for c in chunks_from(docs, max_chars=self.settings.chunk_max_chars)}
            if wanted != retriever.params.get("chunks"):
                # the manifest moved on but the index has not (an add still embedding): keep the
                # old engine; the pointer switch at the end of that build changes the stamp again
                log.info("corpus changed, index not rebuilt yet: still serving the previous engine")
                self._stamp = stamp
                return False
            engine = Engine(self.settings, docs, build_rules_table(docs), retriever, generator=old.generator)
        except Exception as exc:  # noqa: BLE001 - a broken corpus or index must not stop the server
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("reload failed, still serving the previous engine: %s", self.last_error)
            self._stamp = stamp
            return False
        self._engine = engine
        self._stamp = stamp
        self.reloads += 1
        self.last_error = None
        log.info("reloaded: %d documents, build %s", len(docs), retriever.build_id)
        return True
