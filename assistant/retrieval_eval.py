"""Retrieval quality on an eval file: hit@k and MRR@10 per mode, side by side.

A question counts when it has gold citations (unanswerable ones are skipped). A retrieved
chunk is relevant when it has a gold citation's doc_id and article label, or contains the
gold quote (normalised), or — for chunks without our article labels, i.e. llama-index's
SentenceSplitter nodes — covers at least half of the gold article's text. hit@k: some
relevant chunk among the first k; MRR@10: mean of 1/rank of the first relevant chunk.

Jurisdiction filters come from the question text only (``find_in_text``), as the answer
engine does; never from the eval file's own ``jurisdiction`` field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from .jurisdictions import find_in_text
from .normalize import normalize_query
from .types import Chunk, Document, Hit

MODES = ("bm25", "dense", "hybrid", "llamaindex")
KS = (1, 3, 5)
MRR_AT = 10


def load_questions(path: str | Path) -> list[dict]:
    """The JSONL eval file (blank lines ignored); a bad line names its number."""
    from .evaluate import load_questions as load

    return load(path)


def question_filters(question: str, known: Sequence[str]) -> list[str]:
    """Jurisdictions of the corpus that the question names (empty: no filter)."""
    return [j for j in find_in_text(question) if j in known]


def is_relevant(chunk: Chunk, gold: dict, docs: dict[str, Document] | None = None) -> bool:
    if chunk.doc_id != gold.get("doc_id"):
        return False
    quote = gold.get("quote")
    if quote:
        q = normalize_query(quote)
        return q in chunk.text or q in normalize_query(chunk.text)
    label = gold.get("article")
    if not label:
        return False
    if chunk.article == label:
        return True
    doc = (docs or {}).get(chunk.doc_id)
    art = doc.article(label) if doc else None
    if art is None:
        return False
    overlap = min(chunk.end, art.end) - max(chunk.start, art.start)
    return overlap * 2 >= max(1, art.end - art.start)


def first_relevant(hits: Sequence[Hit], golds: Sequence[dict], docs=None) -> int:
    """1-based rank of the first relevant hit, 0 when none."""
    for rank, hit in enumerate(hits, start=1):
        if any(is_relevant(hit.chunk, g, docs) for g in golds):
            return rank
    return 0


def retrieval_metrics(questions: Iterable[dict], retriever, *, modes: Sequence[str] = MODES,
                      ks: Sequence[int] = KS, docs: list[Document] | None = None,
                      filters: bool = True) -> dict:
    """hit@k and MRR@10 for each mode over the questions that have gold citations."""
    questions = list(questions)
    for m in modes:
        if m not in MODES:
            raise ValueError(f"unknown mode {m!r}; choose from {', '.join(MODES)}")
    depth = max(max(ks), MRR_AT)
    if docs is None:
        from .corpus import load_corpus

        docs = load_corpus(retriever.settings)
    by_id = {d.id: d for d in docs}
    baseline = None
    if "llamaindex" in modes:
        from .retrieve import DefaultPipeline

        baseline = DefaultPipeline(docs, retriever.embedder)
    scored = [q for q in questions if q.get("gold_citations")]
    ranks: dict[str, list[int]] = {m: [] for m in modes}
    details = []
    for q in scored:
        juris = question_filters(q["question"], retriever.jurisdictions) if filters else []
        row = {"id": q.get("id", ""), "question": q["question"], "jurisdictions": juris, "ranks": {}}
        for m in modes:
            if m == "llamaindex":
                hits = baseline.search(q["question"], k=depth, jurisdictions=juris or None)
            else:
                hits = retriever.search(q["question"], k=depth, jurisdictions=juris or None, mode=m)
            r = first_relevant(hits, q["gold_citations"], by_id)
            ranks[m].append(r)
            row["ranks"][m] = r
        details.append(row)
    n = len(scored)
    table = {}
    for m in modes:
        rs = ranks[m]
        table[m] = {**{f"hit@{k}": _ratio(sum(1 for r in rs if 0 < r <= k), n) for k in ks},
                    f"mrr@{MRR_AT}": round(sum(1.0 / r for r in rs if 0 < r <= MRR_AT) / n, 4) if n else 0.0}
    return {"questions": n, "skipped": len(questions) - n, "filters": "question" if filters else "none",
            "modes": table, "per_question": details}


def _ratio(a: int, n: int) -> float:
    return round(a / n, 4) if n else 0.0


def format_retrieval_table(metrics: dict) -> str:
    """The metrics as a markdown table: one row per metric, one column per mode."""
    modes = list(metrics["modes"])
    keys = list(next(iter(metrics["modes"].values()), {}).keys())
    head = "| metric | " + " | ".join(modes) + " |"
    sep = "|---|" + "---:|" * len(modes)
    rows = []
    for key in keys:
        vals = [metrics["modes"][m][key] for m in modes]
        best = max(vals) if vals else None
        cells = [f"**{v:.3f}**" if v == best and vals.count(best) < len(vals) else f"{v:.3f}" for v in vals]
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    note = (f"\n{metrics['questions']} questions with gold citations ({metrics['skipped']} unanswerable skipped);"
            f" jurisdiction filter from the question text: {metrics['filters']}.")
    return "\n".join([head, sep, *rows]) + "\n" + note
