"""Answer evaluation: score an engine on an eval file in the DESIGN.md schema.

Each line: ``{"id", "question", "jurisdiction", "type", "gold_answer", "gold_values",
"gold_citations", "must_mention"}`` plus optional ``history`` (earlier turns, passed to
the engine) and ``source_id`` (paraphrases of one fact share it). The question is asked as written (the ``jurisdiction``
field is gold metadata, never passed to the engine). Metrics:

- retrieval hit@k / MRR: the engine's own retrieval for the question (its understood
  jurisdiction/document filters) against the gold citations;
- citation accuracy: share of answerable questions with gold citations whose answer cites at
  least one of them (same document and article; for a gold ``quote``, a cited span that
  overlaps where the quote occurs in the document); citation recall: mean share of the gold
  citations cited;
- numeric exact match: share of answerable questions with gold values whose answer states every
  gold value, after unit normalisation (1年 = 12个月; 天 = 日; 工作日 ≠ 日; a year written
  2035年 matches {"value": 2035, "unit": "年"}, and a month written 每年11月 matches
  {"value": 11, "unit": "月"} — a bare 月 after a number is the calendar month; 5个百分点 matches
  {"value": 5, "unit": "%"} and the other way round, a gap between two rates); a range [3, 5] is stated by "3—5" or by both
  ends, and a stated range "3—5人" states each of its ends (3人, 5人); a date matches its value or any of its ``alternatives``. Stated values are the
  quantities found in the answer text plus the answer's ``values``;
- must-mention coverage: share of must-mention phrases found in the answer text (compared
  without punctuation or spaces, full/half width folded);
- abstention accuracy: share of ``unanswerable`` questions answered with ``abstained: true``;
  false-abstention rate: share of answerable questions answered with ``abstained: true``;
- contradicted claims: checks with status ``contradicted`` in final answers (total, and the
  number of answers with any);
- overall correct — answerable: not abstained, every gold value stated, at least one gold
  citation cited (when there are gold citations), every must-mention phrase present, and no
  contradicted claim; unanswerable: abstained and no contradicted claim;
- latency p50/p95 of ``engine.ask`` (wall clock, ms).

Nothing here knows a particular question: the same rules score any file in the schema.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from pathlib import Path

from .components import FALLBACK, intents
from .jsonl import JsonlError, read_rows
from .normalize import normalize_query
from .numbers import POINTS, find_quantities, normalise, same_value
from .check import COUNT_UNITS  # the measure words a count of listed items is written with
from .types import Answer, Document

# question types: one per answer component (the fallback "other" is no type of its own), and abstentions
TYPES = tuple(i for i in intents() if i != FALLBACK) + ("unanswerable",)
_PUNCT = re.compile(r"[\s,，。.;；:：、!！?？\"'“”‘’《》<>()（）\[\]【】〔〕·—\-–~/|*_#>]+")


EvalFileError = JsonlError  # an eval file that cannot be read (kept name)


def load_questions(path: str | Path) -> list[dict]:
    """The questions of a JSONL eval file; a line without ``id`` gets ``line<N>``."""
    out = []
    for n, row in read_rows(path, need_question=True):
        row.setdefault("id", f"line{n}")
        out.append(row)
    return out


# ------------------------------------------------------------------------------ matching

def fold(text: str) -> str:
    """Text for phrase matching: normalised, without punctuation or spaces."""
    return _PUNCT.sub("", normalize_query(text or "").lower())


def stated_values(answer: Answer) -> list[tuple[object, str]]:
    """(value, unit) of every quantity in the answer text and its ``values``."""
    out = []
    for q in find_quantities(normalize_query(answer.answer.replace("\n", "。"))):
        out.append((q.value, q.unit))
    for v in answer.values:
        value = v.get("value")
        value = tuple(value) if isinstance(value, list) else value
        out.append((value, v.get("unit", "")))
        for alt in v.get("alternatives", ()) or ():
            out.append((alt, "date"))
    return out


def value_found(gold: dict, stated: list[tuple[object, str]]) -> bool:
    """A gold value is stated (see the module docstring for the normalisation rules)."""
    value, unit = gold.get("value"), str(gold.get("unit", ""))
    if unit == "date":
        wanted = {str(value), *map(str, gold.get("alternatives", ()) or ())}
        return any(u == "date" and str(v) in wanted for v, u in stated)
    if isinstance(value, list):
        lo, hi = value
        if any(isinstance(v, tuple) and same_value(v, u, (lo, hi), unit) and tuple(normalise(v, u)[0]) ==
               tuple(normalise((lo, hi), unit)[0]) for v, u in stated):
            return True
        return all(value_found({"value": end, "unit": unit}, stated) for end in (lo, hi))
    for v, u in stated:
        if isinstance(v, tuple) and len(v) == 2 and not isinstance(value, str):
            # a stated range 3—5人 holds both of its ends (DESIGN.md: eval files)
            try:
                if any(same_value(end, u, value, unit) for end in v):
                    return True
            except (TypeError, ValueError):
                pass
            continue
        if v is None:
            continue
        if unit == "年" and u == "年份" and v == value:
            return True
        if unit in ("月份", "月") and u == "月份" and v == value:  # 11月 as written: the calendar month, like 2025年
            return True
        if unit in COUNT_UNITS and u in COUNT_UNITS and v == value:  # 9种情形 = 共列9项: one count of items
            return True
        if {unit, u} == {"%", POINTS} and v == value:  # a gap of rates: 5个百分点 and "5%" say the same
            return True
        try:
            if not isinstance(v, str) and same_value(v, u, value, unit):
                return True
        except (TypeError, ValueError):
            continue
    return False


def _gold_spans(docs: dict[str, Document], gold: dict) -> list[tuple[int, int]]:
    """Every place the gold quote occurs in its document: a quote names a passage by its words,
    so a cited passage holding those words matches wherever the document repeats them."""
    doc = docs.get(gold.get("doc_id", ""))
    quote = gold.get("quote")
    if not doc or not quote:
        return []
    spans = []
    for q in dict.fromkeys((normalize_query(quote), quote)):
        pos = doc.text.find(q)
        while pos >= 0:
            spans.append((pos, pos + len(q)))
            pos = doc.text.find(q, pos + 1)
        if spans:
            break
    return spans


def citation_matches(gold: dict, cited, docs: dict[str, Document]) -> bool:
    """A cited passage (Citation or Chunk-like with doc_id/article/start/end) matches a gold citation."""
    if getattr(cited, "doc_id", None) != gold.get("doc_id"):
        return False
    if gold.get("article"):
        return getattr(cited, "article", "") == gold["article"]
    return any(cited.start < end and start < cited.end for start, end in _gold_spans(docs, gold))


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


# ------------------------------------------------------------------------------ evaluation

def score_answer(q: dict, answer: Answer, *, docs: dict[str, Document], hits=()) -> dict:
    """Per-question scores (see the module docstring)."""
    unanswerable = q.get("type") == "unanswerable"
    gold_values = q.get("gold_values") or []
    gold_cites = q.get("gold_citations") or []
    must = [m for m in (q.get("must_mention") or []) if str(m).strip()]
    stated = stated_values(answer)
    found_values = [value_found(g, stated) for g in gold_values]
    cited = [any(citation_matches(g, c, docs) for c in answer.citations) for g in gold_cites]
    text = fold(answer.answer)
    mentioned = [fold(m) in text for m in must]
    contradicted = sum(c.status == "contradicted" for c in answer.checks)
    rank = None
    for n, h in enumerate(hits or (), start=1):
        if any(citation_matches(g, h.chunk, docs) for g in gold_cites):
            rank = n
            break
    if unanswerable:
        correct = answer.abstained and not contradicted
    else:
        correct = (not answer.abstained and all(found_values) and (not gold_cites or any(cited))
                   and all(mentioned) and not contradicted)
    return {
        "id": q.get("id"), "type": q.get("type", ""), "unanswerable": unanswerable,
        "abstained": answer.abstained, "values": found_values, "cited": cited, "mentioned": mentioned,
        "contradicted": contradicted, "rank": rank, "has_gold_citations": bool(gold_cites),
        "correct": bool(correct), "latency_ms": answer.timings_ms.get("total", 0.0), "intent": answer.intent,
    }


def summarize(rows: list[dict], *, k: int) -> dict:
    """Aggregate per-question scores into the metrics table."""
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    with_values = [r for r in answerable if r["values"]]
    with_cites = [r for r in answerable if r["cited"]]
    with_must = [r for r in answerable if r["mentioned"]]
    retrieval = [r for r in rows if r["has_gold_citations"]]
    mentions = [m for r in with_must for m in r["mentioned"]]

    def share(items, pred) -> float | None:
        items = list(items)
        return round(sum(1 for x in items if pred(x)) / len(items), 4) if items else None

    latencies = [r["latency_ms"] for r in rows]
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        f"retrieval_hit@{k}": share(retrieval, lambda r: r["rank"] is not None),
        "retrieval_mrr": round(sum(1 / r["rank"] for r in retrieval if r["rank"]) / len(retrieval), 4) if retrieval else None,
        "citation_accuracy": share(with_cites, lambda r: any(r["cited"])),
        "citation_recall": round(statistics.mean(sum(r["cited"]) / len(r["cited"]) for r in with_cites), 4) if with_cites else None,
        "numeric_exact_match": share(with_values, lambda r: all(r["values"])),
        "must_mention_coverage": round(sum(mentions) / len(mentions), 4) if mentions else None,
        "abstention_accuracy": share(unanswerable, lambda r: r["abstained"]),
        "false_abstention_rate": share(answerable, lambda r: r["abstained"]),
        "contradicted_claims": sum(r["contradicted"] for r in rows),
        "answers_with_contradictions": sum(1 for r in rows if r["contradicted"]),
        "overall_correct": share(rows, lambda r: r["correct"]),
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
    }


def gold_problems(questions: list[dict], docs: dict[str, Document]) -> list[str]:
    """Gold citations that cannot match any answer: an unknown document, an ``article`` the
    document does not have (news/plan texts are cited by ``quote``, DESIGN.md), a ``quote``
    not found in the document, or neither ``article`` nor ``quote``."""
    out = []
    for q in questions:
        for g in q.get("gold_citations") or ():
            doc = docs.get(str(g.get("doc_id", "")))
            if doc is None:
                out.append(f"{q['id']}: 未知文档 doc_id {g.get('doc_id')!r} (unknown document)")
            elif g.get("article"):
                if doc.article(str(g["article"])) is None:
                    out.append(f"{q['id']}: {doc.id} 没有 {g['article']!r} (no such article; "
                               f"cite a news/plan text by `quote`)")
            elif g.get("quote"):
                if not _gold_spans(docs, g):
                    out.append(f"{q['id']}: {doc.id} 中找不到 quote {g['quote']!r} (quote not in the document)")
            else:
                out.append(f"{q['id']}: {doc.id} 的引用既无 article 也无 quote (needs `article` or `quote`)")
    return out


def evaluate(questions: list[dict], engine, *, k: int = 5, by_type: bool = True) -> dict:
    """Ask every question and score the answers: {"overall": {...}, "by_type": {...}, "questions": [...]}.
    Gold citations that cannot match any answer stop the run first (``gold_problems``)."""
    docs = {d.id: d for d in engine.docs}
    problems = gold_problems(questions, docs)
    if problems:
        shown = "\n  ".join(problems[:8]) + (f"\n  …另有 {len(problems) - 8} 处 ({len(problems) - 8} more)"
                                              if len(problems) > 8 else "")
        raise EvalFileError(f"评测文件的标准引用无法匹配任何回答，请更正后重试：\n  {shown}\n"
                            "Gold citations that no answer can match; fix them and run again.")
    rows = []
    for q in questions:
        t0 = time.perf_counter()
        run = engine.run(str(q["question"]), history=tuple(q.get("history") or ()))
        elapsed = (time.perf_counter() - t0) * 1000
        answer = _with_timings(run.answer, {**run.answer.timings_ms, "total": round(elapsed, 1)})
        row = score_answer(q, answer, docs=docs, hits=run.hits[:k])
        row["answer"] = answer.answer
        rows.append(row)
    for q, row in zip(questions, rows):
        row["source_id"] = q.get("source_id")
    result = {"k": k, "overall": {**summarize(rows, k=k), **consistency(rows)}, "questions": rows,
              "evaluated_at": dt.datetime.now().isoformat(timespec="seconds")}
    if by_type:
        result["by_type"] = {t: summarize([r for r in rows if r["type"] == t], k=k)
                             for t in list(TYPES) + sorted({r["type"] for r in rows} - set(TYPES))
                             if any(r["type"] == t for r in rows)}
    return result


def consistency(rows: list[dict]) -> dict:
    """Paraphrase consistency: rows sharing a ``source_id`` ask one fact in several phrasings;
    a fact is consistent when every phrasing of it is answered correctly. Empty without groups."""
    groups: dict[str, list[bool]] = {}
    for r in rows:
        if r.get("source_id"):
            groups.setdefault(str(r["source_id"]), []).append(r["correct"])
    groups = {k: v for k, v in groups.items() if len(v) > 1}
    if not groups:
        return {}
    return {"facts": len(groups),
            "paraphrase_consistency": round(sum(all(v) for v in groups.values()) / len(groups), 4)}


def _with_timings(answer: Answer, timings: dict) -> Answer:
    from dataclasses import replace

    return replace(answer, timings_ms=timings)


# ------------------------------------------------------------------------------ output

_COLUMNS = (
    ("n", "questions"), ("hit@k", None), ("MRR", "retrieval_mrr"), ("cite", "citation_accuracy"),
    ("num EM", "numeric_exact_match"), ("mention", "must_mention_coverage"),
    ("abstain", "abstention_accuracy"), ("false abst", "false_abstention_rate"),
    ("contra", "contradicted_claims"), ("correct", "overall_correct"),
    ("p50 ms", "latency_p50_ms"), ("p95 ms", "latency_p95_ms"),
)


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer() or isinstance(value, float) and value <= 1:
        return f"{value:.3f}" if value <= 1 else f"{value:.1f}"
    return str(value)


def format_eval_table(metrics: dict, by_type: bool = False) -> str:
    """A plain-text table: one row overall, and one per question type with ``by_type``."""
    k = metrics.get("k", 5)
    rows = [("overall", metrics["overall"])]
    if by_type:
        rows += list((metrics.get("by_type") or {}).items())
    header = ["", *(f"hit@{k}" if name == "hit@k" else name for name, _ in _COLUMNS)]
    lines = [header]
    for name, m in rows:
        cells = [name]
        for col, key in _COLUMNS:
            cells.append(_cell(m.get(f"retrieval_hit@{k}") if key is None else m.get(key)))
        lines.append(cells)
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    out = ["  ".join(c.rjust(widths[i]) if i else c.ljust(widths[i]) for i, c in enumerate(r)) for r in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    o = metrics["overall"]
    out += ["", f"answerable {o['answerable']} · unanswerable {o['unanswerable']} · "
                f"citation recall {_cell(o.get('citation_recall'))} · "
                f"answers with contradicted claims {o.get('answers_with_contradictions', 0)}"]
    if o.get("facts"):
        out.append(f"paraphrase consistency {_cell(o['paraphrase_consistency'])} "
                   f"({o['facts']} facts, each correct in every phrasing)")
    return "\n".join(out)


def failures(metrics: dict) -> list[dict]:
    """The questions scored incorrect, with what failed (for reports)."""
    out = []
    for r in metrics.get("questions", ()):
        if r["correct"]:
            continue
        why = []
        if r["unanswerable"] and not r["abstained"]:
            why.append("did not abstain")
        if not r["unanswerable"] and r["abstained"]:
            why.append("abstained")
        if r["values"] and not all(r["values"]):
            why.append("value missing")
        if r["cited"] and not any(r["cited"]):
            why.append("no gold citation")
        if r["mentioned"] and not all(r["mentioned"]):
            why.append("must-mention missing")
        if r["contradicted"]:
            why.append("contradicted claim")
        out.append({"id": r["id"], "type": r["type"], "why": why})
    return out
