"""The gradio app: `gradio_client` against a real server, and the pure renderers in ui/render.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

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
    md = answer_markdown(answer)
    assert "[重庆·第十四条]<sup>[1]</sup>" in md
    assert "1. 重庆市市级碳计量中心管理办法（重庆）第十四条" in md
    assert "**数字核对** ✔ 3年 · ✘ 5年（原文: 3年） · ? 100分" in md
    assert "**引用核对** ✔ [重庆·第十四条] ×2" in md
    assert "<img" not in md and "&lt;img" in md


def test_sources_html_shows_the_whole_article_with_the_quote_marked(doc_by_id):
    from ui.render import sources_html

    doc = doc_by_id["chongqing-carbon-2024"]
    art = doc.article("第十四条")
    quote = "筹建单位应在3年内完成建设工作"
    start = doc.text.index(quote, art.start)
    html = sources_html({"citations": [{"doc_id": doc.id, "title": doc.meta.title, "jurisdiction": "重庆",
                                        "article": "第十四条", "quote": quote, "start": start,
                                        "end": start + len(quote)}],
                         "checks": [{"claim": "3年", "status": "verified"}]}, doc_by_id)
    assert f"<mark>{quote}</mark>" in html and art.text[:10] in html
    assert "pa-badge pa-ok" in html


def test_document_html_marks_articles_with_rules(docs):
    from assistant.rules import build_rules_table
    from ui.render import document_html

    doc = next(d for d in docs if d.id == "chongqing-carbon-2024")
    rows = build_rules_table([doc]).to_rows()
    html = document_html(doc, rows, focus="第十四条")
    assert html.count('class="pa-article has-rules') >= 10
    assert 'pa-focus" id="art-第十四条"' in html and "筹建期限 ≤3年" in html


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
    assert plot is not None
    bad = client.predict("chongqing-carbon-2024", "approved", "2024-02-30", api_name="/timeline")
    assert "YYYY-MM-DD" in bad[-1]


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
