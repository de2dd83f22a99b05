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

    \b
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


def _date_opt(value: Optional[str], name: str):
    import datetime as dt

    from ..errors import CorpusError

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CorpusError(f"{name} '{value}' 不是 YYYY-MM-DD 日期。 {name} must be a date YYYY-MM-DD.") from None


@app.command()
def add(
    file: Path = typer.Argument(..., help="source file: .txt .md .docx .pdf (with a text layer) .html"),
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="地区, e.g. 湖北 / 重庆市 / 渝"),
    title: str = typer.Option(..., "--title", "-t", help="document title"),
    doc_id: Optional[str] = typer.Option(None, "--id", help="document id (lowercase, digits, '-'); default from the file name"),
    kind: str = typer.Option("regulation", "--kind", help="regulation | plan | news"),
    issued: Optional[str] = typer.Option(None, "--issued", help="issued date YYYY-MM-DD"),
    effective: Optional[str] = typer.Option(None, "--effective", help="effective date YYYY-MM-DD"),
    level: Optional[str] = typer.Option(None, "--level", help="省 | 市"),
    alias: Optional[list[str]] = typer.Option(None, "--alias", help="another name of the jurisdiction in questions (简称), repeatable"),
    dry_run: bool = typer.Option(False, "--preview", help="show what would be added; change nothing"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Add a document to the corpus: copy, manifest, rules and index (incremental).

    Prints what was found (chapters, articles, rules by topic) so you can check it;
    use --preview first to change nothing.

    \b
    Examples:
      policy-assistant add ~/guangdong.docx --jurisdiction 广东 --title 广东省碳计量中心管理办法 --preview
      policy-assistant add rules.pdf -j 四川 -t 四川省计量数据中心管理办法 --id sichuan-data-2026 --effective 2026-01-01
      policy-assistant add lanzhou.txt -j 澜州市 --alias 澜 -t 澜州市计量数据中心管理办法
    """
    from ..manage import add_document

    report = add_document(
        settings_from(corpus), file, commit=not dry_run, jurisdiction=jurisdiction, title=title,
        doc_id=doc_id, kind=kind, issued=_date_opt(issued, "--issued"),
        effective=_date_opt(effective, "--effective"), level=level, aliases=tuple(alias or ()),
    )
    data = report.to_dict()
    if as_json:
        emit_json(data)
        return
    verb = "已添加 added" if report.committed else "预览 preview (nothing changed)"
    typer.echo(f"{verb}: {data['id']} · {data['title']} · {data['jurisdiction']} · {data['kind']}")
    if data["aliases"]:
        typer.echo(f"  别名 aliases: {'、'.join(data['aliases'])}")
    typer.echo(f"  章 chapters: {len(data['chapters'])}  条 articles: {data['articles']}  节 sections: {data['sections']}")
    for chapter in data["chapters"]:
        typer.echo(f"    {chapter}")
    typer.echo("  规则 rules by topic: " + (", ".join(f"{k}={v}" for k, v in sorted(data["rules_by_topic"].items())) or "—"))
    typer.echo("  条款 provisions: " + (", ".join(f"{k}={v}" for k, v in sorted(data["provisions_by_kind"].items())) or "—"))
    if report.rules:
        from ..rules import RulesTable, format_rules_table

        typer.echo("  规则表 rules table:")
        for line in format_rules_table(RulesTable(rules=report.rules)).splitlines():
            typer.echo(f"    {line}")
    for w in data["warnings"]:
        typer.echo(f"  警告 warning: {w}")
    if report.committed:
        typer.echo(f"  核对结构 check the structure: policy-assistant inspect {data['id']}")


@app.command()
def remove(
    doc_id: str = typer.Argument(..., help="document id to remove"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Remove a document from the manifest, the corpus folder, the rules and the index.

    \b
    Examples:
      policy-assistant remove sichuan-data-2026
    """
    from ..manage import remove_document

    gone = remove_document(settings_from(corpus), doc_id)
    typer.echo(f"已删除 removed: {gone.id} · {gone.title}")
