"""In time? "打算10月15日交验收申请，是不是晚了？", "今天11月30号，年报还来得及交吗？" — the
deadline computed from the user's dates and the rule, then a plain verdict first.

Two shapes of rule give a deadline from a date the user gives:
- a lead time before an expiry ("应当在筹建期限届满3个月前申请验收考核"): the expiry is the
  user's date that stands with 到期/届满/截止 (or after 到/至), else the later one; the deadline
  is the expiry minus the period, with the engine's usual second reading one day earlier;
- a yearly month ("每年11月底前报送"): the last day of that month in the user's year.
The date the user means to act on is their other date (a month-day without a year takes the
expiry's year), or the only date for a yearly rule ("今天…"). The deadline is added as a timeline
event, so the checker verifies it; the user's own dates are theirs and are not claims.
Applied after the component, like the date gaps (components/dates.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING

from .. import timeline as tl
from ..normalize import normalize_query
from ..numbers import find_quantities, format_value, normalise
from ..types import Event
from ..understand import Query, bigrams, has_cue, spoken_dates
from ..writer import Draft, Writer, date_cn

if TYPE_CHECKING:
    from ..compose import Composer

_EXPIRY_AFTER = re.compile(r"^.{0,3}(到期|届满|期满|截止|结束)")
_EXPIRY_BEFORE = re.compile(r"((?<![拖等推放延挪留])到|至|截止到|截至)$")  # (拖到…: when they mean to act)
DURATIONS = {"年", "个月", "月", "日", "天"}


def _dates(text: str) -> list[tuple[int, int, dt.date]]:
    """(start, end, date) of the dates a question writes (numbers.find_quantities); a month-day
    without a year (10月15日) takes the first full date's year."""
    found = find_quantities(text)
    out = [(q.start, q.end, dt.date.fromisoformat(str(q.value))) for q in found if q.unit == "date"]
    # a month-day without a year takes the first full date's year, else a year written on its own
    # ("3月10日拿到批复（2024年）")
    alone = [int(q.value) for q in found if q.unit == "年份" and isinstance(q.value, (int, float))]
    year = out[0][2].year if out else (alone[0] if alone else None)
    for a, b in zip(found, found[1:]):  # "2028年5月底": the month's last day
        if a.unit == "年份" and b.unit == "月份" and a.end == b.start and (b.note or "") == "月底":
            try:
                y, mo = int(a.value), int(b.value)
                out.append((a.start, b.end, dt.date(y, mo, calendar.monthrange(y, mo)[1])))
            except (TypeError, ValueError):
                continue
    if year:
        for q in found:
            day = re.fullmatch(r"(\d{1,2})日", q.note or "") if q.unit == "月份" else None
            if day:
                try:
                    out.append((q.start, q.end, dt.date(year, int(q.value), int(day.group(1)))))
                except ValueError:
                    continue
    return sorted(out)


def year_months(text: str) -> list[tuple[int, int, dt.date, dt.date]]:
    """(start, end, first day, last day) of the year-months a question writes ("2027年2月")."""
    out = []
    for q in find_quantities(text):
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(q.value)) if q.unit == "年月" else None
        if m and 1 <= int(m.group(2)) <= 12:
            y, mo = int(m.group(1)), int(m.group(2))
            out.append((q.start, q.end, dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])))
    return out


def _is_expiry(text: str, start: int, end: int) -> bool:
    """The date at text[start:end] stands with 到期/届满/截止 after it, or 到/至 before it."""
    return bool(_EXPIRY_AFTER.search(text[end:end + 6]) or _EXPIRY_BEFORE.search(text[max(0, start - 4):start]))


def _expiry(text: str, dates) -> tuple[dt.date, list[dt.date]]:
    """The expiry among the user's dates, and the others."""
    marked = [d for s, e, d in dates if _is_expiry(text, s, e)]
    expiry = marked[0] if marked else max(d for _, _, d in dates)
    return expiry, [d for _, _, d in dates if d != expiry]


