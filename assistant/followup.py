"""Follow-ups pointing into the previous answer's list: "第二项具体说了啥？", "第三项下面有几条？".

The turn before asked for a list ("东营实施意见提了几项保障措施？") and was answered with its
items; the follow-up names one by its place. ``ordinal_item`` answers the previous question
again (the engine is deterministic: the same items in the same order), takes the item at that
place and quotes its whole text — and, when the item heads a group of sections ("(三)" over
"(三)1." … "(三)7."), lists them counted.

Nothing here knows a document or a question: the places are the previous answer's own items.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .components.procedure import article_body
from .segment import cn_number
from .understand import bigrams
from .writer import Draft, Writer, sentence_spans

if TYPE_CHECKING:
    from .engine import Engine
    from .understand import Query

ORDINAL = re.compile(r"第([一二三四五六七八九十两]{1,3}|\d{1,2})(项|条|个|点|种|类|方面|部分|块|大块|大项|大类)")
BODY_LIMIT = 400  # characters of the item's text quoted whole


def _turn(t) -> tuple[str, str]:
    """(role, content) of a history turn, a dict or an object with those attributes."""
    if isinstance(t, dict):
        return t.get("role") or "", str(t.get("content") or "")
    return getattr(t, "role", "") or "", str(getattr(t, "content", "") or "")


def _previous_question(history) -> tuple[str, tuple]:
    turns = list(history or ())
    for n in range(len(turns) - 1, -1, -1):
        role, content = _turn(turns[n])
        if role == "user" and content and str(content).strip():
            return str(content).strip(), tuple(turns[:n])
    return "", ()


_ITEM_LINE = re.compile(r"^\s*(?:[-•*]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、])\s*")
LOCATED = 0.5  # share of a seen item's words a document's item must hold to be it


def _seen_items(history) -> list[str]:
    """The items of the list the assistant's last turn showed: its "- …"/"(一)…"/"1. …" lines, or
    the parts of one enumerating sentence ("共9种情形：A；B；C")."""
    text = next((content for role, content in map(_turn, reversed(list(history or ()))) if role == "assistant"), "")
    lines = [_ITEM_LINE.sub("", x, count=1) for x in text.splitlines() if _ITEM_LINE.match(x)]
    if len(lines) >= 2:
        return [x.strip() for x in lines]
    head, sep, rest = text.partition("：")
    parts = [x.strip() for x in re.split(r"[；;]", rest if sep else text) if x.strip()]
    return parts if len(parts) >= 2 else []


def _located(composer, item: str, doc_ids):
    """(doc, article, start, end) of the list item or sentence of the documents asked about that
    holds most of a seen item's words (the citation and punctuation set aside), or None."""
    grams = bigrams(re.sub(r"\[[^\]]*\]|[^\u4e00-\u9fff]", "", item))
    if len(grams) < 3:
        return None
    best = None
    for did in doc_ids:
        doc = composer.docs.get(did)
        if doc is None:
            continue
        for art in doc.articles:
            spans = [(i.start, i.end) for i in art.items] or sentence_spans(doc, art)
            if art.heading and _group(doc, art):  # a heading over sections ("(四)加强…" over "(四)1." …)
                at = doc.text.find(art.heading.strip(), art.start)
                spans = [(at, at + len(art.heading.strip()))] if at >= 0 else spans
            for s, e in spans:
                while e > s and doc.text[e - 1] in ";；,，。 \n":
                    e -= 1
                share = len(grams & bigrams(doc.text[s:e])) / len(grams)
                if best is None or share > best[0]:
                    best = (share, doc, art, s, e)
    return best[1:] if best and best[0] >= LOCATED else None


def _items(draft: Draft) -> list:
    """The citations of the previous answer's list items ("- …" lines), in order."""
    out = []
    for line in draft.text.splitlines():
        if not line.lstrip().startswith("- "):
            continue
        cite = next((c for c in draft.citations if c.quote and c.quote[:8] in line), None)
        if cite is not None and cite not in out:
            out.append(cite)
    return out


def ordinal_item(engine: "Engine", query: "Query", history) -> Draft | None:
    """The item at the place the follow-up names, from the previous answer's list; None when the
    question names no place, there is no previous question, or its answer lists fewer items."""
    m = ORDINAL.search(query.text)
    if not m or not history or query.jurisdictions and "jurisdictions" not in query.inherited:
        return None
    question, earlier = _previous_question(history)
    if not question:
        return None
    try:
        n = int(m.group(1)) if m.group(1).isdigit() else cn_number(m.group(1))
    except (ValueError, TypeError):
        return None
    previous = engine.understand(question, history=earlier)
    seen = _seen_items(history)
    if 1 <= n <= len(seen):  # the list the user saw: its n-th item, found in the documents asked about
        found = _located(engine.composer, seen[n - 1], previous.doc_ids)
        if found is not None and len(_group(found[0], found[1])) >= 2:
            return _listed(engine, query, n, found[0], found[1], None)
        if found is not None:
            doc, art, s, e = found
            out = Writer(engine.composer)
            who = engine.composer.who(doc)
            text = engine.composer.quote_span(out, doc, art, s, e)
            out.line(f"上一问所列第{n}项——{who}{'' if art.is_section else art.label}：{text}")
            return out.draft("task")
    items = _items(engine._compose(previous, engine.retrieve(previous)))
    if not 1 <= n <= len(items):
        return None
    cite = items[n - 1]
    doc = engine.composer.docs.get(cite.doc_id)
    art = doc.article(cite.article) if doc else None
    if art is None:
        return None
    return _listed(engine, query, n, doc, art, cite)


