"""Answer shapes from the blind set of 2026-12-01's failure classes, each tested with phrasings
written for the tests (not copied from an eval set): a second part asked with 干嘛, a
premise's count that is not asked, an issue date asked in any word order, a deadline counted
back from an expiry the user gives, a length of time nothing states, a walk through a process
asked as "怎么搞", a plan's sentences on one area, an English idiom, a rule of a kind a place
has no document of."""

import pytest

from assistant.components.dates import asks_gap
from assistant.decompose import split_parts
from assistant.translate import gloss
from assistant.understand import load_vocabulary, understand

WORDS = (*load_vocabulary().question_words, *load_vocabulary().part_words)


def test_a_clause_asking_with_ganma_is_a_part_of_its_own():
    parts = split_parts("天津数据中心几年复查一次？负责人换了要干嘛", WORDS)
    assert [p.text for p in parts] == ["天津数据中心几年复查一次？", "负责人换了要干嘛"]
    # an A-not-A inside a statement ("在考虑要不要申请") asks nothing of its own
    assert len(split_parts("我们在考虑要不要申请重庆碳计量中心，获批后有多少补贴？", WORDS)) == 1


def test_an_enumeration_joined_by_a_dun_comma_stays_one_question():
    parts = split_parts("湖北数据基地除了数据服务，有没有标准研制、人才培养这类任务？", WORDS)
    assert len(parts) == 1


def test_a_count_in_a_premise_is_not_what_is_asked(docs):
    q = understand("天津数据中心几家单位一起申报的话由谁负责申报？", docs=docs)
    assert not q.asks_number and not q.asked_units
    assert understand("天津数据中心最多几家单位可以一起申报？", docs=docs).asks_number


def test_the_issue_date_is_asked_in_either_word_order(docs):
    for text in ("天津办法是什么时间印发的？", "重庆办法的印发时间？", "天津数据中心办法出台于哪年？"):
        assert understand(text, docs=docs).metadata == "issued", text
    assert not understand("天津办法自发布之日起施行，具体哪天？", docs=docs).metadata


def test_a_gap_between_other_events_is_not_the_issue_to_effect_gap():
    assert asks_gap("天津办法印发后隔了多久才生效？")
    assert not asks_gap("湖北数据基地被撤销资格后隔多久能重新申报？")


def test_costing_a_status_is_losing_it_not_a_fee():
    assert "费用" not in gloss("Which failure would cost a Hubei carbon metrology center its qualification?")
    assert "费用" in gloss("How much does applying cost?")


@pytest.mark.slow
def test_a_multi_part_question_keeps_a_part_the_whole_could_not_answer(engine):
    answer = engine.ask("中央驻鄂单位能不经过市州直接申报湖北碳计量中心吗？三家一起搞的话谁来报？")
    assert not answer.abstained
    assert "主要建设方负责申报" in answer.answer and "可直接向省市场监管局" in answer.answer


@pytest.mark.slow
def test_both_the_issue_and_the_effective_date_of_two_documents(engine):
    answer = engine.ask("湖北那两个办法分别是什么时间印发、什么时间施行的？")
    assert "2023年2月17日" in answer.answer and "2023年3月1日" in answer.answer
    assert len(answer.parts) == 2


@pytest.mark.slow
def test_an_expiry_the_user_gives_is_counted_back_with_the_rule_the_question_names(engine):
    answer = engine.ask("天津数据中心筹建期到2027年5月31日，今天2027年3月15日，还能申请延期验收吗？")
    assert answer.answer.startswith("已经晚了")
    assert "2027年2月28日" in answer.answer and "申请延期验收考核" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]


@pytest.mark.slow
def test_a_length_of_time_no_article_states_is_not_answered_with_other_rules(engine):
    answer = engine.ask("湖北数据基地被撤销资格后，要过多久才能重新申报？")
    assert answer.abstained and "没有给出" in answer.answer


@pytest.mark.slow
def test_how_an_assessment_is_done_walks_its_articles_through_the_scoring(engine):
    answer = engine.ask("重庆碳中心的验收考核是怎么进行的？").answer
    for label in ("第十七条", "第十八条", "第十九条"):
        assert label in answer, label
    assert "100分" in answer


@pytest.mark.slow
def test_a_plan_area_gathers_the_sentences_of_every_section_naming_it(engine):
    answer = engine.ask("东营计量意见里石油方面有哪些安排？").answer
    assert "积极筹建产业计量中心" in answer and "计量技术取得重大突破" in answer


