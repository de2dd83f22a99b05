"""Rules commands: rules, timeline, check, compare."""

from __future__ import annotations

from ..cli import app, emit_json, settings_from  # noqa: F401
