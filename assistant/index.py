"""Index build: Article/Section chunks → BM25 (jieba tokens) + m3e embeddings in chromadb.

Layout of ``settings.index_dir``::

    current.json            pointer: the serving build (and, in server mode, its collection)
    builds/<build-id>/      params.json (model, chunking, tokenizer, store, chunk hashes),
                            chunks.jsonl, bm25/ (bm25s arrays), chroma/ (embedded mode),
                            vectors.f32 + vector_rows.npy (every chunk and sentence vector)
    cache/embeddings.sqlite embeddings keyed by model + text, shared by every build
    cache/tokens.sqlite     BM25 tokens keyed by tokenizer fingerprint + text, likewise

A build is written to ``builds/<id>.tmp``, renamed to ``builds/<id>`` and only then made
current by replacing ``current.json`` (``os.replace``), so a crash mid-build leaves the
previous index serving. In server mode (``settings.chroma_url``) the vectors go to a new
collection ``<collection>-<id>``; the pointer switches to it and the old one is dropped.
llama-index and chromadb types stay inside this module and ``retrieve.py``.

Vectors: chromadb holds one vector per chunk (its HNSW graph is what a query process keeps in
memory); ``vectors.f32`` holds, per chunk, its vector and one per sentence (title + sentence),
as raw float32 rows that search reads by position (``vector_rows.npy``: chunk i owns rows
``rows[i]:rows[i+1]``, its own vector first). Search takes the nearest chunks from chromadb, or
every chunk of a few documents, and scores them exactly with their sentence rows; the sentence
vectors never enter the HNSW graph, so the graph (and the serving process) is a quarter of the
size it would be with them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import interrupt
from .config import Settings, offline_env
from .errors import (CorpusError, IndexCorruptError, IndexMismatchError, IndexMissingError,
                     StoreUnavailableError)
from .types import Chunk, Document

log = logging.getLogger(__name__)

FORMAT = 2  # 2: sentence vectors in vectors.f32, not in chromadb
CHUNKER = "article-items-v2"  # bump when chunks_from, index_text or the segmenter's sections change
# (v2: an inline enumeration 一是…。二是… in a plan/news paragraph is one section per item)
DENSE = "chunk+sentence-v1"  # a vector per chunk and per sentence (title + sentence)
VECTOR_FILE = "vectors.f32"
ROWS_FILE = "vector_rows.npy"
BM25_PARAMS = {"k1": 0.9, "b": 0.4, "method": "lucene"}  # Anserini's defaults for short passages
_SENTENCE_END = re.compile(r"(?<=[。;!?\n])")
MIN_SENTENCE = 6
POINTER = "current.json"
KEEP_BUILDS = 2  # the serving build and the one before (a reader may still hold it)
# vectors embedded and written to the store per step, so a build's memory does not grow with
# the corpus (holding every vector first took 3.2 GB at 100x the shipped corpus)
STREAM_ENTRIES = 2048


@dataclass(frozen=True)
class IndexReport:
    """What a build did."""

    index_dir: str
    build_id: str
    documents: int
    chunks: int
    vectors: int  # vectors written: one per chunk (chromadb and vectors.f32) and one per sentence (vectors.f32)
    embedded: int  # texts embedded by the model in this build
    cached: int  # texts whose embedding came from the cache
    added: int  # chunk ids new since the previous build
    changed: int  # same id, new text
    removed: int
    model: str
    store: str  # "embedded" or the chroma server URL
    collection: str
    seconds: float
    up_to_date: bool = False  # nothing changed: the previous build was kept

    def as_dict(self) -> dict:
        return asdict(self)


# -- chunking ---------------------------------------------------------------------------

def chunks_from(docs: list[Document], *, max_chars: int) -> list[Chunk]:
    """One chunk per article/section; an article longer than ``max_chars`` is split at item
    boundaries (never inside an item), every part keeping the article's label."""
    out: list[Chunk] = []
    for doc in docs:
        for art in doc.articles:
            for n, (start, end) in enumerate(_parts(doc, art, max_chars), start=1):
                many = (start, end) != (art.start, art.end)
                out.append(Chunk(
                    id=f"{doc.id}#{art.label}" + (f"#{n}" if many else ""),
                    doc_id=doc.id, article=art.label, article_number=art.number,
                    text=doc.text[start:end], start=start, end=end,
                    jurisdiction=doc.meta.jurisdiction, kind=doc.meta.kind,
                    title=doc.meta.title, chapter=art.chapter,
                ))
    return out


