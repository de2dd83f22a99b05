"""Timeline engine: dated obligations that follow from an event, computed from the rules table.

Reading convention (民法典第二百零一条): the day an event happens does not count, so a period
of N years starting on D ends on D + N years (2024-06-01 + 3年 → 2027-06-01), and
"届满3个月前" is that end − 3 months. Where the text is ambiguous the other reading (the
first day counts: one day earlier) is given as ``Event.alternative``.

Working days follow the State Council's holiday schedule (法定节假日 off, 调休 make-up days on)
as published in the ``chinesecalendar`` package; a year the package does not cover falls back
to Monday–Friday, and the event's reading says so. Chat, CLI, API and UI all count here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

import chinese_calendar
from dateutil.relativedelta import relativedelta

from .errors import AssistantError
from .numbers import format_value, normalise
from .rules import RulesTable, load_vocabulary
from .types import Document, Event, Rule

EVENTS = {
    "approved": "批准筹建",
    "assessed": "现场考核得分低于合格分数",
    "established": "批准成立",
    "notice": "公示开始",
    "change": "发生重大变化",
    "acceptance_submitted": "提交验收申请",
    "violation": "发生违法行为",
}
READING = "开始当日不计入,期间届满日为起算日的对应日(民法典第二百零一条)"
READING_ALT = "另一读法:开始当日计入,届满日提前一日"
OFFICIAL_SCHEDULE = "国务院办公厅公布的法定节假日及调休安排"
READING_WORKDAYS = f"工作日按{OFFICIAL_SCHEDULE}计(节假日不计,调休上班日计入),自次日起算"


class TimelineError(AssistantError, ValueError):
    """The event is unknown, or the document has no rule it needs."""


@functools.cache
def official_years() -> range:
    """The years whose official holiday schedule ``chinesecalendar`` holds (e.g. 2004–2026)."""
    years = {d.year for d in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def is_working_day(day: dt.date) -> bool:
    """Official working day: 法定节假日 off, 调休 weekends on; Monday–Friday outside the covered years."""
    if day.year in official_years():
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_working_days(date: dt.date, n: int) -> dt.date:
    """The n-th official working day after ``date`` (the day itself does not count)."""
    day, left = date, int(n)
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_reading(date: dt.date, end: dt.date) -> str:
    """The reading of a working-day count from ``date`` to ``end``: which calendar each year used."""
    years = range((date + dt.timedelta(days=1)).year, max(end.year, date.year) + 1)
    outside = [y for y in years if y not in official_years()]
    if not outside:
        return READING_WORKDAYS
    covered = official_years()
    inside = [y for y in years if y in covered]
    parts = ["工作日自次日起算"]
    if inside:
        parts.append(f"{'、'.join(map(str, inside))}年按{OFFICIAL_SCHEDULE}计")
    parts.append(f"{'、'.join(map(str, outside))}年不在官方节假日安排覆盖范围内"
                 f"(已收录{covered[0]}—{covered[-1]}年),按周一至周五计,未计法定节假日及调休")
    return ";".join(parts)


def add_period(date: dt.date, value, unit: str, *, sign: int = 1) -> dt.date:
    """date ± a period written in the rules (年/个月/日/天/工作日)."""
    if isinstance(value, (tuple, list)):
        value = value[-1]  # a range: the longest period
    amount, canon = normalise(value, unit)
    if canon == "个月":
        months = amount * sign
        whole = int(months)
        if whole != months:  # half months: 15 days
            return date + relativedelta(months=whole, days=int(round((months - whole) * 30)))
        return date + relativedelta(months=whole)
    if canon == "日":
        return date + dt.timedelta(days=int(amount) * sign)
    if canon == "工作日" and sign > 0:
        return add_working_days(date, int(amount))
    raise TimelineError(f"无法按 {format_value(value, unit)} 计算日期。 Cannot add a period in unit {unit!r}.")


def _rule(doc: Document, table: RulesTable, topic: str, event: str, *, required: bool = True) -> Rule | None:
    rules = table.for_topic(topic, doc.id)
    if not rules and required:
        label = load_vocabulary().label(topic)
        raise TimelineError(
            f"{doc.meta.title}({doc.id})没有关于“{label}”的规定,无法计算“{EVENTS[event]}”之后的时间线。"
            f" Document {doc.id} has no {topic} rule, which event '{event}' needs."
        )
    return rules[0] if rules else None


def _ev(doc: Document, name: str, date: dt.date, rule: Rule, *, reading: str = READING,
        alternative: dt.date | None = None) -> Event:
    return Event(name=name, date=date, rule_id=rule.id, article=rule.article, reading=reading,
                 alternative=alternative, doc_id=doc.id)


def _day_span(doc, name, date, rule) -> Event:
    """End of a period in days or working days starting on ``date``."""
    _, canon = normalise(rule.value, rule.unit)
    end = add_period(date, rule.value, rule.unit)
    if canon == "工作日":
        n = int(rule.value[-1] if isinstance(rule.value, (tuple, list)) else rule.value)
        # the other reading counts the event day itself, which only makes sense on a working day
        alt = add_working_days(date - dt.timedelta(days=1), n) if is_working_day(date) else None
        return _ev(doc, name, end, rule, reading=f"{working_days_reading(date, end)};{READING_ALT}",
                   alternative=alt)
    return _ev(doc, name, end, rule, reading=f"{READING};{READING_ALT}", alternative=end - dt.timedelta(days=1))


def compute_timeline(doc: Document, table: RulesTable, *, event: str, date: dt.date,
                     cycles: int = 1) -> list[Event]:
    """Dated events that follow ``event`` on ``date`` under ``doc``'s rules."""
    if event not in EVENTS:
        raise TimelineError(f"未知事件 '{event}'。可用: {', '.join(EVENTS)}。 Unknown event; valid: {', '.join(EVENTS)}.")
    if isinstance(date, dt.datetime):
        date = date.date()
    events: list[Event] = []
    if event == "approved":
        cp = _rule(doc, table, "construction_period", event)
        deadline = add_period(date, cp.value, cp.unit)
        alt = deadline - dt.timedelta(days=1)
        events.append(_ev(doc, "筹建期限届满", deadline, cp, reading=f"{READING};{READING_ALT}", alternative=alt))
        lead = _rule(doc, table, "acceptance_lead_time", event, required=False)
        ext_lead = _rule(doc, table, "extension_lead_time", event, required=False)
        same = ext_lead and lead and normalise(ext_lead.value, ext_lead.unit) == normalise(lead.value, lead.unit)
        for rule, name in ((lead, "最迟申请验收考核日" + ("(或申请延期)" if same else "")),
                           (None if same else ext_lead, "最迟申请延期验收日")):
            if rule:
                text = format_value(rule.value, rule.unit)
                events.append(_ev(doc, name, add_period(deadline, rule.value, rule.unit, sign=-1), rule,
                                  reading=f"“届满{text}前”按届满日往前推{text}的对应日计;{READING_ALT}",
                                  alternative=add_period(alt, rule.value, rule.unit, sign=-1)))
        ext = _rule(doc, table, "extension_max", event, required=False)
        if ext:
            events.append(_ev(doc, "延期后最迟完成筹建日", add_period(deadline, ext.value, ext.unit), ext,
                              reading=f"延期自原筹建期限届满日起算,用足{format_value(ext.value, ext.unit)};{READING_ALT}",
                              alternative=add_period(alt, ext.value, ext.unit)))
    elif event == "assessed":
        rp = _rule(doc, table, "rectification_period", event)
        end = add_period(date, rp.value, rp.unit)
        alt = end - dt.timedelta(days=1)
        events.append(_ev(doc, "限期整改届满", end, rp, reading=f"{READING};{READING_ALT}", alternative=alt))
        fm = _rule(doc, table, "failed_rectification_max", event, required=False)
        if fm:
            events.append(_ev(doc, "考核不合格后整改最迟完成日", add_period(end, fm.value, fm.unit), fm,
                              reading=f"假定限期整改届满当日结论为不合格并下达整改通知书,再用足"
                                      f"{format_value(fm.value, fm.unit)};{READING_ALT}",
                              alternative=add_period(alt, fm.value, fm.unit)))
    elif event == "established":
        events += _established(doc, table, date, cycles=cycles)
    elif event == "violation":  # "3年内没有违法行为": applying is possible once the window has passed
        window = _rule(doc, table, "clean_record_years", event)
        end = add_period(date, window.value, window.unit)
        text = format_value(window.value, window.unit)
        events.append(_ev(doc, f"最早可申请日(违法行为满{text}后)", end + dt.timedelta(days=1), window,
                          reading=f"申请日前{text}内不得有违法行为:违法行为之日起算{text}届满日的次日起可申请;"
                                  f"另一读法:届满日当日起可申请", alternative=end))
    else:
        topic, name = {"notice": ("public_notice_min", "公示期最早届满日"),
                       "change": ("change_report_deadline", "重大变化报告最迟日"),
                       "acceptance_submitted": ("initial_review_deadline", "初步审查最迟完成日")}[event]
        events.append(_day_span(doc, name, date, _rule(doc, table, topic, event)))
    return sorted(events, key=lambda e: e.date)


