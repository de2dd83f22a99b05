"""The asked slot must be filled: a question asking for a date or for a quantity of some unit
is answered only by a draft that states one (issue #14: "the documents do not cover this" beats
a nearby article passed off as the answer).

A stage after ``arith.compute``. When the question asks for a date (哪天, 截止日期 …) or for a
number in a unit (几天, 多少家 …) and the draft, which did not abstain, states no date and no
quantity of that unit family, the draft becomes an abstention that says so and keeps what it
quoted as the nearest the documents come. Nothing here knows a topic or a document: only what
kind of answer the question's own words ask for, and what kind the draft gives.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .numbers import find_quantities, normalise
from .normalize import normalize_query
from .understand import Query
from .writer import Draft

if TYPE_CHECKING:
    from .compose import Composer

# a date asked for as such (not "什么时候" alone, which is often answered by a period or an event)
DATE_ASKED = re.compile(r"哪天|哪一天|几号|几月几[日号]|截止日期|截至日期|具体日期|具体哪天|what date|which date")
DATE_UNITS = {"date", "年月", "月份", "年份"}
# a day count fills a day ask whichever calendar it counts in (几天 → 7个工作日)
TIME_UNITS = DATE_UNITS | {"年", "个月", "月", "日", "天", "工作日", "个工作日"}
DAYS = {"日", "天", "工作日", "个工作日"}
EXEMPT_INTENTS = {"comparison"}  # a comparison table states what each side has, or 未规定


def filled(ctx: "Composer", q: Query, draft: Draft) -> Draft:
    """The draft, or an abstention when it leaves the asked slot empty (module docstring)."""
    if draft.abstained or draft.intent in EXEMPT_INTENTS or q.meaningless or q.metadata or q.dates:
        return draft
    stated = find_quantities(normalize_query(draft.text.replace("\n", "。")))
    stated_units = {x.unit for x in stated} | {str(v.get("unit", "")) for v in draft.values}
    asked_date = bool(DATE_ASKED.search(q.text))
    if asked_date:  # a date, or a deadline relative to one (届满3个月前), fills it
        if stated_units & TIME_UNITS or draft.events:
            return draft
        what = "具体日期"
    elif q.asked_units and len(re.findall(r"[?？]", q.question)) <= 1:
        families = {normalise(1, u)[1] for u in q.asked_units}
        if any(normalise(1, u)[1] in families for u in stated_units if u):
            return draft
        if DAYS & set(q.asked_units) and DAYS & stated_units:
            return draft
        if {"年"} & set(q.asked_units) and stated_units & DATE_UNITS:
            return draft  # 哪一年 answered by a year
        what = "这一数字"
    else:
        return draft
    if not draft.citations:
        return draft
    who = "、".join(dict.fromkeys(ctx.who(ctx.docs[c.doc_id]) for c in draft.citations if c.doc_id in ctx.docs))
    draft.text = f"{who}没有给出{what}，无法回答。\n最接近的相关条文：\n{draft.text}"
    draft.abstained = True
    return draft
