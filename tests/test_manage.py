"""add/remove on a temporary copy of the corpus (the index is covered by the end-to-end test)."""

import shutil
from pathlib import Path

import opencc
import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus, load_manifest
from assistant.errors import CorpusError, ManifestError, UnknownDocumentError
from assistant.manage import add_document, remove_document, safe_name
from workspace import write_docx

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def corpus_copy(tmp_path, settings):
    dest = tmp_path / "corpus"
    shutil.copytree(settings.corpus_dir, dest)
    return Settings(corpus_dir=dest, index_dir=tmp_path / "indexes")


_docx = write_docx


def test_add_traditional_docx_then_remove(corpus_copy, tmp_path):
    text = opencc.OpenCC("s2t").convert((FIXTURES / "newreg_sichuan.txt").read_text(encoding="utf-8"))
    src = _docx(tmp_path / "四川 办法.docx", text)
    preview = add_document(corpus_copy, src, commit=False, jurisdiction="四川省", title="四川省碳计量中心管理办法",
                           doc_id="sichuan-carbon-2026")
    assert not preview.committed
    assert "sichuan-carbon-2026" not in {m.id for m in load_manifest(corpus_copy.manifest_path)}
    report = add_document(corpus_copy, src, reindex=False, jurisdiction="四川省", title="四川省碳计量中心管理办法",
                          doc_id="sichuan-carbon-2026", effective=None)
    assert report.committed and report.document.meta.jurisdiction == "四川"
    docs = {d.id: d for d in load_corpus(corpus_copy)}
    new = docs["sichuan-carbon-2026"]
    assert len(new.chapters) == 3 and len(new.articles) == 12
    assert new.article("第四条").text == "第四条 省市场监管局对通过审查的申请项目进行公示,公示期不少于10个工作日。"
    assert (corpus_copy.corpus_dir / "sichuan-carbon-2026.docx").exists()
    assert len(docs) == 7
    remove_document(corpus_copy, "sichuan-carbon-2026", reindex=False)
    assert "sichuan-carbon-2026" not in {d.id for d in load_corpus(corpus_copy)}
    assert not (corpus_copy.corpus_dir / "sichuan-carbon-2026.docx").exists()


def test_duplicate_content_is_refused(corpus_copy, tmp_path):
    src = tmp_path / "copy.txt"
    shutil.copy(corpus_copy.corpus_dir / "chongqing-carbon-2024.txt", src)
    with pytest.raises(CorpusError, match="内容相同|Same content"):
        add_document(corpus_copy, src, reindex=False, jurisdiction="重庆", title="重复")


def test_duplicate_id_is_refused(corpus_copy):
    with pytest.raises(CorpusError, match="已存在|exists"):
        add_document(corpus_copy, FIXTURES / "newreg_sichuan.txt", reindex=False, jurisdiction="四川",
                     title="四川", doc_id="chongqing-carbon-2024")


def test_unsupported_type(corpus_copy, tmp_path):
    src = tmp_path / "rules.exe"
    src.write_bytes(b"MZ\x00\x00")
    with pytest.raises(CorpusError, match="不支持|Unsupported"):
        add_document(corpus_copy, src, reindex=False, jurisdiction="四川", title="x")


def test_pdf_without_text_layer_needs_ocr(corpus_copy, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    src = tmp_path / "scan.pdf"
    with open(src, "wb") as fh:
        writer.write(fh)
    with pytest.raises(CorpusError, match="OCR"):
        add_document(corpus_copy, src, reindex=False, jurisdiction="四川", title="扫描件")


def test_empty_file(corpus_copy, tmp_path):
    src = tmp_path / "empty.txt"
    src.write_text("  \n\n ", encoding="utf-8")
    with pytest.raises(CorpusError, match="没有文字|no text"):
        add_document(corpus_copy, src, reindex=False, jurisdiction="四川", title="空")


def test_document_without_structure_is_added_with_warning(corpus_copy, tmp_path):
    src = tmp_path / "note.txt"
    src.write_text("这是一份说明,没有章节和条文。今年将继续推进计量工作。", encoding="utf-8")
    report = add_document(corpus_copy, src, reindex=False, jurisdiction="四川", title="说明", kind="news")
    assert report.warnings and len(report.document.articles) == 1


def test_remove_unknown(corpus_copy):
    with pytest.raises(UnknownDocumentError):
        remove_document(corpus_copy, "nope", reindex=False)


def test_corrupt_manifest_names_line(corpus_copy):
    path = corpus_copy.manifest_path
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[12] = lines[12] + " : : ["
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ManifestError, match="line 13"):
        load_corpus(corpus_copy)


@pytest.mark.parametrize(
    "name, expected",
    [("../../etc/passwd", "passwd"), ("..\\..\\x.txt", "x.txt"), ("a b?.docx", "a_b_.docx"), ("", "document.txt"),
     ("四川 办法.pdf", "四川_办法.pdf"), (".hidden", "hidden")],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected
