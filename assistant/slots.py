"""The asked slot must be filled: a question asking for a date or for a quantity of some unit
is answered only by a draft that states one (issue #14: "the documents do not cover this" beats
a nearby article passed off as the answer).

A stage after ``arith.compute``. When the question asks for a date (哪天, 截止日期 …) or for a
number in a unit (几天, 多少家 …) and the draft, which did not abstain, states no date and no
quantity of that unit family, the draft becomes an abstention that says so and keeps what it
quoted as the nearest the documents come. Nothing here knows a topic or a document: only what
kind of answer the question's own words ask for, and what kind the draft gives. Contact
details (电话, 地址, 邮箱, 网址) are a slot too: a draft quoting none does not answer them.
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
# a length of time asked for as such; a period, a date or a frequency (每年, 每季度) fills it
DURATION_ASKED = re.compile(r"多久|多长时间|多少时间|多长期限|多长的期限|how long", re.IGNORECASE)
FREQUENCY = re.compile(r"每(?:年|季度|半年|月|\d+年)")
EXEMPT_INTENTS = {"comparison"}  # a comparison table states what each side has, or 未规定


# contact details asked for (电话, 地址, 邮箱, 网址): a slot a draft fills only by quoting one
CONTACT_ASKED = re.compile(r"电话|联系方式|联系人|邮箱|电子邮件|网址|网站|寄到哪|邮寄地址|地址在哪|地址是什么|地址是多少|"
                           r"phone|e-?mail|address|website", re.IGNORECASE)
CONTACT_GIVEN = re.compile(r"\d{3,4}-?\d{7,8}|1[3-9]\d{9}|[\w.]+@[\w.]+|https?://|www\.|(?:路|街|大道)\d+号")


def filled(ctx: "Composer", q: Query, draft: Draft) -> Draft:
    """The draft, or an abstention when it leaves the asked slot empty (module docstring)."""
    if draft.abstained or draft.settled or q.meaningless:  # (a settled verdict answers as it is)
        return draft
    if CONTACT_ASKED.search(q.question) and not CONTACT_GIVEN.search(draft.text):
        who = "、".join(dict.fromkeys(ctx.who(ctx.docs[i]) for i in q.doc_ids if i in ctx.docs)) or "语料中的文件"
        draft.text = f"{who}没有给出联系方式（电话、地址、邮箱等），无法回答。\n最接近的相关条文：\n{draft.text}"
        draft.abstained = True
        return draft
    if draft.intent in EXEMPT_INTENTS or q.metadata or q.dates:
        return draft
    stated = find_quantities(normalize_query(draft.text.replace("\n", "。")))
    stated_units = {x.unit for x in stated} | {str(v.get("unit", "")) for v in draft.values}
    asked_date = bool(DATE_ASKED.search(q.text))
    if asked_date:  # a date, or a deadline relative to one (届满3个月前), fills it
        if stated_units & TIME_UNITS or draft.events:
            return draft
        what = "具体日期"
    elif DURATION_ASKED.search(q.text) and not q.asked_units and len(re.findall(r"[?？]", q.question)) <= 1:
        if stated_units & TIME_UNITS or draft.events or FREQUENCY.search(draft.text):
            return draft
        what = "这一期限"
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
