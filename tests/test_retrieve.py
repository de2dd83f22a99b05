import json
import logging

import pytest
from typer.testing import CliRunner

from assistant.errors import BadQuestionError, UnknownDocumentError, UnknownJurisdictionError
from assistant.retrieve import RRF_K, Retriever, prepare_query, rrf

# -- fusion (pure) ----------------------------------------------------------------------


def test_rrf_scores_and_ranks():
    fused = rrf({"bm25": ["a", "b", "c"], "dense": ["b", "a", "d"]}, k=60)
    assert [cid for cid, _, _ in fused] == ["a", "b", "c", "d"]  # a and b tie: first seen wins
    a, b, c, d = fused
    assert a[1] == pytest.approx(1 / 61 + 1 / 62) and b[1] == pytest.approx(a[1])
    assert c == ("c", pytest.approx(1 / 63), {"bm25": 3})
    assert d == ("d", pytest.approx(1 / 63), {"dense": 3})
    assert a[2] == {"bm25": 1, "dense": 2} and b[2] == {"bm25": 2, "dense": 1}


@pytest.mark.parametrize("rankings, k, weights, expected", [
    ({"bm25": ["x"], "dense": []}, 60, None, ["x"]),
    ({"bm25": [], "dense": []}, 60, None, []),
    ({"bm25": ["a", "b"], "dense": ["b", "a"]}, 1, {"bm25": 2.0, "dense": 1.0}, ["a", "b"]),
    ({"bm25": ["a", "b"], "dense": ["b", "a"]}, 1, {"bm25": 1.0, "dense": 2.0}, ["b", "a"]),
    ({"bm25": ["a", "b", "c"], "dense": ["c"]}, 60, None, ["c", "a", "b"]),  # both lists beat one
    ({"bm25": ["a", "a", "b"], "dense": []}, 60, None, ["a", "b"]),  # a duplicate counts once
])
def test_rrf_orders(rankings, k, weights, expected):
    assert [cid for cid, _, _ in rrf(rankings, k=k, weights=weights)] == expected


def test_rrf_duplicate_keeps_best_rank():
    (cid, score, ranks), *_ = rrf({"bm25": ["a", "a"]}, k=RRF_K)
    assert ranks == {"bm25": 1} and score == pytest.approx(1 / (RRF_K + 1))


@pytest.mark.parametrize("query", ["", "   ", "\n\t", None])
def test_empty_query_is_a_bad_question(query):
    with pytest.raises(BadQuestionError, match="问题为空"):
        prepare_query(query, max_chars=2000)


def test_long_query_is_truncated_with_a_notice():
    text, notices = prepare_query("碳计量中心" * 4000, max_chars=2000)
    assert len(text) == 2000 and notices and "2000" in notices[0]


def test_query_is_normalised_like_documents():
    text, notices = prepare_query("  重慶  碳計量中心（一）  ", max_chars=100)
    assert text == "重庆碳计量中心(一)" and notices == []


# -- the shipped index ------------------------------------------------------------------


@pytest.fixture(scope="module")
def retriever(index_settings):
    return Retriever.load(index_settings)


@pytest.mark.parametrize("question, jurisdiction, doc_id, article", [
    ("重庆碳计量中心筹建期限几年", "重庆", "chongqing-carbon-2024", "第十四条"),
    ("天津计量数据中心验收考核不合格整改", "天津", "tianjin-data-2025", "第十七条"),
    ("湖北验收专家组几个人", "鄂", "hubei-carbon-2023", "第十四条"),
    ("重庆碳计量中心哪些情况下会被摘牌", "渝", "chongqing-carbon-2024", "第二十九条"),
    ("江西到2025年社会公用计量标准总数", "江西", "jiangxi-interview-2023", None),
])
def test_hybrid_finds_the_article(retriever, question, jurisdiction, doc_id, article):
    hits = retriever.search(question, k=3, jurisdictions=[jurisdiction])
    assert any(h.chunk.doc_id == doc_id and (article is None or h.chunk.article == article) for h in hits), \
        [(h.chunk.doc_id, h.chunk.article) for h in hits]


def test_hit_carries_chunk_metadata_and_component_ranks(retriever, doc_by_id):
    hit = retriever.search("重庆碳计量中心年度工作总结报送时间", k=1, jurisdictions="重庆市")[0]
    c = hit.chunk
    assert (c.doc_id, c.jurisdiction, c.kind) == ("chongqing-carbon-2024", "重庆", "regulation")
    assert c.title == "重庆市市级碳计量中心管理办法" and c.chapter.startswith("第五章")
    assert c.article == "第二十四条" and c.article_number == 24
    assert doc_by_id[c.doc_id].text[c.start:c.end] == c.text
    assert set(hit.ranks) <= {"bm25", "dense"} and hit.ranks and all(r >= 1 for r in hit.ranks.values())
    assert hit.score > 0


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_modes_report_their_own_ranks(retriever, mode):
    hits = retriever.search("筹建期限", k=5, mode=mode)
    assert len(hits) == 5
    if mode != "hybrid":
        assert [h.ranks for h in hits] == [{mode: r} for r in range(1, 6)]
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    keys = [(h.chunk.doc_id, h.chunk.article) for h in hits]
    assert len(keys) == len(set(keys))  # an article split into parts appears once


