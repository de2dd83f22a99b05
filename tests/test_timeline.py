import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.rules import build_rules_table
from assistant.segment import segment_text
from assistant import timeline
from assistant.timeline import (
    READING_WORKDAYS, TimelineError, add_period, add_working_days, compute_timeline, event_to_dict,
    format_events, is_working_day, official_years, working_days_reading,
)
from assistant.types import DocMeta

D = dt.date


@pytest.fixture(scope="module")
def corpus():
    return {d.id: d for d in load_corpus(Settings.from_env())}


@pytest.fixture(scope="module")
def table(corpus):
    return build_rules_table(list(corpus.values()))


@pytest.fixture(scope="module")
def synthetic():
    text = (Path(__file__).parent / "fixtures" / "synthetic_regulation.txt").read_text(encoding="utf-8")
    meta = DocMeta(id="synthetic-jiangnan-2026", title="江南省产业计量测试中心管理办法", jurisdiction="江南",
                   level="省", kind="regulation", source="synthetic_regulation.txt")
    doc = segment_text(text, meta)
    return doc, build_rules_table([doc])


def _by_name(events):
    return {e.name: e for e in events}


def test_approved_chongqing(corpus, table):
    events = compute_timeline(corpus["chongqing-carbon-2024"], table, event="approved", date=D(2024, 6, 1))
    got = [(e.name, e.date, e.alternative, e.article) for e in events]
    assert got == [
        ("最迟申请验收考核日(或申请延期)", D(2027, 3, 1), D(2027, 2, 28), "第十六条"),
        ("筹建期限届满", D(2027, 6, 1), D(2027, 5, 31), "第十四条"),
        ("延期后最迟完成筹建日", D(2028, 6, 1), D(2028, 5, 31), "第十六条"),
    ]
    assert all(e.rule_id.startswith("chongqing-carbon-2024:") and e.doc_id == "chongqing-carbon-2024" for e in events)
    assert all(e.reading and "另一读法" in e.reading for e in events)
    assert {r.id for r in table.rules} >= {e.rule_id for e in events}


@pytest.mark.parametrize("doc_id, article", [
    ("hubei-carbon-2023", "第十一条"), ("hubei-data-2023", "第十二条"), ("tianjin-data-2025", "第十一条"),
])
def test_approved_other_regulations(corpus, table, doc_id, article):
    deadline = _by_name(compute_timeline(corpus[doc_id], table, event="approved", date=D(2024, 6, 1)))["筹建期限届满"]
    assert (deadline.date, deadline.article) == (D(2027, 6, 1), article)


@pytest.mark.parametrize("start, deadline, alt, lead, lead_alt", [
    (D(2024, 2, 29), D(2027, 2, 28), D(2027, 2, 27), D(2026, 11, 28), D(2026, 11, 27)),
    (D(2024, 5, 31), D(2027, 5, 31), D(2027, 5, 30), D(2027, 2, 28), D(2027, 2, 28)),
    (D(2023, 11, 30), D(2026, 11, 30), D(2026, 11, 29), D(2026, 8, 30), D(2026, 8, 29)),
])
def test_approved_month_ends(corpus, table, start, deadline, alt, lead, lead_alt):
    ev = _by_name(compute_timeline(corpus["hubei-carbon-2023"], table, event="approved", date=start))
    assert (ev["筹建期限届满"].date, ev["筹建期限届满"].alternative) == (deadline, alt)
    lead_event = next(e for n, e in ev.items() if n.startswith("最迟申请验收"))
    assert (lead_event.date, lead_event.alternative) == (lead, lead_alt)


@pytest.mark.parametrize("start, end, final", [
    (D(2024, 5, 31), D(2024, 8, 31), D(2025, 8, 31)),
    (D(2024, 11, 30), D(2025, 2, 28), D(2026, 2, 28)),
    (D(2023, 11, 30), D(2024, 2, 29), D(2025, 2, 28)),
])
def test_assessed_month_ends(corpus, table, start, end, final):
    ev = _by_name(compute_timeline(corpus["chongqing-carbon-2024"], table, event="assessed", date=start))
    assert ev["限期整改届满"].date == end and ev["限期整改届满"].article == "第十九条"
    assert ev["考核不合格后整改最迟完成日"].date == final and ev["考核不合格后整改最迟完成日"].article == "第二十条"


