"""Multi-part questions: split a question into the parts it asks, answer each, merge.

"筹建期几年？到期做不完怎么办？" asks two things; the composer answers one intent and one
topic at a time, so the second part used to be dropped. ``split_parts`` cuts a question at
sentence ends, at connectives (还有/另外/以及/此外/同时/顺便) and between comma-separated
clauses that each carry their own question word; statements without a question word
("我们2024年4月30日搬了新址") are context and go with every part. ``merge`` puts the whole
question's draft first and adds what each part's own draft says that the first did not
(new articles or values); a part nobody's evidence answers is said to be uncovered.

Nothing here knows a topic or a document: question words come from intents.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .types import AnswerPart, Citation
from .understand import SEVERAL

if TYPE_CHECKING:
    from .compose import Draft

_SENTENCE = re.compile(r"(?<=[?？。;；!！])")
_CONNECTIVE = re.compile(r"[,，、]?\s*(?=(?:还有(?!没|吗)|另外|以及|此外|同时还|顺便问一下|顺便问|再问一下|再问)[^,，、]{2,})")
_PIECE = re.compile(r"(?<=[,，、])")
_EN_SENTENCE = re.compile(r"(?<=\?)\s+|\s+(?=(?:and|also)\s+(?:(?:within|in|for|by|at|to|from|on|under)\s+)?"
                          r"(?:what|how|when|which|who|is|are|does|do|can|must)\b)",
                          re.IGNORECASE)
_EN_QUESTION = re.compile(r"\b(what|how|when|which|who|whom|whose|is|are|does|do|did|can|could|must|should|will)\b",
                          re.IGNORECASE)
# a piece this short is a fragment of its neighbour ("哪天", "几年"), not a question of its own
MIN_PART_CHARS = 4
MAX_PARTS = 4  # a longer list of questions is answered as a whole


@dataclass(frozen=True)
class Part:
    """One asked part: its own words and the question text it is understood from."""

    text: str  # the part as asked
    question: str  # context statements + the part: what the part is understood from


# a sentence ending in a full stop that opens with the user (我们在湖北，…还没定报哪个。) tells
# their case when another sentence of the message asks with a question mark
_TOLD = re.compile(r"^(?:我们|我|咱们|本单位|我司|我单位)(?![^?？]*(?:想知道|想问|请问|想了解|问一下|咨询|请教|想确认))[^?？]*。$")

# a part whose subject is only the part before it: asked of that, not a question of its own
_POINTS_BACK = re.compile(r"这一?点|这方面|这个问题|这件事|这事儿?|这个要求")
POINTING_PART = 14  # … in a part this short (CJK characters): longer ones name their own subject

_CHOICE = re.compile(r"还是")  # "A还是B？" offers answers to the question before it


_CONDITION = re.compile(r"^[^?？]*(?:如果|要是|假如|假设|若是|倘若)[^?？]*$")


def _asks(text: str, words: tuple[str, ...]) -> bool:
    text = SEVERAL.sub("", text) if "几" in text else text  # ("这几个办法里" names, "运行好几年了" tells)
    if "几" in text and _CONDITION.match(text):  # "如果是几家单位联合筹建，" states a case
        text = re.sub(r"几(?=[家个位项名人所])", "", text)
    if re.search(r"[?？]\s*$", text):
        return True
    if any(w in text for w in words):
        return True
    return bool(_EN_QUESTION.search(text)) and not re.search(r"[\u4e00-\u9fff]", text)


_LEANS_BACK = re.compile(r"\s*(?:也|还|都|是不是|是否|一样|同样|照样)")


_WHAT_ASKED = re.compile(r"^([\u4e00-\u9fff]{2,})(?:是)?(?:啥|什么)[?？]?$")


def _subject_and_ask(piece: str) -> bool:
    """A short piece naming what it asks about ("主题啥？"); not a verb with 谁 or a bare
    "要报告？", which lean on the piece before them."""
    return bool(_WHAT_ASKED.match(piece.strip(" ,，、")))


def _topic_shift(piece: str, words) -> bool:
    """"天津那个数据中心呢，": a new subject with 呢 and no question of its own."""
    core = piece.strip(" ,，、")
    return core.endswith("呢") and not _asks(core[:-1], words)


def split_parts(question: str, question_words) -> list[Part]:
    """The parts of ``question`` (one part when it asks one thing)."""
    words = tuple(str(w) for w in question_words)
    text = question.strip()
    english = not re.search(r"[\u4e00-\u9fff]", text)
    sentences = [s.strip() for s in (_EN_SENTENCE if english else _SENTENCE).split(text) if s and s.strip()]
    context: list[str] = []
    asked: list[str] = []
    questioned = any(re.search(r"[?？]$", s) for s in sentences)
    for sentence in sentences:
        if english:
            (asked if _asks(sentence, words) else context).append(sentence)
            continue
        if questioned and _TOLD.match(sentence):  # "我们在湖北，…还没定报哪个。": the user's story
            context.append(sentence)
            continue
        for chunk in _CONNECTIVE.split(sentence):
            chunk = chunk.strip(" ,，、")
            if not chunk:
                continue
            pieces = [p for p in _PIECE.split(chunk) if p.strip(" ,，、")]
            groups: list[str] = []
            pending = ""
            for piece in pieces:
                if groups and not pending and _CHOICE.search(piece) and not any(w in piece for w in words):
                    groups[-1] += piece  # "…归谁管，省局还是市里？": the choices of the question before
                    continue
                if groups and not pending and groups[-1].endswith("、") and not any(w in piece for w in words):
                    groups[-1] += piece  # "有没有人才培养、科普这方面的任务？": one enumeration, one question
                    continue
                if _asks(piece, words) and (len(re.sub(r"[\W_]", "", piece)) >= MIN_PART_CHARS
                                            or _subject_and_ask(piece)):
                    if groups and not pending and _topic_shift(groups[-1], words) and _LEANS_BACK.match(piece):
                        groups[-1] += piece  # "天津那个呢，也是这么久？": one question about the new subject
                    elif groups and not pending and not _asks(groups[-1], words):
                        groups[-1] += piece
                    else:
                        groups.append(pending + piece)
                    pending = ""
                elif groups and _asks(groups[-1], words) and not pending and len(re.sub(r"[\W_]", "", piece)) < MIN_PART_CHARS:
                    groups[-1] += piece  # "…哪天、" fragment
                else:
                    pending += piece
            if pending:
                if groups:
                    groups[-1] += pending
                else:
                    groups.append(pending)
            for g in groups:
                g = g.strip(" ,，、")
                (asked if _asks(g, words) else context).append(g)
    joined: list[str] = []
    for a in asked:  # "…多长时间之内把筹建做完？这两类在这点上有区别吗？": one question about that point
        if joined and not english and _POINTS_BACK.search(a) and len(re.findall(r"[\u4e00-\u9fff]", a)) <= POINTING_PART:
            joined[-1] += a
        else:
            joined.append(a)
    asked = joined
    if len(asked) == 1 and not english:
        each = _each_named(asked[0]) or _two_aspects(asked[0])
        if each:  # "“3项重点任务”和“5项重点工程和行动”分别是啥？": one question per quoted name
            asked = each
    if len(asked) <= 1 or len(asked) > MAX_PARTS:
        return [Part(text=text, question=text)]
    lead = "".join(c if re.search(r"[。.;；!！?？]$", c) else c + "，" for c in context)
    return [Part(text=a, question=f"{lead}{a}") for a in asked]


_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,24})[”\"」]")
_EACH_ASK = re.compile(r"(?:分别|各自|各)((?:是|指|有|包括)?(?:啥|什么|哪些|哪几[个项条]))")


_COUNTED = re.compile(r"(?<![第\d一二两三四五六七八九十])(?:\d+|[一二两三四五六七八九十]{1,3})(?:项|个|条|大|类|方面)")
_JOINS = re.compile(r"(?:和|与|及|以及|、|，|,|还有)+$")


def _each_named(asked: str) -> list[str]:
    """A question asking what each of two or more named things is: quoted names ("“A”和“B”
    分别是啥？") or counted ones ("3项重点任务和5项重点工程分别是啥？"): one question per name,
    with the asking words after them; [] otherwise."""
    tail = _EACH_ASK.search(asked)
    if not tail:
        return []
    ask = tail.group(1)
    ask = ask if ask.startswith("是") else "是" + ask
    names = _QUOTED.findall(asked)
    if 2 <= len(names) <= MAX_PARTS:
        head = asked[:asked.find(names[0]) - 1]  # what comes before the first name ("江西…方案的")
        return [f"{head}“{n}”{ask}" for n in names]
    counts = [m.start() for m in _COUNTED.finditer(asked, 0, tail.start())]
    if not 2 <= len(counts) <= MAX_PARTS:
        return []
    end = re.sub(r"具体$", "", asked[:tail.start()])
    head = asked[:counts[0]]
    names = [_JOINS.sub("", end[a:b]) for a, b in zip(counts, [*counts[1:], len(end)])]
    if any(len(n) < 4 for n in names):  # a count with no noun of its own ("3项和5项分别是啥")
        return []
    return [f"{head}{n}{ask}" for n in names]


# "鄂、渝、津的周期和复查不合格的后果一样吗？": two aspects compared, one question each
_TWO_ASPECTS = re.compile(r"^(?P<head>[^的?？]*?的)(?P<x>[\u4e00-\u9fff]{2,8}?)(?:和|与|以及|及)(?P<y>[\u4e00-\u9fff的]{2,14}?)"
                          r"(?P<ask>(?:都|是不是|是否)?(?:一样吗|相同吗|一致吗|是否一致|有(?:什么|啥|没有)?(?:区别|不同|差别|差异)吗?|"
                          r"(?:有)?(?:什么|啥|哪些)(?:区别|不同|差别|差异)))[?？]?$")


def _two_aspects(asked: str) -> list[str]:
    """A comparison of two aspects joined by 和 after the places' 的: one comparison of each."""
    m = _TWO_ASPECTS.match(asked.strip())
    if not m:
        return []
    head, ask = m.group("head"), m.group("ask")
    return [f"{head}{m.group('x')}{ask}", f"{head}{m.group('y')}{ask}"]


def covered(part_citations, part_values, citations, values) -> bool:
    """True when the part's draft quotes nothing that is not already quoted (a span of an
    article overlapping one already cited counts as said) and adds no value."""
    def said(c) -> bool:
        return any(x.doc_id == c.doc_id and x.article == c.article and x.start < c.end and c.start < x.end
                   for x in citations)
    said_values = {(str(v.get("value")), v.get("unit")) for v in values}
    new_values = {(str(v.get("value")), v.get("unit")) for v in part_values} - said_values
    return all(said(c) for c in part_citations) and not new_values


def _bare(text: str) -> str:
    return re.sub(r"\[[^\[\]]*\]|[\s。，,；;：:、.]", "", text)


def written(part_text: str, blocks: list[str]) -> bool:
    """Every line of a part's draft is already written in the answer (the same quote, its
    value too, under other punctuation): nothing to add."""
    said = _bare("\n".join(blocks))
    return all(_bare(line) in said for line in part_text.split("\n") if _bare(line))


def _key(c: Citation) -> tuple:
    return (c.doc_id, c.article, c.start, c.end)


def citation_indices(citations: list[Citation], subset) -> tuple[int, ...]:
    keys = [_key(c) for c in citations]
    return tuple(sorted({keys.index(_key(c)) for c in subset if _key(c) in keys}))


def _first_line(text: str) -> str:
    return next((ln for ln in text.splitlines() if ln.strip()), "")


def merge_parts(whole: "Draft", drafts: list[tuple[Part, "Draft"]]) -> tuple["Draft", list[AnswerPart]]:
    """One draft for a multi-part question: the whole question's draft, then what each part's
    draft adds (its own words as a heading); one citation list. A part whose draft abstained is
    said to be uncovered when it asks about something the rest of the answer does not state."""
    said_whole = not whole.abstained  # an abstaining whole says none of what it cites
    citations = list(whole.citations) if said_whole else []
    values = list(whole.values) if said_whole else []
    events = list(whole.events) if said_whole else []
    doc_ids = list(whole.doc_ids)
    blocks = [whole.text] if said_whole else []
    answered: list[tuple[Part, "Draft"]] = []
    for part, d in drafts:
        if d.abstained:
            continue
        answered.append((part, d))
        if covered(d.citations, d.values, citations, values):
            continue
        if blocks and written(d.text, blocks):
            values += [v for v in d.values if v not in values]  # (written already: they count as stated)
            continue
        said = {line.strip() for b in blocks for line in b.split("\n") if line.strip()}
        new = [line for line in d.text.split("\n") if line.strip() not in said]  # (not the whole's lines again)
        if not any(line.strip() for line in new):
            continue
        blocks.append(f"关于“{part.text.rstrip('？?')}”：\n" + "\n".join(new).strip("\n"))
        citations += [c for c in d.citations if _key(c) not in {_key(x) for x in citations}]
        values += [v for v in d.values if v not in values]
        events += [e for e in d.events if e not in events]
        doc_ids += [i for i in d.doc_ids if i not in doc_ids]
    if not answered:
        return whole, [AnswerPart(p.text, d.intent, d.topic, True) for p, d in drafts]
    results = []
    for part, d in drafts:
        if d.abstained:
            if whole.abstained or (d.topic and d.topic != whole.topic):
                blocks.append(f"关于“{part.text.rstrip('？?')}”：{_first_line(d.text)}")
            results.append(AnswerPart(part.text, d.intent, d.topic, True))
        else:
            results.append(AnswerPart(part.text, d.intent, d.topic, False, citation_indices(citations, d.citations)))
    intent = whole.intent if not whole.abstained else answered[0][1].intent
    merged = replace(whole, text="\n\n".join(b for b in blocks if b.strip()), intent=intent, citations=citations,
                     values=values, events=events, doc_ids=doc_ids, abstained=False,
                     topic=whole.topic or answered[0][1].topic)
    return merged, results
