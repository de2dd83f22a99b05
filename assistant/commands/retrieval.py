"""Retrieval commands: index, search, eval --retrieval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..cli import CorpusOpt, IndexOpt, app, emit_json, settings_from

ChromaOpt = typer.Option(None, "--chroma-url",
                         help="chromadb server URL, e.g. http://127.0.0.1:8000 (default: $PA_CHROMA_URL,"
                              " else the embedded store under the index folder)")


def _settings(corpus, index_dir, chroma_url):
    return settings_from(corpus, index_dir, chroma_url=chroma_url)


@app.command()
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="rebuild from scratch (needed after a model,"
                                 " chunking or dictionary change); cached embeddings are still reused"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable report"),
    chroma_url: Optional[str] = ChromaOpt,
    corpus: Optional[Path] = CorpusOpt,
    index_dir: Optional[Path] = IndexOpt,
) -> None:
    """Build the search index (jieba BM25 + m3e-small vectors in chromadb) from the corpus.

    Incremental: unchanged articles are never re-embedded; an up-to-date index is left as is.
    The new index replaces the old one atomically, so a failed build changes nothing.

    Examples:
      policy-assistant index
      policy-assistant index --rebuild
      policy-assistant index --chroma-url http://127.0.0.1:8000 --rebuild
    """
    from ..index import build_index, describe

    report = build_index(_settings(corpus, index_dir, chroma_url), rebuild=rebuild,
                         progress=not quiet and not as_json)
    emit_json(report.as_dict()) if as_json else typer.echo(describe(report))


def _hit_line(rank: int, hit) -> list[str]:
    c = hit.chunk
    ranks = " · ".join(f"{mode} #{r}" for mode, r in hit.ranks.items())
    where = " · ".join(p for p in (c.title, c.chapter) if p)
    snippet = c.text.replace("\n", " ")
    snippet = snippet[:90] + ("…" if len(snippet) > 90 else "")
    return [f"{rank:>2}. {c.doc_id}  {c.article}  score {hit.score:.4f}  ({ranks})",
            f"    {where}", f"    {snippet}"]


@app.command()
def search(
    query: Optional[str] = typer.Argument(None, help="question or keywords (Chinese or English)"),
    k: int = typer.Option(5, "-k", "--k", min=1, max=100, help="number of hits"),
    jurisdiction: Optional[list[str]] = typer.Option(None, "--jurisdiction", "-j",
                                                     help="地区 filter, repeatable: 湖北 / 鄂 / 重庆市 …"),
    doc: Optional[list[str]] = typer.Option(None, "--doc", help="document id filter, repeatable"),
    kind: Optional[list[str]] = typer.Option(None, "--kind", help="regulation | plan | news, repeatable"),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid | bm25 | dense"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="JSONL file: search every line's \"question\""),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    chroma_url: Optional[str] = ChromaOpt,
    corpus: Optional[Path] = CorpusOpt,
    index_dir: Optional[Path] = IndexOpt,
) -> None:
    """Search the articles: hybrid BM25 + dense retrieval with rank fusion.

    Each hit shows the document, the article, the fused score and the rank it had in each
    component. With --batch every line's "question" is searched (other fields are passed
    through) and one JSON line of hits is written per question, the models loaded once.

    Examples:
      policy-assistant search 碳计量中心筹建期限 --jurisdiction 渝
      policy-assistant search "验收不合格 整改" -k 3 --doc tianjin-data-2025 --json
      policy-assistant search --batch evals/dev.jsonl --json
    """
    from ..errors import BadQuestionError
    from ..retrieve import MODES, Retriever, hit_to_dict

    if mode not in MODES:
        raise typer.BadParameter(f"choose from {', '.join(MODES)}", param_hint="--mode")
    if batch is None and query is None:
        raise BadQuestionError("请给出检索内容，或用 --batch 文件。 Give a query, or --batch FILE.jsonl.")
    settings = _settings(corpus, index_dir, chroma_url)
    if query is not None:
        from ..retrieve import prepare_query

        prepare_query(query, max_chars=settings.max_question_chars)  # fail fast, before loading models
    retriever = Retriever.load(settings)
    filters = {"jurisdictions": jurisdiction or None, "doc_ids": doc or None, "kinds": kind or None}
    if batch is not None:
        _search_batch(retriever, batch, k=k, mode=mode, filters=filters)
        return
    hits = retriever.search(query, k=k, mode=mode, **filters)
    if as_json:
        emit_json({"query": query, "mode": mode, "hits": [hit_to_dict(h) for h in hits]})
        return
    if not hits:
        typer.echo("没有结果 no hits.")
    for rank, hit in enumerate(hits, start=1):
        for line in _hit_line(rank, hit):
            typer.echo(line)


def _search_batch(retriever, path: Path, *, k: int, mode: str, filters: dict) -> None:
    """One JSON line per input line: the input's fields plus "hits" (or "error")."""
    from ..errors import AssistantError
    from ..jsonl import read_rows
    from ..retrieve import hit_to_dict

    for _, row in read_rows(path):
        try:
            hits = retriever.search(row.get("question", ""), k=k, mode=mode, **filters)
            out = {**row, "hits": [hit_to_dict(h, text=False) for h in hits]}
        except AssistantError as exc:
            out = {**row, "hits": [], "error": str(exc)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def run_retrieval_eval(settings, path: Path | str) -> dict:
    """Retrieval metrics (hit@1/3/5, MRR@10 for bm25, dense, hybrid, llama-index default)."""
    from ..retrieval_eval import load_questions, retrieval_metrics
    from ..retrieve import Retriever

    questions = load_questions(path)
    return retrieval_metrics(questions, Retriever.load(settings))


@app.command("eval")
def eval_(
    file: Path = typer.Argument(..., help="eval JSONL (DESIGN.md schema), e.g. evals/dev.jsonl"),
    retrieval: bool = typer.Option(False, "--retrieval", help="retrieval metrics: hit@k and MRR per mode"),
    by_type: bool = typer.Option(False, "--by-type", help="answer metrics broken down by question type"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    chroma_url: Optional[str] = ChromaOpt,
    corpus: Optional[Path] = CorpusOpt,
    index_dir: Optional[Path] = IndexOpt,
) -> None:
    """Evaluate on a question file (DESIGN.md eval schema).

    Default: answer metrics (retrieval hit@k/MRR, citation accuracy, numeric exact match,
    must-mention, abstention accuracy, false abstentions, contradicted claims, overall
    correct, latency). --retrieval: hit@1/3/5 and MRR@10 of BM25, dense, hybrid and
    llama-index's default pipeline side by side (unanswerable questions skipped).

    \b
    Examples:
      policy-assistant eval evals/dev.jsonl
      policy-assistant eval evals/dev.jsonl --by-type
      policy-assistant eval evals/dev.jsonl --retrieval --json
    """
    from ..errors import BadQuestionError
    from ..retrieval_eval import format_retrieval_table

    if not Path(file).exists():
        raise BadQuestionError(f"找不到评测文件 {file}。 Eval file not found: {file}.")
    if not retrieval:
        from .answer import emit_answer_eval, run_answer_eval

        metrics = run_answer_eval(_settings(corpus, index_dir, chroma_url), file, by_type=by_type)
        emit_answer_eval(metrics, as_json=as_json, by_type=by_type)
        return
    try:
        metrics = run_retrieval_eval(_settings(corpus, index_dir, chroma_url), file)
    except ValueError as exc:
        raise BadQuestionError(str(exc)) from None
    if as_json:
        emit_json(metrics)
    else:
        typer.echo(format_retrieval_table(metrics))
