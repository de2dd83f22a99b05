"""The gradio app: `gradio_client` against a real server, and the pure renderers in ui/render.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.engine import answer_from_dict

from server_util import start_server

# ----------------------------------------------------------------------------- renderers (no server)


def test_highlight_escapes_markup_and_marks_spans():
    from ui.render import highlight

    text = "第一条 <script>alert(1)</script> 筹建期3年 <b>x</b>"
    out = highlight(text, [(text.index("筹建期3年"), text.index("筹建期3年") + 5)])
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;" in out
    assert "<mark>筹建期3年</mark>" in out


def test_answer_markdown_numbers_citations_and_badges():
    from ui.render import answer_markdown

    answer = {"answer": "筹建单位应在3年内完成建设工作[重庆·第十四条]。<img src=x onerror=alert(1)>",
              "citations": [{"doc_id": "chongqing-carbon-2024", "title": "重庆市市级碳计量中心管理办法",
                             "jurisdiction": "重庆", "article": "第十四条", "quote": "筹建单位应在3年内完成建设工作",
                             "start": 0, "end": 0}],
              "checks": [{"claim": "3年", "status": "verified"}, {"claim": "5年", "status": "contradicted",
                                                                  "expected": "3年"},
                         {"claim": "100分", "status": "unsupported"},
                         {"claim": "[重庆·第十四条]", "status": "verified"},
                         {"claim": "[重庆·第十四条]", "status": "verified"}]}
    md = answer_markdown(answer_from_dict(answer))
    assert "[重庆·第十四条]<sup>[1]</sup>" in md
    assert "1. 重庆市市级碳计量中心管理办法（重庆）第十四条" in md
    # the checks on one line, once: numbers as badges, article references counted
    assert "**核对** ✔ 3年 · ✘ 5年（原文: 3年） · ? 100分 · ✔ 条款引用 2 处" in md
    assert md.count("核对") == 1
    assert "<img" not in md and "&lt;img" in md


def test_check_summary_names_a_reference_that_does_not_hold():
    from ui.render import check_summary_md

    line = check_summary_md(answer_from_dict({"checks": [{"claim": "3年", "status": "verified"},
                                                         {"claim": "[湖北·第九十条]", "status": "unsupported"},
                                                         {"claim": "[重庆·第十四条]", "status": "verified"}]}).checks)
    assert line == "**核对** ✔ 3年 · ? [湖北·第九十条] · ✔ 其余条款引用 1 处"
    assert check_summary_md([]) == ""


def test_sources_html_shows_the_whole_article_with_the_quote_marked(doc_by_id):
    from ui.render import sources_html

    doc = doc_by_id["chongqing-carbon-2024"]
    art = doc.article("第十四条")
    quote = "筹建单位应在3年内完成建设工作"
    start = doc.text.index(quote, art.start)
    html = sources_html(answer_from_dict({"citations": [{"doc_id": doc.id, "title": doc.meta.title, "jurisdiction": "重庆",
                                                         "article": "第十四条", "quote": quote, "start": start,
                                                         "end": start + len(quote)}],
                                          "checks": [{"claim": "3年", "status": "verified"}]}), doc_by_id)
    assert f"<mark>{quote}</mark>" in html and art.text[:10] in html
    # the checks are shown once, in the chat message: not again beside it
    assert "pa-badge" not in html and "核对" not in html


def test_document_html_marks_articles_with_rules(docs):
    from assistant.rules import build_rules_table
    from ui.render import document_html

    doc = next(d for d in docs if d.id == "chongqing-carbon-2024")
    rows = build_rules_table([doc]).to_rows()
    html = document_html(doc, rows, focus="第十四条")
    assert html.count('class="pa-article has-rules') >= 10
    assert 'pa-focus" id="art-第十四条"' in html and "筹建期限 ≤3年" in html
    assert "重庆 · 省级 · 法规 ·" in html and "regulation" not in html  # the kind in Chinese


def test_timeline_chart_draws_phases_with_chinese_dates(docs):
    """The 时间线 chart: one bar per deadline from the starting date to it (Vega-Lite x..x2), each
    labelled with its Chinese date and event, its article in the tooltip; Chinese axis labels,
    no vertical axis title."""
    import datetime as dt
    import json

    from assistant.rules import build_rules_table
    from assistant.timeline import compute_timeline
    from ui.render import timeline_chart, zh_date

    assert zh_date(dt.date(2025, 10, 13)) == "2025年10月13日"
    table = build_rules_table(docs)
    doc = next(d for d in docs if d.id == "chongqing-carbon-2024")
    events = compute_timeline(doc, table, event="approved", date=dt.date(2024, 6, 1))
    spec = timeline_chart(events, {r.id: r for r in table.rules}, start=("批准筹建", dt.date(2024, 6, 1)))
    json.dumps(spec)  # plain JSON for the browser
    rows = spec["data"]["values"]
    assert rows[0]["label"] == "① 2024年6月1日　批准筹建（起算日）" and not rows[0]["phase"]
    phases = [r for r in rows if r["phase"]]
    assert len(phases) == len(events) and all(r["start"] == "2024-06-01" for r in phases)
    assert [r["end"] for r in phases] == sorted(e.date.isoformat() for e in events)
    end = next(r for r in phases if r["end"] == "2027-06-01")
    assert end["label"].endswith("2027年6月1日　筹建期限届满") and end["article"].startswith("第十四条")
    assert end["span"] == "3年" and end["alternative"] == "2027年5月31日" and "3年" in end["quote"]
    bar, point, text = spec["layer"]
    assert bar["mark"]["type"] == "bar" and bar["encoding"]["x2"] == {"field": "end"}
    assert {"field": "article", "title": "依据条款"} in bar["encoding"]["tooltip"]
    assert text["encoding"]["text"] == {"field": "label"}
    axis = bar["encoding"]["x"]["axis"]
    assert "年" in axis["labelExpr"] and "月" in axis["labelExpr"] and axis["title"].startswith("日期")
    assert bar["encoding"]["y"]["axis"] is None  # no vertical "事件" title; labels sit above the bars
    assert spec["usermeta"]["embedOptions"]["actions"] is False  # no English "…" menu


@pytest.fixture(scope="module")
def app_ui(index_settings):
    from assistant.engine import Engine
    from ui.app import UI, build_ui

    engine = Engine.load(index_settings)
    return UI(engine), build_ui(engine)


def _components(blocks) -> dict:
    return {c["props"]["elem_id"]: c for c in blocks.config["components"] if c.get("props", {}).get("elem_id")}


def test_labels_are_chinese(app_ui):
    """One language for the UI's own text: labels, placeholders, buttons, choices and notes are
    Chinese (file types, CSV/XLSX, YYYY-MM-DD and document ids aside)."""
    import re

    from ui.app import LOGIN_MESSAGE

    _, blocks = app_ui
    texts = [LOGIN_MESSAGE]
    for c in blocks.config["components"]:
        props = c.get("props", {})
        texts += [str(props.get(k) or "") for k in ("label", "placeholder", "info")]
        if c["type"] in ("button", "downloadbutton", "markdown"):
            texts.append(str(props.get("value") or ""))
        for choice in props.get("choices") or ():
            texts.append(str(choice[0] if isinstance(choice, (list, tuple)) else choice))
    ids = {w for d in app_ui[0].docs for w in re.split(r"[-_]", d.id)}
    allowed = {"HTTP", "API", "docs", "CSV", "XLSX", "YYYY", "MM", "DD", "ics", "id", "txt", "md", "docx", "pdf",
               "html", "htm", "UTF", "GBK", "GB", "MB", "PA_ACCESS_TOKEN", "serve", "token", "admin", "sichuan", "carbon"}
    english = set()
    for text in texts:
        text = re.sub(r"<[^>]+>|\]\([^)]*\)", " ", text)  # tags and link targets
        english |= {w for w in re.findall(r"[A-Za-z][A-Za-z_]{1,}", text) if w not in allowed | ids}
    assert not english, english


def test_tabs_start_with_placeholders_not_empty_tables(app_ui):
    """Before the first run the 对比 and 时间线 tabs say what will appear; their tables, chart
    and downloads are hidden (no empty table headed 1 2 3)."""
    _, blocks = app_ui
    parts = _components(blocks)
    for key in ("cmp-table", "cmp-csv", "cmp-xlsx", "tl-table", "tl-plot"):
        assert parts[key]["props"]["visible"] is False, key
    assert "点击“对比”" in parts["cmp-note"]["props"]["value"]
    assert "点击“计算时间线”" in parts["tl-note"]["props"]["value"]
    assert parts["chat-open-compare"]["props"]["visible"] is False


def test_chat_comparison_opens_the_compare_tab(app_ui):
    """A comparison in the chat: a summary and a table in the message, and the selection
    (documents, topic) that the button under the chat opens in the 对比 tab."""
    ui, _ = app_ui
    out = ui.chat("湖北、重庆、天津的筹建期限一样吗？", "全部", [], [])
    reply, selection = out[2][-1]["content"], out[-1]
    assert reply.count("\n| 项目 |") == 1 and "均为≤3年" in reply
    assert selection == {"doc_ids": ["hubei-carbon-2023", "hubei-data-2023", "chongqing-carbon-2024",
                                     "tianjin-data-2025"], "topics": ["construction_period"]}
    tabs, jurisdictions, doc_ids, topics = ui.open_comparison(selection)
    assert tabs.selected == "compare" and jurisdictions == ["湖北", "重庆", "天津"]
    assert doc_ids == selection["doc_ids"] and topics == ["construction_period"]
    table, *_ = ui.compare(jurisdictions, doc_ids, topics)
    assert list(table.data.columns)[:2] == ["主题", "湖北·碳计量中心"] and len(table.data) == 1
    # an answer about one document has nothing to compare
    assert ui.chat("重庆的碳计量中心批下来以后，筹建最多给几年？", "全部", [], [])[-1] is None


def test_page_is_chinese_in_any_browser():
    """gradio chooses its own strings (upload area, table menus, footer, login) by the browser's
    language; the page sets it to zh-CN before gradio starts, compressed or not."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from ui.app import ZH_LOCALE_SCRIPT, ChineseLocale

    page = '<!doctype html><html lang="en"><head><script type="module" src="x.js"></script></head></html>'
    app = Starlette(routes=[Route("/", lambda r: HTMLResponse(page)),
                            Route("/info", lambda r: JSONResponse({"head": "<head>"}))])
    app.add_middleware(ChineseLocale, path="/")
    client = TestClient(app)
    r = client.get("/", headers={"accept-encoding": "br, gzip"})
    body = r.content
    assert body.index(ZH_LOCALE_SCRIPT) < body.index(b"x.js") and b'lang="zh-CN"' in body
    assert int(r.headers["content-length"]) == len(body)
    assert client.get("/info").json() == {"head": "<head>"}  # other paths untouched


