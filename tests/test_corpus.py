import pytest

from assistant.corpus import documents_from, load_manifest
from assistant.errors import CorpusError, ManifestError
from assistant.ingest import decode, read_source
from assistant.types import DocMeta

SHIPPED = {
    "hubei-carbon-2023", "hubei-data-2023", "chongqing-carbon-2024",
    "tianjin-data-2025", "dongying-plan", "jiangxi-interview-2023",
}


def test_manifest_describes_six_documents(settings):
    metas = load_manifest(settings.manifest_path)
    assert {m.id for m in metas} == SHIPPED
    hubei = [m for m in metas if m.id.startswith("hubei")]
    assert {m.source for m in hubei} == {"hubei-notice-2023.txt"} and all(m.begin for m in hubei)
    cq = next(m for m in metas if m.id == "chongqing-carbon-2024")
    assert cq.issued.isoformat() == "2024-04-22" and cq.effective_note == "自发布之日起施行"


def test_corpus_files_are_the_seeds_unchanged(settings):
    seeds = settings.corpus_dir.parent.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("shared/seeds not beside the checkout")
    shipped = {p.read_bytes() for p in settings.corpus_dir.glob("*.txt")}
    assert {p.read_bytes() for p in seeds.glob("*.txt")} == shipped


def _write_manifest(tmp_path, body):
    path = tmp_path / "manifest.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_manifest_syntax_error_names_line(tmp_path):
    path = _write_manifest(tmp_path, "documents:\n  - id: a\n    title: [unclosed\n")
    with pytest.raises(ManifestError, match="line"):
        load_manifest(path)


def test_manifest_duplicate_id(tmp_path):
    entry = "  - id: a\n    title: t\n    jurisdiction: 湖北\n    kind: regulation\n    source: a.txt\n"
    path = _write_manifest(tmp_path, "documents:\n" + entry + entry)
    with pytest.raises(ManifestError, match="重复|Duplicate"):
        load_manifest(path)


def test_manifest_missing_file(tmp_path):
    meta = DocMeta(id="a", title="t", jurisdiction="湖北", level="省", kind="regulation", source="missing.txt")
    with pytest.raises(CorpusError, match="missing.txt"):
        documents_from([meta], tmp_path)


def test_undetectable_encoding():
    with pytest.raises(CorpusError, match="encoding|编码"):
        decode(bytes(range(0x80, 0x100)) * 20, name="bad.txt")


def test_binary_file():
    with pytest.raises(CorpusError, match="binary|二进制"):
        decode(b"\x00\x01\x02PK" * 10, name="x.txt")


def test_unsupported_type(tmp_path):
    path = tmp_path / "a.xls"
    path.write_bytes(b"abc")
    with pytest.raises(CorpusError, match="Unsupported|不支持"):
        read_source(path)