def expiry_date(text: str) -> dt.date | None:
    """The date a question marks as an expiry ("筹建期2026年6月30日到期"), or None."""
    text = spoken_dates(normalize_query(text))
    return next((d for s, e, d in _dates(text) if _is_expiry(text, s, e)), None)


PERIOD_TOPIC = "construction_period"
_TODAY = re.compile(r"(今天|今日|现在|目前|当前|today|now)(是|已经是|已是)?\s*$", re.IGNORECASE)
EVIDENCE_CITED = 2  # cited articles whose rules may give the deadline when the question names no topic
EVIDENCE_HITS = 3  # and the top retrieved articles after them


def _started(ctx: "Composer", doc_id: str, text: str, dates):
    """(approval date, construction period rule) when no date is an expiry but one is the day
    construction was approved ("2025年8月20日拿到…批准筹建…的函"): the cue words of the event
    the construction period follows from (intents.yaml event_topics/timeline_events)."""
    event = ctx.vocab.event_topics.get(PERIOD_TOPIC)
    cues = ctx.vocab.timeline_events[event].cues if event in ctx.vocab.timeline_events else ()
    period = next((r for r in ctx.rules(PERIOD_TOPIC, [doc_id]) if isinstance(r.value, int) and r.unit in DURATIONS), None)
    if period is None or not cues:
        return None
    for n, (s, e, d) in enumerate(dates):
        if _TODAY.search(text[max(0, s - 5):s]):
            continue  # "今天是2026年1月10日。我们2023年3月15日获批筹建": today is no approval day
        # the cue within the date's own sentence, not past the next date or before the previous one
        after = text[e:min(e + 20, dates[n + 1][0] if n + 1 < len(dates) else len(text))]
        before = text[max(0, s - 12, dates[n - 1][1] if n else 0):s]
        after, before = re.split(r"[。；;？?！!]", after)[0], re.split(r"[。；;？?！!]", before)[-1]
        if has_cue(after, cues) or has_cue(before, cues):
            return d, period
    today = len(dates) == 1 and _TODAY.search(text[max(0, dates[0][0] - 5):dates[0][0]])
    if len(dates) == 1 and not today:  # one date, not called an expiry: the day things began, said so in the answer
        return dates[0][2], period
    return None


# a yes/no ending ("超时没？", "算按时吗？", "行不行？"): with two dates of the user's own it asks
# whether the later one keeps the deadline counted from the earlier one
_YES_NO_END = re.compile(r"(吗|没|没有|不|么|不行|行不行|对不对|是不是)\s*[?？]?\s*$")


_A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1[^,，;；。]{0,14}[?？]?\s*$")  # 算不算超时？ 晚不晚？


def asks_in_time(ctx: "Composer", text: str, dates) -> bool:
    """'Too late?' asked in words (late_words), or a yes/no question (a yes/no ending or an
    A-not-A in the last clause) giving two dates."""
    given = len(dates) + len(year_months(text))  # ("想2027年4月再提验收申请 ok吗": a month is a date too)
    return has_cue(text, ctx.vocab.late_words) or (
        given >= 2 and bool(_YES_NO_END.search(text) or _A_NOT_A.search(text)))


