"""The web UI (gradio Blocks): chat, comparison, rules, timeline and documents tabs.

``build_ui(engine)`` builds the app over an already loaded Engine; ``assistant.api.create_app``
mounts it at ``/`` next to the JSON API. Every handler turns an AssistantError (or anything
unexpected) into one clear line for the user, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

import gradio as gr
import pandas as pd

from assistant.errors import AssistantError

from . import render

log = logging.getLogger(__name__)

ALL = "全部"
EXAMPLES = [  # one per intent: (label, question, jurisdiction filter)
    ("数值", "重庆的碳计量中心批下来以后，筹建最多给几年？", "重庆"),
    ("申请条件", "申请湖北省级碳计量中心要满足哪些条件？", "湖北"),
    ("时间线", "我们2024年6月1日拿到重庆碳计量中心的批筹文件，验收申请最晚哪天前得交？", "重庆"),
    ("主要任务", "湖北省级碳计量中心主要干哪些活？", "湖北"),
    ("办理流程", "在湖北申请碳计量中心，大致走什么流程？", "湖北"),
    ("对比", "湖北、重庆、天津的筹建期限一样吗？", ALL),
    ("撤销情形", "重庆碳计量中心哪些情况下会被摘牌？", "重庆"),
    ("其他", "东营市计量发展有哪些目标？", "东营"),
]
EMPTY_HINT = "请输入一个问题，例如：重庆的碳计量中心筹建期是几年？（或点击下方的示例问题）"
MAX_DISPLAY_TURNS = 40  # chat messages kept on screen; the engine sees only the trimmed history

CSS = """
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
.pa-badge { display: inline-block; margin: 2px 4px 2px 0; padding: 1px 8px; border-radius: 12px; font-size: 13px; }
.pa-ok { background: #e7f7ec; color: #17703a; }
.pa-bad { background: #fde8e8; color: #b42318; font-weight: 600; }
.pa-unk { background: #f0f0f0; color: #555; }
.pa-article { border-left: 3px solid transparent; padding: 4px 8px; margin: 6px 0; }
.pa-article.has-rules { border-left-color: #f5a623; background: rgba(255, 229, 143, 0.12); }
.pa-article.pa-focus { outline: 2px solid #1d4ed8; }
.pa-article-head { font-weight: 600; }
.pa-rule-dot { display: inline-block; width: 10px; height: 3px; background: #f5a623; vertical-align: middle; }
.pa-hint { color: #b45309; min-height: 1.2em; }
"""


def theme():
    return gr.themes.Default(
        primary_hue="blue",
        font=[gr.themes.LocalFont("Source Sans Pro"), "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
              "Microsoft YaHei", "sans-serif"],
    )


def _error_text(exc: Exception) -> str:
    if isinstance(exc, AssistantError):
        return f"⚠️ {exc}"
    log.exception("UI handler failed")
    return f"⚠️ 出错了，请稍后重试（{type(exc).__name__}）。"


class UI:
    """Holds the engine and the corpus lookups the handlers need."""

    def __init__(self, engine):
        from assistant.compare import short_title
        from assistant.config import Settings

        self.engine = engine
        self.settings = getattr(engine, "settings", None) or Settings.from_env()
        self.docs = list(engine.docs)
        self.table = engine.table
        self.docs_by_id = {d.id: d for d in self.docs}
        self.titles = {d.id: short_title(d) for d in self.docs}  # the rules table's 文档 column
        self.jurisdictions = list(dict.fromkeys(d.meta.jurisdiction for d in self.docs))
        self.rules_by_id = {r.id: r for r in self.table.rules}
        self.out_dir = Path(tempfile.mkdtemp(prefix="pa-ui-"))

    # -------------------------------------------------------------- chat
    def chat(self, message: str, jurisdiction: str, turns: list, display: list):
        """One chat turn → (chat messages, turns, display, side panel, cleared input, hint)."""
        from assistant.api import ask

        turns, display = list(turns or []), list(display or [])
        message = (message or "").strip()
        if not message:  # a hint, and no request to the engine
            return display, turns, display, gr.skip(), "", EMPTY_HINT
        if len(message) > self.settings.max_question_chars:
            hint = f"问题过长（{len(message)} 字，上限 {self.settings.max_question_chars} 字），请精简后再问。"
            return display, turns, display, gr.skip(), message, hint
        juris = None if jurisdiction in (None, "", ALL) else jurisdiction
        try:
            answer = ask(self.engine, self.settings, message, jurisdiction=juris, history=turns)
        except Exception as exc:  # one clear line, never a traceback
            reply = render.md_safe(_error_text(exc))
            display += [{"role": "user", "content": render.md_safe(message)}, {"role": "assistant", "content": reply}]
            return display, turns, display, gr.skip(), "", ""
        turns += [{"role": "user", "content": message}, {"role": "assistant", "content": answer["answer"]}]
        display += [{"role": "user", "content": render.md_safe(message)},
                    {"role": "assistant", "content": render.answer_markdown(answer)}]
        display = display[-MAX_DISPLAY_TURNS:]
        turns = turns[-MAX_DISPLAY_TURNS:]
        return display, turns, display, render.sources_html(answer, self.docs_by_id), "", ""

    # -------------------------------------------------------------- comparison
    def compare(self, jurisdictions: list, doc_ids: list, topics: list):
        """→ (styled table, CSV file, XLSX file, note)."""
        from assistant.compare import compare

        try:
            doc_ids = list(doc_ids or [])
            comparison = compare(self.table, self.docs, doc_ids=doc_ids or None,
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
        try:
            table = self.table.filter(
                jurisdictions=None if jurisdiction in (None, "", ALL) else [jurisdiction],
                doc_ids=None if doc in (None, "", ALL) else [doc],
                topic=None if topic in (None, "", ALL) else topic,
                kind=None if kind in (None, "", ALL) else kind)
        except Exception as exc:
            return pd.DataFrame(columns=render.RULE_COLUMNS), _error_text(exc)
        frame = render.rules_frame(table.to_rows(), titles=self.titles, search=search or "")
        return frame, f"共 {len(frame)} 条。点击任一行查看所在条款原文。"

    def rule_article(self, evt: gr.SelectData):
        """Row click → the article the rule comes from, quote highlighted (the row's link)."""
        try:
            key = render.rule_row_key(evt.row_value)
        except Exception:
            return gr.skip(), gr.skip(), gr.skip()
        found = next((r for r in self.table.to_rows()
                      if (self.titles.get(r["doc_id"], r["doc_id"]), r["article"], r["quote"].replace("\n", " ")) == key),
                     None)
        if not found:
            return gr.skip(), gr.skip(), gr.skip()
        doc = self.docs_by_id.get(found["doc_id"])
        return (render.article_html(doc, found["article"], found["quote"], found["start"]),
                f"{found['doc_id']}#{found['article']}", gr.update(visible=True))

    # -------------------------------------------------------------- timeline
    def timeline(self, doc: str, event: str, date):
        from assistant.timeline import EVENTS, compute_timeline

        empty = pd.DataFrame(columns=render.TIMELINE_COLUMNS)
        try:
            from assistant.corpus import get_document

            document = get_document(self.docs, doc or "")
            key = next((k for k, v in EVENTS.items() if event in (k, v)), event)
            day = _parse_date(date)
            events = compute_timeline(document, self.table, event=key, date=day)
        except Exception as exc:
            return empty, None, _error_text(exc)
        table, plot = render.timeline_frames(events, self.rules_by_id, start=(EVENTS.get(key, key), day))
        if table.empty:
            return table, None, f"{document.meta.title}：没有可计算的日期。"
        note = (f"{document.meta.title}：{EVENTS.get(key, key)}于 {day.isoformat()} → {len(events)} 个日期。"
                "“另一读法”为开始当日计入时的日期。")
        return table, plot, note

    # -------------------------------------------------------------- documents
    def document(self, doc: str, focus: str = ""):
        """The document view; ``focus`` ("doc-id#第十四条") outlines that article."""
        doc_id = doc or ""
        focus_doc, _, focus_label = (focus or "").partition("#")
        focus = focus_label if focus_doc == doc_id else ""
        document = self.docs_by_id.get(doc_id)
        if document is None:
            return f'<p class="pa-muted">请选择一个文档。 {render.esc(doc_id)}</p>'
        rows = self.table.filter(doc_ids=[doc_id]).to_rows()
        return render.document_html(document, rows, focus=focus)


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
        raise BadQuestionError(f"日期 '{value}' 无效，请写成 YYYY-MM-DD。 Date must be YYYY-MM-DD.") from None


def build_ui(engine) -> gr.Blocks:
    """The gradio app over an already loaded Engine (docs, rules table, retriever)."""
    from assistant.rules import NUMERIC, load_vocabulary
    from assistant.timeline import EVENTS

    ui = UI(engine)
    vocab = load_vocabulary()
    # (label, value) choices: the UI shows titles, handlers and API clients get ids
    doc_choices = [(f"{d.meta.title}（{d.id}）", d.id) for d in ui.docs]
    regulation_choices = [(f"{d.meta.title}（{d.id}）", d.id) for d in ui.docs if d.meta.kind == "regulation"]
    topic_choices = [(vocab.label(t), t) for t in ui.table.topics() if vocab.topic(t)]
    kind_choices = [ALL, ("数值", NUMERIC)] + [(p.label, p.kind) for p in vocab.provisions]
    event_choices = [(label, key) for key, label in EVENTS.items()]
    regulation_jurs = list(dict.fromkeys(d.meta.jurisdiction for d in ui.docs if d.meta.kind == "regulation"))

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
                        jurisdiction = gr.Dropdown([ALL, *ui.jurisdictions], value=ALL, label="地区筛选",
                                                   elem_id="chat-jurisdiction")
                        chatbot = gr.Chatbot(label="对话", height=560, elem_id="chatbot", buttons=["copy"],
                                             feedback_options=None, placeholder="问问各地碳计量中心、计量数据中心的政策吧。")
                        with gr.Row():
                            message = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, scale=5,
                                                 elem_id="chat-input", max_lines=4)
                            send = gr.Button("发送", variant="primary", scale=1, elem_id="chat-send")
                        hint = gr.Markdown("", elem_classes=["pa-hint"], elem_id="chat-hint")
                        clear = gr.Button("清空对话", size="sm", elem_id="chat-clear")
                        gr.Examples([[q, j] for _, q, j in EXAMPLES], inputs=[message, jurisdiction],
                                    example_labels=[f"{label}：{q}" for label, q, _ in EXAMPLES],
                                    label="示例问题（每种意图一个）", examples_per_page=10)
                    with gr.Column(scale=2):
                        gr.Markdown("#### 引用条款")
                        sources = gr.HTML('<p class="pa-muted">提问后，这里显示每个引用条款的全文，引用的句子高亮。</p>',
                                          elem_id="chat-sources", js_on_load=None)
                chat_io = dict(fn=ui.chat, inputs=[message, jurisdiction, turns, display],
                               outputs=[chatbot, turns, display, sources, message, hint], concurrency_limit=4)
                send.click(api_name="chat", **chat_io)
                message.submit(api_visibility="private", **chat_io)
                clear.click(lambda: ([], [], [], "", ""), outputs=[chatbot, turns, display, sources, hint],
                            api_visibility="private")

            # ---------------------------------------------------------- comparison
            with gr.Tab("对比", id="compare", elem_id="tab-compare"):
                with gr.Row():
                    cmp_jur = gr.CheckboxGroup(ui.jurisdictions, value=regulation_jurs, label="地区",
                                               elem_id="cmp-jurisdictions")
                    cmp_docs = gr.CheckboxGroup(doc_choices, value=[], label="或选择文档（选中时优先于地区）",
                                                elem_id="cmp-docs")
                cmp_topics = gr.CheckboxGroup(topic_choices, value=[], label="主题（不选则比较所有有规定的主题）",
                                              elem_id="cmp-topics")
                cmp_go = gr.Button("对比", variant="primary", elem_id="cmp-go")
                cmp_note = gr.Markdown("")
                cmp_table = gr.Dataframe(label="对比表（行：主题；列：地区·文档；黄色：各地不同）", interactive=False,
                                         wrap=True, elem_id="cmp-table", max_height=600)
                with gr.Row():
                    cmp_csv = gr.DownloadButton("下载 CSV", value=None, elem_id="cmp-csv")
                    cmp_xlsx = gr.DownloadButton("下载 XLSX", value=None, elem_id="cmp-xlsx")
                cmp_go.click(ui.compare, inputs=[cmp_jur, cmp_docs, cmp_topics],
                             outputs=[cmp_table, cmp_csv, cmp_xlsx, cmp_note], api_name="compare")

            # ---------------------------------------------------------- rules
            with gr.Tab("规则", id="rules", elem_id="tab-rules"):
                with gr.Row():
                    r_search = gr.Textbox(label="搜索", placeholder="例如：筹建 / 法人 / 撤销", elem_id="rules-search")
                    r_jur = gr.Dropdown([ALL, *ui.jurisdictions], value=ALL, label="地区")
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
                                        label="文档", elem_id="tl-doc")
                    t_event = gr.Dropdown(event_choices, value="approved", label="事件", elem_id="tl-event")
                    t_date = gr.Textbox(value="2024-06-01", label="日期 (YYYY-MM-DD)", elem_id="tl-date")
                t_go = gr.Button("计算时间线", variant="primary", elem_id="tl-go")
                t_note = gr.Markdown("")
                t_table = gr.Dataframe(interactive=False, wrap=True, elem_id="tl-table",
                                       column_widths=["11%", "16%", "8%", "35%", "10%", "20%"])
                # value None at first: gradio's plot redraws correctly only when it starts empty
                t_plot = gr.ScatterPlot(None, x="日期", y="事件",
                                        title="时间线（悬停查看依据条款）", x_title="日期", y_title="", height=360,
                                        elem_id="tl-plot", tooltip="all", label="时间线图")
                t_go.click(ui.timeline, inputs=[t_doc, t_event, t_date], outputs=[t_table, t_plot, t_note],
                           api_name="timeline")

            # ---------------------------------------------------------- documents
            with gr.Tab("文档", id="documents", elem_id="tab-documents"):
                d_doc = gr.Dropdown(doc_choices, value=doc_choices[0][1] if doc_choices else None, label="文档",
                                    elem_id="doc-select")
                d_focus = gr.State("")
                d_view = gr.HTML(ui.document(doc_choices[0][1]) if doc_choices else "", elem_id="doc-view",
                                 js_on_load=None)
                d_doc.change(ui.document, inputs=[d_doc, d_focus], outputs=[d_view], api_name="document")

        def open_in_documents(target: str):
            doc_id = (target or "").partition("#")[0]
            if doc_id not in ui.docs_by_id:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return gr.Tabs(selected="documents"), doc_id, target, ui.document(doc_id, target)

        r_open.click(open_in_documents, inputs=[r_target], outputs=[tabs, d_doc, d_focus, d_view],
                     api_visibility="private").then(
            None, js="() => setTimeout(() => document.querySelector('#doc-view .pa-focus')"
                     "?.scrollIntoView({block: 'center'}), 300)")
    blocks.queue(default_concurrency_limit=4, max_size=64)
    return blocks
