"""The HTTP API and the server app: FastAPI with the gradio UI mounted at ``/``.

One Engine (documents, rules table, retriever, models) is loaded once and shared by the
JSON API (``/api/...``), the OpenAI-compatible endpoints (``/v1/...``) and the web UI.
Errors are always JSON ``{"error": {"message", "type", "code"}}`` with the right status
(the shape OpenAI clients expect), never a traceback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import logging
import re
import secrets
import time
import uuid
from pathlib import Path
from dataclasses import asdict, is_dataclass
from typing import Any, Literal, Optional, Union

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .config import Settings
from .errors import (AssistantError, BadQuestionError, IndexCorruptError, IndexMismatchError,
                     IndexMissingError, ModelMissingError, StoreUnavailableError,
                     UnknownDocumentError, UnknownJurisdictionError, without_paths)

log = logging.getLogger(__name__)

MODEL_ID = "policy-assistant"
MAX_BODY_BYTES = 256 * 1024  # a question plus a long history fits many times over
STREAM_PIECE_CHARS = 24
LIMITED_PREFIXES = ("/api/", "/v1/")


# --------------------------------------------------------------------------- JSON helpers

def jsonable(obj: Any) -> Any:
    """Our dataclasses (and dates, tuples) → plain JSON values."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


def error_body(message: str, *, type_: str, status: int, param: str | None = None, details=None) -> dict:
    err = {"message": message, "type": type_, "code": status, "param": param}
    if details is not None:
        err["details"] = details
    return {"error": err}


def error_response(status: int, message: str, *, type_: str, param: str | None = None, details=None) -> JSONResponse:
    return JSONResponse(error_body(message, type_=type_, status=status, param=param, details=details),
                        status_code=status)


_STATUS = (
    (UnknownDocumentError, 404, "not_found"),
    ((IndexMissingError, IndexMismatchError, IndexCorruptError, ModelMissingError, StoreUnavailableError),
     503, "service_unavailable"),
    ((UnknownJurisdictionError, BadQuestionError), 400, "invalid_request_error"),
)


def status_of(exc: AssistantError) -> tuple[int, str]:
    for kinds, status, type_ in _STATUS:
        if isinstance(exc, kinds):
            return status, type_
    return 400, "invalid_request_error"


# --------------------------------------------------------------------------- middleware

class BodyLimitMiddleware:
    """Reject request bodies over ``limit`` bytes with 413 (Content-Length or streamed)."""

    def __init__(self, app, *, limit: int, prefixes: tuple[str, ...] = LIMITED_PREFIXES):
        self.app, self.limit, self.prefixes = app, limit, prefixes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._reject(scope, receive, send)
        # no (or a lying) Content-Length: read the body up to the limit first, then replay it
        # (API bodies are small; FastAPI would turn an error raised mid-read into a 400)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                return await self._reject(scope, receive, send)
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope, receive, send):
        response = error_response(
            413, f"请求体过大（上限 {self.limit // 1024} KB）。 Request body too large: limit is {self.limit} bytes.",
            type_="request_too_large")
        await response(scope, receive, send)


# --------------------------------------------------------------------------- request models

class ChatTurn(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str = ""


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "重庆的碳计量中心筹建期是几年？", "jurisdiction": "重庆"},
        {"question": "那验收要提前多久申请？", "history": [
            {"role": "user", "content": "重庆的碳计量中心筹建期是几年？"},
            {"role": "assistant", "content": "筹建单位应在3年内完成建设工作。"}]},
    ]})

    question: str = Field(description="问题 the question")
    jurisdiction: Optional[Union[str, list[str]]] = Field(
        None, description="地区 filter, e.g. 重庆 / 鄂; a list of several (a comparison) is checked and left to the question")
    doc_id: Optional[str] = Field(None, description="restrict to one document id")
    history: list[ChatTurn] = Field(default_factory=list, description="earlier turns, OpenAI style; trimmed to the last 20")


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"query": "筹建期限", "k": 5, "jurisdiction": "湖北"}]})

    query: str
    k: int = Field(5, ge=1, le=50)
    jurisdiction: Optional[Union[str, list[str]]] = None
    doc_id: Optional[Union[str, list[str]]] = None
    kind: Optional[Union[str, list[str]]] = Field(None, description="regulation | plan | news")
    mode: Literal["hybrid", "bm25", "dense"] = "hybrid"


class TimelineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"doc_id": "chongqing-carbon-2024", "event": "approved", "date": "2024-06-01"}]})

    doc_id: str
    event: str = Field(description="approved | assessed | established | notice | change | acceptance_submitted")
    date: dt.date
    cycles: int = Field(1, ge=1, le=10)


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "重庆碳计量中心筹建期为5年。", "jurisdiction": "重庆"}]})

    text: str
    doc_id: Optional[Union[str, list[str]]] = None
    jurisdiction: Optional[Union[str, list[str]]] = None


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: Optional[Union[str, list[dict]]] = None


class ChatCompletionRequest(BaseModel):
    """OpenAI chat-completions request; unknown OpenAI options are accepted and ignored.

    Extra fields (``extra_body`` in the openai client): ``jurisdiction``, ``doc_id``.
    """

    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[OpenAIMessage]
    stream: bool = False
    stream_options: Optional[dict] = None
    jurisdiction: Optional[Union[str, list[str]]] = None
    doc_id: Optional[str] = None


# --------------------------------------------------------------------------- engine calls

def answer_json(engine, settings: Settings, question: str, **kwargs) -> dict:
    """service.ask (limits, history, the engine gate) → Answer JSON, the API's edge."""
    from .engine import answer_to_dict
    from .service import ask

    return answer_to_dict(ask(engine, settings, question, **kwargs))


def message_text(content) -> str:
    """OpenAI message content (a string or a list of parts) → plain text."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict) and part.get("type", "text") == "text")


def document_with_rules(doc, table) -> dict:
    """Document structure (overview.document_structure) with each article's rules attached."""
    from .overview import document_structure

    data = document_structure(doc)
    sub = table.filter(doc_ids=[doc.id])
    rows = sub.to_rows()
    by_article: dict[str, list] = {}
    for row in rows:
        by_article.setdefault(row["article"], []).append(row)
    for art in data["articles"]:
        art["rules"] = by_article.get(art["label"], [])
    data["rules"] = rows
    return data


def health(engine, settings: Settings) -> dict:
    """Index, model and store status; "degraded" (still 200) when the vector store fails."""
    retriever = engine.retriever
    params = getattr(retriever, "params", {}) or {}
    store = {"mode": "server" if settings.chroma_url else "embedded", "url": settings.chroma_url or None,
             "collection": params.get("collection", ""), "ok": True}
    try:
        retriever.check_store()  # counts the collection: reaches a chroma server when there is one
    except AssistantError as exc:
        store.update(ok=False, error=without_paths(exc))
    except Exception as exc:  # health must answer even when the store misbehaves
        store.update(ok=False, error=without_paths(f"{type(exc).__name__}: {exc}"))
    embedder = getattr(retriever, "embedder", None)
    table = engine.table
    return {
        "status": "ok" if store["ok"] else "degraded",
        "documents": len(engine.docs),
        "rules": len(table.rules),
        "provisions": len(table.provisions),
        # no file-system paths in any response: names and ids only
        "index": {"build_id": getattr(retriever, "build_id", ""),
                  "chunks": len(getattr(retriever, "chunks", ()) or ()),
                  "chunking": params.get("chunking"), "built_at": params.get("built_at")},
        "model": {"name": getattr(embedder, "name", None) or Path(str(settings.embed_model)).name,
                  "loaded": bool(getattr(embedder, "loaded", False))},
        "store": store,
        "llm": {"enabled": bool(settings.llm_base_url), "model": settings.llm_model or None},
    }


# --------------------------------------------------------------------------- OpenAI compat

def completion_body(answer: dict, *, model: str, completion_id: str, created: int) -> dict:
    text = answer["answer"]
    prompt_chars = len(answer["question"])
    return {
        "id": completion_id, "object": "chat.completion", "created": created, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop",
                     "logprobs": None}],
        "usage": {"prompt_tokens": prompt_chars, "completion_tokens": len(text), "total_tokens": prompt_chars + len(text)},
        "citations": answer["citations"], "checks": answer["checks"], "policy_assistant": answer,
    }


def stream_pieces(text: str, size: int = STREAM_PIECE_CHARS) -> list[str]:
    """Split an answer into stream deltas at line ends or every ``size`` characters."""
    pieces = []
    for line in text.splitlines(keepends=True):
        while len(line) > size:
            pieces.append(line[:size])
            line = line[size:]
        if line:
            pieces.append(line)
    return pieces or [""]


