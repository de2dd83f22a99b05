"""Basis: which higher-level documents a document rests on ("依据哪些上级文件制定的？").

Chinese policy documents say it in one sentence near the top, whatever their drafting: the
regulation's 第一条 ("为…，根据《…》，结合本省实际，制定本办法。") or the plan's opening paragraph
("根据《…》(国发〔2021〕37号)、《…》要求，结合…，印发…"). The question's words (上级文件, 依据)
are in no article, so retrieval misses it. ``basis`` quotes, per document in scope, the first
sentence of its first articles that names a document (《…》) after 根据/依据/按照/贯彻落实.

Nothing here knows a document: the sentence shape is the documents' common drafting.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..understand import Query
from ..writer import Draft, Writer, sentence_spans

if TYPE_CHECKING:
    from ..compose import Composer

BASIS = "basis"  # the draft's topic: the evidence review leaves it be (the words are not in the text)
# (not a purpose clause: "为落实实施意见提了哪几方面要求" asks what was asked of whom, not the basis)
ASKS = re.compile(r"(?<!为)(?<!为了)(?:依据|根据|按照|贯彻|落实)[^，,。？?]{0,6}?(?:哪|什么|啥)|上级文件|上位文件|上位法|制定依据|"
                  r"依据的是|出台依据|based on|legal basis|which (?:higher|national|provincial) document")
# … of the document itself, not of a step ("验收依据哪个细则？", "拍板依据哪些东西？")
OF_DOCUMENT = re.compile(r"办法|意见|方案|文件|规划|这份|这个材料|制定|出台|印发|measures|document|plan")
RESTS = re.compile(r"(?:根据|依据|按照|贯彻落实|贯彻|落实)[^。]{0,12}?《")
HEAD = 2  # the document's first articles or paragraphs hold its basis


def basis(ctx: "Composer", q: Query, hits, out: Writer) -> Draft | None:
    """The basis sentence of each document in scope, quoted; None when the question does not
    ask for it or no document in scope states one."""
    if not (ASKS.search(q.text) and OF_DOCUMENT.search(q.text)):
        return None
    for doc_id in q.doc_ids:
        doc = ctx.docs.get(doc_id)
        if doc is None:
            continue
        for art in doc.articles[:HEAD]:
            found = next(((s, e) for s, e in sentence_spans(doc, art) if RESTS.search(doc.text[s:e])), None)
            if found:
                out.line(f"{ctx.who(doc)}{art.label if not art.is_section else ''}：{ctx.quote_span(out, doc, art, *found)}。")
                break
    if not out.lines:
        return None
    return out.draft(q.intent if q.intent != "numeric" else "other", topic=BASIS)
