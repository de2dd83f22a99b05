"""A comparison asked of each document: the same question, answered for one document at a time.

"湖北和重庆申请碳计量中心的递交渠道有什么区别？" asks each document what it says about the
application's channel. The comparison component's own table (components/comparison.py) is
right when the rules table holds the compared topic (筹建期限, 合格分数 …: the rules line up
cell by cell). Otherwise it has to pick each document's clauses by the question's words alone,
and a question whose words are in no article (渠道, 谁点头, 后果) gets a neighbouring article.

``compare_each`` answers such a comparison per document instead, with the pipeline a
single-document question goes through: the question's intent without the comparison, retrieval
restricted to the document, its component (the route of an application, a revocation ground,
the next step …), the evidence review. The answers go side by side in one table, one column per
document, one citation list; a document whose answer abstains is said not to provide it.

Nothing here knows a document or a question.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .compose import Draft
from .components.comparison import GOALS, LIST_NAMES, LIST_WORDS, header, text_summary
from .components.route import ASKS_ACTOR
from .understand import Query, single_intent

if TYPE_CHECKING:
    from .engine import Engine

MAX_EACH = 4  # documents answered one by one (more: the comparison component's own table)
# what a question about a rules-table topic may ask beyond its number ("复查没通过分别怎么处理？",
# "交验收申请前要谁先同意？"): each document's own answer to it
BEYOND = ("revocation", "procedure")
LISTED = ("eligibility", "task")  # intents answered from a list the subject may lie outside (conditions, tasks)


def compare_each(engine: "Engine", query: Query, draft: Draft) -> Draft:
    """The comparison answered per document, or ``draft`` unchanged when the comparison is of
    rules-table topics, abstained, or covers fewer than two or more than MAX_EACH documents."""
    ctx = engine.composer
    if draft.intent != "comparison" or draft.abstained or draft.settled or query.intent != "comparison":
        return draft
    if (draft.topic in LIST_NAMES and LIST_WORDS[draft.topic].search(query.text)
            and any(line.startswith(f"{LIST_NAMES[draft.topic]}：") for line in draft.text.split("\n"))):
        return draft  # whole lists the question names, side by side and counted ("主要任务比湖北的多了哪些内容？")
    if draft.topic == GOALS:
        return draft  # each plan's goals for the year asked: what the plans say of that year, side by side
    intent = single_intent(query, ctx.vocab)
    if intent in LISTED and draft.topic == intent:
        intent = "other"  # the comparison found the subject outside the intent's list ("验收环节的要求"): each document's evidence
    if ctx.has_topic(draft.topic) and (query.asks_number or (intent not in BEYOND and not ASKS_ACTOR.search(query.text))):
        return draft  # the rules line up cell by cell (a body on the way, 谁点头, is no rule's number)
    shown = set(draft.doc_ids) | {c.doc_id for c in draft.citations}
    docs = [ctx.docs[i] for i in query.doc_ids if i in ctx.docs and i in shown]
    if not 2 <= len(docs) <= MAX_EACH:
        return draft
    answers: list[tuple] = []
    for doc in docs:
        q = replace(query, intent=intent, doc_ids=(doc.id,), jurisdictions=(doc.meta.jurisdiction,),
                    missing_kind=(), foreign=(), clause_topics=())
        answers.append((doc, engine.compose_one(q)))
    if sum(not d.abstained for _, d in answers) < 2:
        return draft  # one document answers at most: the comparison's own table says more
    cells, cited = [], []
    for doc, mine in answers:
        own = [c for c in draft.citations if c.doc_id == doc.id]
        if doc.id in draft.columns and (mine.abstained or _first_article(mine, doc.id) in {c.article for c in own}):
            # the document's own answer rests on the article the table quotes (whose clauses were
            # chosen for what the others lack): the table's cell stands
            cells.append(draft.columns[doc.id])
            cited.append(own)
        else:
            cells.append(_cell(mine))
            cited.append([] if mine.abstained else mine.citations)
    if all(c == draft.columns.get(d.id) for c, (d, _) in zip(cells, answers)):
        return draft
    spans = {doc.id: [(doc.article(c.article), c.start, c.end) for c in cs if doc.article(c.article)]
             for (doc, _), cs in zip(answers, cited)}
    lines = [text_summary(ctx, query, docs, spans, None), "",
             "| " + " | ".join(header(ctx, d) for d, _ in answers) + " |",
             "|" + "---|" * len(answers),
             "| " + " | ".join(cells) + " |"]
    citations, values, events, doc_ids = [], [], [], []
    for (doc, mine), cs in zip(answers, cited):
        known = {(c.doc_id, c.article, c.start, c.end) for c in citations}
        citations += [c for c in cs if (c.doc_id, c.article, c.start, c.end) not in known]
        if cs is mine.citations:
            values += [v for v in mine.values if v not in values]
            events += [e for e in mine.events if e not in events]
        else:  # the table's own values of this document
            values += [v for v in draft.values if v not in values
                       and getattr(ctx.rule_by_id.get(v.get("rule_id")), "doc_id", "") == doc.id]
        doc_ids += [doc.id] if doc.id not in doc_ids else []
    return replace(draft, text="\n".join(lines), citations=citations, values=values, events=events,
                   doc_ids=doc_ids, columns=dict(zip((d.id for d, _ in answers), cells)))


def _first_article(d: Draft, doc_id: str) -> str:
    return next((c.article for c in d.citations if c.doc_id == doc_id), "")


def _cell(d: Draft) -> str:
    """One document's answer in a table cell: its lines joined (a line announcing a list runs
    into its items), list dashes dropped."""
    if d.abstained:
        return "未规定"
    text = ""
    for line in d.text.split("\n"):
        part = line.strip().lstrip("-").strip().rstrip("。；")
        if not part or part.startswith("|"):
            continue
        text += part if not text or text.endswith("：") else f"；{part}"
    return text.replace("|", "｜") + "。"
