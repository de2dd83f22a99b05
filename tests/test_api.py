"""The HTTP API over a real `policy-assistant serve` subprocess (httpx against 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import io
import json

import httpx
import pytest

from server_util import start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(index_settings):
    srv = start_server(index_settings)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def error_message(response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == response.status_code
    assert "Traceback" not in body["error"]["message"]
    return body["error"]["message"]


# ----------------------------------------------------------------------------- server

def test_startup_prints_the_url(server):
    assert f"running at {server.url}/" in server.log()


def test_health(http):
    r = http.get("/api/health")
    assert r.status_code == 200
    h = r.json()
    assert h["status"] == "ok" and h["documents"] == 6 and h["rules"] > 20
    assert h["index"]["chunks"] > 100 and h["index"]["build_id"]
    assert h["model"]["name"] == "m3e-small" and h["model"]["loaded"] is True
    assert h["store"] == {**h["store"], "mode": "embedded", "ok": True}


def test_docs_and_openapi(http):
    r = http.get("/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()
    paths = http.get("/openapi.json").json()["paths"]
    for path in ("/api/ask", "/api/search", "/api/rules", "/api/compare", "/api/timeline", "/api/timeline.ics",
                 "/api/check", "/api/documents", "/api/documents/{doc_id}", "/api/health", "/v1/chat/completions", "/v1/models"):
        assert path in paths, path


def test_web_ui_is_mounted_at_root(http):
    r = http.get("/")
    assert r.status_code == 200 and "<html" in r.text.lower()


# ----------------------------------------------------------------------------- ask

def test_ask_returns_answer_json(http):
    r = http.post("/api/ask", json={"question": "重庆的碳计量中心批下来以后，筹建最多给几年？", "jurisdiction": "重庆"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert set(a) >= {"question", "answer", "intent", "jurisdictions", "abstained", "citations", "values",
                      "checks", "timings_ms"}
    assert a["intent"] == "numeric" and a["jurisdictions"] == ["重庆"] and not a["abstained"]
    assert "3年" in a["answer"]
    assert any(c["doc_id"] == "chongqing-carbon-2024" and c["article"] == "第十四条" for c in a["citations"])
    assert a["checks"] and all(c["status"] in ("verified", "contradicted", "unsupported") for c in a["checks"])
    assert not any(c["status"] == "contradicted" for c in a["checks"])
    assert a["timings_ms"]["total"] > 0


def test_ask_follow_up_inherits_jurisdiction_from_history(http):
    history = [{"role": "user", "content": "重庆的碳计量中心筹建期是几年？"},
               {"role": "assistant", "content": "筹建单位应在3年内完成建设工作。"}]
    r = http.post("/api/ask", json={"question": "那验收要提前多久申请？", "history": history})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["jurisdictions"] == ["重庆"]
    assert any(c["doc_id"] == "chongqing-carbon-2024" for c in a["citations"])


def test_ask_with_a_very_long_history_is_trimmed_not_rejected(http):
    history = []
    for n in range(60):
        history += [{"role": "user", "content": f"第{n}个问题：湖北的筹建期是几年？"},
                    {"role": "assistant", "content": "筹建工作一般应于3年内完成。" * 5}]
    history[-2] = {"role": "user", "content": "天津计量数据中心筹建期多久？"}
    r = http.post("/api/ask", json={"question": "验收要提前多久申请？", "history": history})
    assert r.status_code == 200, r.text
    assert r.json()["jurisdictions"] == ["天津"]  # the most recent turns are the ones kept


def test_ask_unanswerable_abstains(http):
    r = http.post("/api/ask", json={"question": "申请重庆市级碳计量中心要交多少申报费？", "jurisdiction": "重庆"})
    assert r.status_code == 200
    assert r.json()["abstained"] is True


@pytest.mark.parametrize("body, status, words", [
    ({"question": ""}, 400, ["问题为空"]),
    ({"question": "   "}, 400, ["问题为空"]),
    ({"question": "筹建" * 1500}, 400, ["问题过长", "2000"]),
    ({"question": "筹建期几年？", "jurisdiction": "火星"}, 400, ["未知的地区", "湖北"]),
    ({"question": "筹建期几年？", "doc_id": "nope"}, 404, ["nope"]),
    ({}, 422, ["question", "请求无效"]),
    ({"question": "筹建期几年？", "history": [{"role": "robot", "content": "x"}]}, 422, ["history"]),
    ({"question": "筹建期几年？", "surprise": 1}, 422, ["surprise"]),
])
def test_ask_bad_input(http, body, status, words):
    r = http.post("/api/ask", json=body)
    assert r.status_code == status, r.text
    message = error_message(r)
    for w in words:
        assert w in message


def test_malformed_json_is_422_with_a_message(http):
    r = http.post("/api/ask", content='{"question": "筹建期'.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "不是合法的 JSON" in error_message(r)


def test_oversized_body_is_413(http):
    big = json.dumps({"question": "筹建期几年？", "history": [{"role": "user", "content": "长" * 400_000}]})
    r = http.post("/api/ask", content=big.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "过大" in error_message(r)


def test_oversized_chunked_body_is_413(http):
    def body():  # no Content-Length: the limit must hold while streaming
        yield b'{"question": "'
        for _ in range(100):
            yield "长".encode() * 4000
        yield b'"}'

    r = http.post("/api/ask", content=body(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_unknown_route_and_method_are_json(http):
    r = http.get("/api/nothing-here")
    assert r.status_code == 404 and "/docs" in error_message(r)
    r = http.get("/api/ask")
    assert r.status_code == 405 and error_message(r)


# ----------------------------------------------------------------------------- search

def test_search_filters_by_jurisdiction(http):
    r = http.post("/api/search", json={"query": "筹建期限", "k": 3, "jurisdiction": "湖北"})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    assert len(hits) == 3 and {h["jurisdiction"] for h in hits} == {"湖北"}
    assert all(h["text"] and h["article"] for h in hits)


@pytest.mark.parametrize("body, status", [
    ({"query": "筹建", "mode": "magic"}, 422),
    ({"query": "筹建", "k": 0}, 422),
    ({"query": "筹建", "kind": "novel"}, 400),
    ({"query": "筹建", "doc_id": "nope"}, 404),
    ({"query": ""}, 400),
])
def test_search_bad_input(http, body, status):
    r = http.post("/api/search", json=body)
    assert r.status_code == status, r.text
    assert error_message(r)


# ----------------------------------------------------------------------------- rules, compare

def test_rules_filters_like_the_cli(http):
    r = http.get("/api/rules", params={"jurisdiction": "重庆", "topic": "construction_period"})
    assert r.status_code == 200
    data = r.json()
    assert data["provisions"] == [] and data["count"] == len(data["rules"]) >= 1
    rule = data["rules"][0]
    assert rule["doc_id"] == "chongqing-carbon-2024" and rule["value"] == 3 and rule["unit"] == "年"
    assert rule["article"] == "第十四条" and "3年" in rule["quote"]
    r = http.get("/api/rules", params={"doc": "chongqing-carbon-2024", "kind": "revocation"})
    data = r.json()
    assert data["rules"] == [] and data["provisions"]
    assert {p["kind"] for p in data["provisions"]} == {"revocation"}


def test_rules_csv_and_errors(http):
    r = http.get("/api/rules", params={"jurisdiction": "天津", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0].startswith("id,doc_id,jurisdiction")
    assert http.get("/api/rules", params={"topic": "nonsense"}).status_code == 400
    assert http.get("/api/rules", params={"doc": "nope"}).status_code == 404
    assert http.get("/api/rules", params={"jurisdiction": "火星"}).status_code == 400


def test_compare_table(http):
    r = http.get("/api/compare", params={"jurisdictions": "湖北,重庆,天津",
                                         "topics": "construction_period,public_notice_min"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert [t["topic"] for t in data["topics"]] == ["construction_period", "public_notice_min"]
    assert len(data["columns"]) == 4  # Hubei has two regulations
    cells = {(c["topic"], c["doc_id"]): c for c in data["cells"]}
    assert cells[("construction_period", "chongqing-carbon-2024")]["article"] == "第十四条"
    assert cells[("public_notice_min", "tianjin-data-2025")]["status"] == "silent"
    assert next(t for t in data["topics"] if t["topic"] == "public_notice_min")["differs"]


def test_compare_downloads(http):
    from openpyxl import load_workbook

    r = http.get("/api/compare", params={"jurisdictions": "湖北,重庆", "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(1, 1).value == "主题" and ws.max_row > 3
    r = http.get("/api/compare", params={"jurisdictions": "重庆,天津", "format": "csv"})
    assert "未规定" in r.text
    assert http.get("/api/compare", params={"topics": "nonsense"}).status_code == 400


# ----------------------------------------------------------------------------- timeline, check

def test_timeline(http):
    r = http.post("/api/timeline", json={"doc_id": "chongqing-carbon-2024", "event": "approved", "date": "2024-06-01"})
    assert r.status_code == 200, r.text
    events = r.json()["events"]
    by_name = {e["name"]: e for e in events}
    assert by_name["筹建期限届满"]["value"] == "2027-06-01"
    assert by_name["筹建期限届满"]["article"] == "第十四条" and by_name["筹建期限届满"]["rule_id"]


@pytest.mark.parametrize("body, status", [
    ({"doc_id": "nope", "event": "approved", "date": "2024-06-01"}, 404),
    ({"doc_id": "chongqing-carbon-2024", "event": "party", "date": "2024-06-01"}, 400),
    ({"doc_id": "chongqing-carbon-2024", "event": "approved", "date": "2024-13-45"}, 422),
])
def test_timeline_bad_input(http, body, status):
    r = http.post("/api/timeline", json=body)
    assert r.status_code == status, r.text
    assert error_message(r)


def test_timeline_ics(http):
    from icalendar import Calendar

    r = http.get("/api/timeline.ics", params={"doc": "chongqing-carbon-2024", "event": "change", "date": "2025-09-26"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    assert 'filename="chongqing-carbon-2024-change-2025-09-26.ics"' in r.headers["content-disposition"]
    (vevent,) = Calendar.from_ical(r.content).walk("VEVENT")
    assert vevent.decoded("dtstart") == dt.date(2025, 10, 13)  # official calendar: 国庆·中秋 and 调休 counted
    assert str(vevent["summary"]).startswith("重大变化报告最迟日")
    description = str(vevent["description"])
    assert "条款：第二十四条" in description and "应在7个工作日内向市市场监管局报告" in description
    r = http.get("/api/timeline.ics", params={"doc": "chongqing-carbon-2024", "event": "approved", "date": "2024-06-01"})
    dates = [v.decoded("dtstart") for v in Calendar.from_ical(r.content).walk("VEVENT")]
    assert dates == [dt.date(2027, 3, 1), dt.date(2027, 6, 1), dt.date(2028, 6, 1)]


@pytest.mark.parametrize("params, status, words", [
    ({"doc": "nope", "event": "change", "date": "2025-09-26"}, 404, ["未知文档"]),
    ({"doc": "chongqing-carbon-2024", "event": "party", "date": "2025-09-26"}, 400, ["未知事件", "Unknown event"]),
    ({"doc": "chongqing-carbon-2024", "event": "change", "date": "2025-02-30"}, 422, ["date"]),
    ({"doc": "chongqing-carbon-2024", "event": "change"}, 422, ["date"]),
    ({"doc": "dongying-plan", "event": "approved", "date": "2024-06-01"}, 400, ["筹建期限"]),
])
def test_timeline_ics_bad_input(http, params, status, words):
    r = http.get("/api/timeline.ics", params=params)
    assert r.status_code == status, r.text
    message = error_message(r)
    for w in words:
        assert w in message, w


def test_check_flags_a_wrong_number(http):
    r = http.post("/api/check", json={"text": "重庆碳计量中心的筹建期限为5年。", "jurisdiction": "重庆"})
    assert r.status_code == 200, r.text
    checks = r.json()["checks"]
    assert checks[0]["claim"].startswith("5年") and checks[0]["status"] == "contradicted"
    r = http.post("/api/check", json={"text": "重庆碳计量中心的筹建期限为3年。", "jurisdiction": "重庆"})
    assert r.json()["checks"][0]["status"] == "verified"


# ----------------------------------------------------------------------------- documents

def test_documents(http):
    docs = http.get("/api/documents").json()["documents"]
    assert [d["id"] for d in docs][:2] == ["hubei-carbon-2023", "hubei-data-2023"] and len(docs) == 6


def test_document_structure_with_rules(http):
    r = http.get("/api/documents/chongqing-carbon-2024")
    assert r.status_code == 200
    d = r.json()
    assert d["title"] == "重庆市市级碳计量中心管理办法" and len(d["articles"]) == 30
    art = next(a for a in d["articles"] if a["label"] == "第十四条")
    assert any(rule["topic"] == "construction_period" for rule in art["rules"])
    assert d["rules"] and all(rule["doc_id"] == "chongqing-carbon-2024" for rule in d["rules"])


def test_unknown_document_is_404(http):
    r = http.get("/api/documents/no-such-doc")
    assert r.status_code == 404
    message = error_message(r)
    assert "no-such-doc" in message and "chongqing-carbon-2024" in message
