"""Adding and removing documents: preview, copy into corpus/, atomic manifest update, reindex.

`add` never leaves a half-written manifest or corpus: the source is copied under a temporary
name, the manifest is written to a temporary file and both are moved into place with
os.replace; the index is then updated incrementally (unchanged chunks are not re-embedded)
and swapped atomically by the indexer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import Settings
from .corpus import documents_from, load_manifest
from .errors import CorpusError, UnknownDocumentError
from .ingest import SUPPORTED, read_source
from .jurisdictions import canonical
from .normalize import normalize_text
from .segment import segment_text
from .types import KINDS, LEVELS, DocMeta, Document

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MANIFEST_HEADER = """\
# Corpus manifest: one entry per document. A source file may hold several documents;
# `begin` is a whole line of the (normalised) source where that document starts, and the
# document runs until the next document's begin line in the same file (or the end of file).
# Dates are ISO (YYYY-MM-DD). kind: regulation | plan | news. level: 省 (provincial, incl.
# municipalities such as 重庆/天津) | 市. jurisdiction: any name; aliases: other names of it in
# questions (简称). Edited by `policy-assistant add/remove`, or by hand.
"""


@dataclass(frozen=True)
class AddReport:
    document: Document
    rules_by_topic: dict
    provisions_by_kind: dict
    warnings: tuple[str, ...] = ()
    committed: bool = False
    index: object = None  # IndexReport when the index was updated
    rules: tuple = ()  # the document's numeric rules-table rows (Rule), as extracted

    def to_dict(self) -> dict:
        d = self.document
        return {
            "id": d.id,
            "title": d.meta.title,
            "jurisdiction": d.meta.jurisdiction,
            "aliases": list(d.meta.aliases),
            "kind": d.meta.kind,
            "source": d.meta.source,
            "chapters": [f"{c.label} {c.title}" for c in d.chapters],
            "articles": len([a for a in d.articles if not a.is_section]),
            "sections": len([a for a in d.articles if a.is_section]),
            "rules_by_topic": self.rules_by_topic,
            "rules": [{"topic": r.topic, "label": r.label, "value": list(r.value) if isinstance(r.value, tuple) else r.value,
                       "unit": r.unit, "comparator": r.comparator, "article": r.article, "quote": r.quote}
                      for r in self.rules],
            "provisions_by_kind": self.provisions_by_kind,
            "warnings": list(self.warnings),
            "committed": self.committed,
        }


def safe_name(name: str) -> str:
    """A file name with no directories, no traversal and only safe characters."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base).lstrip(".")
    return base[:120] or "document.txt"


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:48]


