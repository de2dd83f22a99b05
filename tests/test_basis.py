"""Which higher-level documents a document rests on (components/basis.py): the sentence near
its top that names them after 根据/依据/按照/贯彻落实, quoted — for a plan's opening paragraph and
a regulation's 第一条 alike; a question about the basis of a step is not about the document's."""

import pytest


@pytest.mark.parametrize("question, marker, words", [
    ("东营那份计量实施意见是根据哪些上级文件出台的？", "[东营·第1段]", "鲁政发〔2022〕15号"),
    ("天津计量数据中心办法的制定依据是什么？", "[天津·第一条]", "计量数字化转型攻坚行动方案"),
    ("渝碳计量中心管理办法依据了哪几个文件？", "[重庆·第一条]", "渝府发〔2022〕33号"),
])
def test_the_basis_sentence_is_quoted(engine, question, marker, words):
    answer = engine.ask(question)
    assert answer.topic == "basis" and marker in answer.answer and words in answer.answer, answer.answer


def test_a_comparison_of_bases_quotes_each(engine):
    answer = engine.ask("湖北和天津的计量数据办法分别依据什么上级文件制定？")
    assert "[湖北省计量数据建设应用基地·第一条]" in answer.answer and "[天津·第一条]" in answer.answer


def test_the_basis_of_a_step_is_not_the_documents():
    from assistant.components.basis import ASKS, OF_DOCUMENT

    for q in ("湖北碳计量中心验收依据哪个细则？", "公示完了谁拍板，依据哪些东西？"):
        assert not (ASKS.search(q) and OF_DOCUMENT.search(q))