def test_established(corpus, table):
    events = compute_timeline(corpus["chongqing-carbon-2024"], table, event="established", date=D(2024, 6, 1))
    reports = [e.date for e in events if "年度工作总结报告" in e.name]
    assert reports == [D(2024, 11, 30), D(2025, 11, 30), D(2026, 11, 30), D(2027, 11, 30), D(2028, 11, 30)]
    reviews = [(e.date, e.article) for e in events if "复查" in e.name]
    assert reviews == [(D(2029, 6, 1), "第二十八条")]
    two = compute_timeline(corpus["hubei-carbon-2023"], table, event="established", date=D(2024, 12, 1), cycles=2)
    assert [e.date for e in two if "复查" in e.name] == [D(2029, 12, 1), D(2034, 12, 1)]
    assert min(e.date for e in two) == D(2025, 11, 30)


def test_notice_change_and_initial_review(corpus, table):
    cq = corpus["chongqing-carbon-2024"]
    notice = compute_timeline(cq, table, event="notice", date=D(2024, 6, 3))[0]
    assert (notice.date, notice.alternative, notice.article) == (D(2024, 6, 10), D(2024, 6, 9), "第十二条")
    # a Friday; Monday 2024-06-10 was 端午节, a public holiday, so the 7th working day is the 19th
    change = compute_timeline(cq, table, event="change", date=D(2024, 6, 7))[0]
    assert (change.date, change.alternative, change.article) == (D(2024, 6, 19), D(2024, 6, 18), "第二十四条")
    assert "法定节假日及调休" in change.reading
    review = compute_timeline(cq, table, event="acceptance_submitted", date=D(2024, 6, 1))[0]  # a Saturday
    assert (review.date, review.alternative, review.article) == (D(2024, 6, 12), None, "第十七条")


def test_synthetic_regulation(synthetic):
    doc, table = synthetic
    ev = _by_name(compute_timeline(doc, table, event="approved", date=D(2026, 8, 1)))
    assert ev["筹建期限届满"].date == D(2028, 8, 1)
    assert ev["最迟申请验收考核日"].date == D(2028, 6, 1)
    assert ev["延期后最迟完成筹建日"].date == D(2029, 2, 1)
    notice = compute_timeline(doc, table, event="notice", date=D(2026, 8, 3))[0]  # 十个工作日 from a Monday
    assert notice.date == D(2026, 8, 17)


@pytest.mark.parametrize("doc_id, event, words", [
    ("hubei-carbon-2023", "notice", ["公示期", "hubei-carbon-2023"]),
    ("tianjin-data-2025", "change", ["变更报告时限"]),
    ("dongying-plan", "approved", ["筹建期限"]),
])
def test_missing_rule_is_a_clear_error(corpus, table, doc_id, event, words):
    with pytest.raises(TimelineError) as err:
        compute_timeline(corpus[doc_id], table, event=event, date=D(2024, 6, 1))
    for w in words:
        assert w in str(err.value)


def test_unknown_event(corpus, table):
    with pytest.raises(TimelineError, match="approved"):
        compute_timeline(corpus["hubei-carbon-2023"], table, event="launched", date=D(2024, 6, 1))