# ----------------------------------------------------------------------------- gradio_client


@pytest.fixture(scope="module")
def server(index_settings):
    srv = start_server(index_settings)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server.url + "/", verbose=False)


slow = pytest.mark.slow  # the tests below start a server


@slow
def test_api_lists_the_ui_endpoints(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/chat", "/compare", "/rules", "/timeline", "/document",
            "/upload_preview", "/upload_commit", "/remove_document"} <= names


def _text(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(_text(c) for c in content)
    if isinstance(content, dict):
        return content.get("text") or content.get("value") or ""
    return str(content)


@slow
def test_chat_answers_with_citation_and_side_panel(client):
    chat, sources, box, hint = client.predict("重庆的碳计量中心批下来以后，筹建最多给几年？", "全部", api_name="/chat")
    assert [m["role"] for m in chat] == ["user", "assistant"]
    reply = _text(chat[-1]["content"])
    assert "3年" in reply and "**来源**" in reply and "第十四条" in reply and "<sup>[1]</sup>" in reply
    assert "<mark>" in sources and "第十四条" in sources
    assert box == "" and hint == ""
    # multi-turn: the session keeps the history, so a follow-up inherits 重庆
    chat, sources, _, _ = client.predict("那验收要提前多久申请？", "全部", api_name="/chat")
    assert len(chat) == 4 and "重庆" in sources


@slow
def test_empty_chat_message_gives_a_hint_and_asks_nothing(client):
    from gradio_client import Client

    fresh = Client(client.src, verbose=False)
    chat, _, _, hint = fresh.predict("   ", "全部", api_name="/chat")
    assert chat == [] and "请输入" in hint


@slow
def test_compare_table_and_downloads(client):
    table, csv_file, xlsx_file, note = client.predict(["湖北", "重庆", "天津"], [], [], api_name="/compare")
    headers, rows = table["headers"], table["data"]
    assert headers[0] == "主题" and headers[-1] == "差异" and len(headers) == 6
    assert any("未规定" in row for row in rows)
    assert any(row[-1] for row in rows) and "黄色" in note
    with open(csv_file, encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh))[0] == "主题"
    from openpyxl import load_workbook

    assert load_workbook(xlsx_file).active.cell(1, 1).value == "主题"
    assert Path(xlsx_file).suffix == ".xlsx"


