"""Answer commands: ask (one question, or a JSONL batch) and the answer eval runner.

``run_answer_eval(settings, path, by_type=…)`` is what ``policy-assistant eval FILE`` calls for
the answer metrics (the retrieval metrics live in commands/retrieval.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..cli import CorpusOpt, IndexOpt, app, emit_json, settings_from
from ..errors import AssistantError, BadQuestionError


def _load_engine(settings):
    from ..engine import Engine

    return Engine.load(settings)


def format_answer(answer) -> str:
    """Plain text: the answer, its sources and what the checker found."""
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append("来源 sources:")
        seen = []
        for c in answer.citations:
            key = (c.doc_id, c.article)
            if key in seen:
                continue
            seen.append(key)
            lines.append(f"  - 《{c.title}》{c.article}  [{c.doc_id} {c.start}–{c.end}]")
    counts = {s: sum(ch.status == s for ch in answer.checks) for s in ("verified", "unsupported", "contradicted")}
    lines.append(f"核对 checks: {counts['verified']} 已核实 verified · {counts['unsupported']} 无对应规则 unsupported"
                 f" · {counts['contradicted']} 不符 contradicted")
    if answer.abstained:
        lines.append("（语料未覆盖此问题 abstained）")
    return "\n".join(lines)


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, help="the question, in Chinese (or English)"),
    jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j", help="limit to one jurisdiction (湖北/鄂, 重庆/渝, 天津/津 …)"),
    doc: Optional[str] = typer.Option(None, "--doc", help="limit to one document id"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="answer every line's `question` of a JSONL file (other fields pass through)"),
    as_json: bool = typer.Option(False, "--json", help="Answer JSON (one object per line with --batch)"),
    corpus: Optional[Path] = CorpusOpt,
    index_dir: Optional[Path] = IndexOpt,
) -> None:
    """Answer a question from the documents, with citations and checked numbers.

    The CLI keeps no conversation state: each call is one question (the API and the web UI
    pass the history for follow-ups).

    \b
    Examples:
      policy-assistant ask "重庆碳计量中心筹建期几年？"
      policy-assistant ask "湖北筹建期几年？" --json
      policy-assistant ask "专家组几个人？" --jurisdiction 渝
      policy-assistant ask --batch evals/dev.jsonl --json > answers.jsonl
    """
    from ..engine import answer_to_dict

    if batch is None and (question is None or not question.strip()):
        raise BadQuestionError("请给出问题，或用 --batch 指定问题文件。 Give a question, or --batch FILE.jsonl.")
    engine = _load_engine(settings_from(corpus, index_dir))
    if batch is None:
        answer = engine.ask(question, jurisdiction=jurisdiction, doc_id=doc)
        emit_json(answer_to_dict(answer)) if as_json else typer.echo(format_answer(answer))
        return
    _ask_batch(engine, batch, as_json=as_json, jurisdiction=jurisdiction, doc_id=doc)


def _ask_batch(engine, path: Path, *, as_json: bool, jurisdiction=None, doc_id=None) -> None:
    """One Answer JSON per input line (the line's other fields first, e.g. ``id``)."""
    from ..engine import answer_to_dict
    from ..jsonl import read_rows

    for n, row in read_rows(path):
        try:
            answer = engine.ask(str(row.get("question") or ""), jurisdiction=jurisdiction,
                                doc_id=doc_id, history=row.get("history") or ())
            data = {**{k: v for k, v in row.items() if k not in ("question",)}, **answer_to_dict(answer)}
        except AssistantError as exc:  # one bad line does not stop the batch
            data = {**row, "error": str(exc)}
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            typer.echo(f"== {row.get('id', n)}: {row.get('question', '')}")
            typer.echo(data.get("answer") or f"错误 error: {data.get('error')}")
            typer.echo("")
    sys.stdout.flush()


def run_answer_eval(settings, path: Path | str, *, by_type: bool = False) -> dict:
    """Answer metrics of an eval file (DESIGN.md schema): see assistant/evaluate.py."""
    from ..evaluate import evaluate, load_questions

    questions = load_questions(path)
    return evaluate(questions, _load_engine(settings), by_type=True if by_type else False)


def emit_answer_eval(metrics: dict, *, as_json: bool, by_type: bool) -> None:
    """Print answer metrics: the table, or JSON (per-question rows included)."""
    from ..evaluate import failures, format_eval_table

    if as_json:
        emit_json(metrics)
        return
    typer.echo(format_eval_table(metrics, by_type=by_type))
    wrong = failures(metrics)
    if wrong:
        typer.echo("")
        typer.echo("不正确 incorrect: " + "; ".join(f"{w['id']} ({', '.join(w['why'])})" for w in wrong))
