"""Completion: what the question asks that the answer leaves out, from the articles it cites.

A component answers the rule its intent and topic point to ("复查周期" → "每5年进行一次复查")
and quotes that sentence; the question may ask more of the same article ("复查合格以后呢？" →
"经复查合格的，由市市场监管局发文确认。", "主题是啥？" → the next sentence of the paragraph).
``complete`` finds the question's subject words the draft's text does not contain and adds the
sentence of a cited article that holds most of them, quoted with its citation — only when the
draft misses a real share of the question and one sentence covers most of what it misses.

Coverage is the idf-weighted share of the question's subject bigrams (``Lexicon.coverage``);
nothing here knows a question, a topic or a document.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cn2an

from .compose import Composer
from .numbers import find_quantities, parse_number
from .understand import Query, subject_terms, text_bigrams
from .writer import Draft, Writer, measure, sentence_spans

MISSING = 0.3  # the draft's text leaves out this share (idf-weighted) of the question's subject
COVERS = 0.5  # and one sentence of a cited article holds this share of what is left out
MAX_ADDED = 2  # sentences added at most
MAX_ARTICLES = 3  # cited articles looked in (the draft's first ones)
MIN_GRAMS = 2  # a subject of fewer bigrams says too little to judge by
PARAGRAPH = 400  # a plan/news paragraph this short is quoted whole for a question asking no number


YEAR_ASKED = re.compile(r"哪一?年|几几年|到哪年|管到|截至哪|which year|what year|until when")
_TITLE_YEAR = re.compile(r"《[^《》]*?((?:至|到)\s*(\d{4})年)[^《》]*》")


def _year_in_title(q: Query, text: str) -> str:
    """The year a question asks ("分工管到哪年？") when the draft gives it only inside a title it
    quotes ("《…重点任务责任分工(至2025年)》"), where a title's words are not read as claims."""
    if not YEAR_ASKED.search(q.text) or any(x.unit == "年份" for x in find_quantities(text)):
        return ""
    m = _TITLE_YEAR.search(text)
    return f"所问的年份见所引文件名：{m.group(1)}。" if m else ""


def _paragraph_rest(composer: Composer, q: Query, draft: Draft, said: list, out: Writer) -> str:
    """The rest of a short plan/news paragraph the draft quotes part of, when the question asks
    no number: there the paragraph, not a sentence, says what a goal or a task is ("到2025年的
    目标是啥？" is the whole paragraph after "提出发展目标:")."""
    if q.asks_number or q.intent == "comparison":
        return ""
    first = draft.citations[0]
    doc = composer.docs.get(first.doc_id)
    art = doc.article(first.article) if doc else None
    if art is None or doc.meta.kind == "regulation" or art.end - art.start > PARAGRAPH:
        return ""
    rest = [(s, e) for s, e in sentence_spans(doc, art) if not _said(said, doc.id, s, e)]
    if not rest:
        return ""
    said += [(doc.id, s, e) for s, e in rest]
    quotes = "".join(f"{composer.quote_span(out, doc, art, s, e)}。" for s, e in rest)
    return f"{composer.who(doc)}同段接着写道：{quotes}"


def _said(said: list, doc_id: str, s: int, e: int) -> bool:
    """doc.text[s:e] overlaps a span the answer already quotes."""
    return any(d == doc_id and a < e and s < b for d, a, b in said)


