import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.errors import UnknownDocumentError, UnknownJurisdictionError
from assistant.rules import (
    RulesQueryError, RulesTable, build_rules_table, extract_provisions, extract_rules, format_rules_table,
    load_vocabulary, table_from_text, target_year,
)
from assistant.segment import segment_text
from assistant.types import Article, DocMeta, Document

FIXTURES = Path(__file__).parent / "fixtures"
REGULATIONS = ("hubei-carbon-2023", "hubei-data-2023", "chongqing-carbon-2024", "tianjin-data-2025")
SYN = "synthetic-jiangnan-2026"


def _doc(text: str, *, doc_id: str = "snippet", kind: str = "regulation", issued=None, jurisdiction="江南"):
    meta = DocMeta(id=doc_id, title="江南省测试办法", jurisdiction=jurisdiction, level="省", kind=kind,
                   source="", issued=issued)
    return segment_text(text, meta)


@pytest.fixture(scope="module")
def synthetic():
    text = (FIXTURES / "synthetic_regulation.txt").read_text(encoding="utf-8")
    return _doc(text, doc_id=SYN, issued=dt.date(2026, 5, 20))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Settings.from_env())


@pytest.fixture(scope="module")
def table(corpus):
    return build_rules_table(corpus)


# ---------------------------------------------------------------- synthetic regulation

@pytest.mark.parametrize("topic, article, value, unit, comparator, quote", [
    ("clean_record_years", "第四条", 5, "年", "<=", "近5年内无违法违规记录"),
    ("expert_group_size", "第六条", (5, 7), "名", "range", "评审组由五至七名专家组成"),
    ("public_notice_min", "第七条", 10, "个工作日", "=", "公示期为十个工作日"),
    ("construction_period", "第八条", 2, "年", "=", "筹建期为二年"),
    ("acceptance_lead_time", "第九条", 2, "个月", "before", "申请单位应当在筹建期限届满2个月前提出验收申请"),
    ("extension_max", "第九条", 6, "个月", "<=", "延期不超过6个月"),
    ("initial_review_deadline", "第十条", 10, "个工作日", "<=", "省局在收到验收申请后10个工作日内完成初审"),
    ("full_score", "第十一条", 100, "分", "=", "验收考核满分为100分"),
    ("pass_score", "第十一条", 85, "分", ">=", "考核得分85分及以上的为合格"),
    ("rectification_period", "第十一条", 2, "个月", "<=", "限期两个月整改"),
    ("failed_rectification_max", "第十二条", 6, "个月", "<=", "被考核单位应当在六个月内完成整改"),
    ("annual_report", "第十三条", 12, "月份", "before", "测试中心应当于每年12月底前报送年度工作报告"),
    ("change_report_deadline", "第十四条", 15, "日", "<=", "应当在15日内向省局书面报告"),
    ("review_cycle", "第十五条", 4, "年", "every", "省局每四年对测试中心组织一次复查"),
    ("assessment_revocation_years", "第十六条", 2, "年", "=", "连续2年年度考核不合格的"),
    ("effective_date", "第十七条", "2026-07-01", "date", "=", "本办法自2026年7月1日起施行"),
])
def test_synthetic_rows(synthetic, topic, article, value, unit, comparator, quote):
    rows = [r for r in extract_rules(synthetic) if r.topic == topic]
    assert rows, topic
    r = rows[0]
    assert (r.article, r.value, r.unit, r.comparator, r.quote) == (article, value, unit, comparator, quote)
    assert r.id == f"{SYN}:{article}:{topic}:1"
    assert synthetic.text[r.start:r.end] == r.quote


def test_synthetic_pass_score_notes_full_score(synthetic):
    r = next(r for r in extract_rules(synthetic) if r.topic == "pass_score")
    assert "满分100分" in r.note and r.label == "合格分数"


