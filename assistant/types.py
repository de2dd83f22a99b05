"""Dataclasses that flow between the pipeline stages.

Document → Article (an article of a regulation, or a section of a plan/news text)
→ Chunk → Hit → Answer, with Rule, Provision, Citation, Check and Event on the side.
All offsets are character offsets into ``Document.text`` (the normalised text); what a person
reads of a span is ``Document.source_span`` (the source's own characters).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a lower layer like this one: no import at run time
    from .normalize import SourceMap

KINDS = ("regulation", "plan", "news")
LEVELS = ("省", "市")


@dataclass(frozen=True)
class DocMeta:
    """One document's manifest entry."""

    id: str
    title: str
    jurisdiction: str
    level: str
    kind: str
    source: str  # file name inside corpus/
    issuer: str = ""
    doc_number: str = ""  # 文号
    issued: dt.date | None = None
    effective: dt.date | None = None
    effective_note: str = ""  # e.g. "自发布之日起施行" when effective is derived from issued
    province: str = ""  # the province a city belongs to (东营 → 山东)
    begin: str = ""  # a whole line of the source where this document starts (multi-document files)
    aliases: tuple[str, ...] = ()  # other names of the jurisdiction in questions (简称: 岚, 岭西)


@dataclass(frozen=True, slots=True)  # many instances at scale: no per-object __dict__
class Item:
    """An enumerated item inside an article: (一), (二) …"""

    label: str  # as normalised, e.g. "(一)"
    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)  # many instances at scale: no per-object __dict__
class Chapter:
    label: str  # "第四章"
    number: int
    title: str  # "筹建和验收"
    start: int
    end: int


@dataclass(frozen=True, slots=True)  # many instances at scale: no per-object __dict__
class Article:
    """An article (第X条) of a regulation, or a section of a plan/news text.

    For sections ``number`` is the running section number and ``label`` is the
    heading path as written (e.g. "(二)2." or "一是").
    """

    doc_id: str
    label: str
    number: int
    text: str
    start: int
    end: int
    chapter: str = ""  # "第四章 筹建和验收"
    items: tuple[Item, ...] = ()
    heading: str = ""  # section heading text (sections only)
    is_section: bool = False

    @property
    def key(self) -> str:
        return f"{self.doc_id}#{self.label}"


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    text: str  # normalised text of this document (title line through last article)
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    preamble: str = ""  # notice text before the document (addressees, 文号, dates …)
    attachments: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # where each character of ``text`` comes from in the source text (normalize.SourceMap);
    # None for a text that has no source file (then the normalised text is all there is)
    source: "SourceMap | None" = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def source_span(self, start: int, end: int, *, original: bool = False) -> str:
        """What a person reads for ``text[start:end]``: the document's own characters
        (full-width punctuation, spaces inside numbers as written), only the line/page breaks
        the normaliser joined removed. A traditional-character source reads simplified unless
        ``original``."""
        if self.source is None:
            return self.text[start:end]
        return self.source.span(self.text, start, end, original=original)

    def source_display(self, start: int, end: int) -> tuple[str, list[int]]:
        """``source_span(start, end)`` and, for each offset start..end of ``text``, its position
        in that string (to mark normalised spans in the displayed text)."""
        if self.source is None:
            return self.text[start:end], list(range(end - start + 1))
        return self.source.display(self.text, start, end)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def article(self, label: str) -> Article | None:
        for a in self.articles:
            if a.label == label:
                return a
        return None


@dataclass(frozen=True, slots=True)  # many instances at scale: no per-object __dict__
class Chunk:
    """The unit of retrieval: a whole article, or part of a long one split at items."""

    id: str
    doc_id: str
    article: str  # label
    article_number: int
    text: str
    start: int
    end: int
    jurisdiction: str
    kind: str
    title: str
    chapter: str = ""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    ranks: dict = field(default_factory=dict, compare=False)  # {"bm25": 1, "dense": 3}


@dataclass(frozen=True, slots=True)  # many instances at scale: no per-object __dict__
class Rule:
    """One numeric provision, grounded in its article (quote occurs in the article text).

    ``quote`` is the normalised text at start:end (what matching uses); ``verbatim`` is what a
    person reads there, the document's own characters (``Document.source_span``)."""

    id: str
    doc_id: str
    jurisdiction: str
    article: str
    topic: str
    label: str  # human label of the topic, e.g. "筹建期限"
    value: object  # int | float | [lo, hi] | "YYYY-MM-DD"
    unit: str
    comparator: str  # "=", "<=", ">=", "<", ">", "range", "before", "every"
    quote: str
    start: int
    end: int
    note: str = ""  # e.g. "满分100分", "derived from issued date", target year
    verbatim: str = ""  # the document's own text at start:end (exports and the UI show it)


@dataclass(frozen=True)
class Provision:
    """An enumerated provision item: an eligibility condition, task, revocation ground or material.

    ``text`` is the normalised text at start:end, ``verbatim`` the document's own characters there."""

    id: str
    doc_id: str
    jurisdiction: str
    article: str
    kind: str  # conditions | tasks | revocation | materials | priority
    item: str  # item label, "" for a whole clause
    text: str
    start: int
    end: int
    verbatim: str = ""


@dataclass(frozen=True)
class Citation:
    """A cited span: ``start``/``end`` index ``Document.text``; ``quote`` is what the document
    wrote there (``Document.source_span``)."""

    doc_id: str
    title: str
    jurisdiction: str
    article: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Check:
    claim: str
    status: str  # verified | contradicted | unsupported
    rule_id: str = ""
    expected: str = ""


@dataclass(frozen=True)
class Event:
    """A dated event produced by the timeline engine."""

    name: str
    date: dt.date
    rule_id: str
    article: str
    reading: str = ""
    alternative: dt.date | None = None
    doc_id: str = ""


@dataclass(frozen=True)
class AnswerPart:
    """One part of a multi-part question as answered: ``citations`` index the Answer's list."""

    text: str
    intent: str
    topic: str
    abstained: bool
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    intent: str
    jurisdictions: tuple[str, ...]
    abstained: bool
    citations: tuple[Citation, ...] = ()
    values: tuple[dict, ...] = ()
    checks: tuple[Check, ...] = ()
    timings_ms: dict = field(default_factory=dict)
    topic: str = ""
    doc_ids: tuple[str, ...] = ()
    parts: tuple["AnswerPart", ...] = ()  # each asked part of a multi-part question (empty for one part)
