"""The web UI in Debian's headless chromium, driven by the playwright pip package.

Screenshots go to tests/artifacts/ (gitignored): look at them — without fonts-noto-cjk every
Chinese character renders as a box even though the assertions below pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import time

import pytest

from server_util import ROOT, start_server
from workspace import copy_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 60_000


def _have_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "Noto Sans CJK" in out


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and _have_cjk_font()):
        # pytest run directly (not through scripts/test.sh): install the Debian packages now
        subprocess.run([str(ROOT / "scripts" / "system-deps.sh")], capture_output=True, timeout=900)
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium could not be installed (scripts/system-deps.sh needs apt-get as root)")
    if not _have_cjk_font():
        pytest.skip("fonts-noto-cjk could not be installed: Chinese would render as boxes")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(index_settings):
    srv = start_server(index_settings)
    yield srv
    srv.stop()


# an English browser: the page must be Chinese all the same, gradio's own strings included
BROWSER_LOCALE = "en-US"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=BROWSER_LOCALE)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    outside = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None)
    pg.outside_requests = outside
    yield pg
    context.close()


def open_app(page, url) -> float:
    t0 = time.perf_counter()
    page.goto(url + "/")
    page.wait_for_selector("#chat-input textarea")
    return time.perf_counter() - t0


def login(page, url, token: str, *, user: str = "admin") -> None:
    """The login page gradio shows when the server has an access token; the token is the password."""
    page.goto(url + "/")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(token)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#chat-input textarea")


def ask(page, question: str) -> None:
    before = page.locator("#chatbot .message-row").count()
    page.fill("#chat-input textarea", question)
    page.click("#chat-send")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .message-row').length >= n + 2", arg=before, timeout=TIMEOUT_MS)
    page.wait_for_selector("#chat-sources .pa-cite, #chat-sources .pa-muted")


def wait_text(page, selector: str, text: str) -> None:
    """Wait until ``text`` is visible inside ``selector`` (gradio tables keep hidden copies of cells)."""
    page.wait_for_function("([sel, text]) => (document.querySelector(sel)?.innerText || '').includes(text)",
                           arg=[selector, text], timeout=TIMEOUT_MS)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


ENGLISH_GRADIO = ("Drop File Here", "Click to Upload", "Use via API", "Built with Gradio", "Loading...")
COMPARISON = "湖北、重庆、天津的筹建期限一样吗？"


def visible_headers(page) -> list[str]:
    """The texts of every table column header on screen."""
    return page.evaluate("""() => [...document.querySelectorAll('[role=columnheader]')]
        .filter(h => h.offsetParent !== null).map(h => h.innerText.trim())""")


def assert_placeholders_before_first_run(page) -> None:
    """对比 and 时间线 before their first run: a note says what will appear; no table (no empty
    table headed 1 2 3), no chart, no downloads."""
    for tab, note, hidden in (("对比", "#cmp-note", ("#cmp-table", "#cmp-csv", "#cmp-xlsx")),
                              ("时间线", "#tl-note", ("#tl-table", "#tl-plot"))):
        open_tab(page, tab)
        page.locator(f"{note} .pa-placeholder").wait_for()
        assert all(not page.locator(sel).is_visible() for sel in hidden), tab
        assert not {"1", "2", "3"} & set(visible_headers(page)), tab


def assert_check_summary_once(page) -> None:
    reply = page.locator("#chatbot .message-row").last.inner_text()
    assert reply.count("核对") == 1 and "✔" in reply
    sources = page.locator("#chat-sources")
    assert "核对" not in sources.inner_text() and sources.locator(".pa-badge").count() == 0


def chat_table_cells(page) -> dict:
    """Widths of the cells of the table in the last chat message, and whether the table stays
    inside its message (scrolling sideways when it is wider)."""
    return page.evaluate("""() => {
        const rows = document.querySelectorAll('#chatbot .message-row');
        const table = rows[rows.length - 1].querySelector('table');
        const bubble = table.closest('.message') || table.parentElement;
        const cells = [...table.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().width);
        return {min: Math.min(...cells), count: cells.length,
                inside: table.getBoundingClientRect().right <= bubble.getBoundingClientRect().right + 1,
                font: parseFloat(getComputedStyle(table).fontSize)};
    }""")


def body_cell_widths(page, selector: str) -> list[float]:
    """Widths of the cells of a gradio table's first row."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel + ' .virtual-row')][0]
        ? [...document.querySelector(sel + ' .virtual-row').querySelectorAll('.body-cell')]
            .map(c => c.getBoundingClientRect().width) : []""", selector)


def hover_tooltip(page, selector: str) -> str:
    """Move the mouse down the middle of a vega chart until a tooltip shows; its text."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(f"{selector} canvas").bounding_box()
    for dy in range(int(box["height"]) - 30, 20, -3):
        page.mouse.move(box["x"] + box["width"] * 0.35, box["y"] + dy)
        tip = page.evaluate("""() => { const t = document.querySelector('#vg-tooltip-element');
            return t && t.classList.contains('visible') ? t.innerText : '' }""")
        if tip:
            return tip
    return ""


