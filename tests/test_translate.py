"""English questions: the glossary reading and the English lead of the answer."""

import pytest

from assistant.translate import GlossaryError, english_lead, gloss, is_english, load_glossary


@pytest.mark.parametrize("question, expected", [
    ("What is the pass mark in Chongqing?", "重庆"),
    ("If the bureau receives it on 12 February 2026, by what date must it finish?", "2026年2月12日"),
    ("On March 3, 2025 we moved the center", "2025年3月3日"),
    ("Is the limit 7 working days?", "7个工作日"),
    ("Does Hubei require a public notice?", "吗？"),
    ("Our center scored 74 out of 100 in Hubei", "得了74分"),  # the user's own score
    ("We got 85 points in the assessment", "得了85分"),
    ("Our score was 79. Is that enough?", "得了79分"),
    ("What is the submission route in Tianjin?", "申报渠道"),  # a route of applying, as the documents say
    ("Who conducts the on-site review?", "由谁组织"),
    ("according to which standard?", "依据什么"),
])
def test_gloss(question, expected):
    assert expected in gloss(question)


def test_gloss_keeps_no_english():
    text = gloss("How long is the construction period for a Tianjin metrology data center?")
    assert is_english("How long?") and not is_english(text)
    assert "筹建期限" in text and "天津" in text and "多久" in text


def test_unknown_section_is_an_error(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("places: {hubei: 湖北}\nterm: {x: y}\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="term"):
        load_glossary(str(bad))


def test_english_lead_states_the_chinese_figure_first():
    from assistant.types import Citation

    cite = Citation("chongqing-carbon-2024", "t", "重庆", "第十九条", "…", 0, 1)
    lead = english_lead([{"value": 80, "unit": "分", "comparator": ">=", "text": "≥80分"}], [cite], abstained=False)
    assert lead.startswith("In brief: ≥80分 (at least 80 points) — Chongqing Art. 19")
    assert "do not answer" in english_lead([], [], abstained=True)


@pytest.mark.slow
def test_english_question_is_answered_like_its_chinese_twin(index_settings):
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    en = engine.ask("How many years does a Chongqing carbon metrology center have to complete construction?")
    zh = engine.ask("重庆碳计量中心筹建期几年？")
    assert not en.abstained and en.question.startswith("How many years")
    assert {(c.doc_id, c.article) for c in en.citations} >= {(c.doc_id, c.article) for c in zh.citations}
    assert en.answer.startswith("In brief:") and "3年" in en.answer


def test_an_added_jurisdiction_is_read_by_its_latin_alias():
    """`add --alias Lanzhou`: English questions name the added place like a built-in one."""
    glossary = load_glossary().with_places((("澜州市", ("澜", "Lanzhou")),))
    assert "澜州市" in gloss("What is the pass mark in Lanzhou?", glossary)
    assert glossary.place_name("澜州市") == "Lanzhou"
    assert "澜州市" not in gloss("What is the pass mark in Lanzhou?")  # unknown without the alias


def test_english_lead_says_the_verdict_first():
    lead = english_lead([], [], abstained=False, text="不算合格：您的得分74分，距合格还差6分（…）")
    assert lead.startswith("In brief: not a pass;")
    assert english_lead([], [], abstained=False, text="已经晚了：…").startswith("In brief: too late;")


def test_an_english_question_quoting_a_chinese_term_is_english():
    from assistant.translate import is_english
    assert is_english("How long does a Tianjin metrology data center (计量数据建设应用中心) have to finish construction?")
    assert not is_english("What is the 筹建期 of 重庆?")  # mostly the Chinese terms: read as Chinese
    assert not is_english("天津的KPI是什么")


def test_a_mixed_english_question_is_answered(engine):
    answer = engine.ask("How long does a Tianjin metrology data center (计量数据建设应用中心) normally have to finish construction?")
    assert not answer.abstained and "3年" in answer.answer and answer.answer.startswith("In brief")


def test_what_about_asks_the_previous_question_of_a_new_subject(engine):
    history = [{"role": "user", "content": "湖北数据基地年度总结几月交？"},
               {"role": "assistant", "content": "每年11月向省市场监管局书面报送年度工作总结报告。"}]
    answer = engine.ask("What about Chongqing's carbon center — same deadline, same content?", history=history)
    assert "[重庆·第二十四条]" in answer.answer and "11 月底前" in answer.answer
