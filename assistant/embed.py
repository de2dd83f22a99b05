"""Dense embeddings: m3e-small loaded by path, offline, through llama-index.

``get_embedder(settings.embed_model)`` returns one ``Embedder`` per model per process; the
model itself loads lazily on the first text to embed, so a rebuild whose chunks are all in
the embedding cache never loads it. Vectors are L2-normalised (cosine = dot product).
Never ``import embedding``: that package's __init__ imports a broken dependency; we only use
the model folder it ships.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sys
import threading
from array import array
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

from . import interrupt
from .config import EMBEDDING_INSTALL_HINT, offline_env
from .errors import ModelMissingError
from .kvcache import KeyValueCache

log = logging.getLogger(__name__)

BATCH_SIZE = 16
QUERY_CACHE_SIZE = 1024
# One torch thread per query: a short query gains little from two, and when the other core
# is busy (another request, another process) two threads wait on each other — measured on
# 2 cores under load: p95 42 ms with one thread, 640 ms with two. Batches use every core.
QUERY_THREADS = 1


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or "\\" in name or Path(name).expanduser().exists()


def model_fingerprint(model: str) -> dict:
    """Identity of an embedding model without loading it: name + config hash + weights size.

    Recorded in the index's params JSON; a different fingerprint on load means the index was
    built with another model.
    """
    if not _looks_like_path(model):
        return {"name": model, "fingerprint": model}
    path = Path(model).expanduser()
    if not (path / "config.json").is_file():
        raise ModelMissingError(
            f"找不到向量模型 {path}（缺少 config.json）。请安装：{EMBEDDING_INSTALL_HINT}。"
            f" Embedding model folder not found: {path}. Install it: {EMBEDDING_INSTALL_HINT}"
        )
    h = hashlib.sha256((path / "config.json").read_bytes())
    for weights in sorted(path.glob("*.bin")) + sorted(path.glob("*.safetensors")):
        h.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return {"name": path.name, "fingerprint": f"{path.name}:{h.hexdigest()[:12]}"}


class Embedder:
    """embed_query / embed_texts over one sentence-embedding model (loaded on first use)."""

    def __init__(self, model: str, *, cache: "EmbeddingCache | None" = None):
        self.model = model
        info = model_fingerprint(model)
        self.name = info["name"]
        self.fingerprint = info["fingerprint"]
        self.cache = cache
        self._hf = None
        self._load_lock = threading.Lock()
        self._queries: OrderedDict[str, array] = OrderedDict()
        self._query_lock = threading.Lock()

    # -- model -------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._hf is not None

    def load(self):
        """The llama-index HuggingFaceEmbedding (sentence-transformers, mean pooling)."""
        if self._hf is None:
            with self._load_lock:
                if self._hf is None:
                    self._hf = _load_hf(self.model)
        return self._hf

    # -- embedding ---------------------------------------------------------------------
    def embed_query(self, text: str) -> list[float]:
        """One query vector; the last QUERY_CACHE_SIZE queries are kept (LRU), as float32
        arrays (2 KB each; a list of Python floats takes 16 KB)."""
        with self._query_lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text].tolist()
        hf = self.load()
        vec = array("f", hf.get_query_embedding(text))  # the same float32 values, cached or not
        with self._query_lock:
            self._queries[text] = vec
            if len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return vec.tolist()

    def embed_texts(self, texts: Sequence[str], *, progress: bool = False,
                    desc: str = "embedding") -> list[list[float]]:
        """Vectors for texts, taken from the embedding cache when present; the rest are
        computed in batches (a tqdm bar on stderr when ``progress``) and cached."""
        return self.embed_texts_counted(texts, progress=progress, desc=desc)[0]

    def embed_texts_counted(self, texts: Sequence[str], *, progress: bool = False,
                            desc: str = "embedding") -> tuple[list[list[float]], int]:
        """``embed_texts`` plus how many texts were actually embedded (not cached)."""
        out: list[list[float] | None] = [None] * len(texts)
        keys = [self.cache_key(t) for t in texts]
        if self.cache is not None:
            found = self.cache.get_many(keys)
            for i, key in enumerate(keys):
                if key in found:
                    out[i] = found[key]
        # longest first, so each batch pads to similar lengths (attention cost grows with it)
        todo = sorted((i for i, v in enumerate(out) if v is None), key=lambda i: -len(texts[i]))
        if todo:
            from tqdm import tqdm

            hf = self.load()
            chars = sum(len(texts[i]) for i in todo)
            batch_threads = _BatchThreads()
            bar = tqdm(total=chars, desc=desc, unit="字", unit_scale=True, file=sys.stderr,
                       disable=not progress, leave=False)
            for b in range(0, len(todo), BATCH_SIZE):
                interrupt.check()  # a stop requested (SIGTERM) ends the work between batches
                idx = todo[b: b + BATCH_SIZE]
                with batch_threads:
                    vecs = hf.get_text_embedding_batch([texts[i] for i in idx])
                for i, vec in zip(idx, vecs):
                    out[i] = vec
                if self.cache is not None:
                    self.cache.put_many([(keys[i], out[i]) for i in idx])
                bar.update(sum(len(texts[i]) for i in idx))
            bar.close()
        return out, len(todo)  # type: ignore[return-value]

    def cache_key(self, text: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{text}".encode("utf-8")).hexdigest()

    def as_llama_index(self):
        """This embedder as a llama-index BaseEmbedding (same model, same cache)."""
        return _llama_adapter(self)


_BATCH_THREADS = 0  # torch's default thread count, remembered when the first model loads


class _BatchThreads:
    """Run a batch with every core torch would use by default, then back to QUERY_THREADS."""

    def __enter__(self):
        import torch

        if _BATCH_THREADS:
            torch.set_num_threads(_BATCH_THREADS)

    def __exit__(self, *exc):
        import torch

        torch.set_num_threads(QUERY_THREADS)
        return False


def _load_hf(model: str):
    global _BATCH_THREADS
    offline_env()
    if _looks_like_path(model):
        path = Path(model).expanduser()
        model_fingerprint(model)  # raises ModelMissingError when the folder is incomplete
        model = str(path)
    import warnings

    try:
        import transformers

        transformers.utils.logging.disable_progress_bar()
        transformers.utils.logging.set_verbosity_error()
    except Exception:  # noqa: BLE001 - cosmetics only
        pass
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    st_log = logging.getLogger("sentence_transformers")
    level = st_log.level
    st_log.setLevel(logging.ERROR)  # "cache_dir is deprecated" comes from llama-index's call
    import torch

    if not _BATCH_THREADS:
        _BATCH_THREADS = torch.get_num_threads()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hf = HuggingFaceEmbedding(model_name=model, device="cpu", normalize=True,
                                      embed_batch_size=BATCH_SIZE)
        torch.set_num_threads(QUERY_THREADS)
        return hf
    except (OSError, ValueError) as exc:
        raise ModelMissingError(
            f"无法加载向量模型 {model}：{exc}。请安装：{EMBEDDING_INSTALL_HINT}。"
            f" Cannot load the embedding model {model} offline. Install it: {EMBEDDING_INSTALL_HINT}"
        ) from None
    finally:
        st_log.setLevel(level)


_embedders: dict[str, Embedder] = {}
_embedders_lock = threading.Lock()


def get_embedder(model: str, *, cache_path: Path | None = None) -> Embedder:
    """The process-wide Embedder for a model (the model loads once per process)."""
    key = str(Path(model).expanduser().resolve()) if _looks_like_path(model) else model
    with _embedders_lock:
        emb = _embedders.get(key)
        if emb is None:
            emb = _embedders[key] = Embedder(model)
    if cache_path is not None and (emb.cache is None or emb.cache.path != Path(cache_path)):
        emb.cache = EmbeddingCache(cache_path)
    return emb


class EmbeddingCache(KeyValueCache):
    """Embeddings keyed by sha256(model fingerprint + text), in one SQLite file.

    It lives outside the swapped index folders, so every build reuses it: unchanged chunks
    are never re-embedded, even by ``index --rebuild``.
    """

    def __init__(self, path: Path):
        super().__init__(path, table="emb", column="vec", what="embedding",
                         encode=lambda v: array("f", v).tobytes(), decode=lambda b: array("f", b).tolist())


@functools.lru_cache(maxsize=None)
def _adapter_class():
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.bridge.pydantic import PrivateAttr

    class _EmbedderAdapter(BaseEmbedding):
        _embedder: Embedder = PrivateAttr()

        def __init__(self, embedder: Embedder):
            super().__init__(model_name=embedder.name, embed_batch_size=BATCH_SIZE)
            self._embedder = embedder

        @classmethod
        def class_name(cls) -> str:
            return "PolicyAssistantEmbedder"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_texts([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_texts(texts)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return _EmbedderAdapter


def _llama_adapter(embedder: Embedder):
    return _adapter_class()(embedder)
