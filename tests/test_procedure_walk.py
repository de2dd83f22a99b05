"""A process between two events (components/procedure.walk): the articles from the step the
question starts at to the one it ends at, in the document's order."""

import re


def _labels(answer):
    return re.findall(r"办法(第[一二三四五六七八九十]+条)：", answer.answer)


def test_from_one_step_to_another_walks_the_articles_between(engine):
    answer = engine.ask("天津计量数据中心从递交申请到函复批准筹建，中间都要经过什么？")
    assert _labels(answer) == ["第九条", "第十条"]
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_the_walk_starts_in_the_chapter_it_ends_in(engine):
    # "申请" is also said by the scope article (第二条, 总则): the process starts where the
    # approval chapter does, and the publicity period on the way is stated
    answer = engine.ask("渝市级碳计量中心从提交申请一直到批准筹建，大概要走哪些步骤？")
    labels = _labels(answer)
    assert labels[0] in ("第八条", "第九条") and labels[-1] == "第十三条"
    assert "7天" in answer.answer


def test_after_an_event_walks_to_the_end_of_its_chapter(engine):
    answer = engine.ask("重庆市局收到碳计量中心的建设申请以后要走哪些程序？")
    labels = _labels(answer)
    assert labels[0] == "第十一条" and labels[-1] == "第十三条"


def test_after_a_step_until_another_walks_to_the_one_named_after_cai(engine):
    # "…以后，市局要走哪几步才会批筹？": from the step named to the one after 才, not the materials list
    answer = engine.ask("重庆碳中心的材料交上去以后，市局要走哪几步才会批筹？")
    labels = _labels(answer)
    assert labels[-1] == "第十三条" and {"第十一条", "第十二条"} <= set(labels)
    assert "7天" in answer.answer


def test_step_by_step_after_an_event_is_a_process(engine):
    answer = engine.ask("交了验收申请以后，重庆这边后面一步步怎么走？")
    labels = _labels(answer)
    assert answer.intent == "procedure" and labels[0] == "第十五条" and "第十九条" in labels


def test_whether_a_step_comes_at_once_after_another_gives_the_steps_that_follow(engine):
    answer = engine.ask("重庆市级碳计量中心的建设申请交上去后，是不是直接组织专家现场验收？")
    assert answer.answer.startswith("重庆办法第十一条：收到市级碳计量中心建设申请后")
    assert "形式审查" in answer.answer and "[重庆·第十二条]" in answer.answer
