"""Counts: "主要任务一共几项？", "申请条件分别列了几条？", "第二大项下面列了几条？".

How many items an article lists is counted from its provision rows (the rules table's
enumerated provisions), and how many sub-sections a plan heading has from the document's
section labels ("(二)1." … "(二)8."); the answer states the count with the list, and the
checker verifies "共列N项" next to an article reference against the same rows. Used when the
composed draft states no count of the asked kind itself.
"""

from __future__ import annotations

import re

from ..check import COUNT_UNITS
from ..numbers import find_quantities, parse_number
from ..types import Article, Document
from ..writer import measure, span_in
from .lists import best_lists

ASKS = re.compile(r"(?:几|多少)(?:小|具体)?(?:项|条|种|类|点|份|大项|方面|个(?!人|工作日|月|小时|百分))|(?:有|列了?)(?:几|多少)(?=[,，。?？]|$)")
_WORD = re.compile(r"(?:几|多少)(?:小|具体)?(\w)")
# "四项主要任务底下一共多少条？": the sub-items of every heading of a plan, added up
_ALL_GROUPS = re.compile(r"(?:一共|总共|加起来|合计|总计)[^，,。？?]{0,8}(?:几|多少)|(?:底下|下面|之下)[^，,。？?]{0,6}(?:一共|总共|加起来)")
_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)(?:大)?(?:项|部分|方面)")
_GROUP = re.compile(r"^(\([一二三四五六七八九十]+\))\d+\.$")
MATCH = 0.42  # as compose.MATCH: how much of the question's subject a list's lead-in must cover


def _word(text: str) -> str:
    """The measure the count is said in: a noun the question names (个方面, 个环节), else the
    count unit after 几 (几条, 几个), else 项."""
    return measure(text, "") or next((m.group(1) for m in _WORD.finditer(text) if m.group(1) in COUNT_UNITS), "项")


def _lists(c, q, doc: Document, bonus):
    """(score, article, items) of the document's best list article (any provision kind)."""
    best = None
    for kind in dict.fromkeys(p.kind for p in c.table.provisions if p.doc_id == doc.id and p.kind != "priority"):
        for d, art, items in best_lists(c, q, [doc], kind):
            grams = c.qgrams(q, d)
            intro = d.text[art.start:items[0].start]
            score = c.coverage(grams, intro) + 0.5 * c.coverage(grams, art.text) + bonus.get((d.id, art.label), 0)
            if len(items) >= 2 and (best is None or score > best[0]):
                best = (score, art, items)
    return best


def _groups(doc: Document) -> dict[str, list[Article]]:
    """Plan sections by heading group: "(二)" → [(二)1., (二)2., …]."""
    out: dict[str, list[Article]] = {}
    for art in doc.articles:
        m = _GROUP.match(art.label)
        if m:
            out.setdefault(m.group(1), []).append(art)
    return out


def _heading(doc: Document, arts: list[Article]) -> tuple[int, int]:
    """(start, end) of a heading group's heading: its first section's first sentence."""
    end = doc.text.find("。", arts[0].start, arts[0].end)
    return arts[0].start, end if end > 0 else arts[0].end


def _sections(c, q, doc: Document):
    """(score, group label, sections) of the heading the question names (by its words, a quoted
    phrase or an ordinal 第二大项)."""
    groups = _groups(doc)
    if not groups:
        return None
    ordinal = _ORDINAL.search(q.text)
    grams = c.qgrams(q, doc)
    best = None
    for n, (label, arts) in enumerate(groups.items(), 1):
        heading = doc.text[slice(*_heading(doc, arts))]
        score = c.coverage(grams, heading)
        if ordinal and int(parse_number(ordinal.group(1))) == n:
            score += 1.0
        if best is None or score > best[0]:
            best = (score, label, arts)
    return best


def count(c, q, hits, draft, out_cls):
    """The counted draft, or None when the question asks no count or the draft states it."""
    if not ASKS.search(q.text):
        return None
    word = _word(q.text)
    unit = word if word in COUNT_UNITS else "个"  # 个方面 is counted in 个
    if not draft.abstained and any(x.unit == unit for x in find_quantities(draft.text)):
        return None
    scope = [c.docs[i] for i in q.doc_ids if i in c.docs]
    if _ALL_GROUPS.search(q.text) and not _ORDINAL.search(q.text):
        totalled = _all_groups(c, q, scope, word, out_cls)
        if totalled is not None:
            return totalled
    bonus = c.hit_bonus(hits)
    found = []
    for d in scope:
        best = _lists(c, q, d, bonus)
        if best and best[0] >= MATCH:
            found.append(("list", d, best))
            continue
        sec = _sections(c, q, d) if d.meta.kind != "regulation" else None
        if sec and sec[0] >= MATCH:
            found.append(("sections", d, sec))
    if not found and q.intent != "comparison":
        # evidence first: the question's words miss the list's own (任务 against 主要职责), but
        # the article retrieval ranks first in scope is a list: that list is counted
        top = next((h for h in hits or () if h.chunk.doc_id in q.doc_ids), None)
        doc = c.docs.get(top.chunk.doc_id) if top is not None else None
        if doc is not None:
            lifted = {**bonus, (doc.id, top.chunk.article): bonus.get((doc.id, top.chunk.article), 0) + MATCH}
            best = _lists(c, q, doc, lifted)
            if best and best[1].label == top.chunk.article:
                found.append(("list", doc, best))
    if not found:
        return _inline(c, q, draft, word, out_cls)
    if q.intent != "comparison":
        found = [max(found, key=lambda f: f[2][0])]
    out = out_cls(c)
    for kind, d, best in found:
        if kind == "list":
            _, art, items = best
            ls, le = c.intro(d, art, items[0].start)
            out.line(f"{c.who(d)}{art.label}共列{len(items)}{word}：{c.span_written(d, ls, le)} {out.cite(d, art.label, ls, le)}：")
            for p in items:
                head_end = p.text.find("。")
                head = p.text[:head_end] if 0 < head_end <= 40 else p.text
                out.line(f"- {p.item}{head} {out.cite(d, p.article, p.start, p.start + len(head))}")
        else:
            _, label, arts = best
            hs, he = _heading(d, arts)
            out.line(f"{c.who(d)}“{c.span_written(d, hs, he)}”下列{len(arts)}{word} {out.cite(d, arts[0].label, hs, he)}：")
            for art in arts:
                m = re.match(r"\s*(?:\([一二三四五六七八九十]+\)[^。]*。\s*)?(\d+\.[^。]{0,40})", art.text)
                if m:
                    s = art.start + m.start(1)
                    out.line(f"- {c.span_written(d, s, s + len(m.group(1)))} {out.cite(d, art.label, s, s + len(m.group(1)))}")
    return out.draft(draft.intent if not draft.abstained else "task", topic="count")