@pytest.mark.slow
def test_a_rule_of_a_kind_the_place_has_no_document_of_is_not_borrowed(engine):
    answer = engine.ask("天津的碳计量中心验收满分多少？")
    assert answer.abstained
    assert "碳计量中心" in answer.answer


def test_a_purpose_clause_does_not_ask_for_the_basis():
    from assistant.components.basis import ASKS
    assert not ASKS.search("东营为落实实施意见提了哪些重点任务")
    assert ASKS.search("东营这个意见是根据哪些文件制定的")


@pytest.mark.slow
def test_the_aspects_a_news_text_announces_are_listed_under_a_purpose_clause(engine):
    answer = engine.ask("江西市场监管局为贯彻实施意见部署了哪几方面工作要求？").answer
    assert "强化组织领导" in answer and "加强协调联动" in answer


def test_the_effective_date_is_asked_with_words_between_when_and_the_verb(docs):
    assert understand("重庆这个办法究竟从哪一天起正式实行？", docs=docs).topics[:1] == ("effective_date",)


@pytest.mark.slow
def test_a_short_article_is_given_whole_with_its_rule(engine):
    answer = engine.ask("天津数据中心考核多少分及格？").answer
    assert "80分及以上" in answer and "限期3个月整改" in answer


@pytest.mark.slow
def test_a_users_figure_over_a_limit_gets_a_verdict_the_checker_can_recompute(engine):
    answer = engine.ask("天津数据中心的筹建期有4年吗？")
    assert answer.answer.startswith("不符合") and "超出1年（您给出的4年－" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]
    assert "已删除" not in answer.answer


def test_a_score_the_assessment_gave_is_the_users(docs):
    assert understand("天津数据中心现场考核才76分，差四分，会直接判不合格吗？", docs=docs).scores == (76.0,)
    assert not understand("重庆碳中心验收考核满分100分吗？", docs=docs).scores


@pytest.mark.slow
def test_an_approval_date_and_a_later_one_count_back_the_lead_time_asked(engine):
    answer = engine.ask("天津数据中心2024年9月1日批准筹建，打算2027年7月1日再交延期申请，来得及吗？").answer
    assert answer.startswith("已经晚了") and "2027年6月1日" in answer and "申请延期验收考核" in answer


@pytest.mark.slow
def test_a_plan_goal_asked_as_a_state_gets_the_goal_sentence(engine):
    answer = engine.ask("江西到2035年计量想做成什么样子？")
    assert not answer.abstained and "2035年" in answer.answer and "现代先进测量体系" in answer.answer


@pytest.mark.slow
def test_a_wrong_period_the_user_offers_gets_a_verdict(engine):
    answer = engine.ask("天津数据中心现场考核不合格的话，是不是给两年时间整改？")
    assert answer.answer.startswith("不符合") and "不超过一年" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]


@pytest.mark.slow
def test_a_follow_up_pointing_at_a_block_of_the_list_shown_is_answered_whole(engine):
    history = [{"role": "user", "content": "东营实施意见的保障措施有几项？"},
               {"role": "assistant", "content": "四项：加强组织领导；加强政策支持；推进计量文化建设；狠抓工作落实。"}]
    answer = engine.ask("第三块具体讲了啥？有几句？", history=history)
    assert "推进计量文化建设" in answer.answer and not answer.parts
    assert "加强组织领导" not in answer.answer


def test_english_years_and_aims_are_read_as_a_plan_asks_them():
    text = gloss("What does Jiangxi aim to achieve by 2035 under notice 赣〔2023〕3号?")
    assert "到2035年" in text and "目标" in text and "〔2023〕" in text
    assert "施行日期" in gloss("What is the start date of the Tianjin measures?")


@pytest.mark.slow
def test_an_applicants_own_record_is_held_against_the_conditions_not_the_grounds(engine):
    answer = engine.ask("我们公司三年半前被罚过款，现在申报天津计量数据中心会受影响吗？")
    assert answer.intent == "eligibility" and "(六)" in answer.answer and "已删除" not in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]
    recent = engine.ask("我们单位一年前发生过生产安全事故，被处理过，会影响申请天津计量数据中心吗？")
    assert recent.intent == "eligibility" and "不符合" in recent.answer


@pytest.mark.slow
def test_items_listed_inside_one_sentence_are_counted(engine):
    answer = engine.ask("重庆碳中心验收的现场审查有几个环节？")
    assert "现场审查分3个环节：首次会议、现场核查、末次会议" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]