def test_synthetic_table_is_grounded_and_ids_unique(synthetic):
    t = build_rules_table([synthetic])
    ids = [r.id for r in t.rules] + [p.id for p in t.provisions]
    assert len(ids) == len(set(ids))
    t.validate([synthetic])


@pytest.mark.parametrize("kind, article, items", [
    ("tasks", "第三条", ["(一)", "(二)", "(三)"]),
    ("conditions", "第四条", ["(一)", "(二)", "(三)"]),
    ("materials", "第五条", ["(一)", "(二)"]),
    ("revocation", "第十六条", ["(一)", "(二)"]),
])
def test_synthetic_provisions(synthetic, kind, article, items):
    got = [p for p in extract_provisions(synthetic) if p.kind == kind and p.article == article]
    assert [p.item for p in got] == items


def test_synthetic_clause_provisions(synthetic):
    provs = extract_provisions(synthetic)
    assert [p.text for p in provs if p.kind == "priority"] == ["对纳入地方产业发展规划的申请单位给予优先支持"]
    assert "逾期仍未完成筹建的,取消其筹建资格" in [p.text for p in provs if p.kind == "revocation"]
    for p in provs:
        assert synthetic.text[p.start:p.end] == p.text


def test_synthetic_plan_targets():
    text = (FIXTURES / "synthetic_plan.txt").read_text(encoding="utf-8")
    doc = _doc(text, doc_id="synthetic-plan", kind="plan")
    rows = [(r.label, r.value, r.unit, r.comparator, target_year(r)) for r in extract_rules(doc)]
    assert rows == [
        ("目标:全省社会公用计量标准", 900, "项", ">=", 2027),
        ("目标:省级产业计量测试中心", 4, "家", "=", 2027),
        ("目标:注册计量师占比", 55, "%", "=", 2027),
        ("目标:重点任务", 2, "项", "=", None),
        ("目标:专项行动", 6, "项", "=", None),
        ("目标:单位", (2, 4), "家", "range", None),
    ]


# ---------------------------------------------------------------- topic patterns on literal snippets

@pytest.mark.parametrize("snippet, topic", [
    ("筹建工作一般应于3年内完成。", "construction_period"),
    ("筹建单位应在3年内完成建设工作。", "construction_period"),
    ("筹建工作应于2年内完成。", "construction_period"),
    ("应当在筹建期限届满3个月前申请验收考核。", "acceptance_lead_time"),
    ("应在筹建期限届满3个月前,申请延期验收考核。", "extension_lead_time"),
    ("可延期验收考核,延长时限不超过1年。", "extension_max"),
    ("考核得分分值在80分及以上的,现场考核结论为合格。", "pass_score"),
    ("考核得分分值低于80分的,限期3个月整改。", "pass_score"),
    ("被考核单位在规定时间内(不超过一年)实施整改。", "failed_rectification_max"),
    ("中心每年11月向省市场监管局书面报送年度工作总结报告。", "annual_report"),
    ("省市场监管局对中心每五年组织一次复查。", "review_cycle"),
    ("市市场监管局应当进行公示,公示时间不得少于7天。", "public_notice_min"),
    ("应在收到验收申请资料后7个工作日内进行初步审查。", "initial_review_deadline"),
    ("专家组由相关专业的技术专家组成,实行组长负责制,人数原则为3—5人。", "expert_group_size"),
    ("主要基础设施等发生重大变化时,应在7个工作日内向市市场监管局报告。", "change_report_deadline"),
    ("累计3年未完成年度考核的,撤销其资格。", "assessment_revocation_years"),
    ("3年内没有违法行为和严重失信行为。", "clean_record_years"),
    ("本办法自2023年3月1日起施行。", "effective_date"),
    ("每年组织培训不少于2次。", "other"),
])
def test_topic_vocabulary(snippet, topic):
    doc = _doc(f"第一条 {snippet}")
    rules = extract_rules(doc)
    assert rules[0].topic == topic
    assert rules[0].quote in snippet


