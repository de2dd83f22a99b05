"""Pure rendering helpers for the web UI: Answer JSON / documents / rules → markdown, HTML, tables.

Every piece of document or user text that ends up in HTML goes through ``esc`` (html.escape),
so a document containing ``<script>`` or markup is shown as text, never executed.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from assistant.types import Answer, Check, Citation

STATUS_MARK = {"verified": "✔", "contradicted": "✘", "unsupported": "?"}  # 已核实 · 与原文矛盾 · 无依据
DOC_KIND_LABEL = {"regulation": "法规", "plan": "规划", "news": "新闻"}  # a document's kind, as shown
KIND_LABEL = {"numeric": "数值", "conditions": "申请条件", "tasks": "主要任务", "revocation": "撤销情形",
              "materials": "申请材料", "priority": "优先条件"}
_MARKER = re.compile(r"\[([^\[\]\n]{1,60}?)·(第[零一二三四五六七八九十百千两\d]+条|[^\[\]\n]{1,20}?)\]")


def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def md_safe(text: str) -> str:
    """Markdown with any HTML tags neutralised (shown literally, not rendered or executed)."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- chat

def citation_key(c: Citation) -> tuple[str, str]:
    return (c.doc_id, c.article)


def numbered_citations(answer: Answer) -> list[tuple[int, Citation]]:
    """Citations numbered [1], [2] … in order, one number per (document, article)."""
    out, seen = [], {}
    for c in answer.citations:
        key = citation_key(c)
        if key not in seen:
            seen[key] = len(seen) + 1
            out.append((seen[key], c))
    return out


_REFERENCE = re.compile(r"^(\[[^\[\]]+\]|第[零一二三四五六七八九十百千两\d]+条)$")


def grouped_checks(checks) -> tuple[list[tuple[Check, int]], list[tuple[Check, int]]]:
    """(number checks, article-reference checks), identical ones merged with a count."""
    numbers: dict[tuple, list] = {}
    references: dict[tuple, list] = {}
    for chk in checks or ():
        key = (chk.claim, chk.status, chk.expected)
        bucket = references if _REFERENCE.match(key[0].strip()) else numbers
        bucket.setdefault(key, [chk, 0])[1] += 1
    return [tuple(v) for v in numbers.values()], [tuple(v) for v in references.values()]


def _badge_text(chk: Check, count: int) -> str:
    mark = STATUS_MARK.get(chk.status, "?")
    text = f"{mark} {chk.claim}"
    if chk.status == "contradicted" and chk.expected:
        text += f"（原文: {chk.expected}）"
    return text + (f" ×{count}" if count > 1 else "")


def check_summary_md(checks) -> str:
    """The answer's checks on one line, shown once (in the chat message, not again in the side
    panel): every number as a badge (✔ 3年 · ✘ 5年（原文: 3年）· ? 100分); article references
    counted when they all hold, named when one does not."""
    numbers, references = grouped_checks(checks)
    badges = [_badge_text(c, n) for c, n in numbers]
    failed = [(c, n) for c, n in references if c.status != "verified"]
    held = sum(n for c, n in references if c.status == "verified")
    badges += [_badge_text(c, n) for c, n in failed]
    if held:
        badges.append(f"✔ {'其余' if failed else ''}条款引用 {held} 处")
    return ("**核对** " + " · ".join(badges)) if badges else ""


