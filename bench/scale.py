"""Build and query a corpus in a fresh process; the scale benchmark over synthetic corpora.

Every measurement that needs a clean process (index build, search and ``ask`` latency,
peak RSS) runs in a worker: ``python -m bench.scale build|query ...`` prints one JSON object
on its last stdout line, including the worker's own peak RSS (VmHWM). ``run_scale`` builds
10×/100×/1,000× synthetic corpora in a temporary folder (never the repository's indexes/),
measures each, and extrapolates — clearly labelled — the sizes too slow to build here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .report import dir_size_mb, loglog_slope, growth_words, peak_rss_mb, summary_ms

ROOT = Path(__file__).resolve().parent.parent
WARMUP_QUESTIONS = ("碳计量中心的主要任务有哪些？", "计量数据中心验收需要什么材料", "专家组由几人组成")


def child_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false", "PYTHONUNBUFFERED": "1"})
    env.update(extra or {})
    return env


def run_worker(args: list[str], *, timeout: float, env: dict | None = None, module: str = "bench.scale") -> dict:
    """Run ``python -m MODULE ARGS`` and return its JSON result (+ wall time of the process)."""
    cmd = [sys.executable, "-m", module, *args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(env), capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"worker {module} {' '.join(args[:1])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"worker {' '.join(args[:1])} printed no result:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    result = json.loads(lines[-1])
    result["process_s"] = round(wall, 3)
    return result


# ---------------------------------------------------------------------------------------
# judging retrieval against gold citations


def load_questions(path: Path, *, limit: int | None = None) -> list[dict]:
    from assistant.retrieval_eval import load_questions as load

    out = load(path)
    return out[:limit] if limit else out


def judged(questions: list[dict], original_ids=None) -> list[dict]:
    """Questions retrieval is judged on (as retrieval_eval does: those with gold citations),
    and only when every gold citation is in the original documents."""
    keep = []
    for q in questions:
        golds = q.get("gold_citations") or []
        if not golds:
            continue
        if original_ids is not None and not all(g["doc_id"] in original_ids for g in golds):
            continue
        keep.append(q)
    return keep


class _Cited:
    """A Citation seen as a chunk, so retrieval_eval.is_relevant can judge answer citations."""

    def __init__(self, citation):
        self.doc_id, self.article = citation.doc_id, citation.article
        self.text, self.start, self.end = citation.quote, citation.start, citation.end


def first_rank(chunks, golds: list[dict], docs=None) -> int | None:
    """1-based rank of the first chunk relevant to a gold citation (retrieval_eval's rule)."""
    from assistant.retrieval_eval import is_relevant

    for rank, chunk in enumerate(chunks, start=1):
        if any(is_relevant(chunk, g, docs) for g in golds):
            return rank
    return None


def rank_metrics(ranks: list[int | None], ks=(1, 3, 5)) -> dict:
    n = max(1, len(ranks))
    out = {f"hit{k}": round(sum(1 for r in ranks if r and r <= k) / n, 3) for k in ks}
    out["mrr"] = round(sum(1 / r for r in ranks if r and r <= 10) / n, 3)
    out["n"] = len(ranks)
    return out


# ---------------------------------------------------------------------------------------
# workers (run in a fresh process)


class profiled:
    """Profile a block with pyinstrument when ``path`` is set (the session is saved there)."""

    def __init__(self, path: str | None):
        self.path, self.profiler = path, None

    def __enter__(self):
        if self.path:
            from pyinstrument import Profiler

            self.profiler = Profiler(interval=0.001)
            self.profiler.start()
        return self

    def __exit__(self, *exc):
        if self.profiler is not None:
            self.profiler.stop()
            self.profiler.last_session.save(self.path)
        return False


def _settings(args):
    from assistant.config import Settings

    over = {"corpus_dir": args.corpus, "index_dir": args.index}
    if getattr(args, "chroma_url", None):
        over["chroma_url"] = args.chroma_url
    return Settings.from_env(**over)


def worker_build(args) -> dict:
    """Build the index of a corpus; time the embedding separately (chars/s)."""
    t_import = time.perf_counter()
    from assistant import embed as embed_mod
    from assistant.corpus import load_corpus
    from assistant.index import build_index, chunks_from

    timing = {"embed_s": 0.0, "embed_chars": 0, "model_load_s": 0.0}
    orig_counted, orig_load = embed_mod.Embedder.embed_texts_counted, embed_mod.Embedder.load

    def counted(self, texts, **kw):  # measure only; the call itself is unchanged
        t = time.perf_counter()
        vecs, n = orig_counted(self, texts, **kw)
        timing["embed_s"] += time.perf_counter() - t
        # a build embeds in steps (index.STREAM_ENTRIES): add the steps up
        timing["embed_texts"] = timing.get("embed_texts", 0) + len(texts)
        timing["embedded"] = timing.get("embedded", 0) + n
        timing["embed_chars"] += sum(len(t) for t in texts)
        return vecs, n

    def load(self):
        t = time.perf_counter()
        was = self._hf is not None
        out = orig_load(self)
        if not was:
            timing["model_load_s"] += time.perf_counter() - t
        return out

    embed_mod.Embedder.embed_texts_counted, embed_mod.Embedder.load = counted, load
    settings = _settings(args)
    imports_s = time.perf_counter() - t_import
    t0 = time.perf_counter()
    docs = load_corpus(settings)
    corpus_s = time.perf_counter() - t0
    chunks = chunks_from(docs, max_chars=settings.chunk_max_chars)
    chunk_chars = sum(len(c.text) for c in chunks)
    unique = len({c.text for c in chunks})
    t1 = time.perf_counter()
    with profiled(args.profile):
        report = build_index(settings, docs, rebuild=args.rebuild, progress=False)
    build_s = time.perf_counter() - t1
    index_dir = Path(settings.index_dir)
    serving = index_dir / "builds" / report.build_id
    embed_compute_s = max(0.0, timing["embed_s"] - timing["model_load_s"])
    return {
        "documents": report.documents, "chunks": report.chunks, "vectors": getattr(report, "vectors", report.chunks),
        "embedded": report.embedded,
        "cached": report.cached, "unique_chunk_texts": unique, "chunk_chars": chunk_chars,
        "imports_s": round(imports_s, 3), "corpus_load_s": round(corpus_s, 3),
        "build_s": round(build_s + corpus_s, 3), "build_index_s": round(build_s, 3),
        "embed_s": round(timing["embed_s"], 3), "model_load_s": round(timing["model_load_s"], 3),
        "embed_text_chars": timing["embed_chars"],  # what the model sees: title + chapter + lead-in + chunk
        "embed_chars_per_s": (round(timing["embed_chars"] / embed_compute_s, 1)
                              if timing.get("embedded") and timing.get("embedded") == timing.get("embed_texts")
                              and embed_compute_s else None),
        "embed_texts_per_s": (round(timing["embed_texts"] / embed_compute_s, 1)
                              if timing.get("embedded") and timing.get("embedded") == timing.get("embed_texts")
                              and embed_compute_s else None),
        "disk_mb": round(dir_size_mb(serving), 2) if serving.exists() else None,
        "cache_mb": round(dir_size_mb(index_dir / "cache"), 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def forget_queries(embedder) -> None:
    """Empty the embedder's query-vector LRU, so a second pass over the same questions pays
    for its query embeddings like the first (a benchmark reset, not part of the product)."""
    cache = getattr(embedder, "_queries", None)
    if hasattr(cache, "clear"):
        cache.clear()


def worker_query(args) -> dict:
    """Load the retriever (and the engine); search and ask the questions; report latency + RSS."""
    from assistant.corpus import load_corpus
    from assistant.retrieval_eval import question_filters
    from assistant.retrieve import Retriever

    settings = _settings(args)
    questions = load_questions(Path(args.questions), limit=args.limit)
    originals = set(args.originals.split(",")) if args.originals else None
    engine = None
    t0 = time.perf_counter()
    if args.ask:  # the serving shape: one Engine, searched through its own retriever
        from assistant.engine import Engine

        engine = Engine.load(settings)
        retriever = engine.retriever
    else:
        retriever = Retriever.load(settings)
    load_s = time.perf_counter() - t0
    for q in WARMUP_QUESTIONS:
        retriever.search(q, k=5)
    # the documents judged on: the engine's own (loading the corpus again would add a second
    # copy to the peak RSS this process reports as the serving process')
    docs = {d.id: d for d in (engine.docs if engine else load_corpus(settings))
            if originals is None or d.id in originals}
    out: dict = {("engine_load_s" if engine else "retriever_load_s"): round(load_s, 3),
                 "chunks": len(retriever.chunks)}
    to_judge = {id(q) for q in judged(questions, originals)}
    prof_search = profiled(args.profile if args.profile_part == "search" else None)
    prof_search.__enter__()
    for mode in [m for m in args.modes.split(",") if m]:
        lat, ranks, lat_f, ranks_f, ranks_named = [], [], [], [], []
        forget_queries(retriever.embedder)
        for q in questions:
            t = time.perf_counter()
            hits = retriever.search(q["question"], k=args.k, mode=mode)
            lat.append((time.perf_counter() - t) * 1000)
            if id(q) in to_judge:
                ranks.append(first_rank([h.chunk for h in hits], q["gold_citations"], docs))
        if args.filtered:  # the question's own jurisdictions as a filter, as the engine does
            forget_queries(retriever.embedder)
            for q in questions:
                if id(q) not in to_judge:
                    continue
                juris = question_filters(q["question"], retriever.jurisdictions) or None
                t = time.perf_counter()
                hits = retriever.search(q["question"], k=args.k, mode=mode, jurisdictions=juris)
                lat_f.append((time.perf_counter() - t) * 1000)
                ranks_f.append(first_rank([h.chunk for h in hits], q["gold_citations"], docs))
                if juris:
                    ranks_named.append(ranks_f[-1])
        out[mode] = {"latency_ms": summary_ms(lat), **rank_metrics(ranks)}
        if ranks_f:
            out[mode]["filtered"] = {"latency_ms": summary_ms(lat_f), **rank_metrics(ranks_f),
                                     "naming_a_jurisdiction": rank_metrics(ranks_named)}
    prof_search.__exit__(None, None, None)
    out["search_peak_rss_mb"] = round(peak_rss_mb(), 1)
    if engine is not None:
        for q in WARMUP_QUESTIONS:
            engine.ask(q)
        forget_queries(retriever.embedder)  # the engine shares the process-wide embedder
        stages: dict[str, list[float]] = {"retrieve": [], "compose": [], "check": [], "total": [], "wall": []}
        cite_ranks = []
        asked = questions[: args.ask]
        prof_ask = profiled(args.profile if args.profile_part == "ask" else None)
        prof_ask.__enter__()
        for q in asked:
            t = time.perf_counter()
            answer = engine.ask(q["question"])
            stages["wall"].append((time.perf_counter() - t) * 1000)
            for key in ("retrieve", "compose", "check", "total"):
                value = (answer.timings_ms or {}).get(key)
                if value is not None:
                    stages[key].append(float(value))
            if id(q) in to_judge:
                cite_ranks.append(first_rank([_Cited(c) for c in answer.citations], q["gold_citations"], docs))
        prof_ask.__exit__(None, None, None)
        out["ask"] = {"n": len(asked), "stages": {k: summary_ms(v) for k, v in stages.items() if v},
                      "citations": rank_metrics(cite_ranks)}
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if args.also_index:
        import copy

        other = copy.copy(args)
        other.index, other.chroma_url, other.also_index, other.ask = args.also_index, "", "", 0
        out["also"] = worker_query(other)
    return out


def _worker_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description="bench worker (one measurement per process)")
    sub = p.add_subparsers(dest="kind", required=True)
    b = sub.add_parser("build")
    q = sub.add_parser("query")
    for sp in (b, q):
        sp.add_argument("--corpus", required=True)
        sp.add_argument("--index", required=True)
        sp.add_argument("--chroma-url", default="")
    b.add_argument("--rebuild", action="store_true")
    for sp in (b, q):
        sp.add_argument("--profile", default=None, help="save a pyinstrument session of the measured block here")
    q.add_argument("--profile-part", default="ask", choices=("search", "ask"))
    q.add_argument("--also-index", default="", help="then measure this (embedded) index too, in the same process")
    q.add_argument("--questions", required=True)
    q.add_argument("--limit", type=int, default=None)
    q.add_argument("--modes", default="hybrid")
    q.add_argument("--originals", default="")
    q.add_argument("--filtered", action="store_true")
    q.add_argument("--k", type=int, default=5)
    q.add_argument("--ask", type=int, default=0, help="ask the first N questions through the engine")
    args = p.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)
    from assistant.config import offline_env

    offline_env()
    result = worker_build(args) if args.kind == "build" else worker_query(args)
    print(json.dumps(result, ensure_ascii=False))
    return 0


# ---------------------------------------------------------------------------------------
# the scale benchmark


def run_scale(*, work: Path, questions: Path, factors=(10, 100, 1000), budget_min: float = 40.0,
              ask_n: int = 100000, limit: int | None = None, src_corpus: Path | None = None,
              keep_largest: bool = False, always_run: int = 100, log=print) -> dict:
    """Build and query each synthetic corpus; extrapolate the ones over the time budget.

    Factors up to ``always_run`` are always built; a larger one only when its build time,
    estimated from the previous size's rate, fits in ``budget_min`` minutes. With
    ``keep_largest`` the largest measured corpus and index stay on disk (for profiling);
    their paths are returned under ``largest``.
    """
    from assistant.config import Settings

    from .synth import make_corpus

    src = Settings.from_env(corpus_dir=src_corpus) if src_corpus else Settings.from_env()
    largest = None
    rows: list[dict] = []
    notes: list[str] = []
    per_char_s = None  # build seconds per corpus character, from the largest measured size
    for factor in factors:
        corpus_dir, index_dir = work / f"scale-{factor}x" / "corpus", work / f"scale-{factor}x" / "indexes"
        t0 = time.perf_counter()
        synth = make_corpus(src, corpus_dir, factor=factor)
        gen_s = time.perf_counter() - t0
        row = {"factor": factor, "docs": synth.n_docs, "chars": synth.chars, "generate_s": round(gen_s, 2)}
        if per_char_s is not None and factor > always_run:
            estimate = per_char_s * synth.chars
            row["build_estimate_s"] = round(estimate, 1)
            if estimate > budget_min * 60:
                row["measured"] = False
                rows.append(row)
                notes.append(f"{factor}× not built: the build would take about {estimate / 60:.0f} min on this machine "
                             f"(estimated from the {rows[-2]['factor']}× build rate, over the {budget_min:.0f}-min budget); "
                             f"its row is an extrapolation, not a measurement.")
                log(f"scale {factor}×: estimated build {estimate / 60:.0f} min > {budget_min:.0f} min, not run (extrapolated)")
                _drop(corpus_dir.parent)
                continue
        log(f"scale {factor}×: {synth.n_docs} docs, {synth.chars:,} chars; building…")
        build = run_worker(["build", "--corpus", str(corpus_dir), "--index", str(index_dir), "--rebuild"],
                           timeout=budget_min * 60 * 2)
        log(f"scale {factor}×: built {build['chunks']} chunks in {build['build_s']:.1f} s; querying…")
        qargs = ["query", "--corpus", str(corpus_dir), "--index", str(index_dir), "--questions", str(questions),
                 "--modes", "hybrid,bm25,dense", "--originals", ",".join(synth.original_ids), "--filtered"]
        if ask_n:
            qargs += ["--ask", str(ask_n)]
        if limit:
            qargs += ["--limit", str(limit)]
        query = run_worker(qargs, timeout=3600)
        hybrid = query["hybrid"]
        row.update({
            "measured": True, "chunks": build["chunks"], "vectors": build.get("vectors"), "unique_chunk_ratio": round(build["unique_chunk_texts"] / build["chunks"], 4),
            "build_s": build["build_s"], "embed_s": build["embed_s"], "embed_chars_per_s": build["embed_chars_per_s"],
            "build_process_s": build["process_s"], "disk_mb": build["disk_mb"], "cache_mb": build["cache_mb"],
            # vectors the model computed in this build / found in the embedding cache (a cache
            # left by an earlier, interrupted build of the same corpus makes build_s a partial figure)
            "embedded": build.get("embedded"), "cached": build.get("cached"),
            "build_peak_rss_mb": build["peak_rss_mb"], "query_peak_rss_mb": query["peak_rss_mb"],
            "search_peak_rss_mb": query["search_peak_rss_mb"],
            "engine_load_s": query.get("engine_load_s"),
            "search_p50_ms": hybrid["latency_ms"]["p50"], "search_p95_ms": hybrid["latency_ms"]["p95"],
            "bm25_p50_ms": query["bm25"]["latency_ms"]["p50"], "dense_p50_ms": query["dense"]["latency_ms"]["p50"],
            "hit1": hybrid["hit1"], "hit3": hybrid["hit3"], "mrr": hybrid["mrr"], "n_judged": hybrid["n"],
            "hit3_filtered": (hybrid.get("filtered") or {}).get("hit3"),
            "hit3_named": ((hybrid.get("filtered") or {}).get("naming_a_jurisdiction") or {}).get("hit3"),
            "n_named": ((hybrid.get("filtered") or {}).get("naming_a_jurisdiction") or {}).get("n"),
            "ask_p50_ms": (query.get("ask") or {}).get("stages", {}).get("total", {}).get("p50"),
            "ask_p95_ms": (query.get("ask") or {}).get("stages", {}).get("total", {}).get("p95"),
            "ask_n": (query.get("ask") or {}).get("n"),
        })
        per_char_s = build["build_s"] / synth.chars
        rows.append(row)
        if largest is not None:
            _drop(Path(largest["index"]).parent)  # only the largest is kept; /tmp stays small
        largest = {"factor": factor, "corpus": str(corpus_dir), "index": str(index_dir)}
    if largest is not None and not keep_largest:
        _drop(Path(largest["index"]).parent)
        largest = None
    growth = growth_of(rows)
    method = ("Each corpus holds the 6 shipped documents unchanged plus (factor − 1) × 6 variants generated from them "
              "(other jurisdiction names, shifted numbers and dates, articles shuffled within chapters and renumbered, "
              "items/sentences reordered, some domain phrases swapped), written as a real corpus folder (text files + "
              "manifest.yaml) and indexed by the real path (load_corpus → build_index) into a temporary folder with a cold "
              "embedding cache. Build and query each run in a fresh process; peak RSS is that process' VmHWM. Search = "
              "Retriever.search(mode=hybrid, k=5) over every dev question without filters (bm25 and dense alone too, "
              "for the breakdown); hit@3 is judged on the originals' "
              "gold citations (questions with gold citations); 'jurisdiction filter' repeats it with the jurisdictions "
              "named in the question as filter (as the engine does), and 'naming a jurisdiction' is that figure over the "
              "questions that name one (a question naming none has every synthetic region's document as an equally good "
              "answer, so it cannot be judged on the originals alone). ask p95 = Engine.ask total over the first dev questions.")
    out = {"rows": rows, "growth": growth, "notes": notes, "method": method}
    if largest:
        out["largest"] = largest
    return out


def _drop(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


_METRICS = ("build_s", "disk_mb", "build_peak_rss_mb", "query_peak_rss_mb", "search_p50_ms", "search_p95_ms", "ask_p95_ms")


_BUILD_COSTS = ("build_s",)


def growth_of(rows: list[dict]) -> dict:
    """Growth words per metric (log-log slope over the measured sizes), and the unmeasured rows
    filled by a straight line (a fixed base + a cost per corpus character) through the two
    largest measured sizes. A straight line, not the sub-linear trend, because the costs that
    grow are linear in the corpus: embedding, disk, the chunk list in memory, and the BM25
    ranking (a Python pass over every chunk per query). Those rows list the keys extrapolated."""

    for r in rows:
        if not r.get("measured"):
            for key in r.pop("extrapolated", []):
                r.pop(key, None)
    rows.sort(key=lambda r: r["factor"])
    measured = [r for r in rows if r.get("measured")]
    growth = {}
    for key in _METRICS:
        # a build that found vectors in the cache of an earlier run says nothing of build cost
        usable = [r for r in measured if r.get(key) and not (key in _BUILD_COSTS and r.get("cached"))]
        xs = [r["chars"] for r in usable]
        ys = [r[key] for r in usable]
        slope = loglog_slope(xs, ys)
        growth[key] = growth_words(slope)
        if slope is None or len(xs) < 2:
            continue
        x1, x2, y1, y2 = xs[-2], xs[-1], ys[-2], ys[-1]
        per_char = max(0.0, (y2 - y1) / (x2 - x1)) if x2 != x1 else 0.0
        for r in rows:
            if not r.get("measured"):
                r[key] = round(y2 + per_char * (r["chars"] - x2), 1)
                r.setdefault("extrapolated", []).append(key)
    return growth



# ---------------------------------------------------------------------------------------
# server mode: the same search against a `chroma run` server on 127.0.0.1


def chroma_executable() -> str | None:
    import shutil

    exe = Path(sys.executable).with_name("chroma")
    return str(exe) if exe.exists() else shutil.which("chroma")


def start_chroma(path: Path, *, timeout: float = 60.0):
    """`chroma run --path PATH --host 127.0.0.1 --port N`; returns (process, url) once it answers."""
    import httpx

    from .load import free_port

    exe = chroma_executable()
    if exe is None:
        raise RuntimeError("the `chroma` executable is not installed (pip install chromadb)")
    port = free_port()
    path.mkdir(parents=True, exist_ok=True)
    log = open(path.parent / "chroma.log", "w")
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=child_env())
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}: {(path.parent / 'chroma.log').read_text()[-2000:]}")
        try:
            if httpx.get(url + "/api/v2/heartbeat", timeout=1.0).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_process(proc)
    raise RuntimeError(f"chroma run did not answer within {timeout:.0f}s")