@slow
def test_rules_search(client):
    table, note = client.predict("撤销", "重庆", "全部", "全部", "全部", api_name="/rules")
    assert table["data"] and all(row[1] == "重庆" for row in table["data"])
    assert "共" in note


@slow
def test_timeline_table_and_plot(client):
    table, plot, note = client.predict("chongqing-carbon-2024", "approved",
                                       "2024-06-01", api_name="/timeline")
    dates = [row[0] for row in table["data"]]
    assert "2027-06-01" in dates and dates == sorted(dates)
    assert plot["type"] == "altair" and "2027年6月1日" in plot["plot"]  # the phase chart's Vega-Lite spec
    bad = client.predict("chongqing-carbon-2024", "approved", "2024-02-30", api_name="/timeline")
    assert "YYYY-MM-DD" in bad[-1]


@slow
def test_ui_page_sets_chinese_before_gradio_starts(server):
    import httpx

    from ui.app import ZH_LOCALE_SCRIPT

    for encoding in ("identity", "br, gzip, deflate"):
        r = httpx.get(server.url + "/", headers={"accept-encoding": encoding})
        assert r.status_code == 200 and ZH_LOCALE_SCRIPT.decode() in r.text
        assert r.text.index(ZH_LOCALE_SCRIPT.decode()) < r.text.index('type="module"')