def answer_markdown(answer: Answer) -> str:
    """The chat message: the answer (markdown), numbered sources and the one-line check summary.

    Markers the composer writes (``[重庆·第十四条]``) get their citation number appended, so
    each claim points at the numbered source list below and at the side panel.
    """
    # the answer is markdown, never HTML: markup from a document is shown as text
    text = md_safe((answer.answer or "").strip())
    numbered = numbered_citations(answer)

    def number_marker(m: re.Match) -> str:
        prefix, article = m.group(1).strip(), m.group(2).strip()
        n = next((n for n, c in numbered if c.article == article
                  and (prefix == c.jurisdiction or c.title.startswith(prefix))), None)
        if n is None:  # a marker whose prefix we cannot place: the first citation of that article
            n = next((n for n, c in numbered if c.article == article), None)
        return f"{m.group(0)}<sup>[{n}]</sup>" if n else m.group(0)

    text = _MARKER.sub(number_marker, text)
    lines = [text]
    if numbered:
        lines += ["", "**来源**"]
        for n, c in numbered:
            quote = (c.quote or "").replace("\n", " ")
            short = quote if len(quote) <= 60 else quote[:60] + "…"
            lines.append(md_safe(f"{n}. {c.title}（{c.jurisdiction}）{c.article}"
                                 + (f"：“{short}”" if short else "")))
    summary = check_summary_md(answer.checks)
    if summary:
        lines += ["", md_safe(summary)]
    return "\n".join(lines)


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped ``text`` with the given [start, end) spans wrapped in <mark>."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s)
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            s = pos
        if s >= e:
            continue
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def article_as_written(doc, article, start: int | None = None) -> tuple[str, list[int]]:
    """The article from ``start`` (a document offset, default its beginning) as its document wrote
    it, and for each document offset start..article.end its position in that text."""
    start = article.start if start is None else start
    if not hasattr(doc, "source_display"):  # a document without a source map reads as normalised
        return article.text[start - article.start:], list(range(article.end - start + 1))
    return doc.source_display(start, article.end)


def marked_article(doc, article, quotes: list[tuple[str, int, int]], *, start: int | None = None) -> str:
    """Escaped article text as the document wrote it, each (quote, start, end) in <mark>: at its
    document offset ``start`` when the text there is the quote, else where the quote is found."""
    lo = article.start if start is None else start
    text, where = article_as_written(doc, article, lo)
    spans = []
    for quote, s, _ in quotes:
        quote = (quote or "").strip()
        if not quote:
            continue
        if lo <= s <= article.end:
            a = where[s - lo]
            while a < len(text) and text[a].isspace():
                a += 1
            if text.startswith(quote, a):
                spans.append((a, a + len(quote)))
                continue
        found = text.find(quote)
        if found >= 0:
            spans.append((found, found + len(quote)))
    return highlight(text, spans)


def sources_html(answer: Answer, docs_by_id: dict) -> str:
    """Side panel: each cited article's full text with the quoted spans highlighted (the checks
    are in the chat message: shown once)."""
    numbered = numbered_citations(answer)
    parts = ['<div class="pa-sources">']
    if not numbered:
        note = "未找到可引用的条款。" if answer.abstained else "本回答没有引用条款。"
        parts.append(f'<p class="pa-muted">{esc(note)}</p>')
    for n, c in numbered:
        doc = docs_by_id.get(c.doc_id)
        article = doc.article(c.article) if doc else None
        quotes = [(x.quote, int(x.start or 0), int(x.end or 0))
                  for x in answer.citations if citation_key(x) == citation_key(c)]
        head = f"[{n}] {c.title} · {c.article}"
        parts.append(f'<div class="pa-cite" id="pa-cite-{n}"><div class="pa-cite-head">{esc(head)}'
                     f' <span class="pa-tag">{esc(c.jurisdiction)}</span></div>')
        if article is not None:
            body = marked_article(doc, article, quotes)
        else:
            body = highlight(c.quote, [(0, len(c.quote))])
        parts.append(f'<div class="pa-article-text">{body}</div></div>')
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- comparison

def comparison_frame(comparison) -> pd.DataFrame:
    """Rows topics, columns documents (grouped by jurisdiction): value + article, or 未规定."""
    from assistant.compare import FOUND, NOT_STATED

    rows = []
    for t in comparison.topics:
        row = {"主题": comparison.labels[t]}
        for d in comparison.columns:
            cell = comparison.cell(t, d)
            row[comparison.headers[d]] = f"{cell.text}（{cell.article}）" if cell.status == FOUND else NOT_STATED
        row["差异"] = "≠ 不同" if t in comparison.differs else ""
        rows.append(row)
    columns = ["主题", *(comparison.headers[d] for d in comparison.columns), "差异"]
    return pd.DataFrame(rows, columns=columns)


