"""Included? "生产安全事故也算吗？", "包不包括联合筹建的？" — whether the user's case falls under what
a provision lists: yes when a sentence of the best retrieved evidence writes the user's own
words (most of them, as one run from their start: the qualifier, not only the general word),
quoted; otherwise no verdict is given and the question goes on
to its component (the documents not writing a case is no proof that it is excluded).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..understand import Query
from ..writer import Draft, Writer, sentence_spans

if TYPE_CHECKING:
    from ..compose import Composer

# "X也算吗", "X算不算", "X算吗", "包括X吗", "包不包括X", "含X吗", "X也包括在内吗"
_ASKS = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,12}?)(?:也)?(?:算不算|算吗|算在内吗|包括在内吗|在内吗|属于吗)"
                   r"|(?:包括|包含|包不包括|含不含|含)(?P<b>[\u4e00-\u9fff]{2,12}?)(?:吗|么|不|[?？]|$)"
                   r"|有没有(?P<c>[\u4e00-\u9fff]{2,12}?)(?:这一条|这一项|这条|这项|这一块|这个|[?？]|$)")
EVIDENCE_TOP = 3  # retrieved articles in scope whose sentences may write the user's case
RUN_MIN = 4  # characters of the user's words a sentence must write as one run
RUN_SHARE = 0.6  # … and this share of them


def included(ctx: "Composer", q: Query, hits, out: Writer) -> Draft | None:
    """算 (包括, as asked), with the sentence that writes the user's case; None when no sentence does."""
    m = _ASKS.search(q.question)
    confirm = len(re.findall(r"[?？]", q.question)) == 2 and bool(_CONFIRMS.search(q.question))
    if not m or (len(re.findall(r"[?？]", q.question)) > 1 and not confirm):
        return None  # (in a question of several parts, the part asking it gets the verdict; "…是有的吧？" is no part)
    case = re.sub(r"^(?:那|这|我们的?|如果是|要是|像)", "", m.group("a") or m.group("b") or m.group("c") or "")
    if len(case) < 2:
        return None
    best = None
    for h in [h for h in hits if h.chunk.doc_id in q.doc_ids][:EVIDENCE_TOP]:
        doc = ctx.docs[h.chunk.doc_id]
        art = doc.article(h.chunk.article)
        if art is None:
            continue
        for s, e in sentence_spans(doc, art):
            run = _lead_run(case, doc.text[s:e])
            if run >= max(RUN_MIN, RUN_SHARE * len(case)) and (best is None or run > best[0]):
                best = (run, doc, art, s, e)
    if best is None:
        return None
    _, doc, art, s, e = best
    verdict = "包括" if m.group("b") else "有" if m.group("c") else "算"
    if _DOUBTED.search(q.question[:m.start() + 2]):  # "是不是不包括X？": 不是，包括
        verdict = f"不是，{verdict}"
    out.line(f"{verdict}：{ctx.who(doc)}{art.label}写明：{ctx.quote_span(out, doc, art, s, e)}。")
    listed_in(ctx, doc, art, out)
    items_of(ctx, doc, art, s, out)
    return out.draft("eligibility", settled=True)


HEAD_MAX = 40  # characters of an item's first sentence for the list to be shown by its items' heads
_DOUBTED = re.compile(r"(?:是不是|是否|难道)(?:就|也)?不|不(?:包括|包含|含|算)")


def items_of(ctx: "Composer", doc, art, at: int, out: Writer) -> None:
    """The case is written in an item of an article's list: the list's lead-in and every item's
    first words, so the answer says which list it is in and how many it has."""
    if len(art.items) < 2 or not any(i.start <= at < i.end for i in art.items):
        return
    heads = []
    for item in art.items:
        body = doc.text[item.start:item.end]
        cut = min([k for k in (body.find("。"), body.find(";"), body.find("；")) if k > 0] or [len(body)])
        if cut > HEAD_MAX:
            return  # (conditions written out at length: the one that writes the case says enough)
        heads.append((item.start, item.start + cut))
    ls, le = ctx.intro(doc, art)
    out.line(f"{ctx.who(doc)}{art.label}（共{len(art.items)}项）：{ctx.quote_span(out, doc, art, ls, le)}：")
    for hs, he in heads:
        out.line(f"- {ctx.quote_span(out, doc, art, hs, he)}")
    out.values.append({"value": len(art.items), "unit": "项", "comparator": "=", "text": f"共{len(art.items)}项"})


_CONFIRMS = re.compile(r"[?？]\s*(?:是|有|对|算)[^?？]{0,4}吧\s*[?？]\s*$")  # "…有没有X这一条？是有的吧？"


def listed_in(ctx: "Composer", doc, art, out: Writer) -> None:
    """A section under a list intro ("提出了四项保障措施包括:" → (一)…(四)): the intro and its
    sections, so the answer says which list the case is in and how many it has."""
    if not art.is_section:
        return
    for a in doc.articles:
        if a is art or not ctx.is_intro(a.text):
            continue
        siblings = ctx.following(doc, a)
        if art not in siblings or len(siblings) < 2:
            continue
        s, e = ctx.heading_span(doc, a)
        while e > s and doc.text[e - 1] in ":：":  # (the intro's own colon: the line ends with one)
            e -= 1
        out.line(f"{ctx.who(doc)}{a.label}（共{len(siblings)}项）：{ctx.quote_span(out, doc, a, s, e)}：")
        for sib in siblings:
            hs, he = ctx.heading_span(doc, sib)
            out.line(f"- {ctx.quote_span(out, doc, sib, hs, he)}")
        out.values.append({"value": len(siblings), "unit": "项", "comparator": "=", "text": f"共{len(siblings)}项"})
        return


def _lead_run(case: str, sentence: str) -> int:
    """How much of the user's case, from its first character, the sentence writes: its qualifier
    must be there ("生产安全" in "含…生产安全等"), not only the general word ("安全事故")."""
    return max((k for k in range(len(case), 0, -1) if case[:k] in sentence), default=0)
