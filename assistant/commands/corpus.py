"""Corpus commands: inspect (and, later, add/remove)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cli import CorpusOpt, app, emit_json, settings_from


@app.command()
def inspect(
    doc_id: Optional[str] = typer.Argument(None, help="document id; omit for the corpus overview"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Show the corpus overview, or one document's structure.

    Examples:
      policy-assistant inspect
      policy-assistant inspect chongqing-carbon-2024
      policy-assistant inspect tianjin-data-2025 --json
    """
    from ..corpus import get_document, load_corpus
    from ..overview import document_structure, format_overview, format_structure, overview

    docs = load_corpus(settings_from(corpus))
    if doc_id is None:
        rows = overview(docs)
        emit_json(rows) if as_json else typer.echo(format_overview(rows))
        return
    doc = get_document(docs, doc_id)
    emit_json(document_structure(doc)) if as_json else typer.echo(format_structure(doc))
