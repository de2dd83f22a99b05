"""Start `policy-assistant serve` in a subprocess on a free 127.0.0.1 port and wait for it.

Used by the API, OpenAI-compat, gradio_client and browser tests (one server per test module).
The child gets its settings through env vars (PA_INDEX_DIR …),
so tests never touch the repository's indexes/.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_env(settings) -> dict[str, str]:
    """The PA_* env vars that make a child process build the same Settings."""
    env = {
        "PA_CORPUS_DIR": str(settings.corpus_dir),
        "PA_INDEX_DIR": str(settings.index_dir),
        "PA_EMBED_MODEL": str(settings.embed_model),
    }
    for key, name in (("chroma_url", "PA_CHROMA_URL"), ("llm_base_url", "PA_LLM_BASE_URL"),
                      ("llm_model", "PA_LLM_MODEL"), ("llm_api_key", "PA_LLM_API_KEY"),
                      ("access_token", "PA_ACCESS_TOKEN")):
        value = getattr(settings, key, "")
        if value:
            env[name] = str(value)
    return env


@dataclass
class ServerProcess:
    proc: subprocess.Popen
    url: str
    log_path: Path
    started_s: float = 0.0  # seconds from spawn to a healthy /api/health
    extra: dict = field(default_factory=dict)

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly on SIGINT
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_server(settings=None, *, env: dict | None = None, port: int | None = None,
                 timeout: float = 300.0, args: tuple[str, ...] = ()) -> ServerProcess:
    """Spawn `python -m assistant serve --port N` and wait until /api/health answers 200."""
    port = port or free_port()
    child_env = dict(os.environ)
    child_env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                      "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"})
    if settings is not None:
        child_env.update(settings_env(settings))
    child_env.update(env or {})
    log_file = tempfile.NamedTemporaryFile(prefix="pa-serve-", suffix=".log", delete=False)
    log_path = Path(log_file.name)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=ROOT, env=child_env, stdout=log_file, stderr=subprocess.STDOUT,
    )
    log_file.close()
    server = ServerProcess(proc=proc, url=f"http://127.0.0.1:{port}", log_path=log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}:\n{server.log()[-4000:]}")
        try:
            r = httpx.get(server.url + "/api/health", timeout=2.0)
            if r.status_code == 200:
                server.started_s = time.perf_counter() - t0
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"serve did not become healthy within {timeout:.0f}s:\n{server.log()[-4000:]}")
