"""Cold start: process start → first answer, for the CLI and for the server.

CLI: ``policy-assistant ask QUESTION --json`` in a fresh process (imports, model load,
index load, one answer), timed from spawn to exit. Server: ``serve`` spawned, then
/api/health polled and the first POST /api/ask sent as soon as it is healthy; timed from
spawn to the first answer. The OS file cache is warm (the index was just built and the
model read before): dropping it needs privileges a benchmark should not have.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .load import Server, ask_once, settings_env, spawn_server, wait_healthy
from .scale import ROOT, child_env

QUESTION = "重庆的碳计量中心批下来以后，筹建最多给几年？"


def cli_command() -> list[str]:
    exe = Path(sys.executable).with_name("policy-assistant")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]


def cli_cold_start(settings, *, runs: int = 3, question: str = QUESTION, timeout: float = 300.0) -> dict:
    """Wall time of `policy-assistant ask QUESTION --json` in fresh processes."""
    times, answers = [], []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run([*cli_command(), "ask", question, "--json"], cwd=ROOT, capture_output=True,
                              text=True, env=child_env(settings_env(settings)), timeout=timeout)
        elapsed = time.perf_counter() - t
        if proc.returncode != 0:
            raise RuntimeError(f"policy-assistant ask failed ({proc.returncode}): {proc.stderr[-1500:]}")
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError:
            data = {"answer": proc.stdout.strip()[:200]}
        times.append(round(elapsed, 3))
        answers.append(str(data.get("answer", ""))[:80])
    return {"runs_s": times, "median_s": round(statistics.median(times), 3), "question": question,
            "answer_head": answers[0] if answers else "",
            "note": f"fresh process × {runs}, warm OS file cache"}


def server_cold_start(settings, *, question: str = QUESTION, timeout: float = 300.0) -> tuple[dict, Server]:
    """Spawn `serve`, wait for health, ask once. Returns the figures and the running server."""
    server = spawn_server(settings)
    try:
        health_s = wait_healthy(server, timeout=timeout)
        first_s, answer = ask_once(server, question)
    except BaseException:
        server.stop()
        raise
    total = time.perf_counter() - server.spawned_at
    return ({"runs_s": [round(total, 3)], "median_s": round(total, 3), "health_s": round(health_s, 3),
             "first_request_s": round(first_s, 3), "question": question,
             "answer_head": str(answer.get("answer", ""))[:80],
             "note": "spawn → healthy → first /api/ask answer"}, server)

