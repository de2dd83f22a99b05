"""Procedure: the articles that describe how to apply, submit or be assessed, and the materials
to submit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..types import Article, Document
from ..understand import Query, subject_terms
from ..writer import (Draft, Writer, measure, sentence_spans)

from .extractive import extractive
from .numeric import PASS_SCORE, numeric

if TYPE_CHECKING:
    from ..compose import Composer


STEP = 0.35  # an article of the chapter scoring this share of the best one is a step the question names
MAX_STEPS = 4


# "公示完了然后呢？": the step after the one the question names (the evidence review leaves it be)
NEXT_STEP = "next_step"
SHORT_STEP = 120  # characters of a next step short enough to give the step after it too
NEXT = re.compile(r"然后呢|之后呢|后面[^,，。?？]{0,4}怎么(?:审|弄|走|处理|安排)|接下来呢|接下来要|接下来怎么|下一步|完了呢|完了以后呢|以后呢|后面呢|然后怎么办|然后干什么|"
                  r"然后要做什么|之后要做什么|之后是什么|下一个环节|what next|what happens next|then what|after that")


def next_step(ctx: "Composer", q: Query, hits, scope: list[Document], out: Writer) -> Draft | None:
    """The article after the one the question names, in the document's order: the documents
    write a procedure as consecutive articles, so what follows a step is the next one."""
    ranked = ctx.rank_articles(q, hits, [d.id for d in scope if d.meta.kind == "regulation"], drop_intent="procedure")
    if not ranked or ranked[0][0] < 0.3:
        return None
    _, doc, art = ranked[0]
    following = [a for a in doc.articles if a.number > art.number][:2]  # (the next chapter's first, too)
    if not following:
        return None
    nxt = following[0]
    out.line(f"{ctx.who(doc)}{art.label}之后是{nxt.label}：{article_body(ctx, q, doc, nxt, out)}")
    if len(following) > 1 and nxt.end - nxt.start <= SHORT_STEP:
        # a short step (a decision, a notice) is followed at once by the one after it
        then = following[1]
        out.line(f"- 其后{then.label}：{article_body(ctx, q, doc, then, out, limit=WALK_LIMIT)}")
    return out.draft("procedure", topic=NEXT_STEP)


def procedure(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    if q.scores and ctx.rules(PASS_SCORE, q.doc_ids):
        # "考了70，整改了2个月还是72分，接下来呢？": what comes next follows from the user's score
        # and the pass mark (numeric.score_verdict and its next step), not from article order
        return numeric(ctx, q, hits, out)
    if NEXT.search(q.text) and not (q.asks_number and q.topics) and not (
            asks_a_walk(q.text) and not _ONE_STEP.search(q.text)):  # (一步步怎么走 walks; 下一步 is one step)
        # (not "听说下一步要公示，公示期至少要多久？": a number of a named topic is asked)
        drafted = next_step(ctx, q, hits, scope, out)
        if drafted:
            return drafted
    topic_arts = {(r.doc_id, r.article) for t in q.topics[:1] for r in ctx.rules(t, q.doc_ids)}
    ranked = ctx.rank_articles(q, hits, [d.id for d in scope], drop_intent="procedure")
    if "材料" in q.text and len(scope) <= 2 and not topic_arts and not asks_a_walk(q.text) and (
            _materials_lead(ctx, ranked)):
        drafted = materials(ctx, q, scope, out)
        if drafted:
            return drafted
    if topic_arts:  # a rules topic the question names (年度报告 …): its articles first
        ranked = sorted(((sc + 0.2 if (d.id, a.label) in topic_arts else sc, d, a) for sc, d, a in ranked),
                        key=lambda x: -x[0])
    listed = {(p.doc_id, p.article) for p in ctx.table.provisions if p.kind in ("conditions", "tasks")}
    ranked = [x for x in ranked if (x[1].id, x[2].label) not in listed]
    if not ranked or ranked[0][0] < 0.2:
        return extractive(ctx, q, hits, out)
    top, doc, best = ranked[0]
    walked = walk(ctx, q, hits, doc, listed) or _after_at_once(ctx, q, hits, doc, listed)
    if walked:
        compact = len(walked) > MAX_WALK  # a whole process: each step by its first and last sentences
        for n, art in enumerate(walked):
            body = article_body(ctx, q, doc, art, out, limit=WALK_LIMIT, lead_only=compact)
            out.line(f"{'' if n == 0 else '- '}{ctx.who(doc)}{art.label}：{body}")
        return out.draft("procedure")
    if any(w in q.text for w in ctx.vocab.process) and doc.meta.kind == "regulation":
        # a process: its steps in order, from the earliest step the question matches well (收到
        # 申请后 → 形式审查) through the best-matched one (批准筹建), within the chapter
        strong = [a for sc, d, a in ranked if d.id == doc.id and a.chapter == best.chapter and sc >= STEP * top]
        first = min([best.number] + [a.number for a in strong])
        # and on past the best-matched step while the next articles still match (验收: 申请,
        # 组织考核, 现场审查, 评分 are one process)
        last = best.number
        numbers = {a.number for a in strong}
        while {last + 1, last + 2} & numbers:  # (a step between two matching ones belongs too)
            last = max({last + 1, last + 2} & numbers)
        chapter = [a for a in doc.articles if a.chapter == best.chapter and a.number >= first
                   and (doc.id, a.label) not in listed]
        chosen = chapter[:max(3, min(MAX_STEPS, last - first + 1))] or [best]
    else:
        chosen = [a for sc, d, a in ranked if d.id == doc.id and sc >= 0.75 * top][:3]
    for n, art in enumerate(chosen):
        prefix = "" if n == 0 else "- "
        out.line(f"{prefix}{ctx.who(doc)}{art.label}：{article_body(ctx, q, doc, art, out)}")
    return out.draft("procedure")


# "从提申请到批准筹建，整个流程是怎样的？", "收到申请后要走哪些流程？": the steps between two
# events (or from one event to the end of its chapter), in the document's order
_RANGE = re.compile(r"从(?P<a>[^,，。?？从]{2,20}?)(?:开始)?(?:到|至|直到)(?P<b>[^,，。?？]{2,20}?)"
                    r"(?=[,，。?？]|整个|全部|一共|总共|大概|大致|要走|需要|要经过|都|有哪些|的流程|的程序|的步骤|$)")
# "材料交上去以后，市局要走哪几步才会批筹？", "交了验收申请以后，后面一步步怎么走？": from the
# step named before 以后 on (to the one after 才 when it is named)
_AFTER = re.compile(r"(?P<a>[^,，。?？]{2,20}?)(?:以后|之后|后)[,，]?[^,，。?？]{0,10}?"
                    r"(?:走|经过|经历|有|是)?(?:哪些|什么|几个|几道|哪几|一步步)?"
                    r"(?:流程|程序|步骤|环节|手续|步|怎么走|如何走)"
                    r"(?:[^,，。?？]{0,4}?才(?:会|能|可以)?(?P<b>[^,，。?？]{2,10}))?")
# "收到申请以后是怎么审的，一直到批筹？": from the step named before 以后 to the one after 一直到
_AFTER_UNTIL = re.compile(r"(?P<a>[^,，。?？]{2,20}?)(?:以后|之后|后)[^。?？]{0,14}?(?:一直|直|一路)到(?P<b>[^,，。?？]{2,10})")
_ONE_STEP = re.compile(r"下一步|下一个环节|next")
# "建设申请交上去后，是不是直接组织专家现场验收？": whether a step comes at once after another is
# answered by the steps that do follow it, from the one named before 后
AFTER_AT_ONCE = re.compile(r"(?P<a>[^,，。?？]{2,24}?)(?:以后|之后|后)[,，]?\s*(?:是不是|是否|会不会|就|会)*"
                            r"(?:直接|马上|立刻|立即|当场|接着就|随即)")
AT_ONCE_STEPS = 3  # articles from the named step on that say what follows it


def asks_a_walk(text: str) -> bool:
    """The question asks the steps between two events, or after one ("从提申请到批筹…",
    "收到申请以后…一直到批筹", "交了验收申请以后后面怎么走")."""
    return bool(_RANGE.search(text) or _AFTER_UNTIL.search(text) or _AFTER.search(text))


MAX_WALK = 7  # articles quoted in full (key sentences of a long one) in a walk through a process
MAX_STEPS_WALKED = 12  # articles at most in a walk (beyond MAX_WALK, each by its first and last sentences)
NEAR = 0.8  # a first step scoring this share of the best match counts as matching it
WALK_LIMIT = 160  # characters of an article quoted whole in a walk; a longer one gives its key sentences


def _step(ctx: "Composer", q: Query, hits, doc: Document, words: str, listed, *, first: bool,
          before: Article | None = None) -> Article | None:
    """The article of ``doc`` that best matches the words naming one step; for the first step,
    the earliest of those matching nearly as well (a process starts where the text first says it:
    "递交申请" is the application article, not a later one that also says 申请)."""
    terms = subject_terms(words, vocab=ctx.vocab, drop=tuple(q.jurisdictions))
    if not terms:
        return None
    ranked = ctx.rank_articles(replace(q, terms=terms), hits, [doc.id], drop_intent="procedure")
    ranked = [x for x in ranked if (x[1].id, x[2].label) not in listed]
    if before is not None:  # the first step of a process ending at ``before``: not after it, and not
        # in the general provisions (a chaptered document's first chapter says what it applies to)
        opening = doc.articles[0].chapter if doc.articles else ""
        ranked = [x for x in ranked if x[2].number <= before.number and not (opening and x[2].chapter == opening)]
    if not ranked or ranked[0][0] < 0.2:
        return None
    if first:
        return min((a for sc, _, a in ranked if sc >= NEAR * ranked[0][0]), key=lambda a: a.number)
    return ranked[0][2]


def walk(ctx: "Composer", q: Query, hits, doc: Document, listed) -> list[Article]:
    """The articles from the step the question starts at to the one it ends at (or to the end of
    the starting step's chapter), for a question asking a process between events; [] otherwise."""
    if doc.meta.kind != "regulation":
        return []
    m = _RANGE.search(q.text) or _AFTER_UNTIL.search(q.text) or _AFTER.search(q.text)
    if not m:
        return []
    if m.groupdict().get("b"):
        end = _step(ctx, q, hits, doc, m.group("b"), listed, first=False)
        start = _step(ctx, q, hits, doc, m.group("a"), listed, first=True, before=end) if end else None
    else:
        start = _step(ctx, q, hits, doc, m.group("a"), listed, first=True)
        end = max((a for a in doc.articles if a.chapter == start.chapter), key=lambda a: a.number) if start else None
    if start is None or end is None or end.number < start.number:
        return []
    steps = [a for a in doc.articles if start.number <= a.number <= end.number and (doc.id, a.label) not in listed]
    return steps[:MAX_STEPS_WALKED] if len(steps) >= 2 else []


def _after_at_once(ctx: "Composer", q: Query, hits, doc: Document, listed) -> list[Article]:
    """The named step and the articles after it in its chapter (AT_ONCE_STEPS), for a question
    whether something comes at once after a step; [] otherwise."""
    m = AFTER_AT_ONCE.search(q.text)
    if not m or doc.meta.kind != "regulation":
        return []
    start = _step(ctx, q, hits, doc, m.group("a"), listed, first=True)
    if start is None:
        return []
    steps = [a for a in doc.articles if a.chapter == start.chapter and a.number >= start.number
             and (doc.id, a.label) not in listed]
    return steps[:AT_ONCE_STEPS] if len(steps) >= 2 else []


def article_body(ctx: "Composer", q: Query, doc: Document, art: Article, out: Writer, *, limit: int = 260,
                 lead_only: bool = False) -> str:
    """An article's text (without its label) when short; else its first, best and last sentences
    (its first and last sentences, as one step of a long walk)."""
    sents = sentence_spans(doc, art)
    if not sents:
        return ""
    if lead_only:  # (and its last: where a step ends, "…下达《筹建任务书》")
        picked = sorted({sents[0], sents[-1]})
    elif sents[-1][1] - sents[0][0] <= limit:
        picked = sents
    else:
        grams = ctx.qgrams(q, doc, drop_intent="procedure")
        best = max(sents, key=lambda x: ctx.coverage(grams, doc.text[x[0]:x[1]]))
        picked = sorted({sents[0], best, sents[-1]})
    for r in ctx.table.rules:
        if r.doc_id == doc.id and r.article == art.label and any(s <= r.start < e for s, e in picked):
            out.value(r)
    return "".join(f"{ctx.quote_span(out, doc, art, s, e)}。" for s, e in picked)


def _materials_lead(ctx: "Composer", ranked) -> bool:
    """The evidence is about what to submit: an article listing the materials is the best match
    in some document (not for "是不是只审书面材料、不做实地核查", where the review article leads)."""
    lists = {(p.doc_id, p.article) for p in ctx.table.provisions if p.kind == "materials"}
    best: dict[str, tuple[float, str]] = {}
    for sc, d, a in ranked:
        best.setdefault(d.id, (sc, a.label))
    return any((did, label) in lists for did, (sc, label) in best.items())


def materials(ctx: "Composer", q: Query, scope: list[Document], out: Writer) -> Draft | None:
    provs = [p for p in ctx.table.provisions if p.kind == "materials" and p.doc_id in q.doc_ids]
    for d in scope:
        mine = sorted((p for p in provs if p.doc_id == d.id), key=lambda p: p.start)
        if not mine:
            continue
        art = d.article(mine[0].article)
        if not art.items:  # a sentence names the materials: the article says to whom, how
            out.line(f"{ctx.who(d)}{art.label}：{article_body(ctx, q, d, art, out)}")
            continue
        ls, le = ctx.intro(d, art)
        listed = sum(1 for p in mine if p.article == art.label and p.item)
        count = f"（共{listed}{measure(q.text)}）" if listed >= 2 else ""
        out.line(f"{ctx.who(d)}{art.label}{count}：{d.text[ls:le]} {out.cite(d, art.label, ls, le)}：")
        for p in mine:
            out.line(f"- {p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}")
        covered = [(p.start, p.end) for p in mine] + ([ctx.intro(d, art)] if art.items else [])
        for s, e in sentence_spans(d, art):
            if not any(a <= s < b or s <= a < e for a, b in covered):
                out.line(f"- {ctx.quote_span(out, d, art, s, e)}")
    return out.draft("procedure", topic="materials") if out.lines else None
