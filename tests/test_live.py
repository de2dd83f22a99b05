"""LiveEngine: the server's engine follows add/remove done by another process, one corpus per request."""

from pathlib import Path

from assistant.live import LiveEngine
from assistant.manage import add_document, remove_document
from workspace import copy_workspace

FIXTURES = Path(__file__).parent / "fixtures"


def _copy(index_settings, tmp_path):
    return copy_workspace(index_settings, tmp_path)


def test_engine_follows_add_and_remove(index_settings, tmp_path):
    s = _copy(index_settings, tmp_path)
    live = LiveEngine(s, check_interval=0)
    old = live.current()
    assert "sichuan-carbon-2026" not in {d.id for d in old.docs}

    # the manifest changes first; until the index follows, the old engine keeps answering
    add_document(s, FIXTURES / "newreg_sichuan.txt", reindex=False, jurisdiction="四川",
                 title="四川省碳计量中心管理办法", doc_id="sichuan-carbon-2026")
    assert live.current() is old and live.reloads == 0

    from assistant.index import build_index

    build_index(s, progress=False)  # the pointer switch: now the new corpus serves
    new = live.current()
    assert new is not old and live.reloads == 1
    assert "sichuan-carbon-2026" in {d.id for d in new.docs}
    assert new.retriever.embedder is old.retriever.embedder  # the model is not loaded twice
    # a request that started before the switch still completes on the old engine
    assert old.ask("重庆验收合格分数是多少？").citations
    answer = new.ask("四川碳计量中心筹建期限是多久？")
    assert any(c.doc_id == "sichuan-carbon-2026" for c in answer.citations)

    remove_document(s, "sichuan-carbon-2026")
    after = live.current()
    assert after is not new and "sichuan-carbon-2026" not in {d.id for d in after.docs}
    assert not any(c.doc_id == "sichuan-carbon-2026" for c in after.ask("四川碳计量中心筹建期限是多久？").citations)


def test_broken_manifest_keeps_the_previous_engine(index_settings, tmp_path):
    s = _copy(index_settings, tmp_path)
    live = LiveEngine(s, check_interval=0)
    old = live.current()
    s.manifest_path.write_text("documents:\n  - id: [broken\n", encoding="utf-8")
    assert live.current() is old
    assert live.last_error and "manifest" in live.last_error.lower()
    assert old.ask("重庆筹建期限是多久？").citations
