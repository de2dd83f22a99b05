"""Rules commands: rules, timeline, check, compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from ..cli import CorpusOpt, app, emit_json, settings_from
from ..errors import AssistantError


def _split(value: Optional[str]) -> Optional[list[str]]:
    if not value:
        return None
    return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]


def _load(corpus: Optional[Path]):
    from ..corpus import load_corpus
    from ..rules import build_rules_table

    docs = load_corpus(settings_from(corpus))
    return docs, build_rules_table(docs)


def _resolve_scope(docs, jurisdiction: Optional[str], doc_id: Optional[str]):
    """Validate filters; unknown values raise with the list of known ones."""
    from ..corpus import get_document, jurisdictions
    from ..jurisdictions import corpus_names, resolve

    jurs = [resolve(j, jurisdictions(docs), aliases=corpus_names(docs)) for j in _split(jurisdiction) or []] or None
    doc_ids = [get_document(docs, d).id for d in _split(doc_id) or []] or None
    return jurs, doc_ids


@app.command()
def rules(
    jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j", help="地区 filter, e.g. 重庆 or 渝"),
    doc: Optional[str] = typer.Option(None, "--doc", help="document id filter"),
    topic: Optional[str] = typer.Option(None, "--topic", help="canonical topic, e.g. construction_period"),
    kind: Optional[str] = typer.Option(None, "--kind", help="numeric | conditions | tasks | revocation | materials"),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
    from_file: Optional[Path] = typer.Option(None, "--from-file", help="preview a standalone file (not added to the corpus)"),
    title: str = typer.Option("", "--title", help="title for --from-file"),
    file_jurisdiction: str = typer.Option("", "--file-jurisdiction", help="jurisdiction for --from-file (or use -j)"),
    as_json: bool = typer.Option(False, "--json", help="same as --format json"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """The rules table: every numeric provision with its article and quote, plus the
    enumerated provisions (conditions, tasks, revocation grounds, materials).

    \b
    Examples:
      policy-assistant rules --jurisdiction 重庆
      policy-assistant rules --topic construction_period --format csv
      policy-assistant rules --kind revocation --doc chongqing-carbon-2024
      policy-assistant rules --from-file new.txt --title 某省碳计量中心管理办法 -j 四川
    """
    from ..ingest import read_source
    from ..rules import format_rules_table, table_from_text

    fmt = "json" if as_json else fmt
    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter("--format must be table, csv or json")
    if from_file is not None:
        _, table = table_from_text(read_source(from_file), title=title or from_file.stem,
                                   jurisdiction=file_jurisdiction or jurisdiction or "")
    else:
        docs, table = _load(corpus)
        jurs, doc_ids = _resolve_scope(docs, jurisdiction, doc)
        table = table.filter(doc_ids=doc_ids, jurisdictions=jurs, topic=topic, kind=kind)
    if fmt == "json":
        typer.echo(table.to_json())
    elif fmt == "csv":
        typer.echo(table.to_csv(), nl=False)
    else:
        typer.echo(format_rules_table(table))


@app.command()
def timeline(
    doc: str = typer.Option(..., "--doc", help="document id, e.g. chongqing-carbon-2024"),
    event: str = typer.Option("approved", "--event",
                              help="approved | assessed | established | notice | change | acceptance_submitted"),
    date: str = typer.Option(..., "--date", help="date of the event, YYYY-MM-DD"),
    fmt: str = typer.Option("table", "--format", help="table | json | ics (iCalendar, one all-day event per deadline)"),
    as_json: bool = typer.Option(False, "--json", help="same as --format json"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Deadlines computed from a document's rules, with the rule, article and reading behind each.

    Working days follow the official holiday schedule (法定节假日及调休); a year it does not
    cover is counted Monday to Friday, and the reading says so.

    \b
    Examples:
      policy-assistant timeline --doc chongqing-carbon-2024 --event approved --date 2024-06-01
      policy-assistant timeline --doc tianjin-data-2025 --event assessed --date 2026-03-31 --json
      policy-assistant timeline --doc chongqing-carbon-2024 --event change --date 2025-09-26
      policy-assistant timeline --doc chongqing-carbon-2024 --event change --date 2025-09-26 --format ics > deadlines.ics
    """
    from ..corpus import get_document
    from ..timeline import EVENTS, compute_timeline, event_to_dict, format_events

    if as_json and fmt not in ("table", "json"):
        raise AssistantError(f"--json 与 --format {fmt} 不能同时使用。 --json is --format json; give one of them.")
    fmt = "json" if as_json else fmt
    if fmt not in ("table", "json", "ics"):
        raise AssistantError(f"未知输出格式 '{fmt}'，可选 table、json、ics。 --format must be table, json or ics.")
    try:
        when = dt.date.fromisoformat(date)
    except ValueError:
        raise AssistantError(f"日期 '{date}' 格式应为 YYYY-MM-DD。 --date must be YYYY-MM-DD.") from None
    if event not in EVENTS:
        raise AssistantError(f"未知事件 '{event}'。可选：{', '.join(EVENTS)}。 Unknown event; choose one of {', '.join(EVENTS)}.")
    docs, table = _load(corpus)
    document = get_document(docs, doc)
    events = compute_timeline(document, table, event=event, date=when)
    if fmt == "ics":
        from ..ics import timeline_ics

        typer.echo(timeline_ics(events, doc=document, table=table, event=event, date=when), nl=False)
    elif fmt == "json":
        emit_json([event_to_dict(e) for e in events])
    else:
        typer.echo(format_events(events))


