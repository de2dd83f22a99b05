"""Hybrid retrieval: BM25 over jieba tokens + m3e vectors in chromadb, fused by rank.

``Retriever.load(settings)`` opens the serving build (see index.py); ``search`` normalises
the query like the documents, filters by jurisdiction / document / kind and fuses the BM25
and dense rankings with reciprocal-rank fusion (``rrf``). Callers see only our types
(Chunk, Hit); llama-index and chromadb stay inside this module and index.py.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .config import Settings, offline_env
from .errors import (BadQuestionError, IndexCorruptError, IndexMismatchError, IndexMissingError,
                     StoreUnavailableError, UnknownDocumentError)
from .jurisdictions import resolve
from .normalize import normalize_query
from .types import KINDS, Chunk, Document, Hit

log = logging.getLogger(__name__)

MODES = ("hybrid", "bm25", "dense")
RRF_K = 60  # the usual constant; on the dev set k from 10 to 120 gives the same hit@3
DEPTH = 50  # articles taken from each ranking before fusion
DENSE_POOL = 200  # nearest chunks fetched from chromadb per query, then scored with their sentences
# A query filtered to documents with at most this many vector rows (chunks + sentences) is
# scored exactly over all of them, read from vectors.f32: chromadb's own filtered search costs
# 18–120 ms on a 60k-vector collection, growing with the corpus.
EXACT_MAX_VECTORS = 2_000


class BadFilterError(BadQuestionError, ValueError):
    """A search option names no valid choice (mode, kind, k)."""


# -- fusion (pure) ----------------------------------------------------------------------

def rrf(rankings: dict[str, Sequence[str]], *, k: int = RRF_K,
        weights: dict[str, float] | None = None) -> list[tuple[str, float, dict[str, int]]]:
    """Reciprocal-rank fusion: score(id) = Σ_mode w_mode / (k + rank_mode(id)), ranks from 1.

    Returns (id, score, {mode: rank}) best first; ties keep the order of first appearance
    across the rankings (so the fused order is deterministic).
    """
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    for mode, ids in rankings.items():
        w = 1.0 if weights is None else weights.get(mode, 1.0)
        for rank, cid in enumerate(ids, start=1):
            if cid in ranks and mode in ranks[cid]:
                continue  # a duplicate in one ranking counts once, at its best rank
            scores[cid] = scores.get(cid, 0.0) + w / (k + rank)
            ranks.setdefault(cid, {})[mode] = rank
    order = {cid: i for i, cid in enumerate(ranks)}
    best = sorted(scores, key=lambda cid: (-scores[cid], order[cid]))
    return [(cid, scores[cid], ranks[cid]) for cid in best]


# -- query preparation ------------------------------------------------------------------

def prepare_query(query: str, *, max_chars: int) -> tuple[str, list[str]]:
    """The normalised query and notices (e.g. truncation); an empty query is an error."""
    if query is None or not str(query).strip():
        raise BadQuestionError("问题为空，请输入要查询的内容。 The question is empty: type what you want to find.")
    text = normalize_query(str(query))
    notices = []
    if len(text) > max_chars:
        notices.append(f"问题过长（{len(text)} 字），只使用前 {max_chars} 字。"
                       f" The question was truncated to {max_chars} characters.")
        text = text[:max_chars]
    if not text.strip():
        raise BadQuestionError("问题为空，请输入要查询的内容。 The question is empty: type what you want to find.")
    return text, notices


# -- the retriever ----------------------------------------------------------------------

@dataclass
class _Store:
    """The dense side: a chroma collection (opened lazily; reopened after a failure)."""

    settings: Settings
    path: Path
    name: str
    _collection: object = None
    _client: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def collection(self):
        with self._lock:
            if self._collection is None:
                from .index import chroma_client

                client = chroma_client(self.settings, path=self.path)
                try:
                    self._collection = client.get_collection(self.name)
                except StoreUnavailableError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    from .index import is_connection_error, store_unavailable

                    if self.settings.chroma_url and is_connection_error(exc):
                        raise store_unavailable(self.settings, exc) from None
                    raise IndexCorruptError(
                        f"向量库中找不到集合 {self.name}（{type(exc).__name__}）。请运行 `policy-assistant index --rebuild`。"
                        f" The vector collection {self.name} is missing: run `policy-assistant index --rebuild`."
                    ) from None
                self._client = client
            return self._collection

    def forget(self) -> None:
        """Drop the connection so the next request reconnects (a server may come back)."""
        with self._lock:
            self._collection = None
            self._client = None

    def _call(self, fn):
        """Run one collection call; a lost server becomes StoreUnavailableError."""
        try:
            return fn(self.collection())
        except (StoreUnavailableError, IndexCorruptError):
            raise
        except Exception as exc:  # noqa: BLE001
            from .index import is_connection_error, store_unavailable

            self.forget()
            if self.settings.chroma_url and is_connection_error(exc):
                raise store_unavailable(self.settings, exc) from None
            raise

    def query(self, vector: list[float], *, n: int, where: dict | None) -> list[tuple[str, str, float]]:
        """(chunk id, unit, cosine similarity) of the n nearest entries (chunks), best first.

        Entries were written through llama-index's ChromaVectorStore; reading goes to the
        collection directly and asks for distances only: ChromaVectorStore.query would fetch
        every entry's metadata and parse its node JSON (40 ms for 400 entries instead of 2).
        """
        kwargs = {"where": where} if where else {}
        result = self._call(lambda c: c.query(query_embeddings=[vector], n_results=max(1, n),
                                              include=["distances"], **kwargs))
        return [(*_entry_unit(entry), 1.0 - float(d)) for entry, d in zip(result["ids"][0], result["distances"][0])]



class _Vectors:
    """The build's vectors.f32 (every chunk and sentence vector, float32 rows), read by
    position with pread: nothing stays mapped, so reading a document's rows costs no memory
    beyond the rows themselves. Chunk i owns rows ``rows[i]:rows[i+1]``, its own vector first."""

    def __init__(self, path: Path, rows):
        import numpy as np

        self.path = path
        self.rows = rows
        size = path.stat().st_size
        total = int(rows[-1])
        if total <= 0 or size % (4 * total):
            raise ValueError(f"{path.name} holds {size} bytes, not {total} float32 rows")
        self.dim = size // (4 * total)
        self._row_bytes = 4 * self.dim
        self._fd = os.open(path, os.O_RDONLY)
        self._np = np

    def __del__(self):
        fd = getattr(self, "_fd", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def spans(self, chunk_ids) -> list[tuple[int, int]]:
        """Row ranges of the chunks (sorted indices), adjacent chunks merged into one read."""
        out: list[list[int]] = []
        for i in chunk_ids:
            lo, hi = int(self.rows[i]), int(self.rows[i + 1])
            if out and out[-1][1] == lo:
                out[-1][1] = hi
            else:
                out.append([lo, hi])
        return [(lo, hi) for lo, hi in out]

    def read(self, chunk_ids) -> "object":
        """The rows of the chunks (sorted indices) as one unit-normalised float32 matrix."""
        np = self._np
        parts = []
        for lo, hi in self.spans(chunk_ids):
            data = os.pread(self._fd, (hi - lo) * self._row_bytes, lo * self._row_bytes)
            parts.append(np.frombuffer(data, dtype="<f4").reshape(hi - lo, self.dim))
        if not parts:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = np.vstack(parts) if len(parts) > 1 else parts[0].copy()
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(norms == 0, 1.0, norms)


def read_chunks(path: Path) -> list[Chunk]:
    """The build's chunk list (chunks.jsonl), one copy of each repeated string (ids, titles,
    chapters) and without the index texts (what BM25 and the embedder saw; search needs neither)."""
    chunks = []
    shared: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            del row["index_text"]
            for key in ("doc_id", "article", "jurisdiction", "kind", "title", "chapter"):
                row[key] = shared.setdefault(row[key], row[key])
            chunks.append(Chunk(**row))
    return chunks


def _entry_unit(entry: str) -> tuple[str, str]:
    """(chunk id, unit) of a vector entry id: sentence entries are "<chunk id>~<n>"."""
    chunk_id, sep, n = entry.rpartition("~")
    return (chunk_id, "sentence") if sep and n.isdigit() else (entry, "chunk")


class Retriever:
    """Hybrid BM25 + dense search over the chunks of the serving build."""

    def __init__(self, settings: Settings, chunks: list[Chunk], bm25, store: _Store,
                 params: dict, embedder, vectors: "_Vectors"):
        self.settings = settings
        self.chunks: list[Chunk] = chunks
        self._bm25 = bm25
        self._store = store
        self._rows = vectors
        self.params = params
        self.embedder = embedder
        self._index = {c.id: i for i, c in enumerate(chunks)}
        self._article_key = [f"{c.doc_id}#{c.article}" for c in chunks]
        self.jurisdictions: list[str] = list(dict.fromkeys(c.jurisdiction for c in chunks))
        self.doc_ids: list[str] = list(dict.fromkeys(c.doc_id for c in chunks))
        import numpy as np

        self._doc_index = {d: n for n, d in enumerate(self.doc_ids)}
        self._doc_chunks: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            self._doc_chunks.setdefault(c.doc_id, []).append(i)
        self._doc_attrs = {c.doc_id: (c.jurisdiction, c.kind) for c in chunks}  # doc_ids order
        self._chunk_doc = np.array([self._doc_index[c.doc_id] for c in chunks], dtype=np.int64)
        self._vectors = dict(params.get("vectors") or {d: 0 for d in self.doc_ids})
        self._vectors_total = sum(self._vectors.values())
        self.rrf_k = RRF_K
        self.depth = DEPTH
        self.weights: dict[str, float] | None = None

    @property
    def build_id(self) -> str:
        return self.params.get("build", "")

    @classmethod
    def load(cls, settings: Settings, *, warm: bool = True) -> "Retriever":
        """Open the serving build; check it matches the settings (model, chunking, store).

        ``warm`` loads the embedding model now (once per process) and, for the embedded
        store, checks the vector count; a chroma server is reached lazily, on first search.
        """
        import bm25s

        from .embed import get_embedder
        from .index import current_params, mismatch, read_build, read_pointer

        offline_env()
        index_dir = Path(settings.index_dir)
        pointer = read_pointer(index_dir)
        build, params = read_build(index_dir, pointer)
        why = mismatch(params, current_params(settings))
        if why:
            raise IndexMismatchError(
                f"索引与当前设置不一致：{why}。请运行 `policy-assistant index --rebuild`。"
                f" The index was built with other settings ({why}): run `policy-assistant index --rebuild`."
            )
        try:
            chunks = read_chunks(build / "chunks.jsonl")
            if {c.id: c.content_hash for c in chunks} != params["chunks"]:
                raise ValueError("chunks.jsonl does not match params.json")
            # memory-mapped: a query reads the columns of its own tokens, the rest stays on disk
            bm25 = bm25s.BM25.load(str(build / "bm25"), show_progress=False, mmap=True)
            if int(bm25.scores["num_docs"]) != len(chunks):
                raise ValueError("BM25 index size differs from the chunk list")
            import numpy as np

            from .index import ROWS_FILE, VECTOR_FILE

            rows = np.load(build / ROWS_FILE)
            if rows.shape != (len(chunks) + 1,) or int(rows[-1]) != params.get("vector_rows"):
                raise ValueError(f"{ROWS_FILE} does not match the chunk list")
            vectors = _Vectors(build / VECTOR_FILE, rows)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(
                f"索引 {build} 已损坏（{type(exc).__name__}: {exc}）。请运行 `policy-assistant index --rebuild`。"
                f" The index is corrupt: run `policy-assistant index --rebuild`."
            ) from None
        store = _Store(settings, build / "chroma", pointer.get("collection") or params.get("collection", ""))
        embedder = get_embedder(settings.embed_model,
                                cache_path=index_dir / "cache" / "embeddings.sqlite")
        retriever = cls(settings, chunks, bm25, store, params, embedder, vectors)
        if warm:
            embedder.load()
            if not settings.chroma_url:  # a server may be down now and up later: open lazily
                retriever.check_store()
        return retriever

    def check_store(self) -> None:
        """Count the vector entries (reaches the chroma server in server mode)."""
        try:
            count = self._store.collection().count()
        except (StoreUnavailableError, IndexCorruptError):
            raise
        except Exception as exc:  # noqa: BLE001
            from .index import is_connection_error, store_unavailable

            self._store.forget()
            if self.settings.chroma_url and is_connection_error(exc):
                raise store_unavailable(self.settings, exc) from None
            raise
        if count != self._vectors_total:
            raise IndexCorruptError(
                f"向量库有 {count} 条，索引应有 {self._vectors_total} 条。请运行 `policy-assistant index --rebuild`。"
                f" The vector store and the chunk list disagree: run `policy-assistant index --rebuild`."
            )

    _check_store = check_store  # the name api.health used first

    # -- filters ------------------------------------------------------------------------
    def _allowed(self, jurisdictions, doc_ids, kinds):
        """A boolean mask over the chunks (numpy), or None for no filter. Every filter is a
        document attribute, so the mask is the allowed documents spread over their chunks."""
        import numpy as np

        juris = _as_list(jurisdictions)
        docs = _as_list(doc_ids)
        kinds_ = _as_list(kinds)
        if not (juris or docs or kinds_):
            return None
        juris = [resolve(j, self.jurisdictions) for j in juris]
        for d in docs:
            if d not in self._doc_index:
                raise UnknownDocumentError(
                    f"未知文档 '{d}'。已有：{', '.join(self.doc_ids)}。 Unknown document id '{d}'."
                )
        for kd in kinds_:
            if kd not in KINDS:
                raise BadFilterError(f"未知的文档类型 '{kd}'，可用：{', '.join(KINDS)}。"
                                     f" Unknown kind {kd!r}; choose from {', '.join(KINDS)}.")
        doc_ok = np.array([(not juris or j in juris) and (not docs or d in docs) and (not kinds_ or kd in kinds_)
                           for d, (j, kd) in self._doc_attrs.items()], dtype=bool)
        return doc_ok[self._chunk_doc]

    # -- search -------------------------------------------------------------------------
    def search(self, query: str, *, k: int = 5, jurisdictions: Iterable[str] | str | None = None,
               doc_ids: Iterable[str] | str | None = None, kinds: Iterable[str] | str | None = None,
               mode: str = "hybrid") -> list[Hit]:
        """The k best chunks for ``query``; ``Hit.ranks`` holds each component's rank."""
        if mode not in MODES:
            raise BadFilterError(f"未知的检索模式 '{mode}'，可用：{', '.join(MODES)}。"
                                 f" Unknown mode {mode!r}; choose from {', '.join(MODES)}.")
        if k < 1:
            raise BadFilterError("k 至少为 1。 k must be at least 1.")
        text, notices = prepare_query(query, max_chars=self.settings.max_question_chars)
        for notice in notices:
            log.warning(notice)
        allowed = self._allowed(jurisdictions, doc_ids, kinds)
        if allowed is not None and not allowed.any():
            return []
        depth = max(self.depth, k)
        if mode == "bm25":
            ranked = self._per_article(self._bm25_rank(text, allowed, k))
            return [Hit(self.chunks[i], s, {"bm25": r}) for r, (i, s) in enumerate(ranked[:k], 1)]
        if mode == "dense":
            ranked = self._per_article(self._dense_rank(text, allowed, k + 10))
            return [Hit(self.chunks[i], s, {"dense": r}) for r, (i, s) in enumerate(ranked[:k], 1)]
        lexical = self._per_article(self._bm25_rank(text, allowed, depth))[:depth]
        dense = self._per_article(self._dense_rank(text, allowed, depth + 10))[:depth]
        best_part: dict[str, int] = {}  # the part of an article that ranks best in either list
        for pair in itertools.zip_longest(lexical, dense):
            for item in pair:
                if item is not None:
                    best_part.setdefault(self._article_key[item[0]], item[0])
        fused = rrf({"bm25": [self._article_key[i] for i, _ in lexical],
                     "dense": [self._article_key[i] for i, _ in dense]},
                    k=self.rrf_k, weights=self.weights)
        return [Hit(self.chunks[best_part[key]], score, ranks) for key, score, ranks in fused[:k]]

    def sentence_similarities(self, query: str, chunk: Chunk) -> list[tuple[str, float]]:
        """(sentence, cosine to the query) for each sentence of a chunk, from the vectors the
        index stored for them (``index.sentences``; a one-sentence chunk: its own text and
        vector). The query vector comes from the embedder's cache when ``query`` was searched."""
        import numpy as np

        from .index import sentences

        i = self._index.get(chunk.id)
        if i is None:
            return []
        text, _ = prepare_query(query, max_chars=self.settings.max_question_chars)
        vector = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        sims = self._rows.read([i]) @ (vector / (np.linalg.norm(vector) or 1.0))
        sents = sentences(chunk)
        if len(sents) > 1 and len(sims) == len(sents) + 1:
            return [(s, float(v)) for s, v in zip(sents, sims[1:])]
        return [(chunk.text, float(sims[0]))]

    def _per_article(self, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Keep each article once, at its best-ranked part (long articles are split)."""
        seen: set[str] = set()
        out = []
        for i, score in ranked:
            key = self._article_key[i]
            if key not in seen:
                seen.add(key)
                out.append((i, score))
        return out

    def _bm25_rank(self, text: str, allowed, articles: int) -> list[tuple[int, float]]:
        """(chunk index, BM25 score), best first (ties by index), enough chunks to hold the
        ``articles`` best articles; only chunks sharing a token with the query."""
        import numpy as np

        from .tokenize import query_tokens

        ids = self._bm25.get_tokens_ids(query_tokens(text))
        if not ids:
            return []
        scores = np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float64)
        ok = scores > 0
        if allowed is not None:
            ok &= allowed
        cand = np.flatnonzero(ok)
        want = 4 * articles + 16  # an article has a few parts at most; checked below
        while True:
            part = cand
            if len(cand) > want:  # the best `want` scores and every tie with the last of them
                cut = np.partition(scores[cand], len(cand) - want)[len(cand) - want]
                part = cand[scores[cand] >= cut]
            order = part[np.lexsort((part, -scores[part]))]
            ranked = [(int(i), float(scores[i])) for i in order]
            if len(part) == len(cand) or len({self._article_key[i] for i, _ in ranked}) >= articles:
                return ranked
            want *= 4

    def _dense_rank(self, text: str, allowed: list[bool] | None, n: int) -> list[tuple[int, float]]:
        """(chunk index, score) best first: score = cos(query, chunk) + max cos(query, sentence)
        (a one-sentence chunk counts its own vector twice).

        The candidates are every chunk of the allowed documents when a filter leaves at most
        EXACT_MAX_VECTORS rows, else the DENSE_POOL chunks nearest in chromadb (with the
        filter); either way they are scored exactly with their rows of vectors.f32. A query
        over the whole corpus always asks chromadb (the store, a server in server mode, is
        what serves the corpus); a filtered one over a few documents needs only their rows.
        """
        import numpy as np

        vector = self.embedder.embed_query(text)
        rows = self._rows.rows
        cand = np.flatnonzero(allowed) if allowed is not None else np.arange(len(self.chunks))
        if allowed is None or int((rows[cand + 1] - rows[cand]).sum()) > EXACT_MAX_VECTORS:
            where = None
            if allowed is not None:  # every filter is per document: the allowed doc ids say it all
                where = {"doc": {"$in": sorted(self.doc_ids[d] for d in np.unique(self._chunk_doc[cand]))}}
            pool = min(len(cand), max(DENSE_POOL, 2 * n))
            near = {self._index.get(cid) for cid, _, _ in self._store.query(vector, n=pool, where=where)}
            cand = np.array(sorted(i for i in near if i is not None and (allowed is None or allowed[i])),
                            dtype=np.int64)
        if not len(cand):
            return []
        matrix = self._rows.read(cand)
        q = np.asarray(vector, dtype=np.float32)
        sims = matrix @ (q / (np.linalg.norm(q) or 1.0))
        counts = rows[cand + 1] - rows[cand]
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        whole = sims[starts]
        # best sentence: the max over each chunk's rows after its own (its own when it has none)
        others = sims.copy()
        others[starts] = -np.inf
        sent = np.maximum.reduceat(others, starts)
        sent = np.where(counts > 1, sent, whole)
        score = whole + sent
        order = np.lexsort((cand, -score))[:n]
        return [(int(cand[j]), float(score[j])) for j in order]


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if v]


def ensure_index(settings: Settings, docs: list[Document] | None = None) -> Retriever:
    """The retriever, building the index first when there is none or the corpus changed."""
    from .index import build_index

    from .index import settings_unchanged, read_build, read_pointer

    try:
        retriever = Retriever.load(settings)
    except IndexMissingError:
        build_index(settings, docs, progress=False)
        return Retriever.load(settings)
    except IndexMismatchError:
        built = read_build(settings.index_dir, read_pointer(settings.index_dir))[1]
        if settings_unchanged(built):
            raise  # the user changed a setting (model, store…): they decide to rebuild
        build_index(settings, docs, progress=False)  # an older format or chunking: rebuilt from the cache
        return Retriever.load(settings)
    if docs is not None:  # same documents, same chunking parameters (checked by load): same chunks
        if {d.id: d.content_hash for d in docs} != retriever.params.get("documents"):
            build_index(settings, docs, progress=False)
            return Retriever.load(settings)
    return retriever


# -- llama-index's default pipeline (the baseline of retrieval_eval) ---------------------

class DefaultPipeline:
    """VectorStoreIndex over SentenceSplitter chunks of whole documents (llama-index defaults),
    in memory, with our embedder: the baseline that hybrid retrieval must beat."""

    def __init__(self, docs: list[Document], embedder, *, chunk_size: int | None = None):
        from llama_index.core import Document as LIDocument
        from llama_index.core import VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        splitter = SentenceSplitter() if chunk_size is None else SentenceSplitter(chunk_size=chunk_size)
        li_docs = [LIDocument(text=d.text, id_=d.id, metadata={"doc_id": d.id, "title": d.meta.title,
                                                              "jurisdiction": d.meta.jurisdiction,
                                                              "kind": d.meta.kind})
                   for d in docs]
        self._docs = {d.id: d for d in docs}
        self._index = VectorStoreIndex.from_documents(li_docs, embed_model=embedder.as_llama_index(),
                                                      transformations=[splitter])

    def search(self, query: str, *, k: int = 10, jurisdictions: Sequence[str] | None = None) -> list[Hit]:
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

        filters = None
        if jurisdictions:
            filters = MetadataFilters(filters=[MetadataFilter(key="jurisdiction", value=list(jurisdictions),
                                                              operator=FilterOperator.IN)])
        nodes = self._index.as_retriever(similarity_top_k=k, filters=filters).retrieve(normalize_query(query))
        hits = []
        for rank, nws in enumerate(nodes, start=1):
            node = nws.node
            doc = self._docs[node.metadata["doc_id"]]
            text = node.get_content()
            start = node.start_char_idx if node.start_char_idx is not None else max(doc.text.find(text), 0)
            end = node.end_char_idx if node.end_char_idx is not None else start + len(text)
            # a node spans several articles and carries no label of ours: relevance is judged
            # by how much of an article it covers (retrieval_eval.is_relevant)
            hits.append(Hit(Chunk(id=f"node:{node.node_id}", doc_id=doc.id, article="",
                                  article_number=0, text=text, start=start,
                                  end=end, jurisdiction=doc.meta.jurisdiction, kind=doc.meta.kind,
                                  title=doc.meta.title),
                            float(nws.score or 0.0), {"llamaindex": rank}))
        return hits


def hit_to_dict(hit: Hit, *, text: bool = True) -> dict:
    """A hit as JSON (CLI, API)."""
    c = hit.chunk
    out = {"chunk_id": c.id, "doc_id": c.doc_id, "title": c.title, "jurisdiction": c.jurisdiction,
           "kind": c.kind, "chapter": c.chapter, "article": c.article, "article_number": c.article_number,
           "start": c.start, "end": c.end, "score": round(hit.score, 6), "ranks": dict(hit.ranks)}
    if text:
        out["text"] = c.text
    return out
