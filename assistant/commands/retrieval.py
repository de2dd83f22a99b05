"""Retrieval commands: index, search."""

from __future__ import annotations

from ..cli import app, emit_json, settings_from  # noqa: F401
