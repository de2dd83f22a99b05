"""Anything else: the best sentences of the best-matching articles.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..understand import Query
from ..writer import (Draft, Writer)
from .numeric import date_topic, numeric

if TYPE_CHECKING:
    from ..compose import Composer


# "除了报告市局还有啥要做的？": the user knows one requirement and asks the rest of the article
BESIDES = re.compile(r"除了|除此之外|除此以外|以外还|之外还|besides|apart from|other than")


def extractive(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    scope = [d for d in (ctx.docs[i] for i in q.doc_ids if i in ctx.docs)]
    if not q.topics and date_topic(ctx, q, [d for d in scope if d.meta.kind == "regulation"]):
        return numeric(ctx, q, hits, out)  # a date asked of the documents: their date rule
    ranked = ctx.rank_articles(q, hits, [d.id for d in scope])
    lexical = max((ctx.coverage(ctx.qgrams(q, d), a.text) for _, d, a in ranked[:3]), default=0.0)
    if not ranked or ranked[0][0] < 0.3 or (lexical < 0.25 and not ctx.asked_what_is(q)):
        who = "、".join(ctx.who(d) for d in scope[:4]) if q.jurisdictions else "语料中的文件"
        out.line(f"{who}没有能回答这个问题的内容，无法回答。")
        out.line(f"现有文件：{ctx.corpus_summary()}。")
        return out.draft(q.intent if q.intent != "numeric" else "other", abstained=True)
    top = ranked[0][0]
    picked = [(d, a) for sc, d, a in ranked[:3] if sc >= 0.8 * top]
    for n, (d, art) in enumerate(picked):
        grams = ctx.qgrams(q, d)
        sents = ctx.best_sentences(q, d, art, grams, n=4 if BESIDES.search(q.text) else 2)
        listed: list[str] = []
        if n == 0:  # a quoted sentence announces the list ("应具备以下条件:"): the list, whole
            for _, s, e in sents:
                listed = ctx.announced_items(out, d, art, e)
                if listed:
                    sents = [x for x in sents if x[2] <= e]
                    break
        text = "".join(f"{ctx.quote_span(out, d, art, s, e)}。" for _, s, e in sents)
        out.line(f"{'' if n == 0 else '- '}{ctx.who(d)}{art.label if not art.is_section else ''}：{text}")
        for line in listed:
            out.line(line)
        for r in ctx.table.rules:
            if r.doc_id == d.id and r.article == art.label and any(s <= r.start < e for _, s, e in sents):
                out.value(r)
    return out.draft("other" if q.intent == "numeric" else q.intent)
