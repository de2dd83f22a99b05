"""Baselines side by side on the same dev questions, in one fresh process.

BM25 only, dense only, llama-index's default pipeline (VectorStoreIndex over SentenceSplitter
nodes, same m3e embedder: ``assistant.retrieve.DefaultPipeline``) and this project's hybrid
search — quality from ``assistant.retrieval_eval.retrieval_metrics`` (the project's own
judging rule), latency timed here with the same k and the same jurisdiction filters (taken
from the question text, as the engine does). The answer engine is a row too: its citations
judged the same way, its latency the whole ``ask``.

    python -m bench.baselines --corpus corpus --index /tmp/idx --questions evals/dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .report import peak_rss_mb, summary_ms
from .scale import _Cited, first_rank, forget_queries, rank_metrics, run_worker

K = 10  # retrieval_metrics ranks to depth max(ks, MRR@10) = 10; latency is timed at the same k
LABELS = {"bm25": "BM25 only", "dense": "dense only (m3e)", "llamaindex": "llama-index default",
          "hybrid": "hybrid (this project)", "engine": "answer engine (this project)"}


def measure(*, corpus: Path, index: Path, questions: Path, limit: int | None = None, ask: bool = True) -> dict:
    from assistant.config import Settings, offline_env
    from assistant.corpus import load_corpus
    from assistant.retrieval_eval import load_questions, question_filters, retrieval_metrics
    from assistant.retrieve import DefaultPipeline, Retriever

    offline_env()
    settings = Settings.from_env(corpus_dir=corpus, index_dir=index)
    qs = load_questions(questions)
    qs = qs[:limit] if limit else qs
    scored = [q for q in qs if q.get("gold_citations")]
    docs = load_corpus(settings)
    by_id = {d.id: d for d in docs}
    retriever = Retriever.load(settings)
    t = time.perf_counter()
    pipeline = DefaultPipeline(docs, retriever.embedder)
    pipeline_build_s = time.perf_counter() - t

    quality = retrieval_metrics(qs, retriever, modes=("bm25", "dense", "hybrid", "llamaindex"), ks=(1, 3, 5), docs=docs)
    filters = {id(q): question_filters(q["question"], retriever.jurisdictions) or None for q in scored}
    for q in scored[:3]:  # warm-up (model and store) before timing
        retriever.search(q["question"], k=K)
        pipeline.search(q["question"], k=K)
    rows = []
    for mode in ("bm25", "dense", "llamaindex", "hybrid"):
        forget_queries(retriever.embedder)  # every mode pays for its query embedding
        lat = []
        for q in scored:
            t = time.perf_counter()
            if mode == "llamaindex":
                pipeline.search(q["question"], k=K, jurisdictions=filters[id(q)])
            else:
                retriever.search(q["question"], k=K, jurisdictions=filters[id(q)], mode=mode)
            lat.append((time.perf_counter() - t) * 1000)
        m = quality["modes"][mode]
        s = summary_ms(lat)
        rows.append({"name": LABELS[mode], "mode": mode, "hit1": m["hit@1"], "hit3": m["hit@3"], "hit5": m["hit@5"],
                     "mrr": m["mrr@10"], "p50_ms": s["p50"], "p95_ms": s["p95"], "mean_ms": s["mean"],
                     "note": ("SentenceSplitter defaults (1024 tokens, overlap 200), in-memory vector store; "
                              f"built in {pipeline_build_s:.1f} s") if mode == "llamaindex" else ""})
    named = [row["ranks"].get("hybrid", 0) for row in quality["per_question"] if row["jurisdictions"]]
    out = {"n_questions": quality["questions"], "k": K, "filters": quality["filters"], "rows": rows,
           "pipeline_build_s": round(pipeline_build_s, 2),
           "hybrid_naming_a_jurisdiction": {"hit3": round(sum(1 for r in named if 0 < r <= 3) / max(1, len(named)), 3),
                                            "n": len(named)}}
    if ask:
        from assistant.engine import Engine

        engine = Engine.load(settings)
        for q in scored[:3]:
            engine.ask(q["question"])
        forget_queries(engine.retriever.embedder)
        lat, ranks = [], []
        for q in scored:
            t = time.perf_counter()
            answer = engine.ask(q["question"])
            lat.append((time.perf_counter() - t) * 1000)
            ranks.append(first_rank([_Cited(c) for c in answer.citations], q["gold_citations"], by_id))
        m, s = rank_metrics(ranks), summary_ms(lat)
        rows.append({"name": LABELS["engine"], "mode": "engine", "hit1": m["hit1"], "hit3": m["hit3"], "hit5": m["hit5"],
                     "mrr": m["mrr"], "p50_ms": s["p50"], "p95_ms": s["p95"], "mean_ms": s["mean"],
                     "note": "citations of the answer (ranked as cited); latency is the whole ask (retrieve + compose + check)"})
    ref = next(r for r in rows if r["mode"] == "hybrid")
    for r in rows:
        r["latency_vs_hybrid"] = round(r["p50_ms"] / ref["p50_ms"], 2) if ref["p50_ms"] and r["p50_ms"] else None
        r["hit3_vs_hybrid"] = round(r["hit3"] / ref["hit3"], 2) if ref["hit3"] else None
    out["reference"] = LABELS["hybrid"]
    out["reference_ms"] = ref["p50_ms"]
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def run_baselines(*, corpus: Path, index: Path, questions: Path, limit: int | None = None, ask: bool = True) -> dict:
    """``measure`` in a fresh process (so nothing another part loaded skews the timings)."""
    args = ["--corpus", str(corpus), "--index", str(index), "--questions", str(questions)]
    if limit:
        args += ["--limit", str(limit)]
    if not ask:
        args.append("--no-ask")
    return run_worker(args, timeout=3600, module="bench.baselines")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.baselines", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True, type=Path)
    p.add_argument("--index", required=True, type=Path)
    p.add_argument("--questions", required=True, type=Path)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--no-ask", action="store_true")
    args = p.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)
    result = measure(corpus=args.corpus, index=args.index, questions=args.questions, limit=args.limit, ask=not args.no_ask)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
