"""The corpus: manifest (corpus/manifest.yaml) + source files → segmented Documents."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from pathlib import Path

import yaml

from .config import Settings
from .errors import ManifestError, UnknownDocumentError
from .ingest import read_source
from .normalize import normalize_with_map
from .segment import segment_text, split_file_spans
from .types import KINDS, LEVELS, DocMeta, Document

log = logging.getLogger(__name__)

_REQUIRED = ("id", "title", "jurisdiction", "kind", "source")
_FIELDS = set(DocMeta.__dataclass_fields__)


def _date(value, *, key: str, doc_id: str, path: Path) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ManifestError(f"{path}: 文档 {doc_id} 的 {key} '{value}' 不是 YYYY-MM-DD 日期。"
                            f" {key} of {doc_id} must be a date YYYY-MM-DD.") from None


def _line_of(raw: str, needle: str) -> int:
    for n, line in enumerate(raw.splitlines(), start=1):
        if needle in line:
            return n
    return 0


def load_manifest(path: Path) -> list[DocMeta]:
    """Parse and validate the manifest; errors name the file, the line and the fix."""
    path = Path(path)
    if not path.exists():
        raise ManifestError(f"找不到清单 {path}。 Manifest not found: {path}.")
    raw = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行 (line {mark.line + 1})" if mark else ""
        problem = getattr(exc, "problem", "") or str(exc)
        raise ManifestError(f"{path} {where}: 清单格式错误: {problem}。 The manifest is not valid YAML: fix that line.") from None
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: 缺少 `documents:` 列表。 The manifest needs a top-level `documents:` list.")
    metas, seen = [], {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ManifestError(f"{path}: 每个文档条目必须是映射。 Each document entry must be a mapping.")
        doc_id = str(entry.get("id", ""))
        line = _line_of(raw, f"id: {doc_id}") if doc_id else 0
        missing = [k for k in _REQUIRED if not entry.get(k)]
        if missing:
            raise ManifestError(f"{path} 第{line}行 (line {line}): 文档缺少字段 {', '.join(missing)}。"
                                f" Entry is missing {', '.join(missing)}.")
        if doc_id in seen:
            raise ManifestError(f"{path} 第{line}行 (line {line}): 文档 id '{doc_id}' 重复（第{seen[doc_id]}行已有）。"
                                f" Duplicate document id '{doc_id}': ids must be unique.")
        seen[doc_id] = line
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ManifestError(f"{path} 第{line}行: 未知字段 {', '.join(sorted(unknown))}。 Unknown keys in {doc_id}.")
        if entry["kind"] not in KINDS:
            raise ManifestError(f"{path} 第{line}行: kind 必须是 {'/'.join(KINDS)}。 kind must be one of {', '.join(KINDS)}.")
        level = entry.get("level") or "省"
        if level not in LEVELS:
            raise ManifestError(f"{path} 第{line}行: level 必须是 省 或 市。 level must be 省 or 市.")
        values = {k: ("" if v is None else v) for k, v in entry.items()}
        values["level"] = level
        for key in ("issued", "effective"):
            values[key] = _date(entry.get(key), key=key, doc_id=doc_id, path=path)
        for key in ("id", "title", "jurisdiction", "source", "issuer", "doc_number", "begin", "province", "effective_note"):
            if key in values:
                values[key] = str(values[key])
        values["aliases"] = _aliases(entry.get("aliases"), line=line, path=path)
        metas.append(DocMeta(**values))
    return metas


def _aliases(value, *, line: int, path: Path) -> tuple[str, ...]:
    """The manifest's ``aliases``: a list of names (or one name) the jurisdiction is also called."""
    if value in (None, "", []):
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise ManifestError(f"{path} 第{line}行: aliases 必须是地区简称的列表，例如 [岭西, 岭]。"
                            f" aliases must be a list of names, e.g. [岭西, 岭].")
    return tuple(dict.fromkeys(str(v).strip() for v in value))


def load_corpus(settings: Settings) -> list[Document]:
    """Every document of the manifest, read, normalised and segmented."""
    metas = load_manifest(settings.manifest_path)
    return documents_from(metas, settings.corpus_dir)


def documents_from(metas: list[DocMeta], corpus_dir: Path) -> list[Document]:
    by_file: dict[str, list[DocMeta]] = defaultdict(list)
    for meta in metas:
        by_file[meta.source].append(meta)
    docs: dict[str, Document] = {}
    for source, file_metas in by_file.items():
        text, offsets = normalize_with_map(read_source(Path(corpus_dir) / source))
        for doc_id, (start, end, preamble) in split_file_spans(text, file_metas).items():
            meta = next(m for m in file_metas if m.id == doc_id)
            doc = segment_text(text[start:end], meta, preamble=preamble, source=offsets.view(start, end))
            for warning in doc.warnings:
                log.warning(warning)
            docs[doc_id] = doc
    return [docs[m.id] for m in metas]


def get_document(docs: list[Document], doc_id: str) -> Document:
    for doc in docs:
        if doc.id == doc_id:
            return doc
    raise UnknownDocumentError(
        f"未知文档 '{doc_id}'。已有：{', '.join(d.id for d in docs)}。 Unknown document id '{doc_id}'."
    )


def jurisdictions(docs: list[Document]) -> list[str]:
    out: list[str] = []
    for doc in docs:
        if doc.meta.jurisdiction not in out:
            out.append(doc.meta.jurisdiction)
    return out