def _parts(doc: Document, art, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) spans of an article: whole, or lead-in + items packed up to max_chars."""
    if len(art.text) <= max_chars or len(art.items) < 2:
        return [(art.start, art.end)]
    # an item runs to the next item (or the article's end, keeping any closing sentence)
    bounds = [it.start for it in art.items] + [art.end]
    pieces = [(bounds[i], bounds[i + 1]) for i in range(len(art.items))]
    pieces[0] = (art.start, pieces[0][1])  # the lead-in goes with the first item
    spans: list[list[int]] = []
    for start, end in pieces:
        if spans and end - spans[-1][0] <= max_chars:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    out = []
    for start, end in spans:
        while end > start and doc.text[end - 1] in "\n ":
            end -= 1
        out.append((start, end))
    return out


def lead_in(doc: Document, chunk: Chunk) -> str:
    """The article's text before its first item (repeated as context for later parts)."""
    art = doc.article(chunk.article)
    if art is None or not art.items or chunk.start == art.start:
        return ""
    return doc.text[art.start: art.items[0].start].strip()


def sentences(chunk: Chunk) -> list[str]:
    """The chunk's sentences (split at 。; ! ? and line ends), each at least MIN_SENTENCE long."""
    parts = [p.strip() for p in _SENTENCE_END.split(chunk.text)]
    return [p for p in parts if len(p) >= MIN_SENTENCE]


def vector_entries(chunk: Chunk, text: str) -> list[tuple[str, str, str]]:
    """(entry id, unit, text to embed): the whole chunk, then each sentence with the title.

    A short question is usually answered by one sentence; a sentence vector matches it far
    better than the vector of a 400-character article (dense hit@3 0.86 → 0.93 on dev)."""
    out = [(chunk.id, "chunk", text)]
    sents = sentences(chunk)
    if len(sents) > 1:
        out += [(f"{chunk.id}~{n}", "sentence", f"{chunk.title} {s}") for n, s in enumerate(sents, 1)]
    return out


def index_text(chunk: Chunk, lead: str = "") -> str:
    """What BM25 and the embedder see: title, chapter and lead-in give an article its context
    (第十四条 alone never says which centre or which city it is about)."""
    head = " ".join(p for p in (chunk.title, chunk.chapter) if p)
    body = f"{lead}\n{chunk.text}" if lead else chunk.text
    return f"{head}\n{body}"


# -- parameters and the pointer ---------------------------------------------------------

def current_params(settings: Settings) -> dict:
    """Everything a build depends on besides the corpus; a mismatch on load is an error."""
    from .embed import model_fingerprint
    from .tokenize import tokenizer_fingerprint

    model = model_fingerprint(settings.embed_model)
    return {
        "format": FORMAT,
        "model": {"name": model["name"], "fingerprint": model["fingerprint"],
                  "setting": settings.embed_model},
        "chunking": {"scheme": CHUNKER, "max_chars": settings.chunk_max_chars, "dense": DENSE},
        "tokenizer": {"fingerprint": tokenizer_fingerprint(), "bm25": BM25_PARAMS},
        "store": store_of(settings),
    }


def store_of(settings: Settings) -> dict:
    url = settings.chroma_url.strip().rstrip("/")
    return {"mode": "server", "url": url} if url else {"mode": "embedded"}


def settings_unchanged(built: dict) -> bool:
    """An index differing from the wanted one only by what this program's code decides (its
    format, its chunking scheme) is rebuilt from the embedding cache without asking; settings the
    user chose (model, chunk size, store) are theirs to rebuild."""
    return built.get("format") == FORMAT and built.get("chunking", {}).get("scheme") == CHUNKER


def mismatch(built: dict, wanted: dict) -> str:
    """'' when an index built with ``built`` params serves ``wanted``; else what differs."""
    if built.get("format") != wanted["format"]:
        return f"索引格式 {built.get('format')} ≠ {wanted['format']} (index format)"
    if built.get("model", {}).get("fingerprint") != wanted["model"]["fingerprint"]:
        return (f"向量模型 {built.get('model', {}).get('name')} ≠ {wanted['model']['name']}"
                f" (embedding model {built.get('model', {}).get('fingerprint')} ≠ {wanted['model']['fingerprint']})")
    if built.get("chunking") != wanted["chunking"]:
        return f"分块参数 {built.get('chunking')} ≠ {wanted['chunking']} (chunking parameters)"
    if built.get("tokenizer") != wanted["tokenizer"]:
        return "分词词典或停用词已改变 (user dictionary or stop-words changed)"
    bs, ws = built.get("store", {}), wanted["store"]
    if bs.get("mode") != ws["mode"] or bs.get("url", "") != ws.get("url", ""):
        return (f"向量库 {bs.get('url') or bs.get('mode')} ≠ {ws.get('url') or ws['mode']}"
                f" (vector store)")
    return ""


