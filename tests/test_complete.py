"""Completion (assistant/complete.py): what the question asks of a cited article beyond the
sentence its component quotes is added from that article, and nothing when nothing is missing."""


def test_the_rest_of_a_cited_article_answers_what_the_rule_sentence_leaves_out(engine):
    answer = engine.ask("渝碳计量中心的复查合格以后呢？")
    assert not answer.abstained
    assert "发文确认" in answer.answer and "还规定" in answer.answer
    added = [c for c in answer.citations if c.doc_id == "chongqing-carbon-2024" and c.article == "第二十八条"]
    assert len(added) >= 2  # the cycle sentence and the one after it, each cited


def test_nothing_is_added_when_the_draft_covers_the_question(engine):
    import re

    answer = engine.ask("重庆碳计量中心筹建期几年？")
    # (the numeric component gives a short article whole as 同条还规定; completion adds nothing more)
    assert not answer.abstained and not re.search(r"第[一二三四五六七八九十]+条还规定", answer.answer)
    assert answer.answer.count("还规定") <= 1



def test_a_short_plan_paragraph_is_given_whole_for_a_question_asking_no_number(engine):
    answer = engine.ask("东营为乡村振兴在计量上干点啥？")
    # the paragraph whole: its first sentences and the rest (同段接着写道, or quoted whole at once)
    assert "加大对涉农物资的计量监管" in answer.answer and "计量服务下乡" in answer.answer
    assert "乡村计量科普讲座" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_number_asked_of_a_plan_gets_its_sentence_not_the_paragraph(engine):
    answer = engine.ask("江西到2025年注册计量师占比要达到多少？")
    assert "60%" in answer.answer and "同段接着写道" not in answer.answer


def test_a_year_given_only_inside_a_quoted_title_is_stated(engine):
    answer = engine.ask("江西省局那份重点任务责任分工文件，管到哪年？")
    assert "所问的年份见所引文件名：至2025年" in answer.answer


def test_no_title_year_line_when_the_year_is_stated(engine):
    answer = engine.ask("江西到哪年注册计量师占比要达到60%？")
    assert "所问的年份见所引文件名" not in answer.answer


def test_a_counted_term_the_text_defines_is_answered_by_its_definition(engine):
    # 第7段 only announces "3项重点任务"; 第8段 says what they are, and its items follow
    answer = engine.ask("江西双碳计量那份方案里说的3项重点任务具体指什么？")
    assert "3项重点任务是指完善计量技术体系" in answer.answer and "健全计量服务体系" in answer.answer
    assert "[江西·第8段]" in answer.answer


def test_a_counted_term_nobody_defines_leaves_the_draft(engine):
    answer = engine.ask("重庆碳计量中心的主要任务有哪些？")
    assert "第六条" in answer.answer


def test_an_announced_count_before_its_split_items_in_a_new_document():
    # an invented jurisdiction's plan: "三项工作。一是…二是…三是…" is announced, not defined with 是指
    from assistant.compose import Composer
    from assistant.complete import defined
    from assistant.rules import build_rules_table
    from assistant.segment import segment_text
    from assistant.types import DocMeta
    from assistant.understand import understand
    from assistant.writer import Draft

    text = "云泽省计量工作要点\n今年重点抓好三项工作。一是健全标准体系。二是提升数据能力。三是加强人才培养。\n"
    doc = segment_text(text, DocMeta(id="yz-plan", title="云泽省计量工作要点", jurisdiction="云泽省", level="省",
                                     kind="plan", source="yz.txt"))
    composer = Composer([doc], build_rules_table([doc]))
    draft = defined(composer, understand("云泽那三项工作是哪三项？", docs=[doc]), Draft(text="（别的段落）", intent="task"))
    assert "今年重点抓好三项工作" in draft.text
    assert [line for line in draft.text.splitlines() if line.startswith("- ")][1].startswith("- 提升数据能力")


def test_an_announcing_sentence_gets_the_items_of_the_sections_after_it(engine):
    # a draft quoting 第2段's last sentence "…并从以下几个方面提出了工作要求。": the sections after
    # it (一是…四是) are the list it announces
    from assistant.complete import announced
    from assistant.writer import Writer, sentence_spans

    composer = engine.composer
    doc = composer.docs["jiangxi-interview-2023"]
    art = doc.article("第2段")
    s, e = sentence_spans(doc, art)[-1]
    out = Writer(composer)
    out.line(f"{composer.who(doc)}：{composer.quote_span(out, doc, art, s, e)}。")
    q = engine.understand("江西省局提了哪些工作要求？")
    text = announced(composer, q, out.draft("task")).text
    assert "第2段所列共4项" in text
    for item in ("强化组织领导", "强化学习宣传", "落实工作责任", "加强协调联动"):
        assert item in text
    assert announced(composer, q, announced(composer, q, out.draft("task"))).text.count("强化组织领导") == 1


def test_sub_items_of_another_label_style_are_not_counted(engine):
    # 东营 "提出了四项主要任务,包括:" — (一)…(四), each with its own 1. 2. … sub-items
    from assistant.complete import _following_items

    doc = next(d for d in engine.docs if d.id == "dongying-plan")
    art = next(a for a in doc.articles if "四项主要任务" in a.text)
    assert [doc.text[a.start:a.start + 3] for a in _following_items(doc, art)] == ["(一)", "(二)", "(三)", "(四)"]


def test_a_long_questions_own_ask_is_completed_apart_from_its_story(engine):
    # the story (搬家, 环境变了) fills the subject; the asked sentence alone finds 第二十四条's last
    # sentence, which the deadline answer leaves out
    answer = engine.ask("渝碳计量中心明年要从老院区迁到新园区，实验室环境整个换了。需不需要重新考核？")
    assert "当地址环境发生变化时，应进行现场考核" in answer.answer


def test_an_ordinal_asked_in_many_words_and_a_news_text_that_writes_rather_than_rules(engine):
    answer = engine.ask("新华网访谈那天是第几个世界计量日？")
    assert not answer.abstained and "第24个" in answer.answer
    assert any(v["value"] == 24 and v["unit"] == "个" for v in answer.values)
    assert "还规定" not in answer.answer  # (an interview sets no rules: what it adds it 还写道)
