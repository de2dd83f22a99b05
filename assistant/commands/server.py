"""Server commands: serve."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from ..cli import CorpusOpt, IndexOpt, app, settings_from
from ..config import Settings


WARMUP_QUESTION = "碳计量中心的筹建期限是多久？"


def _say(text: str) -> None:
    typer.echo(text, err=True)


def prepare_index(settings, docs) -> None:
    """Build the index on first run, after the corpus changed, or when it was built with other
    settings (the server must come up on the shipped corpus), with progress shown."""
    from ..errors import IndexCorruptError, IndexMissingError, StoreUnavailableError
    from ..index import _healthy, build_index, chunks_from, current_params, mismatch, read_build, read_pointer

    rebuild = False
    try:
        pointer = read_pointer(settings.index_dir)
        build, params = read_build(settings.index_dir, pointer)
    except IndexMissingError:
        _say(f"首次运行：正在建立索引 {settings.index_dir}（约需一两分钟）… building the index on first run")
    except IndexCorruptError as exc:
        rebuild = True
        _say(f"索引无法读取，正在重建 rebuilding the index: {exc}")
    else:
        why = mismatch(params, current_params(settings))
        hashes = {c.id: c.content_hash for c in chunks_from(docs, max_chars=settings.chunk_max_chars)}
        if not why and hashes == params.get("chunks"):
            try:  # files present and every vector in the store (a deleted chroma folder is not)
                if _healthy(settings, (build, params, pointer)):
                    return
            except StoreUnavailableError:
                return  # a chroma server that is down now: serve anyway, health says degraded
            rebuild = True
            _say("索引不完整（文件或向量缺失），正在重建… the index is incomplete, rebuilding")
        elif why:
            rebuild = True
            _say(f"索引参数已变化（{why}），正在重建… the index was built with other settings, rebuilding")
        else:
            _say("语料有变化：正在更新索引（未变的条款不重新计算向量）… the corpus changed, updating the index")
    report = build_index(settings, docs, rebuild=rebuild, progress=True)
    _say(f"索引完成 index ready: {report.chunks} 个分块 chunks, {report.embedded} 个新向量 embedded, {report.seconds:.1f}s")


def bind_port(settings) -> list:
    """Bind the server's sockets now, before anything slow loads: a taken port is reported in a
    second instead of after the 10–20 s model load, and the port stays ours while loading.

    One socket per address the host resolves to (as uvicorn's own bind would); they listen
    only once uvicorn starts serving, so until then a client is refused rather than kept waiting.
    """
    import errno
    import socket

    from ..errors import AssistantError, PortInUseError

    host = settings.host.strip("[]")
    try:
        infos = socket.getaddrinfo(host or None, settings.port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise AssistantError(f"无法解析地址 {settings.host}（--host 或 PA_HOST）。"
                             f" Cannot resolve host {settings.host!r}: {exc.strerror}") from None
    sockets: list = []
    bound: set = set()
    try:
        for family, kind, proto, _name, address in infos:
            if address in bound:  # a hosts file may list the same address twice
                continue
            bound.add(address)
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:  # "localhost" binds ::1 and 127.0.0.1 side by side
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(f"端口 {settings.port} 已被占用 port in use: use --port N or PA_PORT"
                                 f" ({settings.host}:{settings.port} is taken by another process)") from None
        raise AssistantError(f"无法绑定 {settings.host}:{settings.port}（--host/--port 或 PA_HOST/PA_PORT）。"
                             f" Cannot bind {settings.host}:{settings.port}: {exc.strerror}") from None
    return sockets


def require_token_off_loopback(settings) -> None:
    """Bound to any non-loopback address the server must not be an open door."""
    import ipaddress

    from ..errors import AssistantError

    host = settings.host.strip("[]")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not settings.access_token:
        raise AssistantError(
            f"绑定 {settings.host} 会向网络开放服务，必须设置访问令牌（--token 或 PA_ACCESS_TOKEN）。"
            f" Refusing to bind {settings.host} without an access token: pass --token or set PA_ACCESS_TOKEN."
        )


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, "--host", help=f"address to bind (default: $PA_HOST, else "
                                       f"{Settings.host}: this machine only)"),
    port: Optional[int] = typer.Option(None, "--port", help=f"port (default: $PA_PORT, else {Settings.port})"),
    token: Optional[str] = typer.Option(None, "--token", help="access token for /api and /v1 (or PA_ACCESS_TOKEN); "
                                        "required when binding anything but a loopback address"),
    corpus: Optional[Path] = CorpusOpt,
    index_dir: Optional[Path] = IndexOpt,
) -> None:
    """Run the web chat and the HTTP API in one process (models and index loaded once).

    The web UI is at /, the JSON API at /api/..., an OpenAI-compatible endpoint at
    /v1/chat/completions and the API docs at /docs. The index is built on first run.

    \b
    Examples:
      policy-assistant serve
      policy-assistant serve --port 8080
      PA_PORT=8080 policy-assistant serve
      PA_ACCESS_TOKEN=secret policy-assistant serve --host 0.0.0.0 --port 7860
    """
    t0 = time.perf_counter()
    settings = settings_from(corpus, index_dir, host=host, port=port, access_token=token)
    require_token_off_loopback(settings)
    sockets = bind_port(settings)  # before the slow imports and loads: a taken port fails fast
    try:
        _load_and_serve(settings, sockets, started=t0)
    finally:
        for sock in sockets:  # uvicorn closes them on shutdown; this covers a failed load
            sock.close()


def _load_and_serve(settings, sockets, *, started: float) -> None:
    """Load corpus, index and model, then serve on the sockets bound by ``bind_port``."""
    import uvicorn

    from ..api import create_app
    from ..config import offline_env
    from ..corpus import load_corpus
    from ..engine import Engine
    from ..errors import IndexCorruptError

    offline_env()
    _say(f"加载语料 loading corpus {settings.corpus_dir} …")
    docs = load_corpus(settings)
    prepare_index(settings, docs)
    _say("加载模型与索引 loading the model, index and rules table …")
    try:
        engine = Engine.load(settings)
    except IndexCorruptError as exc:  # damage prepare_index cannot see (a truncated chunks.jsonl …)
        from ..index import build_index

        _say(f"索引无法读取，正在重建 rebuilding the index: {exc}")
        build_index(settings, docs, rebuild=True, progress=True)
        engine = Engine.load(settings)
    try:  # one question now, so the first user does not pay for lazy loading (jieba, first query)
        engine.ask(WARMUP_QUESTION)
    except Exception as exc:  # noqa: BLE001 - a failed warm-up must not stop the server
        _say(f"预热失败 warm-up failed (the server still starts): {exc}")
    application = create_app(settings, engine=engine)
    url = f"http://{settings.host}:{settings.port}/"
    loaded = time.perf_counter() - started

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            if self.started and not self.should_exit:  # bound: the URL works from now on
                typer.echo(f"政策文件助手已启动 running at {url}  (加载 {loaded:.1f}s)\n"
                           f"  网页 web chat: {url}\n  API 文档 docs: {url}docs\n"
                           f"  OpenAI 兼容 compatible: {url}v1  (model: policy-assistant)\n"
                           "  按 Ctrl+C 停止 press Ctrl+C to stop")
                sys.stdout.flush()

    config = uvicorn.Config(application, host=settings.host, port=settings.port, log_level="warning",
                            timeout_graceful_shutdown=5)
    server = Server(config)
    server.run(sockets=sockets)
    if not server.started:
        raise typer.Exit(1)
