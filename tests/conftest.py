"""Shared fixtures: the real shipped corpus, loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings():
    from assistant.config import Settings

    return Settings(corpus_dir=ROOT / "corpus")


@pytest.fixture(scope="session")
def docs(settings):
    from assistant.corpus import load_corpus

    return load_corpus(settings)


@pytest.fixture(scope="session")
def doc_by_id(docs):
    return {d.id: d for d in docs}


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory, settings, docs):
    """Settings whose index_dir holds the index of the shipped corpus (embedded chromadb),
    built once per test session under a pytest tmp dir (never the repository's indexes/).

    Embeddings are cached across sessions in pytest's base temp parent (keyed by model and
    text, so never stale); a session with a cold cache embeds the corpus once (~20 s).
    """
    import shutil

    from assistant.index import build_index

    index_dir = tmp_path_factory.mktemp("index")
    cache = index_dir / "cache" / "embeddings.sqlite"
    shared = tmp_path_factory.getbasetemp().parent / "policy-assistant-embeddings.sqlite"
    if shared.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared, cache)
    s = settings.with_(index_dir=index_dir, chroma_url="")
    build_index(s, docs, progress=False)
    yield s
    if cache.exists():  # keep what this session embedded for the next one (atomic swap)
        tmp = shared.with_name(f".{shared.name}.{os.getpid()}.tmp")
        shutil.copyfile(cache, tmp)
        os.replace(tmp, shared)


@pytest.fixture(scope="module")
def engine(index_settings):
    """The answer engine over the shipped corpus' index, loaded once per test module (a module
    may define its own ``engine`` instead)."""
    from assistant.engine import Engine

    return Engine.load(index_settings)
