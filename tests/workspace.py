"""Test helpers: a private copy of the corpus and index, and .docx files built from text."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_index(settings, dst: Path, **overrides):
    """Settings over a copy of ``settings``' index folder (caches included) at ``dst``."""
    shutil.copytree(settings.index_dir, dst, ignore=shutil.ignore_patterns(".build.lock"))
    return settings.with_(index_dir=Path(dst), **overrides)


def copy_workspace(settings, root: Path, **overrides):
    """Settings over a copy of ``settings``' corpus and index (embedding cache included) under
    ``root``: tests that add, remove or rebuild never touch the session's index."""
    corpus = Path(root) / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    return copy_index(settings, Path(root) / "indexes", corpus_dir=corpus, **overrides)


def write_docx(path: Path, text: str) -> Path:
    """A .docx with one paragraph per line of ``text``."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def claim_status(answer, claim: str) -> str:
    """The checker's status of one claim of an Answer, as the answer wrote it."""
    return next(c.status for c in answer.checks if c.claim == claim)


def engine_with_added(settings, root: Path, *added):
    """An Engine over a copy of the workspace (embedded chromadb) with documents added through
    ``add_document``; each of ``added`` is (path, add_document keyword arguments)."""
    from assistant.engine import Engine
    from assistant.manage import add_document

    s = copy_workspace(settings, root, chroma_url="")
    for path, meta in added:
        add_document(s, path, **meta)
    return Engine.load(s)


def engine_with_news(settings, tmp_path_factory, path: Path, place: str, title: str, doc_id: str):
    """An Engine with one news text added under ``place`` (kind news), in its own temp folder."""
    return engine_with_added(settings, tmp_path_factory.mktemp(doc_id), (path, dict(
        jurisdiction=place, title=title, doc_id=doc_id, kind="news")))


def no_contradiction(answer) -> None:
    """No claim of the answer contradicts the documents."""
    assert not [c for c in answer.checks if c.status == "contradicted"], answer.answer
