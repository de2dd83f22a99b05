"""Multi-part questions: splitting into parts, and the engine answering each part."""

import pytest

from assistant.decompose import split_parts
from assistant.understand import load_vocabulary

WORDS = load_vocabulary().question_words


@pytest.mark.parametrize("question, parts", [
    ("重庆碳计量中心筹建期几年？", ["重庆碳计量中心筹建期几年？"]),
    ("湖北碳计量中心验收考核满分多少？多少分算合格？", ["湖北碳计量中心验收考核满分多少？", "多少分算合格？"]),
    ("天津那个办法是哪天印发、哪天开始施行的？中间隔了几天？",
     ["天津那个办法是哪天印发", "哪天开始施行的？", "中间隔了几天？"]),
    # a list of places with 这几个 names, it does not ask
    ("湖北、重庆、天津这几个办法里，验收现场考核多少分算合格？",
     ["湖北、重庆、天津这几个办法里，验收现场考核多少分算合格？"]),
    # 还有没有 is "is there still", not the connective 还有
    ("得了78分，算通过吗？如果不算，还有没有补救的机会？", ["得了78分，算通过吗？", "如果不算，还有没有补救的机会？"]),
    # a condition counting its case ("几家单位联合") states the case, it asks nothing
    ("要是几家单位一起联合筹建，谁牵头申报？", ["要是几家单位一起联合筹建，谁牵头申报？"]),
    ("What is the pass mark in Chongqing and how long is the rectification period?",
     ["What is the pass mark in Chongqing", "and how long is the rectification period?"]),
])
def test_split_parts(question, parts):
    assert [p.text for p in split_parts(question, WORDS)] == parts


def test_statements_are_context_of_every_part():
    parts = split_parts("我们是重庆的中心，2025年1月24日负责人换了。几天内报告？最晚哪天？", WORDS)
    assert [p.text for p in parts] == ["几天内报告？", "最晚哪天？"]
    assert all(p.question.startswith("我们是重庆的中心，2025年1月24日负责人换了。") for p in parts)


def test_too_many_parts_are_answered_as_one():
    question = "几年？几个月？几天？几人？几分？"
    assert len(split_parts(question, WORDS)) == 1


@pytest.mark.slow
def test_engine_answers_each_part(engine):
    """Two parts on two topics: both answered, each part listing its own citations."""
    answer = engine.ask("重庆碳计量中心验收专家组几个人？年度工作总结每年几月底前报送？")
    assert not answer.abstained
    assert len(answer.parts) == 2
    assert all(not p.abstained and p.citations for p in answer.parts)
    cited = {c.article for c in answer.citations}
    assert {"第十七条", "第二十四条"} <= cited
    text = "".join(answer.answer.split())  # quotes are the source's own text, spaces and all
    assert "3—5人" in text and "11月" in text


@pytest.mark.slow
def test_part_leaning_on_an_uncovered_subject_stays_uncovered(engine):
    answer = engine.ask("对重庆碳计量中心验收结论不服，可以申请复核吗？多长时间内提出？")
    assert answer.abstained


@pytest.mark.slow
def test_answer_json_has_parts(engine):
    from assistant.engine import answer_to_dict

    data = answer_to_dict(engine.ask("湖北碳计量中心验收考核满分多少？多少分算合格？"))
    assert isinstance(data["parts"], list)
    for part in data["parts"]:
        assert set(part) == {"text", "intent", "topic", "abstained", "citations"}
        assert all(0 <= i < len(data["citations"]) for i in part["citations"])


PART_WORDS = (*WORDS, *load_vocabulary().part_words)


@pytest.mark.parametrize("question, parts", [
    ("2023年世界计量日是第几个？主题是啥", ["2023年世界计量日是第几个？", "主题是啥"]),
    ("复查多久一次？合格以后呢，不合格又会怎样？", ["复查多久一次？", "合格以后呢", "不合格又会怎样？"]),
    ("筹建期几年？", ["筹建期几年？"]),
])
def test_other_question_words_split_parts(question, parts):
    assert [p.text for p in split_parts(question, PART_WORDS)] == parts


def test_an_english_question_is_split_as_asked(engine):
    answer = engine.ask("How often is a Chongqing carbon metrology center reviewed, and what happens if it fails the review?")
    assert [p.text for p in answer.parts][:1] == ["How often is a Chongqing carbon metrology center reviewed,"]