# a place in the question's own list ("第七项主要任务讲的是什么？"); 第N条 names an article
OWN_ORDINAL = re.compile(r"第([一二三四五六七八九十两]{1,3}|\d{1,2})(项|个|点|种)(?![^，,。？?]{0,12}?(?:下面|下列|下边|之下|底下|里面|包括))")
_COUNT_ASKED = re.compile(r"几|多少")  # "第二项下面有几条？" asks about the list that item heads
ASKS_CONTENT = re.compile(r"什么|啥|内容|具体|讲|指|哪些|what", re.IGNORECASE)


def ordinal_in_list(engine: "Engine", query: "Query", draft: Draft) -> Draft | None:
    """A question naming a place in the list it asks about ("重庆碳计量中心的第七项主要任务讲
    的是什么？"): the item at that place of the list its own answer shows, quoted whole; None
    when the answer lists fewer items or the question asks no content."""
    m = OWN_ORDINAL.search(query.text)
    if not m or draft.abstained or not ASKS_CONTENT.search(query.text[m.end():]) or _COUNT_ASKED.search(query.text):
        return None
    try:
        n = int(m.group(1)) if m.group(1).isdigit() else cn_number(m.group(1))
    except (ValueError, TypeError):
        return None
    items = _items(draft)
    if not 1 <= n <= len(items):
        return None
    cite = items[n - 1]
    doc = engine.composer.docs.get(cite.doc_id)
    art = doc.article(cite.article) if doc else None
    return _listed(engine, query, n, doc, art, cite, lead="所列") if art is not None else None


_POINTING = {"里面", "其中", "当中", "具体", "内容", "有关", "相关", "方面", "这个", "那个", "这项", "那项", "说的", "讲的"}
NARROWED = 0.5  # share of the follow-up's own subject bigrams one section of a group must hold


def _narrowed(engine: "Engine", query: "Query", doc, group) -> object | None:
    """The one section of a group the follow-up's own words point at ("第二项里面跟农村有关的
    具体是什么？" → "(二)4.服务乡村振兴计量保障"), or None."""
    grams = set()
    for w in (query.terms or "").split():
        grams |= bigrams(w)
    grams -= _POINTING  # (words that point, not name: 里面, 有关, 具体)
    if not grams:
        return None
    scored = sorted(((len(grams & bigrams(doc.text[a.start:a.end])) / len(grams), n) for n, a in enumerate(group)),
                    reverse=True)
    best, second = scored[0], scored[1] if len(scored) > 1 else (0.0, -1)
    return group[best[1]] if best[0] >= NARROWED and best[0] > second[0] else None


def _listed(engine: "Engine", query: "Query", n: int, doc, art, cite, *, lead: str = "上一问所列") -> Draft:
    """The n-th item: the sections it heads, counted, or the item of the article's list the
    citation points into, or the article's body."""
    out = Writer(engine.composer)
    who = engine.composer.who(doc)
    group = _group(doc, art)
    if len(group) >= 2:  # the item heads sections ("(三)…" over "(三)1." … "(三)7."): counted, and
        # the one section the follow-up's own words point at whole, else each of them
        heading = art.heading.strip() or art.label
        at = doc.text.find(heading, art.start) if art.heading else -1
        marker = f" {out.cite(doc, art.label, at, at + len(heading))}" if at >= 0 else ""
        one = _narrowed(engine, query, doc, group)
        out.line(f"{lead}第{n}项——{who}“{heading}”{marker}下共{len(group)}条{'，其中' if one is not None else ''}：")
        if one is not None:
            out.line(article_body(engine.composer, query, doc, one, out, limit=BODY_LIMIT))
            return out.draft("task")
        for a in group:
            spans = sentence_spans(doc, a)
            body = [(s, e) for s, e in spans if not a.heading or doc.text[s:e] not in a.heading] or spans
            s, e = body[0]
            out.line(f"- {engine.composer.quote_span(out, doc, a, s, e)}")
    else:
        item = next((i for i in art.items if cite is not None and i.start <= cite.start < i.end), None)
        if item is not None:  # an item of an article's list ("(三)…"): the item whole
            end = item.end
            while end > item.start and doc.text[end - 1] in ";；,，。 \n":
                end -= 1
            text = f"{engine.composer.quote_span(out, doc, art, item.start, end)}"
        else:
            text = article_body(engine.composer, query, doc, art, out, limit=BODY_LIMIT)
        out.line(f"{lead}第{n}项——{who}{'' if art.is_section else art.label}：{text}")
    return out.draft("task")


def _group(doc, art) -> list:
    """The sections an item heads: the run of sections from it whose labels extend its own
    ("(三)1." heads "(三)1." … "(三)7."; the heading lives in the first child)."""
    m = re.match(r"^(.*[)）])1\.$", art.label)
    stem = m.group(1) if m else art.label
    run, started = [], False
    for a in doc.articles:
        if a is art or a.label == art.label:
            started = True
        if started:
            if not a.label.startswith(stem):
                break
            run.append(a)
    return run if any(a.label != stem for a in run) else []
