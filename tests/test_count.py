"""Counts of listed items: "共N项" is counted from the provision rows and checked against them."""

import pytest

from assistant.check import check
from assistant.rules import build_rules_table


@pytest.fixture(scope="module")
def table(docs):
    return build_rules_table(docs)


def _listed(table, doc_id, article):
    return sum(1 for p in table.provisions if p.doc_id == doc_id and p.article == article and p.kind != "priority")


@pytest.mark.parametrize("doc_id, article, marker", [
    ("hubei-carbon-2023", "第七条", "湖北省碳计量中心·第七条"),
    ("chongqing-carbon-2024", "第二十九条", "重庆·第二十九条"),
])
def test_count_claims_are_checked_against_the_rows(table, docs, doc_id, article, marker):
    n = _listed(table, doc_id, article)
    assert n >= 2
    ok = check(f"{article}共列{n}项：… [{marker}]", table=table, docs=docs)
    assert {c.status for c in ok} == {"verified"}, ok
    bad = check(f"{article}共列{n + 1}项：… [{marker}]", table=table, docs=docs)
    assert any(c.status == "contradicted" for c in bad), bad


@pytest.mark.slow
@pytest.mark.parametrize("question, word", [
    ("天津计量数据中心的主要任务一共几项？", "项"),
    ("重庆碳计量中心被撤销资格的情形一共有几种？", "种"),
])
def test_count_question_states_the_count(question, word, engine, table):
    answer = engine.ask(question)
    assert not answer.abstained
    cited = answer.citations[0]
    n = _listed(table, cited.doc_id, cited.article)
    assert f"共列{n}{word}" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]


@pytest.mark.slow
def test_counting_words_with_a_unit_are_not_counts(engine):
    """"几个工作日" asks for a period, "几个人" for a size: no list count."""
    for question in ("天津市场监管委收到验收申请后几个工作日内初审？", "湖北验收专家组几个人？"):
        assert "共列" not in engine.ask(question).answer


@pytest.mark.slow
def test_plan_heading_sub_sections_are_counted(engine, docs):
    """A plan's heading "(二)…" with sections (二)1. … (二)N.: the count is the number of them."""
    plan = next(d for d in docs if d.meta.kind == "plan" and any(a.label.startswith("(二)") for a in d.articles))
    n = sum(1 for a in plan.articles if a.label.startswith("(二)") and a.label[3:].rstrip(".").isdigit())
    heading = plan.text[plan.article("(二)1.").start:].split("。")[0].split(",")[0].lstrip("(二)")
    answer = engine.ask(f"{plan.meta.jurisdiction}的实施意见第二大项“{heading}”下面具体列了几条？")
    assert f"下列{n}条" in answer.answer
    assert {c.article for c in answer.citations} >= {f"(二){i}." for i in range(1, n + 1)}


@pytest.mark.slow
def test_a_comparison_counts_each_document(engine, table):
    answer = engine.ask("湖北碳计量中心和湖北计量数据建设应用基地，申请条件分别列了几条？")
    for doc_id, article in {(c.doc_id, c.article) for c in answer.citations}:
        assert f"{article}共列{_listed(table, doc_id, article)}条" in answer.answer




def test_a_materials_list_states_how_many_and_the_checker_holds_it(engine, table, docs):
    answer = engine.ask("渝碳计量中心申报时需要递交哪些材料？")
    assert "第九条（共2项）" in answer.answer, answer.answer
    assert all(c.status == "verified" for c in answer.checks if "2项" in c.claim)
    bad = check("重庆办法第九条（共3项）：市级碳计量中心申请需提交以下材料 [重庆·第九条]", table=table, docs=docs)
    assert any(c.status == "contradicted" for c in bad), bad


@pytest.mark.parametrize("question, words", [
    ("湖北碳计量中心的主要职责分哪几方面？", "（共6个方面）"),  # the question's own measure
    ("湖北碳计量中心的主要职责有哪些？", "（共6项）"),  # none named: the documents' 项
])
def test_a_list_is_counted_in_the_measure_the_question_names(engine, question, words):
    assert words in engine.ask(question).answer


def test_measure_words():
    from assistant.writer import measure
    assert measure("提了哪几方面要求？") == "个方面"
    assert measure("验收分几个环节？") == "个环节"
    assert measure("条件有几条") == "条"
    assert measure("要满足几个条件？") == "项" and measure("几份办法里") == "项"