def _plain(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


# "3项重点任务是啥？": a counted term the question names, and the words that define it in a text
_COUNTED = re.compile(r"(\d+|[一二三四五六七八九十两])(项|个|大|条|类)([\u4e00-\u9fff]{2,10}?)(?=是|有|包括|分别|具体|指|都|和|与|及|各|[?？,，。、]|$)")
_DEFINES = r"(?:和[\u4e00-\u9fff]{1,6})?(?:是指|主要包括|包括|分别是|主要有)"


def _items_of(doc, art) -> list:
    """The sections split from an article's paragraph (第8段·一是, 第8段·二是 …)."""
    return [a for a in doc.articles if a.label.startswith(f"{art.label}·")]


def _term(m: re.Match) -> re.Pattern:
    """Where a document defines the counted term ``m`` writes, as the question writes it or in
    other words of the same count: the number either way (五/5) and the noun with the document's
    qualifier before it ("五项工程" → "5项重点工程和行动是指…")."""
    try:
        n = parse_number(m.group(1))
        numbers = "|".join(dict.fromkeys([m.group(1), str(n), cn2an.an2cn(n) if isinstance(n, int) else m.group(1)]))
    except ValueError:
        numbers = re.escape(m.group(1))
    return re.compile(rf"(?<![\d一二三四五六七八九十两])(?:{numbers}){m.group(2)}[\u4e00-\u9fff]{{0,4}}?"
                      rf"{re.escape(m.group(3))}(?:{_DEFINES}|[。:：])")


def defined(composer: Composer, q: Query, draft: Draft) -> Draft:
    """Counted terms the question asks about ("3项重点任务是啥？") that a document in scope defines
    ("3项重点任务是指A、B、C。一是A…"): the definitions answer, each with the items that follow it
    (the sections split from its paragraph), instead of a text that only announces the count."""
    if q.meaningless or q.intent == "comparison" or q.asks_number and not re.search(r"哪|什么|啥|是指", q.text):
        return draft
    found = []
    for m in _COUNTED.finditer(q.text):
        # defined in words (3项重点任务是指…), or announced before the items split from its
        # paragraph (今年重点抓好三项工作。一是…二是…三是…)
        term = _term(m)
        for did in q.doc_ids or list(composer.docs):
            doc = composer.docs.get(did)
            for hit in (term.finditer(doc.text) if doc else ()):
                art = next((a for a in doc.articles if a.start <= hit.start() < a.end), None)
                if art is None or (not re.search(_DEFINES, hit.group(0)) and not _items_of(doc, art)):
                    continue
                if all(x[:2] != (doc, art) for x in found):
                    found.append((doc, art, hit.start()))
                break
            else:
                continue
            break
    if not found or all(any(c.doc_id == d.id and c.article == a.label for c in draft.citations) for d, a, _ in found):
        return draft
    out = Writer(composer)
    verdict = VERDICT.match(draft.text)
    if verdict:  # ("重点任务是不是5项？" → 不是：文件写的是“3项重点任务”…): the verdict stays first
        out.line(verdict.group(0))
        out.values.extend(v for v in draft.values if v.get("text", "") in verdict.group(0))
    for doc, art, at in found:
        spans = sentence_spans(doc, art)
        first = next(((s, e) for s, e in spans if s <= at < e), spans[0])
        out.line(f"{composer.who(doc)}：{composer.quote_span(out, doc, art, *first)}。")
        for sub in _items_of(doc, art):
            s, e = sentence_spans(doc, sub)[0]
            out.line(f"- {composer.quote_span(out, doc, sub, s, e)}")
    return out.draft(draft.intent or q.intent, topic=draft.topic)


VERDICT = re.compile(r"(?:是|不是|有|没有|包括|不是，包括|够|不够|不符合|在规定之内|已施行|还没有施行)：[^\n]*")
_ANNOUNCES = re.compile(r"(以下|如下)[^。;；]{0,12}[。:：]?\s*$|[:：]\s*$")
ANNOUNCE_WINDOW = 16  # characters before the end of an announcing sentence that hold its count
_ITEM_STYLES = (re.compile(r"\s*[一二三四五六七八九十]+是"), re.compile(r"\s*[(（][一二三四五六七八九十]+[)）]"),
                re.compile(r"\s*\d+[.、]"))


def _following_items(doc, art) -> list:
    """The sections right after an article that open with an item label of one style (一是…,
    (一)…, 1.…): sections of another style in between are sub-items ((一) 1. 2. (二) …) and are
    skipped; the list ends at the first section with no label."""
    after = sorted((a for a in doc.articles if a.start >= art.end), key=lambda a: a.start)
    style = next((st for st in _ITEM_STYLES if after and st.match(doc.text, after[0].start)), None)
    items = []
    for a in after if style else ():
        if style.match(doc.text, a.start):
            items.append(a)
        elif not any(st.match(doc.text, a.start) for st in _ITEM_STYLES):
            break
    return items


def announced(composer: Composer, q: Query, draft: Draft) -> Draft:
    """A quoted sentence that announces a list the next sections give ("…并从以下几个方面提出了
    工作要求。" followed by 一是…二是…): the items, counted, when the draft does not give them."""
    if draft.abstained or q.intent == "comparison":
        return draft
    out = Writer(composer)
    lines: list[str] = []
    seen = set()
    for c in draft.citations:
        doc = composer.docs.get(c.doc_id)
        art = doc.article(c.article) if doc else None
        if art is None or (doc.id, art.label) in seen or art.items or len(seen) >= MAX_ARTICLES:
            continue
        seen.add((doc.id, art.label))
        spans = sentence_spans(doc, art)
        if not spans or not any(x.doc_id == doc.id and x.start < spans[-1][1] and spans[-1][0] < x.end
                                for x in draft.citations):
            continue  # the draft does not quote the article's last sentence
        if not _ANNOUNCES.search(doc.text[spans[-1][0]:art.end]):
            continue
        items = _following_items(doc, art)
        # the count that stands with the announcement ("提出了四项主要任务,包括:") must be the items'
        counted = find_quantities(doc.text[max(spans[-1][0], art.end - ANNOUNCE_WINDOW):art.end])
        if any(x.unit in ("项", "个", "条", "方面") and x.value != len(items) for x in counted):
            continue
        if len(items) < 2 or any(c2.article == items[0].label and c2.doc_id == doc.id for c2 in draft.citations):
            continue
        lines.append(f"{composer.who(doc)}{art.label}所列共{len(items)}{measure(q.text)}：")
        for sub in items:
            s, e = sentence_spans(doc, sub)[0]
            lines.append(f"- {composer.quote_span(out, doc, sub, s, e)}")
    if not lines:
        return draft
    draft.extend(out.draft(draft.intent), "\n".join(lines))
    return draft


def complete(composer: Composer, q: Query, draft: Draft) -> Draft:
    """The draft, with the sentences of its cited articles that answer what it leaves out."""
    draft = announced(composer, q, defined(composer, q, draft))
    if draft.abstained or not draft.citations or q.meaningless or q.intent == "comparison":
        return draft
    articles: list[tuple[str, str]] = []
    for c in draft.citations:
        if (c.doc_id, c.article) not in articles:
            articles.append((c.doc_id, c.article))
    said = [(c.doc_id, c.start, c.end) for c in draft.citations]
    out = Writer(composer)
    lines: list[str] = []
    text = draft.text
    views = [q]
    asked = _asked_sentence(q)
    if asked:  # a long question's own ask, apart from the situation told before it
        views.append(replace(q, terms=subject_terms(asked, vocab=composer.vocab, drop=tuple(q.jurisdictions))))
    for view in views:
        text = _complete_view(composer, view, articles, said, out, lines, text)
    titled = _year_in_title(q, draft.text)
    if titled:
        lines.append(titled)
    rest = _paragraph_rest(composer, q, draft, said, out)
    if rest:
        lines.insert(0, rest)
    if not lines:
        return draft
    draft.extend(out.draft(draft.intent), "\n".join(lines))
    return draft


def _asked_sentence(q: Query) -> str:
    """The last sentence of a question that tells a situation first ("…环境也全变了。需不需要重新
    考核？" → "需不需要重新考核"), or "" for a question of one sentence."""
    sentences = [x for x in re.split(r"[。！!；;]", q.question.strip().rstrip("？?")) if x.strip()]
    return sentences[-1].strip() if len(sentences) >= 2 else ""


def _complete_view(composer: Composer, q: Query, articles, said: list, out: Writer, lines: list[str], text: str) -> str:
    """Add up to MAX_ADDED sentences of the cited articles holding what ``text`` leaves out of the
    question's subject (as ``q.terms`` says it), MAX_ADDED in all; returns the text with them."""
    for _ in range(MAX_ADDED - len(lines)):
        best = None
        for doc_id, label in articles[:MAX_ARTICLES]:
            doc = composer.docs.get(doc_id)
            art = doc.article(label) if doc else None
            if art is None:
                continue
            grams = composer.qgrams(q, doc)
            if len(grams) < MIN_GRAMS:
                continue
            missing = grams - text_bigrams(text)
            if composer.coverage(grams, text) > 1 - MISSING or not missing:
                continue
            for s, e in sentence_spans(doc, art):
                if _said(said, doc_id, s, e):
                    continue
                if _plain(doc.text[s:e])[:12] in _plain(text):  # already given (a list item, a heading)
                    continue
                score = composer.coverage(missing, doc.text[s:e])
                if score >= COVERS and (best is None or score > best[0]):
                    best = (score, doc, art, s, e)
        if best is None:
            break
        _, doc, art, s, e = best
        says = "还规定" if doc.meta.kind == "regulation" else "还写道"  # (a plan or news text sets no rules)
        lines.append(f"{composer.who(doc)}{art.label}{says}：{composer.quote_span(out, doc, art, s, e)}。")
        said.append((doc.id, s, e))
        text += doc.text[s:e]
    return text
