import json
from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.retrieval_eval import (first_relevant, format_retrieval_table, is_relevant, load_questions,
                                      question_filters, retrieval_metrics)
from assistant.types import Chunk, Hit

DEV = Path(__file__).resolve().parent.parent / "evals" / "dev.jsonl"


def _chunk(doc_id="d", article="第一条", text="正文", start=0, end=2, cid=None):
    return Chunk(id=cid or f"{doc_id}#{article}", doc_id=doc_id, article=article, article_number=1, text=text,
                 start=start, end=end, jurisdiction="重庆", kind="regulation", title="t")


@pytest.mark.parametrize("chunk, gold, relevant", [
    (_chunk("a", "第十四条"), {"doc_id": "a", "article": "第十四条"}, True),
    (_chunk("a", "第十四条"), {"doc_id": "a", "article": "第十五条"}, False),
    (_chunk("b", "第十四条"), {"doc_id": "a", "article": "第十四条"}, False),
    (_chunk("a", "(一)1.", "到2025年,全市初步建立…"), {"doc_id": "a", "quote": "到2025年，全市初步建立"}, True),
    (_chunk("a", "(一)1.", "到2025年,全市初步建立"), {"doc_id": "a", "quote": "到2035年"}, False),
    (_chunk("a", "", "x" * 50, 0, 50), {"doc_id": "a"}, False),  # a citation with neither field
])
def test_is_relevant(chunk, gold, relevant):
    assert is_relevant(chunk, gold) is relevant


def test_unlabelled_chunk_counts_when_it_covers_half_the_article(doc_by_id):
    doc = doc_by_id["chongqing-carbon-2024"]
    art = doc.article("第十四条")
    half = (art.start + art.end) // 2
    covering = _chunk(doc.id, "", doc.text[art.start - 30:half + 5], art.start - 30, half + 5, cid="node:1")
    grazing = _chunk(doc.id, "", doc.text[art.end - 20:art.end + 300], art.end - 20, art.end + 300, cid="node:2")
    gold = {"doc_id": doc.id, "article": "第十四条"}
    assert is_relevant(covering, gold, doc_by_id) and not is_relevant(grazing, gold, doc_by_id)


def test_first_relevant_rank():
    hits = [Hit(_chunk("a", "第二条"), 1.0), Hit(_chunk("a", "第三条"), 0.5)]
    assert first_relevant(hits, [{"doc_id": "a", "article": "第三条"}, {"doc_id": "z", "article": "第一条"}]) == 2
    assert first_relevant(hits, [{"doc_id": "a", "article": "第九条"}]) == 0


@pytest.mark.parametrize("question, expected", [
    ("重庆和天津验收的合格线一样吗？", ["重庆", "天津"]),
    ("鄂的碳计量中心复查周期", ["湖北"]),
    ("广东省碳计量中心的筹建期是几年？", []),  # not in the corpus: no filter
    ("碳计量中心验收的及格线是多少分？", []),
])
def test_filters_come_from_the_question_text(question, expected):
    assert question_filters(question, ["湖北", "重庆", "天津", "东营", "江西"]) == expected


class _Stub:
    """A retriever that returns fixed rankings per mode (pure metric arithmetic)."""

    jurisdictions = ["重庆"]
    settings = None

    def __init__(self, rankings):
        self.rankings = rankings
        self.calls = []

    def search(self, question, *, k, jurisdictions=None, mode="hybrid"):
        self.calls.append((question, jurisdictions, mode))
        return [Hit(_chunk("a", label), 1.0) for label in self.rankings[mode][question][:k]]


def test_metrics_arithmetic_and_skipping():
    questions = [
        {"id": "1", "question": "重庆甲", "gold_citations": [{"doc_id": "a", "article": "第一条"}]},
        {"id": "2", "question": "乙", "gold_citations": [{"doc_id": "a", "article": "第二条"}]},
        {"id": "3", "question": "丙", "gold_citations": []},  # unanswerable: skipped
    ]
    stub = _Stub({"bm25": {"重庆甲": ["第一条"], "乙": ["第九条", "第八条", "第七条", "第二条"]},
                  "hybrid": {"重庆甲": ["第三条", "第一条"], "乙": ["第七条"] * 10}})
    m = retrieval_metrics(questions, stub, modes=("bm25", "hybrid"), ks=(1, 3, 5), docs=[])
    assert (m["questions"], m["skipped"]) == (2, 1)
    assert m["modes"]["bm25"] == {"hit@1": 0.5, "hit@3": 0.5, "hit@5": 1.0, "mrr@10": round((1 + 1 / 4) / 2, 4)}
    assert m["modes"]["hybrid"] == {"hit@1": 0.0, "hit@3": 0.5, "hit@5": 0.5, "mrr@10": 0.25}
    assert ("重庆甲", ["重庆"], "bm25") in stub.calls and ("乙", None, "bm25") in stub.calls
    assert [row["ranks"] for row in m["per_question"]] == [{"bm25": 1, "hybrid": 2}, {"bm25": 4, "hybrid": 0}]
    table = format_retrieval_table(m)
    assert table.splitlines()[0] == "| metric | bm25 | hybrid |"
    assert "| hit@5 | **1.000** | 0.500 |" in table and "2 questions" in table
    with pytest.raises(ValueError, match="hybrid"):
        retrieval_metrics(questions, stub, modes=("colbert",), docs=[])


def test_load_questions_names_the_bad_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "a"}\n\n{"question": \n', encoding="utf-8")
    with pytest.raises(AssistantError, match="line 3"):
        load_questions(path)


@pytest.mark.slow
def test_dev_set_hybrid_beats_every_other_column(index_settings):
    if not DEV.exists():
        pytest.skip("evals/dev.jsonl is not there yet")
    from assistant.commands.retrieval import run_retrieval_eval

    m = run_retrieval_eval(index_settings, DEV)
    modes = m["modes"]
    assert set(modes) == {"bm25", "dense", "hybrid", "llamaindex"}
    assert m["questions"] >= 100 and m["skipped"] >= 1
    for other in ("bm25", "dense", "llamaindex"):
        assert modes["hybrid"]["hit@3"] > modes[other]["hit@3"], (other, modes)
    assert modes["hybrid"]["hit@3"] >= 0.95, modes
    print("\n" + format_retrieval_table(m))


def test_cli_eval_retrieval(index_settings, tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app

    path = tmp_path / "mini.jsonl"
    rows = [{"id": "q1", "question": "重庆的碳计量中心筹建最多给几年？",
             "gold_citations": [{"doc_id": "chongqing-carbon-2024", "article": "第十四条"}]},
            {"id": "q2", "question": "广东省碳计量中心的筹建期是几年？", "type": "unanswerable", "gold_citations": []}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    env = {"PA_INDEX_DIR": str(index_settings.index_dir), "PA_CORPUS_DIR": str(index_settings.corpus_dir),
           "PA_CHROMA_URL": ""}
    result = CliRunner().invoke(app, ["eval", str(path), "--retrieval", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["questions"], data["skipped"]) == (1, 1) and data["modes"]["hybrid"]["hit@5"] == 1.0
    result = CliRunner().invoke(app, ["eval", str(path), "--retrieval"], env=env)
    assert result.exit_code == 0 and "| metric | bm25 | dense | hybrid | llamaindex |" in result.output