def comparison_styler(frame: pd.DataFrame):
    """Differing rows highlighted; 未规定 cells greyed."""
    from assistant.compare import NOT_STATED

    def row_style(row):
        differs = bool(row.get("差异"))
        out = []
        for col, value in row.items():
            css = "background-color: #fff2cc; font-weight: 600;" if differs else ""
            if value == NOT_STATED:
                css = (css + " color: #8a8a8a;").strip()
            out.append(css)
        return out

    return frame.style.apply(row_style, axis=1)


# --------------------------------------------------------------------------- rules

RULE_COLUMNS = ["类型", "地区", "文档", "条款", "主题", "值", "原文"]


def rule_row_key(row) -> tuple:
    """What identifies a displayed rules-table row: (document, article, quote)."""
    return (str(row[2]), str(row[3]), str(row[6]))


def rules_frame(rows: list[dict], *, titles: dict, search: str = "") -> pd.DataFrame:
    """The rules/provisions table for browsing; ``search`` keeps rows containing every word."""
    from assistant.numbers import format_quantity

    out = []
    words = [w for w in re.split(r"\s+", search.strip()) if w]
    for r in rows:
        if r["kind"] == "numeric":
            value = r["value"]
            value = tuple(value) if isinstance(value, list) else value
            try:
                shown = format_quantity(value, r["unit"], r["comparator"], r.get("note", ""))
            except Exception:  # a value the formatter does not know: show it raw
                shown = f"{value}{r['unit']}"
        else:
            shown = r.get("item") or ""
        row = [KIND_LABEL.get(r["kind"], r["kind"]), r["jurisdiction"], titles.get(r["doc_id"], r["doc_id"]),
               r["article"], r["label"], shown, r["quote"].replace("\n", " ")]
        if words and not all(any(w.lower() in str(cell).lower() for cell in row) for w in words):
            continue
        out.append(row)
    return pd.DataFrame(out, columns=RULE_COLUMNS)


# --------------------------------------------------------------------------- documents

def document_html(doc, rows: list[dict], *, focus: str = "") -> str:
    """A document's chapters and articles (escaped), each article marked with the rules found in it."""
    from assistant.numbers import format_quantity

    m = doc.meta
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r["article"], []).append(r)
    with_rules = sum(1 for a in doc.articles if a.label in by_article)
    meta = " · ".join(x for x in (m.jurisdiction, f"{m.level}级", DOC_KIND_LABEL.get(m.kind, m.kind), m.doc_number,
                                  f"施行 {m.effective.isoformat()}" if m.effective else "") if x)
    parts = [f'<div class="pa-doc"><h3>{esc(m.title)}</h3><p class="pa-muted">{esc(meta)} · <code>{esc(doc.id)}</code></p>',
             f'<p class="pa-muted">共 {len(doc.articles)} {"节" if all(a.is_section for a in doc.articles) else "条"}，'
             f'其中 {with_rules} 处含规则（<span class="pa-rule-dot"></span> 标记）。</p>']
    chapter = None
    for a in doc.articles:
        if a.chapter and a.chapter != chapter:
            chapter = a.chapter
            parts.append(f"<h4>{esc(chapter)}</h4>")
        found = by_article.get(a.label, [])
        spans = [(r["start"] - a.start, r["end"] - a.start) for r in found]
        cls = "pa-article has-rules" if found else "pa-article"
        if focus and a.label == focus:
            cls += " pa-focus"
        tags = []
        for r in found:
            if r["kind"] == "numeric":
                value = tuple(r["value"]) if isinstance(r["value"], list) else r["value"]
                try:
                    shown = format_quantity(value, r["unit"], r["comparator"], r.get("note", ""))
                except Exception:
                    shown = f"{value}{r['unit']}"
                tags.append(f'<span class="pa-tag pa-tag-rule">{esc(r["label"])} {esc(shown)}</span>')
            else:
                tags.append(f'<span class="pa-tag pa-tag-prov">{esc(KIND_LABEL.get(r["kind"], r["kind"]))}'
                            f'{esc(" " + r["item"] if r.get("item") else "")}</span>')
        heading = a.label if not a.is_section else f"{a.label} {a.heading}".strip()
        skip = 0
        if not a.is_section and a.text.startswith(a.label):  # the heading already shows 第X条
            skip = len(a.label) + len(a.text[len(a.label):]) - len(a.text[len(a.label):].lstrip())
        shown, where = article_as_written(doc, a, a.start + skip)  # the document's own text
        body = highlight(shown, [(where[s - skip], where[e - skip]) for s, e in spans
                                 if skip <= s <= e <= len(a.text)])
        parts.append(f'<div class="{cls}" id="art-{esc(a.label)}"><div class="pa-article-head">{esc(heading)} {"".join(tags)}</div>'
                     f'<div class="pa-article-text">{body}</div></div>')
    if doc.attachments:
        parts.append(f'<p class="pa-muted">附件：{esc("；".join(doc.attachments))}</p>')
    parts.append("</div>")
    return "".join(parts)