def _all_groups(c, q, scope, word: str, out_cls):
    """Each numbered heading of a plan with how many sub-items it lists ("(二)1." … "(二)8."),
    and their sum; None when no plan in scope numbers its sub-items."""
    out = out_cls(c)
    for d in [d for d in scope if d.meta.kind != "regulation"]:
        groups = _groups(d)
        named = _sections(c, q, d)
        if len(groups) < 2 or (named and named[0] >= MATCH):  # (one heading named: its own count)
            continue
        total = sum(len(arts) for arts in groups.values())
        first = min(a.number for arts in groups.values() for a in arts)
        lead = next((a for a in d.articles if a.number == first - 1), None)
        if lead is not None and c.is_intro(d.text[lead.start:lead.end]):  # "提出了四项主要任务,包括:"
            out.line(f"{c.who(d)}：{c.quote_span(out, d, lead, lead.start, lead.end)}")
        out.line(f"{c.who(d)}各项之下的小项加起来为{total}{word}：")
        for label, arts in groups.items():
            hs, he = _heading(d, arts)
            out.line(f"- {c.span_written(d, hs, he)} {out.cite(d, arts[0].label, hs, he)}：下列{len(arts)}{word}")
        out.line(f"（{'＋'.join(str(len(a)) for a in groups.values())}＝{total}）")
    return out.draft("task", topic="count") if out.lines else None


# "那20个目标任务具体是哪20个？": the items of a count the question states
_WHICH_N = re.compile(r"哪(\d{1,3}|[一二两三四五六七八九十]{1,3})(个|项|条|种|家|方面|大项)")


def unlisted(c, q, draft, out_cls):
    """A question asking which N things a document counts ("哪20个？") while the draft lists a
    different number of items: the document states the count without listing them (the draft's
    list is of something else), so say that and quote where it counts them. None otherwise."""
    m = _WHICH_N.search(q.text)
    items = [line for line in draft.text.splitlines() if line.startswith("- ")]
    if not m or len(items) < 2:
        return None
    n = parse_number(m.group(1))
    if n is None or n == len(items):
        return None
    word = m.group(2)
    for doc_id in q.doc_ids:
        d = c.docs.get(doc_id)
        at = -1 if d is None else next((x.start() for x in re.finditer(rf"(?<!\d){int(n)}{word}", d.text)), -1)
        art = None if at < 0 else next((a for a in d.articles if a.start <= at < a.end), None)
        if art is None:
            continue
        k = len(f"{int(n)}{word}")
        while k < 14 and d.text[at:at + k + 1] in q.text:  # the thing counted, as both write it
            k += 1
        s, e = span_in(d.text, at, at + k, art.start, art.end)
        out = out_cls(c)
        out.line(f"{c.who(d)}只提到{d.text[at:at + k]}，没有逐项列出是哪{int(n)}{word}，无法回答；"
                 f"它写道：{c.quote_span(out, d, art, s, e)}。")
        return out.draft(draft.intent, abstained=True, settled=True)
    return None


# an enumeration inside one sentence ("现场审查包括首次会议、现场核查和末次会议"): its items
_ENUMERATES = re.compile(r"(?:包括|分为|分成|由|含)([^，,。；;:：]{2,60}?(?:、[^，,。；;:：]{2,30}?)*(?:和|及|以及|、)[^，,。；;:：]{2,30}?)(?=[。；;,，]|$)")


def _inline(c, q, draft, word: str, out_cls):
    """"现场审查分几个环节？" where the draft quotes a sentence listing them inline: the draft, with
    the items counted after it; None when no cited sentence enumerates two or more items."""
    if draft.abstained:
        return None
    found = []
    for cite in draft.citations:
        doc = c.docs.get(cite.doc_id)
        if doc is None:
            continue
        sentence = doc.text[cite.start:cite.end]
        m = _ENUMERATES.search(sentence)
        if not m:
            continue
        items = [x.strip() for x in re.split(r"、|以及|和|及", m.group(1)) if x.strip()]
        if len(items) < 2 or any(len(x) > 30 for x in items):
            continue
        subject = re.split(r"[，,。；;]", sentence[:m.start()])[-1].strip()
        found.append((bool(subject) and subject in q.text, subject, items))
    if not found:
        return None
    _, subject, items = max(found, key=lambda f: f[0])  # the one whose subject the question names
    line = f"{subject or '所列'}分{len(items)}{word}：{'、'.join(items)}。"
    draft.text = f"{line}\n{draft.text}"  # the count first, then the draft that quotes the sentence
    return draft