@pytest.mark.parametrize("alias, canonical", [("鄂", "湖北"), ("湖北省", "湖北"), ("渝", "重庆"),
                                              ("重庆市", "重庆"), ("津", "天津"), ("天津市", "天津")])
def test_jurisdiction_aliases_filter(retriever, alias, canonical):
    for mode in ("hybrid", "bm25", "dense"):
        hits = retriever.search("验收考核", k=8, jurisdictions=[alias], mode=mode)
        assert hits and {h.chunk.jurisdiction for h in hits} == {canonical}


def test_doc_and_kind_filters(retriever):
    hits = retriever.search("计量", k=10, doc_ids=["hubei-data-2023"])
    assert hits and {h.chunk.doc_id for h in hits} == {"hubei-data-2023"}
    hits = retriever.search("计量发展目标", k=10, kinds=["plan", "news"])
    assert hits and {h.chunk.kind for h in hits} <= {"plan", "news"}
    assert retriever.search("计量", doc_ids=["hubei-data-2023"], jurisdictions=["重庆"]) == []


def test_unknown_filters_are_clear_errors(retriever):
    with pytest.raises(UnknownJurisdictionError) as err:
        retriever.search("筹建", jurisdictions=["广东"])
    assert "广东" in str(err.value) and all(j in str(err.value) for j in ("湖北", "重庆", "天津", "东营", "江西"))
    with pytest.raises(UnknownDocumentError, match="nope"):
        retriever.search("筹建", doc_ids=["nope"])
    with pytest.raises(BadQuestionError, match="regulation"):
        retriever.search("筹建", kinds=["law"])
    with pytest.raises(ValueError, match="hybrid"):
        retriever.search("筹建", mode="sparse")


def test_bad_queries(retriever, caplog):
    with pytest.raises(BadQuestionError):
        retriever.search("   ")
    with caplog.at_level(logging.WARNING):
        hits = retriever.search("碳计量中心验收" * 3000, k=3)  # 21,000 characters
    assert len(hits) == 3 and "truncated" in caplog.text
    assert retriever.search("How long may a carbon metrology centre take to build? 😀", k=3)
    assert retriever.search("😀🏗️", k=2)  # nothing lexical: dense still answers


def test_model_and_retriever_state_loaded_once(retriever, index_settings):
    from assistant.embed import get_embedder

    assert retriever.embedder is get_embedder(index_settings.embed_model)
    assert retriever.embedder.loaded
    again = Retriever.load(index_settings)
    assert again.embedder is retriever.embedder
    assert len(retriever.chunks) == len(again.chunks) > 150


def test_cli_search_json_and_batch(index_settings, tmp_path):
    from assistant.cli import app

    runner = CliRunner()
    env = {"PA_INDEX_DIR": str(index_settings.index_dir), "PA_CORPUS_DIR": str(index_settings.corpus_dir),
           "PA_CHROMA_URL": ""}
    result = runner.invoke(app, ["search", "重庆筹建期限", "-k", "2", "--jurisdiction", "渝", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["hits"]) == 2 and data["hits"][0]["doc_id"] == "chongqing-carbon-2024"
    assert {"doc_id", "article", "score", "ranks", "start", "end", "text"} <= set(data["hits"][0])

    result = runner.invoke(app, ["search", "重庆筹建期限", "-k", "2"], env=env)
    assert result.exit_code == 0 and "chongqing-carbon-2024" in result.output and "bm25 #" in result.output

    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "天津公示几天？", "type": "numeric"}\n\n'
                     '{"id": "b", "question": "湖北碳计量中心复查周期"}\n{"id": "c", "question": "  "}\n',
                     encoding="utf-8")
    result = runner.invoke(app, ["search", "--batch", str(batch), "--json", "-k", "3"], env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"] and rows[0]["type"] == "numeric"
    assert len(rows[0]["hits"]) == 3 and rows[1]["hits"][0]["doc_id"].startswith("hubei")
    assert rows[2]["hits"] == [] and "问题为空" in rows[2]["error"]


def test_cli_search_errors_are_one_line(index_settings, tmp_path):
    import subprocess
    import sys

    env = {"PA_INDEX_DIR": str(tmp_path / "none"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "assistant", "search", "筹建"], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 2 and "policy-assistant index" in proc.stderr and "Traceback" not in proc.stderr
    env["PA_INDEX_DIR"] = str(index_settings.index_dir)
    proc = subprocess.run([sys.executable, "-m", "assistant", "search", " "], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "问题为空" in proc.stderr and "Traceback" not in proc.stderr