@pytest.mark.parametrize("start, n, end", [
    (D(2024, 6, 7), 1, D(2024, 6, 11)),  # Monday 06-10 was 端午节
    (D(2024, 6, 3), 5, D(2024, 6, 11)),
    (D(2024, 6, 8), 7, D(2024, 6, 19)),
    (D(2024, 6, 14), 5, D(2024, 6, 21)),  # an ordinary week: Monday to Friday
    (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Sunday 09-28 was a 调休 working day
    (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 国庆·中秋 10-01 … 10-08
    (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Saturday 02-14: 调休 before 春节
])
def test_add_working_days(start, n, end):
    assert add_working_days(start, n) == end


@pytest.mark.parametrize("day, working", [
    (D(2025, 10, 1), False), (D(2025, 10, 8), False), (D(2025, 10, 11), True), (D(2025, 10, 12), False),
    (D(2026, 2, 16), False), (D(2026, 2, 28), True), (D(2026, 3, 2), True),
    (D(2099, 10, 1), True), (D(2099, 10, 3), False),  # beyond the schedule: Monday to Friday
])
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_change_deadline_over_national_day(corpus, table):
    """7 working days from Friday 2025-09-26: 09-28 (调休 Sunday), 09-29, 09-30, then 国庆·中秋
    10-01 … 10-08 off, 10-09, 10-10, 10-11 (调休 Saturday), 10-13. Monday to Friday gave 10-07."""
    change = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=D(2025, 9, 26))[0]
    assert (change.date, change.alternative, change.article) == (D(2025, 10, 13), D(2025, 10, 11), "第二十四条")
    assert READING_WORKDAYS in change.reading and "国务院办公厅" in change.reading
    assert "周一至周五" not in change.reading


def test_change_deadline_over_spring_festival(corpus, table):
    """Friday 2025-01-24: 01-26 (调休 Sunday), 01-27, 春节 01-28 … 02-04 off, 02-05, 02-06, 02-07,
    02-08 (调休 Saturday), 02-10. Monday to Friday would have said 02-04, in the middle of the holiday."""
    change = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=D(2025, 1, 24))[0]
    assert (change.date, change.alternative) == (D(2025, 2, 10), D(2025, 2, 8))
    review = compute_timeline(corpus["chongqing-carbon-2024"], table, event="acceptance_submitted",
                              date=D(2026, 2, 10))[0]  # 02-11 … 02-14, 春节 02-15 … 02-23, 02-24, 02-25, 02-26
    assert review.date == D(2026, 2, 26)


@pytest.mark.parametrize("start, deadline", [
    (D(2025, 9, 25), D(2025, 10, 11)),  # the 7th working day is the 调休 Saturday after 国庆
    (D(2026, 2, 12), D(2026, 2, 28)),  # 02-13, 02-14 (调休), 春节, 02-24 … 02-27, 02-28 (调休 Saturday)
])
def test_deadline_on_a_make_up_saturday(corpus, table, start, deadline):
    change = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=start)[0]
    assert change.date == deadline and change.date.weekday() == 5


def test_event_on_a_holiday_has_no_first_day_reading(corpus, table):
    """The other reading counts the event day itself, which a holiday cannot be."""
    change = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=D(2025, 10, 3))[0]
    assert (change.date, change.alternative) == (D(2025, 10, 16), None)  # 10-09, 10-10, 10-11 (调休), 10-13 … 10-16
    on_make_up = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=D(2025, 10, 11))[0]
    assert on_make_up.alternative == D(2025, 10, 20) and on_make_up.date == D(2025, 10, 21)


def test_year_beyond_the_schedule_falls_back_to_weekdays(corpus, table):
    assert 2099 not in official_years() and {2024, 2025} <= set(official_years())
    change = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=D(2099, 9, 25))[0]
    assert (change.date, change.alternative) == (D(2099, 10, 6), D(2099, 10, 5))  # no 国庆 holiday counted
    assert "2099年不在官方节假日安排覆盖范围内" in change.reading and "按周一至周五计" in change.reading
    assert "另一读法" in change.reading


def test_count_across_the_end_of_the_schedule(monkeypatch, corpus, table):
    """A count running from a covered year into one the schedule does not hold names both."""
    monkeypatch.setattr(timeline, "official_years", lambda: range(2004, 2025))  # as if 2025 were not out yet
    change = compute_timeline(corpus["chongqing-carbon-2024"], table, event="change", date=D(2024, 12, 27))[0]
    assert change.date == D(2025, 1, 7)  # 2024-12-30, 12-31, then 2025 Monday to Friday: 01-01 counts
    assert "2024年按国务院办公厅公布的法定节假日及调休安排计" in change.reading
    assert "2025年不在官方节假日安排覆盖范围内" in change.reading
    assert working_days_reading(D(2024, 12, 2), D(2024, 12, 11)) == READING_WORKDAYS