def test_chat_comparison_and_tabs(page, server):
    load_s = open_app(page, server.url)
    (ARTIFACTS / "browser_timings.json").write_text(json.dumps({"first_load_s": round(load_s, 3)}))
    print(f"\npage first load: {load_s:.2f}s")
    assert load_s < 30

    # an English browser still gets gradio's own strings in Chinese
    assert not [s for s in ENGLISH_GRADIO if s in page.locator("body").inner_text()]
    assert_placeholders_before_first_run(page)
    open_tab(page, "问答")

    # empty message: a hint, no request, no new chat message
    page.click("#chat-send")
    wait_text(page, "#chat-hint", "请输入一个问题")
    assert page.locator("#chatbot .message-row").count() == 0

    ask(page, "重庆的碳计量中心批下来以后，筹建最多给几年？")
    reply = page.locator("#chatbot .message-row").last.inner_text()
    assert "3年" in reply and "来源" in reply and "第十四条" in reply
    assert page.locator("#chat-sources mark").count() >= 1
    # (the rule's sentence is one of the marked quotes; a short article is quoted whole)
    assert any("3年" in m for m in page.locator("#chat-sources mark").all_inner_texts())
    assert_check_summary_once(page)
    assert not page.locator("#chat-open-compare").is_visible()  # nothing to compare
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    # multi-turn: the follow-up inherits 重庆
    ask(page, "那验收要提前多久申请？")
    assert "重庆" in page.locator("#chat-sources").inner_text()

    open_tab(page, "对比")
    page.click("#cmp-go")
    wait_text(page, "#cmp-table", "未规定")
    table_text = page.locator("#cmp-table").inner_text()
    assert "筹建期限" in table_text and "重庆·市级碳计量中心" in table_text
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)

    open_tab(page, "规则")
    wait_text(page, "#rules-table", "筹建期限")
    page.locator("#rules-table").get_by_text("筹建工作一般应于3年内完成", exact=True).first.click()
    page.wait_for_selector("#rules-article mark")
    page.screenshot(path=str(ARTIFACTS / "rules.png"), full_page=True)
    page.click("#rules-open")
    page.wait_for_selector("#doc-view .pa-focus")

    open_tab(page, "时间线")
    page.click("#tl-go")
    wait_text(page, "#tl-table", "筹建期限届满")
    page.wait_for_selector("#tl-plot canvas, #tl-plot svg")
    page.wait_for_timeout(1500)  # vega draws after the data arrives
    # a phase per deadline; hovering one names its article
    tip = hover_tooltip(page, "#tl-plot")
    assert "依据条款" in tip and "第十" in tip and "年" in tip, tip
    assert page.locator("#tl-plot details, #tl-plot .vega-actions").count() == 0  # no English chart menu
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
    page.wait_for_selector("#tl-ics", state="visible")  # 下载日历 (.ics): the calendar of this timeline
    with page.expect_download() as download:
        page.click("#tl-ics")
    assert download.value.suggested_filename.endswith(".ics")
    assert "BEGIN:VEVENT" in open(download.value.path(), encoding="utf-8").read()

    open_tab(page, "文档")
    page.wait_for_selector("#doc-view .has-rules")
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=False)

    # a comparison in the chat: a summary line and a readable table (no column one character
    # wide), and a button that opens the same comparison in the 对比 tab
    open_tab(page, "问答")
    page.click("#chat-clear")
    page.wait_for_function("() => !document.querySelector('#chatbot .message-row')")
    ask(page, COMPARISON)
    reply = page.locator("#chatbot .message-row").last.inner_text()
    assert "均为≤3年" in reply and reply.count("核对") == 1
    cells = chat_table_cells(page)
    assert cells["count"] >= 10 and cells["min"] >= 4 * cells["font"] and cells["inside"], cells
    page.screenshot(path=str(ARTIFACTS / "chat_comparison.png"), full_page=True)
    page.click("#chat-open-compare")
    wait_text(page, "#cmp-note", "1 个主题 × 4 个文档")
    assert "筹建期限" in page.locator("#cmp-table").inner_text()
    assert page.get_by_role("tab", name="对比", exact=True).get_attribute("aria-selected") == "true"
    assert page.locator("#cmp-docs input:checked").count() == 4
    assert page.locator("#cmp-topics input:checked").count() == 1
    page.screenshot(path=str(ARTIFACTS / "compare_from_chat.png"), full_page=True)

    open_tab(page, "文档管理")
    upload = page.locator("#up-file").inner_text()
    assert "拖放" in upload and "点击上传" in upload and "Drop File Here" not in upload
    page.screenshot(path=str(ARTIFACTS / "manage.png"), full_page=True)

    assert page.outside_requests == [], f"the page loaded something from outside: {page.outside_requests[:5]}"