def _content_hash(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def preview(
    settings: Settings,
    path: Path,
    *,
    jurisdiction: str,
    title: str,
    doc_id: str | None = None,
    kind: str = "regulation",
    issued: dt.date | None = None,
    effective: dt.date | None = None,
    level: str | None = None,
    aliases=(),
) -> tuple[DocMeta, Document, str]:
    """Read and segment a file without touching the corpus; validate it can be added."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise CorpusError(
            f"{path.name}: 不支持的文件类型（支持 {', '.join(sorted(SUPPORTED))}）。"
            f" Unsupported file type; supported: {', '.join(sorted(SUPPORTED))}."
        )
    if path.exists() and path.stat().st_size > MAX_UPLOAD_BYTES:
        raise CorpusError(f"{path.name}: 文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。 File too large.")
    if kind not in KINDS:
        raise CorpusError(f"kind 必须是 {'/'.join(KINDS)}。 kind must be one of {', '.join(KINDS)}.")
    if level is not None and level not in LEVELS:
        raise CorpusError("level 必须是 省 或 市。 level must be 省 or 市.")
    if not title.strip() or not jurisdiction.strip():
        raise CorpusError("需要 --title 和 --jurisdiction。 --title and --jurisdiction are required.")
    text = read_source(path)
    if not normalize_text(text).strip():
        raise CorpusError(f"{path.name}: 文件没有文字内容。 The file has no text.")
    metas = load_manifest(settings.manifest_path)
    existing = documents_from(metas, settings.corpus_dir)
    digest = _content_hash(text)
    for doc in existing:
        if _content_hash(doc.text) == digest or digest == _content_hash(read_source(settings.corpus_dir / doc.meta.source)):
            raise CorpusError(
                f"{path.name}: 与已有文档 {doc.id} 内容相同，未添加。"
                f" Same content as the existing document {doc.id}: nothing added."
            )
    jur = canonical(jurisdiction) or jurisdiction.strip()
    doc_id = doc_id or _slug(path.stem) or f"doc-{digest[:8]}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]{1,63}", doc_id):
        doc_id = f"doc-{digest[:8]}"
    if any(m.id == doc_id for m in metas):
        raise CorpusError(f"文档 id '{doc_id}' 已存在，请用 --id 指定另一个。 Document id '{doc_id}' exists: pass another --id.")
    source = safe_name(f"{doc_id}{path.suffix.lower()}")
    names = tuple(dict.fromkeys(a.strip() for a in aliases or () if a and a.strip() and a.strip() != jur))
    meta = DocMeta(
        id=doc_id, title=title.strip(), jurisdiction=jur, level=level or ("市" if jur.endswith("市") else "省"),
        kind=kind, source=source, issued=issued, effective=effective, aliases=names,
    )
    doc = segment_text(text, meta)
    return meta, doc, text


def _summaries(doc: Document) -> tuple[dict, dict, tuple]:
    try:
        from .rules import extract_provisions, extract_rules
    except ImportError:  # rules module not installed in this build
        return {}, {}, ()
    rules = extract_rules(doc)
    provisions = extract_provisions(doc)
    return dict(Counter(r.topic for r in rules)), dict(Counter(p.kind for p in provisions)), tuple(rules)


def _instruction_warnings(doc: Document) -> list[str]:
    """One warning per sentence that reads as an instruction to an assistant (prompt injection):
    the document is added as received, but the rules table takes no number from it."""
    try:
        from .rules import instruction_sentences
    except ImportError:  # rules module not installed in this build
        return []
    return [
        f"{label}: “{sentence[:60]}” 像是写给问答系统的指令而不是规定，未从中提取数字。"
        f" Reads as an instruction to the assistant, not a provision: no number taken from it."
        for label, sentence in instruction_sentences(doc)
    ]


def _entry(meta: DocMeta) -> dict:
    out = {}
    for key in DocMeta.__dataclass_fields__:
        value = getattr(meta, key)
        if value in ("", None, ()):
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def write_manifest(path: Path, metas: list[DocMeta]) -> None:
    """Write the manifest atomically (temp file in the same folder, then os.replace)."""
    body = yaml.safe_dump({"documents": [_entry(m) for m in metas]}, allow_unicode=True, sort_keys=False)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(MANIFEST_HEADER + body)
    load_manifest(Path(tmp))  # never install a manifest that does not read back
    os.replace(tmp, path)


def add_document(settings: Settings, path: Path, *, commit: bool = True, reindex: bool = True, **meta_kw) -> AddReport:
    """Preview a document and (with commit) copy it into the corpus, update manifest and index."""
    meta, doc, _ = preview(settings, path, **meta_kw)
    rules_by_topic, provisions_by_kind, rules = _summaries(doc)
    warnings = list(doc.warnings) + _instruction_warnings(doc)
    if not commit:
        return AddReport(doc, rules_by_topic, provisions_by_kind, tuple(warnings), committed=False, rules=rules)
    target = settings.corpus_dir / meta.source
    fd, tmp = tempfile.mkstemp(dir=settings.corpus_dir, prefix=".add-")
    os.close(fd)
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)
    metas = load_manifest(settings.manifest_path)
    try:
        write_manifest(settings.manifest_path, [*metas, meta])
    except Exception:
        target.unlink(missing_ok=True)
        raise
    index_report = _reindex(settings) if reindex else None
    return AddReport(doc, rules_by_topic, provisions_by_kind, tuple(warnings), committed=True, index=index_report,
                     rules=rules)


def remove_document(settings: Settings, doc_id: str, *, reindex: bool = True) -> DocMeta:
    """Take a document out of the manifest (and its file, when no other document uses it), then reindex."""
    metas = load_manifest(settings.manifest_path)
    gone = next((m for m in metas if m.id == doc_id), None)
    if gone is None:
        raise UnknownDocumentError(
            f"未知文档 '{doc_id}'。已有：{', '.join(m.id for m in metas)}。 Unknown document id '{doc_id}'."
        )
    rest = [m for m in metas if m.id != doc_id]
    write_manifest(settings.manifest_path, rest)
    if not any(m.source == gone.source for m in rest):
        (settings.corpus_dir / gone.source).unlink(missing_ok=True)
    if reindex:
        _reindex(settings)
    return gone


def _reindex(settings: Settings):
    from .index import build_index

    return build_index(settings, progress=False)