def read_pointer(index_dir: Path) -> dict:
    path = Path(index_dir) / POINTER
    if not path.exists():
        raise IndexMissingError(
            f"还没有索引（{index_dir}）。请先运行 `policy-assistant index`。"
            f" No index in {index_dir}: run `policy-assistant index`."
        )
    try:
        pointer = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(pointer, dict) or not pointer.get("build"):
            raise ValueError("no build in pointer")
        return pointer
    except (ValueError, OSError) as exc:
        raise IndexCorruptError(
            f"索引指针 {path} 无法读取（{exc}）。请运行 `policy-assistant index --rebuild`。"
            f" The index pointer is unreadable: run `policy-assistant index --rebuild`."
        ) from None


def read_build(index_dir: Path, pointer: dict) -> tuple[Path, dict]:
    """The serving build folder and its params.json."""
    build = Path(index_dir) / "builds" / pointer["build"]
    try:
        params = json.loads((build / "params.json").read_text(encoding="utf-8"))
        if not isinstance(params, dict) or "chunks" not in params:
            raise ValueError("params.json has no chunk list")
        return build, params
    except (ValueError, OSError) as exc:
        raise IndexCorruptError(
            f"索引 {build} 已损坏或不完整（{exc}）。请运行 `policy-assistant index --rebuild`。"
            f" The index is corrupt or incomplete: run `policy-assistant index --rebuild`."
        ) from None


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# -- chromadb ---------------------------------------------------------------------------

def chroma_client(settings: Settings, *, path: Path | None = None):
    """An embedded PersistentClient at ``path`` or an HttpClient for ``settings.chroma_url``.

    A server that cannot be reached raises StoreUnavailableError (callers never cache a
    client that failed, so the next request tries again)."""
    offline_env()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    from urllib.parse import urlparse

    url = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
    try:
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1",
                                   port=url.port or (443 if url.scheme == "https" else 8000),
                                   ssl=url.scheme == "https", settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - chromadb raises several kinds on a dead server
        raise store_unavailable(settings, exc) from None


def store_unavailable(settings: Settings, exc: Exception) -> StoreUnavailableError:
    return StoreUnavailableError(
        f"无法连接向量库服务器 {settings.chroma_url}（{type(exc).__name__}: {str(exc)[:120]}）。"
        f"请确认 `chroma run` 正在运行，或去掉 --chroma-url / PA_CHROMA_URL 使用本地索引。"
        f" Cannot reach the chromadb server at {settings.chroma_url}: start it (`chroma run`)"
        f" or unset PA_CHROMA_URL."
    )


def is_connection_error(exc: Exception) -> bool:
    """Does this chromadb/httpx exception mean the server is unreachable?"""
    names = {c.__name__ for c in type(exc).__mro__}
    if names & {"ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError",
                "ReadError", "WriteError", "TimeoutException", "NetworkError",
                "ConnectionError", "OSError"}:
        return True
    text = str(exc).lower()
    return "connect" in text or "connection" in text


def collection_name(settings: Settings, build_id: str) -> str:
    return f"{settings.collection}-{build_id}" if settings.chroma_url else settings.collection


def _chunk_metadata(chunk: Chunk, unit: str) -> dict:
    return {"chunk": chunk.id, "unit": unit, "doc": chunk.doc_id, "jurisdiction": chunk.jurisdiction, "kind": chunk.kind,
            "article": chunk.article, "article_number": chunk.article_number,
            "title": chunk.title, "chapter": chunk.chapter, "start": chunk.start,
            "end": chunk.end, "content_hash": chunk.content_hash}


