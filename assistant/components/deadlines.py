"""Timelines: dates computed by the timeline engine from a date in the question, with the rule
behind each and the reading used; yearly obligations in a given year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import timeline as tl
from ..numbers import find_quantities, normalise
from ..types import Document, Event
from ..understand import Query
from ..writer import (Draft, Writer, date_cn, prose_punctuation)

from .abstain import abstain_topic
from .extractive import extractive
from .in_time import PERIOD_TOPIC, expiry_date
from .numeric import longest_period, numeric

if TYPE_CHECKING:
    from ..compose import Composer


def timeline(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    topics = [t for t in q.topics if ctx.has_topic(t)]
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    if not q.dates and q.years:
        return yearly(ctx, q, topics, scope, out)
    if not q.dates:
        return numeric(ctx, q, hits, out)
    date = q.dates[0]
    event = asked_event(ctx, q, topics, hits)
    events_spec = ctx.vocab.timeline_events
    need = events_spec[event].needs if event in events_spec else (topics[0] if topics else "")
    if not need:
        return extractive(ctx, q, hits, out)
    have = [d for d in scope if ctx.rules(need, [d.id])]
    if not have:
        return abstain_topic(ctx, q, need, out, [d for d in scope if d.meta.kind == "regulation"] or scope)
    if event == "assessed" and q.scores:
        passed = [d for d in have for r in ctx.rules("pass_score", [d.id])[:1]
                  if r.comparator == ">=" and q.scores[0] >= r.value]
        if passed and len(passed) == len(have):
            d = passed[0]
            out.line(f"您的得分已达到合格分数，无需整改：{ctx.quote_rule(out, ctx.rules('pass_score', [d.id])[0])}。")
            return out.draft("timeline", topic="pass_score")
    if not q.jurisdictions and len(have) < len(scope):
        out.line(f"只有{'、'.join(ctx.who(d) for d in have)}规定了{ctx.label(need)}，以下按其计算。")
    expiry = expiry_date(q.text) if event == "approved" else None
    for n, d in enumerate(have[:3]):
        start = date
        if expiry is not None:  # "筹建期2026年6月30日到期": the approval date counted back from it
            period = next((r for r in ctx.rules(PERIOD_TOPIC, [d.id]) if isinstance(r.value, int)), None)
            if period is None:
                continue
            start = tl.add_period(expiry, period.value, period.unit, sign=-1)
            out.line(f"以您给出的筹建期限届满日{date_cn(expiry)}倒推，批准筹建日按{date_cn(start)}计"
                     f"（{ctx.label(PERIOD_TOPIC)}：{ctx.written(period)}）。")
        events = _as_asked(ctx, d, events_for(ctx, d, event, start, need), topics)
        wanted = relevant(ctx, events, topics)
        if not wanted:
            continue
        main = wanted[0]
        prefix = "" if len(have) == 1 else f"{ctx.who(d)}："
        out.line(f"{prefix}按{ctx.name(d)}计算：{event_sentence(ctx, out, d, main, main=True)}")
        for e in events:
            if e is main:
                continue
            out.line(f"- {event_sentence(ctx, out, d, e)}")
        for e in events:
            out.event(e)
        if event == "approved":
            total = longest_period(ctx, d)
            if total:
                out.line(f"- {total}")
    if not q.jurisdictions and len(have) > 3:  # say which documents answered, and which were left out
        out.line(ctx.left_out(have[3:], ctx.label(need)))
    readings = []
    for e in out.events:
        for r in (e.reading or "").split(";"):
            r = reading_text(r)
            if r and r not in readings:
                readings.append(r)
    if readings:
        out.line("")
        out.line("读法：" + "；".join(readings) + "。")
    return out.draft("timeline", topic=need)


def _as_asked(ctx: "Composer", doc: Document, events: list[Event], topics: list[str]) -> list[Event]:
    """An event two rules date alike (届满3个月前 申请验收考核, 或申请延期) stated by the rule the
    question asks about ("延期申请最晚哪天交？" → the extension article's sentence, 说明延期原因…)."""
    if "extension_lead_time" not in topics or (
            "acceptance_lead_time" in topics and topics.index("acceptance_lead_time") < topics.index("extension_lead_time")):
        return events
    ext = ctx.rules("extension_lead_time", [doc.id])
    by_rule = {r.id: r.topic for r in ctx.table.rules}
    if not ext:
        return events
    return [replace(e, rule_id=ext[0].id, article=ext[0].article, name="最迟申请延期验收日（或申请验收考核）")
            if by_rule.get(e.rule_id) == "acceptance_lead_time" and "延期" in e.name else e for e in events]


BASIS_MIN = 16  # characters of a rule's clause below which its sentence is quoted as the basis


def event_sentence(ctx: "Composer", out: Writer, doc: Document, e: Event, *, main: bool = False) -> str:
    """"名称：日期（另一读法）。依据：条文 [marker]。" — the date and the citation stay in
    separate sentences, so the citation vouches only for the rule it quotes."""
    rule = next((r for r in ctx.table.rules if r.id == e.rule_id), None)
    alt = f"（另一读法：{date_cn(e.alternative)}）" if e.alternative and e.alternative != e.date else ""
    # ("应在筹建期限届满3个月前" says not what is due by then: its sentence does)
    short = rule is not None and rule.topic.endswith("lead_time") and len(ctx.written(rule)) < BASIS_MIN
    # (the date asked, with its sentence when that states no other figure: what the period is
    # for — "关键测量设备…发生重大变化时,应在7个工作日内…报告")
    short = short or (main and rule is not None and len(find_quantities(doc.text[slice(*ctx.rule_span(rule))])) == 1)
    basis = f"依据：{ctx.quote_rule(out, rule, full=short)}。" if rule else ""
    return f"{prose_punctuation(e.name)}：{date_cn(e.date)}{alt}。{basis}"


def reading_text(reading: str) -> str:
    """A timeline reading in words: statute references and day counts are said, not numbered
    (they are not rules of the documents, so the checker would have nothing to verify)."""
    text = re.sub(r"\((民法典|依据)[^()]*\)", "（依民法典关于期间计算的规定）", reading)
    text = text.replace("届满日提前一日", "届满日相应提早").replace("提前一日", "相应提早")
    return prose_punctuation(text)


def relevant(ctx: "Composer", events: list[Event], topics: list[str]) -> list[Event]:
    """Events in the order the question asks for them (its topics), then the rest."""
    by_rule = {r.id: r.topic for r in ctx.table.rules}
    ranked = sorted(events, key=lambda e: (topics.index(by_rule.get(e.rule_id, ""))
                                           if by_rule.get(e.rule_id, "") in topics else len(topics), e.date))
    order = {id(e): n for n, e in enumerate(ranked)}
    events.sort(key=lambda e: order[id(e)])
    return events


def asked_event(ctx: "Composer", q: Query, topics: list[str], hits=()) -> str:
    spec = ctx.vocab.timeline_events
    text = q.text
    date_pos = min((m.start() for m in re.finditer(r"\d{4}年\d{1,2}月\d{1,2}[日号]|\d{4}[-./]\d{1,2}[-./]\d{1,2}", text)),
                   default=0)
    # the date's own clause first ("现场考核没通过，2026年1月10日收到了整改通知书": the notice)
    bounds = [m.end() for m in re.finditer(r"[，,。;；?？!！]", text)]
    start = max([b for b in bounds if b <= date_pos], default=0)
    end = min([b for b in bounds if b > date_pos], default=len(text))
    best = None
    for event, entry in spec.items():
        for cue in entry.cues:
            for m in re.finditer(re.escape(cue), text):
                dist = abs(m.start() - date_pos) + (0 if m.start() >= date_pos else 3)
                dist += 0 if start <= m.start() < end else OTHER_CLAUSE
                if best is None or dist < best[0]:
                    best = (dist, event)
    if best:
        return best[1]
    mapping = ctx.vocab.event_topics
    named = next((mapping[t] for t in topics if t in mapping), "")
    if named:
        return named
    # no cue names the event: the evidence does — the first rule with an event in the best
    # retrieved articles in scope ("负责人换了" → the article on changes → its report deadline)
    for hit in [h for h in hits if h.chunk.doc_id in q.doc_ids][:EVIDENCE_ARTICLES]:
        for rule in ctx.rules_in(hit.chunk.doc_id, hit.chunk.article):
            if rule.topic in mapping:
                return mapping[rule.topic]
    return ""


OTHER_CLAUSE = 1000  # a cue outside the date's clause counts only when none is inside
EVIDENCE_ARTICLES = 2  # the best retrieved articles that may name the event when no cue does


def events_for(ctx: "Composer", doc: Document, event: str, date: dt.date, need: str) -> list[Event]:
    if event in tl.EVENTS:
        return tl.compute_timeline(doc, ctx.table, event=event, date=date)
    rule = ctx.rules(need, [doc.id])[0]
    try:
        end = tl.add_period(date, rule.value, rule.unit)
    except tl.TimelineError:  # not a period (a date such as 施行日期): nothing to count
        return []
    _, canon = normalise(rule.value, rule.unit)
    if canon == "工作日":
        return [Event(name=f"{ctx.label(need)}届满", date=end, rule_id=rule.id, article=rule.article,
                      reading=tl.working_days_reading(date, end), doc_id=doc.id)]
    return [Event(name=f"{ctx.label(need)}届满", date=end, rule_id=rule.id, article=rule.article,
                  reading=f"{tl.READING};{tl.READING_ALT}", alternative=end - dt.timedelta(days=1), doc_id=doc.id)]


def yearly(ctx: "Composer", q: Query, topics: list[str], scope: list[Document], out: Writer) -> Draft:
    """A yearly obligation in a given year (e.g. 2025年度工作总结 → the last day of its month)."""
    topic = next((t for t in topics if any(r.unit == "月份" for r in ctx.rules(t, q.doc_ids))), "")
    if not topic:
        return numeric(ctx, q, (), out)
    year = q.years[0]
    for d in scope:
        for r in ctx.rules(topic, [d.id])[:1]:
            month = int(r.value)
            due = dt.date(year, month, calendar.monthrange(year, month)[1])
            e = Event(name=f"{year}年度{ctx.label(topic)}最迟报送日", date=due, rule_id=r.id, article=r.article,
                      reading=f"每年{month}月报送的，以当月月末为最迟日期", doc_id=d.id)
            out.line(f"按{ctx.name(d)}计算：{e.name}：{date_cn(due)}。依据：{ctx.quote_rule(out, r)}。")
            out.event(e)
    if not out.events:
        return abstain_topic(ctx, q, topic, out, scope)
    out.line("")
    out.line("读法：" + "；".join(dict.fromkeys(e.reading for e in out.events)) + "。")
    return out.draft("timeline", topic=topic)
