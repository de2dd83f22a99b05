"""Anything else: the best sentences of the best-matching articles.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..arith import CONFIRM, SUFFICES, YES_NO
from ..understand import Query
from ..writer import (Draft, Writer, sentence_spans, with_lead)
from .numeric import ORDINAL_ASKED, date_topic, numeric
from .goals import WHAT_STATE, goals, other_year

if TYPE_CHECKING:
    from ..compose import Composer


# "除了报告市局还有啥要做的？": the user knows one requirement and asks the rest of the article
BESIDES = re.compile(r"除了|除此之外|除此以外|以外还|之外还|besides|apart from|other than")


WHOLE_SENTENCES = 3  # the first article is quoted whole when it has at most this many sentences
WHOLE_CHARS = 200  # ... and characters

RARE_PHRASE = 5  # characters at least of a question's phrase that only one article of a document writes
RARE_HITS = 2  # top retrieved articles in scope searched for it


def rare_phrase_article(ctx: "Composer", q: Query, hits):
    """(document, article) of a top retrieved article that writes a phrase of the question
    (RARE_PHRASE+ characters, not of the document's title) which no other article of its
    document writes ("能源计量中心" → 第一条 "湖北省碳计量中心(含能源计量中心…)"); None otherwise."""
    text = q.question
    for h in [h for h in hits if h.chunk.doc_id in q.doc_ids][:RARE_HITS]:
        doc = ctx.docs.get(h.chunk.doc_id)
        art = doc.article(h.chunk.article) if doc else None
        if art is None:
            continue
        for n in range(len(text) - RARE_PHRASE + 1):
            phrase = text[n:n + RARE_PHRASE]
            if (re.fullmatch(r"[\u4e00-\u9fff]+", phrase) and phrase in art.text and phrase not in doc.meta.title
                    and sum(phrase in a.text for a in doc.articles) == 1):
                return doc, art
    return None


# a question whether something may be done ("能直接拿给合作企业用吗？", "能不能以学校名义申请？")
PERMISSION = re.compile(r"能不能|可不可以|能否|可否|可以[^，,。？?]{0,14}吗|能[^，,。？?]{0,16}(?:吗|不)\s*[?？]?\s*$|"
                        r"允不允许|允许[^，,。？?]{0,10}吗|让不让|行不行|\bcan (?:we|i|it|they)\b|\bmay (?:we|i)\b|allowed")
# the words with which a sentence states what may or must (not) be done
NORM = re.compile(r"不得|禁止|严禁|应当|必须|可以|可按|不能|未经")
NORM_MIN = 0.72  # cosine at least of the norm sentence to the question
NORM_MARGIN = 0.04  # ... and at most this much below the best sentence of the evidence
NORM_CHARS = 2  # characters of the question's subject (beyond the document's title) the norm writes
NORM_HITS = 3  # top retrieved articles in scope searched for it


def permission_sentence(ctx: "Composer", q: Query, hits):
    """(document, article, start, end) of the sentence stating a norm (不得/可以/应当 …) that is
    most like a may-we question among the top retrieved articles' sentences (the embedder's
    cosine); None without an embedder or below NORM_MIN."""
    found = []
    for h in [h for h in hits if h.chunk.doc_id in q.doc_ids][:NORM_HITS]:
        doc = ctx.docs.get(h.chunk.doc_id)
        art = doc.article(h.chunk.article) if doc else None
        if art is not None:
            found += [(doc, art, s, e) for s, e in sentence_spans(doc, art)]
    sims = ctx.similarities(q.question, [d.text[s:e] for d, _, s, e in found]) if found else None
    if not sims:
        return None
    def about_it(n: int) -> bool:  # it writes two characters at least of the question's subject
        doc, _, s, e = found[n]
        own = set("".join(q.terms.split())) - set(doc.meta.title)
        return len(own & set(doc.text[s:e])) >= NORM_CHARS

    norms = [(sim, n) for n, sim in enumerate(sims) if NORM.search(found[n][0].text[found[n][2]:found[n][3]]) and about_it(n)]
    if not norms:
        return None
    best, at = max(norms)
    # (and nearly as like the question as the evidence's best sentence: not a norm about something else)
    return found[at] if best >= NORM_MIN and best >= max(sims) - NORM_MARGIN else None


def extractive(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    scope = [d for d in (ctx.docs[i] for i in q.doc_ids if i in ctx.docs)]
    if not q.topics and date_topic(ctx, q, [d for d in scope if d.meta.kind == "regulation"]):
        return numeric(ctx, q, hits, out)  # a date asked of the documents: their date rule
    if q.years and WHAT_STATE.search(q.text) and any(d.meta.kind != "regulation" for d in scope):
        goal = goals(ctx, q, scope, out)  # "禾山到2030年计量想干成啥样？": the plan's goal for that year
        if goal is not None:
            return goal
    if any(d.meta.kind == "regulation" for d in scope):
        from .procedure import AFTER_AT_ONCE, procedure

        if AFTER_AT_ONCE.search(q.text):  # "申请交上去后，是不是直接…？": the steps that follow it
            return procedure(ctx, q, hits, out)
    ranked = ctx.rank_articles(q, hits, [d.id for d in scope])
    lexical = max((ctx.view_coverage(ctx.gram_views(q, d), a.text) for _, d, a in ranked[:3]), default=0.0)
    norm = permission_sentence(ctx, q, hits) if PERMISSION.search(q.text) else None
    rare = rare_phrase_article(ctx, q, hits)
    if norm is None and rare is None and (not ranked or ranked[0][0] < 0.3
                                          or (lexical < 0.25 and not ctx.asked_what_is(q))):
        who = "、".join(ctx.who(d) for d in scope[:4]) if q.jurisdictions else "语料中的文件"
        out.line(f"{who}没有能回答这个问题的内容，无法回答。")
        out.line(f"现有文件：{ctx.corpus_summary()}。")
        return out.draft(q.intent if q.intent != "numeric" else "other", abstained=True)
    top = ranked[0][0] if ranked else 0.0
    picked = [(d, a) for sc, d, a in ranked[:3] if sc >= 0.8 * top]
    if picked and SUFFICES.search(q.text) and any(p.doc_id == picked[0][0].id and p.article == picked[0][1].label
                                       and p.kind == "conditions" for p in ctx.table.provisions):
        from .eligibility import eligibility  # "是不是只要有X就够了？" of the conditions: all of them

        return eligibility(ctx, q, hits, out)
    if rare is not None and rare not in picked:  # the evidence writes the question's own rare phrase
        picked = [rare] + picked[:2]
    if norm is not None:  # "数据能拿给合作企业用吗？": the evidence's rule on doing it ("未经允许,不得…"),
        # before an article that only shares a phrase with the question ("碳排放数据" → 数据库建设)
        picked = [norm[:2]] + [x for x in picked if x != norm[:2]][:2]
    for n, (d, art) in enumerate(picked):
        grams = ctx.qgrams(q, d)
        whole = n == 0 and len(sentence_spans(d, art)) <= WHOLE_SENTENCES and len(art.text) <= WHOLE_CHARS
        # (the first article, when short, whole: "怎么审？批了发什么？" reads on to its last sentence)
        sents = ctx.best_sentences(q, d, art, grams, n=4 if BESIDES.search(q.text) or whole else 2)
        if norm is not None and (d, art) == norm[:2]:  # the norm sentence, and the best one apart from it
            other = next((x for x in sents if not (x[1] < norm[3] and norm[2] < x[2])), None)
            sents = sorted([x for x in (other, (1.0, norm[2], norm[3])) if x is not None], key=lambda x: x[1])
        listed: list[str] = []
        if n == 0:  # a quoted sentence announces the list ("应具备以下条件:"): the list, whole
            for _, s, e in sents:
                listed = ctx.announced_items(out, d, art, e)
                if listed:
                    sents = [x for x in sents if x[2] <= e]
                    break
        if not listed and n == 0 and ONLY.search(q.text):
            sents, listed = _whole_list(ctx, out, d, art, sents)
        if not listed and n == 0:  # the sentences picked lie in one item of a list: the item whole
            sents = _whole_item(d, art, sents)
        if not listed:  # an item quoted alone ("复查不合格的"): after the sentence announcing its list
            sents = [(0.0, s, e) for s, e in with_lead(d, art, [(s, e) for _, s, e in sents])]
        before = n == 0 and other_year(ctx, q, d, [(s, e) for _, s, e in sents], out)
        text = ctx.quote_sentences(out, d, art, [(s, e) for _, s, e in sents])
        out.line(f"{'' if n == 0 and not before else '- '}{ctx.who(d)}{art.label if not art.is_section else ''}：{text}")
        for line in listed:
            out.line(line)
        for r in ctx.table.rules:
            if r.doc_id == d.id and r.article == art.label and any(s <= r.start < e for _, s, e in sents):
                out.value(r)
        if n == 0:
            ordinal_verdict(q, d, [(s, e) for _, s, e in sents], out)
    return out.draft("other" if q.intent == "numeric" else q.intent)


# "是不是只交一份申报书就可以了？", "只需要X吗": one thing offered as all that is needed
ONLY = re.compile(r"只(?:要|需要?|交|提交|递交|报|用|有|靠|写)?[^，,。？?]{0,16}?就(?:可以|行|够|完事)|只(?:需要?|要)[^，,。？?]{1,16}?[吗吧]|"
                  r"光[^，,。？?]{1,12}?就(?:可以|行|够)|\bonly (?:need|have to|submit)")


def _whole_list(ctx: "Composer", out: Writer, d, art, sents):
    """(sentences, list lines) for "是不是只交一份申报书就可以了？" when a picked sentence lies in
    an item of ``art``'s list: the list's lead-in, the sentences outside the list, and every item
    counted — with "不止一项" first when the list has more than one; ``sents`` and [] otherwise."""
    if not art.items or not any(i.start <= s < i.end for _, s, _ in sents for i in art.items):
        return sents, []
    ls, le = ctx.intro(d, art)
    colon = 1 if d.text[le:le + 1] in (":", "：") else 0  # (the lead-in's colon announces the list)
    listed = ctx.announced_items(out, d, art, le + colon)
    if not listed:
        return sents, []
    kept = [x for x in sents if not any(i.start <= x[1] < i.end for i in art.items) and x[1] >= le]
    if len(listed) > 2:  # ("共N项：" and the items) more than the one offered
        out.line(f"不止一项：{ctx.who(d)}{art.label if not art.is_section else ''}所列共{len(listed) - 1}项（见下）。")
    return [(1.0, ls, le)] + kept, listed


ITEM_WHOLE = 300  # characters of a list item quoted whole when the best sentences lie in it


def _whole_item(d, art, sents):
    """The sentences of the one item of ``art``'s list holding every picked sentence ("人才培养和
    科普方面要做什么？" → the item "(八)开展碳计量人才队伍培育和科普宣传。…" whole), when short;
    the picked sentences otherwise."""
    if not art.items or not sents:
        return sents
    holding = {i for _, s, e in sents for i in art.items if i.start <= s < i.end}
    if len(holding) != 1:
        return sents
    item = holding.pop()
    if item.end - item.start > ITEM_WHOLE or any(not item.start <= s < item.end for _, s, e in sents):
        return sents
    spans = [(s, e) for s, e in sentence_spans(d, art) if item.start <= s < item.end]
    return [(1.0, s, e) for s, e in spans] or sents


_ORDINAL = re.compile(r"第(\d{1,3})(?:个|届|次)")


def ordinal_verdict(q: Query, d, spans, out: Writer) -> None:
    """An ordinal the quoted text states ("第24个“世界计量日”") is an answer's value; when the
    question offers its own ordinal for confirmation ("是第23届吗？"), the verdict goes first."""
    stated = [int(m.group(1)) for s, e in spans for m in _ORDINAL.finditer(d.text, s, e)]
    if not stated:
        return
    own = _ORDINAL.search(q.text)
    if not (own or ORDINAL_ASKED in q.text):
        return
    for n in dict.fromkeys(stated):
        out.values.append({"value": n, "unit": "个", "comparator": "=", "text": f"第{n}个"})
    if own and (YES_NO.search(q.text) or CONFIRM.search(q.text)) and len(set(stated)) == 1:
        mine = int(own.group(1))
        verdict = "是" if mine == stated[0] else "不是"
        out.lines.insert(0, f"{verdict}：文件写的是第{stated[0]}个（您说的{own.group(0)}）。")