@pytest.mark.parametrize("value, unit, end", [
    (3, "年", D(2027, 2, 28)), (2.5, "年", D(2026, 8, 29)), (18, "个月", D(2025, 8, 29)), (7, "天", D(2024, 3, 7)),
])
def test_add_period(value, unit, end):
    assert add_period(D(2024, 2, 29), value, unit) == end


def test_format_and_json(corpus, table):
    events = compute_timeline(corpus["chongqing-carbon-2024"], table, event="approved", date=D(2024, 6, 1))
    text = format_events(events)
    assert "2027-06-01  筹建期限届满  [第十四条]  (另一读法: 2027-05-31)" in text
    assert "读法" in text
    data = json.loads(json.dumps([event_to_dict(e) for e in events]))
    assert data[1]["value"] == "2027-06-01" and data[1]["alternatives"] == ["2027-05-31"]
    assert format_events([]) == "(无事件 no events)"


# ----------------------------------------------------------------------------- calendar export (.ics)

def _calendar(data: bytes):
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    return [c for c in cal.walk("VEVENT")]


def test_ics_one_all_day_event_per_deadline(corpus, table):
    from assistant.ics import timeline_ics

    doc = corpus["chongqing-carbon-2024"]
    events = compute_timeline(doc, table, event="approved", date=D(2024, 6, 1))
    vevents = _calendar(timeline_ics(events, doc=doc, table=table, event="approved", date=D(2024, 6, 1)))
    assert [v.decoded("dtstart") for v in vevents] == [D(2027, 3, 1), D(2027, 6, 1), D(2028, 6, 1)]
    assert all(v.decoded("dtend") - v.decoded("dtstart") == dt.timedelta(days=1) for v in vevents)
    assert all(type(v.decoded("dtstart")) is dt.date for v in vevents)  # a date: all-day
    deadline = vevents[1]
    assert str(deadline["summary"]) == "筹建期限届满（重庆市市级碳计量中心管理办法 第十四条）"
    text = str(deadline["description"])
    for part in ("文件：重庆市市级碳计量中心管理办法", "条款：第十四条", "原文：“筹建单位应在3年内完成建设工作”",
                 "读法：开始当日不计入", "另一读法的日期：2027-05-31", "起算：批准筹建 2024-06-01"):
        assert part in text, part
    assert len({str(v["uid"]) for v in vevents}) == 3


def test_ics_quote_is_the_rule_quote_verbatim(corpus, table):
    from assistant.ics import timeline_ics

    doc = corpus["chongqing-carbon-2024"]
    events = compute_timeline(doc, table, event="change", date=D(2025, 9, 26))
    rule = next(r for r in table.rules if r.id == events[0].rule_id)
    (vevent,) = _calendar(timeline_ics(events, doc=doc, table=table, event="change", date=D(2025, 9, 26)))
    assert vevent.decoded("dtstart") == D(2025, 10, 13)
    assert f"原文：“{rule.verbatim}”" in str(vevent["description"])  # the document's own text
    assert rule.verbatim == doc.source_span(rule.start, rule.end) and rule.quote in doc.text
    assert "法定节假日及调休" in str(vevent["description"])


def test_ics_filename_is_ascii():
    from assistant.ics import ics_filename

    assert ics_filename("chongqing-carbon-2024", "change", D(2025, 9, 26)) == "chongqing-carbon-2024-change-2025-09-26.ics"
    assert ics_filename("四川-carbon", "notice", D(2026, 1, 5)).isascii()


# ----------------------------------------------------------------------------- CLI

def _cli(*args):
    from typer.testing import CliRunner

    from assistant.cli import app

    return CliRunner().invoke(app, ["timeline", *args])


