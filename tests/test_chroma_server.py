"""Server mode: the same index in a real `chroma run` server (chromadb.HttpClient)."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.errors import IndexMismatchError, StoreUnavailableError
from assistant.index import build_index, read_build, read_pointer
from assistant.retrieve import Retriever

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).with_name("chroma")
QUESTIONS = [
    ("重庆碳计量中心筹建期限几年", None),
    ("天津计量数据中心验收不合格整改", ["天津"]),
    ("湖北计量数据建设应用基地年度工作总结", ["鄂"]),
    ("江西诚信计量示范单位目标", None),
    ("东营服务海洋强市建设", None),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    def __init__(self, path: Path, port: int):
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}")
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("chroma run did not answer within 60 s")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMA.exists():
        pytest.skip("the chroma executable is not installed in this environment")
    srv = ChromaServer(tmp_path_factory.mktemp("chroma-data"), _free_port()).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def server_settings(server, index_settings, tmp_path_factory):
    """An index of the shipped corpus whose vectors live in the server (embeddings from the
    session cache: nothing is re-embedded)."""
    index_dir = tmp_path_factory.mktemp("server-index")
    (index_dir / "cache").mkdir()
    shutil.copyfile(index_settings.index_dir / "cache" / "embeddings.sqlite", index_dir / "cache" / "embeddings.sqlite")
    s = index_settings.with_(index_dir=index_dir, chroma_url=server.url)
    report = build_index(s, progress=False)
    assert report.embedded == 0 and report.store == server.url
    return s


def _collections(url):
    import chromadb

    host, port = url.rsplit(":", 1)
    client = chromadb.HttpClient(host=host.split("//")[1], port=int(port))
    try:
        return sorted(c.name for c in client.list_collections())
    finally:
        client.close()


def test_server_mode_gives_the_same_top_hits(server_settings, index_settings):
    remote, local = Retriever.load(server_settings), Retriever.load(index_settings)
    assert remote.params["store"] == {"mode": "server", "url": server_settings.chroma_url}
    for question, juris in QUESTIONS:
        for mode in ("hybrid", "dense"):
            got = [(h.chunk.id, h.ranks) for h in remote.search(question, k=3, jurisdictions=juris, mode=mode)]
            want = [(h.chunk.id, h.ranks) for h in local.search(question, k=3, jurisdictions=juris, mode=mode)]
            assert got == want, (question, mode)


def test_rebuild_switches_collection_keeps_the_previous_and_drops_older_ones(server_settings, server):
    old = read_pointer(server_settings.index_dir)["collection"]
    assert old in _collections(server.url)
    held = Retriever.load(server_settings)  # a server process still answering from the old build
    report = build_index(server_settings, rebuild=True, progress=False)
    new = read_pointer(server_settings.index_dir)["collection"]
    assert new == report.collection != old and new.startswith(server_settings.collection + "-")
    names = _collections(server.url)
    assert new in names and old in names  # the previous one stays for readers that hold it
    assert held.search("筹建期限", k=1, mode="dense")
    newest = build_index(server_settings, rebuild=True, progress=False).collection
    names = _collections(server.url)
    assert newest in names and new in names and old not in names  # two builds kept, older dropped
    _, params = read_build(server_settings.index_dir, read_pointer(server_settings.index_dir))
    assert params["collection"] == newest
    assert Retriever.load(server_settings).search("筹建期限", k=1)


def test_store_down_is_a_clear_error_per_request_then_recovers(server_settings, server):
    retriever = Retriever.load(server_settings)
    assert retriever.search("重庆碳计量中心筹建期限", k=2)
    server.stop()
    try:
        for question in ("天津公示几天", "湖北复查周期"):  # every request fails on its own, clearly
            with pytest.raises(StoreUnavailableError) as err:
                retriever.search(question, k=2)
            assert server_settings.chroma_url in str(err.value) and "chroma run" in str(err.value)
        with pytest.raises(StoreUnavailableError):
            retriever.check_store()
    finally:
        server.start()  # same path and port: the data is still there
    hits = retriever.search("天津公示几天", k=2, jurisdictions=["天津"])  # same retriever, no reload
    assert hits and hits[0].chunk.doc_id == "tianjin-data-2025"
    retriever.check_store()


def test_unreachable_server_at_build_keeps_the_previous_index(server_settings, tmp_path):
    before = read_pointer(server_settings.index_dir)
    dead = server_settings.with_(chroma_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(StoreUnavailableError, match="chroma"):
        build_index(dead, rebuild=True, progress=False)
    assert read_pointer(server_settings.index_dir) == before
    assert not list((server_settings.index_dir / "builds").glob("*.tmp"))


def test_store_setting_must_match_the_index(index_settings, server):
    with pytest.raises(IndexMismatchError, match="index --rebuild"):
        Retriever.load(index_settings.with_(chroma_url=server.url))