def test_choices_offered_belong_to_the_question_before_them():
    parts = split_parts("碳中心建成以后日常归谁管，省局还是市里？", PART_WORDS)
    assert [p.text for p in parts] == ["碳中心建成以后日常归谁管，省局还是市里？"]


def test_a_part_with_its_own_subject_takes_the_place_not_the_topic(engine):
    # the first part asks a count; the second asks how work is divided, in the same place
    answer = engine.ask("东营：第三部分下面列了几条？社会公用计量标准市县两级怎么分工？")
    second = answer.parts[-1]
    assert not second.abstained and "市级抓重点、县级抓基础" in answer.answer


def test_a_later_part_that_only_repeats_the_answer_gets_its_own_evidence(engine):
    # "复查过了有没有文件？" was answered by the cycle rule again and dropped as said; the part's
    # top article holds the sentence it asks about, which the answer had not quoted
    answer = engine.ask("重庆碳计量中心多久复查一次？复查过了有没有文件？")
    assert "每5年进行一次复查 [重庆·第二十八条]" in answer.answer
    assert "经复查合格的，由市市场监管局发文确认 [重庆·第二十八条]" in answer.answer
    assert len(answer.parts) == 2


def test_a_new_subject_with_ne_and_a_question_leaning_back_is_one_question(engine):
    # "天津那个数据中心呢，也是这么久？" asks the previous turn's question of a new subject
    history = [{"role": "user", "content": "湖北碳计量中心筹建期多长？"},
               {"role": "assistant", "content": "一般应于3年内完成（《湖北省碳计量中心建设管理办法》第十一条）。"}]
    answer = engine.ask("天津那个数据中心呢，也是这么久？", history=history)
    assert not answer.parts and "筹建工作一般应于3年内完成 [天津·第十一条]" in answer.answer


def test_a_part_about_a_named_attachment_abstains_while_the_other_part_is_answered(engine):
    # the corpus names the 验收报告 (附件5) without its text: that part says so; who organises
    # the acceptance is still answered from its article
    answer = engine.ask("津数据中心的验收是谁来组织的？验收报告要填哪些内容？")
    assert not answer.abstained and "[天津·第十四条]" in answer.answer
    assert "组织专家组" in answer.answer and "没有它的正文" in answer.answer
    assert [p.abstained for p in answer.parts] == [False, True]


def test_a_question_only_about_a_named_attachment_still_abstains_whole(engine):
    answer = engine.ask("湖北碳计量中心验收评审细则里，各部分怎么打分、分值怎么分配？")
    assert answer.abstained and "没有它的正文" in answer.answer


def test_a_part_naming_a_place_but_no_kind_keeps_the_kind_the_question_named(engine):
    answer = engine.ask("碳计量中心泄露数据的，湖北和重庆各怎么处理？湖北还要求签什么协议？")
    assert "数据安全保密协议" in answer.answer
    # (湖北 alone would also mean the data base's rules: the question named the carbon centres for all parts)
    assert not any(c.doc_id == "hubei-data-2023" for c in answer.citations)
    # the rest of the article's one long sentence, not the clause already quoted again
    part = answer.answer.split("湖北还要求签什么协议")[-1]
    assert "数据安全保密协议" in part and "擅自泄露数据的由省市场监管局撤销" not in part


def test_the_users_own_story_ending_in_a_full_stop_is_context():
    # "还没定报哪个。" tells the user's case; the questions are the sentences with a question mark
    parts = split_parts("我们在湖北，有意申报省级碳计量中心，还没定报哪个。筹建期多长？延期最多多久？", WORDS)
    assert [p.text for p in parts] == ["筹建期多长？", "延期最多多久？"]
    # … but a first-person sentence asking indirectly (想知道…) is a question
    parts = split_parts("我想知道筹建期多长。延期最多多久？", WORDS)
    assert len(parts) == 2


def test_a_part_about_the_point_before_it_is_asked_with_it():
    parts = split_parts("拿到批准筹建以后，一般要求多长时间之内建完？这两类在这点上有区别吗？", WORDS)
    assert len(parts) == 1


def test_two_aspects_compared_are_two_comparisons():
    parts = split_parts("复查这块，鄂、渝、津的周期和复查不合格的后果一样吗？", WORDS)
    assert [p.text for p in parts] == ["复查这块，鄂、渝、津的周期一样吗", "复查这块，鄂、渝、津的复查不合格的后果一样吗"]
    # places joined by 和 before the 的 are not aspects
    assert len(split_parts("湖北和重庆的筹建期一样吗？", WORDS)) == 1