def test_cli_change_deadline_on_the_official_calendar():
    args = ("--doc", "chongqing-carbon-2024", "--event", "change", "--date", "2025-09-26")
    table_out = _cli(*args)
    assert table_out.exit_code == 0, table_out.output
    assert "2025-10-13  重大变化报告最迟日  [第二十四条]  (另一读法: 2025-10-11)" in table_out.output
    assert "法定节假日及调休" in table_out.output
    for json_args in (("--json",), ("--format", "json")):
        out = _cli(*args, *json_args)
        assert out.exit_code == 0, out.output
        (row,) = json.loads(out.output)
        assert (row["value"], row["alternatives"], row["article"]) == ("2025-10-13", ["2025-10-11"], "第二十四条")


def test_cli_ics():
    out = _cli("--doc", "chongqing-carbon-2024", "--event", "approved", "--date", "2024-06-01", "--format", "ics")
    assert out.exit_code == 0, out.output
    assert out.stdout_bytes.startswith(b"BEGIN:VCALENDAR")
    vevents = _calendar(out.stdout_bytes)
    assert [(v.decoded("dtstart"), str(v["summary"]).split("（")[0]) for v in vevents] == [
        (D(2027, 3, 1), "最迟申请验收考核日(或申请延期)"), (D(2027, 6, 1), "筹建期限届满"),
        (D(2028, 6, 1), "延期后最迟完成筹建日")]
    assert all("条款：第十" in str(v["description"]) for v in vevents)


_CHANGE = ("--doc", "chongqing-carbon-2024", "--event", "change", "--date", "2025-09-26")


@pytest.mark.parametrize("args, words", [
    ((*_CHANGE, "--format", "pdf"), ["未知输出格式", "table, json or ics"]),
    ((*_CHANGE, "--format", "ics", "--json"), ["不能同时使用", "--json"]),
    (("--doc", "chongqing-carbon-2024", "--event", "change", "--date", "2025-02-30"), ["日期", "YYYY-MM-DD"]),
    (("--doc", "chongqing-carbon-2024", "--event", "party", "--date", "2025-09-26"), ["未知事件", "Unknown event"]),
    (("--doc", "nope", "--event", "change", "--date", "2025-09-26", "--format", "ics"), ["未知文档", "Unknown document"]),
])
def test_cli_bad_input_is_a_clear_bilingual_error(args, words):
    from assistant.errors import AssistantError

    out = _cli(*args)
    assert out.exit_code != 0 and isinstance(out.exception, AssistantError), out.output
    for w in words:
        assert w in str(out.exception), w


def test_cli_bad_format_is_one_line_without_traceback():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "assistant", "timeline", *_CHANGE, "--format", "ical"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "未知输出格式" in proc.stderr and "Traceback" not in proc.stderr


def test_a_violation_date_gives_the_earliest_application_day(doc_by_id, table):
    events = compute_timeline(doc_by_id["tianjin-data-2025"], table, event="violation", date=dt.date(2025, 6, 30))
    assert [(e.date, e.alternative) for e in events] == [(dt.date(2028, 7, 1), dt.date(2028, 6, 30))]
    assert events[0].article == "第八条"


def test_a_document_without_a_clean_record_window_has_no_violation_timeline(doc_by_id, table):
    with pytest.raises(TimelineError):
        compute_timeline(doc_by_id["chongqing-carbon-2024"], table, event="violation", date=dt.date(2025, 6, 30))


def test_a_rectification_notice_date_written_with_dots_or_hao_is_the_event(engine):
    for q in ("渝碳中心现场考核没过，2026.3.2收到整改通知，最晚整改到哪天", "重庆现场考核不合格，整改通知书是2026年3月2号收到的，整改最长到哪天？"):
        answer = engine.ask(q)
        assert "2027年3月2日" in answer.answer, q


def test_the_event_in_the_dates_own_clause_is_the_one_counted_from(engine):
    # 现场考核没通过 tells the case; the date is the day the rectification notice came
    answer = engine.ask("湖北碳计量中心现场考核没通过，2026年1月10日收到了省局的整改通知书，整改最长可以做到哪天？")
    assert "2027年1月10日" in answer.answer and "2027年4月10日" not in answer.answer
    assert "[湖北省碳计量中心·第十七条]" in answer.answer
