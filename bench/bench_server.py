"""Server benchmark: `serve` start → first answer, /api/ask latency for one client, page first load.

    .venv/bin/python -m bench.bench_server                # fresh temp index: first-run and warm starts
    .venv/bin/python -m bench.bench_server --requests 100 --index-dir /tmp/pa-index

1. Start-up: `policy-assistant serve` spawned on a free 127.0.0.1 port, timed from spawn to a
   healthy /api/health and to the first /api/ask answer. With a fresh index folder the first
   start includes building the index (the README's first run); the second start is the
   everyday one (index on disk).
2. /api/ask p50/p95 for one client: the dev-set questions asked one after another (after one
   warm-up question), each a different text, so the query-embedding cache does not help.
3. The page's first load in headless chromium (Debian's, via playwright): a new browser
   context each time, from navigation to the chat input being usable; skipped when chromium
   is missing.
Results: printed, and written to bench/results/server-<timestamp>.json. Never touches the
repository's indexes/ unless --index-dir says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import ask_once, spawn_server, wait_healthy  # noqa: E402
from bench.report import machine_facts, summary_ms  # noqa: E402

FIRST_QUESTION = "重庆的碳计量中心批下来以后，筹建最多给几年？"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def dev_questions(limit: int) -> list[str]:
    out = []
    with open(ROOT / "evals" / "dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line)["question"])
    return out[:limit]


def start_to_first_answer(settings) -> tuple[dict, object]:
    """Spawn serve; seconds to healthy and to the first answer. Returns (figures, running server)."""
    server = spawn_server(settings)
    try:
        healthy_s = wait_healthy(server, timeout=900)
        ask_s, answer = ask_once(server, FIRST_QUESTION)
    except BaseException:
        server.stop()
        raise
    total = time.perf_counter() - server.spawned_at
    built = "首次运行" in server.log() or "正在重建" in server.log()
    return {"healthy_s": round(healthy_s, 2), "first_answer_s": round(total, 2), "first_request_ms": round(ask_s * 1000, 1),
            "index_built": built, "answer_head": answer["answer"][:60]}, server


def ask_latency(server, questions: list[str]) -> dict:
    """Sequential POST /api/ask over one kept-alive connection (a new httpx client per request
    would add ~50 ms of SSL-context set-up on the client side, which is not the server's time)."""
    import httpx

    times, server_ms = [], []
    with httpx.Client(base_url=server.url, timeout=60) as client:
        client.post("/api/ask", json={"question": "湖北筹建期几年？"}).raise_for_status()  # warm-up
        for q in questions:
            t = time.perf_counter()
            r = client.post("/api/ask", json={"question": q})
            times.append((time.perf_counter() - t) * 1000)
            r.raise_for_status()
            server_ms.append(r.json().get("timings_ms", {}).get("total", 0.0))
    return {"client_ms": summary_ms(times), "engine_ms": summary_ms(server_ms), "requests": len(times)}


def page_first_load(url: str, *, runs: int = 3) -> dict:
    if not os.path.exists(CHROMIUM):
        return {"skipped": "Debian chromium not installed (scripts/system-deps.sh)"}
    from playwright.sync_api import sync_playwright

    loads = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_selector("#chat-input textarea", timeout=60_000)
            loads.append(time.perf_counter() - t0)
            context.close()
        browser.close()
    return {"runs_s": [round(x, 3) for x in loads], "median_s": round(statistics.median(loads), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, help="index folder (default: a fresh temp folder)")
    parser.add_argument("--requests", type=int, default=60, help="dev questions asked for the latency figures")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)

    from assistant.config import Settings

    tmp = None
    if args.index_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="pa-bench-server-"))
        index_dir = tmp / "indexes"
    else:
        index_dir = args.index_dir
    settings = Settings.from_env(index_dir=index_dir)
    results = {"benchmark": "server", "when": dt.datetime.now().isoformat(timespec="seconds"),
               "machine": machine_facts(), "index_dir": str(index_dir)}
    try:
        print(f"1. serve start → first answer (index: {index_dir})", flush=True)
        starts = []
        first, server = start_to_first_answer(settings)
        starts.append(first)
        print(f"   start 1: healthy {first['healthy_s']}s, first answer {first['first_answer_s']}s"
              f" (index built: {first['index_built']})", flush=True)
        server.stop()
        second, server = start_to_first_answer(settings)
        starts.append(second)
        print(f"   start 2: healthy {second['healthy_s']}s, first answer {second['first_answer_s']}s"
              f" (index built: {second['index_built']})", flush=True)
        results["startup"] = starts
        try:
            print(f"2. /api/ask, one client, {args.requests} dev questions", flush=True)
            latency = ask_latency(server, dev_questions(args.requests))
            results["ask_one_client"] = latency
            c = latency["client_ms"]
            print(f"   p50 {c['p50']} ms, p95 {c['p95']} ms, max {c['max']} ms "
                  f"(engine p50 {latency['engine_ms']['p50']} ms)", flush=True)
            print("3. page first load in headless chromium", flush=True)
            page = page_first_load(server.url)
            results["page_first_load"] = page
            print(f"   {page}", flush=True)
        finally:
            server.stop()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"server-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
