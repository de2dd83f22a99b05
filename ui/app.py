"""The web UI (gradio Blocks): chat, comparison, rules, timeline and documents tabs.

``build_ui(engine)`` builds the app over an already loaded Engine; ``assistant.api.create_app``
mounts it at ``/`` next to the JSON API. Every handler turns an AssistantError (or anything
unexpected) into one clear line for the user, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import shutil
import tempfile
import threading
import time
import weakref
from pathlib import Path

import gradio as gr
import pandas as pd

from assistant.components import REGISTRY
from assistant.errors import AssistantError, without_paths
from assistant.types import Answer
from assistant.manage import MAX_UPLOAD_BYTES

from . import render

log = logging.getLogger(__name__)

ALL = "全部"
EXAMPLES = [  # one per answer component, from the registry: (label, question, jurisdiction filter)
    (c.label, c.example, c.example_filter or ALL) for c in REGISTRY.values() if c.example
]
EMPTY_HINT = "请输入一个问题，例如：重庆的碳计量中心筹建期是几年？（或点击下方的示例问题）"
SOURCES_PLACEHOLDER = '<p class="pa-muted">提问后，这里显示每个引用条款的全文，引用的句子高亮。</p>'
COMPARE_PLACEHOLDER = ('<p class="pa-placeholder">选择地区（或文档）和主题，点击“对比”：这里显示各地规定的对比表'
                       '（黄色为各地不同的主题），并可下载 CSV / XLSX。</p>')
TIMELINE_PLACEHOLDER = ('<p class="pa-placeholder">选择文档、事件和日期，点击“计算时间线”：这里显示由此推算的各项期限'
                        '（日期、依据条款、另一读法）和时间线图。</p>')
UPLOAD_TYPES = [".txt", ".md", ".docx", ".pdf", ".html", ".htm"]
UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES  # one limit for the CLI and the UI; also gradio max_file_size (assistant/api.py)
DOC_ID = re.compile(r"[a-z0-9][a-z0-9\-]{1,63}")  # manage.preview's id pattern
KIND_CHOICES = [("法规 / 管理办法", "regulation"), ("规划 / 实施意见", "plan"), ("新闻 / 访谈", "news")]
LEVEL_CHOICES = [("自动（按地区名）", ""), ("省级", "省"), ("市级", "市")]
MAX_DISPLAY_TURNS = 40  # chat messages kept on screen; the engine sees only the trimmed history

CSS = """
.pa-placeholder { color: var(--body-text-color-subdued); border: 1px dashed var(--border-color-primary);
                  border-radius: 8px; padding: 14px 16px; margin: 0; }
/* tables in chat answers (comparisons): readable cells, the table scrolls sideways instead of
   squeezing every column to one character */
#chatbot .message table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse;
                          table-layout: auto; width: auto; }
#chatbot .message th, #chatbot .message td { min-width: 8em; max-width: 22em; white-space: normal;
                                             word-break: normal; overflow-wrap: normal; vertical-align: top; }
#chatbot .message th:first-child, #chatbot .message td:first-child { min-width: 5em; white-space: nowrap; }
/* a phone: all six tabs fit in one row (gradio moves the rest into a "…" menu otherwise); the
   tables with column widths in % get a wider box to divide and scroll sideways, instead of
   columns one character wide */
@media (max-width: 600px) {
  #pa-tabs .tab-container button { padding-left: 7px; padding-right: 7px; font-size: 15px; }
  #rules-table .table-container, #tl-table .table-container { overflow-x: auto; }
  #rules-table .table-wrap, #tl-table .table-wrap { min-width: 760px; }
}
.pa-sources, .pa-doc { font-size: 14px; line-height: 1.7; }
.pa-cite { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin-bottom: 10px;
           background: var(--background-fill-secondary); }
