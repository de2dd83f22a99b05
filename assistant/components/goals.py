"""Plan goals by year: "东营2025年的目标是什么？", "按哪两个时间节点定目标？".

Plan and news texts state their goals as "到2025年，全市初步建立……" paragraphs; a question about
goals or stages that asks for no number is answered with the goal sentence of each target year
(the asked years only, when it names some), quoted and cited to its section, instead of an
abstention because no quantity matched.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..understand import Query
from ..writer import Draft, Writer, span_in

if TYPE_CHECKING:
    from ..compose import Composer

ASKS = re.compile(r"目标|节点|阶段|程度|愿景|达到什么|要实现|什么状态|什么水平")
# a year and a question asking what, not how many ("到2035年想干成啥样？", "2025年要做到怎样？")
WHAT_STATE = re.compile(r"什么样|啥样|怎样|怎么样|干成|做成|达成|成啥|成什么|achieve|aim")
_GOAL = re.compile(r"(?:^|(?<=[。;；:：\n]))\s*到(20\d\d)年")


def goals(ctx: "Composer", q: Query, scope, out: Writer) -> Draft | None:
    """The goal sentences by year of the plan/news documents in scope, or None."""
    asked = (ASKS.search(q.text) or (q.followup and "target" in q.topics and q.years)  # "那2035年呢？"
             or (q.years and not q.asks_number and WHAT_STATE.search(q.text)))  # "到2035年想干成啥样？"
    if not asked or q.asked_units:  # a number asked for (多少项, 占比) is no goal sentence
        return None
    found = []
    for d in scope:
        if d.meta.kind == "regulation":
            continue
        for art in d.articles:
            for m in _GOAL.finditer(d.text, art.start, art.end):
                year = int(m.group(1))
                if q.years and year not in q.years:
                    continue
                s, e = span_in(d.text, m.start(1) - 1, m.end(), art.start, art.end)
                found.append((d, art, year, s, e))
    if not found:
        return None
    for d, art, year, s, e in found:
        out.line(f"{ctx.who(d)}（{year}年目标）：{ctx.quote_span(out, d, art, s, e)}。")
    years = sorted({y for _, _, y, _, _ in found})
    if len(years) > 1 and not q.years:
        out.line(f"目标年份：{'、'.join(f'{y}年' for y in years)}。")
    return out.draft("numeric", topic="target")


def other_year(ctx: "Composer", q: Query, d, spans, out: Writer) -> bool:
    """A plan sentence chosen for a question naming a year, when the sentence is another year's
    goal ("是不是到2025年就建成…？" matches the 2035 goal best): the goal sentences of the year
    asked go first (written to ``out``), so the answer tells which year says what. True if written."""
    if not q.years or d.meta.kind == "regulation":
        return False
    said = {int(y) for s, e in spans for y in re.findall(r"到(20\d\d)年", d.text[s:e])}
    if not said or said & set(q.years):
        return False
    found = []
    for art in d.articles:
        for m in _GOAL.finditer(d.text, art.start, art.end):
            if int(m.group(1)) in q.years:
                s, e = span_in(d.text, m.start(1) - 1, m.end(), art.start, art.end)
                found.append((art, int(m.group(1)), s, e))
    for art, year, s, e in found:
        out.line(f"{ctx.who(d)}（{year}年目标）：{ctx.quote_span(out, d, art, s, e)}。")
    return bool(found)
