"""What every answer component writes with: the draft, the writer that collects its lines,
citations, values and events, and how quotes, citation markers, dates and sentences are written.

Every fact carries a citation marker ``[重庆·第十四条]`` (jurisdiction, or the title stem when a
jurisdiction has several documents: ``[湖北省碳计量中心·第十一条]``), which the checker reads.
Quotes read as the document wrote them (``as_written``); offsets stay on the normalised text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .numbers import find_quantities, format_quantity
from .types import Article, Citation, Document, Event, Provision, Rule

if TYPE_CHECKING:
    from .compose import Composer

SENT = "。;!?\n"
# the words with which a text says what a name is ("3项重点任务是指…", "X包括…")
DEFINES = ("是指", "包括", "分别是", "主要有", "主要包括")
LABEL = re.compile(r"\s*(第[零一二三四五六七八九十百千]+条\s*|\([一二三四五六七八九十]+\)\s*|\d+\.\s*|[一二三四五六七八九十]+是)")
MAX_QUOTE = 170
MATCH = 0.42  # lexical coverage above which a sentence/provision is taken as answering the question
# share of a question's subject a document's title covers for the title's words to count in that
# document's text ("那次世界计量日活动是几号？" of a news text titled with it)
TITLED = 0.5


@dataclass
class Draft:
    """A composed answer before checking."""

    text: str
    intent: str
    citations: list[Citation] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    abstained: bool = False
    doc_ids: list[str] = field(default_factory=list)  # documents whose rules the text states
    topic: str = ""
    # an abstention that knows why (a document the corpus only names, specifics it defers):
    # the evidence review leaves it be
    settled: bool = False
    # a comparison table's cell per document id, as shown (components/comparison.py; each.py)
    columns: dict[str, str] = field(default_factory=dict)

    def extend(self, extra: "Draft", text: str) -> None:
        """Append ``text`` (written with ``extra``'s writer) and the citations and documents it
        quotes that this draft does not already have."""
        self.text = f"{self.text.rstrip()}\n\n{text}"
        known = {(c.doc_id, c.article, c.start, c.end) for c in self.citations}
        self.citations += [c for c in extra.citations if (c.doc_id, c.article, c.start, c.end) not in known]
        self.doc_ids += [d for d in extra.doc_ids if d not in self.doc_ids]


# the measure a question counts listed items in when it names one ("哪几方面" → 个方面, "几个
# 环节" → 个环节, "几条" → 条); a bare 几个/几份 counts in the documents' own 项. "共4个方面" is
# checked like "共4项" (check.COUNT_UNITS)
_MEASURE = re.compile(r"(?:几|多少)\s*(?:个)?\s*(方面|环节|步骤|阶段|部分)|(?:几|多少)\s*(条)")


def measure(question: str, default: str = "项") -> str:
    """The measure word a count of listed items is said in: the question's own when it names
    one, else ``default``."""
    m = _MEASURE.search(question or "")
    if not m:
        return default
    return f"个{m.group(1)}" if m.group(1) else m.group(2)


class Writer:
    """Collects answer lines, citations, values and events."""

    def __init__(self, composer: "Composer"):
        self.c = composer
        self.lines: list[str] = []
        self.citations: dict[tuple, Citation] = {}
        self.values: list[dict] = []
        self.events: list[Event] = []
        self.doc_ids: list[str] = []
        self.cited_docs: dict[str, Document] = {}

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def cite(self, doc: Document, label: str, start: int, end: int) -> str:
        """The marker for doc.text[start:end]; its citation quotes the document's own text."""
        key = (doc.id, label, start, end)
        if key not in self.citations:
            self.citations[key] = Citation(doc_id=doc.id, title=doc.meta.title, jurisdiction=doc.meta.jurisdiction,
                                           article=label, quote=as_written(doc, start, end), start=start, end=end)
            self.cited_docs[doc.id] = doc
        self.use(doc)
        return self.c.marker(doc, label)

    def use(self, doc: Document) -> None:
        if doc.id not in self.doc_ids:
            self.doc_ids.append(doc.id)

    def value(self, rule: Rule) -> None:
        if any(v.get("rule_id") == rule.id for v in self.values):
            return
        value = list(rule.value) if isinstance(rule.value, tuple) else rule.value
        self.values.append({"value": value, "unit": rule.unit, "comparator": rule.comparator, "rule_id": rule.id,
                            "text": format_quantity(rule.value, rule.unit, rule.comparator, rule.note)})

    def event(self, e: Event) -> None:
        self.events.append(e)
        self.values.append({"value": e.date.isoformat(), "unit": "date",
                            "alternatives": [e.alternative.isoformat()] if e.alternative else [],
                            "rule_id": e.rule_id, "text": e.name})

    def draft(self, intent: str, *, abstained: bool = False, topic: str = "", settled: bool = False) -> Draft:
        text = "\n".join(self.lines).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
        text = self.written_quotes(text)
        return Draft(text=text, intent=intent, citations=list(self.citations.values()), values=self.values,
                     events=self.events, abstained=abstained, doc_ids=self.doc_ids, topic=topic, settled=settled)

    def written_quotes(self, text: str) -> str:
        """Every cited span written right before its marker ("…normalised text… [重庆·第十四条]"),
        with an item label ("(一)") right before it, reads as the document wrote it (full-width
        punctuation, spaces as in the source). The checker and the eval normalise the answer
        again, so they see what they saw before."""
        for (doc_id, label, start, end) in self.citations:
            doc = self.cited_docs[doc_id]
            s, e = _stripped(doc.text, start, end)
            normalised, marker = doc.text[s:e], f" {self.c.marker(doc, label)}"
            if not normalised or f"{normalised}{marker}" not in text:
                continue
            m = _ITEM_BEFORE.search(doc.text, max(0, s - 8), s)
            item = m.group(0) if m else ""
            out, pos = [], 0
            while (at := text.find(f"{normalised}{marker}", pos)) >= 0:
                lo = at - len(item) if item and text.endswith(item, 0, at) else at
                out.append(text[pos:lo])
                out.append(as_written(doc, s - (at - lo), e))
                pos = at + len(normalised)
            text = "".join(out) + text[pos:]
        return text


_ITEM_BEFORE = re.compile(r"(\([一二三四五六七八九十]+\)|\d+\.)$")


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def as_written(doc: Document, start: int, end: int) -> str:
    """What a person reads for doc.text[start:end]: the document's own text, without the
    whitespace at the ends."""
    return doc.source_span(*_stripped(doc.text, start, end)).strip()


_QUOTED = re.compile(r"「([^「」\n]{4,300})」|“([^“”\n]{4,300})”")


def quotes_as_written(text: str, docs) -> str:
    """Text quoted in 「」 or “” that a document says (compared normalised) reads as that document
    wrote it: for prose written by someone else (the generator), whose quotes may be normalised."""
    from .normalize import normalize_query

    def written(m: re.Match) -> str:
        inner = m.group(1) or m.group(2)
        wanted = normalize_query(inner)
        for doc in docs:
            at = doc.text.find(wanted) if len(wanted) >= 4 else -1
            if at >= 0:
                return m.group(0).replace(inner, as_written(doc, at, at + len(wanted)))
        return m.group(0)

    return _QUOTED.sub(written, text)


def item_as_written(doc: Document, p: Provision) -> str:
    """A list item with its label ("（一）具有法人资格") as the document wrote it."""
    if p.item and doc.text.endswith(p.item, 0, p.start):
        return as_written(doc, p.start - len(p.item), p.end)
    return p.item + as_written(doc, p.start, p.end)


_PROSE_PUNCT = re.compile(r"[,:;()]")
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}