.pa-cite-head { font-weight: 600; margin-bottom: 4px; }
.pa-article-text { white-space: pre-wrap; }
.pa-article-text mark { background: #ffe58f; color: inherit; padding: 0 1px; border-radius: 2px; }
.pa-muted { color: var(--body-text-color-subdued); }
.pa-tag { display: inline-block; font-size: 12px; padding: 0 6px; margin: 0 2px; border-radius: 10px;
          background: #e6f0ff; color: #1d4ed8; font-weight: 500; }
.pa-tag-rule { background: #fff1d6; color: #9a5b00; }
.pa-tag-prov { background: #e7f7ec; color: #17703a; }
.pa-article { border-left: 3px solid transparent; padding: 4px 8px; margin: 6px 0; }
.pa-article.has-rules { border-left-color: #f5a623; background: rgba(255, 229, 143, 0.12); }
.pa-article.pa-focus { outline: 2px solid #1d4ed8; }
.pa-article-head { font-weight: 600; }
.pa-rule-dot { display: inline-block; width: 10px; height: 3px; background: #f5a623; vertical-align: middle; }
.pa-hint { color: #b45309; min-height: 1.2em; }
.pa-status { min-height: 1.2em; }
.pa-preview h3 { margin: 4px 0; }
.pa-preview table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 12px; }
.pa-preview th, .pa-preview td { border: 1px solid var(--border-color-primary); padding: 4px 8px; vertical-align: top;
                                 text-align: left; }
.pa-preview th { background: var(--background-fill-secondary); font-weight: 600; white-space: nowrap; }
.pa-preview .pa-warn { color: #b42318; font-weight: 600; }
.pa-preview .pa-stat { display: inline-block; margin: 0 12px 6px 0; padding: 2px 10px; border-radius: 12px;
                       background: #e6f0ff; color: #1d4ed8; font-weight: 600; }
.pa-preview details { margin-top: 8px; }
.pa-preview summary { cursor: pointer; font-weight: 600; }
"""


LOGIN_MESSAGE = ("<b>政策文件助手</b><br>请用访问令牌登录：用户名任意（例如 admin），密码为服务器的访问令牌"
                 "（<code>PA_ACCESS_TOKEN</code> / <code>serve --token</code>）。")


def ui_login(token: str):
    """gradio's ``auth`` for the mounted UI: None (no login) without an access token; with one,
    any user name and the token as the password (the same secret the API wants as Bearer)."""
    if not token:
        return None

    def check(username: str, password: str) -> bool:
        import secrets

        return secrets.compare_digest((password or "").encode("utf-8"), token.encode("utf-8"))

    return check

def theme():
    return gr.themes.Default(
        primary_hue="blue",
        font=[gr.themes.LocalFont("Source Sans Pro"), "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
              "Microsoft YaHei", "sans-serif"],
    )


# gradio picks the language of its own strings (upload area, table menus, footer, login page)
# from navigator.language; this app is Chinese whatever the browser's language
ZH_LOCALE_SCRIPT = (b'<script>try{Object.defineProperty(navigator,"language",{get:()=>"zh-CN"});'
                    b'Object.defineProperty(navigator,"languages",{get:()=>["zh-CN","zh"]});}catch(e){}</script>')


class ChineseLocale:
    """ASGI middleware: the UI's page (``GET path``) gets ZH_LOCALE_SCRIPT at the top of its
    <head>, before gradio's scripts run. gradio's ``I18n`` only adds translations of our own
    strings for the browser's locale; it cannot choose the locale."""

    def __init__(self, app, path: str = "/"):
        self.app = app
        self.path = path

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") != self.path:
            await self.app(scope, receive, send)
            return
        # the page uncompressed (gradio brotli-compresses it when asked), so the script can go in
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        start: dict = {}
        chunks: list[bytes] = []

        async def inject(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
            if content_type.startswith(b"text/html") and b"<head>" in body:
                body = body.replace(b"<head>", b"<head>" + ZH_LOCALE_SCRIPT, 1).replace(b'lang="en"', b'lang="zh-CN"', 1)
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, inject)


def vega_plot(spec: dict):
    """A Vega-Lite spec as gr.Plot's value: gradio draws "altair" plots from their Vega-Lite JSON
    with its bundled vega-embed, so a spec written here needs no altair package. As a "scatter"
    chart gradio fits it to the width of its box (also on a phone) and applies the page's theme."""
    from gradio.components.plot import AltairPlotData

    return AltairPlotData(plot=json.dumps(spec, ensure_ascii=False), chart="scatter")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, AssistantError):
        return f"⚠️ {without_paths(str(exc))}"  # never show server folders
    log.exception("UI handler failed")
    return f"⚠️ 出错了，请稍后重试（{type(exc).__name__}）。"


class View:
    """The corpus lookups the handlers need, derived once per Engine (a reload makes a new one)."""

    def __init__(self, engine):
        from assistant.compare import short_title

        self.engine = engine
        self.docs = list(engine.docs)
        self.table = engine.table
        self.docs_by_id = {d.id: d for d in self.docs}
        self.titles = {d.id: short_title(d) for d in self.docs}  # the rules table's 文档 column
        self.jurisdictions = list(dict.fromkeys(d.meta.jurisdiction for d in self.docs))
        self.rules_by_id = {r.id: r for r in self.table.rules}

    @property
    def doc_choices(self) -> list[tuple[str, str]]:
        """(label, value) choices: the UI shows titles, handlers and API clients get ids."""
        return [(f"{d.meta.title}（{d.id}）", d.id) for d in self.docs]

    @property
    def regulation_choices(self) -> list[tuple[str, str]]:
        return [(f"{d.meta.title}（{d.id}）", d.id) for d in self.docs if d.meta.kind == "regulation"]

    @property
    def regulation_jurisdictions(self) -> list[str]:
        return list(dict.fromkeys(d.meta.jurisdiction for d in self.docs if d.meta.kind == "regulation"))

    def topic_choices(self, vocab) -> list[tuple[str, str]]:
        return [(vocab.label(t), t) for t in self.table.topics() if vocab.topic(t)]


class UI:
    """The handlers. Each call answers from the engine current at that moment (``live.current()``),
    so documents added or removed here or by another process show up without a restart."""

    def __init__(self, engine):
        from assistant.live import LiveEngine
        from assistant.rules import load_vocabulary

        # a plain Engine (tests, scripts) is wrapped; the server hands in its LiveEngine
        self.live = engine if isinstance(engine, LiveEngine) else LiveEngine(engine.settings, engine)
        self.settings = self.live.settings
        self.vocab = load_vocabulary()
        self._view: View | None = None
        self._manage_lock = threading.Lock()  # one add/remove at a time (the index build is not shared)
        self.out_dir = Path(tempfile.mkdtemp(prefix="pa-ui-"))
        self.upload_dir = Path(tempfile.mkdtemp(prefix="pa-upload-"))
        # exports and uploads live as long as the UI: removed when it goes or the process exits
        # (every `serve` left both folders behind in /tmp before)
        for folder in (self.out_dir, self.upload_dir):
            weakref.finalize(self, shutil.rmtree, str(folder), True)

    def view(self) -> View:
        """Lookups for the engine current now (rebuilt only when the engine was swapped)."""
        engine = self.live.current()
        view = self._view
        if view is None or view.engine is not engine:
            view = self._view = View(engine)
        return view

    # kept for callers that read these directly: always the current corpus
    @property
    def docs(self):
        return self.view().docs

    @property
    def table(self):
        return self.view().table

    @property
    def docs_by_id(self):
        return self.view().docs_by_id

    @property
    def jurisdictions(self):
        return self.view().jurisdictions

    # -------------------------------------------------------------- chat
    def chat(self, message: str, jurisdiction: str, turns: list, display: list):
        """One chat turn → (chat messages, turns, display, side panel, cleared input, hint,
        comparison selection). The selection ({"doc_ids", "topics"}, or None) is that of an answer
        comparing documents: the chat's button opens the 对比 tab with it."""
        from assistant.service import ask

        turns, display = list(turns or []), list(display or [])
        message = (message or "").strip()
        if not message:  # a hint, and no request to the engine
            return display, turns, display, gr.skip(), "", EMPTY_HINT, gr.skip()
        if len(message) > self.settings.max_question_chars:
            hint = f"问题过长（{len(message)} 字，上限 {self.settings.max_question_chars} 字），请精简后再问。"
            return display, turns, display, gr.skip(), message, hint, gr.skip()
        juris = None if jurisdiction in (None, "", ALL) else jurisdiction
        view = self.view()  # one engine for the whole turn: answer and side panel agree
        try:
            answer = ask(view.engine, self.settings, message, jurisdiction=juris, history=turns)
        except Exception as exc:  # one clear line, never a traceback
            reply = render.md_safe(_error_text(exc))
            display += [{"role": "user", "content": render.md_safe(message)}, {"role": "assistant", "content": reply}]
            return display, turns, display, gr.skip(), "", "", None
        turns += [{"role": "user", "content": message}, {"role": "assistant", "content": answer.answer}]
        display += [{"role": "user", "content": render.md_safe(message)},
                    {"role": "assistant", "content": render.answer_markdown(answer)}]
        display = display[-MAX_DISPLAY_TURNS:]
        turns = turns[-MAX_DISPLAY_TURNS:]
        return (display, turns, display, render.sources_html(answer, view.docs_by_id), "", "",
                self.comparison_selection(answer, view))

    def comparison_selection(self, answer: Answer, view: View) -> dict | None:
        """{"doc_ids", "topics"} of an answer that states topics for several documents (a
        comparison), for the 对比 tab; None for any other answer. The topics are those of the
        values it states (rule ids read doc:article:topic:n), else the question's topic."""
        doc_ids = [d for d in answer.doc_ids if d in view.docs_by_id]
        known = {t for _, t in view.topic_choices(self.vocab)}
        stated = [str(v.get("rule_id", "")).split(":")[2] for v in answer.values
                  if str(v.get("rule_id", "")).count(":") >= 3]
        topics = [t for t in dict.fromkeys([*stated, answer.topic]) if t in known]
        if answer.abstained or len(doc_ids) < 2 or not topics:
            return None
        return {"doc_ids": doc_ids, "topics": topics}

    def open_comparison(self, selection):
        """The chat's button → the 对比 tab set to that answer's documents and topic
        (tab, jurisdictions, documents, topics); the comparison itself runs next."""
        view = self.view()
        doc_ids = [d for d in (selection or {}).get("doc_ids", []) if d in view.docs_by_id]
        if not doc_ids:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        jurisdictions = list(dict.fromkeys(view.docs_by_id[d].meta.jurisdiction for d in doc_ids))
        topics = [t for t in selection.get("topics", []) if t in {t for _, t in view.topic_choices(self.vocab)}]
        return gr.Tabs(selected="compare"), jurisdictions, doc_ids, topics

    # -------------------------------------------------------------- comparison
    def compare(self, jurisdictions: list, doc_ids: list, topics: list):
        """→ (styled table, CSV file, XLSX file, note); an error leaves the table empty."""
        from assistant.compare import compare

        view = self.view()
        try:
            doc_ids = list(doc_ids or [])
            comparison = compare(view.table, view.docs, doc_ids=doc_ids or None,
                                 jurisdictions=None if doc_ids else list(jurisdictions or []) or None,
                                 topics=list(topics or []) or None)
        except Exception as exc:
            return pd.DataFrame(), None, None, _error_text(exc)
        frame = render.comparison_frame(comparison)
        self._prune_downloads()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        csv_path = self.out_dir / f"对比-{stamp}.csv"
        xlsx_path = self.out_dir / f"对比-{stamp}.xlsx"
        frame.to_csv(csv_path, index=False, encoding="utf-8-sig")
        comparison.to_xlsx(xlsx_path)
        note = (f"{len(comparison.topics)} 个主题 × {len(comparison.columns)} 个文档；"
                f"{len(comparison.differs)} 个主题各地不同（黄色高亮），“未规定”表示该文档没有相应规定。")
        return render.comparison_styler(frame), str(csv_path), str(xlsx_path), note

    def _prune_downloads(self, keep: int = 40) -> None:
        """A long-running server keeps only the most recent comparison downloads."""
        files = sorted(self.out_dir.glob("对比-*"), key=lambda p: p.stat().st_mtime)
        for old in files[:-keep]:
            old.unlink(missing_ok=True)

    # -------------------------------------------------------------- rules
    def rules(self, search: str, jurisdiction: str, doc: str, topic: str, kind: str):
        view = self.view()
        try:
            table = view.table.filter(
                jurisdictions=None if jurisdiction in (None, "", ALL) else [jurisdiction],
                doc_ids=None if doc in (None, "", ALL) else [doc],
                topic=None if topic in (None, "", ALL) else topic,
                kind=None if kind in (None, "", ALL) else kind)
        except Exception as exc:
            return pd.DataFrame(columns=render.RULE_COLUMNS), _error_text(exc)
        frame = render.rules_frame(table.to_rows(), titles=view.titles, search=search or "")
        return frame, f"共 {len(frame)} 条。点击任一行查看所在条款原文。"

    def rule_article(self, evt: gr.SelectData):
        """Row click → the article the rule comes from, quote highlighted (the row's link)."""
        try:
            key = render.rule_row_key(evt.row_value)
        except Exception:
            return gr.skip(), gr.skip(), gr.skip()
        view = self.view()
        found = next((r for r in view.table.to_rows()
                      if (view.titles.get(r["doc_id"], r["doc_id"]), r["article"], r["quote"].replace("\n", " ")) == key),
                     None)
        if not found:
            return gr.skip(), gr.skip(), gr.skip()
        doc = view.docs_by_id.get(found["doc_id"])
        return (render.article_html(doc, found["article"], found["quote"], found["start"]),
                f"{found['doc_id']}#{found['article']}", gr.update(visible=True))

    # -------------------------------------------------------------- timeline
    def timeline(self, doc: str, event: str, date):
        """→ (table, chart, note); no timeline (an error, no dates): an empty table and no chart."""
        from assistant.timeline import EVENTS

        empty = pd.DataFrame(columns=render.TIMELINE_COLUMNS)
        view = self.view()
        try:
            document, key, day, events = _timeline_of(view, doc, event, date)
        except Exception as exc:
            return empty, None, _error_text(exc)
        if not events:
            return empty, None, f"{document.meta.title}：没有可计算的日期。"
        table = render.timeline_table(events, view.rules_by_id)
        chart = render.timeline_chart(events, view.rules_by_id, start=(EVENTS.get(key, key), day))
        note = (f"{document.meta.title}：{EVENTS.get(key, key)}于 {render.zh_date(day)} → {len(events)} 个日期。"
                "“另一读法”为开始当日计入时的日期；图中每条横条是从起算日到该期限的时段，悬停查看依据条款。")
        return table, vega_plot(chart), note

    def timeline_ics(self, doc: str, event: str, date):
        """The 下载日历 (.ics) button: the same timeline as a calendar file; hidden when there is none
        (the timeline handler beside it shows why)."""
        from assistant.ics import ics_filename, timeline_ics

        view = self.view()
        try:
            document, key, day, events = _timeline_of(view, doc, event, date)
        except Exception:
            return gr.update(value=None, visible=False)
        if not events:
            return gr.update(value=None, visible=False)
        # one folder per download keeps the plain file name; only the most recent 40 are kept
        folder = Path(tempfile.mkdtemp(prefix="timeline-", dir=self.out_dir))
        path = folder / ics_filename(document.id, key, day)
        path.write_bytes(timeline_ics(events, doc=document, table=view.table, event=key, date=day))
        for old in sorted(self.out_dir.glob("timeline-*"), key=lambda p: p.stat().st_mtime)[:-40]:
            shutil.rmtree(old, ignore_errors=True)
        return gr.update(value=str(path), visible=True)

    # -------------------------------------------------------------- documents
    def document(self, doc: str, focus: str = ""):
        """The document view; ``focus`` ("doc-id#第十四条") outlines that article."""
        doc_id = doc or ""
        focus_doc, _, focus_label = (focus or "").partition("#")
        focus = focus_label if focus_doc == doc_id else ""
        view = self.view()
        document = view.docs_by_id.get(doc_id)
        if document is None:
            return f'<p class="pa-muted">请选择一个文档。 {render.esc(doc_id)}</p>'
        rows = view.table.filter(doc_ids=[doc_id]).to_rows()
        return render.document_html(document, rows, focus=focus)

    # -------------------------------------------------------------- adding and removing documents
    def _stage(self, file) -> Path:
        """The uploaded file copied into a private folder under a sanitised name (manage.safe_name):
        a name such as ``../../etc/x.txt`` becomes ``x.txt`` inside that folder."""
        from assistant.errors import CorpusError
        from assistant.manage import safe_name

        if not file:
            raise CorpusError("请先选择要上传的文件。")
        if isinstance(file, dict):  # gradio FileData (API clients): the path, and the name as uploaded
            path, name = file.get("path"), file.get("orig_name") or file.get("path")
        else:
            path = getattr(file, "name", file)
            name = path
        src = Path(str(path))
        name = safe_name(str(name))
        if Path(name).suffix.lower() not in UPLOAD_TYPES:
            raise CorpusError(f"{name}: 不支持的文件类型（支持 {' '.join(UPLOAD_TYPES)}）。")
        if not src.is_file():
            raise CorpusError(f"{name}: 上传的文件不见了，请重新上传。")
        size = src.stat().st_size
        if size > UPLOAD_MAX_BYTES:
            raise CorpusError(f"{name}: 文件 {size / 1024 / 1024:.1f} MB，超过上限 {UPLOAD_MAX_BYTES // 1024 // 1024} MB。")
        if size == 0:
            raise CorpusError(f"{name}: 文件是空的。")
        folder = Path(tempfile.mkdtemp(dir=self.upload_dir))
        target = folder / name
        if target.resolve().parent != folder.resolve():  # safe_name leaves no directory part; never trust it blindly
            raise CorpusError(f"{name}: 文件名无效。")
        shutil.copyfile(src, target)
        return target

    def _params(self, jurisdiction, title, doc_id, kind, issued, effective, level) -> dict:
        from assistant.errors import CorpusError

        jurisdiction, title, doc_id = (str(x or "").strip() for x in (jurisdiction, title, doc_id))
        if not jurisdiction or not title:
            raise CorpusError("请填写 地区 和 标题。")
        if doc_id and not DOC_ID.fullmatch(doc_id):
            raise CorpusError(f"文档 id '{doc_id}' 无效：只能用小写字母、数字和 '-'（2–64 个字符，字母或数字开头）。")
        if kind not in ("regulation", "plan", "news"):
            raise CorpusError("类型必须是 法规、规划 或 新闻。")
        if level not in (None, "", "省", "市"):
            raise CorpusError("级别必须是 省 或 市。")
        return {"jurisdiction": jurisdiction, "title": title, "doc_id": doc_id or None, "kind": kind,
                "issued": _optional_date(issued, "发布日期"),
                "effective": _optional_date(effective, "施行日期"), "level": level or None}

    def upload_preview(self, file, jurisdiction, title, doc_id, kind, issued, effective, level):
        """Step 1: read and segment the file, extract its rules; write nothing.
        → (preview HTML, status line, pending state, confirm button)."""
        from assistant.manage import add_document
        from assistant.rules import build_rules_table

        disabled = gr.update(interactive=False)
        try:
            params = self._params(jurisdiction, title, doc_id, kind, issued, effective, level)
            staged = self._stage(file)
            report = add_document(self.settings, staged, commit=False, **params)
            rows = build_rules_table([report.document]).to_rows()
        except Exception as exc:
            return "", render.md_safe(_manage_error(exc)), None, disabled
        data = report.to_dict()
        pending = {"staged": str(staged), "sha": _sha(staged), "params": _jsonable(params), "id": data["id"]}
        unit = "节" if data["sections"] and not data["articles"] else "条"
        count = data["articles"] or data["sections"]
        numeric = sum(1 for r in rows if r["kind"] == "numeric")
        status = (f"预览：{data['id']} · {len(data['chapters'])} 章 · {count} {unit} · {numeric} 条数值规则。"
                  "尚未写入任何内容；核对无误后点击“确认添加”。")
        if data["warnings"]:
            status += "\n\n⚠️ " + "；".join(data["warnings"])
        return (render.upload_preview_html(report.document, data, rows, label=self.vocab.label),
                render.md_safe(status), pending, gr.update(interactive=True))

    def upload_commit(self, file, jurisdiction, title, doc_id, kind, issued, effective, level, pending):
        """Step 2: add the previewed document (copy, manifest, index), then serve the new corpus.
        → (preview HTML (cleared once added), status line, pending state (cleared), confirm button)."""
        from assistant.errors import CorpusError
        from assistant.manage import add_document

        disabled = gr.update(interactive=False)
        try:
            if not pending:
                raise CorpusError("请先点击“预览”，核对后再添加。")
            params = self._params(jurisdiction, title, doc_id, kind, issued, effective, level)
            staged = Path(pending["staged"])
            current = file.get("path") if isinstance(file, dict) else getattr(file, "name", file)
            if (_jsonable(params) != pending["params"] or not staged.is_file() or not current
                    or _sha(Path(str(current))) != pending["sha"]):
                raise CorpusError("文件或填写的信息在预览后改过了，请重新预览。")
            with self._manage_lock:
                t0 = time.perf_counter()
                report = add_document(self.settings, staged, commit=True, reindex=True, **params)
                reloaded = self.live.reload()
        except Exception as exc:  # the user previews again (the state may no longer match)
            return gr.skip(), render.md_safe(_manage_error(exc)), None, disabled
        shutil.rmtree(staged.parent, ignore_errors=True)
        doc = report.document
        status = (f"✔ 已添加 {doc.id}（{doc.meta.title}，{doc.meta.jurisdiction}），"
                  f"用时 {time.perf_counter() - t0:.1f} 秒。")
        status += self._serving_note(reloaded, doc.id, present=True)
        return "", render.md_safe(status), None, disabled

    def remove_document(self, doc_id: str):
        """Take a document out of manifest, corpus folder, rules and index, then serve the rest.
        → (status line, confirm row hidden)."""
        from assistant.errors import CorpusError
        from assistant.manage import remove_document

        hide = gr.update(visible=False)
        try:
            if not doc_id:
                raise CorpusError("请选择要删除的文档。")
            with self._manage_lock:
                gone = remove_document(self.settings, doc_id, reindex=True)
                reloaded = self.live.reload()
        except Exception as exc:
            return render.md_safe(_manage_error(exc)), hide
        status = f"✔ 已删除 {gone.id}（{gone.title}）。" + self._serving_note(reloaded, gone.id, present=False)
        return render.md_safe(status), hide

    def ask_remove(self, doc_id: str):
        """The remove button's first click: say what will happen and show the confirm buttons."""
        document = self.view().docs_by_id.get(doc_id or "")
        if document is None:
            return render.md_safe("⚠️ 请选择要删除的文档。"), gr.update(visible=False)
        return (render.md_safe(f"确定删除 **{document.meta.title}**（{document.id}）吗？将从清单、语料目录、规则表和索引中移除。"),
                gr.update(visible=True))

    def _serving_note(self, reloaded: bool, doc_id: str, *, present: bool) -> str:
        ids = {d.id for d in self.view().docs}
        if (doc_id in ids) == present:
            return f" 现在的语料共 {len(ids)} 个文档，问答已使用新语料。"
        why = f"（{without_paths(self.live.last_error)}）" if self.live.last_error else ""
        return f" ⚠️ 已写入语料，但服务还在用之前的语料{why}；索引更新后会自动切换。"

    def refresh(self, chat_j=ALL, cmp_j=None, cmp_d=None, cmp_t=None, r_search="", r_j=ALL, r_d=ALL, r_t=ALL,
                r_k=ALL, t_d=None, d_d=None, rm_d=None):
        """Choices of every selector from the current corpus (page load, after add/remove);
        a value that still exists is kept. Outputs in REFRESH_ORDER."""
        view = self.view()
        jurs, docs = view.jurisdictions, view.doc_choices
        doc_ids = [v for _, v in docs]
        regs = view.regulation_choices
        topics = view.topic_choices(self.vocab)

        def keep(value, values, default):
            return value if value in values else default

        def keep_all(values, allowed, default):
            kept = [v for v in (values or []) if v in allowed]
            return kept if values else default

        rules, note = self.rules(r_search, keep(r_j, jurs, ALL), keep(r_d, doc_ids, ALL),
                                 keep(r_t, [t for _, t in topics], ALL), r_k)
        return (
            gr.update(choices=[ALL, *jurs], value=keep(chat_j, jurs, ALL)),
            gr.update(choices=jurs, value=keep_all(cmp_j, jurs, view.regulation_jurisdictions)),
            gr.update(choices=docs, value=keep_all(cmp_d, doc_ids, [])),
            gr.update(choices=topics, value=keep_all(cmp_t, [t for _, t in topics], [])),
            gr.update(choices=[ALL, *jurs], value=keep(r_j, jurs, ALL)),
            gr.update(choices=[ALL, *docs], value=keep(r_d, doc_ids, ALL)),
            gr.update(choices=[ALL, *topics], value=keep(r_t, [t for _, t in topics], ALL)),
            rules, note,
            gr.update(choices=regs, value=keep(t_d, [v for _, v in regs], regs[0][1] if regs else None)),
            gr.update(choices=docs, value=keep(d_d, doc_ids, doc_ids[0] if doc_ids else None)),
            gr.update(choices=docs, value=keep(rm_d, doc_ids, None)),
        )

def _timeline_of(view, doc: str, event: str, date):
    """(document, event key, start day, events) of the timeline tab's inputs; raises on bad input."""
    from assistant.corpus import get_document
    from assistant.timeline import EVENTS, compute_timeline

    document = get_document(view.docs, doc or "")
    key = next((k for k, v in EVENTS.items() if event in (k, v)), event)
    day = _parse_date(date)
    return document, key, day, compute_timeline(document, view.table, event=key, date=day)


def _parse_date(value) -> dt.date:
    from assistant.errors import BadQuestionError

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value).date()
    text = str(value or "").strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadQuestionError(f"日期 '{value}' 无效，请写成 YYYY-MM-DD。") from None


def _optional_date(value, name: str):
    """An optional YYYY-MM-DD field → date or None."""
    from assistant.errors import CorpusError

    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CorpusError(f"{name} '{text}' 无效，请写成 YYYY-MM-DD 或留空。") from None


def _filled(table) -> bool:
    """Whether a table component's value (a DataFrame, or a dict from an API client) has rows."""
    if isinstance(table, dict):
        return bool(table.get("data"))
    return table is not None and len(table) > 0


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _jsonable(params: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}


def _manage_error(exc: Exception) -> str:
    """One line for a failed add/remove: the typed error's message, or what could not be read."""
    if isinstance(exc, AssistantError):
        return f"⚠️ {without_paths(str(exc))}"
    log.exception("add/remove failed")
    return f"⚠️ 无法处理该文件或操作（{type(exc).__name__}），语料未改变。"

def build_ui(engine) -> gr.Blocks:
    """The gradio app over an already loaded Engine (docs, rules table, retriever)."""
    from assistant.rules import NUMERIC
    from assistant.timeline import EVENTS

    ui = UI(engine)
    vocab = ui.vocab
    view = ui.view()  # the choices at build time; blocks.load and add/remove refresh them
    # (label, value) choices: the UI shows titles, handlers and API clients get ids
    doc_choices = view.doc_choices
    regulation_choices = view.regulation_choices
    topic_choices = view.topic_choices(vocab)
    kind_choices = [ALL, ("数值", NUMERIC)] + [(p.label, p.kind) for p in vocab.provisions]
    event_choices = [(label, key) for key, label in EVENTS.items()]
    regulation_jurs = view.regulation_jurisdictions

    with gr.Blocks(title="政策文件助手", analytics_enabled=False) as blocks:
        gr.Markdown("## 政策文件助手 · 碳计量中心 / 计量数据中心政策问答\n"
                    "回答中的每个数字都与从文件中抽取的规则表核对（✔ 已核实 · ✘ 与原文矛盾 · ? 无依据）。"
                    " HTTP API 见 [/docs](/docs)。")
        with gr.Tabs(elem_id="pa-tabs") as tabs:
            # ---------------------------------------------------------- chat
            with gr.Tab("问答", id="chat", elem_id="tab-chat"):
                turns = gr.State([])
                display = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        jurisdiction = gr.Dropdown([ALL, *view.jurisdictions], value=ALL, label="地区筛选",
                                                   elem_id="chat-jurisdiction")
                        chatbot = gr.Chatbot(label="对话", height=560, elem_id="chatbot", buttons=["copy"],
                                             feedback_options=None, placeholder="问问各地碳计量中心、计量数据中心的政策吧。")
                        with gr.Row():
                            message = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, scale=5,
                                                 elem_id="chat-input", max_lines=4)
                            send = gr.Button("发送", variant="primary", scale=1, elem_id="chat-send")
                        hint = gr.Markdown("", elem_classes=["pa-hint"], elem_id="chat-hint")
                        with gr.Row():
                            # shown after an answer that compares documents: the same selection in 对比
                            chat_compare = gr.Button("在“对比”页查看完整对比表", size="sm", visible=False,
                                                     elem_id="chat-open-compare")
                            clear = gr.Button("清空对话", size="sm", elem_id="chat-clear")
                        compare_selection = gr.State(None)
                        gr.Examples([[q, j] for _, q, j in EXAMPLES], inputs=[message, jurisdiction],
                                    example_labels=[f"{label}：{q}" for label, q, _ in EXAMPLES],
                                    label="示例问题（每种意图一个）", examples_per_page=10)
                    with gr.Column(scale=2):
                        gr.Markdown("#### 引用条款")
                        sources = gr.HTML(SOURCES_PLACEHOLDER, elem_id="chat-sources", js_on_load=None)
                chat_io = dict(fn=ui.chat, inputs=[message, jurisdiction, turns, display],
                               outputs=[chatbot, turns, display, sources, message, hint, compare_selection],
                               concurrency_limit=4)
                show_compare = dict(fn=lambda selection: gr.update(visible=bool(selection)), inputs=[compare_selection],
                                    outputs=[chat_compare], api_visibility="private", queue=False)
                send.click(api_name="chat", **chat_io).then(**show_compare)
                message.submit(api_visibility="private", **chat_io).then(**show_compare)
                clear.click(lambda: ([], [], [], SOURCES_PLACEHOLDER, "", None, gr.update(visible=False)),
                            outputs=[chatbot, turns, display, sources, hint, compare_selection, chat_compare],
                            api_visibility="private")

            # ---------------------------------------------------------- comparison
            with gr.Tab("对比", id="compare", elem_id="tab-compare"):
                with gr.Row():
                    cmp_jur = gr.CheckboxGroup(view.jurisdictions, value=regulation_jurs, label="地区",
                                               elem_id="cmp-jurisdictions", min_width=300)
                    cmp_docs = gr.CheckboxGroup(doc_choices, value=[], label="或选择文档（选中时优先于地区）",
                                                elem_id="cmp-docs", min_width=300)
                cmp_topics = gr.CheckboxGroup(topic_choices, value=[], label="主题（不选则比较所有有规定的主题）",
                                              elem_id="cmp-topics")
                cmp_go = gr.Button("对比", variant="primary", elem_id="cmp-go")
                # before the first comparison the note says what will appear (no empty table)
                cmp_note = gr.Markdown(COMPARE_PLACEHOLDER, elem_id="cmp-note")
                cmp_table = gr.Dataframe(label="对比表（行：主题；列：地区·文档；黄色：各地不同）", interactive=False,
                                         wrap=True, elem_id="cmp-table", max_height=600, visible=False)
                with gr.Row():
                    cmp_csv = gr.DownloadButton("下载 CSV", value=None, elem_id="cmp-csv", visible=False)
                    cmp_xlsx = gr.DownloadButton("下载 XLSX", value=None, elem_id="cmp-xlsx", visible=False)
                cmp_inputs, cmp_outputs = [cmp_jur, cmp_docs, cmp_topics], [cmp_table, cmp_csv, cmp_xlsx, cmp_note]
                # shown once there is a comparison (the handler's values stay plain for API clients)
                cmp_show = dict(fn=lambda table: [gr.update(visible=_filled(table))] * 3, inputs=[cmp_table],
                                outputs=[cmp_table, cmp_csv, cmp_xlsx], api_visibility="private", queue=False)
                cmp_go.click(ui.compare, inputs=cmp_inputs, outputs=cmp_outputs, api_name="compare").then(**cmp_show)

            # ---------------------------------------------------------- rules
            with gr.Tab("规则", id="rules", elem_id="tab-rules"):
                with gr.Row():
                    r_search = gr.Textbox(label="搜索", placeholder="例如：筹建 / 法人 / 撤销", elem_id="rules-search")
                    r_jur = gr.Dropdown([ALL, *view.jurisdictions], value=ALL, label="地区")
                    r_doc = gr.Dropdown([ALL, *doc_choices], value=ALL, label="文档")
                    r_topic = gr.Dropdown([ALL, *topic_choices], value=ALL, label="主题")
                    r_kind = gr.Dropdown(kind_choices, value=ALL, label="类型")
                r_note = gr.Markdown("")
                initial_rules, initial_note = ui.rules("", ALL, ALL, ALL, ALL)
                r_table = gr.Dataframe(initial_rules, interactive=False, wrap=True, elem_id="rules-table",
                                       max_height=520, column_widths=["7%", "5%", "13%", "8%", "11%", "10%", "46%"])
                r_note.value = initial_note
                r_article = gr.HTML("", elem_id="rules-article", js_on_load=None)
                r_target = gr.State("")
                r_open = gr.Button("在文档中查看", visible=False, size="sm", elem_id="rules-open")
                r_inputs = [r_search, r_jur, r_doc, r_topic, r_kind]
                gr.on([r_search.submit, r_search.change, r_jur.change, r_doc.change, r_topic.change, r_kind.change],
                      ui.rules, inputs=r_inputs, outputs=[r_table, r_note], api_name="rules",
                      trigger_mode="always_last")
                r_table.select(ui.rule_article, inputs=None, outputs=[r_article, r_target, r_open],
                               api_visibility="private")

            # ---------------------------------------------------------- timeline
            with gr.Tab("时间线", id="timeline", elem_id="tab-timeline"):
                with gr.Row():
                    t_doc = gr.Dropdown(regulation_choices, value=regulation_choices[0][1] if regulation_choices else None,
                                        label="文档", elem_id="tl-doc", min_width=300)
                    t_event = gr.Dropdown(event_choices, value="approved", label="事件", elem_id="tl-event")
                    t_date = gr.Textbox(value="2024-06-01", label="日期 (YYYY-MM-DD)", elem_id="tl-date")
                t_go = gr.Button("计算时间线", variant="primary", elem_id="tl-go")
                # the calendar file of the timeline just computed (shown once there is one)
                t_ics = gr.DownloadButton("下载日历 (.ics)", value=None, visible=False, size="sm", elem_id="tl-ics")
                # before the first run the note says what will appear (no empty table or chart)
                t_note = gr.Markdown(TIMELINE_PLACEHOLDER, elem_id="tl-note")
                t_table = gr.Dataframe(interactive=False, wrap=True, elem_id="tl-table", visible=False,
                                       column_widths=["15%", "16%", "9%", "29%", "14%", "17%"])
                # a Vega-Lite chart of phases (render.timeline_chart); hover a bar for its article
                t_plot = gr.Plot(None, label="时间线图（横条：起算日至各期限；悬停查看依据条款）", elem_id="tl-plot",
                                 visible=False)
                t_go.click(ui.timeline, inputs=[t_doc, t_event, t_date], outputs=[t_table, t_plot, t_note],
                           api_name="timeline").then(
                    lambda table: [gr.update(visible=_filled(table))] * 2, inputs=[t_table], outputs=[t_table, t_plot],
                    api_visibility="private", queue=False)
                t_go.click(ui.timeline_ics, inputs=[t_doc, t_event, t_date], outputs=[t_ics],
                           api_visibility="private")

            # ---------------------------------------------------------- documents
            with gr.Tab("文档", id="documents", elem_id="tab-documents"):
                d_doc = gr.Dropdown(doc_choices, value=doc_choices[0][1] if doc_choices else None, label="文档",
                                    elem_id="doc-select")
                d_focus = gr.State("")
                d_view = gr.HTML(ui.document(doc_choices[0][1]) if doc_choices else "", elem_id="doc-view",
                                 js_on_load=None)
                d_doc.change(ui.document, inputs=[d_doc, d_focus], outputs=[d_view], api_name="document")

            # ---------------------------------------------------------- add / remove documents
            with gr.Tab("文档管理", id="manage", elem_id="tab-manage"):
                gr.Markdown("#### 添加文档\n上传 .txt .md .docx .pdf（须有文字层）.html，最大 "
                            f"{UPLOAD_MAX_BYTES // 1024 // 1024} MB；UTF-8/GBK/GB18030，简体或繁体。"
                            "先**预览**识别出的章、条和规则，核对无误后再**确认添加**（写入语料、更新索引，问答立即使用）。")
                with gr.Row():
                    with gr.Column(scale=2):
                        up_file = gr.File(label="文件", file_types=UPLOAD_TYPES, file_count="single", type="filepath",
                                          elem_id="up-file", height=140)
                    with gr.Column(scale=3):
                        with gr.Row():
                            up_jur = gr.Textbox(label="地区 *", placeholder="例如：四川 / 广东省 / 成都市", elem_id="up-jurisdiction")
                            up_title = gr.Textbox(label="标题 *", placeholder="例如：四川省碳计量中心管理办法",
                                                  elem_id="up-title", scale=2)
                        with gr.Row():
                            up_id = gr.Textbox(label="文档 id（可空，默认取文件名）", placeholder="sichuan-carbon-2026",
                                               elem_id="up-id")
                            up_kind = gr.Dropdown(KIND_CHOICES, value="regulation", label="类型", elem_id="up-kind")
                            up_level = gr.Dropdown(LEVEL_CHOICES, value="", label="级别", elem_id="up-level")
                        with gr.Row():
                            up_issued = gr.Textbox(label="发布日期（可空）", placeholder="YYYY-MM-DD", elem_id="up-issued")
                            up_effective = gr.Textbox(label="施行日期（可空）", placeholder="YYYY-MM-DD",
                                                      elem_id="up-effective")
                with gr.Row():
                    up_preview = gr.Button("预览（不写入）", variant="secondary", elem_id="up-preview")
                    up_confirm = gr.Button("确认添加", variant="primary", interactive=False, elem_id="up-confirm")
                up_status = gr.Markdown("", elem_id="up-status", elem_classes=["pa-status"])
                up_pending = gr.State(None)
                up_view = gr.HTML("", elem_id="up-preview-view", js_on_load=None)
                up_fields = [up_file, up_jur, up_title, up_id, up_kind, up_issued, up_effective, up_level]

                gr.Markdown("#### 删除文档")
                with gr.Row():
                    rm_doc = gr.Dropdown(doc_choices, value=None, label="文档", elem_id="rm-doc", scale=3)
                    rm_ask = gr.Button("删除…", variant="stop", elem_id="rm-ask", scale=1)
                rm_status = gr.Markdown("", elem_id="rm-status", elem_classes=["pa-status"])
                with gr.Row(visible=False, elem_id="rm-confirm-row") as rm_row:
                    rm_confirm = gr.Button("确认删除", variant="stop", elem_id="rm-confirm")
                    rm_cancel = gr.Button("取消", elem_id="rm-cancel")

        def open_in_documents(target: str):
            doc_id = (target or "").partition("#")[0]
            if doc_id not in ui.view().docs_by_id:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return gr.Tabs(selected="documents"), doc_id, target, ui.document(doc_id, target)

        # the chat's comparison → the 对比 tab with the same documents and topic, compared
        chat_compare.click(ui.open_comparison, inputs=[compare_selection], outputs=[tabs, cmp_jur, cmp_docs, cmp_topics],
                           api_visibility="private").then(ui.compare, inputs=cmp_inputs, outputs=cmp_outputs,
                                                          api_visibility="private").then(**cmp_show)
        r_open.click(open_in_documents, inputs=[r_target], outputs=[tabs, d_doc, d_focus, d_view],
                     api_visibility="private").then(
            None, js="() => setTimeout(() => document.querySelector('#doc-view .pa-focus')"
                     "?.scrollIntoView({block: 'center'}), 300)")
        # every selector follows the corpus: on page load and after an add or a remove
        refresh_inputs = [jurisdiction, cmp_jur, cmp_docs, cmp_topics, r_search, r_jur, r_doc, r_topic, r_kind,
                          t_doc, d_doc, rm_doc]
        refresh_outputs = [jurisdiction, cmp_jur, cmp_docs, cmp_topics, r_jur, r_doc, r_topic, r_table, r_note,
                           t_doc, d_doc, rm_doc]
        refresh_io = dict(fn=ui.refresh, inputs=refresh_inputs, outputs=refresh_outputs, api_visibility="private")
        blocks.load(**refresh_io)

        up_preview.click(ui.upload_preview, inputs=up_fields, outputs=[up_view, up_status, up_pending, up_confirm],
                         api_name="upload_preview", concurrency_limit=2)
        up_confirm.click(lambda: (gr.update(interactive=False), "正在添加并更新索引…"),
                         outputs=[up_confirm, up_status], api_visibility="private", queue=False).then(
            ui.upload_commit, inputs=[*up_fields, up_pending], outputs=[up_view, up_status, up_pending, up_confirm],
            api_name="upload_commit", concurrency_limit=1, concurrency_id="manage").then(**refresh_io)
        # a changed file or field invalidates the preview: confirm waits for a new one
        for field in up_fields:
            field.change(lambda: (None, gr.update(interactive=False)), outputs=[up_pending, up_confirm],
                         api_visibility="private", queue=False)
        rm_ask.click(ui.ask_remove, inputs=[rm_doc], outputs=[rm_status, rm_row], api_visibility="private")
        rm_doc.input(lambda: ("", gr.update(visible=False)), outputs=[rm_status, rm_row], api_visibility="private")
        rm_cancel.click(lambda: ("", gr.update(visible=False)), outputs=[rm_status, rm_row], api_visibility="private")
        rm_confirm.click(ui.remove_document, inputs=[rm_doc], outputs=[rm_status, rm_row], api_name="remove_document",
                         concurrency_limit=1, concurrency_id="manage").then(**refresh_io)
    blocks.queue(default_concurrency_limit=4, max_size=64)
    return blocks
