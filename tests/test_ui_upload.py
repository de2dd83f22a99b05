"""The web UI's 文档管理 tab, by its handlers: preview (nothing written), add (served at once),
bad files (one clear line, corpus unchanged), remove; on a tmp copy of the corpus and index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from workspace import copy_workspace

FIXTURES = Path(__file__).parent / "fixtures"
SICHUAN = FIXTURES / "newreg_sichuan.txt"
FIELDS = dict(jurisdiction="四川", title="四川省碳计量中心管理办法", doc_id="sichuan-carbon-2026", kind="regulation",
              issued="2026-01-10", effective="2026-03-01", level="")


def _args(file, **changes):
    f = {**FIELDS, **changes}
    return (file, f["jurisdiction"], f["title"], f["doc_id"], f["kind"], f["issued"], f["effective"], f["level"])


def _snapshot(s) -> dict:
    """Every file of corpus/ with its bytes (the manifest included)."""
    return {p.relative_to(s.corpus_dir).as_posix(): p.read_bytes() for p in sorted(s.corpus_dir.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def copied(index_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("ui-upload")
    return copy_workspace(index_settings, root)


@pytest.fixture(scope="module")
def ui(copied):
    from assistant.live import LiveEngine
    from ui.app import UI

    return UI(LiveEngine(copied, check_interval=0))


def _chat(ui, question):
    _, _, display, sources, *_ = ui.chat(question, "全部", [], [])
    return display[-1]["content"], sources


def test_build_ui_accepts_a_plain_engine(copied, ui):
    from assistant.live import LiveEngine
    from ui.app import UI, build_ui

    plain = ui.live.current()
    wrapped = UI(plain)
    assert isinstance(wrapped.live, LiveEngine) and wrapped.view().engine is plain
    assert build_ui(plain) is not None


def test_preview_shows_articles_and_rules_and_writes_nothing(copied, ui):
    before = _snapshot(copied)
    html, status, pending, confirm = ui.upload_preview(*_args(str(SICHUAN)))
    assert "⚠️" not in status and "12 条" in status and "尚未写入" in status
    assert confirm["interactive"] is True and pending["id"] == "sichuan-carbon-2026"
    assert '<span class="pa-stat" id="up-count-articles">12 条</span>' in html
    assert "3 章" in html and "第一章 总则" in html.replace("第一章 总 则", "第一章 总则")
    for shown in ("≤2年", "≥85分", "公示期不少于10个工作日", "获批筹建的单位应在2年内完成筹建工作", "第八条"):
        assert shown in html, shown
    assert "筹建期限" in html and "合格分数" in html  # rules grouped under their topic names
    assert _snapshot(copied) == before  # nothing written
    assert "sichuan-carbon-2026" not in {d.id for d in ui.docs}


@pytest.mark.parametrize("name, content, expected", [
    ("tool.exe", b"MZ\x00\x00", "不支持的文件类型"),
    ("empty.txt", b"", "文件是空的"),
    ("blank.txt", "\n  \n".encode(), "没有文字内容"),
    ("big.txt", b"a" * (10 * 1024 * 1024 + 1), "超过上限 10 MB"),
    ("scan.pdf", None, "OCR"),
])
def test_bad_files_give_one_clear_line_and_change_nothing(copied, ui, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is None:  # a PDF without a text layer (a scan)
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        with open(path, "wb") as fh:
            writer.write(fh)
    else:
        path.write_bytes(content)
    before = _snapshot(copied)
    html, status, pending, confirm = ui.upload_preview(*_args(str(path)))
    assert expected in status and status.startswith("⚠️") and "\n" not in status.strip()
    assert "Traceback" not in status and html == "" and pending is None and confirm["interactive"] is False
    # committing without a preview is refused too
    _, status, pending, _ = ui.upload_commit(*_args(str(path)), None)
    assert status.startswith("⚠️") and "预览" in status
    assert _snapshot(copied) == before


@pytest.mark.parametrize("changes, expected", [
    (dict(issued="2026-13-01"), "YYYY-MM-DD"),
    (dict(title=" "), "标题"),
    (dict(doc_id="Bad Id!"), "id"),
    (dict(doc_id="chongqing-carbon-2024"), "已存在"),
])
def test_bad_fields_give_one_clear_line(copied, ui, changes, expected):
    before = _snapshot(copied)
    _, status, pending, _ = ui.upload_preview(*_args(str(SICHUAN), **changes))
    assert status.startswith("⚠️") and expected in status and pending is None
    assert _snapshot(copied) == before


def test_duplicate_content_is_refused(copied, ui, tmp_path):
    dup = tmp_path / "again.txt"
    shutil.copy(copied.corpus_dir / "chongqing-carbon-2024.txt", dup)
    _, status, pending, _ = ui.upload_preview(*_args(str(dup), doc_id=""))
    assert "内容相同" in status and "chongqing-carbon-2024" in status and pending is None


def test_commit_refuses_a_preview_that_no_longer_matches(copied, ui):
    before = _snapshot(copied)
    _, _, pending, _ = ui.upload_preview(*_args(str(SICHUAN)))
    _, status, pending2, _ = ui.upload_commit(*_args(str(SICHUAN), title="别的标题"), pending)
    assert "重新预览" in status and pending2 is None
    assert _snapshot(copied) == before


def test_a_traversal_name_lands_inside_the_upload_folder(ui, tmp_path):
    src = tmp_path / "x.txt"
    src.write_text("第一条 测试。", encoding="utf-8")
    staged = ui._stage({"path": str(src), "orig_name": "../../etc/x.txt"})
    assert staged.name == "x.txt" and ui.upload_dir.resolve() in staged.resolve().parents
    staged = ui._stage({"path": str(src), "orig_name": "..\\..\\windows\\a b;rm -rf.txt"})
    assert staged.name == "a_b_rm_-rf.txt" and ui.upload_dir.resolve() in staged.resolve().parents


def test_add_answers_at_once_then_remove(copied, ui, tmp_path):
    # the upload arrives under a hostile name; the corpus file is named by the document id
    upload = {"path": str(SICHUAN), "orig_name": "../../etc/newreg_sichuan.txt"}
    html, status, pending, _ = ui.upload_preview(*_args(upload))
    assert "12 条" in status
    html, status, pending, confirm = ui.upload_commit(*_args(upload), pending)
    assert html == "" and status.startswith("✔ 已添加") and "sichuan-carbon-2026" in status and "7 个文档" in status, status
    assert pending is None and confirm["interactive"] is False
    assert (copied.corpus_dir / "sichuan-carbon-2026.txt").read_bytes() == SICHUAN.read_bytes()
    assert not (copied.corpus_dir.parent / "etc").exists()
    assert all(p.resolve().parent == copied.corpus_dir.resolve() for p in copied.corpus_dir.iterdir())

    # the chat answers from the new corpus immediately, citing the new document
    reply, sources = _chat(ui, "四川碳计量中心筹建期限是多久？")
    assert "2年" in reply and "四川省碳计量中心管理办法" in reply and "第五条" in reply
    assert "<mark>" in sources and "四川" in sources

    # every selector offers it (page load / after add)
    updates = ui.refresh()
    assert "四川" in updates[0]["choices"]
    assert ("四川省碳计量中心管理办法（sichuan-carbon-2026）", "sichuan-carbon-2026") in updates[2]["choices"]
    assert any(v == "sichuan-carbon-2026" for _, v in updates[9]["choices"])  # timeline
    assert any(v == "sichuan-carbon-2026" for _, v in updates[11]["choices"])  # remove
    assert "四川" in set(updates[7]["地区"])  # rules table
    assert "第八条" in ui.document("sichuan-carbon-2026")  # the 文档 tab shows it

    # adding it again: the content is already there
    _, status, _, _ = ui.upload_preview(*_args(str(SICHUAN), doc_id="sichuan-again"))
    assert "内容相同" in status

    # remove: confirm first, then gone from corpus, index and answers
    ask_text, row = ui.ask_remove("sichuan-carbon-2026")
    assert "确定删除" in ask_text and row["visible"] is True
    status, row = ui.remove_document("sichuan-carbon-2026")
    assert status.startswith("✔ 已删除") and "6 个文档" in status and row["visible"] is False, status
    assert not (copied.corpus_dir / "sichuan-carbon-2026.txt").exists()
    assert "sichuan-carbon-2026" not in {d.id for d in ui.docs}
    reply, _ = _chat(ui, "四川碳计量中心筹建期限是多久？")
    assert "四川省碳计量中心管理办法" not in reply
    assert "四川" not in ui.refresh()[0]["choices"]
    status, _ = ui.remove_document("sichuan-carbon-2026")
    assert status.startswith("⚠️") and "未知文档" in status


def test_upload_preview_html_escapes_document_text():
    from assistant.types import DocMeta
    from assistant.segment import segment_text
    from ui.render import upload_preview_html

    meta = DocMeta(id="x-test", title="<b>标题</b>", jurisdiction="海南", level="省", kind="regulation", source="x.txt")
    doc = segment_text("第一章 总则\n第一条 <script>alert(1)</script>筹建期3年。\n", meta)
    data = {"id": "x-test", "title": "<b>标题</b>", "jurisdiction": "海南", "kind": "regulation", "source": "x.txt",
            "chapters": ["第一章 总则"], "articles": 1, "sections": 0, "warnings": ["<i>w</i>"]}
    rows = [{"kind": "numeric", "topic": "construction_period", "value": 3, "unit": "年", "comparator": "<=",
             "article": "第一条", "quote": "<script>alert(1)</script>筹建期3年", "start": 0, "end": 0, "label": "筹建期限"}]
    html = upload_preview_html(doc, data, rows, label=lambda t: "筹建期限")
    assert "<script>" not in html and "<b>标题" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;标题" in html
