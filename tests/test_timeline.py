import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.rules import build_rules_table
from assistant.segment import segment_text
from assistant.timeline import (
    TimelineError, add_period, add_working_days, compute_timeline, event_to_dict, format_events,
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
    change = compute_timeline(cq, table, event="change", date=D(2024, 6, 7))[0]  # a Friday
    assert (change.date, change.alternative, change.article) == (D(2024, 6, 18), D(2024, 6, 17), "第二十四条")
    assert "节假日" in change.reading
    review = compute_timeline(cq, table, event="acceptance_submitted", date=D(2024, 6, 1))[0]  # a Saturday
    assert (review.date, review.alternative, review.article) == (D(2024, 6, 11), None, "第十七条")


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
    (D(2024, 6, 7), 1, D(2024, 6, 10)), (D(2024, 6, 3), 5, D(2024, 6, 10)), (D(2024, 6, 8), 7, D(2024, 6, 18)),
])
def test_add_working_days(start, n, end):
    assert add_working_days(start, n) == end


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