def prose_punctuation(text: str) -> str:
    """Engine prose in Chinese punctuation: "另一读法:开始当日计入,…" → "另一读法：开始当日计入，…"
    (a mark between two ASCII letters or digits, as in "1,000" or "10:30", stays)."""
    def full(m: re.Match) -> str:
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            return m.group(0)
        return _FULL[m.group(0)]
    return _PROSE_PUNCT.sub(full, text)


def citation_marker(doc: Document, label: str, docs_per_jurisdiction: dict[str, int]) -> str:
    """[重庆·第十四条]; the title stem when a jurisdiction has several documents
    ([湖北省碳计量中心·第十一条]), which the checker resolves by title prefix."""
    short = label.split("·")[-1]
    if docs_per_jurisdiction.get(doc.meta.jurisdiction, 1) == 1:
        prefix = doc.meta.jurisdiction
    else:
        prefix = re.sub(r"(建设管理办法|管理办法|办法)(\(试行\))?$", "", doc.meta.title)
    return f"[{prefix}·{short}]"


def date_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def span_in(text: str, start: int, end: int, lo: int, hi: int, seps: str = SENT) -> tuple[int, int]:
    """The sentence around [start, end) inside [lo, hi), without a leading article/item label."""
    s = start
    while s > lo and text[s - 1] not in seps:
        s -= 1
    e = end
    while e < hi and text[e] not in seps:
        e += 1
    m = LABEL.match(text, s)
    if m and m.end() <= start:
        s = m.end()
    while s < e and text[s] in " \u3000":
        s += 1
    return s, e


