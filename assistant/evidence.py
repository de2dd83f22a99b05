"""Evidence first: an answer must rest on what retrieval found.

The retriever puts the right article first for most unseen questions, while the intent and
topic a question is routed to come from cue words, which miss new phrasings ("先找谁同意？"
routed to the acceptance lead time; "总分按多少分来计" refused). ``review`` holds the composed
draft against the best retrieved article in scope:

- the draft cites it: nothing to do;
- the draft cites none of the top articles and that article has a sentence that covers the
  question's subject well: the draft is off target, so the answer becomes that sentence (and
  the one next best), quoted with its citation;
- the draft cites another top article: the top article's best sentence is added as 相关条文;
- the draft abstained: it is overridden only when BM25 and the dense ranking agree on the
  article and one of its sentences covers the question's subject almost whole — or when a
  number component abstained on a question that asks no number (the evidence then answers
  as it would an off-target draft).

Coverage is the idf-weighted share of the question's subject bigrams found in a sentence
(``Lexicon.coverage``); nothing here knows a question, a topic or a document.
"""

from __future__ import annotations

import re

from .compose import Composer, defines
# drafts whose topic says the best-matching article is by design not what answers: the step after
# the one named, who an application goes to, which documents a document rests on
from .components.basis import BASIS
from .components.numeric import PERIOD_UNITS, rest_of_article
from .normalize import normalize_query
from .components.procedure import NEXT_STEP
from .components.route import ROUTE
from .writer import Draft, Writer, sentence_spans, whole_item, with_lead
from .numbers import find_quantities
from .types import Hit
from .understand import Query

TOP = 3  # top articles in scope that count as the evidence
MATCH = 0.5  # a sentence covering this much of the subject answers the question
STRONG = 0.6  # and this much, with both rankings agreeing, to speak where the composer abstained
AGREED = 0.4  # enough when both rankings put the article first and the draft answers a number nobody asked
WEAK = 0.25  # a draft whose best sentence covers less of the subject is off target when both rankings agree elsewhere
MARGIN = 0.15  # the evidence must cover the subject this much better than the draft's best sentence
MIN_GRAMS = 3
DENSE_WEIGHT = 1.0  # a subject of fewer bigrams says too little to judge a sentence by


def _in_scope(q: Query, hits) -> list[Hit]:
    scope = set(q.doc_ids)
    return [h for h in hits if not scope or h.chunk.doc_id in scope][:TOP]


def _dense(retriever, q: Query, hit: Hit, doc):
    """Sentence → DENSE_WEIGHT × (its cosine to the question − the best sentence's): the
    sentence vectors the index holds break ties between sentences that share the same words."""
    sims = retriever.sentence_similarities(q.question, hit.chunk) if retriever is not None else []
    if len(sims) < 2:
        return lambda s, e: 0.0
    top = max(c for _, c in sims)
    spans = []
    for text, cos in sims:
        at = doc.text.find(text, hit.chunk.start, hit.chunk.end)
        if at >= 0:
            spans.append((at, at + len(text), cos))

    def score(s: int, e: int) -> float:
        near = [cos for a, b, cos in spans if a < e and s < b]
        return DENSE_WEIGHT * (max(near) - top) if near else 0.0
    return score


def _best(composer: Composer, q: Query, hit: Hit, retriever=None, *, min_grams: int = MIN_GRAMS):
    """(coverage, doc, article, [(start, end)]) of the hit's article: its two best sentences."""
    doc = composer.docs.get(hit.chunk.doc_id)
    art = doc.article(hit.chunk.article) if doc else None
    if art is None:
        return None
    grams = composer.qgrams(q, doc)
    if len(grams) < min_grams:
        return None
    dense = _dense(retriever, q, hit, doc)
    scored = sorted(((composer.coverage(grams, doc.text[s:e]) + dense(s, e), s, e) for s, e in sentence_spans(doc, art)),
                    key=lambda x: -x[0])
    if not scored:
        return None
    spans = sorted((s, e) for c, s, e in scored[:2] if c >= MATCH * 0.8 or (s, e) == scored[0][1:])
    return scored[0][0], doc, art, spans


def _quote(composer: Composer, out: Writer, best) -> str:
    _, doc, art, spans = best
    # an item quoted alone ("复查不合格的") after the sentence announcing its list; an item's heading with the rest of the item
    spans = whole_item(doc, art, with_lead(doc, art, spans))
    text = f"{composer.who(doc)}{art.label}：{composer.quote_sentences(out, doc, art, spans)}"
    listed = composer.announced_items(out, doc, art, spans[-1][1])
    if listed:  # the quoted sentence announces a list: its items, counted
        text += "\n" + "\n".join(listed)
    return text


