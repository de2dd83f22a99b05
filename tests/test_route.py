"""Who an application or a report goes to (components/route.py): the article whose 向…提出/提交/
报送 sentence sends what the question asks about, quoted whole."""

import pytest


@pytest.mark.parametrize("question, article", [
    ("天津数据中心筹建完了，验收申请交给谁？", "[天津·第十二条]"),
    ("湖北计量数据基地申报，第一步找谁？", "[湖北省计量数据建设应用基地·第九条]"),
    ("鄂碳中心的年度总结报告交给谁？", "[湖北省碳计量中心·第十九条]"),
    ("渝碳计量中心申请验收前要先经过谁同意？", "[重庆·第十五条]"),
])
def test_the_route_of_what_is_asked_is_quoted(engine, question, article):
    answer = engine.ask(question)
    first = answer.answer.split("\n")[0]
    assert not answer.abstained and answer.topic == "route" and article in first
    assert "延期" not in first  # not the extension route (another step)


def test_a_question_asking_no_body_is_not_routed(engine):
    answer = engine.ask("湖北碳计量中心申请要满足哪些条件？")
    assert answer.topic != "route" and "第七条" in answer.answer


def test_a_question_asking_whether_to_submit_directly_is_routed(engine):
    answer = engine.ask("天津数据中心是申请单位自己直接报市里吗？")
    assert answer.topic == "route" and "[天津·第九条]" in answer.answer


@pytest.mark.parametrize("question, article", [
    ("渝碳中心交验收申请前要谁先点头？", "[重庆·第十五条]"),
    ("重庆市级碳计量中心，我们单位能不能自己直接把申请递给市市场监管局？", "[重庆·第八条]"),
])
def test_who_consents_first_and_handing_in_directly_are_routed(engine, question, article):
    answer = engine.ask(question)
    # (a question whether to hand in directly gets its verdict line first, then the article)
    assert answer.topic == "route" and article in "\n".join(answer.answer.split("\n")[:2])


def test_a_part_leaning_on_an_earlier_step_is_not_routed_as_the_application(engine):
    # "…又要谁先同意？" names no step of its own; the application route would answer another step
    answer = engine.ask("湖北计量数据建设应用基地完成筹建后，验收申请怎么提？重庆碳计量中心又要谁先同意？")
    assert "[重庆·第十五条]" in answer.answer