def stop_process(proc) -> None:
    import signal

    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def run_server_mode(*, corpus: Path, embedded_index: Path, work: Path, questions: Path,
                    limit: int | None = None, embedded_worker: bool = True, log=print) -> dict:
    """Index the corpus into a `chroma run` server (embeddings from the embedded build's cache)
    and compare search latency with the embedded store, both measured in fresh processes
    (the embedded one in the same process as the server one when ``embedded_worker`` is off:
    quicker, for smoke runs)."""
    import shutil

    index_dir = work / "server-mode" / "indexes"
    cache = embedded_index / "cache" / "embeddings.sqlite"
    if cache.exists():  # the same vectors: this part measures search, not embedding
        (index_dir / "cache").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache, index_dir / "cache" / "embeddings.sqlite")
    proc, url = start_chroma(work / "server-mode" / "chroma")
    try:
        build = run_worker(["build", "--corpus", str(corpus), "--index", str(index_dir), "--chroma-url", url, "--rebuild"],
                           timeout=3600)
        log(f"server mode: indexed {build['chunks']} chunks into {url} in {build['build_s']:.1f} s")
        common = ["--corpus", str(corpus), "--questions", str(questions), "--modes", "hybrid,dense"]
        if limit:
            common += ["--limit", str(limit)]
        server = run_worker(["query", "--index", str(index_dir), "--chroma-url", url, *common,
                             *([] if embedded_worker else ["--also-index", str(embedded_index)])], timeout=3600)
        embedded = (run_worker(["query", "--index", str(embedded_index), *common], timeout=3600)
                    if embedded_worker else server.pop("also"))
    finally:
        stop_process(proc)

    def row(q: dict) -> dict:
        return {"p50_ms": q["hybrid"]["latency_ms"]["p50"], "p95_ms": q["hybrid"]["latency_ms"]["p95"],
                "dense_p50_ms": q["dense"]["latency_ms"]["p50"], "dense_p95_ms": q["dense"]["latency_ms"]["p95"],
                "hit3": q["hybrid"]["hit3"], "load_s": q.get("retriever_load_s"), "peak_rss_mb": q.get("peak_rss_mb")}

    e, s = row(embedded), row(server)
    ratio = lambda a, b: round(a / b, 2) if a and b else None  # noqa: E731
    return {"embedded": e, "server": s, "url": url, "build_s": build["build_s"],
            "ratio_p50": ratio(s["p50_ms"], e["p50_ms"]), "ratio_p95": ratio(s["p95_ms"], e["p95_ms"]),
            "same_quality": e["hit3"] == s["hit3"]}


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
