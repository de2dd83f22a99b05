"""Security audit over a real `policy-assistant serve` subprocess whose corpus and index live in a
tmp folder, with an access token: no response names a server folder, bodies are limited, the
token guards /api and /v1, and user or document markup never becomes live HTML."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.engine import answer_from_dict

from server_util import ROOT, start_server
from workspace import copy_workspace

pytestmark = pytest.mark.slow

TOKEN = "s3cret-t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
       "重庆筹建期限<script>alert(1)</script>是多久？", "天津<img src=x onerror=alert(1)>公示期几天"]


@pytest.fixture(scope="module")
def served(tmp_path_factory, index_settings):
    root = tmp_path_factory.mktemp("secure")
    settings = copy_workspace(index_settings, root, access_token=TOKEN)
    srv = start_server(settings)
    yield srv, settings, root
    srv.stop()


@pytest.fixture(scope="module")
def http(served):
    with httpx.Client(base_url=served[0].url, timeout=60, headers=AUTH) as client:
        yield client


def forbidden(settings, root: Path) -> list[str]:
    """Strings no response may contain: our folders and the usual roots of any absolute path."""
    out = {str(root), str(root.resolve()), str(settings.corpus_dir), str(settings.index_dir),
           str(settings.embed_model), sys.prefix, str(ROOT), "/home/", "/work/", "/tmp/", "/root/",
           "/usr/", "/opt/", "site-packages", ".venv"}
    return sorted(out)


def assert_no_paths(response, bad: list[str]) -> None:
    text = response.content.decode("utf-8", errors="replace")
    text += json.dumps(dict(response.headers))
    leaks = [b for b in bad if b in text]
    assert not leaks, f"{response.request.method} {response.request.url} leaks {leaks}: {text[:600]}"


def _requests():
    """(method, path, kwargs) for every /api and /v1 endpoint and format, and every error kind."""
    chat = {"model": "policy-assistant", "messages": [{"role": "user", "content": "重庆筹建期限几年？"}]}
    ok = [
        ("GET", "/api/health", {}),
        ("POST", "/api/ask", {"json": {"question": "重庆验收合格分数是多少？"}}),
        ("POST", "/api/ask", {"json": {"question": "火星碳计量中心的筹建期限？"}}),
        ("POST", "/api/search", {"json": {"query": "筹建期限", "k": 3}}),
        ("GET", "/api/rules", {}),
        ("GET", "/api/rules", {"params": {"format": "csv", "jurisdiction": "重庆"}}),
        *[("GET", "/api/compare", {"params": {"jurisdictions": "湖北,重庆,天津", "format": f}})
          for f in ("json", "csv", "markdown", "xlsx")],
        ("POST", "/api/timeline", {"json": {"doc_id": "chongqing-carbon-2024", "event": "approved",
                                            "date": "2024-06-01"}}),
        ("GET", "/api/timeline.ics", {"params": {"doc": "chongqing-carbon-2024", "event": "change",
                                                 "date": "2025-09-26"}}),
        ("POST", "/api/check", {"json": {"text": "重庆碳计量中心筹建期为5年。", "jurisdiction": "重庆"}}),
        ("GET", "/api/documents", {}),
        *[("GET", f"/api/documents/{d}", {}) for d in ("hubei-carbon-2023", "dongying-plan")],
        ("GET", "/v1/models", {}),
        ("POST", "/v1/chat/completions", {"json": chat}),
        ("POST", "/v1/chat/completions", {"json": {**chat, "stream": True}}),
        ("GET", "/openapi.json", {}),
    ]
    errors = [
        ("POST", "/api/ask", {"json": {"question": "  "}}, 400),
        ("POST", "/api/ask", {"json": {"question": "筹建期限", "jurisdiction": "火星"}}, 400),
        ("POST", "/api/ask", {"json": {"question": "x" * 5000}}, 400),
        ("POST", "/api/search", {"json": {"query": "筹建", "kind": "poem"}}, 400),
        ("POST", "/v1/chat/completions", {"json": {"messages": [{"role": "assistant", "content": "hi"}]}}, 400),
        ("GET", "/api/documents/no-such-doc", {}, 404),
        ("GET", "/api/nowhere", {}, 404),
        ("PUT", "/api/ask", {}, 405),
        ("POST", "/api/timeline", {"json": {"doc_id": "nope", "event": "approved", "date": "2024-06-01"}}, 404),
        ("POST", "/api/timeline", {"json": {"doc_id": "chongqing-carbon-2024", "event": "x", "date": "someday"}}, 422),
        ("GET", "/api/timeline.ics", {"params": {"doc": "nope", "event": "change", "date": "2025-09-26"}}, 404),
        ("GET", "/api/timeline.ics", {"params": {"doc": "chongqing-carbon-2024", "event": "x", "date": "2025-09-26"}}, 400),
        ("GET", "/api/timeline.ics", {"params": {"doc": "chongqing-carbon-2024", "event": "change", "date": "someday"}}, 422),
        ("POST", "/api/ask", {"content": b'{"question": ', "headers": {"content-type": "application/json"}}, 422),
        ("POST", "/api/ask", {"json": {"question": "q", "unexpected": 1}}, 422),
        ("POST", "/api/ask", {"json": {"question": "q" * 300_000}}, 413),
        ("POST", "/v1/chat/completions", {"content": b"x" * 300_000}, 413),
    ]
    return ok, errors


def test_no_response_names_a_server_folder(served, http):
    srv, settings, root = served
    bad = forbidden(settings, root)
    ok, errors = _requests()
    for method, path, kwargs in ok:
        r = http.request(method, path, **kwargs)
        assert r.status_code == 200, (path, r.text[:300])
        assert_no_paths(r, bad)
    for method, path, kwargs, status in errors:
        r = http.request(method, path, **kwargs)
        assert r.status_code == status, (method, path, r.status_code, r.text[:300])
        body = r.json()
        assert body["error"]["code"] == status and "Traceback" not in body["error"]["message"]
        assert_no_paths(r, bad)
    # without the token: 401 for every guarded endpoint, also path-free
    for method, path, kwargs in ok:
        if path in ("/api/health", "/openapi.json"):
            continue
        r = httpx.request(method, srv.url + path, timeout=60, **kwargs)
        assert r.status_code == 401, (path, r.status_code)
        assert r.json()["error"]["type"] == "authentication_error"
        assert_no_paths(r, bad)


def test_a_broken_index_on_disk_is_reported_without_its_path(served, http):
    """Reload errors (health) and index errors name the fix, never the server's folders."""
    srv, settings, root = served
    bad = forbidden(settings, root)
    pointer = settings.index_dir / "current.json"
    saved = pointer.read_bytes()
    try:
        pointer.write_text("{garbage", encoding="utf-8")
        time.sleep(1.2)  # LiveEngine looks at the pointer at most once a second
        http.post("/api/ask", json={"question": "重庆验收合格分数是多少？"})  # a request triggers the check
        r = http.get("/api/health")
        h = r.json()
        assert r.status_code == 200 and h["reloads"]["last_error"], h
        assert "current.json" in h["reloads"]["last_error"] and "index --rebuild" in h["reloads"]["last_error"]
        assert_no_paths(r, bad)
        r = http.post("/api/ask", json={"question": "重庆验收合格分数是多少？"})
        assert r.status_code == 200  # the previous engine keeps answering
        assert_no_paths(r, bad)
    finally:
        pointer.write_bytes(saved)


