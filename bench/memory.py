"""Where a query process' memory goes: ``python -m bench.memory CORPUS_DIR INDEX_DIR [--build DIR]``.

Loads the serving process' parts one at a time — the embedding model, the corpus, the rules
table, the chunk list, the BM25 arrays, the retriever's structures, the engine, then the
vector store — and prints the process' RSS and peak RSS (VmHWM) after each, then after the
dev questions are searched and asked. The peak RSS target is about the whole; this says which
part to cut. ``--build`` points at a build folder whose vectors are still being written (a
long build's staging folder ``builds/<id>.tmp``): then every part but the vector store is
measured at full size, the vector store is skipped, and searches use BM25 alone — say so when
quoting the figures. ``--json`` prints the steps as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .scale import ROOT, load_questions


def _status() -> dict:
    with open("/proc/self/status", encoding="ascii") as fh:
        return {line.split(":")[0]: int(line.split()[1]) // 1024 for line in fh if line.startswith(("VmRSS", "VmHWM"))}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("index", type=Path)
    p.add_argument("--build", type=Path, default=None, help="a build folder without its vector store yet (staging)")
    p.add_argument("--questions", type=Path, default=ROOT / "evals" / "dev.jsonl")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    steps: list[dict] = []

    def step(name: str) -> None:
        s = _status()
        steps.append({"step": name, "rss_mb": s["VmRSS"], "peak_mb": s["VmHWM"], "at_s": round(time.perf_counter() - t0, 1)})
        if not args.json:
            print(f"{name:34s} RSS {s['VmRSS']:6,d} MB   peak {s['VmHWM']:6,d} MB   {steps[-1]['at_s']:7.1f} s", flush=True)

    from assistant.config import Settings, offline_env
    from assistant.corpus import load_corpus
    from assistant.embed import get_embedder
    from assistant.engine import Engine
    from assistant.retrieve import Retriever
    from assistant.rules import build_rules_table

    offline_env()
    settings = Settings.from_env(corpus_dir=args.corpus, index_dir=args.index)
    step("imports")
    embedder = get_embedder(settings.embed_model)
    embedder.load()
    step("embedding model")
    docs = load_corpus(settings)
    step(f"corpus ({len(docs):,} documents)")
    table = build_rules_table(docs)
    step(f"rules table ({len(table.rules):,} rows)")
    if args.build is None:
        retriever = Retriever.load(settings, warm=False)
        step(f"chunks + BM25 + rows ({len(retriever.chunks):,} chunks)")
        retriever.check_store()
        step("vector store opened (HNSW graph)")
        mode = "hybrid"
    else:
        retriever = _partial_retriever(settings, args.build, embedder)
        step(f"chunks + BM25 + rows ({len(retriever.chunks):,} chunks)")
        mode = "bm25"
    engine = Engine(settings, docs, table, retriever)
    step("engine (lexicon, composer)")
    questions = [q["question"] for q in load_questions(args.questions)]
    for q in questions:
        retriever.search(q, k=5, mode=mode)
    step(f"{len(questions)} searches ({mode})")
    if mode != "hybrid":
        search = retriever.search
        retriever.search = lambda text, **kw: search(text, **{**kw, "mode": mode})
    for q in questions:
        engine.ask(q)
    step(f"{len(questions)} asks")
    if args.json:
        print(json.dumps({"corpus": str(args.corpus), "vector_store": args.build is None, "steps": steps}, indent=1))
    return 0


def _partial_retriever(settings, build: Path, embedder):
    """The retriever's in-memory parts from a build folder whose vector store is not written
    yet (chunks.jsonl, bm25/ and vector_rows.npy are written before the vectors)."""
    import bm25s
    import numpy as np

    from assistant.index import ROWS_FILE
    from assistant.retrieve import Retriever, _Store, read_chunks

    chunks = read_chunks(build / "chunks.jsonl")
    bm25 = bm25s.BM25.load(str(build / "bm25"), show_progress=False, mmap=True)

    class Rows:  # the real retriever keeps only the row offsets in memory, the rows stay on disk
        rows = np.load(build / ROWS_FILE)

    return Retriever(settings, chunks, bm25, _Store(settings, build / "chroma", ""), {"vectors": {}}, embedder, Rows())


if __name__ == "__main__":
    sys.exit(main())
