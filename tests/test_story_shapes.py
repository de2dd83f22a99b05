"""Answer shapes of the 2026-12-01 (second) round, on a news text added under an invented name
(tests/fixtures/news_heshan.txt, 禾山市) and on the shipped corpus, each with phrasings written
for the tests: a day a news text names, an ordinal offered for confirmation, the user's share of
their own two figures against a percentage target, whether a plan lists a measure (and how
many it lists), whether one condition suffices, a review step asked as 只审书面材料, and the
user's story told around a question."""

from pathlib import Path

import pytest

from assistant.understand import understand

from workspace import engine_with_news, no_contradiction

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def heshan(index_settings, tmp_path_factory):
    return engine_with_news(index_settings, tmp_path_factory, FIXTURES / "news_heshan.txt", "禾山市",
                            "禾山市举办世界计量日宣传活动", "heshan-news-2026")


def test_a_day_a_news_text_names_answers_which_day(heshan):
    answer = heshan.ask("禾山那次世界计量日活动是几月几号？")
    assert not answer.abstained and "2026年5月20日" in answer.answer
    assert any(v.get("value") == "2026-05-20" for v in answer.values)


def test_an_ordinal_offered_for_confirmation_gets_a_verdict(heshan):
    answer = heshan.ask("禾山搞活动那天是第26个世界计量日吧？")
    assert answer.answer.startswith("不是：文件写的是第27个"), answer.answer
    assert heshan.ask("禾山那天是第27个世界计量日，对吗？").answer.startswith("是：")
    no_contradiction(answer)


def test_the_users_share_of_two_figures_against_a_percentage_target(heshan):
    answer = heshan.ask("禾山 我们机构40个人里有20个注册计量师，够不够2028年的目标？")
    assert "不够：您的占比50%（您给出的20个÷40个），低于目标55%，还差5个百分点" in answer.answer, answer.answer
    no_contradiction(answer)
    enough = heshan.ask("禾山 我们机构40个人里有24个注册计量师，达标没？")
    assert "够：您的占比60%" in enough.answer, enough.answer
    no_contradiction(enough)


def test_whether_a_plan_lists_a_measure_names_the_list_and_its_count(heshan):
    answer = heshan.ask("禾山的保障措施里有没有加大经费投入这一条？")
    assert answer.answer.startswith("有："), answer.answer
    assert "（共3项）" in answer.answer and "强化人才支撑" in answer.answer


def test_one_condition_does_not_suffice(engine):
    answer = engine.ask("想申请天津的计量数据中心，光有独立法人资格就行了吧？")
    assert answer.answer.startswith("不够："), answer.answer
    assert "共6项" in answer.answer


def test_a_review_asked_as_paper_only_reaches_the_review_article(engine):
    # (the word 材料 alone does not make it a question of what to submit; "是不是光看书面材料，不去
    # 现场？" still reaches 第九条 — 现场 is not the text's 实地, a gap left open)
    answer = engine.ask("天津数据中心申请递交后，是只审材料还是也要实地核查？")
    first = answer.citations[0]
    assert (first.doc_id, first.article) == ("tianjin-data-2025", "第十条"), answer.answer


def test_the_users_story_is_not_the_subject(docs):
    q = understand("我们单位在做年度培训计划，我负责整理材料，想问天津数据中心验收合格以后多少年复查一次？", docs=docs)
    own, asked = q.asked_terms
    assert own == q.terms and "培训" in own and "培训" not in asked and "复查" in asked
    # a story that holds the subject stays: nothing else would be left to match
    q = understand("我们中心搬了新址，需要报告吗？", docs=docs)
    assert q.asked_terms[1] == ""


def test_a_figure_offered_for_confirmation_against_a_target(heshan):
    answer = heshan.ask("禾山到2028年注册计量师占比目标是50%，对吗？")
    assert answer.answer.startswith("不是：文件写的是“") and "55%" in answer.answer.split("\n")[0], answer.answer
    assert heshan.ask("禾山到2028年注册计量师占比要达到55%，对吧？").answer.startswith("是：")
    no_contradiction(answer)


def test_a_users_count_against_a_range_the_rules_state(engine):
    # no topic word (专家组人数) in the question: the one rule topic stated in persons decides
    answer = engine.ask("重庆那边验收我们来了7个专家，这人数行不行？")
    assert answer.answer.startswith("不符合：您给出的7人不在“人数原则为3—5人”的范围内"), answer.answer
    assert engine.ask("重庆验收时到了3个专家，合规吗？").answer.startswith("在规定之内：")
    no_contradiction(answer)