def test_every_tab_at_phone_width(browser, server):
    """390 px wide (a phone), English browser: all six tabs in one row, every tab's screenshot,
    tables that scroll sideways instead of columns one character wide."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=BROWSER_LOCALE,
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    open_app(page, server.url)
    assert all(page.get_by_role("tab", name=name, exact=True).is_visible()
               for name in ("问答", "对比", "规则", "时间线", "文档", "文档管理"))
    assert not [s for s in ENGLISH_GRADIO if s in page.locator("body").inner_text()]
    assert_placeholders_before_first_run(page)
    page.screenshot(path=str(ARTIFACTS / "phone_placeholders.png"), full_page=True)

    open_tab(page, "问答")
    ask(page, COMPARISON)
    assert_check_summary_once(page)
    cells = chat_table_cells(page)
    assert cells["min"] >= 4 * cells["font"] and cells["inside"], cells
    page.locator("#chatbot .message-row").last.locator("table").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "phone_chat.png"), full_page=True)

    page.click("#chat-open-compare")
    wait_text(page, "#cmp-note", "1 个主题 × 4 个文档")
    page.screenshot(path=str(ARTIFACTS / "phone_compare.png"), full_page=True)

    open_tab(page, "规则")
    wait_text(page, "#rules-table", "筹建期限")
    widths = body_cell_widths(page, "#rules-table")
    assert len(widths) == 7 and min(widths) >= 36, widths
    page.screenshot(path=str(ARTIFACTS / "phone_rules.png"), full_page=True)

    open_tab(page, "时间线")
    page.click("#tl-go")
    wait_text(page, "#tl-table", "筹建期限届满")
    page.wait_for_selector("#tl-plot canvas")
    page.wait_for_timeout(1500)
    widths = body_cell_widths(page, "#tl-table")
    assert len(widths) == 6 and min(widths) >= 60, widths
    assert "依据条款" in hover_tooltip(page, "#tl-plot")
    page.screenshot(path=str(ARTIFACTS / "phone_timeline.png"), full_page=True)

    open_tab(page, "文档")
    page.wait_for_selector("#doc-view .has-rules")
    page.screenshot(path=str(ARTIFACTS / "phone_documents.png"), full_page=False)
    open_tab(page, "文档管理")
    assert "点击上传" in page.locator("#up-file").inner_text()
    page.screenshot(path=str(ARTIFACTS / "phone_manage.png"), full_page=True)
    context.close()


# ----------------------------------------------------------------------------- markup in documents

XSS_TEXT = textwrap.dedent("""\
    海南省碳计量中心测试办法

    第一章 总则

    第一条 为了测试网页显示<script>window.__pa_xss = 1</script>，制定本办法。

    第二条 筹建单位应在3年内完成建设工作<img src=x onerror="window.__pa_xss = 2">。

    第三条 <b>粗体标签</b>应当原样显示，<a href="javascript:window.__pa_xss=3">链接</a>不可点击执行。
    """)


@pytest.fixture(scope="module")
def markup_server(tmp_path_factory, index_settings):
    """A corpus of one document full of markup, served with no index yet (built on first run)
    and with an access token for the API (PA_ACCESS_TOKEN)."""
    root = tmp_path_factory.mktemp("markup")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "hainan-test.txt").write_text(XSS_TEXT, encoding="utf-8")
    (corpus / "manifest.yaml").write_text(textwrap.dedent("""\
        documents:
          - id: hainan-test
            title: 海南省碳计量中心测试办法
            jurisdiction: 海南
            level: 省
            kind: regulation
            source: hainan-test.txt
        """), encoding="utf-8")
    settings = index_settings.with_(corpus_dir=corpus, index_dir=root / "indexes", access_token="s3cret")
    srv = start_server(settings)
    yield srv
    srv.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_first_run_builds_the_index_with_progress(markup_server):
    log = markup_server.log()
    assert "首次运行" in log and "索引完成" in log
    assert log.index("索引完成") < log.index("running at")


def test_access_token_guards_the_api_but_not_health(markup_server):
    import httpx

    url = markup_server.url
    assert httpx.get(url + "/api/health").status_code == 200
    r = httpx.get(url + "/api/documents")
    assert r.status_code == 401 and "令牌" in r.json()["error"]["message"]
    assert httpx.get(url + "/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = httpx.get(url + "/api/documents", headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200 and r.json()["documents"][0]["id"] == "hainan-test"
    r = httpx.get(url + "/v1/models", headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200


def test_document_markup_is_shown_as_text_never_executed(browser, markup_server):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale=BROWSER_LOCALE)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, markup_server.url, "s3cret")
    ask(page, "海南碳计量中心筹建期几年？")
    sources = page.locator("#chat-sources").inner_text()
    assert '<img src=x onerror="window.__pa_xss = 2">' in sources
    open_tab(page, "文档")
    view = page.locator("#doc-view")
    view.locator("text=<script>window.__pa_xss = 1</script>").wait_for()
    text = view.inner_text()
    assert "<b>粗体标签</b>" in text and '<a href="javascript:window.__pa_xss=3">' in text
    assert page.locator("#doc-view b, #doc-view img, #doc-view script, #doc-view a").count() == 0
    page.screenshot(path=str(ARTIFACTS / "markup.png"), full_page=True)
    assert page.evaluate("() => window.__pa_xss") is None
    assert dialogs == []
    context.close()


# ----------------------------------------------------------------------------- login and upload

TOKEN = "t0ken-for-tests"


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory, index_settings):
    """A server on a tmp copy of the corpus and index (the upload test adds a document),
    with an access token: the web UI wants a login."""
    root = tmp_path_factory.mktemp("upload-server")
    settings = copy_workspace(index_settings, root, access_token=TOKEN)
    srv = start_server(settings)
    srv.extra["corpus"] = settings.corpus_dir
    yield srv
    srv.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def token_page(browser, upload_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=BROWSER_LOCALE)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def test_login_page_refuses_a_wrong_token_and_lets_the_right_one_in(token_page, upload_server):
    import httpx

    page = token_page
    page.goto(upload_server.url + "/")
    page.get_by_role("button", name="登录").wait_for()
    assert "访问令牌" in page.locator("body").inner_text()  # the login page says what to type
    assert page.locator("#chat-input").count() == 0
    page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)
    # the UI's own endpoints are closed too, not only the page
    assert httpx.get(upload_server.url + "/gradio_api/info").status_code == 401

    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("wrong-token")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("凭据不正确").wait_for()  # gradio's "Incorrect Credentials", in Chinese in an English browser
    assert page.locator("#chat-input").count() == 0
    page.screenshot(path=str(ARTIFACTS / "login_refused.png"), full_page=True)

    login(page, upload_server.url, TOKEN)
    ask(page, "重庆的碳计量中心批下来以后，筹建最多给几年？")
    reply = page.locator("#chatbot .message-row").last.inner_text()
    assert "3年" in reply and "第十四条" in reply


def test_upload_preview_confirm_and_ask(token_page, upload_server):
    from pathlib import Path

    page = token_page
    corpus = upload_server.extra["corpus"]
    manifest_before = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    login(page, upload_server.url, TOKEN)
    open_tab(page, "文档管理")
    page.set_input_files("#up-file input[type=file]", str(Path(__file__).parent / "fixtures" / "newreg_sichuan.txt"))
    page.wait_for_selector('#up-file td.filename[aria-label="newreg_sichuan.txt"]')
    page.fill("#up-jurisdiction textarea, #up-jurisdiction input", "四川")
    page.fill("#up-title textarea, #up-title input", "四川省碳计量中心管理办法")
    page.fill("#up-id textarea, #up-id input", "sichuan-carbon-2026")
    page.fill("#up-effective textarea, #up-effective input", "2026-03-01")
    assert page.locator("#up-confirm").is_disabled()  # nothing to confirm before a preview

    page.click("#up-preview")
    page.wait_for_selector("#up-count-articles")
    assert page.locator("#up-count-articles").inner_text() == "12 条"
    rules = page.locator("#up-preview-view .pa-preview-rules").inner_text()
    assert "筹建期限" in rules and "≤2年" in rules and "≥85分" in rules and "获批筹建的单位应在2年内完成筹建工作" in rules
    wait_text(page, "#up-status", "尚未写入")
    assert (corpus / "manifest.yaml").read_text(encoding="utf-8") == manifest_before  # preview writes nothing
    page.screenshot(path=str(ARTIFACTS / "upload_preview.png"), full_page=True)

    page.wait_for_function("() => !document.querySelector('#up-confirm').disabled")
    page.click("#up-confirm")
    wait_text(page, "#up-status", "已添加 sichuan-carbon-2026")
    assert "7 个文档" in page.locator("#up-status").inner_text()
    assert "sichuan-carbon-2026" in (corpus / "manifest.yaml").read_text(encoding="utf-8")
    page.screenshot(path=str(ARTIFACTS / "upload_added.png"), full_page=True)

    # the new jurisdiction is offered in the chat filter, and the chat answers from the new document
    open_tab(page, "问答")
    page.click("#chat-jurisdiction input")
    page.get_by_role("option", name="四川", exact=True).wait_for()
    page.keyboard.press("Escape")
    ask(page, "四川碳计量中心筹建期限是多久？")
    reply = page.locator("#chatbot .message-row").last.inner_text()
    assert "2年" in reply and "四川省碳计量中心管理办法" in reply and "第五条" in reply
    assert "四川" in page.locator("#chat-sources").inner_text()

    # an empty file: one clear line, nothing to confirm
    open_tab(page, "文档管理")
    page.click('#up-file button[aria-label="清除"]')
    page.set_input_files("#up-file input[type=file]", files=[{"name": "empty.txt", "mimeType": "text/plain",
                                                              "buffer": b""}])
    page.wait_for_selector('#up-file td.filename[aria-label="empty.txt"]')
    page.fill("#up-id textarea, #up-id input", "")
    page.click("#up-preview")
    wait_text(page, "#up-status", "文件是空的")
    assert page.locator("#up-confirm").is_disabled()

    # remove it again: select, ask, confirm
    page.click("#rm-doc input")
    page.get_by_role("option", name="四川省碳计量中心管理办法（sichuan-carbon-2026）").click()
    page.click("#rm-ask")
    wait_text(page, "#rm-status", "确定删除")
    page.click("#rm-confirm")
    wait_text(page, "#rm-status", "已删除 sichuan-carbon-2026")
    assert "sichuan-carbon-2026" not in (corpus / "manifest.yaml").read_text(encoding="utf-8")
    # the selectors follow: the removed document is no longer offered
    page.wait_for_function("() => !document.querySelector('#rm-doc input').value")
    page.screenshot(path=str(ARTIFACTS / "upload_removed.png"), full_page=True)
