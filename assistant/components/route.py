"""Route: who an application or a report goes to, and whose consent comes first.

"第一步要找谁？", "直接找省局行不行？", "验收申请先找谁同意？", "要先过区局审核吗？" ask for the
bodies on the way, which the documents write as one kind of sentence: "经X同意/审核合格，(由Y)向Z
提出/提交/报送…". Their words (找谁, 点头, 先过) are in no article, so retrieval and the cue words
miss them. ``route`` takes the articles in scope holding such a sentence, picks the one whose
text best covers what the question is about (筹建申请, 验收, 年度报告 …) and quotes it whole — the
sentence, and the exceptions next to it ("中央驻鄂单位…可直接向省市场监管局提出").

Nothing here knows a document: the sentence shape is the documents' common drafting.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..understand import Query
from ..writer import Draft, Writer
from .procedure import article_body

if TYPE_CHECKING:
    from ..compose import Composer

ROUTE = "route"  # the draft's topic: the evidence review leaves it be (the words are not in the text)

# the question asks for a body on the way (who receives, who consents first)
ASKS_ACTOR = re.compile(r"找谁|找哪|向谁|交给谁|报给谁|递给谁|交到哪|报到哪|交哪里|报哪里|谁先(?:同意|点头|审核|审批|批|签字|盖章)|谁(?:同意|点头|审核|签字|盖章)|"
                        r"先过|先经过|先找|先报|直接找|直接向|直接报|直接交|直接申请|直接递|直接把[^，,。？?]{0,8}?(?:递|交|报|送)|第一步|哪个部门|哪一级|哪级|"
                        r"渠道|途径|路径|哪条线|哪条路|走哪条|谁出面|由谁报|谁来报|谁去报|"
                        r"who (?:do|should|must)|to whom|through whom|via whom|which (?:department|authority|office)|route|channel")
# the drafting of a route: (经X同意/审核合格，)(由Y)向Z提出/提交/报送/申请
SENTENCE = re.compile(r"向[^，,。；;]{2,24}?(?:提出|提交|报送|申请|报告)")
# what a route is for, when the question names it: its sentences must say it too
ACTIONS = {"验收": ("验收",), "年度": ("年度",), "年报": ("年度",), "总结": ("总结",), "延期": ("延期",),
           "整改": ("整改",), "变化": ("变化",), "搬": ("变化",), "换": ("变化",), "变更": ("变化",)}
OBJECT = 12  # characters after 向…提出 that say what is sent
NAMES_APPLICATION = re.compile(r"申报|申请|报[^告到给]")
ELLIPTIC = re.compile(r"又|也|呢\s*[?？]?\s*$|^\s*那")  # a question leaning on what came before


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(p, 0, at) for p in "。；;\n") + 1


def route(ctx: "Composer", q: Query, hits, out: Writer) -> Draft | None:
    """The article that routes what the question asks about, quoted; None when the question
    asks for no body on the way or no article in scope routes it."""
    if not ASKS_ACTOR.search(q.text) or q.intent == "comparison" or len(q.doc_ids) > 2:
        return None
    wanted = [w for key, words in ACTIONS.items() if key in q.text for w in words]
    if not wanted and ELLIPTIC.search(q.text) and not NAMES_APPLICATION.search(q.text):
        # "重庆又要谁先同意？": it routes what was said before, which this part does not name
        # ("天津报数据中心，也得先过区局吗？" names the application it routes)
        return None
    best = None
    for did in q.doc_ids:
        doc = ctx.docs.get(did)
        if doc is None or doc.meta.kind != "regulation":
            continue
        grams = ctx.qgrams(q, doc, drop_intent="procedure")
        for art in doc.articles:
            # what each route sentence sends: its words and the few after ("提出验收申请")
            # (from the sentence's start: "发生重大变化时,应及时向…报告" reports a change)
            sent = [art.text[_sentence_start(art.text, m.start()):m.end() + OBJECT] for m in SENTENCE.finditer(art.text)]
            others = [w for ws in ACTIONS.values() for w in ws if w not in wanted]
            if wanted:  # it sends what is asked, not another step ("提出延期验收考核申请" for 验收)
                sent = [x for x in sent if any(w in x for w in wanted) and not any(w in x for w in others)]
            else:  # a question naming no later step asks about the application itself
                sent = [x for x in sent if not any(w in x for ws in ACTIONS.values() for w in ws)]
            if not sent:
                continue
            score = ctx.coverage(grams, art.text) if grams else 0.0
            if best is None or (score, -art.number) > (best[0], -best[2].number):
                best = (score, doc, art)
    if best is None:
        return None
    _, doc, art = best
    if ASKS_DIRECT.search(q.text):
        verdict = direct_verdict(ctx, doc, art, q.text)
        if verdict:
            out.line(verdict)
    out.line(f"{ctx.who(doc)}{art.label}：{article_body(ctx, q, doc, art, out)}")
    return out.draft("procedure", topic=ROUTE)


# "能不能直接递给市局？", "是不是自己直接交就行？": whether the route passes another body first
ASKS_DIRECT = re.compile(r"直接[^，,。？?]{0,14}(?:吗|行不行|可不可以|能不能|可以不|行吗|就行|就可以)|"
                         r"(?:能不能|可不可以|能否|是否|是不是|可以|能)[^，,。？?]{0,10}直接|\bdirectly\b", re.IGNORECASE)
_VIA = re.compile(r"经([^，,。；;]{2,30}?)(同意|审核合格|审核同意|推荐)")
_DIRECT = re.compile(r"[^。；;,，]*直接向[^。；;]*")
_LEVEL = re.compile(r"(省|市)级?(?:市场监管局|市场监督管理局|市场监管委|市场监管部门|局)")  # the body a question names


def direct_verdict(ctx: "Composer", doc, art, question: str) -> str:
    """The verdict on applying directly: no when the route sentence passes a body first (经X同意),
    with the exception the article allows (可直接向…); yes when it names none."""
    m = SENTENCE.search(art.text)
    if m is None:
        return ""
    sentence = art.text[_sentence_start(art.text, m.start()):m.end()]
    via = _VIA.search(sentence)
    target = re.search(r"向([^，,。；;]{2,24}?)(?:提出|提交|报送|申请|报告)", sentence)
    if via is None:
        said = f"{ctx.who(doc)}写的是由申请单位{target.group(0) if target else '提出申请'}"
        asked = _LEVEL.search(question)
        level = target.group(1)[:1] if target and target.group(1)[:1] in "省市" else ""
        if asked and asked.group(1) != level:  # the body the question names is not the one the route sends to
            return f"不是直接报{asked.group(0)}：{said}。" if level else f"{said}。"
        return f"可以：{said}，没有要求先经其他部门。" if level or not asked else f"{said}。"
    exception = _DIRECT.search(art.text)
    head = f"不能直接报：{ctx.who(doc)}要求先经{via.group(1)}{via.group(2)}"
    if exception and exception.start() > via.end():
        return f"{head}；但{exception.group(0).strip()}。"
    return head + "。"