def sse_events(answer: dict, *, model: str, completion_id: str, created: int, include_usage: bool):
    def chunk(delta: dict, finish=None, **extra) -> str:
        body = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in stream_pieces(answer["answer"]):
        yield chunk({"content": piece})
    yield chunk({}, "stop", citations=answer["citations"], checks=answer["checks"], policy_assistant=answer)
    if include_usage:
        full = completion_body(answer, model=model, completion_id=completion_id, created=created)
        body = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [], "usage": full["usage"]}
        yield f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


# --------------------------------------------------------------------------- the app

def _split(value: Optional[str]) -> Optional[list[str]]:
    if not value:
        return None
    items = [v.strip() for v in re.split(r"[,，、\s]+", value) if v.strip()]
    return items or None


def _csv_or_list(values: Optional[list[str]]) -> Optional[list[str]]:
    """Query params given repeated (?j=a&j=b) or comma-separated (?j=a,b)."""
    if not values:
        return None
    out = []
    for v in values:
        out += _split(v) or []
    return out or None


def create_app(settings: Settings, *, engine=None, ui: bool = True) -> FastAPI:
    """The server app: JSON API, OpenAI-compatible endpoints and (``ui``) the gradio UI at ``/``.

    ``engine`` defaults to ``Engine.load(settings)``; it is loaded here, once, before the UI
    is built so every request shares the same models and index.
    """
    from . import __version__ as version
    from .live import LiveEngine

    live = engine if isinstance(engine, LiveEngine) else LiveEngine(settings, engine)

    app = FastAPI(
        title="政策文件助手 Policy-document assistant",
        version=version,
        description=(
            "Answers about Chinese metrology policy documents (碳计量中心 / 计量数据中心), every number "
            "checked against a rules table extracted from the documents.\n\n"
            "* `/api/*`: JSON API (ask, search, rules, compare, timeline, check, documents, health).\n"
            "* `/v1/chat/completions`, `/v1/models`: OpenAI-compatible; the message content is the answer, "
            "`citations`, `checks` and the full Answer JSON (`policy_assistant`) ride along as extra fields.\n"
            "* `/`: the web UI."
        ),
        docs_url="/docs", redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.engine = live
    app.state.settings = settings
    app.add_middleware(BodyLimitMiddleware, limit=MAX_BODY_BYTES)
    _install_error_handlers(app)
    auth = _auth_dependency(settings)
    app.include_router(_api_router(live, settings), dependencies=auth)
    app.include_router(_openai_router(live, settings), dependencies=auth)
    _install_fallback(app)
    if ui:
        import gradio as gr

        from ui.app import CSS, LOGIN_MESSAGE, UPLOAD_MAX_BYTES, ChineseLocale, build_ui, theme, ui_login

        blocks = build_ui(live)
        gr.mount_gradio_app(app, blocks, path="/", footer_links=["api"], css=CSS, theme=theme(),
                            show_error=False, ssr_mode=False, max_file_size=UPLOAD_MAX_BYTES,
                            auth=ui_login(settings.access_token), auth_message=LOGIN_MESSAGE)
        app.add_middleware(ChineseLocale, path="/")  # gradio's own strings in Chinese in every browser
    return app


def _auth_dependency(settings: Settings) -> list:
    """With PA_ACCESS_TOKEN set, /api and /v1 want `Authorization: Bearer <token>` (health stays open)."""
    token = settings.access_token
    if not token:
        return []

    def check(request: Request) -> None:
        if request.url.path == "/api/health":
            return
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given.removeprefix("Bearer ").strip(), token):
            raise StarletteHTTPException(401, "缺少或错误的访问令牌。 Missing or wrong access token (Authorization: Bearer …).")

    return [Depends(check)]


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError):
        status, type_ = status_of(exc)
        return error_response(status, without_paths(exc), type_=type_)  # no server folders in responses

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        parts = []
        for e in errors:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            if e.get("type") == "json_invalid":
                ctx = e.get("ctx") or {}
                parts.append(f"请求体不是合法的 JSON（{ctx.get('error', 'JSON decode error')}，位置 {where or '?'}）。"
                             " Malformed JSON body.")
            else:
                parts.append(f"{where or 'body'}: {e.get('msg')}")
        message = "请求无效 invalid request: " + "; ".join(parts)
        details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return error_response(422, message, type_="invalid_request_error", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
        if exc.status_code == 404 and message in ("Not Found", ""):
            message = f"没有这个地址 {request.url.path}。 Not found; see /docs for the API."
        elif exc.status_code == 405 and message in ("Method Not Allowed", ""):
            message = f"{request.method} 不适用于 {request.url.path}。 Method not allowed; see /docs."
        type_ = {401: "authentication_error", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        return error_response(exc.status_code, message, type_=type_)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return error_response(500, f"服务器内部错误，请稍后重试。 Internal error ({type(exc).__name__}).",
                              type_="server_error")


def _install_fallback(app: FastAPI) -> None:
    """Unknown /api and /v1 paths answer JSON 404 (or 405) instead of falling through to the UI."""
    from starlette.routing import Match

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    async def no_route(request: Request, rest: str = ""):
        for route in app.router.routes:
            if getattr(route, "endpoint", None) is no_route:
                continue
            match, _ = route.matches(request.scope)
            if match == Match.PARTIAL:
                raise StarletteHTTPException(405)
        raise StarletteHTTPException(404)

    for prefix in ("/api", "/v1"):
        app.add_api_route(prefix + "/{rest:path}", no_route, methods=methods, include_in_schema=False)


def _api_router(live, settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["api"])

    @router.get("/health", summary="Index, model and store status")
    def get_health():
        engine = live.current()  # per request: one corpus, old or new, never a mix (assistant/live.py)
        return {**health(engine, settings),
                "reloads": {"count": live.reloads,
                            "last_error": without_paths(live.last_error) if live.last_error else None}}

    @router.post("/ask", summary="Answer a question (Answer JSON)")
    def post_ask(body: AskRequest):
        engine = live.current()
        return answer_json(engine, settings, body.question, jurisdiction=body.jurisdiction, doc_id=body.doc_id,
                           history=[t.model_dump() for t in body.history])

    @router.post("/search", summary="Hybrid (BM25 + dense) search over articles")
    def post_search(body: SearchRequest):
        engine = live.current()
        query = body.query.strip()
        if not query:
            raise BadQuestionError("检索词为空。 The query is empty.")
        if len(query) > settings.max_question_chars:
            raise BadQuestionError(f"检索词过长（上限 {settings.max_question_chars} 字）。 The query is too long.")
        from .retrieve import hit_to_dict
        from .types import KINDS

        listify = lambda v: [v] if isinstance(v, str) else v  # noqa: E731
        bad = [k for k in listify(body.kind) or [] if k not in KINDS]
        if bad:
            raise BadQuestionError(f"未知的文档类型 {', '.join(bad)}。可用: {', '.join(KINDS)}。"
                                   f" Unknown kind; valid: {', '.join(KINDS)}.")
        hits = engine.retriever.search(query, k=body.k, jurisdictions=listify(body.jurisdiction),
                                               doc_ids=listify(body.doc_id), kinds=listify(body.kind), mode=body.mode)
        return {"query": query, "mode": body.mode, "hits": [hit_to_dict(h) for h in hits]}

    @router.get("/rules", summary="The rules table (numeric rules and provisions), filtered")
    def get_rules(
        jurisdiction: Optional[list[str]] = Query(None, description="地区, repeated or comma-separated"),
        doc: Optional[list[str]] = Query(None, description="document id(s)"),
        topic: Optional[list[str]] = Query(None, description="topic key(s), e.g. construction_period"),
        kind: Optional[str] = Query(None, description="numeric | conditions | tasks | revocation | materials"),
        format: Literal["json", "csv"] = Query("json"),
    ):
        engine = live.current()
        table = engine.table.filter(doc_ids=_csv_or_list(doc), jurisdictions=_csv_or_list(jurisdiction),
                                            topic=_csv_or_list(topic), kind=kind or None)
        if format == "csv":
            return Response(table.to_csv(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="rules.csv"'})
        data = json.loads(table.to_json(indent=None))  # the shape of `policy-assistant rules --json`
        return {"count": len(data["rules"]) + len(data["provisions"]), **data}

    @router.get("/compare", summary="Compare topics across jurisdictions/documents")
    def get_compare(
        jurisdictions: Optional[list[str]] = Query(None, description="e.g. 湖北,重庆,天津"),
        topics: Optional[list[str]] = Query(None, description="topic keys, e.g. construction_period,pass_score"),
        docs: Optional[list[str]] = Query(None, description="document ids (instead of jurisdictions)"),
        format: Literal["json", "csv", "xlsx", "markdown"] = Query("json"),
    ):
        engine = live.current()
        from .compare import compare

        comparison = compare(engine.table, engine.docs, doc_ids=_csv_or_list(docs),
                             jurisdictions=_csv_or_list(jurisdictions), topics=_csv_or_list(topics))
        if format == "csv":
            return Response("\ufeff" + comparison.to_csv(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="compare.csv"'})
        if format == "xlsx":
            buf = io.BytesIO()
            comparison.to_xlsx(buf)
            return Response(buf.getvalue(),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": 'attachment; filename="compare.xlsx"'})
        if format == "markdown":
            return Response(comparison.to_markdown(), media_type="text/markdown; charset=utf-8")
        return comparison.to_dict()

    @router.post("/timeline", summary="Deadlines that follow an event under a document's rules")
    def post_timeline(body: TimelineRequest):
        engine = live.current()
        from .corpus import get_document
        from .timeline import EVENTS, compute_timeline, event_to_dict

        doc = get_document(engine.docs, body.doc_id)
        events = compute_timeline(doc, engine.table, event=body.event, date=body.date, cycles=body.cycles)
        return {"doc_id": doc.id, "event": body.event, "event_label": EVENTS.get(body.event, body.event),
                "date": body.date.isoformat(), "events": [event_to_dict(e) for e in events]}

    @router.get("/timeline.ics", summary="The same deadlines as an iCalendar file (one all-day event each)",
                response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
    def get_timeline_ics(
        doc: str = Query(..., description="document id, e.g. chongqing-carbon-2024"),
        event: str = Query(..., description="approved | assessed | established | notice | change | acceptance_submitted"),
        date: dt.date = Query(..., description="date of the event, YYYY-MM-DD"),
        cycles: int = Query(1, ge=1, le=10),
    ):
        engine = live.current()
        from .corpus import get_document
        from .ics import ics_filename, timeline_ics
        from .timeline import compute_timeline

        document = get_document(engine.docs, doc)
        events = compute_timeline(document, engine.table, event=event, date=date, cycles=cycles)
        body = timeline_ics(events, doc=document, table=engine.table, event=event, date=date)
        return Response(body, media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition":
                                 f'attachment; filename="{ics_filename(document.id, event, date)}"'})

    @router.post("/check", summary="Check every number of a text against the rules table")
    def post_check(body: CheckRequest):
        engine = live.current()
        from .check import check

        if len(body.text) > 20_000:
            raise BadQuestionError("文本过长（上限 20000 字）。 The text is too long (limit 20000 characters).")
        checks = check(body.text, table=engine.table, docs=engine.docs, doc_ids=body.doc_id,
                       jurisdictions=body.jurisdiction)
        return {"checks": jsonable(checks)}

    @router.get("/documents", summary="The corpus overview")
    def get_documents():
        engine = live.current()
        from .overview import overview

        return {"documents": overview(engine.docs)}

    @router.get("/documents/{doc_id}", summary="One document: chapters, articles and the rules in each")
    def get_document_route(doc_id: str):
        engine = live.current()
        from .corpus import get_document

        return document_with_rules(get_document(engine.docs, doc_id), engine.table)

    return router


def _openai_router(live, settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["openai"])
    started = int(time.time())

    @router.get("/models", summary="OpenAI-compatible model list")
    def list_models():
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": started,
                                             "owned_by": "policy-assistant"}]}

    @router.post("/chat/completions", summary="OpenAI-compatible chat completions (non-streaming and SSE)")
    async def chat_completions(body: ChatCompletionRequest):
        engine = live.current()
        turns = [{"role": m.role, "content": message_text(m.content)} for m in body.messages]
        if not turns or turns[-1]["role"] != "user":
            raise BadQuestionError("messages 的最后一条必须是 user 消息。 The last message must have role 'user'.")
        question = turns[-1]["content"]
        answer = await run_in_threadpool(answer_json, engine, settings, question, jurisdiction=body.jurisdiction,
                                         doc_id=body.doc_id, history=turns[:-1])
        completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
        created = int(time.time())
        model = body.model or MODEL_ID
        if not body.stream:
            return completion_body(answer, model=model, completion_id=completion_id, created=created)
        include_usage = bool((body.stream_options or {}).get("include_usage"))

        async def events():
            for event in sse_events(answer, model=model, completion_id=completion_id, created=created,
                                    include_usage=include_usage):
                yield event
                await asyncio.sleep(0)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return router
