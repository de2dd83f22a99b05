"""Lists and their differences, 2026-12-02 (second) round, with phrasings written for the tests:
an enumeration two documents share but for one item, whether a document writes another place's
revocation ground (a "no" is an answer, not an abstention), the items a news text announces
("从以下几个方面提出了工作要求") asked as 要求, and a kind's short form after a one-character
place abbreviation (鄂碳) scoping to that kind's document."""

import pytest

pytestmark = pytest.mark.slow


def test_an_item_only_one_enumeration_lists_is_the_difference(engine):
    answer = engine.ask("湖北和重庆碳计量中心的节能技术服务都包括哪些，区别在哪？")
    assert answer.intent == "comparison"
    assert "只有湖北碳计量中心办法列有“能平衡测试”" in answer.answer.split("\n")[0]


def test_whether_a_document_writes_another_places_ground_is_answered_no(engine):
    answer = engine.ask("听说“累计3年未完成年度考核”会被撤销资格，天津计量数据中心办法里有没有这一条？")
    assert answer.answer.startswith("没有：天津办法没有这样的撤销规定"), answer.answer
    assert not answer.abstained
    assert "[重庆·第二十九条]" in answer.answer


def test_the_requirements_a_news_text_announces_are_its_items_counted(engine):
    answer = engine.ask("江西省市场监管局就落实《实施意见》对全系统提出了哪些方面的要求？")
    for head in ("一是强化组织领导", "二是强化学习宣传", "三是落实工作责任", "四是加强协调联动"):
        assert head in answer.answer
    assert "以上共4个方面" in answer.answer


def test_a_kinds_short_form_after_an_abbreviation_scopes_to_that_kind(engine):
    answer = engine.ask("鄂碳的年度工作总结几月报？")
    assert answer.doc_ids == ("hubei-carbon-2023",), answer.doc_ids


def test_sentences_inside_one_list_item_give_the_item_whole(engine):
    # the best sentences lie in one item of the tasks list: the item whole, not two sentences of it
    answer = engine.ask("渝碳计量中心在人才队伍和科普上具体要干哪些事？")
    assert "人才矩阵" in answer.answer and "科普基地" in answer.answer


def test_plans_compared_for_a_year_say_which_state_figures(engine):
    answer = engine.ask("就2025年的目标而言，江西和东营哪一边写了具体的数字指标？")
    first = answer.answer.split("\n")[0]
    assert first.startswith("给出了2025年具体数字指标的是江西材料（"), first
    assert "1800项以上" in first and "东营的2025年目标没有具体数字" in first
    assert answer.topic == "target"  # each plan's goals for the year, side by side (not re-answered per document)
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_rule_about_another_stage_does_not_answer(engine):
    # "收到筹建申请后多久批复" is not the acceptance application's initial review ("收到验收申请资料后7个工作日内")
    answer = engine.ask("重庆市场监管局收到筹建申请以后，多久会给批复？")
    assert "7个工作日" not in answer.answer and "7 个工作日" not in answer.answer


def test_a_short_form_reads_as_the_long_form_in_a_text_that_never_writes_it(engine):
    # 东营 writes 碳达峰碳中和, never 双碳: its section on them answers
    answer = engine.ask("东营实施意见在双碳计量上安排了哪些工作？")
    assert "服务碳达峰碳中和目标实现" in answer.answer


def test_applying_directly_gets_a_verdict_from_the_route_sentence(engine):
    via = engine.ask("我们单位想申报重庆市级碳计量中心，可以直接交给市市场监管局吗？")
    assert via.answer.startswith("不能直接报：重庆办法要求先经市级主管部门或所在地区县人民政府同意"), via.answer
    excepted = engine.ask("湖北碳计量中心能不能直接报省局？")
    assert excepted.answer.startswith("不能直接报：") and "可直接向省市场监管局提出" in excepted.answer.split("\n")[0]
    direct = engine.ask("申报天津计量数据中心，是不是直接向市市场监管委提出就行？")
    assert direct.answer.startswith("可以：天津办法"), direct.answer


def test_a_case_with_a_guess_that_all_is_well_after_rectifying_gets_the_revocation(engine):
    # the act told in the user's words (没经允许…给了别人), the guess (整改一下就没事) set aside
    answer = engine.ask("湖北碳计量中心私自把没公布的数据给了合作单位，是不是整改一下就没事了？")
    assert answer.answer.startswith("会被撤销资格："), answer.answer
    assert "[湖北省碳计量中心·第二十一条]" in answer.answer