def _draft_match(composer: Composer, q: Query, doc, draft: Draft) -> float:
    """How well the draft's best sentence covers the question's subject."""
    grams = composer.qgrams(q, doc)
    sentences = [x for x in re.split(r"[。;；\n]", draft.text) if x.strip()]
    return max((composer.coverage(grams, x) for x in sentences), default=0.0)


def _states_asked(q: Query, best) -> bool:
    """The evidence holds what a number question asks: a quantity, and the year asked about
    (anywhere in its article)."""
    _, doc, art, spans = best
    text = "".join(doc.text[s:e] for s, e in spans)
    if q.years and not any(str(y) in art.text for y in q.years):  # "到2025年，…" opens a paragraph
        return False
    if q.years and q.asks_number:  # the figures quoted are under another year ("到2025年,…60%" for 2035)
        for s, e in spans:
            years = re.findall(r"到(\d{4})年", doc.text[art.start:e])
            if years and int(years[-1]) not in q.years:
                return False
    return not q.asks_number or bool(find_quantities(text))


_NOT_A_NUMBER = {"吗", "是否", "能否", "怎么", "如何"}  # question words that ask no number or time


def _number_unasked(composer: Composer, q: Query, draft: Draft) -> bool:
    """A number answer to a question that asks for no number or time ("会咋样？") and gives
    none to compute with; never for a question naming a place the corpus lacks, nor for an
    answer that gives the documents' next step (intents.yaml `follows`)."""
    asking = [w for w in composer.vocab.question_words if w not in _NOT_A_NUMBER]
    said = {composer.rule_by_id[v["rule_id"]].topic for v in draft.values if v.get("rule_id") in composer.rule_by_id}
    if any(step in said and (after in said or not composer.rules(after, draft.doc_ids))
           for step, after in composer.vocab.follows.items()):
        return False  # a step and the one after it (or that the documents have none): what "会怎样" asks
    offered = any(x.unit in PERIOD_UNITS for x in find_quantities(normalize_query(q.text)))  # ("是不是可以超过一年？")
    return (draft.intent == "numeric" and not draft.abstained and not q.asks_number and not q.scores and not offered
            and not q.dates and not q.years and not q.durations and draft.topic != "target" and not q.foreign
            and not any(w in q.text for w in asking) and not composer.topic_of_figure(q)
            and not composer.figure_of_topic(q))  # (派了6个专家, 专家组安排了6位专家: to compute with)


def _inherited_off(q: Query, top, cited) -> bool:
    """A follow-up whose topic is the previous turn's while its subject words are its own, and
    whose draft cites none of the top articles, which both rankings agree on."""
    return ("topics" in q.inherited and "terms" not in q.inherited and bool(q.terms) and not q.kind_terms
            and not cited & {(h.chunk.doc_id, h.chunk.article) for h in top}
            and top[0].ranks.get("bm25") == 1 and top[0].ranks.get("dense") == 1)


