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
