"""Corpus overview and per-document structure, for `inspect`, the API and the UI."""

from __future__ import annotations

from pathlib import PurePath

from .types import Document


def overview(docs: list[Document]) -> list[dict]:
    return [
        {
            "id": d.id,
            "title": d.meta.title,
            "jurisdiction": d.meta.jurisdiction,
            "level": d.meta.level,
            "kind": d.meta.kind,
            "doc_number": d.meta.doc_number,
            "issued": d.meta.issued.isoformat() if d.meta.issued else None,
            "effective": d.meta.effective.isoformat() if d.meta.effective else None,
            "chapters": len(d.chapters),
            "articles": sum(not a.is_section for a in d.articles),
            "sections": sum(a.is_section for a in d.articles),
            "chars": len(d.text),
            "source": PurePath(d.meta.source).name if d.meta.source else d.meta.source,  # never a folder
        }
        for d in docs
    ]


def format_overview(rows: list[dict]) -> str:
    lines = [f"语料 corpus: {len(rows)} 个文档 documents", ""]
    header = f"{'id':<24} {'地区':<4} {'类型':<10} {'章':>2} {'条':>3} {'节':>3}  {'施行':<10}  标题"
    lines.append(header)
    for r in rows:
        lines.append(
            f"{r['id']:<24} {r['jurisdiction']:<4} {r['kind']:<10} {r['chapters']:>2} {r['articles']:>3} "
            f"{r['sections']:>3}  {r['effective'] or '—':<10}  {r['title']}"
        )
    lines += ["", "章 chapters · 条 articles · 节 sections (plan/news texts). Details: policy-assistant inspect DOC_ID"]
    return "\n".join(lines)


def document_structure(doc: Document) -> dict:
    m = doc.meta
    return {
        "id": doc.id,
        "title": m.title,
        "jurisdiction": m.jurisdiction,
        "level": m.level,
        "kind": m.kind,
        "issuer": m.issuer,
        "doc_number": m.doc_number,
        "issued": m.issued.isoformat() if m.issued else None,
        "effective": m.effective.isoformat() if m.effective else None,
        "effective_note": m.effective_note,
        "preamble": doc.preamble,
        "attachments": list(doc.attachments),
        "warnings": list(doc.warnings),
        "chapters": [
            {"label": c.label, "number": c.number, "title": c.title, "start": c.start, "end": c.end}
            for c in doc.chapters
        ],
        "articles": [
            {
                "label": a.label,
                "number": a.number,
                "chapter": a.chapter,
                "heading": a.heading,
                "is_section": a.is_section,
                "start": a.start,
                "end": a.end,
                "text": a.text,
                "items": [{"label": i.label, "number": i.number, "start": i.start, "end": i.end} for i in a.items],
            }
            for a in doc.articles
        ],
    }


def format_structure(doc: Document, *, width: int = 36) -> str:
    m = doc.meta
    lines = [f"{m.title}  [{doc.id}]", f"{m.jurisdiction} · {m.level}级 · {m.kind}"
             + (f" · {m.doc_number}" if m.doc_number else "")
             + (f" · 施行 {m.effective.isoformat()}" if m.effective else ""), ""]
    chapter = None
    for a in doc.articles:
        if a.chapter and a.chapter != chapter:
            chapter = a.chapter
            lines.append(chapter)
        skip = len(a.label) if a.text.startswith(a.label) else 0
        body = doc.source_span(a.start + skip, a.end).strip().replace("\n", " ")  # as the document wrote it
        lines.append(f"  {a.label:<8} {body[:width]}{'…' if len(body) > width else ''}")
        for item in a.items:
            item_text = doc.source_span(item.start + len(item.label), item.end).strip()
            lines.append(f"      {item.label} {item_text[:width - 4]}{'…' if len(item_text) > width - 4 else ''}")
    if doc.attachments:
        lines += ["", "附件: " + "; ".join(doc.attachments)]
    for w in doc.warnings:
        lines.append(f"警告 warning: {w}")
    return "\n".join(lines)