def article_html(doc, label: str, quote: str = "", start: int = -1) -> str:
    """One article as its document wrote it, a quote highlighted (the rules tab's link target)."""
    article = doc.article(label) if doc else None
    if article is None:
        return f'<p class="pa-muted">找不到 {esc(label)}。</p>'
    body = marked_article(doc, article, [(quote, start, -1)] if quote else [])
    return (f'<div class="pa-cite"><div class="pa-cite-head">{esc(doc.meta.title)} · {esc(label)}</div>'
            f'<div class="pa-article-text">{body}</div></div>')


# --------------------------------------------------------------------------- timeline

TIMELINE_COLUMNS = ["日期", "事件", "条款", "依据原文", "另一读法", "读法"]


_STEPS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# x-axis ticks in Chinese: "2025年1月" for month ticks, "3月5日" when the span is a few weeks
# (dates are UTC days on a UTC scale: the same day in every browser time zone)
_TICK_LABEL = ("utcdate(datum.value) == 1 ? utcyear(datum.value) + '年' + (utcmonth(datum.value) + 1) + '月'"
               " : (utcmonth(datum.value) + 1) + '月' + utcdate(datum.value) + '日'")


def zh_date(day) -> str:
    """2027-06-01 → 2027年6月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _span_text(start, end) -> str:
    """The time from ``start`` to ``end`` in 年/个月/天 (2024-06-01 → 2027-03-01: 2年9个月)."""
    from dateutil.relativedelta import relativedelta

    before = end < start
    rd = relativedelta(*(start, end) if before else (end, start))
    text = "".join(f"{n}{unit}" for n, unit in ((rd.years, "年"), (rd.months, "个月"), (rd.days, "天")) if n)
    return f"起算前{text}" if before else (text or "当日")


def timeline_table(events: list, rules_by_id: dict) -> pd.DataFrame:
    """One row per event with the rule behind it (dates ISO, so the column sorts)."""
    rows = []
    for e in events:
        rule = rules_by_id.get(e.rule_id)
        quote = (rule.verbatim or rule.quote).replace("\n", " ") if rule else ""
        rows.append([e.date.isoformat(), e.name, e.article, quote,
                     e.alternative.isoformat() if e.alternative else "", e.reading])
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def timeline_chart(events: list, rules_by_id: dict, *, start: tuple[str, object]) -> dict:
    """A Vega-Lite spec of the timeline as phases: one bar per deadline from the starting event's
    date (``start`` = (name, date)) to it, in date order, each labelled with its Chinese date and
    event (② 2027年6月1日　筹建期限届满); the tooltip names the article and quotes it.
    Labels sit above their bars, so the chart reads the same at phone width."""
    start_name, start_day = start
    # the date first: on a narrow screen a long label loses its end, never its date
    rows = [{"order": 0, "label": f"{zh_date(start_day)}　{start_name}（起算日）", "start": start_day.isoformat(),
             "end": start_day.isoformat(), "event": f"{start_name}（起算日）", "date": zh_date(start_day),
             "article": "", "quote": "", "span": "", "alternative": "", "phase": False}]
    for e in sorted(events, key=lambda e: e.date):
        rule = rules_by_id.get(e.rule_id)
        quote = (rule.verbatim or rule.quote).replace("\n", " ") if rule else ""
        rows.append({"order": len(rows), "label": f"{zh_date(e.date)}　{e.name}",
                     "start": min(start_day, e.date).isoformat(), "end": max(start_day, e.date).isoformat(),
                     "event": e.name, "date": zh_date(e.date),
                     "article": " ".join(x for x in (e.article, rule.label if rule else "") if x),
                     "quote": quote if len(quote) <= 80 else quote[:80] + "…",
                     "span": _span_text(start_day, e.date),
                     "alternative": zh_date(e.alternative) if e.alternative else "—", "phase": True})
    for n, row in enumerate(rows):
        row["label"] = f"{_STEPS[n] if n < len(_STEPS) else f'{n + 1}.'} {row['label']}"
    first = min(row["start"] for row in rows)
    last = max(row["end"] for row in rows)
    span_days = max((pd.Timestamp(last) - pd.Timestamp(first)).days, 30)
    pad = pd.Timedelta(days=max(2, round(span_days * 0.03)))
    domain = [(pd.Timestamp(first) - pad).date().isoformat(), (pd.Timestamp(last) + pad).date().isoformat()]
    y = {"field": "order", "type": "ordinal", "axis": None}
    x_axis = {"title": f"日期（自{start_name} {zh_date(start_day)} 起）", "labelExpr": _TICK_LABEL,
              "labelOverlap": "greedy", "labelFlush": True, "grid": True, "tickCount": 6, "titlePadding": 8}
    x = {"field": "start", "type": "temporal", "scale": {"type": "utc", "domain": domain, "nice": False}, "axis": x_axis}
    tooltip = [{"field": "event", "title": "事件"}, {"field": "date", "title": "日期"},
               {"field": "span", "title": "起算后"}, {"field": "article", "title": "依据条款"},
               {"field": "quote", "title": "原文"}, {"field": "alternative", "title": "另一读法"}]
    phases = {"filter": "datum.phase"}
    plain = {"strokeWidth": 0}  # gradio's chart theme strokes every mark in its accent colour
    return {
        # no width and no config: gradio fits the chart to its box and applies its theme (fonts, colours)
        # (gradio fits the whole chart, axis and padding included, into this height; the top padding
        # keeps the first row clear of the block's label)
        "height": 50 * len(rows) + 96,
        "padding": {"left": 4, "right": 12, "top": 36, "bottom": 4},
        "data": {"values": rows},
        "encoding": {},
        # no vega-embed "…" menu (English, and a link to the online Vega editor)
        "usermeta": {"embedOptions": {"actions": False}},
        "layer": [
            {"transform": [phases],
             "mark": {"type": "bar", "height": 12, "yOffset": 7, "cornerRadius": 3, "fill": "#93c5fd", **plain},
             "encoding": {"y": y, "x": x, "x2": {"field": "end"}, "tooltip": tooltip}},
            {"mark": {"type": "point", "filled": True, "size": 70, "yOffset": 7, "fill": "#1d4ed8", **plain},
             "encoding": {"y": y, "x": {"field": "end", "type": "temporal"}, "tooltip": tooltip}},
            {"mark": {"type": "text", "align": "left", "baseline": "bottom", "yOffset": -1, "fontSize": 13,
                      "fill": "#111827", "limit": {"expr": "width * 0.96"}, **plain},
             "encoding": {"y": y, "x": {"field": "start", "type": "temporal"},
                          "text": {"field": "label"}, "tooltip": tooltip}},
        ],
    }


# --------------------------------------------------------------------------- adding a document

def _shown_value(r: dict) -> str:
    from assistant.numbers import format_quantity

    value = tuple(r["value"]) if isinstance(r["value"], list) else r["value"]
    try:
        return format_quantity(value, r["unit"], r["comparator"], r.get("note", ""))
    except Exception:  # a value the formatter does not know: show it raw
        return f"{value}{r['unit']}"


def upload_preview_html(doc, data: dict, rows: list[dict], *, label) -> str:
    """What `add` found in an uploaded file, before anything is written: chapters, article
    count, numeric rules by topic (value, article, quote), enumerated provisions, warnings and
    the full structure. ``data`` is AddReport.to_dict(); ``label`` maps a topic key to its name.
    Every piece of document or user text is escaped."""
    numeric = [r for r in rows if r["kind"] == "numeric"]
    provisions = [r for r in rows if r["kind"] != "numeric"]
    unit = "节" if data["sections"] and not data["articles"] else "条"
    count = data["articles"] or data["sections"]
    meta = " · ".join(x for x in (data["jurisdiction"], f"{doc.meta.level}级", DOC_KIND_LABEL.get(data["kind"], data["kind"]),
                                  f"发布 {doc.meta.issued.isoformat()}" if doc.meta.issued else "",
                                  f"施行 {doc.meta.effective.isoformat()}" if doc.meta.effective else "") if x)
    parts = ['<div class="pa-preview">',
             f'<h3>预览：{esc(data["title"])}</h3>',
             f'<p class="pa-muted">{esc(meta)} · id <code>{esc(data["id"])}</code> · 将保存为 <code>{esc(data["source"])}</code>'
             ' · 尚未写入</p>',
             f'<p><span class="pa-stat" id="up-count-chapters">{len(data["chapters"])} 章</span>'
             f'<span class="pa-stat" id="up-count-articles">{count} {unit}</span>'
             f'<span class="pa-stat" id="up-count-rules">{len(numeric)} 条数值规则</span>'
             f'<span class="pa-stat">{len(provisions)} 项列举条款</span></p>']
    for w in data["warnings"]:
        parts.append(f'<p class="pa-warn">⚠️ {esc(w)}</p>')
    if data["chapters"]:
        parts.append(f'<p><b>章节</b>：{esc("；".join(data["chapters"]))}</p>')
    if numeric:
        parts.append('<table class="pa-preview-rules"><colgroup><col style="width:14%"><col style="width:12%">'
                     '<col style="width:10%"><col></colgroup>'
                     '<thead><tr><th>主题</th><th>值</th><th>条款</th><th>原文</th></tr></thead><tbody>')
        by_topic: dict[str, list[dict]] = {}
        for r in numeric:
            by_topic.setdefault(r["topic"], []).append(r)
        for topic, group in by_topic.items():
            for n, r in enumerate(group):
                head = f'<td rowspan="{len(group)}">{esc(label(topic))}</td>' if n == 0 else ""
                parts.append(f'<tr>{head}<td>{esc(_shown_value(r))}</td><td>{esc(r["article"])}</td>'
                             f'<td>{esc(r["quote"].replace(chr(10), " "))}</td></tr>')
        parts.append("</tbody></table>")
    else:
        parts.append('<p class="pa-muted">没有识别到数值规则。</p>')
    if provisions:
        by_kind: dict[str, list[dict]] = {}
        for r in provisions:
            by_kind.setdefault(r["kind"], []).append(r)
        parts.append('<table class="pa-preview-provisions"><colgroup><col style="width:14%"><col style="width:22%">'
                     '<col></colgroup><thead><tr><th>列举条款</th><th>条款</th><th>内容</th></tr></thead><tbody>')
        for kind, group in by_kind.items():
            articles = "、".join(dict.fromkeys(r["article"] for r in group))
            items = "；".join(f'{r.get("item") or ""}{r["quote"]}'.replace("\n", " ") for r in group)
            parts.append(f'<tr><td>{esc(KIND_LABEL.get(kind, kind))}（{len(group)}）</td><td>{esc(articles)}</td>'
                         f'<td>{esc(items)}</td></tr>')
        parts.append("</tbody></table>")
    parts.append(f'<details><summary>全文结构（{count} {unit}，规则所在处高亮）</summary>{document_html(doc, rows)}</details>')
    parts.append("</div>")
    return "".join(parts)