def _write_vectors(collection, entries: list[tuple[Chunk, str, str, str]], vectors) -> None:
    """Add one node per chunk entry (unit "chunk") with its embedding through llama-index's
    ChromaVectorStore; metadata carries the chunk id and the filter keys. Sentence entries
    go to the vector file only."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    store = ChromaVectorStore(chroma_collection=collection)
    nodes = []
    for (chunk, entry_id, unit, text), vec in zip(entries, vectors):
        if unit != "chunk":
            continue
        nodes.append(TextNode(id_=entry_id, text=text, embedding=list(vec), metadata=_chunk_metadata(chunk, unit),
                              relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc_id)}))
    # chromadb rejects one add() over its max batch size (5461 embedded): about 9× the shipped corpus
    batch = max_batch_size(collection)
    for at in range(0, len(nodes), batch):
        store.add(nodes[at:at + batch])


def _embed_and_write(collection, chunks: list[Chunk], texts: list[str], embedder, vector_file, *,
                     total: int, progress: bool = False) -> int:
    """Embed (cache first) and write the chunks' vector entries STREAM_ENTRIES at a time: chunk
    vectors to the collection, every vector to ``vector_file`` (float32 rows, in entry order).
    Entries are made step by step too, so a build never holds the whole corpus' sentence texts.
    Returns how many texts the model embedded (the rest came from the cache)."""
    import numpy as np

    embedded = 0
    steps = max(1, -(-total // STREAM_ENTRIES))
    for step, part in enumerate(_entry_steps(chunks, texts), start=1):
        interrupt.check()
        desc = "向量化 embedding" + (f" {step}/{steps}" if steps > 1 else "")
        vectors, n = embedder.embed_texts_counted([e[3] for e in part], progress=progress, desc=desc)
        _write_vectors(collection, part, vectors)
        vector_file.write(np.asarray(vectors, dtype="<f4").tobytes())
        embedded += n
    return embedded


def _entry_steps(chunks: list[Chunk], texts: list[str]):
    """Lists of STREAM_ENTRIES (chunk, entry id, unit, text) in entry order (the last shorter)."""
    part: list[tuple[Chunk, str, str, str]] = []
    for chunk, text in zip(chunks, texts):
        part.extend((chunk, *e) for e in vector_entries(chunk, text))
        while len(part) >= STREAM_ENTRIES:
            yield part[:STREAM_ENTRIES]
            part = part[STREAM_ENTRIES:]
    if part:
        yield part


def vector_rows(chunks: list[Chunk]):
    """Row offsets into the vector file: chunk i owns rows[i]:rows[i+1] (int64, len+1)."""
    import numpy as np

    rows = np.zeros(len(chunks) + 1, dtype=np.int64)
    rows[1:] = np.cumsum([len(vector_entries(c, "")) for c in chunks])
    return rows


def max_batch_size(collection, default: int = 1000) -> int:
    """The largest add() the collection's client accepts."""
    try:
        return max(1, int(collection._client.get_max_batch_size()))
    except Exception:  # noqa: BLE001 - older clients lack it; a small batch is always accepted
        return default


# -- build ------------------------------------------------------------------------------

@contextlib.contextmanager
def _build_lock(index_dir: Path):
    """One build at a time per index folder (a second one waits)."""
    import fcntl

    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_index(settings: Settings, docs: list[Document] | None = None, *, rebuild: bool = False,
                progress: bool = True) -> IndexReport:
    """Build (or bring up to date) the index of ``docs`` (default: the corpus).

    Without ``rebuild`` an index built with other parameters is an IndexMismatchError and an
    index whose chunks are all unchanged is kept as is. Embeddings come from the cache when
    the same text was embedded by the same model before.
    """
    t0 = time.perf_counter()
    offline_env()
    if docs is None:
        from .corpus import load_corpus

        docs = load_corpus(settings)
    index_dir = Path(settings.index_dir)
    wanted = current_params(settings)
    chunks = chunks_from(docs, max_chars=settings.chunk_max_chars)
    hashes = {c.id: c.content_hash for c in chunks}
    if len(hashes) != len(chunks):
        dup = sorted({c.id for c in chunks if sum(1 for d in chunks if d.id == c.id) > 1})
        raise CorpusError(f"分块 id 重复 {dup[:3]}：同一文档中有重复的条文标签。"
                          f" Duplicate chunk ids {dup[:3]}: a document repeats an article label.")
    with _build_lock(index_dir):
        # holding the lock, no build is running: any staging folder is a killed build's leftover
        if (index_dir / "builds").is_dir():
            _sweep_tmp(index_dir / "builds")
        previous = _previous(index_dir)
        old_hashes = previous[1].get("chunks", {}) if previous else {}
        if previous and not rebuild:
            why = mismatch(previous[1], wanted)
            if why and not settings_unchanged(previous[1]):
                # an index written by an older version of this program: nothing the user chose
                # changed, so rebuild it (every vector still comes from the embedding cache)
                log.warning("索引格式或分块方案已更新（%s），重建索引（向量取自缓存）。"
                            " The index format or chunking scheme changed (%s): rebuilding from the embedding cache.",
                            why, why)
            elif why:
                raise IndexMismatchError(
                    f"现有索引与当前设置不一致：{why}。请运行 `policy-assistant index --rebuild`。"
                    f" The index was built with other settings ({why}): run `policy-assistant index --rebuild`."
                )
            if not why and old_hashes == hashes and _healthy(settings, previous):
                return IndexReport(
                    index_dir=str(index_dir), build_id=previous[2]["build"], documents=len(docs),
                    chunks=len(chunks), vectors=previous[1].get("vector_rows", 0), embedded=0,
                    cached=0, added=0, changed=0, removed=0,
                    model=wanted["model"]["name"], store=settings.chroma_url or "embedded",
                    collection=previous[2].get("collection", ""),
                    seconds=round(time.perf_counter() - t0, 3), up_to_date=True)
        return _build(settings, docs, chunks, wanted, previous, old_hashes, progress, t0)


