"""Benchmark of the answer engine: warm `ask` latency and `ask --batch` of the dev set.

    .venv/bin/python bench/bench_ask.py                       # builds a temporary index first
    .venv/bin/python bench/bench_ask.py --index-dir /tmp/idx  # reuse an index (built if missing)

Measures, with the deterministic engine (no generator):
- Engine.load (corpus, rules table, retriever with the embedding model), in this process;
- warm `Engine.ask` over every question of the eval file, after 3 warm-up questions that are
  not in it: p50/p95/p99/max of the wall time and of each stage (understand, retrieve,
  compose, check). The headline is the first pass, where every query is embedded; further
  passes (``--passes``) repeat the questions and hit the retriever's query-embedding LRU, so
  they are reported apart as "repeated";
- `policy-assistant ask --batch FILE --json` in a fresh process, wall clock including Python
  start-up and model load; every line must come back.

Writes bench/results/<date>-<hostname>-ask.json and .md with the machine's facts. The
repository's indexes/ is never touched: without --index-dir the index is built in a
temporary folder. Targets (2-core machine): warm p95 < 150 ms; batch of the dev set < 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARMUP = ("重庆碳计量中心验收满分多少？", "湖北计量数据基地有哪些主要任务？", "天津计量数据中心怎么申请？")
TARGET_P95_MS = 150.0
TARGET_BATCH_S = 30.0


def machine_facts() -> dict:
    def meminfo_gb(key: str) -> float | None:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith(key + ":"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
        except OSError:
            return None
        return None

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    versions = {}
    for mod in ("torch", "sentence_transformers", "chromadb", "llama_index.core", "jieba", "bm25s"):
        try:
            versions[mod] = __import__(mod, fromlist=["__version__"]).__version__
        except Exception:  # noqa: BLE001 - a missing package is just not reported
            versions[mod] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {"hostname": socket.gethostname(), "cpu": cpu, "cpus_usable": usable, "cpus_total": os.cpu_count(),
            "ram_gb": meminfo_gb("MemTotal"), "os": platform.platform(), "python": platform.python_version(),
            "load_avg_at_start": load, "git_commit": commit, "versions": versions}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": pct(values, 0.5), "p95": pct(values, 0.95), "p99": pct(values, 0.99),
            "max": round(max(values), 1), "mean": round(statistics.mean(values), 1)}


def ensure_index(settings) -> float:
    """Build the index when the folder has none (seconds spent, 0 when reused)."""
    from assistant.corpus import load_corpus
    from assistant.errors import IndexMissingError
    from assistant.index import build_index
    from assistant.retrieve import Retriever

    try:
        Retriever.load(settings, warm=False)
        return 0.0
    except IndexMissingError:
        pass
    t0 = time.perf_counter()
    build_index(settings, load_corpus(settings), progress=False)
    return round(time.perf_counter() - t0, 2)


def warm_ask(settings, questions: list[str], *, passes: int) -> dict:
    from assistant.engine import Engine

    t0 = time.perf_counter()
    engine = Engine.load(settings)
    load_s = time.perf_counter() - t0
    for q in WARMUP:
        engine.ask(q)
    wall, repeated, stages = [], [], {"understand": [], "retrieve": [], "compose": [], "check": [], "total": []}
    errors = 0
    for n in range(max(passes, 1)):
        for q in questions:
            t = time.perf_counter()
            try:
                answer = engine.ask(q)
            except Exception:  # noqa: BLE001 - counted, the benchmark goes on
                errors += 1
                continue
            (wall if n == 0 else repeated).append((time.perf_counter() - t) * 1000)
            if n == 0:
                for key in stages:
                    if key in answer.timings_ms:
                        stages[key].append(answer.timings_ms[key])
    return {"engine_load_s": round(load_s, 2), "passes": passes, "errors": errors, "wall_ms": summary(wall),
            "repeated_wall_ms": summary(repeated) if repeated else None,
            "stages_ms": {k: summary(v) for k, v in stages.items() if v}}


def batch(settings, path: Path) -> dict:
    env = dict(os.environ, PA_INDEX_DIR=str(settings.index_dir), PA_CORPUS_DIR=str(settings.corpus_dir),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.pop("PA_LLM_BASE_URL", None)
    cmd = [sys.executable, "-m", "assistant", "ask", "--batch", str(path), "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - t0
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    expected = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {"command": " ".join(cmd[1:]), "wall_s": round(wall, 2), "exit_code": proc.returncode,
            "answers": len(lines), "expected": expected, "errors": sum(1 for x in lines if "error" in x),
            "stderr_tail": proc.stderr.strip().splitlines()[-3:] if proc.returncode else []}


def render_markdown(r: dict) -> str:
    m, w, b = r["machine"], r["warm_ask"], r["batch"]
    ok = lambda good: "met" if good else "MISSED"  # noqa: E731
    lines = [
        f"# ask benchmark — {r['date']} on {m['hostname']}", "",
        f"Machine: {m['cpu']}, {m['cpus_usable']} usable CPUs, {m['ram_gb']} GB RAM, {m['os']}, Python {m['python']}; "
        f"load average at start {m['load_avg_at_start']}; commit {m['git_commit'] or '—'}.", "",
        f"Questions: `{r['questions_file']}` ({r['questions']} questions); index built in {r['index_build_s']} s "
        f"({'reused' if not r['index_build_s'] else 'fresh'}).", "",
        "| measure | p50 | p95 | p99 | max | target |", "|---|---|---|---|---|---|",
        f"| warm ask wall (ms), {w['wall_ms']['n']} asks | {w['wall_ms']['p50']} | {w['wall_ms']['p95']} | "
        f"{w['wall_ms']['p99']} | {w['wall_ms']['max']} | p95 < {TARGET_P95_MS:.0f} ms: "
        f"{ok(w['wall_ms']['p95'] < TARGET_P95_MS)} |",
    ]
    for stage, s in w["stages_ms"].items():
        lines.append(f"| stage `{stage}` (ms) | {s['p50']} | {s['p95']} | {s['p99']} | {s['max']} | |")
    if w.get("repeated_wall_ms"):
        s = w["repeated_wall_ms"]
        lines.append(f"| repeated questions, cached query vectors (ms), {s['n']} asks | {s['p50']} | {s['p95']} | "
                     f"{s['p99']} | {s['max']} | |")
    lines += [
        "", f"Engine.load in this process: {w['engine_load_s']} s (the embedding model may already be in memory "
            "when the index step ran here; the batch line below is the cold start).", "",
        f"`{b['command']}`: {b['wall_s']} s wall including start-up and model load, {b['answers']}/{b['expected']} "
        f"answers, {b['errors']} errors, exit {b['exit_code']} — target < {TARGET_BATCH_S:.0f} s: "
        f"{ok(b['wall_s'] < TARGET_BATCH_S and b['answers'] == b['expected'])}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=Path, default=ROOT / "evals" / "dev.jsonl")
    ap.add_argument("--index-dir", type=Path, help="index folder to use (built there if missing); default: a temp dir")
    ap.add_argument("--passes", type=int, default=2, help="timed passes over the questions (default 2)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from assistant.config import Settings

    work = None
    index_dir = args.index_dir
    if index_dir is None:
        work = tempfile.TemporaryDirectory(prefix="bench-ask-")
        index_dir = Path(work.name) / "indexes"
    settings = Settings(corpus_dir=ROOT / "corpus", index_dir=index_dir)
    questions = [json.loads(line)["question"] for line in args.questions.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    facts = machine_facts()
    result = {"date": dt.date.today().isoformat(), "machine": facts, "questions_file": str(args.questions),
              "questions": len(questions)}
    print(f"index … ({index_dir})", flush=True)
    result["index_build_s"] = ensure_index(settings)
    print("warm ask …", flush=True)
    result["warm_ask"] = warm_ask(settings, questions, passes=args.passes)
    print("ask --batch …", flush=True)
    result["batch"] = batch(settings, args.questions)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{result['date']}-{facts['hostname']}-ask"
    (args.out / f"{stem}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / f"{stem}.md").write_text(render_markdown(result), encoding="utf-8")
    print(render_markdown(result))
    print(f"wrote {args.out / (stem + '.json')} and .md")
    if work is not None:
        work.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