def test_effective_from_issued_date():
    doc = _doc("第一条 为规范管理,制定本办法。\n第二条 本办法自发布之日起施行。", issued=dt.date(2024, 4, 22))
    rules = {r.topic: r for r in extract_rules(doc)}
    eff = rules["effective_date"]
    assert (eff.value, eff.unit, eff.note, eff.quote) == ("2024-04-22", "date", "derived from issued date", "本办法自发布之日起施行")
    assert rules["issued_date"].value == "2024-04-22" and rules["issued_date"].article == "第二条"


def test_no_numbers_gives_empty_table():
    doc = _doc("第一条 为规范管理,制定本办法。\n第二条 本办法由省局负责解释。")
    t = build_rules_table([doc])
    assert t.rules == () and t.topics() == []
    assert json.loads(t.to_json()) == {"rules": [], "provisions": []}
    assert "no rules" in format_rules_table(t)


def test_malformed_numeral_and_odd_unit_are_skipped_with_warning(caplog):
    doc = _doc("第一条 筹建工作应于二十十年内完成。\n第二条 每年处理废料不少于3吨。\n第三条 公示时间不得少于7天。")
    with caplog.at_level(logging.WARNING):
        rules = extract_rules(doc)
    assert [(r.topic, r.value) for r in rules] == [("public_notice_min", 7)]
    assert "二十十" in caplog.text and "吨" in caplog.text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_extraction_never_raises_and_stays_grounded(text):
    meta = DocMeta(id="fuzz", title="测试", jurisdiction="江南", level="省", kind="regulation", source="")
    article = Article(doc_id="fuzz", label="第一条", number=1, text=text, start=0, end=len(text))
    doc = Document(meta=meta, text=text, chapters=(), articles=(article,))
    build_rules_table([doc])  # validate() asserts grounding