def _previous(index_dir: Path):
    """(build dir, params, pointer) of the serving build, or None when there is none usable."""
    try:
        pointer = read_pointer(index_dir)
        build, params = read_build(index_dir, pointer)
        return build, params, pointer
    except (IndexMissingError, IndexCorruptError):
        return None


def _healthy(settings: Settings, previous) -> bool:
    """Is the serving build complete enough to keep (files present, vectors counted)?"""
    build, params, pointer = previous
    if not (build / "chunks.jsonl").exists() or not (build / "bm25").is_dir() or not (build / ROWS_FILE).exists():
        return False
    try:
        if (build / VECTOR_FILE).stat().st_size % (4 * max(1, params.get("vector_rows", 0))):
            return False
    except OSError:
        return False
    try:
        client = chroma_client(settings, path=build / "chroma")
        try:
            count = client.get_collection(pointer.get("collection") or settings.collection).count()
        finally:
            _close(client)
        return count == sum(params.get("vectors", {}).values())
    except StoreUnavailableError:
        raise
    except Exception:  # noqa: BLE001 - a broken store means: rebuild it
        return False


def _close(client) -> None:
    with contextlib.suppress(Exception):
        client.close()


def _new_build_id() -> str:
    """A build id that sorts by creation time (_prune keeps the newest by name): microseconds,
    so two builds within one second do not fall back to the order of their random suffixes (a
    clean-clone CI run saw the build just made dropped and the one before it kept). An id of the
    older second-resolution form sorts before a new one of the same second ('-' < any digit)."""
    global _last_build_time
    now = dt.datetime.now(dt.timezone.utc)
    if _last_build_time is not None and now <= _last_build_time:  # the clock did not move: still later
        now = _last_build_time + dt.timedelta(microseconds=1)
    _last_build_time = now
    return now.strftime("%Y%m%dt%H%M%S%f") + "-" + secrets.token_hex(3)


_last_build_time: dt.datetime | None = None


