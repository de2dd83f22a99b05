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


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
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
    page.get_by_role("tab", name=name).click()


def test_chat_comparison_and_tabs(page, server):
    load_s = open_app(page, server.url)
    (ARTIFACTS / "browser_timings.json").write_text(json.dumps({"first_load_s": round(load_s, 3)}))
    print(f"\npage first load: {load_s:.2f}s")
    assert load_s < 30

    # empty message: a hint, no request, no new chat message
    page.click("#chat-send")
    wait_text(page, "#chat-hint", "请输入一个问题")
    assert page.locator("#chatbot .message-row").count() == 0

    ask(page, "重庆的碳计量中心批下来以后，筹建最多给几年？")
    reply = page.locator("#chatbot .message-row").last.inner_text()
    assert "3年" in reply and "来源" in reply and "第十四条" in reply
    assert page.locator("#chat-sources mark").count() >= 1
    assert "3年" in page.locator("#chat-sources mark").first.inner_text()
    assert page.locator("#chat-sources .pa-badge").count() >= 1
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
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)

    open_tab(page, "文档")
    page.wait_for_selector("#doc-view .has-rules")
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=False)

    assert page.outside_requests == [], f"the page loaded something from outside: {page.outside_requests[:5]}"


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
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, markup_server.url)
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
