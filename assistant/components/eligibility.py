"""Eligibility: the conditions of the documents in scope, with a verdict per condition when the
user describes their unit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import timeline as tl
from ..arith import SUFFICES

from ..types import Document, Provision
from ..understand import Query
from ..writer import (Draft, Writer, date_cn, item_as_written, measure)

from .extractive import extractive
from .in_time import year_months
from .lists import task

if TYPE_CHECKING:
    from ..compose import Composer


# conditions asked for ("需要满足什么条件？", "有啥门槛？"): what rules for applying set
CONDITIONS_ASKED = re.compile(r"条件|门槛|资格要求|够格")
ITEMS_ASKED = re.compile(r"哪些|哪几|几个方面|几方面|几项|几条|几点")


def eligibility(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs and ctx.docs[i].meta.kind == "regulation"]
    if not scope and CONDITIONS_ASKED.search(q.text) and q.doc_ids:
        # conditions for applying are set by rules (管理办法); plans and news set none
        who = "、".join(ctx.who(ctx.docs[i]) for i in q.doc_ids if i in ctx.docs)
        out.line(f"{who}是规划或新闻材料，没有规定申请条件，无法回答这一问题。")
        out.line(f"语料中规定申请条件的是管理办法：{'、'.join(ctx.name(d) for d in ctx.doc_list if d.meta.kind == 'regulation')}。")
        return out.draft("eligibility", abstained=True, settled=True)
    if not scope and ITEMS_ASKED.search(q.text):
        # "…提了哪几方面要求？" of a plan or news text: the items it lists, as for its tasks
        return task(ctx, q, hits, out)
    if not scope:
        return extractive(ctx, q, hits, out)
    first = True
    for d in scope[:3]:
        conds = [p for p in ctx.table.provisions if p.doc_id == d.id and p.kind == "conditions"]
        prio = [p for p in ctx.table.provisions if p.doc_id == d.id and p.kind == "priority"]
        if not conds:
            continue
        art = d.article(conds[0].article)
        grams = ctx.qgrams(q, d, drop_intent="eligibility")
        verdicts = [verdict(ctx, q, p) for p in conds]
        lead_s, lead_e = ctx.intro(d, art, conds[0].start)
        scores = [ctx.coverage(grams, p.text) for p in conds]
        prio_score = max((ctx.coverage(grams, p.text) for p in prio), default=0.0)
        focus = max(range(len(conds)), key=lambda i: scores[i]) if scores and max(scores) >= 0.5 else None
        head = eligibility_head(ctx, q, d, conds, verdicts, focus, prio if prio_score >= 0.5 else [], out)
        out.line(head if first or len(scope) == 1 else f"{ctx.who(d)}：{head}")
        first = False
        listed = sum(1 for p in conds if p.article == art.label)
        out.line(f"{ctx.name(d)}{art.label}（共{listed}{measure(q.text)}）：{d.text[lead_s:lead_e]} {out.cite(d, art.label, lead_s, lead_e)}：")
        for p, v in zip(conds, verdicts):
            mark = {"meets": "✓ 符合", "fails": "✗ 不符合", "unknown": "？待核实"}[v[0]] if q.facts else ""
            why = f"（{v[1]}）" if q.facts and v[1] else ""
            text = item_as_written(d, p)
            out.line(f"- {text}{' — ' + mark if mark else ''}{why} {out.cite(d, p.article, p.start, p.end)}")
        for p in prio:
            out.line(f"- 优先支持：{p.text} {out.cite(d, p.article, p.start, p.end)}")
        for p in conds:
            for r in ctx.table.rules:
                if r.doc_id == d.id and p.start <= r.start < p.end:
                    out.value(r)
    if first:
        return extractive(ctx, q, hits, out)
    rest = [d for d in scope[3:] if any(p.doc_id == d.id and p.kind == "conditions" for p in ctx.table.provisions)]
    if rest and not q.jurisdictions:  # say which documents answered, and which were left out
        out.line(ctx.left_out(rest, "申请条件"))
    return out.draft("eligibility", topic="conditions")


def eligibility_head(ctx: "Composer", q: Query, d: Document, conds, verdicts, focus, prio, out: Writer) -> str:
    fails = [p for p, v in zip(conds, verdicts) if v[0] == "fails"]
    meets = [p for p, v in zip(conds, verdicts) if v[0] == "meets"]
    if SUFFICES.search(q.text) and len(conds) > 1 and not fails:
        return f"不够：{ctx.name(d)}的申请条件须同时满足，共{len(conds)}项（见下），不是只满足其中一项就可以。"
    unknown = [p for p, v in zip(conds, verdicts) if v[0] == "unknown" and v[1]]
    if fails:
        items = "、".join(p.item for p in fails)
        return f"按您描述的情况，不符合{ctx.name(d)}的申请条件：第{conds[0].article[1:-1]}条{items}项不满足（见下）。"
    if meets and not unknown:
        items = "、".join(p.item for p in meets)
        return (f"可以申请：按您描述的情况，符合{ctx.name(d)}申请条件中的{items}项；"
                f"其余条件仍须逐项满足（见下）。")
    if unknown:
        return f"能否申请取决于下列条件，您描述的情况还不足以判断：{'、'.join(p.item for p in unknown)}项（见下）。"
    entity = [f.value for f in q.facts if f.feature == "entity"]
    listed = [t for t in ctx.vocab.fact("entity").types if any(t in p.text for p in conds)]
    if entity and not listed:
        return (f"{ctx.name(d)}没有限定申请单位的类型（{entity[0]}也可以申请），"
                f"但须同时满足以下条件：")
    if prio:
        return f"{ctx.who(d)}规定：{prio[0].text} {out.cite(d, prio[0].article, prio[0].start, prio[0].end)}。"
    if focus is not None:
        p = conds[focus]
        return f"{ctx.who(d)}对此的要求是：{p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}。"
    return f"申请{ctx.name(d)}须同时满足以下条件："


def verdict(ctx: "Composer", q: Query, p: Provision) -> tuple[str, str]:
    """(meets|fails|unknown, reason) of one condition given what the user said."""
    text = p.text
    facts = {f.feature: f for f in q.facts}
    results = []
    if any(c in text for c in ctx.vocab.fact("legal_person").condition):
        lp, auth = facts.get("legal_person"), facts.get("authorization")
        allows_auth = any(c in text for c in ctx.vocab.fact("authorization").condition)
        if lp and lp.polarity > 0:
            results.append(("meets", "您具有法人资格"))
        elif lp and lp.polarity < 0:
            if allows_auth and auth and auth.polarity > 0:
                results.append(("meets", "没有独立法人资格，但已取得独立法人授权，本条允许"))
            elif allows_auth:
                results.append(("unknown", "没有独立法人资格的，须取得独立法人授权"))
            else:
                results.append(("fails", "本条要求具有法人资格，您说明没有"))
        elif auth and auth.polarity > 0 and allows_auth:
            results.append(("meets", "经独立法人授权，本条允许"))
    entity = [f for f in q.facts if f.feature == "entity"]
    listed = [t for t in ctx.vocab.fact("entity").types if t in text]
    if entity and listed:
        if any(f.value in listed for f in entity):
            results.append(("meets", f"{entity[0].value}在申报主体范围内"))
    for feature in ("blacklist", "safety_incident", "violation"):
        f = facts.get(feature)
        if not f or not any(c in text for c in ctx.vocab.fact(feature).condition):
            continue
        if f.polarity < 0:
            results.append(("meets", "您说明没有此类情况"))
            continue
        window = re.search(r"(\d+|[一二三四五六七八九十])年内", text)
        if feature == "violation" and "失信名单" in text and not facts.get("blacklist"):
            results.append(("unknown", "受过处罚不等于列入严重违法失信名单"))
            continue
        if window:
            from ..numbers import parse_number

            years = parse_number(window.group(1))
            dated = _window_from_dates(q, years) if f.years_ago is None else None
            if dated:
                results.append(dated)
            elif f.years_ago is None:
                results.append(("unknown", f"本条看{years}年内的记录，请确认发生时间"))
            elif f.years_ago == years:
                results.append(("unknown", f"恰在{years}年的边界上，请按处罚或事故的具体日期核对"))
            elif f.years_ago < years:
                results.append(("fails", f"您说明的情况发生在{years}年内"))
            else:
                ago = int(f.years_ago) if float(f.years_ago).is_integer() else f.years_ago
                # (the user's own figure after 您说的, which the checker leaves to them)
                results.append(("meets", f"您说的{ago}年前的情况不在{years}年内"))
        else:
            results.append(("fails", "您说明有此类情况"))
    if not results:
        return ("unknown", "")
    for status in ("fails", "unknown", "meets"):
        hit = [r for r in results if r[0] == status]
        if hit:
            return hit[0]
    return ("unknown", "")


def _window_from_dates(q: Query, years) -> tuple[str, str] | None:
    """A record window ("3年内没有…事故") held against the user's dates: the event's (the earliest
    date or year-month: "2023年10月出过一次事故") and when they mean to apply (a later one); None
    without both. A year-month spans its whole month, so a verdict holds for every day of it."""
    spans = sorted([(d, d, date_cn(d)) for d in q.dates]
                   + [(first, last, f"{first.year}年{first.month}月") for _, _, first, last in year_months(q.text)])
    if len(spans) < 2:
        return None
    event, later = spans[0], next((x for x in spans[1:] if x[0] > spans[0][1]), None)
    if later is None:
        return None
    end_first, end_last = tl.add_period(event[0], years, "年"), tl.add_period(event[1], years, "年")
    first, last, said = later
    if last < end_first:
        return ("fails", f"从您给出的{event[2]}到您说的{said}不满{years:g}年")
    if first > end_last:
        return ("meets", f"从您给出的{event[2]}到您说的{said}已满{years:g}年")
    return ("unknown", f"您说的{said}正跨{years:g}年的边界，请按具体日期核对")