@app.command()
def check(
    answer: str = typer.Option(..., "--answer", help="answer text whose numbers to verify"),
    jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j", help="地区 context, comma-separated"),
    doc: Optional[str] = typer.Option(None, "--doc", help="document id context, comma-separated"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Verify every number and article reference in an answer against the rules table.

    Each claim is verified, contradicted (with the expected value and its article) or unsupported.

    \b
    Examples:
      policy-assistant check --answer "重庆公示期不少于5天" --jurisdiction 重庆
      policy-assistant check --answer "天津延期不超过一年 [天津·第十三条]" --json
    """
    from ..check import check as run_check

    docs, table = _load(corpus)
    jurs, doc_ids = _resolve_scope(docs, jurisdiction, doc)
    checks = run_check(answer, table=table, docs=docs, doc_ids=doc_ids, jurisdictions=jurs)
    if as_json:
        emit_json([c.__dict__ for c in checks])
        return
    marks = {"verified": "✔", "contradicted": "✘", "unsupported": "?"}
    if not checks:
        typer.echo("没有可核对的数字或条文引用。 No numeric claim or article reference found.")
    for c in checks:
        extra = f"  应为 expected: {c.expected}" if c.expected else ""
        typer.echo(f"{marks.get(c.status, ' ')} {c.status:<12} {c.claim}{extra}  {c.rule_id}")
    if any(c.status == "contradicted" for c in checks):
        raise typer.Exit(1)


@app.command()
def compare(
    docs_opt: Optional[str] = typer.Option(None, "--docs", help="document ids, comma-separated"),
    jurisdictions_opt: Optional[str] = typer.Option(None, "--jurisdictions", help="地区, comma-separated"),
    topics: Optional[str] = typer.Option(None, "--topics", help="topics, comma-separated (default: all found)"),
    fmt: str = typer.Option("markdown", "--format", help="markdown | csv | xlsx | json"),
    out: Optional[Path] = typer.Option(None, "--out", help="output file (required for xlsx)"),
    corpus: Optional[Path] = CorpusOpt,
) -> None:
    """Side-by-side comparison: rows are topics, columns documents; 未规定 where a document is silent.

    \b
    Examples:
      policy-assistant compare
      policy-assistant compare --jurisdictions 湖北,重庆 --topics public_notice_min,annual_report
      policy-assistant compare --format xlsx --out compare.xlsx
    """
    from ..compare import compare as run_compare

    docs, table = _load(corpus)
    jurs, doc_ids = _resolve_scope(docs, jurisdictions_opt, docs_opt)
    comparison = run_compare(table, docs, doc_ids=doc_ids, jurisdictions=jurs, topics=_split(topics))
    if fmt == "xlsx":
        if out is None:
            raise AssistantError("xlsx 需要 --out 文件名。 --format xlsx needs --out FILE.xlsx.")
        comparison.to_xlsx(out)
        typer.echo(f"已写入 written: {out}")
        return
    text = {"markdown": comparison.to_markdown, "csv": comparison.to_csv, "json": comparison.to_json}.get(fmt)
    if text is None:
        raise typer.BadParameter("--format must be markdown, csv, xlsx or json")
    if out is not None:
        out.write_text(text(), encoding="utf-8")
        typer.echo(f"已写入 written: {out}")
    else:
        typer.echo(text())