def _established(doc: Document, table: RulesTable, date: dt.date, *, cycles: int) -> list[Event]:
    report = _rule(doc, table, "annual_report", "established", required=False)
    review = _rule(doc, table, "review_cycle", "established", required=not report)
    events = []
    months = normalise(review.value, review.unit)[0] if review else 60
    horizon = add_period(date, months * max(cycles, 1), "个月")
    if review:
        for k in range(1, max(cycles, 1) + 1):
            events.append(_ev(doc, f"第{k}次复查", add_period(date, months * k, "个月"), review,
                              reading=f"每{format_value(review.value, review.unit)}复查一次,自批准成立之日起算(办法未写明起算日)"))
    if report:
        month = int(report.value)
        for year in range(date.year, horizon.year + 1):
            due = dt.date(year, month, calendar.monthrange(year, month)[1])
            if date < due <= horizon:
                events.append(_ev(doc, f"{year}年度工作总结报告", due, report,
                                  reading=f"每年{month}月报送,以{month}月最后一日为最迟日期"))
    return events


def event_to_dict(e: Event) -> dict:
    """JSON form; a date value carries its other reading in ``alternatives`` (see DESIGN)."""
    return {"name": e.name, "value": e.date.isoformat(), "unit": "date",
            "alternatives": [e.alternative.isoformat()] if e.alternative else [],
            "rule_id": e.rule_id, "article": e.article, "doc_id": e.doc_id, "reading": e.reading}


def format_events(events) -> str:
    """Plain text: one line per event, then the readings used."""
    events = list(events)
    if not events:
        return "(无事件 no events)"
    lines, readings = [], []
    for e in events:
        alt = f"  (另一读法: {e.alternative.isoformat()})" if e.alternative else ""
        lines.append(f"{e.date.isoformat()}  {e.name}  [{e.article}]{alt}")
        if e.reading and e.reading not in readings:
            readings.append(e.reading)
    return "\n".join(lines + ["", "读法 reading:"] + [f"- {r}" for r in readings])