def review(composer: Composer, q: Query, hits, draft: Draft, *, retriever=None) -> Draft:
    """The draft, or the evidence when the draft misses it (see the module docstring)."""
    if (draft.settled or q.meaningless or q.metadata or q.subjects or q.intent == "comparison"
            or (q.foreign and not q.jurisdictions) or draft.topic in (NEXT_STEP, ROUTE, BASIS)):
        return draft  # (the step after the named one is by design not the best-matching article)
    top = _in_scope(q, hits)
    if not top or _defines_asked(composer, q, draft):
        return draft  # (a draft quoting the document's own "X是…" for "X的定位是什么？" stands)
    cited = {(c.doc_id, c.article) for c in draft.citations}
    keys = [(h.chunk.doc_id, h.chunk.article) for h in top]
    if _number_unasked(composer, q, draft):
        # routed to a number by a topic word ("延期一年了还是没建完，会咋样？") while asking none:
        # what the best evidence says answers, not the topic's figure
        best = _best(composer, q, top[0], retriever)
        agree = top[0].ranks.get("bm25") == 1 and top[0].ranks.get("dense") == 1
        if best is not None and best[0] >= (AGREED if agree else MATCH):
            out = Writer(composer)
            out.line(_quote(composer, out, best))
            rest_of_article(composer, best[1], best[2].label, out)  # (a short article, whole: as the number's answer had it)
            return out.draft("other")
    if keys[0] in cited:
        return draft
    if _inherited_off(q, top, cited):
        # "那要是到期完不成呢？" after a construction-period question: the topic came from the
        # turn before, the words are the follow-up's own, and both rankings put another article
        # first while the draft's is not among the top ones: the follow-up asks something new
        best = _best(composer, q, top[0], retriever, min_grams=1)  # the rankings chose the article
        if best is not None:
            out = Writer(composer)
            out.line(_quote(composer, out, best))
            return out.draft("other")
    best = _best(composer, q, top[0], retriever)
    if best is None or best[0] < MATCH or not _states_asked(q, best):
        return draft
    out = Writer(composer)
    if draft.abstained:
        agree = top[0].ranks.get("bm25") == 1 and top[0].ranks.get("dense") == 1
        # a number component found no number for a question that asks none ("到2025年在诚信计量
        # 方面建成什么？"): its abstention says nothing about what the evidence answers
        # (not a topic the documents lack: "湖北也要公示吗？" → 未规定公示期 stays)
        no_number = draft.intent == "numeric" and not q.asks_number and not draft.topic
        if not no_number and (not agree or best[0] < STRONG):
            return draft
        out.line(_quote(composer, out, best))
        return out.draft(q.intent)
    own = _draft_match(composer, q, best[1], draft)
    if best[0] < own + MARGIN:
        return draft
    agree = top[0].ranks.get("bm25") == 1 and top[0].ranks.get("dense") == 1
    if (not cited & set(keys) or (own < WEAK and agree)) and not draft.values:
        # rests on none of the evidence, or barely says the subject while both rankings agree on
        # another article ("人才培养和科普宣传方面有什么要求" answered with the conditions): off target
        out.line(_quote(composer, out, best))
        return out.draft(q.intent)
    line = _quote(composer, out, best)
    draft.extend(out.draft(draft.intent), f"相关条文：{line}")
    return draft


def _defines_asked(composer: Composer, q: Query, draft: Draft) -> bool:
    """The draft's first quoted sentence says what a name the question asks about is."""
    names = composer.asked_what_is(q)
    first = draft.citations[0] if draft.citations else None
    doc = composer.docs.get(first.doc_id) if first is not None else None
    return bool(names and doc is not None and defines(doc.text[first.start:first.end], names))


def unsaid(composer: Composer, q: Query, hits, whole: Draft, *, retriever=None) -> Draft | None:
    """For a part of a multi-part question whose own draft only repeats the whole answer
    ("…多久复查一次？复查过了有没有文件？"): the best sentence of the part's top evidence article
    that the whole answer has not quoted, when it covers the part's subject; else None."""
    top = _in_scope(q, hits)[:1]
    if not top:
        return None
    doc = composer.docs.get(top[0].chunk.doc_id)
    art = doc.article(top[0].chunk.article) if doc else None
    grams = composer.qgrams(q, doc) if doc else set()
    if art is None or not grams:
        return None
    quoted = [(c.start, c.end) for c in whole.citations if c.doc_id == doc.id and c.article == art.label]
    dense = _dense(retriever, q, top[0], doc)
    spans = []
    for s, e in sentence_spans(doc, art):
        inside = [(a, b) for a, b in quoted if a < e and s < b]
        if not inside:
            spans.append((s, e))
        else:  # a clause of the sentence quoted: the rest of it before and after, when they say something
            spans += [(x, y) for x, y in ((s, min(a for a, _ in inside)), (max(b for _, b in inside), e))
                      if y - x >= 6]
    spans = [(s + len(doc.text[s:e]) - len(doc.text[s:e].lstrip(",， ")), s + len(doc.text[s:e].rstrip(",， ")))
             for s, e in spans]  # (a rest starts or ends on the comma it was cut at)
    fresh = [(composer.coverage(grams, doc.text[s:e]), dense(s, e), s, e) for s, e in spans if e > s]
    fresh = [x for x in fresh if x[0] >= MATCH]  # it must hold the part's own words
    if not fresh:
        return None
    lexical, near, s, e = max(fresh, key=lambda x: x[0] + x[1])
    score = lexical + near
    out = Writer(composer)
    out.line(_quote(composer, out, (score, doc, art, [(s, e)])))
    return out.draft(q.intent)