@slow
def test_document_view(client):
    html = client.predict("tianjin-data-2025", api_name="/document")
    assert "天津市计量数据建设应用中心管理办法" in html and "has-rules" in html


def test_export_and_upload_folders_go_with_the_ui(index_settings):
    """Each UI makes two temp folders (exports, uploads); they must not outlive it (a server
    that stops, a test that ends), or /tmp fills with them."""
    import gc

    from assistant.engine import Engine
    from ui.app import UI

    ui = UI(Engine.load(index_settings))
    folders = [ui.out_dir, ui.upload_dir]
    (ui.out_dir / "export.csv").write_text("a,b\n", encoding="utf-8")
    assert all(f.is_dir() for f in folders)
    del ui
    gc.collect()
    assert not any(f.exists() for f in folders)


def test_timeline_calendar_download(index_settings):
    """The 时间线 tab's 下载日历 (.ics) button: its handler writes the calendar that assistant.ics
    builds (the same as the CLI's --format ics and /api/timeline.ics); bad input hides it."""
    from icalendar import Calendar

    from assistant.engine import Engine
    from ui.app import UI, build_ui

    engine = Engine.load(index_settings)
    ui = UI(engine)
    update = ui.timeline_ics("chongqing-carbon-2024", "change", "2025-09-26")
    assert update["visible"] is True
    path = Path(update["value"])
    assert path.name == "chongqing-carbon-2024-change-2025-09-26.ics" and path.is_relative_to(ui.out_dir)
    (vevent,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert vevent.decoded("dtstart").isoformat() == "2025-10-13"
    assert "第二十四条" in str(vevent["description"])
    for bad in (("chongqing-carbon-2024", "change", "2025-02-30"), ("nope", "change", "2025-09-26"),
                ("chongqing-carbon-2024", "party", "2025-09-26")):
        assert ui.timeline_ics(*bad) == {"__type__": "update", "value": None, "visible": False}
    blocks = build_ui(engine)
    buttons = [c for c in blocks.config["components"] if c.get("props", {}).get("elem_id") == "tl-ics"]
    assert buttons and buttons[0]["type"] == "downloadbutton" and "下载日历 (.ics)" in str(buttons[0]["props"])