def in_time(ctx: "Composer", q: Query, draft: Draft, hits=(), out_cls=Writer) -> Draft:
    """The deadline and a verdict instead of the draft (the draft unchanged when the question asks
    no 'too late?' or gives no date a rule in scope can be counted from)."""
    text = spoken_dates(normalize_query(q.text))
    dates = _dates(text)
    if not dates:
        return _month_offered(ctx, q, text, draft, out_cls)
    if not asks_in_time(ctx, text, dates):
        return draft
    # the articles the verdict may rest on when the question names no topic: the draft's, then
    # the evidence's (the top retrieved articles in scope)
    scope = set(q.doc_ids)
    articles = list(dict.fromkeys([(c.doc_id, c.article) for c in draft.citations[:EVIDENCE_CITED]] + [
        (h.chunk.doc_id, h.chunk.article) for h in hits if not scope or h.chunk.doc_id in scope][:EVIDENCE_HITS]))
    out = out_cls(ctx)
    for topic in _acted_on_first(ctx, text, dates, [t for t in q.topics if ctx.has_topic(t)]):
        for doc_id in q.doc_ids:
            rules = ctx.rules(topic, [doc_id])
            if not rules or ctx.docs[doc_id].meta.kind != "regulation":
                continue
            verdict = _verdict(ctx, out, _fitting(ctx, rules[0], text, dates), text, dates)
            if verdict:
                out.line(verdict)
                break
        if out.lines:
            break
    if not out.lines and not [t for t in q.topics if ctx.has_topic(t)]:
        # no topic named ("搬了新址，7月1日才报，超时没？"): the rules of the articles the draft
        # cites, the first one whose shape fits the user's dates (two dates: a span, not a month)
        for doc_id, article in articles:
            for rule in ctx.rules_in(doc_id, article):
                if rule.unit == "月份" and len(dates) >= 2 or ctx.docs[rule.doc_id].meta.kind != "regulation":
                    continue
                verdict = _verdict(ctx, out, rule, text, dates)
                if verdict:
                    out.line(verdict)
                    break
            if out.lines:
                break
    if not out.lines:
        return draft
    # the verdict replaces the draft: it quotes the rule, and a timeline drawn from the user's
    # date would read an expiry date as the day construction was approved
    return out.draft("timeline", topic=draft.topic)


def _month_offered(ctx: "Composer", q: Query, text: str, draft: Draft, out_cls) -> Draft:
    """A month of the year offered, yes/no, for a yearly duty of the topic asked ("年度工作总结能不能
    拖到12月底再交？" against "每年11月…报送"): the verdict, then the rule; the draft otherwise."""
    from ..arith import YES_NO

    months = [x for x in find_quantities(text) if x.unit == "月份" and isinstance(x.value, int)
              and not re.fullmatch(r"\d{1,2}日", x.note or "")]
    if len(months) != 1 or not YES_NO.search(text) or not q.topics:
        return draft
    mine = months[0].value
    out = out_cls(ctx)
    for doc_id in q.doc_ids:
        rule = next((r for t in q.topics if ctx.has_topic(t) for r in ctx.rules(t, [doc_id])
                     if r.unit == "月份" and isinstance(r.value, int)), None)
        if rule is None or ctx.docs[doc_id].meta.kind != "regulation":
            continue
        due = f"{ctx.label(rule.topic)}规定在每年{rule.value}月"
        head = (f"不行：{due}，您说的{mine}月已过了这个月。" if mine > rule.value else
                f"可以：{due}，您说的{mine}月就在这个月内（最迟当月月末）。" if mine == rule.value else
                f"{due}，不是您说的{mine}月。")
        out.line(f"{head}依据：{ctx.quote_rule(out, rule)}。")
    return out.draft("timeline", topic=draft.topic) if out.lines else draft


def _fitting(ctx: "Composer", rule, text: str, dates):
    """The rule a verdict counts with: a date the user calls an expiry ("6月30日到期"), or the
    expiry their approval date gives, is counted back from, so a topic whose first rule is a limit ("延长时限不超过1年") gives way to the
    lead-time rule of its own article whose sentence shares most with the question ("应在筹建期限
    届满3个月前,申请延期验收考核" for "现在提延期还来得及吗")."""
    if rule.comparator == "before" or not (any(_is_expiry(text, s, e) for s, e, _ in dates)
                                           or (len(dates) >= 2 and _started(ctx, rule.doc_id, text, dates))):
        return rule  # (an approval date and a later one: the expiry follows from the approval, counted back too)
    doc = ctx.docs[rule.doc_id]
    asked = bigrams(text)
    leads = [r for r in ctx.rules_in(rule.doc_id, rule.article) if r.comparator == "before" and r.unit in DURATIONS]
    if not leads:
        return rule
    grams = [bigrams(doc.text[slice(*ctx.rule_span(r))]) for r in leads]
    shared = set.intersection(*map(set, grams))  # what tells the rules apart is what they do not share
    articles = [bigrams(doc.text[a.start:a.end]) for a in doc.articles] or [set()]

    def weight(gram: str) -> float:  # a word most articles use ("中心") tells little
        return 1 / max(1, sum(gram in a for a in articles))

    return max(zip(leads, grams), key=lambda x: sum(weight(g) for g in (x[1] - shared) & asked))[0]


