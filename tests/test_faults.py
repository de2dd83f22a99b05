"""Faults with real parts: a killed indexer, add/remove/index while a real server answers, the
chromadb server going down and up under `serve`, and a corrupt index under `ask`.

Everything runs on a tmp copy of the shipped corpus and index (never the repository's
indexes/); processes are real subprocesses (`python -m assistant …`), the server answers over
real HTTP, embeddings come from the real m3e-small model.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.index import read_build, read_pointer
from server_util import ROOT, settings_env, start_server
from workspace import copy_workspace

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"
CQ = "重庆验收合格分数是多少？"
SC = "四川碳计量中心筹建期限是多久？"
SICHUAN = "sichuan-carbon-2026"
ADD_ARGS = ("add", str(FIXTURES / "newreg_sichuan.txt"), "--jurisdiction", "四川",
            "--title", "四川省碳计量中心管理办法", "--id", SICHUAN)


# ----------------------------------------------------------------------------- helpers

def _copy(index_settings, tmp_path: Path):
    return copy_workspace(index_settings, tmp_path)


def _env(settings) -> dict:
    env = dict(os.environ)
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "PYTHONUNBUFFERED": "1", "PA_CHROMA_URL": ""})
    env.update(settings_env(settings))
    return env


def _cli(settings, *args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=_env(settings),
                          capture_output=True, text=True, timeout=timeout)


def _lock_is_free(index_dir: Path) -> bool:
    with open(index_dir / ".build.lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def _wait_for(predicate, *, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _assert_answers(settings) -> None:
    """The index on disk serves: a retriever finds articles and an engine answers, checked."""
    from assistant.engine import Engine
    from assistant.retrieve import Retriever

    hits = Retriever.load(settings).search("重庆碳计量中心筹建期限", k=3)
    assert hits and hits[0].chunk.doc_id == "chongqing-carbon-2024"
    answer = Engine.load(settings).ask(CQ)
    assert not answer.abstained and any(c.doc_id == "chongqing-carbon-2024" for c in answer.citations)
    assert "80" in answer.answer
    assert all(c.status != "contradicted" for c in answer.checks)


# ----------------------------------------------------------------------------- 1. killed indexer

@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_index_build_leaves_the_previous_index_serving(index_settings, tmp_path, sig):
    s = _copy(index_settings, tmp_path)
    before = read_pointer(s.index_dir)
    builds_before = sorted(p.name for p in (s.index_dir / "builds").iterdir())
    # a cold embedding cache: the rebuild must embed every text (tens of seconds on 2 cores), so
    # the build is reliably still running when it is killed
    cache = s.index_dir / "cache" / "embeddings.sqlite"
    warm = tmp_path / "warm-cache.sqlite"
    shutil.move(cache, warm)

    log = open(tmp_path / "index.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "index", "--rebuild"], cwd=ROOT,
                            env=_env(s), stdout=log, stderr=subprocess.STDOUT)
    try:
        staging = _wait_for(lambda: list((s.index_dir / "builds").glob("*.tmp")) or proc.poll() is not None,
                            timeout=180, what="the staging folder builds/*.tmp")
        assert proc.poll() is None, (tmp_path / "index.log").read_text()
        assert not _lock_is_free(s.index_dir)  # the running build holds the lock
        time.sleep(1.0)  # well into loading the model / embedding
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
    # SIGKILL leaves the staging folder behind; SIGTERM unwinds (cli.py) and removes it
    assert proc.returncode == (-sig if sig == signal.SIGKILL else 128 + sig)
    assert staging[0].exists() == (sig == signal.SIGKILL)

    # the previous build still serves, untouched
    assert read_pointer(s.index_dir) == before
    assert sorted(p.name for p in (s.index_dir / "builds").iterdir() if not p.name.endswith(".tmp")) == builds_before
    # flock dies with its process: a stale .build.lock file never blocks the next build
    assert (s.index_dir / ".build.lock").exists() and _lock_is_free(s.index_dir)
    # whatever the killed build put into the embedding cache is a consistent sqlite database
    if cache.exists():
        with sqlite3.connect(cache) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    shutil.copyfile(warm, cache)

    _assert_answers(s)

    # the next `index` (nothing changed) sweeps the leftover staging folder and keeps the build
    done = _cli(s, "index", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["up_to_date"] is True
    assert not list((s.index_dir / "builds").glob("*.tmp"))
    assert read_pointer(s.index_dir) == before
    # and a rebuild goes through (every embedding from the cache) and switches the pointer
    done = _cli(s, "index", "--rebuild", "--json")
    assert done.returncode == 0, done.stderr
    assert "DEBUG" not in done.stderr  # bm25s turns its logger to DEBUG when imported
    report = json.loads(done.stdout)
    assert report["embedded"] == 0 and report["build_id"] != before["build"]
    assert read_pointer(s.index_dir)["build"] == report["build_id"]
    _assert_answers(s)


# ----------------------------------------------------------------------------- 2. live changes

class Asker(threading.Thread):
    """Asks the two questions in turn, one request at a time, recording every response."""

    def __init__(self, url: str, questions=(CQ, SC)):
        super().__init__(daemon=True)
        self.url, self.questions = url, questions
        self.stop = threading.Event()
        self.log: list[tuple[str, int, dict]] = []  # (question, status, body) in completion order

    def run(self):
        with httpx.Client(base_url=self.url, timeout=120) as http:
            n = 0
            while not self.stop.is_set():
                q = self.questions[n % len(self.questions)]
                n += 1
                try:
                    r = http.post("/api/ask", json={"question": q})
                    body = r.json()
                except (httpx.HTTPError, ValueError) as exc:
                    self.log.append((q, -1, {"error": repr(exc)}))
                    continue
                self.log.append((q, r.status_code, body))

    def count(self, question: str) -> int:
        return sum(1 for q, _, _ in self.log if q == question)


def _cites_sichuan(body: dict) -> bool:
    return any(c["doc_id"] == SICHUAN for c in body.get("citations", ()))


def _health(url: str) -> dict:
    r = httpx.get(url + "/api/health", timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def live_server(index_settings, tmp_path):
    s = _copy(index_settings, tmp_path)
    srv = start_server(s)
    yield s, srv
    srv.stop()


def _run_while_asking(srv, settings, args, *, until, what):
    """Run one CLI command while the asker keeps asking; wait until ``until(health)``;
    then let a few more answers of each question through. Returns the health documents seen."""
    seen = []
    done = _cli(settings, *args)
    assert done.returncode == 0, done.stdout + done.stderr

    def switched():
        h = _health(srv.url)
        if not seen or seen[-1] != h["documents"]:
            seen.append(h["documents"])
        return until(h) and h
    health = _wait_for(switched, timeout=60, what=what, step=0.3)
    return health, seen


def test_answers_follow_add_remove_and_rebuild_while_serving(live_server):
    s, srv = live_server
    h0 = _health(srv.url)
    assert h0["documents"] == 6 and h0["reloads"]["count"] == 0
    asker, second = Asker(srv.url), Asker(srv.url, questions=(SC, CQ))  # two clients at once
    asker.start()
    second.start()
    marks = {}
    try:
        _wait_for(lambda: asker.count(SC) >= 2, timeout=60, what="answers before the add")
        marks["add"] = len(asker.log)
        h1, seen_add = _run_while_asking(srv, s, ADD_ARGS, until=lambda h: h["documents"] == 7,
                                         what="the server to serve 7 documents")
        marks["added"] = len(asker.log)
        n = asker.count(SC)
        _wait_for(lambda: asker.count(SC) >= n + 3, timeout=60, what="answers after the add")

        marks["remove"] = len(asker.log)
        h2, seen_remove = _run_while_asking(srv, s, ("remove", SICHUAN), until=lambda h: h["documents"] == 6,
                                            what="the server to serve 6 documents again")
        marks["removed"] = len(asker.log)
        n = asker.count(SC)
        _wait_for(lambda: asker.count(SC) >= n + 3, timeout=60, what="answers after the remove")

        build = h2["index"]["build_id"]
        h3, _ = _run_while_asking(srv, s, ("index", "--rebuild"), until=lambda h: h["index"]["build_id"] != build,
                                  what="the server to serve the rebuilt index")
        n = asker.count(CQ)
        _wait_for(lambda: asker.count(CQ) >= n + 3, timeout=60, what="answers after the rebuild")
    finally:
        asker.stop.set()
        second.stop.set()
        asker.join(timeout=120)
        second.join(timeout=120)

    # every answer from both clients: 200, never a contradicted number, 重庆 always answered
    for q, status, body in asker.log + second.log:
        assert status == 200, (q, status, body)
        assert all(c["status"] != "contradicted" for c in body["checks"]), body
        if q == CQ:
            assert not body["abstained"] and "80" in body["answer"]
            assert any(c["doc_id"] == "chongqing-carbon-2024" for c in body["citations"])
            assert any(c["status"] == "verified" for c in body["checks"]), body

    # 四川 in one client's order: not covered → cites the new document → not covered; one switch each way
    flags = [_cites_sichuan(body) for q, _, body in asker.log if q == SC]
    pattern = "".join("1" if f else "0" for f in flags)
    assert pattern.strip("0").count("0") == 0 and "1" in pattern, pattern
    first, last = pattern.index("1"), pattern.rindex("1")
    assert first >= 1 and last < len(pattern) - 1, pattern
    before_add = [body for q, _, body in asker.log[:marks["add"]] if q == SC]
    assert before_add and all(not _cites_sichuan(b) for b in before_add)
    after_add = [body for q, _, body in asker.log[marks["added"]:marks["remove"]] if q == SC]
    assert after_add and all(_cites_sichuan(b) and not b["abstained"] for b in after_add)
    assert all(any(c["status"] == "verified" for c in b["checks"]) for b in after_add)
    after_remove = [body for q, _, body in asker.log[marks["removed"]:] if q == SC]
    assert after_remove and not any(_cites_sichuan(b) for b in after_remove)

    # health followed: 6 → 7 → 6 documents, a reload per change, no reload error
    assert seen_add[-1] == 7 and set(seen_add) <= {6, 7}
    assert seen_remove[-1] == 6 and set(seen_remove) <= {6, 7}
    assert h0["reloads"]["count"] < h1["reloads"]["count"] < h2["reloads"]["count"] < h3["reloads"]["count"]
    assert h3["reloads"]["last_error"] is None and h3["documents"] == 6
    assert srv.proc.poll() is None  # one server process throughout


# ----------------------------------------------------------------------------- 3. chroma server down/up

def test_health_reports_a_down_chroma_server_and_recovers_without_restart(index_settings, tmp_path):
    from test_chroma_server import CHROMA, ChromaServer, _free_port

    if not CHROMA.exists():
        pytest.skip("the chroma executable is not installed in this environment")
    from assistant.index import build_index

    chroma = ChromaServer(tmp_path / "chroma-data", _free_port()).start()
    srv = None
    try:
        s = _copy(index_settings, tmp_path).with_(chroma_url=chroma.url)
        shutil.rmtree(s.index_dir / "builds")
        (s.index_dir / "current.json").unlink()
        assert build_index(s, progress=False).embedded == 0  # vectors into the server, from the cache
        srv = start_server(s)
        pid = srv.proc.pid
        h = _health(srv.url)
        assert h["status"] == "ok" and h["store"]["mode"] == "server" and h["store"]["ok"] is True

        chroma.stop()
        h = _health(srv.url)
        assert h["status"] == "degraded" and h["store"]["ok"] is False
        assert "chroma" in h["store"]["error"] and chroma.url in h["store"]["error"]
        r = httpx.post(srv.url + "/api/ask", json={"question": CQ}, timeout=60)
        # the question is answered from BM25 alone, or refused with a clear 503: never a 500
        assert r.status_code in (200, 503), r.text
        if r.status_code == 503:
            assert r.json()["error"]["type"] == "service_unavailable" and "chroma" in r.json()["error"]["message"]

        chroma.start()  # same path and port: the data is still there
        h = _wait_for(lambda: (lambda x: x["status"] == "ok" and x)(_health(srv.url)), timeout=60,
                      what="health to recover", step=0.5)
        assert h["store"]["ok"] is True
        r = httpx.post(srv.url + "/api/ask", json={"question": CQ}, timeout=60)
        assert r.status_code == 200 and any(c["doc_id"] == "chongqing-carbon-2024" for c in r.json()["citations"])
        assert srv.proc.pid == pid and srv.proc.poll() is None  # no restart
    finally:
        if srv is not None:
            srv.stop()
        chroma.stop()


# ----------------------------------------------------------------------------- 4. corrupt index under `ask`

def _truncate_chunks(s):
    build, _ = read_build(s.index_dir, read_pointer(s.index_dir))
    data = (build / "chunks.jsonl").read_bytes()
    (build / "chunks.jsonl").write_bytes(data[: len(data) // 3])  # cut mid-line (mid-character, even)


def _delete_chroma(s):
    build, _ = read_build(s.index_dir, read_pointer(s.index_dir))
    shutil.rmtree(build / "chroma")


def _garbage_pointer(s):
    (s.index_dir / "current.json").write_bytes(b"\x00garbage{{ not json")


def _pointer_to_nowhere(s):
    (s.index_dir / "current.json").write_text(json.dumps({"build": "20990101t000000-dead00"}), encoding="utf-8")


@pytest.mark.parametrize("corrupt", [_truncate_chunks, _delete_chroma, _garbage_pointer, _pointer_to_nowhere],
                         ids=["truncated-chunks", "deleted-chroma", "garbage-pointer", "missing-build"])
def test_corrupt_index_is_one_line_naming_the_fix_and_rebuild_repairs_it(index_settings, tmp_path, corrupt):
    s = _copy(index_settings, tmp_path)
    corrupt(s)
    done = _cli(s, "ask", CQ)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "policy-assistant index --rebuild" in lines[0], lines[0]
    assert done.stdout == ""

    fixed = _cli(s, "index", "--rebuild", "--json")
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(fixed.stdout)["embedded"] == 0
    done = _cli(s, "ask", CQ, "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert "80" in answer["answer"] and any(c["doc_id"] == "chongqing-carbon-2024" for c in answer["citations"])


@pytest.mark.parametrize("corrupt", [_truncate_chunks, _delete_chroma, _garbage_pointer],
                         ids=["truncated-chunks", "deleted-chroma", "garbage-pointer"])
def test_serve_repairs_a_corrupt_index_on_start(index_settings, tmp_path, corrupt):
    """`serve` must come up on a damaged index: it says so and rebuilds."""
    s = _copy(index_settings, tmp_path)
    corrupt(s)
    srv = start_server(s)
    try:
        assert "重建" in srv.log() and "Traceback" not in srv.log()
        h = _health(srv.url)
        assert h["status"] == "ok" and h["documents"] == 6
        r = httpx.post(srv.url + "/api/ask", json={"question": CQ}, timeout=60)
        assert r.status_code == 200 and "80" in r.json()["answer"]
    finally:
        srv.stop()