def test_unit_path_redaction():
    from assistant.errors import without_paths

    assert without_paths("索引指针 /srv/pa/indexes/current.json 无法读取（x）") == "索引指针 current.json 无法读取（x）"
    assert without_paths("No such file: '/tmp/a/b/params.json'") == "No such file: 'params.json'"
    assert without_paths("at /home/u/x/ now") == "at x now"
    keep = "服务器 http://127.0.0.1:8000/api/v2 · 3年 / 36个月 · 1/2 · a/b"
    assert without_paths(keep) == keep


def test_overview_source_is_a_file_name(docs):
    from dataclasses import replace

    from assistant.overview import overview

    doc = docs[0]
    moved = replace(doc, meta=replace(doc.meta, source="/srv/secret/corpus/sub/file.txt"))
    assert overview([moved])[0]["source"] == "file.txt"


def test_body_limit_is_413_on_api_and_v1(served, http):
    for path in ("/api/ask", "/api/check", "/v1/chat/completions"):
        r = http.post(path, content=b"{" + b" " * (256 * 1024 + 10) + b"}",
                      headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["error"]["type"] == "request_too_large", path


def test_wrong_or_missing_token_is_401_everywhere(served):
    srv = served[0]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}):
        for method, path in (("GET", "/api/documents"), ("POST", "/api/ask"), ("GET", "/v1/models"),
                             ("POST", "/v1/chat/completions"), ("GET", "/api/rules")):
            r = httpx.request(method, srv.url + path, headers=headers, json={}, timeout=30)
            if headers.get("Authorization") == TOKEN:  # a bare token (no "Bearer ") is accepted too
                assert r.status_code != 401, (path, headers)
                continue
            assert r.status_code == 401, (path, headers, r.status_code)
    assert httpx.get(srv.url + "/api/health").status_code == 200  # health stays open for probes


@pytest.mark.parametrize("question", XSS)
def test_markup_in_a_question_never_becomes_html(http, question):
    from ui.render import answer_markdown, sources_html

    r = http.post("/api/ask", json={"question": question})
    assert r.status_code == 200, r.text
    answer = r.json()
    # JSON carries plain text: the question comes back literally in "question" (data, for the
    # client to escape), and the answer markdown never echoes the user's markup
    assert r.headers["content-type"].startswith("application/json")
    assert answer["question"] == question
    assert "<script" not in answer["answer"] and "<img" not in answer["answer"]
    # the UI renders the answer with every tag neutralised
    md = answer_markdown(answer_from_dict(answer))
    assert "<script" not in md and "<img" not in md
    html = sources_html(answer_from_dict(answer), {})
    assert "<script" not in html and "<img" not in html
    # the OpenAI-compatible path gives the same plain text
    r = http.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": question}]})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == answer["answer"]


def test_ui_render_helpers_escape_document_text():
    from ui.render import answer_markdown, md_safe

    evil = {"answer": "见 <img src=x onerror=alert(1)> 与 <script>alert(1)</script>",
            "citations": [{"doc_id": "d", "title": "<b>标题</b>", "jurisdiction": "<i>x</i>",
                           "article": "第一条", "quote": "<script>alert(2)</script>", "start": 0, "end": 1}],
            "checks": [{"claim": "<img src=y onerror=alert(3)>", "status": "unsupported"}]}
    md = answer_markdown(answer_from_dict(evil))
    for tag in ("<img", "<script", "<b>", "<i>"):
        assert tag not in md
    assert md_safe("<a href='javascript:alert(1)'>x</a>").startswith("&lt;a")



def test_web_ui_and_its_gradio_api_are_behind_the_token(served):
    """Off loopback the token is mandatory; gradio's own API (which asks, adds and removes
    documents) must want it too, not only /api and /v1."""
    srv = served[0]
    for path in ("/config", "/gradio_api/info"):
        r = httpx.get(srv.url + path, timeout=30)
        assert r.status_code in (401, 403), (path, r.status_code, r.text[:200])