def test_bad_vocabulary_names_file_and_topic(tmp_path):
    bad = tmp_path / "topics.yaml"
    bad.write_text("units: [年]\ntopics:\n  - key: broken\n    label: 坏\n    units: [年]\n    patterns: ['筹建(']\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="broken"):
        load_vocabulary(bad)


def test_table_from_text():
    doc, t = table_from_text("第一条 公示时间不得少于10天。", title="测试办法", jurisdiction="江南")
    assert [r.topic for r in t.rules] == ["public_notice_min"] and doc.id == "file"


# ---------------------------------------------------------------- the shipped corpus

COMMON = {  # topic → article per regulation
    "construction_period": ("第十一条", "第十二条", "第十四条", "第十一条"),
    "acceptance_lead_time": ("第十三条", "第十四条", "第十六条", "第十三条"),
    "extension_max": ("第十三条", "第十四条", "第十六条", "第十三条"),
    "pass_score": ("第十六条", "第十七条", "第十九条", "第十六条"),
    "rectification_period": ("第十六条", "第十七条", "第十九条", "第十六条"),
    "failed_rectification_max": ("第十七条", "第十八条", "第二十条", "第十七条"),
    "annual_report": ("第十九条", "第二十条", "第二十四条", "第十九条"),
    "review_cycle": ("第二十四条", "第二十四条", "第二十八条", "第二十三条"),
    "effective_date": ("第二十六条", "第二十六条", "第三十条", "第二十五条"),
}


@pytest.mark.parametrize("topic", sorted(COMMON))
@pytest.mark.parametrize("n, doc_id", list(enumerate(REGULATIONS)))
def test_common_topics_in_every_regulation(table, topic, n, doc_id):
    rows = table.for_topic(topic, doc_id)
    assert rows, f"{doc_id} lacks {topic}"
    assert rows[0].article == COMMON[topic][n]


@pytest.mark.parametrize("topic, value, unit", [
    ("construction_period", 3, "年"), ("acceptance_lead_time", 3, "个月"), ("extension_max", 1, "年"),
    ("pass_score", 80, "分"), ("rectification_period", 3, "个月"), ("failed_rectification_max", 1, "年"),
    ("annual_report", 11, "月份"), ("review_cycle", 5, "年"),
])
def test_common_values(table, topic, value, unit):
    for doc_id in REGULATIONS:
        r = table.for_topic(topic, doc_id)[0]
        assert (r.value, r.unit) == (value, unit), doc_id


@pytest.mark.parametrize("topic, only, article, value, unit", [
    ("public_notice_min", "chongqing-carbon-2024", "第十二条", 7, "天"),
    ("initial_review_deadline", "chongqing-carbon-2024", "第十七条", 7, "个工作日"),
    ("expert_group_size", "chongqing-carbon-2024", "第十七条", (3, 5), "人"),
    ("change_report_deadline", "chongqing-carbon-2024", "第二十四条", 7, "个工作日"),
    ("assessment_revocation_years", "chongqing-carbon-2024", "第二十九条", 3, "年"),
    ("clean_record_years", "tianjin-data-2025", "第八条", 3, "年"),
])
def test_topics_of_one_regulation(table, topic, only, article, value, unit):
    rows = [r for r in table.rules if r.topic == topic]
    assert {r.doc_id for r in rows} == {only}
    assert (rows[0].article, rows[0].value, rows[0].unit) == (article, value, unit)


def test_quotes_are_short_clauses(table):
    quotes = {r.id: r.quote for r in table.rules}
    assert quotes["chongqing-carbon-2024:第十二条:public_notice_min:1"] == "公示时间不得少于7天"
    assert quotes["chongqing-carbon-2024:第十六条:extension_max:1"] == "延长时限不超过1年"
    assert quotes["chongqing-carbon-2024:第二十九条:assessment_revocation_years:1"] == "累计3年未完成年度考核的"


def test_chongqing_effective_date_is_derived_from_issued(table):
    r = table.for_topic("effective_date", "chongqing-carbon-2024")[0]
    assert (r.value, r.note, r.quote) == ("2024-04-22", "derived from issued date", "本办法自发布之日起施行")


@pytest.mark.parametrize("what, value, unit, year", [
    ("全省社会公用计量标准总数", 1800, "项", 2025),
    ("注册计量师占比", 60, "%", 2025),
    ("全省强检项目建标覆盖率", 90, "%", 2025),
    ("诚信计量示范单位", 5000, "家", 2025),
    ("国家级产业计量测试中心", 1, "家", 2025),
    ("省级产业计量测试中心", 5, "家", 2025),
    ("地方急需检定规程/规范", 60, "项", 2025),
    ("计量标准", 50, "项", 2025),
    ("计量技术规范", 10, "项", 2025),
    ("标准物质/样品", 10, "种", 2025),
    ("单位", (3, 5), "家", None),
    ("重点任务", 3, "项", None),
    ("重点工程", 5, "项", None),
])
def test_jiangxi_targets(table, what, value, unit, year):
    rows = [r for r in table.for_topic("target", "jiangxi-interview-2023") if r.label.endswith(what)]
    assert any((r.value, r.unit, target_year(r)) == (value, unit, year) for r in rows), [
        (r.label, r.value, r.note) for r in rows]


def test_every_row_grounded(table, corpus):
    table.validate(corpus)
    by_id = {d.id: d for d in corpus}
    for r in table.rules:
        doc = by_id[r.doc_id]
        assert doc.text[r.start:r.end] == r.quote
        assert r.quote in doc.article(r.article).text
    for p in table.provisions:
        assert by_id[p.doc_id].text[p.start:p.end] == p.text


def test_validate_rejects_ungrounded_row(table, corpus):
    from dataclasses import replace

    bad = replace(table, rules=(replace(table.rules[0], quote="不存在的原文"),))
    with pytest.raises(AssertionError, match="ungrounded"):
        bad.validate(corpus)


def test_chongqing_revocation_grounds(table):
    items = [p for p in table.filter(kind="revocation").provisions
             if p.doc_id == "chongqing-carbon-2024" and p.article == "第二十九条"]
    assert len(items) == 9 and items[2].text == "累计3年未完成年度考核的"


@pytest.mark.parametrize("doc_id", REGULATIONS)
def test_construction_stage_revocations(table, doc_id):
    texts = [p.text for p in table.provisions if p.doc_id == doc_id and p.kind == "revocation"]
    assert any(t.endswith("撤销其筹建资格") for t in texts)
    assert any(t.endswith("取消其筹建资格") for t in texts)


@pytest.mark.parametrize("doc_id, article, n_conditions", [
    ("hubei-carbon-2023", "第七条", 6), ("hubei-data-2023", "第八条", 4),
    ("chongqing-carbon-2024", "第七条", 7), ("tianjin-data-2025", "第八条", 6),
])
def test_conditions(table, doc_id, article, n_conditions):
    provs = [p for p in table.filter(doc_ids=[doc_id], kind="conditions").provisions]
    conditions = [p for p in provs if p.kind == "conditions"]
    assert len(conditions) == n_conditions and {p.article for p in conditions} == {article}
    if doc_id != "tianjin-data-2025":
        assert any(p.kind == "priority" and "优先支持" in p.text for p in provs)


def test_tasks_and_materials(table):
    tasks = table.filter(doc_ids="hubei-data-2023", kind="tasks").provisions
    assert [(p.article, len([x for x in tasks if x.article == p.article])) for p in tasks][0] == ("第六条", 4)
    assert len(tasks) == 11
    materials = table.filter(doc_ids="chongqing-carbon-2024", kind="materials").provisions
    assert [p.text for p in materials] == ["《重庆市市级碳计量中心申报书》",
                                           "《重庆市市级碳计量中心筹建任务书》(以下简称《筹建任务书》)"]


# ---------------------------------------------------------------- RulesTable API

def test_filters(table):
    cq = table.filter(jurisdictions=["渝"])
    assert {r.doc_id for r in cq.rules} == {"chongqing-carbon-2024"}
    assert {r.topic for r in table.filter(topic="review_cycle").rules} == {"review_cycle"}
    assert table.filter(kind="numeric").provisions == ()
    assert table.filter(kind="materials").rules == ()
    assert table.filter(doc_ids=["tianjin-data-2025"], topic="clean_record_years").rules[0].article == "第八条"


def test_filter_errors_list_the_choices(table):
    with pytest.raises(UnknownJurisdictionError, match="重庆"):
        table.filter(jurisdictions="火星")
    with pytest.raises(UnknownDocumentError, match="hubei-carbon-2023"):
        table.filter(doc_ids="nope")
    with pytest.raises(RulesQueryError, match="construction_period"):
        table.filter(topic="nope")
    with pytest.raises(RulesQueryError, match="numeric"):
        table.filter(kind="nope")


def test_exports(table):
    t = table.filter(doc_ids="chongqing-carbon-2024", topic="expert_group_size")
    rows = t.to_rows()
    assert rows[0]["value"] == [3, 5] and rows[0]["kind"] == "numeric"
    csv_text = t.to_csv()
    assert csv_text.splitlines()[0] == "id,doc_id,jurisdiction,article,kind,topic,label,value,unit,comparator,item,quote,start,end,note"
    assert "人数原则为3—5人" in csv_text
    data = json.loads(t.to_json())
    assert data["rules"][0]["id"] == "chongqing-carbon-2024:第十七条:expert_group_size:1"
    out = format_rules_table(t.to_rows())
    assert "专家组人数" in out and "3—5人" in out and "第十七条" in out


def test_topics_listed_in_display_order(table):
    topics = table.filter(doc_ids="chongqing-carbon-2024").topics()
    assert topics[:2] == ["construction_period", "acceptance_lead_time"]
    assert isinstance(table, RulesTable)