def sentence_spans(doc: Document, art: Article, seps: str = SENT) -> list[tuple[int, int]]:
    """Sentence spans (document offsets) of an article, labels stripped, empty ones dropped."""
    out, s = [], art.start
    text = doc.text
    for i in range(art.start, art.end + 1):
        if i == art.end or text[i] in seps:
            a, b = s, i
            m = LABEL.match(text, a)
            while m and m.end() <= b and m.end() > a:
                a = m.end()
                m = LABEL.match(text, a)
            while a < b and text[a] in " \u3000":
                a += 1
            if b - a >= 2:
                out.append((a, b))
            s = i + 1
    return out


def with_lead(doc: Document, art: Article, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with, before one inside an item of the article's list ("复查不合格的"), the
    sentence that announces the list ("有下列情形之一的,应撤销其市级碳计量中心资格:"): an item
    alone says nothing of what it is an item of."""
    if not art.items or not any(art.items[0].start <= s for s, _ in spans):
        return spans
    head = [x for x in sentence_spans(doc, art) if x[1] <= art.items[0].start]
    if not head or doc.text[head[-1][1] - 1] not in ":：" or head[-1] in spans:
        return spans
    return sorted({*spans, head[-1]})


ITEM_WHOLE = 240  # characters of an item at most that is quoted whole when its heading sentence is


def whole_item(doc: Document, art: Article, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with, after an item's heading sentence ("开展碳计量人才队伍培育和科普宣传"),
    the rest of that item when it is short: the heading names what the item then says."""
    out = set(spans)
    sentences = sentence_spans(doc, art) if art.items else []
    for item in art.items:
        if item.end - item.start > ITEM_WHOLE:
            continue
        inside = [x for x in sentences if item.start <= x[0] < item.end]
        if inside and inside[0] in out:
            out.update(inside)
    return sorted(out)


# a consequence that needs a further step before it applies ("复查不合格,经整改后仍然达不到要求的",
# "限期3个月整改,整改后仍达不到80分的")
FURTHER = re.compile(r"(?:经|限期)[^,，。；;]{0,8}整改[^。；;]{0,8}?仍[^,，。；;]*")
# a yes/no question whether it happens at once ("会直接被撤销吗？", "是不是直接就判不合格了？")
AT_ONCE = re.compile(r"(?:直接|立即|立刻|马上|当即|就会|就要|就被).{0,8}(?:吗|么|了|[?？]|$)")

MAX_CHAT_COMPARE = 12  # documents side by side in one chat answer


@functools.lru_cache(maxsize=8192)
def article_quantities(text: str) -> tuple:
    """find_quantities of an article's text, cached (articles are scanned question after question)."""
    return tuple(find_quantities(text))
