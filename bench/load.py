"""`policy-assistant serve` in a subprocess, and N concurrent clients against /api/ask.

Loopback only (127.0.0.1), bounded loops only: every level runs for a fixed time and every
request has a timeout. Questions come from the dev set, each round with another polite
prefix/suffix, in one stream across all levels: no text repeats within a run of up to
len(dev set) × 64 requests, so the server's query-embedding cache never helps (real users
rarely repeat a question word for word).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .report import summary_ms
from .scale import ROOT, child_env

PREFIXES = ("", "请问", "想了解一下，", "麻烦问下：", "你好，", "咨询一下，", "我想知道", "请教：")
SUFFIXES = ("", "谢谢", "，麻烦了", "，请简要回答", "（急）", "，多谢", "，在线等", "，请指教")
REQUEST_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_env(settings) -> dict[str, str]:
    """PA_* variables that make a child process build the same Settings."""
    env = {"PA_CORPUS_DIR": str(settings.corpus_dir), "PA_INDEX_DIR": str(settings.index_dir),
           "PA_EMBED_MODEL": str(settings.embed_model)}
    if settings.chroma_url:
        env["PA_CHROMA_URL"] = settings.chroma_url
    return env


def question_stream(questions: list[str]):
    """Dev questions, then each round again with another prefix/suffix pair: the first
    len(questions) × 64 texts are all different."""
    n = 0
    pairs = [(p, s) for s in SUFFIXES for p in PREFIXES]
    while True:
        prefix, suffix = pairs[(n // max(1, len(questions))) % len(pairs)]
        yield prefix + questions[n % len(questions)] + suffix
        n += 1


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    log_path: Path
    spawned_at: float  # perf_counter at spawn

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly on SIGINT
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        try:
            self.log_path.unlink()
        except OSError:
            pass


def spawn_server(settings, *, port: int | None = None) -> Server:
    """Start `python -m assistant serve` on 127.0.0.1 (returns at once; poll its health)."""
    port = port or free_port()
    fd, log_name = tempfile.mkstemp(prefix="pa-bench-serve-", suffix=".log")
    log = os.fdopen(fd, "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=child_env(settings_env(settings)), stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    return Server(proc=proc, url=f"http://127.0.0.1:{port}", log_path=Path(log_name), spawned_at=t0)


def wait_healthy(server: Server, *, timeout: float = 300.0) -> float:
    """Seconds from spawn until GET /api/health answers 200."""
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {server.proc.returncode}:\n{server.log()[-3000:]}")
            try:
                if client.get(server.url + "/api/health").status_code == 200:
                    return time.perf_counter() - server.spawned_at
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"serve was not healthy after {timeout:.0f}s:\n{server.log()[-3000:]}")


def ask_once(server: Server, question: str) -> tuple[float, dict]:
    """One POST /api/ask: (seconds, Answer JSON); raises on a non-200."""
    import httpx

    t = time.perf_counter()
    r = httpx.post(server.url + "/api/ask", json={"question": question}, timeout=REQUEST_TIMEOUT_S)
    elapsed = time.perf_counter() - t
    if r.status_code != 200:
        raise RuntimeError(f"/api/ask answered {r.status_code}: {r.text[:300]}")
    return elapsed, r.json()


async def _level(url: str, stream, *, clients: int, duration: float) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            q = next(stream)
            t = time.perf_counter()
            try:
                r = await http.post(url + "/api/ask", json={"question": q})
                if r.status_code == 200 and "answer" in r.json():
                    latencies.append((time.perf_counter() - t) * 1000)
                else:
                    errors.append(f"{r.status_code}: {r.text[:120]}")
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")

    t0 = time.perf_counter()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as http:
        await asyncio.gather(*(client_loop(http) for _ in range(clients)))
    elapsed = time.perf_counter() - t0
    s = summary_ms(latencies)
    return {"clients": clients, "duration_s": round(elapsed, 2), "requests": len(latencies),
            "rps": round(len(latencies) / elapsed, 2) if elapsed else None,
            "p50_ms": s["p50"], "p95_ms": s["p95"], "p99_ms": s["p99"], "max_ms": s["max"],
            "errors": len(errors), "error_samples": sorted(set(errors))[:5]}


def run_load(server: Server, questions: list[str], *, levels=(1, 4, 16), duration: float = 30.0,
             log=print) -> dict:
    """Each level: ``clients`` closed-loop clients for ``duration`` seconds (requests in flight finish)."""
    out = []
    stream = question_stream(questions)  # one stream for every level: no text is asked twice
    for clients in levels:
        result = asyncio.run(_level(server.url, stream, clients=clients, duration=duration))
        log(f"load {clients} clients: {result['rps']} req/s, p95 {result['p95_ms']} ms, {result['errors']} errors")
        out.append(result)
    return {"duration_s": duration, "levels": out,
            "note": ("Closed-loop clients (each sends its next request when the previous answer arrives) "
                     "from one asyncio process on the same 2-core machine as the server, so client CPU "
                     "competes with the server. Questions: the dev set, then again with other polite "
                     "prefixes/suffixes, in one stream across the levels (no text repeats within the first "
                     f"{len(questions) * len(PREFIXES) * len(SUFFIXES)} requests, so the query-embedding "
                     "cache never helps).")}