def _acted_on_first(ctx: "Composer", text: str, dates, topics: list[str]) -> list[str]:
    """The topics with the one the user means to act on first: the topic named in the clause of
    the last date they give ("筹建期按3年算。现在计划2026年8月15日再递验收申请，来得及吗？" asks
    about the acceptance application's lead time, not the construction period)."""
    ends = [e for _, e, _ in dates] + [e for _, e, _, _ in year_months(text)]
    if not ends or len(topics) < 2:
        return topics
    last = max(ends)
    start = max((m.end() for m in re.finditer(r"[，,。；;？?!！]", text[:last])), default=0)
    stop = re.search(r"[，,。；;？?!！]", text[last:])
    clause = text[start:last + (stop.start() if stop else len(text))]
    cues = {t: ctx.vocab.topics[t].cues for t in topics if t in ctx.vocab.topics}
    return sorted(topics, key=lambda t: 0 if has_cue(clause, cues.get(t, ())) else 1)


def _verdict(ctx: "Composer", out: Writer, rule, text: str, dates) -> str:
    doc = ctx.docs[rule.doc_id]
    basis = ""  # the construction period's own rule, when the expiry was computed from it
    also = ""  # past the deadline: what the same article offers instead
    if rule.unit == "月份" and isinstance(rule.value, int):  # 每年11月(底前): the month's last day
        when = dates[0][2]
        due = dt.date(when.year, rule.value, calendar.monthrange(when.year, rule.value)[1])
        e = Event(name=f"{when.year}年{ctx.label(rule.topic)}最迟报送日", date=due, rule_id=rule.id,
                  article=rule.article, reading=f"每年{rule.value}月报送的，以当月月末为最迟日期", doc_id=doc.id)
        late = when > due
        head = (f"已经晚了：{ctx.label(rule.topic)}最迟{date_cn(due)}，您给出的{date_cn(when)}已过。" if late else
                f"来得及：{ctx.label(rule.topic)}最迟{date_cn(due)}，您给出的{date_cn(when)}未超过"
                f"{'（今天正是最后期限）' if when == due else ''}。")
    elif rule.comparator == "before" and rule.unit in DURATIONS and (len(dates) >= 2 or year_months(text)):
        marked = any(_is_expiry(text, s, e) for s, e, _ in dates)
        started = None if marked else _started(ctx, doc.id, text, dates)
        since = ""
        if started:  # the expiry is the approval date plus the construction period
            begun, period = started
            try:
                expiry = tl.add_period(begun, period.value, period.unit, sign=1)
            except tl.TimelineError:
                return ""
            others = [d for _, _, d in dates if d != begun]
            out.event(Event(name=f"{ctx.label(PERIOD_TOPIC)}届满日", date=expiry, rule_id=period.id,
                            article=period.article, reading=tl.READING, doc_id=doc.id))
            since = f"自您给出的{date_cn(begun)}起算{ctx.label(PERIOD_TOPIC)}{format_value(period.value, period.unit)}，"
            basis = f"{ctx.label(PERIOD_TOPIC)}：{ctx.quote_rule(out, period)}。"
        else:
            expiry, others = _expiry(text, dates)
        months = [] if others else [m for m in year_months(text) if not _is_expiry(text, m[0], m[1])]
        if not others and not months:
            return ""
        when = others[0] if others else None
        try:
            due = tl.add_period(expiry, rule.value, rule.unit, sign=-1)
        except tl.TimelineError:
            return ""
        alt = due - dt.timedelta(days=1)
        e = Event(name=f"{ctx.label(rule.topic)}最迟日", date=due, rule_id=rule.id, article=rule.article,
                  reading=f"{tl.READING};{tl.READING_ALT}", alternative=alt, doc_id=doc.id)
        back = f"{since}从届满日{date_cn(expiry)}往前推{format_value(rule.value, rule.unit)}（{ctx.label(rule.topic)}），"
        if when is None:  # a month the user names ("打算2027年2月交"): its first and last day
            m_start, m_end, first, last = months[0]
            month = f"{first.year}年{first.month}月"
            if re.match(r"\s*(?:之前|以前|前)", text[m_end:m_end + 3]):
                # "2027年3月前验收来得及吗？": a time to be done by, not the day they apply
                head = (f"来得及的前提是按时申请：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}）"
                        f"提出验收申请，{month}前完成验收须在这之前申请。")
            elif first > due:
                head = f"已经晚了：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}），您说的{month}整月都在此之后。"
            elif last <= alt:
                head = f"来得及：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}），您说的{month}在此之前。"
            else:
                head = f"要看具体哪天：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}），{month}内这天之后就晚了。"
        else:
            head = _judged(when, due, alt,
                           f"已经晚了：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}），您给出的{date_cn(when)}已过。",
                           f"正好卡在期限上：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}，那样已晚），建议提前。",
                           f"来得及：{back}最迟{date_cn(due)}（另一读法：{date_cn(alt)}），您给出的{date_cn(when)}在此之前。")
        if head.startswith(("已经晚了", "正好卡在", "要看具体")):
            also = _same_article(ctx, out, rule)
    elif rule.comparator in ("<=", "<") and len(dates) >= 2:
        # "应在7个工作日内报告": counted from the user's earlier date (the event), the later one
        # is when they acted ("6月9日换了负责人，6月23日才报，超时没？")
        begun, when = min(d for _, _, d in dates), max(d for _, _, d in dates)
        try:
            due = tl.add_period(begun, rule.value, rule.unit, sign=1)
        except tl.TimelineError:
            return ""
        _, canon = normalise(rule.value, rule.unit)
        if canon == "工作日":
            alt = tl.add_working_days(begun - dt.timedelta(days=1), int(normalise(rule.value, rule.unit)[0]))
            reading = tl.working_days_reading(begun, due) + f";{tl.READING_ALT}"
        else:
            alt, reading = due - dt.timedelta(days=1), f"{tl.READING};{tl.READING_ALT}"
        e = Event(name=f"{ctx.label(rule.topic)}最迟日", date=due, rule_id=rule.id, article=rule.article,
                  reading=reading, alternative=alt, doc_id=doc.id)
        since = f"自{date_cn(begun)}起算{format_value(rule.value, rule.unit)}（{ctx.label(rule.topic)}），"
        other = f"（另一读法：{date_cn(alt)}）" if alt != due else ""
        head = _judged(when, due, alt,
                       f"超过期限了：{since}最迟{date_cn(due)}{other}，您给出的{date_cn(when)}已过。",
                       f"正好卡在期限上：{since}最迟{date_cn(due)}{other}，按另一读法已晚。",
                       f"没有超过期限：{since}最迟{date_cn(due)}{other}，您给出的{date_cn(when)}在此之前。")
    else:
        return ""
    out.event(e)
    return f"{head}依据：{ctx.quote_rule(out, rule)}。{also}{basis}"


def _same_article(ctx: "Composer", out: Writer, rule) -> str:
    """What the rule's own article says besides it ("因特殊原因不能…的，…可延期验收考核，延长时限
    不超过1年"): the way out for someone past the deadline, as the document words it."""
    quoted: list[tuple[int, int]] = []
    lines = []
    for other in ctx.rules_in(rule.doc_id, rule.article):
        span = ctx.rule_span(other)
        if other.topic == rule.topic or span == ctx.rule_span(rule) or span in quoted:
            continue
        quoted.append(span)
        lines.append(ctx.quote_rule(out, other))
    return f"同条还规定：{'；'.join(lines)}。" if lines else ""


def _judged(when: dt.date, due: dt.date, alt: dt.date, late: str, edge: str, in_time: str) -> str:
    """The verdict for the user's date against a deadline read two ways (``alt`` the earlier
    reading): late after ``due``, on the edge between the readings, else in time."""
    return late if when > due else edge if when > alt else in_time