def _build(settings, docs, chunks, wanted, previous, old_hashes, progress, t0) -> IndexReport:
    import bm25s

    # bm25s sets its own logger to DEBUG when imported ("Building index from tokens" in the CLI)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    from .embed import get_embedder
    from .tokenize import tokenize_many

    index_dir = Path(settings.index_dir)
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    _sweep_tmp(builds)
    build_id = _new_build_id()
    staging = builds / f"{build_id}.tmp"
    staging.mkdir()
    by_id = {d.id: d for d in docs}
    texts = [index_text(c, lead_in(by_id[c.doc_id], c)) for c in chunks]
    try:
        retriever = bm25s.BM25(**BM25_PARAMS)
        tokens = tokenize_many(texts, cache_path=index_dir / "cache" / "tokens.sqlite")
        retriever.index([t or [""] for t in tokens], show_progress=False)
        retriever.save(str(staging / "bm25"), show_progress=False)
        del tokens, retriever  # not needed while embedding (the longest step)

        with open(staging / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for chunk, text in zip(chunks, texts):
                fh.write(json.dumps({**asdict(chunk), "index_text": text}, ensure_ascii=False) + "\n")

        import numpy as np

        rows = vector_rows(chunks)
        total = int(rows[-1])
        np.save(staging / ROWS_FILE, rows)
        collection = collection_name(settings, build_id)
        client = chroma_client(settings, path=staging / "chroma")
        try:
            try:
                coll = client.create_collection(collection, metadata={"hnsw:space": "cosine"})
                embedder = get_embedder(settings.embed_model, cache_path=index_dir / "cache" / "embeddings.sqlite")
                with open(staging / VECTOR_FILE, "wb") as vector_file:
                    embedded = _embed_and_write(coll, chunks, texts, embedder, vector_file, total=total,
                                                progress=progress)
            except StoreUnavailableError:
                raise
            except Exception as exc:  # noqa: BLE001
                if settings.chroma_url and is_connection_error(exc):
                    raise store_unavailable(settings, exc) from None
                raise
        finally:
            _close(client)

        params = {**wanted, "build": build_id, "collection": collection,
                  "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                  "documents": {d.id: d.content_hash for d in docs},
                  # entries in chromadb (one per chunk) per document; vector_rows: rows of vectors.f32
                  "vectors": {d.id: sum(1 for c in chunks if c.doc_id == d.id) for d in docs},
                  "vector_rows": total,
                  "chunks": {c.id: c.content_hash for c in chunks}}
        _write_json_atomic(staging / "params.json", params)
        interrupt.check()  # a stop requested while building: never switch to this build
        final = builds / build_id
        os.replace(staging, final)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if settings.chroma_url and not isinstance(exc, StoreUnavailableError):
            _drop_collection(settings, collection_name(settings, build_id))  # a half-written one
        raise
    # the switch: from here on readers get the new build
    _write_json_atomic(index_dir / POINTER, {"build": build_id, "collection": collection,
                                             "store": wanted["store"]})
    # the previous build (and its server collection) stays for readers that still hold it
    for gone in _prune(builds, keep=build_id):
        if settings.chroma_url and gone.get("collection") not in (None, collection):
            _drop_collection(settings, gone["collection"])
    new, old = {c.id: c.content_hash for c in chunks}, old_hashes
    return IndexReport(
        index_dir=str(index_dir), build_id=build_id, documents=len(docs), chunks=len(chunks),
        vectors=total, embedded=embedded, cached=total - embedded,
        added=len(new.keys() - old.keys()), removed=len(old.keys() - new.keys()),
        changed=sum(1 for k in new.keys() & old.keys() if new[k] != old[k]),
        model=wanted["model"]["name"], store=settings.chroma_url or "embedded",
        collection=collection, seconds=round(time.perf_counter() - t0, 3))


def _drop_collection(settings: Settings, name: str) -> None:
    try:
        client = chroma_client(settings)
        with contextlib.suppress(Exception):
            client.delete_collection(name)
    except StoreUnavailableError as exc:
        log.warning("%s", exc)


def _sweep_tmp(builds: Path) -> None:
    """Remove staging folders left by a crashed build."""
    for p in builds.glob("*.tmp"):
        shutil.rmtree(p, ignore_errors=True)


def _prune(builds: Path, *, keep: str) -> list[dict]:
    """Delete all but the newest KEEP_BUILDS builds; the params of the deleted ones."""
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                  key=lambda p: p.name)
    others = [p for p in done if p.name != keep]
    gone = []
    for p in others[: max(0, len(others) - (KEEP_BUILDS - 1))]:
        try:
            gone.append(json.loads((p / "params.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
        shutil.rmtree(p, ignore_errors=True)
    return gone


def describe(report: IndexReport) -> str:
    """One human line for the CLI."""
    if report.up_to_date:
        return (f"索引已是最新 index up to date: {report.chunks} 个分块 chunks · {report.documents} 个文档"
                f" · {report.model} · {report.store} ({report.seconds:.2f}s)")
    return (f"已建索引 indexed {report.chunks} 个分块 chunks from {report.documents} 个文档 documents"
            f" · {report.vectors} 个向量 vectors (新 embedded {report.embedded}, 缓存 cached {report.cached})"
            f" · +{report.added} ~{report.changed} -{report.removed}"
            f" · {report.model} · {report.store} → {report.index_dir} ({report.seconds:.2f}s)")


if __name__ == "__main__":  # pragma: no cover
    print(describe(build_index(Settings.from_env(), rebuild="--rebuild" in sys.argv)))
