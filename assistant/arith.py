"""Computations a question asks of the rules its draft states (issue #14: computations in chat).

A stage after ``evidence.review``: the draft says which rules answer the question (its
``values``: rule ids with value, unit and comparator); the question supplies the user's own
figures and what is asked. Three general operations, none tied to a topic or a question:

- a year after a period: the question gives a year (and month) and asks which year/when; the
  draft states one period or cycle in years ("每五年组织一次复查") → "5年后是2029年";
- a total: the question asks "一共/加起来…"; the draft states two quantities of one unit for a
  document → "合计最长4年（3年＋1年）";
- a share: a percentage the draft states, of the user's figure ("占比60%…有200人" → 120人);
- the user's figure against a bound: the question states a quantity of the unit of one bound
  the draft states (不少于7天, 达到1800项以上) → a verdict or the gap, "少2天（公示期7天－您给出的5天）".

Every computed number is written so that the checker recomputes it (sums and differences of
verified operands; years as dated events of the rule they come from).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .numbers import POINTS, find_quantities, format_value, normalise
from .types import Event, Rule
from .understand import Query, has_cue, text_bigrams
from .writer import Draft, date_cn

if TYPE_CHECKING:
    from .compose import Composer

YEAR_ASKED = re.compile(r"哪一?年|几几年|什么时候|何时|哪个年份|哪年份|which year|what year|\bwhen\b")
YEAR_MONTH = re.compile(r"(\d{4})年(?:(\d{1,2})月)?")
CONFIRM = re.compile(r"对吧|对吗|对不对|是不是|是吗|没错吧|right\?|correct\?")  # "要培育3000家，对吧？": a figure to confirm, not the user's own
YES_NO = re.compile(r"吗|吧[?？]?\s*$|(?:了|)没(?:有)?[?？]?\s*$|是不是|对不对|有没有超|超没超|行不行|可不可以|可以不|允不允许|够不够|能不能|是否|合规|符合|\bok\b|allowed|enough")
NUMBER_ASKED = re.compile(r"几|多少|多久|多长")
# "是不是只要有创新能力就够了？", "只要有法人资格就行吧？": whether one condition suffices
SUFFICES = re.compile(r"只要[^，,。？?]{1,30}?就(?:够|行|可以|能)|光(?:有|靠)[^，,。？?]{1,20}?就|只需(?:要)?[^，,。？?]{1,20}?就|"
                      r"就(?:够|行)了?[吗吧]|is (?:that|it) enough|(?:alone|only) (?:enough|sufficient)")
# words that add periods up whatever their units (not "最长能…", which may ask one period)
ADDED_UP = re.compile(r"一共|总共|合计|加起来|加上|总计|前后|算起(?:最|一共|总共)|in total|altogether")
MIN = {">=", ">"}
MAX = {"<=", "<"}
TARGET_NAMED = 0.5  # share of a target's sentence the question repeats to be about that target
OWN_UNITS = {"date", "年份", "月份", "年月", "分", "%"}  # not a user figure this stage weighs


def compute(ctx: "Composer", q: Query, draft: Draft) -> Draft:
    """The draft with the computations its question asks added (see the module docstring)."""
    if draft.abstained or q.meaningless:
        return draft
    rules = _stated_rules(ctx, draft) if draft.values else []
    if not rules:  # (no rule stated: the figures offered for confirmation against the sentence quoted)
        said = _quoted_confirmed(ctx, q, draft)
        if said:
            draft.text = f"{said}\n{draft.text}"
        return draft
    lead, tail = [], []
    year = _year_after(ctx, q, draft, rules)
    if year:
        tail.append(year)
    tail += _totals(ctx, q, draft, rules)
    tail += _shares(ctx, q, draft, rules)
    verdict, gap = _against_bound(ctx, q, draft, rules)
    verdict = (verdict or _confirmed(ctx, q, draft, rules) or _in_range(ctx, q, draft, rules)
               or _date_confirmed(ctx, q, draft, rules))
    if verdict:
        lead.append(verdict)
    if gap:
        tail.append(gap)
    if not lead and not tail:
        return draft
    draft.text = "\n".join([*lead, draft.text, *tail])
    return draft


def _quoted_confirmed(ctx: "Composer", q: Query, draft: Draft) -> str:
    """A verdict on the figures a question offers for confirmation ("是不是一共拆成了20个目标任务、
    时间跨到2025年？") read against the sentence the answer quotes first, where no rule states them:
    "是" when the sentence writes each figure with the words the question puts after it ("20个目标
    任务", "2025年"); "不是" when it writes another number there; nothing otherwise."""
    from .compose import COUNT_UNITS

    doc = ctx.docs.get(draft.citations[0].doc_id) if draft.citations else None
    if doc is None or not CONFIRM.search(q.text):
        return ""
    quoted = doc.text[draft.citations[0].start:draft.citations[0].end]
    said, wrong = [], []
    for x in find_quantities(q.text):
        if x.comparator != "=" or not isinstance(x.value, int) or x.unit not in (*COUNT_UNITS, "年份"):
            continue
        if x.unit == "年份":
            if f"{x.value}年" not in quoted:
                return ""
            said.append(f"{x.value}年")
            continue
        # the longest run of the words after the figure (4 characters down to 2) the sentence counts
        after = q.text[x.end:x.end + 4]
        written = next((m for n in (4, 3, 2) if re.fullmatch(r"[\u4e00-\u9fff]+", after[:n] or "-")
                        for m in [re.search(rf"(\d+){re.escape(x.unit)}{after[:n]}", quoted)] if m), None)
        if written is None:
            return ""
        if int(written.group(1)) == x.value:
            said.append(written.group(0))
        else:
            wrong.append(f"{written.group(0)}（您说的{x.value}{written.group(0)[len(written.group(1)):]}）")
    if wrong:
        return f"不是：文件写的是{'、'.join(wrong)}。"
    return f"是：文件写的是{'、'.join(said)}。" if said else ""


def _stated_rules(ctx: "Composer", draft: Draft) -> list[Rule]:
    ids = [v.get("rule_id") for v in draft.values if v.get("rule_id")]
    by_id = ctx.rule_by_id
    out, seen = [], set()
    for i in ids:
        r = by_id.get(i)
        if r is not None and r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


def _number(rule: Rule) -> float | None:
    v = rule.value
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


# ------------------------------------------------------------------ a year after a period

def _year_after(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> str:
    """"2024年6月批准成立，第一次复查在哪一年？" + 每五年一次 → 2029年."""
    given = list(YEAR_MONTH.finditer(q.text))
    if draft.events or q.dates or len({m.group(1) for m in given}) != 1 or not YEAR_ASKED.search(q.text):
        return ""
    periods = [r for r in rules if r.unit == "年" and _number(r) and r.comparator in ("every", "<=", "=")
               and r.topic != "target"]
    if len({_number(r) for r in periods}) != 1:
        return ""
    rule = periods[0]
    m = max(given, key=lambda m: bool(m.group(2)))
    start_year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else 0
    n = int(_number(rule))
    if n != _number(rule) or not 1900 < start_year < 2200:
        return ""
    end = start_year + n
    since = f"{start_year}年{month}月" if month else f"{start_year}年"
    reading = f"自您给出的{since}起算{ctx.label(rule.topic)}{n}年"
    draft.events.append(Event(name=reading, date=dt.date(end, month or 1, 1), rule_id=rule.id, article=rule.article,
                              reading=reading, doc_id=rule.doc_id))
    draft.values.append({"value": end, "unit": "年份", "rule_id": rule.id, "text": f"{end}年"})
    when = f"{end}年（{end}年{month}月前后）" if month else f"{end}年"
    return f"推算：{reading}，{n}年后是{when}。"


# ------------------------------------------------------------------ totals

def _totals(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> list[str]:
    """"一共/加起来最多几年？": two quantities of one unit a document's answer states, added up."""
    words = ctx.vocab.total_words
    # one total asked: a sentence with a total word asks one number ("加起来最多几年？"), not
    # several ("一共提了几项主要任务、几项保障措施？" asks two counts)
    if not any(has_cue(s, words) and len(NUMBER_ASKED.findall(s)) == 1 for s in re.split(r"[?？。!！]", q.text)):
        return []
    if "＋" in draft.text:  # a total is already worked out (longest_period)
        return []
    by_doc: dict[str, list[Rule]] = {}
    for r in rules:
        if _number(r) is not None and r.unit not in OWN_UNITS and r.comparator not in ("every", "before"):
            by_doc.setdefault(r.doc_id, []).append(r)
    out = []
    several = len(by_doc) > 1
    for doc_id, group in by_doc.items():
        if len(group) != 2:
            continue
        a, b = group
        (x, unit_a), (y, unit_b) = normalise(_number(a), a.unit), normalise(_number(b), b.unit)
        if a.unit == b.unit:
            x, y, unit = _number(a), _number(b), a.unit
        elif unit_a == unit_b and ADDED_UP.search(q.text):  # 3个月 + 1年 asked added up: 15个月
            unit = unit_a
        else:
            continue
        total = x + y
        bound = "最长" if {a.comparator, b.comparator} <= MAX else "至少" if {a.comparator, b.comparator} <= MIN else ""
        who = ctx.who(ctx.docs[doc_id]) if several else ""
        out.append(f"合计：{who}{bound}{format_value(total, unit)}（{ctx.label(a.topic)}{format_value(x, unit)}"
                   f"＋{ctx.label(b.topic)}{format_value(y, unit)}）。")
    return out


# ------------------------------------------------------------------ a share of the user's figure

def _shares(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> list[str]:
    """"占比达到60%…有200人，至少得有多少名？": the one percentage the draft states, of the
    user's one figure (a count), when the question asks a number; of the user's two figures (a
    part of a whole), when it asks how far they are or whether they are enough."""
    enough = bool(ENOUGH.search(q.text))
    if not (NUMBER_ASKED.search(q.text) or enough):
        return []
    pcts = {(_number(r), r.comparator) for r in rules if r.unit == "%" and _number(r) is not None}
    figures = [as_people(q.text, x) for x in user_figures(q)
               if x.unit not in ("年", "个月", "日", "天", "工作日", "个工作日", "%")]
    if {x.unit for x in figures} <= {"人", "个", "名", "位"} and "人" in {x.unit for x in figures}:
        figures = [replace(x, unit="人") for x in figures]  # (one is persons: the other counts them too)
    if len(pcts) == 1 and len(figures) == 2 and (has_cue(q.text, ctx.vocab.gap_words) or enough):
        return _share_gap(*pcts.pop(), figures)
    if len(pcts) != 1 or len(figures) != 1 or not NUMBER_ASKED.search(q.text):
        return []
    (pct, comparator), base = pcts.pop(), figures[0]
    value = base.value * pct / 100
    shown = format_value(int(value) if float(value).is_integer() else round(value, 2), base.unit)
    bound = "至少" if comparator in MIN else "至多" if comparator in MAX else ""
    return [f"按您给出的{base.text}计，{format_value(pct, '%')}为{bound}{shown}（您给出的{base.text}×{format_value(pct, '%')}）。"]


_PERSONS = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:人员|计量师|专家|职工|员工|工程师|人)")


def as_people(text: str, x):
    """A count of persons in 人 whatever counter the user wrote ("48个注册计量师", "80人" alike),
    so that two of them compare; other figures as written."""
    if x.unit in ("个", "名", "位") and _PERSONS.match(text, x.end):
        return replace(x, unit="人")
    return x


def _share_gap(pct, comparator, figures) -> list[str]:
    """"100个技术人员里有48个注册计量师，按占比60%的目标还差几个？": the larger figure is the
    whole, the smaller the part; the part the share asks for, and how far the user's is from it
    (rounded up for a minimum: 60% of 45 people is 27)."""
    whole, part = sorted(figures, key=lambda x: x.value, reverse=True)
    if whole.value <= 0 or normalise(whole.value, whole.unit)[1] != normalise(part.value, part.unit)[1]:
        return []
    exact = whole.value * pct / 100
    need = math.ceil(exact - 1e-9) if comparator in MIN else exact
    need = int(need) if float(need).is_integer() else round(need, 2)
    gap = need - part.value
    gap = int(gap) if float(gap).is_integer() else round(gap, 2)
    base = f"按您给出的{whole.text}计，{format_value(pct, '%')}为{'至少' if comparator in MIN else ''}{format_value(need, part.unit)}（{whole.text}×{format_value(pct, '%')}）"
    mine = round(part.value / whole.value * 100, 1)
    mine = int(mine) if float(mine).is_integer() else mine
    own = f"您的占比{format_value(mine, '%')}（您给出的{part.text}÷{whole.text}）"
    if gap > 0:
        short = round(pct - mine, 1)
        short = int(short) if float(short).is_integer() else short
        return [f"不够：{own}，低于目标{format_value(pct, '%')}，还差{format_value(short, POINTS)}"
                f"（目标{format_value(pct, '%')}－您的占比{format_value(mine, '%')}）。",
                f"{base}；您给出的{part.text}，还差{format_value(gap, part.unit)}（{format_value(need, part.unit)}－{part.text}）。"]
    return [f"够：{own}，已达到目标{format_value(pct, '%')}。", f"{base}；您给出的{part.text}已达到。"]


# "够不够…目标？", "达标没": whether the user's figures meet a target
ENOUGH = re.compile(r"够不够|够吗|够了吗|达标|达没达到|达到了吗|达到没|能达到吗|符不符合|满足吗|enough")


# ------------------------------------------------------------------ the user's figure against a bound

def user_figures(q: Query):
    """The single numbers the user states (their own figures: 5天, 200人), not dates, scores or rates."""
    return [x for x in find_quantities(q.text) if x.comparator == "="
            and not isinstance(x.value, tuple) and isinstance(x.value, (int, float)) and x.unit not in OWN_UNITS]


def _against_bound(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> tuple[str, str]:
    """(verdict line, gap line): a minimum or maximum the draft states and the user's own figure
    of its unit ("公示压到5天，允许吗？" against 不少于7天)."""
    if q.scores or "您给出的" in draft.text or "您的得分" in draft.text:
        return "", ""
    figures = user_figures(q) + [x for x in find_quantities(q.text) if x.unit == "%" and x.comparator == "="
                                  and isinstance(x.value, (int, float))]  # (a rate: against a target rate only)
    if not figures:
        return "", ""
    # a figure offered for confirmation ("要培育3000家，对吧？") is what the user thinks the document
    # says, not theirs to fall short of a minimum; one over a maximum ("是不是给两年？") is answered
    confirm = bool(CONFIRM.search(q.text))
    bounds = [r for r in rules if _number(r) is not None and (r.unit not in OWN_UNITS or _rate_target(r))
              and (r.comparator in MAX or (not confirm and (r.comparator in MIN or _goal(r))))]
    pairs = []
    for r in bounds:
        _, canon = normalise(_number(r), r.unit)
        mine = [x for x in figures if normalise(x.value, x.unit)[1] == canon and not _same_as_rule(x, rules)
                and about(ctx, q, x, r) and (x.unit != "%" or _rate_target(r))]
        if len(mine) == 1:
            pairs.append((r, mine[0]))
    if len({(r.topic, _number(r), r.unit) for r, _ in pairs}) != 1:
        return "", ""
    rule, mine = pairs[0]
    (limit, canon), (have, _) = normalise(_number(rule), rule.unit), normalise(mine.value, mine.unit)
    label = ctx.label(rule.topic)
    given = f"您给出的{mine.text}"
    bound = ctx.written(rule)
    if rule.comparator in MIN or _goal(rule):
        short = have < limit or (rule.comparator == ">" and have == limit)
        if not short:
            met = f"已达到：{given}不低于目标（{bound}）。" if rule.topic == "target" else \
                f"满足：{given}不低于{label}的下限（{bound}）。"
            return (met if YES_NO.search(q.text) else ""), ""
        diff = _in_unit(limit - have, canon, rule.unit, mine.unit)
        if diff is None:
            return "", ""
        diff = diff[:-1] + POINTS if diff.endswith("%") else diff  # (90%－85% is 5个百分点)
        gap = f"{diff}（{label}{format_value(_number(rule), rule.unit)}－{given}）"
        if rule.topic == "target":  # "现在85%，达标了吗？" → 未达到, and by how much
            return ((f"未达到：{given}低于目标（{bound}），还差{gap}。", "") if YES_NO.search(q.text)
                    else ("", f"按{given}计，距目标还差{gap}。" if NUMBER_ASKED.search(q.text) else ""))
        return (f"不符合：{given}少于{label}的下限（{bound}），还差{gap}。" if YES_NO.search(q.text)
                else ""), ("" if YES_NO.search(q.text) else f"按{given}计，距下限还差{gap}。")
    over = have > limit or (rule.comparator == "<" and have == limit)
    if not YES_NO.search(q.text):
        return "", ""
    if not over:
        return f"在规定之内：{given}未超过{_upper(label)}（{bound}）。", ""
    diff = _in_unit(have - limit, canon, mine.unit, rule.unit)
    more = f"，超出{diff}（{given}－{label}{format_value(_number(rule), rule.unit)}）" if diff else ""
    return f"不符合：{given}超过{_upper(label)}（{bound}）{more}。", ""


def _confirmed(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> str:
    """"注册计量师比例要到90%，对吗？": a figure offered for confirmation against the one goal or
    minimum of its unit the draft states — 是 when the document writes it, else 不是 with the
    document's figure (and, when the figure is another of the same text's figures, which)."""
    if not CONFIRM.search(q.text) or q.scores or "您" in draft.text:
        return ""
    figures = [x for x in find_quantities(q.text) if x.comparator == "=" and isinstance(x.value, (int, float))
               and x.unit not in ("date", "年份", "月份", "年月")]
    bounds = [r for r in rules if _number(r) is not None and (r.comparator in MIN or _goal(r))]
    pairs = [(r, x) for r in bounds for x in figures
             if normalise(x.value, x.unit)[1] == normalise(_number(r), r.unit)[1] and about(ctx, q, x, r)]
    if len({x.text for x in figures}) > 1:  # "是不是5项重点任务、3项重点工程？": each count by what it counts
        return _counts_confirmed(ctx, q, pairs, figures)
    if len({(r.topic, _number(r), r.unit) for r, _ in pairs}) > 1:
        pairs = _counted_alike(q, pairs)
    if len({(r.topic, _number(r), r.unit) for r, _ in pairs}) != 1 or len({x.text for _, x in pairs}) != 1:
        return ""
    rule, mine = pairs[0]
    several = len(find_quantities(rule.quote)) > 1  # (a sentence of several counts: the one asked)
    said = counted(rule) if several and counted(rule) else ctx.written(rule)
    if normalise(mine.value, mine.unit)[0] == normalise(_number(rule), rule.unit)[0]:
        return f"是：文件写的是“{said}”。"
    line = f"不是：文件写的是“{said}”，不是您说的{mine.text}。"
    other = [r for r in ctx.table.rules if r.doc_id == rule.doc_id and r.id != rule.id and _number(r) is not None
             and normalise(_number(r), r.unit) == normalise(mine.value, mine.unit) and r.article == rule.article]
    if len(other) == 1:  # the user's figure is the same text's figure of something else
        line += f"{mine.text}是另一项：“{counted(other[0]) if several and counted(other[0]) else ctx.written(other[0])}”。"
        draft.values.append({"value": _number(other[0]), "unit": other[0].unit, "comparator": other[0].comparator,
                             "rule_id": other[0].id, "text": ctx.written(other[0])})
    return line


def _counted_alike(q: Query, pairs):
    """Of a sentence's several counts ("围绕3项重点任务、开展5项重点工程和行动"), the one counting
    what the question counts: most of the words after its figure are in the question."""
    asked = text_bigrams(q.text)

    def share(rule: Rule) -> float:
        grams = text_bigrams(counted(rule)[len(format_value(_number(rule), rule.unit)):])
        return len(grams & asked) / len(grams) if grams else 0.0

    best = max((share(r) for r, _ in pairs), default=0.0)
    return [(r, x) for r, x in pairs if best >= COUNTED and share(r) == best]


COUNTED = 0.6  # share of the words a figure counts that the question must write


def _counts_confirmed(ctx: "Composer", q: Query, pairs, figures) -> str:
    """Several counts offered for confirmation ("是不是围绕5项重点任务、开展3项重点工程和行动？"):
    each held against the stated count of what the question counts after it (its words after
    the figure), 是 when every one agrees, else 不是 with the document's counts; "" when one of
    them counts nothing the text counts."""
    stated = {r.id: r for r, _ in pairs}  # (and the other counts of their sentences)
    pool = list(stated.values()) + [r for r in ctx.table.rules if r.id not in stated and _number(r) is not None and any(
        r.doc_id == o.doc_id and r.article == o.article and r.quote == o.quote for o in stated.values())]
    said, wrong = [], False
    for x in figures:
        after = re.split(r"[，,、；;。？?]", q.text[x.end:])[0]
        words = text_bigrams(after)

        def share(rule: Rule) -> float:
            grams = text_bigrams(counted(rule)[len(format_value(_number(rule), rule.unit)):])
            return len(grams & words) / len(grams) if grams else 0.0

        mine = [(share(r), r) for r in pool if normalise(x.value, x.unit)[1] == normalise(_number(r), r.unit)[1]]
        best = max(mine, key=lambda t: t[0], default=(0.0, None))
        if best[0] < COUNTED:
            return ""
        rule = best[1]
        said.append(counted(rule))
        wrong = wrong or normalise(x.value, x.unit)[0] != normalise(_number(rule), rule.unit)[0]
    quoted = "”、“".join(dict.fromkeys(said))
    return f"不是：文件写的是“{quoted}”。" if wrong else f"是：文件写的是“{quoted}”。"


def counted(rule: Rule) -> str:
    """A count and what it counts, as the rule's sentence writes them ("3项重点任务")."""
    figure = format_value(_number(rule), rule.unit)
    at = rule.quote.find(figure)
    return re.split(r"[，,、；;。:：]|是指|是|为|等", rule.quote[at:])[0] if at >= 0 else ""


def _in_range(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> str:
    """"派了6个专家，人数合规吗？" against 人数原则为3—5人: whether the user's one figure of the
    range's unit lies in the one range the draft states."""
    if not YES_NO.search(q.text) or q.scores or "您" in draft.text:
        return ""
    ranges = [r for r in rules if isinstance(r.value, (tuple, list)) and len(r.value) == 2]
    figures = [as_people(q.text, x) for x in user_figures(q)]
    if len(ranges) != 1 or len(figures) != 1:
        return ""
    rule, mine = ranges[0], figures[0]
    (lo, canon), (have, unit) = normalise(rule.value[0], rule.unit), normalise(mine.value, mine.unit)
    hi = normalise(rule.value[1], rule.unit)[0]
    if unit != canon:
        return ""
    shown = format_value(mine.value, rule.unit if mine.unit in ("个", "名", "位") else mine.unit)
    if lo <= have <= hi:
        return f"在规定之内：您给出的{shown}在“{ctx.written(rule)}”的范围内。"
    return f"不符合：您给出的{shown}不在“{ctx.written(rule)}”的范围内（{'多于' if have > hi else '少于'}规定）。"


# "7月28日那时候生效了没有？": whether the rule is in force on the user's day, not whether it is that day
IN_FORCE = re.compile(r"(?:那时|到时|的时候|那天|当天|当时)[^，,。？?]{0,8}(?:生效|施行|实施|有效|适用|能用)|"
                      r"(?:生效|施行|实施)了(?:没有|没|吗)|还没(?:生效|施行|实施)|in force|in effect")


def _date_confirmed(ctx: "Composer", q: Query, draft: Draft, rules: list[Rule]) -> str:
    """"是不是从2025年7月22日起施行？" against 本办法自2025年8月1日起施行: 是/不是 (and, when the
    user's day is the document's issue date, that it is); "7月28日递材料，那时候生效了没有？":
    whether the document is in force on the user's day."""
    if len(q.dates) != 1 or not (YES_NO.search(q.text) or IN_FORCE.search(q.text)) or "您" in draft.text:
        return ""
    stated = [r for r in rules if r.topic == "effective_date" and r.unit == "date"]
    if len({str(r.value) for r in stated}) != 1:
        return ""
    rule, mine = stated[0], q.dates[0]
    day = rule.value if isinstance(rule.value, dt.date) else dt.date.fromisoformat(str(rule.value))
    said = f"“{ctx.written(rule)}”" + (f"（发布日期{date_cn(day)}，据语料清单）" if rule.note.startswith("derived") else "")
    if IN_FORCE.search(q.text):
        if mine >= day:
            return f"已施行：文件写的是{said}，您给出的{date_cn(mine)}在施行日期当天或之后。"
        issued = getattr(ctx.docs[rule.doc_id].meta, "issued", None)
        when = f"（{date_cn(issued)}印发，据语料清单）" if issued and issued != day else ""
        return (f"还没有施行：文件写的是{said}{when}，您给出的{date_cn(mine)}早于施行日期{date_cn(day)}，"
                f"差{(day - mine).days}天。")
    if mine == day:
        return f"是：文件写的是{said}。"
    line = f"不是：文件写的是{said}，不是您说的{date_cn(mine)}。"
    issued = {getattr(ctx.docs[r.doc_id].meta, "issued", None) for r in stated}
    if issued == {mine}:
        line += f"{date_cn(mine)}是{'、'.join(ctx.name(ctx.docs[r.doc_id]) for r in stated)}的印发日期（据语料清单）。"
        draft.values.append({"value": mine.isoformat(), "unit": "date", "text": date_cn(mine)})
    return line


def _upper(label: str) -> str:
    """"筹建期限的上限", but "延期上限" as it is."""
    return label if label.endswith("上限") else f"{label}的上限"


def _rate_target(rule: Rule) -> bool:
    """A plan's target rate ("建标覆盖率达到90%以上"), which a rate the user gives is weighed against."""
    return rule.topic == "target" and rule.unit == "%"


def _goal(rule: Rule) -> bool:
    """A plan's target stated as a figure to reach ("编制…规程/规范60项"): a minimum of its kind."""
    return rule.topic == "target" and rule.comparator == "="


def about(ctx: "Composer", q: Query, figure, rule: Rule) -> bool:
    """The user's figure is about the rule's subject: its clause of the question shares a word
    with the rule's topic (label and keywords), or for a plan target with the target's sentence
    ("筹建两年半了" is no figure for 延长时限不超过1年; "公示压到5天" is one for 公示时间不得少于7天)."""
    text = q.text
    s, e = figure.start, figure.end
    while s > 0 and text[s - 1] not in "，,。；;？?！!":
        s -= 1
    while e < len(text) and text[e] not in "，,。；;？?！!":
        e += 1
    clause = text_bigrams(text[s:figure.start] + "|" + text[figure.end:e])
    if rule.topic == "target":  # (or the question is about this target as a whole: "要编…60项，已经编了22项")
        quote = text_bigrams(rule.quote)
        return bool(clause & quote) or len(text_bigrams(text) & quote) >= TARGET_NAMED * len(quote)
    topic = ctx.topics.topic(rule.topic)
    words = [ctx.label(rule.topic), *(topic.keywords if topic else ())]
    return any(clause & text_bigrams(w) for w in words)


def _same_as_rule(x, rules: list[Rule]) -> bool:
    """The question repeats a figure of the documents ("不少于7天是吗？"): not the user's own."""
    return any(_number(r) is not None and r.unit == x.unit and _number(r) == x.value for r in rules)


def _in_unit(amount: float, canon: str, *units: str) -> str | None:
    """``amount`` (in the canonical unit) written in the first of ``units`` it divides evenly."""
    for unit in units:
        one, c = normalise(1, unit)
        if c == canon and one and amount % one == 0:
            return format_value(amount // one if float(amount / one).is_integer() else amount / one, unit)
    return None
