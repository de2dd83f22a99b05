"""How a question is read, 2026-12-01 (third) round, with phrasings written for the tests: the
head of two topic words written together, what a question asks after ("收到…后"), and the
asked clauses' intent when the user's story around them carries other cue words."""

from assistant.understand import understand


def test_the_later_of_two_topic_words_written_together_is_asked(docs):
    assert understand("津 计量数据中心验收申请初审时限是多少？", docs=docs).topics[0] == "initial_review_deadline"
    # one topic word alone keeps its topic
    assert understand("津 计量数据中心验收申请要提前多久？", docs=docs).topics[0] == "acceptance_lead_time"


def test_what_a_question_asks_after_is_not_its_topic(docs):
    query = understand("鄂 省局收到数据基地验收申请后几天内要初审？", docs=docs)
    assert query.topics[0] == "initial_review_deadline"


def test_the_users_story_does_not_set_the_intent(docs):
    story = "我们单位申请材料和流程都弄好了，"  # (流程, 材料: procedure words)
    assert understand(story + "想知道重庆碳计量中心的主要任务是啥？", docs=docs).intent == "task"
    assert understand("我们把申请材料的流程都走完了，现在想知道湖北碳计量中心每年要干哪些活？",
                      docs=docs).intent == "task"
    # a story clause that itself asks is kept: its cue words are part of the question
    assert understand("我们要交哪些材料？重庆碳计量中心申报", docs=docs).intent == "procedure"


def test_whether_one_may_apply_with_words_between(docs):
    for text in ("我们是一家检测公司，能不能作为主要建设方申报天津的数据中心？",
                 "科研院所可不可以单独去申请湖北的碳计量中心？", "想建渝碳计量中心得满足什么？",
                 "津 数据中心是不是只有企业才有资格？"):
        assert understand(text, docs=docs).intent == "eligibility", text


def test_a_topic_word_inside_another_topics_word_is_no_head(docs):
    query = understand("津 数据中心2025年10月10日批的筹建，要延期的话延期申请最晚哪天前要交？", docs=docs)
    assert query.topics[0] == "extension_lead_time"


def test_annual_materials_asked_by_their_deadline(docs):
    query = understand("鄂数据基地的年度材料啥时候截止？", docs=docs)
    assert query.topics[:1] == ("annual_report",) and query.intent == "numeric"
