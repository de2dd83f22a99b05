"""Date gaps: "印发和施行之间隔了几天？" — the issue date (manifest) and the effective date (the
document's rule) of each document in scope, and the days between them, written so the checker
can recompute the gap ("相隔10天（2025年7月22日至2025年8月1日）"). Added to the composed draft.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..understand import Query
from ..writer import MAX_CHAT_COMPARE, Draft, Writer, date_cn

if TYPE_CHECKING:
    from ..compose import Composer

ASKS = re.compile(r"隔了?几天|相隔|间隔|相差几天|差了?几天|隔了?多久|隔了?多长|中间.{0,4}几天")
# or the two events named and a duration asked ("印发后过了多少天开始执行？")
ISSUED = re.compile(r"印发|发布|出台|发文|下发|issued|published")
EFFECTIVE = re.compile(r"施行|执行|生效|实施|take effect|effective")
HOW_LONG = re.compile(r"多少天|几天|多久|多长时间|how many days|how long")


def asks_gap(text: str) -> bool:
    """A gap asked between the issue and the effective date: a gap word with either event named
    ("隔多久才生效？"), or both events and a duration ("印发后过了多少天开始执行？"); a gap
    between other things ("撤销后隔多久可以再申请？") is not this one."""
    events = bool(ISSUED.search(text)) + bool(EFFECTIVE.search(text))
    return bool(ASKS.search(text) and events) or (events == 2 and bool(HOW_LONG.search(text)))


def date_gap(ctx: "Composer", q: Query, draft: Draft, out_cls=Writer) -> Draft:
    """The draft with the issue-to-effect gap of each document in scope added (unchanged when
    the question asks no gap or no document has both dates)."""
    if not asks_gap(q.text):
        return draft
    out = out_cls(ctx)
    for doc_id in q.doc_ids[:MAX_CHAT_COMPARE]:  # every document asked about (was the first three)
        d = ctx.docs.get(doc_id)
        rules = ctx.rules("effective_date", [doc_id]) if d else []
        issued = getattr(d.meta, "issued", None) if d else None
        if not rules or issued is None:
            continue
        rule = rules[0]
        try:
            effective = dt.date.fromisoformat(str(rule.value))
        except ValueError:
            continue
        days = (effective - issued).days
        if (doc_id, rule.article) not in {(c.doc_id, c.article) for c in draft.citations}:
            out.line(f"{ctx.name(d)}的施行日期：{ctx.quote_rule(out, rule)}。")
        who = f"{ctx.who(d)}：" if len(q.doc_ids) > 1 else ""  # several documents: say whose dates
        out.line(f"{who}印发日期{date_cn(issued)}（据语料清单），到施行相隔{days}天（{date_cn(issued)}至{date_cn(effective)}）。")
    if not out.lines:
        return draft
    extra = out.draft(draft.intent)
    text = extra.text if draft.abstained else f"{draft.text}\n\n{extra.text}"
    known = {(c.doc_id, c.article, c.start, c.end) for c in draft.citations}
    citations = list(draft.citations) + [c for c in extra.citations if (c.doc_id, c.article, c.start, c.end) not in known]
    return Draft(text=text, intent=draft.intent if not draft.abstained else "numeric", citations=citations,
                 values=list(draft.values) + [v for v in extra.values if v not in draft.values],
                 events=list(draft.events), abstained=False,
                 doc_ids=list(dict.fromkeys([*draft.doc_ids, *extra.doc_ids])), topic=draft.topic or "effective_date")
