"""Composition by intent: the deterministic answer text, its citations, values and events.

numeric → the rules-table value(s) with the article quote; timeline → dates from the timeline
engine with the rules behind them and the reading used; eligibility → the conditions, with a
per-condition verdict when the user describes their unit; task / procedure / revocation →
the relevant items in order; comparison → a markdown table (one column per document) with a
one-line summary first; anything else → the best sentences of the best articles. When the
documents in scope do not cover the question the draft abstains and names what the corpus
says nearby, always saying whose rule it is.

Every fact carries a citation marker ``[重庆·第十四条]`` (jurisdiction, or the title stem when a
jurisdiction has several documents: ``[湖北省碳计量中心·第十一条]``), which the checker reads.
Nothing here knows a particular document or question: documents come from the manifest,
numbers from the rules table, wording from the articles.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from . import timeline as tl
from .compare import compare, short_title
from .components.count import count
from .numbers import find_quantities, format_quantity, normalise
from .rules import RulesTable, load_vocabulary as load_topics, target_year
from .types import Article, Citation, Document, Event, Hit, Provision, Rule
from .understand import Lexicon, Query, Vocabulary, bigrams, doc_kind, kind_name, load_vocabulary

_SENT = "。;!?\n"
_LABEL = re.compile(r"\s*(第[零一二三四五六七八九十百千]+条\s*|\([一二三四五六七八九十]+\)\s*|\d+\.\s*|[一二三四五六七八九十]+是)")
_MAX_QUOTE = 170
MATCH = 0.42  # lexical coverage above which a sentence/provision is taken as answering the question


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


class _Out:
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

    def draft(self, intent: str, *, abstained: bool = False, topic: str = "") -> Draft:
        text = "\n".join(self.lines).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
        text = self.written_quotes(text)
        return Draft(text=text, intent=intent, citations=list(self.citations.values()), values=self.values,
                     events=self.events, abstained=abstained, doc_ids=self.doc_ids, topic=topic)

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


def _span_in(text: str, start: int, end: int, lo: int, hi: int, seps: str = _SENT) -> tuple[int, int]:
    """The sentence around [start, end) inside [lo, hi), without a leading article/item label."""
    s = start
    while s > lo and text[s - 1] not in seps:
        s -= 1
    e = end
    while e < hi and text[e] not in seps:
        e += 1
    m = _LABEL.match(text, s)
    if m and m.end() <= start:
        s = m.end()
    while s < e and text[s] in " \u3000":
        s += 1
    return s, e


def _sentences(doc: Document, art: Article, seps: str = _SENT) -> list[tuple[int, int]]:
    """Sentence spans (document offsets) of an article, labels stripped, empty ones dropped."""
    out, s = [], art.start
    text = doc.text
    for i in range(art.start, art.end + 1):
        if i == art.end or text[i] in seps:
            a, b = s, i
            m = _LABEL.match(text, a)
            while m and m.end() <= b and m.end() > a:
                a = m.end()
                m = _LABEL.match(text, a)
            while a < b and text[a] in " \u3000":
                a += 1
            if b - a >= 2:
                out.append((a, b))
            s = i + 1
    return out


MAX_CHAT_COMPARE = 12  # documents side by side in one chat answer


@functools.lru_cache(maxsize=8192)
def _article_quantities(text: str) -> tuple:
    """find_quantities of an article's text, cached (articles are scanned question after question)."""
    return tuple(find_quantities(text))


class Composer:
    """Composes drafts from the rules table, the timeline engine and the articles."""

    def __init__(self, docs: list[Document], table: RulesTable, *, vocab: Vocabulary | None = None,
                 lexicon: Lexicon | None = None):
        self.doc_list = list(docs)
        self.docs = {d.id: d for d in docs}
        self.table = table
        self.vocab = vocab or load_vocabulary()
        self.topics = load_topics()
        self.lexicon = lexicon or Lexicon.from_docs(docs)
        per_j: dict[str, int] = {}
        for d in docs:
            per_j[d.meta.jurisdiction] = per_j.get(d.meta.jurisdiction, 0) + 1
        self._per_j = per_j
        self._title_grams = {d.id: bigrams(d.meta.title) for d in docs}
        # lookups by topic and by article (a corpus of thousands of documents has ~10^5 rules)
        self._by_topic: dict[str, list[Rule]] = {}
        self._by_article: dict[tuple[str, str], list[Rule]] = {}
        self._pos = {r.id: n for n, r in enumerate(table.rules)}
        for r in table.rules:
            self._by_topic.setdefault(r.topic, []).append(r)
            self._by_article.setdefault((r.doc_id, r.article), []).append(r)

    span_written = staticmethod(as_written)  # what a person reads of a span: the document's own characters

    # ------------------------------------------------------------------ naming
    def marker(self, doc: Document, label: str) -> str:
        return citation_marker(doc, label, self._per_j)

    def name(self, doc: Document) -> str:
        return f"《{doc.meta.title}》"

    def who(self, doc: Document) -> str:
        """湖北碳计量中心办法 / 重庆办法 / 东营材料."""
        j = doc.meta.jurisdiction
        noun = "办法" if doc.meta.kind == "regulation" else "材料"
        if self._per_j.get(j, 1) > 1:
            return f"{j}{short_title(doc)}{noun}"
        return f"{j}{noun}"

    def docs_phrase(self, docs: list[Document]) -> str:
        """湖北（碳计量中心、计量数据建设应用基地）、重庆、天津."""
        groups: dict[str, list[Document]] = {}
        for d in docs:
            groups.setdefault(d.meta.jurisdiction, []).append(d)
        parts = []
        for j, ds in groups.items():
            if len(ds) < self._per_j.get(j, 1) or (len(ds) > 1):
                parts.append(f"{j}（{'、'.join(short_title(d) for d in ds)}）")
            else:
                parts.append(j)
        return "、".join(parts)

    def label(self, topic: str) -> str:
        return self.topics.label(topic)

    # ------------------------------------------------------------------ helpers
    def rules(self, topic: str, doc_ids) -> list[Rule]:
        order = {d: n for n, d in enumerate(dict.fromkeys(doc_ids))}
        rules = [r for r in self._by_topic.get(topic, ()) if r.doc_id in order]
        return sorted(rules, key=lambda r: (order[r.doc_id], r.start))

    def has_topic(self, topic: str) -> bool:
        return topic in self._by_topic

    def qgrams(self, q: Query, doc: Document | None = None, *, drop_intent: str = "") -> set[str]:
        """The question's subject bigrams, minus words of the document's own title (not telling
        within that document) and, optionally, the generic words of an intent (intents.yaml `generic`)."""
        words = q.terms.split()
        if drop_intent:
            generic = {str(w) for w in (self.vocab.raw.get("generic") or {}).get(drop_intent, ())}
            generic_grams = self.qgrams_generic(drop_intent)
            words = [w for w in words if w not in generic and not bigrams(w) <= generic_grams]
        grams = bigrams(" ".join(words))
        if doc is not None and grams - self._title_grams.get(doc.id, set()):
            grams -= self._title_grams.get(doc.id, set())
        return grams

    def qgrams_generic(self, intent: str) -> set[str]:
        """Bigrams of an intent's generic words (to drop from a question's subject)."""
        out: set[str] = set()
        for w in (self.vocab.raw.get("generic") or {}).get(intent, ()):
            out |= bigrams(str(w))
        return out

    def coverage(self, grams: set[str], text: str) -> float:
        return self.lexicon.coverage(grams, text)

    def rule_span(self, rule: Rule) -> tuple[int, int]:
        """What to quote for a rule: its sentence from the first clause that states a number (with
        the condition clause "…的" before it), to the sentence end; its clause when that is long."""
        doc = self.docs[rule.doc_id]
        art = doc.article(rule.article)
        lo, hi = (art.start, art.end) if art else (0, len(doc.text))
        s, e = _span_in(doc.text, rule.start, rule.end, lo, hi)
        if e - s <= 100:
            return s, e
        clauses, a = [], s
        for i in range(s, e + 1):
            if i == e or doc.text[i] == ",":
                clauses.append((a, i))
                a = i + 1
        start = next((cs for cs, ce in clauses if cs <= rule.start < ce + 1), rule.start)
        for cs, ce in clauses:
            if cs >= start:
                break
            if find_quantities(doc.text[cs:ce]):
                start = cs
                break
        before = [c for c in clauses if c[1] < start]
        if before and doc.text[before[-1][0]:before[-1][1]].endswith("的"):
            start = before[-1][0]
        if e - start > _MAX_QUOTE:
            return rule.start, rule.end
        return start, e

    def quote_rule(self, out: _Out, rule: Rule, *, full: bool = True) -> str:
        """"quote [marker]" for a rule; the value goes into the answer's values."""
        doc = self.docs[rule.doc_id]
        s, e = self.rule_span(rule) if full else (rule.start, rule.end)
        out.value(rule)
        return f"{as_written(doc, s, e)} {out.cite(doc, rule.article, s, e)}"

    def quote_span(self, out: _Out, doc: Document, art: Article, s: int, e: int) -> str:
        return f"{as_written(doc, s, e)} {out.cite(doc, art.label, s, e)}"

    def written(self, rule: Rule) -> str:
        """A rule's clause as its document wrote it."""
        return as_written(self.docs[rule.doc_id], rule.start, rule.end)

    def intro(self, doc: Document, art: Article, first_item_start: int | None = None) -> tuple[int, int]:
        """The lead-in of a list article: after its label, up to its first item."""
        s = art.start
        m = _LABEL.match(doc.text, s)
        if m and m.end() <= art.end:
            s = m.end()
        e = art.items[0].start if art.items else (first_item_start or art.end)
        while e > s and doc.text[e - 1] in " \n:":
            e -= 1
        return s, e

    def best_sentences(self, q: Query, doc: Document, art: Article, grams: set[str], *, n: int = 2,
                       seps: str = _SENT) -> list[tuple[float, int, int]]:
        scored = [(self.coverage(grams, doc.text[s:e]), s, e) for s, e in _sentences(doc, art, seps)]
        if not scored:
            return []
        best = sorted(scored, key=lambda x: -x[0])[:n]
        return sorted(best, key=lambda x: x[1])

    def rank_articles(self, q: Query, hits, doc_ids, *, drop_intent: str = "") -> list[tuple[float, Document, Article]]:
        """Articles of the documents in scope, by lexical coverage of the question's subject plus
        a bonus for the retriever's ranking."""
        bonus = self.hit_bonus(hits)
        out = []
        for did in doc_ids:
            doc = self.docs[did]
            grams = self.qgrams(q, doc, drop_intent=drop_intent)
            for art in doc.articles:
                score = self.coverage(grams, art.text) + bonus.get((did, art.label), 0.0)
                if grams and score > 0:  # how much of the article is about it (碳计量 ×4 beats ×1)
                    rare = [g for g in grams if 0 < self.lexicon.df.get(g, 0) <= self.lexicon.n / 4]
                    score += 0.03 * min(sum(art.text.count(g) for g in rare), 6)
                    score += self._opens_with_question(q, doc, art)
                out.append((score, doc, art))
        out.sort(key=lambda x: -x[0])
        phrases = self._question_phrases(q)
        for n, (score, doc, art) in enumerate(out[:10]):  # a phrase of the question, verbatim
            title = self._title_grams.get(doc.id, set())
            if any(p in art.text and not bigrams(p) <= title for p in phrases):
                out[n] = (score + 0.15, doc, art)
        return sorted(out, key=lambda x: -x[0])

    def _question_phrases(self, q: Query) -> list[str]:
        """Substrings (4+ characters) of the question made only of its subject words
        (计量发展目标 → 计量发展目标, 发展目标 …)."""
        text = q.text
        covered = [False] * len(text)
        for w in {w for w in q.terms.split() if len(w) >= 2}:
            for m in re.finditer(re.escape(w), text):
                for i in range(m.start(), m.end()):
                    covered[i] = True
        out, i = [], 0
        while i < len(text):
            if not covered[i]:
                i += 1
                continue
            j = i
            while j < len(text) and covered[j]:
                j += 1
            run = text[i:j]
            for a in range(len(run)):
                for b in range(a + 4, len(run) + 1):
                    if run[a:b] not in out:
                        out.append(run[a:b])
            i = j
        return out

    @staticmethod
    def hit_bonus(hits) -> dict[tuple[str, str], float]:
        """A bonus per (doc, article) from the retriever's ranking within each document."""
        bonus: dict[tuple[str, str], float] = {}
        per_doc: dict[str, int] = {}
        for h in hits or ():
            key = (h.chunk.doc_id, h.chunk.article)
            if key in bonus:
                continue
            per_doc[h.chunk.doc_id] = per_doc.get(h.chunk.doc_id, 0) + 1
            bonus[key] = 0.2 / per_doc[h.chunk.doc_id]
        return bonus

    def _opens_with_question(self, q: Query, doc: Document, art: Article) -> float:
        """A paragraph that opens with words of the question is about them ("3项重点任务是指…");
        the document's own name does not count."""
        m = _LABEL.match(doc.text, art.start)
        head = doc.text[m.end() if m else art.start: art.start + 16]
        n = 0
        while n < len(head) and head[: n + 1] in q.text:
            n += 1
        if n < 4 or bigrams(head[:n]) <= self._title_grams.get(doc.id, set()):
            return 0.0
        return 0.3

    # ------------------------------------------------------------------ entry point
    def compose(self, q: Query, hits: list[Hit] | tuple = ()) -> Draft:
        out = _Out(self)
        if q.meaningless:
            return self._unreadable(q, out)
        if q.foreign and not q.jurisdictions:
            return self._foreign(q, out)
        missing = self._uncovered_subject(q, out)
        if missing:
            return missing
        if q.metadata:
            return self._metadata(q, out)
        if q.missing_kind and q.explicit_kind and q.intent != "comparison":
            return self._missing_kind(q, out)
        composer = {
            "numeric": self._numeric, "timeline": self._timeline, "comparison": self._comparison,
            "eligibility": self._eligibility, "task": self._task, "procedure": self._procedure,
            "revocation": self._revocation,
        }.get(q.intent, self._extractive)
        draft = composer(q, hits, out)
        counted = count(self, q, hits, draft, _Out)
        if counted is not None:
            draft = counted
        notes = list(q.notes)
        if q.foreign:
            notes.append(f"语料中没有{'、'.join(q.foreign)}的文件，以上只涉及{'、'.join(q.jurisdictions)}。")
        if q.missing_kind and not q.explicit_kind:
            notes += [f"{j}没有{kind_name(k, self.vocab)}方面的文件，以上按{j}现有的文件回答。"
                      for j in q.missing_kind for k in q.kinds[:1]]
        if q.injection:
            notes.append("问题中要求忽略规则或改写数字的内容未被采纳，以上数字均来自条文并经过核对。")
        if notes:
            draft.text = draft.text + "\n\n" + "\n".join(f"注：{n}" for n in notes)
        return draft

    # ------------------------------------------------------------------ abstentions
    def _unreadable(self, q: Query, out: _Out) -> Draft:
        out.line("没有识别出问题内容，无法回答。请用中文描述您的问题，例如“重庆碳计量中心筹建期几年？”。")
        return out.draft("other", abstained=True)

    def _corpus_summary(self) -> str:
        groups: dict[str, list[Document]] = {}
        for d in self.doc_list:
            groups.setdefault(d.meta.jurisdiction, []).append(d)
        return "；".join(f"{j}：{'、'.join(self.name(d) for d in ds)}" for j, ds in groups.items())

    def _foreign(self, q: Query, out: _Out) -> Draft:
        places = "、".join(q.foreign)
        have = "、".join(dict.fromkeys(d.meta.jurisdiction for d in self.doc_list))
        out.line(f"语料中没有{places}的文件，无法回答{places}的问题。"
                 f"The corpus has no document for {places}; it has: {have}.")
        for note in q.notes:
            out.line(note)
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        if q.kinds and scope and len(scope) < len(self.doc_list):
            out.line(f"语料中与之同类的文件有：{'、'.join(self.name(d) for d in scope)}（分别适用于"
                     f"{'、'.join(dict.fromkeys(d.meta.jurisdiction for d in scope))}，不适用于{places}）。")
        else:
            out.line(f"现有文件：{self._corpus_summary()}。")
        return out.draft(q.intent, abstained=True)

    def _uncovered_subject(self, q: Query, out: _Out) -> Draft | None:
        """Fees, subsidies, appeals …: abstain when no document in scope mentions the subject."""
        if not q.subjects:
            return None
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        for spec in self.vocab.raw.get("subjects", ()):
            if spec["name"] not in q.subjects:
                continue
            if any(w in d.text for d in scope for w in spec.get("evidence", ())):
                continue
            who = "、".join(self.who(d) for d in scope) or "语料中的文件"
            out.line(f"{who}没有关于{spec['name']}的规定，无法回答这一问题。")
            nearby = []
            for d in scope:
                for art in d.articles:
                    for s, e in _sentences(d, art):
                        if any(w in d.text[s:e] for w in spec.get("nearby", ())):
                            nearby.append((d, art, s, e))
            if nearby:
                out.line("相关的规定只有：")
                for d, art, s, e in nearby[:3]:
                    out.line(f"- {self.who(d)}：{self.quote_span(out, d, art, s, e)}")
            return out.draft(q.intent, abstained=True)
        return None

    def _metadata(self, q: Query, out: _Out) -> Draft:
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs][:3]
        field_name = {"doc_number": "文号", "issued": "发布日期", "issuer": "发文机关"}.get(q.metadata, q.metadata)
        found, missing = [], []
        for d in scope:
            value = getattr(d.meta, q.metadata, "")
            if isinstance(value, dt.date):
                value = date_cn(value)
            (found if value else missing).append((d, value))
        if not found:
            out.line(f"{'、'.join(self.name(d) for d, _ in missing)}的材料中没有给出{field_name}，无法回答。")
            refs = [m for d, _ in missing for m in re.findall(r"〔\d{4}〕\d+号", d.text)]
            if refs:
                out.line(f"文中只引用了其他文件的文号（如{'、'.join(dict.fromkeys(refs))}），不是该文件本身的文号。")
            return out.draft("numeric", abstained=True)
        for d, value in found:
            out.line(f"{self.name(d)}的{field_name}：{value}（据语料清单）。")
        for d, _ in missing:
            out.line(f"{self.name(d)}未给出{field_name}。")
        return out.draft("numeric")

    def _missing_kind(self, q: Query, out: _Out) -> Draft:
        kind = kind_name(q.kinds[0], self.vocab)
        for j in q.missing_kind:
            have = [d for d in self.doc_list if d.meta.jurisdiction == j]
            out.line(f"语料中{j}没有{kind}方面的文件，无法按{j}的{kind}回答。")
            if have:
                out.line(f"{j}现有的文件是{'、'.join(self.name(d) for d in have)}。")
        others = [d for d in self.doc_list if doc_kind(d, self.vocab) == q.kinds[0]]
        if others:
            out.line(f"有{kind}办法的是：{'、'.join(dict.fromkeys(d.meta.jurisdiction for d in others))}。")
        return out.draft(q.intent, abstained=True)

    def _abstain_topic(self, q: Query, topic: str, out: _Out, scope: list[Document]) -> Draft:
        """The documents asked about are silent on a topic: say so, quote what they do say about
        it, and name the jurisdictions whose documents state it (as theirs)."""
        label = self.label(topic)
        who = "、".join(self.who(d) for d in scope) or "所问的文件"
        out.line(f"{who}未规定{label}，无法给出这一数字。")
        keywords = self.topics.topic(topic).keywords if self.topics.topic(topic) else ()
        for d in scope:
            mention = self._mention(q, d, keywords)
            if mention:
                art, s, e = mention
                out.line(f"{self.who(d)}只规定：{self.quote_span(out, d, art, s, e)}。")
        kinds = {doc_kind(d, self.vocab) for d in scope}
        in_scope = {d.id for d in scope}
        others = [r for r in self._by_topic.get(topic, ()) if r.doc_id not in in_scope]
        others.sort(key=lambda r: doc_kind(self.docs[r.doc_id], self.vocab) not in kinds)
        seen = set()
        for r in others:
            if r.doc_id in seen:
                continue
            seen.add(r.doc_id)
            d = self.docs[r.doc_id]
            out.line(f"{self.who(d)}规定：{self.quote_rule(out, r, full=False)}（这是{d.meta.jurisdiction}的规定，"
                     f"不适用于{'、'.join(dict.fromkeys(x.meta.jurisdiction for x in scope))}）。")
            if len(seen) >= 2:
                break
        return out.draft(q.intent, abstained=True, topic=topic)

    def _mention(self, q: Query, doc: Document, keywords) -> tuple[Article, int, int] | None:
        """The sentence of a document that speaks about a topic without its number."""
        grams = self.qgrams(q, doc)
        best = None
        for art in doc.articles:
            for s, e in _sentences(doc, art):
                sent = doc.text[s:e]
                hit = max((len(k) for k in keywords if k in sent), default=0)
                if hit < 2:
                    continue
                opens = any(sent.startswith(k) or sent[:6].find(k) >= 0 for k in keywords if len(k) >= 2)
                score = hit + 4 * self.coverage(grams, sent) + (3 if opens else 0)
                if best is None or score > best[0]:
                    best = (score, art, s, e)
        return best[1:] if best else None

    # ------------------------------------------------------------------ numeric
    def _asked_topics(self, q: Query) -> list[str]:
        topics = [t for t in (q.clause_topics or q.topics) if self.has_topic(t)]
        if not topics:
            topics = [t for t in q.topics if self.has_topic(t)]
        return topics

    def _numeric(self, q: Query, hits, out: _Out) -> Draft:
        topics = [t for t in self._asked_topics(q) if t != "target"]
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        if not topics or all(d.meta.kind != "regulation" for d in scope):
            return self._quantities(q, hits, out)
        primary = topics[0]
        have = [d for d in scope if self.rules(primary, [d.id])]
        if not have and not q.asks_number:  # "搬家要报告吗？": what the documents say, without a number
            keywords = self.topics.topic(primary).keywords if self.topics.topic(primary) else ()
            said = [(d, self._mention(q, d, keywords)) for d in scope]
            said = [(d, m) for d, m in said if m]
            if said:
                for d, (art, s, e) in said:
                    out.line(f"{self.who(d)}未规定具体的{self.label(primary)}，只规定：{self.quote_span(out, d, art, s, e)}。")
                return out.draft("other", topic=primary)
        if not have:
            if q.jurisdictions or len(scope) < len(self.doc_list):
                return self._abstain_topic(q, primary, out, scope)
            return self._abstain_topic(q, primary, out, [d for d in scope if d.meta.kind == "regulation"])
        silent = [d for d in scope if d not in have and d.meta.kind == "regulation" and q.jurisdictions]
        shown, note = self._readable(have, hits)
        if note:  # many documents state it: the best-retrieved ones, and where to see them all
            scope = shown
        first = True
        for topic in topics[:3]:
            docs = [d for d in scope if self.rules(topic, [d.id])]
            if not docs:
                continue
            self._state_topic(q, topic, docs, out, lead=first)
            first = False
        for d in silent:
            out.line(f"{self.who(d)}未规定{self.label(primary)}。")
        if note:
            out.line(note)
        return out.draft("numeric", topic=primary)

    @staticmethod
    def _readable(docs: list[Document], hits) -> tuple[list[Document], str]:
        """At most MAX_CHAT_COMPARE documents for one chat answer — the best-retrieved first,
        the rest in corpus order — and a note saying where all of them are ("" when all fit).
        A corpus of many regions would otherwise put hundreds of them in one reply."""
        if len(docs) <= MAX_CHAT_COMPARE:
            return docs, ""
        rank: dict[str, int] = {}
        for n, h in enumerate(hits):
            rank.setdefault(h.chunk.doc_id, n)
        order = sorted(range(len(docs)), key=lambda i: (rank.get(docs[i].id, len(hits)), i))
        note = (f"（语料中有{len(docs)}份文件涉及，这里列出检索最相关的{MAX_CHAT_COMPARE}份；完整对比请用“对比”页"
                f"或 `policy-assistant compare` 导出表格。）")
        return [docs[i] for i in order[:MAX_CHAT_COMPARE]], note

    def _headline(self, topic: str, doc: Document) -> Rule:
        rules = self.rules(topic, [doc.id])
        preferred = [r for r in rules if r.comparator in (">=", "<=", "=", "every", "before", "range")]
        return (preferred or rules)[0]

    def _state_topic(self, q: Query, topic: str, docs: list[Document], out: _Out, *, lead: bool) -> None:
        heads = [(d, self._headline(topic, d)) for d in docs]
        label = self.label(topic)
        verdict = self._score_verdict(q, topic, heads) if lead else ""
        same = len({self.value_key(r) for _, r in heads}) == 1
        shown = {c for c in out.citations}
        if all((d.id, r.article, *self.rule_span(r)) in shown for d, r in heads):
            for _, r in heads:  # already quoted for an earlier part of the question
                out.value(r)
            return
        if len(heads) == 1:
            d, r = heads[0]
            out.line(f"{verdict}{self.who(d)}规定（{label}）：{self.quote_rule(out, r)}。")
        else:
            if same:
                out.line(f"{verdict}{self.docs_phrase(docs)}的规定相同（{label}）：{self.written(heads[0][1])}。")
            else:
                out.line(f"{verdict}{self.docs_phrase(docs)}的规定不同（{label}）：")
            for d, r in heads:
                out.line(f"- {self.who(d)}：{self.quote_rule(out, r)}")
        if verdict.startswith("不"):  # below the pass score: what follows (限期整改)
            for d, _ in heads:
                for r in self.rules("rectification_period", [d.id])[:1]:
                    out.line(f"- {self.quote_rule(out, r)}")

    @staticmethod
    def shown_value(rule: Rule) -> str:
        """A rule's value as said: ≤1年, 每5年, 每年11月底前."""
        return format_quantity(rule.value, rule.unit, rule.comparator, rule.note)

    @staticmethod
    def value_key(rule: Rule) -> tuple:
        """What must agree for two rules to say the same: value after unit normalisation and
        comparator (1年 = 12个月; 每年11月 ≠ 每年11月底前)."""
        value, unit = normalise(rule.value, rule.unit)
        return (value, unit, rule.comparator, "月底" in (rule.note or ""))

    def _score_verdict(self, q: Query, topic: str, heads) -> str:
        if topic != "pass_score" or not q.scores:
            return ""
        score = q.scores[0]
        verdicts = set()
        for _, r in heads:
            if r.comparator == ">=" and isinstance(r.value, (int, float)):
                verdicts.add(score >= r.value)
        if verdicts == {True}:
            return "算合格：您的得分达到合格分数。"
        if verdicts == {False}:
            return "不算合格：您的得分低于合格分数，应限期整改。"
        return ""

    def _quantities(self, q: Query, hits, out: _Out) -> Draft:
        """Numbers of plan/news texts (targets, counts, years): the stated quantities whose
        sentence best matches the question; abstain when none does."""
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        cands = self._quantity_candidates(q, scope)
        who = "、".join(self.who(d) for d in scope) or "所问的文件"
        if q.years:
            known_years = sorted({y for d in scope for y in self._years(d)})
            if known_years and not set(q.years) & set(known_years):
                out.line(f"{who}只给出了{'、'.join(f'{y}年' for y in known_years)}的目标，"
                         f"没有{'、'.join(f'{y}年' for y in q.years)}的目标，无法回答。")
                return out.draft("numeric", abstained=True)
            cands = [c for c in cands if c[4] is None or c[4] in q.years]
        good = [c for c in cands if c[0] >= MATCH]
        if not good:
            out.line(f"{who}没有给出这一数字，无法回答。")
            others = [c for c in self._quantity_candidates(q, [d for d in self.doc_list if d not in scope])
                      if c[0] >= 0.6 and (not q.years or c[4] in q.years)]
            if others:
                c = others[0]
                d = self.docs[c[1]]
                out.line(f"{self.who(d)}有相关目标：{self.quote_span(out, d, c[2], c[6], c[7])}"
                         f"（这是{d.meta.jurisdiction}的目标，不适用于{'、'.join(x.meta.jurisdiction for x in scope)}）。")
            return out.draft("numeric", abstained=True)
        best = good[0][0]
        asks = max(1, sum(len(re.findall(re.escape(cue), q.text))
                          for cues in (self.vocab.raw.get("asked_units") or {}).values() for cue in cues
                          if len(cue) >= 2))
        chosen, seen = [], set()
        for n, c in enumerate(good):
            if (c[0] < 0.85 * best and n >= asks) or len(chosen) >= 3:
                break
            key = (c[1], c[6], c[7])
            if key in seen:
                continue
            seen.add(key)
            chosen.append(c)
        lines = []
        for score, doc_id, art, rule, year, _, s, e in chosen:
            d = self.docs[doc_id]
            if rule is not None:
                out.value(rule)
            lead = self._lead_sentence(d, art, s)
            when = f"到{year}年，" if year and f"{year}年" not in d.text[s:e] and (not lead or str(year) not in lead) else ""
            lines.append((d, f"{lead}{when}{self.quote_span(out, d, art, s, e)}"))
        d0, first = lines[0]
        out.line(f"{self.who(d0)}：{first}。")
        for d, text in lines[1:]:
            out.line(f"- 另有：{text}")
        art0 = chosen[0][2]
        if self._is_intro(art0.text):  # "提出了四项保障措施包括:" — name them
            for sib in self._following(d0, art0):
                s, e = self._heading_span(d0, sib)
                out.line(f"- {self.quote_span(out, d0, sib, s, e)}")
        return out.draft("numeric", topic="target")

    def _lead_sentence(self, doc: Document, art: Article, pos: int) -> str:
        """A short heading sentence right before ``pos`` ("五是开展双碳标准计量试点行动。")."""
        s, _ = _span_in(doc.text, pos, pos, art.start, art.end)
        if s <= art.start + 1:
            return ""
        ps, pe = _span_in(doc.text, s - 2, s - 1, art.start, art.end)
        raw_start = ps
        while raw_start > art.start and doc.text[raw_start - 1] not in _SENT:
            raw_start -= 1
        if pe - ps <= 24 and _LABEL.match(doc.text, raw_start):
            return doc.text[ps:pe] + "："
        return ""

    def _years(self, doc: Document) -> list[int]:
        return [int(y) for y in re.findall(r"到(\d{4})年", doc.text)]

    def _quantity_candidates(self, q: Query, scope: list[Document]):
        """(score, doc_id, article, rule|None, year|None, paragraph, start, end), best first."""
        asked = set(q.asked_units)
        out = []
        for d in scope:
            grams = self.qgrams(q, d)
            if not grams:
                continue
            seen_spans = set()
            for art in d.articles:
                para_score = self.coverage(grams, art.text)
                rules = self._by_article.get((d.id, art.label), [])
                quantities = [(r.start, r.end, r.unit, r) for r in rules if r.unit != "date"]
                years_here: dict[int, int] = {}
                for qt in _article_quantities(art.text):
                    s, e = art.start + qt.start, art.start + qt.end
                    if qt.unit == "年份" and ("年" in asked) and art.text[max(0, qt.start - 1):qt.start] == "到":
                        quantities.append((s, e, "年份", None))
                        years_here[s] = int(qt.value)
                for s, e, unit, rule in quantities:
                    ss, se = _span_in(d.text, s, e, art.start, art.end, _SENT + ",")
                    if (ss, se) in seen_spans:
                        continue
                    seen_spans.add((ss, se))
                    ls, le = _span_in(d.text, s, e, art.start, art.end)
                    clause_score = self.coverage(grams, d.text[ss:se])
                    sent_score = self.coverage(grams, d.text[ls:le])
                    score = 0.6 * clause_score + 0.4 * max(para_score, sent_score)
                    if unit == "年份":  # "到2035年,…,建成…": the subject is elsewhere in the sentence
                        score = max(score, 0.9 * sent_score)
                    fam = {"年份": "年", "名": "人"}.get(unit, unit)
                    if asked and fam not in asked and unit not in asked:
                        score *= 0.5
                    year = target_year(rule) if rule is not None else years_here.get(s)
                    if year is None:
                        m = re.findall(r"到(\d{4})年", art.text)
                        year = int(m[0]) if m else None
                    if unit == "年份":
                        cs, ce = self._best_clause(grams, d, ls, le, limit=70, extend=False)
                    else:
                        cs, ce = self._best_clause(grams, d, ls, le, limit=70, anchor=s, extend=False)
                    out.append((score, d.id, art, rule, year, art.text, cs, ce))
        return sorted(out, key=lambda c: -c[0])

    # ------------------------------------------------------------------ timeline
    def _timeline(self, q: Query, hits, out: _Out) -> Draft:
        topics = [t for t in q.topics if self.has_topic(t)]
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        if not q.dates and q.years:
            return self._yearly(q, topics, scope, out)
        if not q.dates:
            return self._numeric(q, hits, out)
        date = q.dates[0]
        event = self._event(q, topics)
        need = {"approved": "construction_period", "assessed": "rectification_period",
                "notice": "public_notice_min", "change": "change_report_deadline",
                "acceptance_submitted": "initial_review_deadline", "established": "review_cycle",
                "rectification_notice": "failed_rectification_max"}.get(event, topics[0] if topics else "")
        if not need:
            return self._extractive(q, hits, out)
        have = [d for d in scope if self.rules(need, [d.id])]
        if not have:
            return self._abstain_topic(q, need, out, [d for d in scope if d.meta.kind == "regulation"] or scope)
        if event == "assessed" and q.scores:
            passed = [d for d in have for r in self.rules("pass_score", [d.id])[:1]
                      if r.comparator == ">=" and q.scores[0] >= r.value]
            if passed and len(passed) == len(have):
                d = passed[0]
                out.line(f"您的得分已达到合格分数，无需整改：{self.quote_rule(out, self.rules('pass_score', [d.id])[0])}。")
                return out.draft("timeline", topic="pass_score")
        if not q.jurisdictions and len(have) < len(scope):
            out.line(f"只有{'、'.join(self.who(d) for d in have)}规定了{self.label(need)}，以下按其计算。")
        for n, d in enumerate(have[:3]):
            events = self._events(d, event, date, need)
            wanted = self._relevant(events, topics)
            if not wanted:
                continue
            main = wanted[0]
            prefix = "" if len(have) == 1 else f"{self.who(d)}："
            out.line(f"{prefix}按{self.name(d)}计算：{self._event_sentence(out, d, main)}")
            for e in events:
                if e is main:
                    continue
                out.line(f"- {self._event_sentence(out, d, e)}")
            for e in events:
                out.event(e)
        if not q.jurisdictions and len(have) > 3:  # say which documents answered, and which were left out
            out.line(self._left_out(have[3:], self.label(need)))
        readings = []
        for e in out.events:
            for r in (e.reading or "").split(";"):
                r = self.reading_text(r)
                if r and r not in readings:
                    readings.append(r)
        if readings:
            out.line("")
            out.line("读法：" + "；".join(readings) + "。")
        return out.draft("timeline", topic=need)

    def _event_sentence(self, out: _Out, doc: Document, e: Event) -> str:
        """"名称：日期（另一读法）。依据：条文 [marker]。" — the date and the citation stay in
        separate sentences, so the citation vouches only for the rule it quotes."""
        rule = next((r for r in self.table.rules if r.id == e.rule_id), None)
        alt = f"（另一读法：{date_cn(e.alternative)}）" if e.alternative and e.alternative != e.date else ""
        basis = f"依据：{self.quote_rule(out, rule, full=False)}。" if rule else ""
        return f"{prose_punctuation(e.name)}：{date_cn(e.date)}{alt}。{basis}"

    @staticmethod
    def reading_text(reading: str) -> str:
        """A timeline reading in words: statute references and day counts are said, not numbered
        (they are not rules of the documents, so the checker would have nothing to verify)."""
        text = re.sub(r"\((民法典|依据)[^()]*\)", "（依民法典关于期间计算的规定）", reading)
        text = text.replace("届满日提前一日", "届满日相应提早").replace("提前一日", "相应提早")
        return prose_punctuation(text)

    def _relevant(self, events: list[Event], topics: list[str]) -> list[Event]:
        """Events in the order the question asks for them (its topics), then the rest."""
        by_rule = {r.id: r.topic for r in self.table.rules}
        ranked = sorted(events, key=lambda e: (topics.index(by_rule.get(e.rule_id, ""))
                                               if by_rule.get(e.rule_id, "") in topics else len(topics), e.date))
        order = {id(e): n for n, e in enumerate(ranked)}
        events.sort(key=lambda e: order[id(e)])
        return events

    def _event(self, q: Query, topics: list[str]) -> str:
        spec = self.vocab.raw.get("timeline_events", {})
        text = q.text
        date_pos = min((m.start() for m in re.finditer(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}", text)),
                       default=0)
        best = None
        for event, cues in spec.items():
            for cue in cues:
                for m in re.finditer(re.escape(cue), text):
                    dist = abs(m.start() - date_pos) + (0 if m.start() >= date_pos else 3)
                    if best is None or dist < best[0]:
                        best = (dist, event)
        if best:
            return best[1]
        mapping = self.vocab.raw.get("event_topics", {})
        return next((mapping[t] for t in topics if t in mapping), "")

    def _events(self, doc: Document, event: str, date: dt.date, need: str) -> list[Event]:
        if event in tl.EVENTS:
            return tl.compute_timeline(doc, self.table, event=event, date=date)
        rule = self.rules(need, [doc.id])[0]
        try:
            end = tl.add_period(date, rule.value, rule.unit)
        except tl.TimelineError:  # not a period (a date such as 施行日期): nothing to count
            return []
        _, canon = normalise(rule.value, rule.unit)
        if canon == "工作日":
            return [Event(name=f"{self.label(need)}届满", date=end, rule_id=rule.id, article=rule.article,
                          reading=tl.working_days_reading(date, end), doc_id=doc.id)]
        return [Event(name=f"{self.label(need)}届满", date=end, rule_id=rule.id, article=rule.article,
                      reading=f"{tl.READING};{tl.READING_ALT}", alternative=end - dt.timedelta(days=1), doc_id=doc.id)]

    def _yearly(self, q: Query, topics: list[str], scope: list[Document], out: _Out) -> Draft:
        """A yearly obligation in a given year (e.g. 2025年度工作总结 → the last day of its month)."""
        topic = next((t for t in topics if any(r.unit == "月份" for r in self.rules(t, q.doc_ids))), "")
        if not topic:
            return self._numeric(q, (), out)
        year = q.years[0]
        for d in scope:
            for r in self.rules(topic, [d.id])[:1]:
                month = int(r.value)
                due = dt.date(year, month, calendar.monthrange(year, month)[1])
                e = Event(name=f"{year}年度{self.label(topic)}最迟报送日", date=due, rule_id=r.id, article=r.article,
                          reading=f"每年{month}月报送的，以当月月末为最迟日期", doc_id=d.id)
                out.line(f"按{self.name(d)}计算：{e.name}：{date_cn(due)}。依据：{self.quote_rule(out, r)}。")
                out.event(e)
        if not out.events:
            return self._abstain_topic(q, topic, out, scope)
        out.line("")
        out.line("读法：" + "；".join(dict.fromkeys(e.reading for e in out.events)) + "。")
        return out.draft("timeline", topic=topic)

    # ------------------------------------------------------------------ eligibility
    def _eligibility(self, q: Query, hits, out: _Out) -> Draft:
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs and self.docs[i].meta.kind == "regulation"]
        if not scope:
            return self._extractive(q, hits, out)
        first = True
        for d in scope[:3]:
            conds = [p for p in self.table.provisions if p.doc_id == d.id and p.kind == "conditions"]
            prio = [p for p in self.table.provisions if p.doc_id == d.id and p.kind == "priority"]
            if not conds:
                continue
            art = d.article(conds[0].article)
            grams = self.qgrams(q, d, drop_intent="eligibility")
            verdicts = [self._verdict(q, p) for p in conds]
            lead_s, lead_e = self.intro(d, art, conds[0].start)
            scores = [self.coverage(grams, p.text) for p in conds]
            prio_score = max((self.coverage(grams, p.text) for p in prio), default=0.0)
            focus = max(range(len(conds)), key=lambda i: scores[i]) if scores and max(scores) >= 0.5 else None
            head = self._eligibility_head(q, d, conds, verdicts, focus, prio if prio_score >= 0.5 else [], out)
            out.line(head if first or len(scope) == 1 else f"{self.who(d)}：{head}")
            first = False
            out.line(f"{self.name(d)}{art.label}：{d.text[lead_s:lead_e]} {out.cite(d, art.label, lead_s, lead_e)}：")
            for p, v in zip(conds, verdicts):
                mark = {"meets": "✓ 符合", "fails": "✗ 不符合", "unknown": "？待核实"}[v[0]] if q.facts else ""
                why = f"（{v[1]}）" if q.facts and v[1] else ""
                text = item_as_written(d, p)
                out.line(f"- {text}{' — ' + mark if mark else ''}{why} {out.cite(d, p.article, p.start, p.end)}")
            for p in prio:
                out.line(f"- 优先支持：{p.text} {out.cite(d, p.article, p.start, p.end)}")
            for p in conds:
                for r in self.table.rules:
                    if r.doc_id == d.id and p.start <= r.start < p.end:
                        out.value(r)
        if first:
            return self._extractive(q, hits, out)
        rest = [d for d in scope[3:] if any(p.doc_id == d.id and p.kind == "conditions" for p in self.table.provisions)]
        if rest and not q.jurisdictions:  # say which documents answered, and which were left out
            out.line(self._left_out(rest, "申请条件"))
        return out.draft("eligibility", topic="conditions")

    def _left_out(self, rest: list[Document], what: str) -> str:
        """A question naming no jurisdiction, answered from the first few documents: the others
        that state it too are named (counted when there are many), never silently dropped."""
        who = self.docs_phrase(rest) if len(rest) <= MAX_CHAT_COMPARE else f"另外{len(rest)}份文件"
        return f"（问题未指明地区，以上只列出前几份文件；{who}也规定了{what}，可指明地区再问。）"

    def _eligibility_head(self, q: Query, d: Document, conds, verdicts, focus, prio, out: _Out) -> str:
        fails = [p for p, v in zip(conds, verdicts) if v[0] == "fails"]
        meets = [p for p, v in zip(conds, verdicts) if v[0] == "meets"]
        unknown = [p for p, v in zip(conds, verdicts) if v[0] == "unknown" and v[1]]
        if fails:
            items = "、".join(p.item for p in fails)
            return f"按您描述的情况，不符合{self.name(d)}的申请条件：第{conds[0].article[1:-1]}条{items}项不满足（见下）。"
        if meets and not unknown:
            items = "、".join(p.item for p in meets)
            return (f"可以申请：按您描述的情况，符合{self.name(d)}申请条件中的{items}项；"
                    f"其余条件仍须逐项满足（见下）。")
        if unknown:
            return f"能否申请取决于下列条件，您描述的情况还不足以判断：{'、'.join(p.item for p in unknown)}项（见下）。"
        entity = [f.value for f in q.facts if f.feature == "entity"]
        listed = [t for t in (self.vocab.raw["facts"]["entity"].get("types") or {}) if any(t in p.text for p in conds)]
        if entity and not listed:
            return (f"{self.name(d)}没有限定申请单位的类型（{entity[0]}也可以申请），"
                    f"但须同时满足以下条件：")
        if prio:
            return f"{self.who(d)}规定：{prio[0].text} {out.cite(d, prio[0].article, prio[0].start, prio[0].end)}。"
        if focus is not None:
            p = conds[focus]
            return f"{self.who(d)}对此的要求是：{p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}。"
        return f"申请{self.name(d)}须同时满足以下条件："

    def _verdict(self, q: Query, p: Provision) -> tuple[str, str]:
        """(meets|fails|unknown, reason) of one condition given what the user said."""
        spec = self.vocab.raw["facts"]
        text = p.text
        facts = {f.feature: f for f in q.facts}
        results = []
        if any(c in text for c in spec["legal_person"]["condition"]):
            lp, auth = facts.get("legal_person"), facts.get("authorization")
            allows_auth = any(c in text for c in spec["authorization"]["condition"])
            if lp and lp.polarity > 0:
                results.append(("meets", "您具有法人资格"))
            elif lp and lp.polarity < 0:
                if allows_auth and auth and auth.polarity > 0:
                    results.append(("meets", "没有独立法人资格，但已取得独立法人授权，本条允许"))
                elif allows_auth:
                    results.append(("unknown", "没有独立法人资格的，须取得独立法人授权"))
                else:
                    results.append(("fails", "本条要求具有法人资格，您说明没有"))
            elif auth and auth.polarity > 0 and allows_auth:
                results.append(("meets", "经独立法人授权，本条允许"))
        entity = [f for f in q.facts if f.feature == "entity"]
        listed = [t for t in (spec["entity"].get("types") or {}) if t in text]
        if entity and listed:
            if any(f.value in listed for f in entity):
                results.append(("meets", f"{entity[0].value}在申报主体范围内"))
        for feature in ("blacklist", "safety_incident", "violation"):
            f = facts.get(feature)
            if not f or not any(c in text for c in spec[feature]["condition"]):
                continue
            if f.polarity < 0:
                results.append(("meets", "您说明没有此类情况"))
                continue
            window = re.search(r"(\d+|[一二三四五六七八九十])年内", text)
            if feature == "violation" and "失信名单" in text and not facts.get("blacklist"):
                results.append(("unknown", "受过处罚不等于列入严重违法失信名单"))
                continue
            if window:
                from .numbers import parse_number

                years = parse_number(window.group(1))
                if f.years_ago is None:
                    results.append(("unknown", f"本条看{years}年内的记录，请确认发生时间"))
                elif f.years_ago == years:
                    results.append(("unknown", f"恰在{years}年的边界上，请按处罚或事故的具体日期核对"))
                elif f.years_ago < years:
                    results.append(("fails", f"您说明的情况发生在{years}年内"))
                else:
                    results.append(("meets", f"您说明的情况已超过{years}年"))
            else:
                results.append(("fails", "您说明有此类情况"))
        if not results:
            return ("unknown", "")
        for status in ("fails", "unknown", "meets"):
            hit = [r for r in results if r[0] == status]
            if hit:
                return hit[0]
        return ("unknown", "")

    # ------------------------------------------------------------------ lists: task / revocation / procedure
    def _task(self, q: Query, hits, out: _Out) -> Draft:
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        lists = self._lists(q, scope, "tasks")
        if lists:
            words = [w for w in q.terms.split() if len(w) >= 2]
            if any(w in d.text[slice(*self.intro(d, a, items[0].start))] and not bigrams(w) <= self._title_grams[d.id]
                   for d, a, items in lists for w in words):  # the question names the list (任务, 建设方向 …)
                return self._render_lists(q, lists, out, "task")
            list_arts = {(d.id, a.label) for d, a, _ in lists}
            ranked = self.rank_articles(q, hits, [d.id for d in scope], drop_intent="task")
            list_score = max((sc for sc, d, a in ranked if (d.id, a.label) in list_arts), default=0.0)
            other = next(((sc, d, a) for sc, d, a in ranked if (d.id, a.label) not in list_arts), None)
            if not (other and other[0] > list_score + 0.25):
                return self._render_lists(q, lists, out, "task")
        return self._sections(q, hits, scope, out, "task")

    def _revocation(self, q: Query, hits, out: _Out) -> Draft:
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs and self.docs[i].meta.kind == "regulation"]
        topics = [t for t in q.topics if self.has_topic(t) and t not in ("target",)]
        provs = [p for p in self.table.provisions if p.kind == "revocation" and p.doc_id in {d.id for d in scope}]
        if not provs:
            return self._extractive(q, hits, out)
        scored = []
        for p in provs:
            d = self.docs[p.doc_id]
            grams = self.qgrams(q, d, drop_intent="revocation")
            art = d.article(p.article)
            own = self.coverage(grams, p.text) if grams else 0.0
            context = self.coverage(grams, art.text) if grams and art and not art.items else own
            scored.append((0.6 * own + 0.4 * context, p))
        best = max(s for s, _ in scored)
        specific = best >= MATCH
        if not specific:
            # a ground the question names that another jurisdiction's documents have
            elsewhere = []
            for p in self.table.provisions:
                if p.kind != "revocation" or p.doc_id in {d.id for d in scope}:
                    continue
                grams = self.qgrams(q, self.docs[p.doc_id], drop_intent="revocation")
                if grams and self.coverage(grams, p.text) >= 0.7:
                    elsewhere.append(p)
            topic_elsewhere = [t for t in topics if not self.rules(t, [d.id for d in scope]) and
                               t in self._by_topic]
            if elsewhere or topic_elsewhere:
                who = "、".join(self.who(d) for d in scope)
                out.line(f"{who}没有这样的撤销规定，无法回答。")
                out.line(f"{who}规定的撤销情形是：")
                for p in sorted(provs, key=lambda p: p.start):
                    out.line(f"- {p.text} {out.cite(self.docs[p.doc_id], p.article, p.start, p.end)}")
                for p in elsewhere[:2]:
                    d = self.docs[p.doc_id]
                    out.line(f"{self.who(d)}倒是规定：{p.text} {out.cite(d, p.article, p.start, p.end)}"
                             f"（这是{d.meta.jurisdiction}的规定，不适用于{'、'.join(x.meta.jurisdiction for x in scope)}）。")
                return out.draft("revocation", abstained=True, topic="revocation")
        if specific:
            chosen = [p for s, p in scored if s >= max(MATCH, 0.75 * best)]
            chosen.sort(key=lambda p: (q.doc_ids.index(p.doc_id), p.start))
            lead = chosen[0]
            d = self.docs[lead.doc_id]
            verb = "会被取消筹建资格" if "筹建资格" in lead.text else "会被撤销资格"
            out.line(f"{verb}：{self.who(d)}规定，{self._provision_quote(out, lead)}。")
            for p in chosen[1:]:
                out.line(f"- {self.who(self.docs[p.doc_id])}：{self._provision_quote(out, p)}")
            self._values_in(out, chosen)
            return out.draft("revocation", topic="revocation")
        for d in scope:
            mine = sorted((p for p in provs if p.doc_id == d.id), key=lambda p: p.start)
            if not mine:
                continue
            out.line(f"{self.who(d)}规定以下情形会被撤销资格（或取消筹建资格）：")
            for p in mine:
                out.line(f"- {p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}")
            self._values_in(out, mine)
        return out.draft("revocation", topic="revocation")

    def _provision_quote(self, out: _Out, p: Provision) -> str:
        d = self.docs[p.doc_id]
        art = d.article(p.article)
        s, e = p.start, p.end
        if p.item and art and art.items:  # an item of a list: the lead-in says what the list means
            ls, le = self.intro(d, art)
            return f"{as_written(d, ls, le)}：{p.item}{d.text[s:e]} {out.cite(d, p.article, s, e)}"
        return f"{as_written(d, s, e)} {out.cite(d, p.article, s, e)}"

    def _values_in(self, out: _Out, provs) -> None:
        for p in provs:
            for r in self.table.rules:
                if r.doc_id == p.doc_id and p.start <= r.start < p.end:
                    out.value(r)

    def _lists(self, q: Query, scope: list[Document], kind: str) -> list[tuple[Document, Article, list[Provision]]]:
        """The best list article of this kind per document (by its lead-in and items)."""
        out = []
        for d in scope:
            provs = [p for p in self.table.provisions if p.doc_id == d.id and p.kind == kind]
            if not provs:
                continue
            grams = self.qgrams(q, d)
            by_art: dict[str, list[Provision]] = {}
            for p in provs:
                by_art.setdefault(p.article, []).append(p)
            best = None
            for label, items in by_art.items():
                art = d.article(label)
                intro = d.text[art.start:items[0].start]
                score = 2 * self.coverage(grams, intro) + self.coverage(grams, art.text)
                if best is None or score > best[0]:
                    best = (score, art, items)
            out.append((d, best[1], best[2]))
        return out

    def _render_lists(self, q: Query, lists, out: _Out, intent: str) -> Draft:
        for d, art, items in lists[:3]:
            grams = self.qgrams(q, d, drop_intent=intent)
            scores = [self.coverage(grams, p.text) if grams else 0.0 for p in items]
            top = max(scores) if scores else 0.0
            ls, le = self.intro(d, art, items[0].start)
            lead = as_written(d, ls, le)
            lead_marker = out.cite(d, art.label, ls, le)
            if top >= 0.5:  # a particular item is asked about: give it in full
                chosen = [p for p, s in zip(items, scores) if s >= 0.8 * top][:2]
                for n, p in enumerate(chosen):
                    prefix = f"{self.who(d)}{art.label}（{lead}）" if n == 0 else "另见"
                    out.line(f"{prefix}：{p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}")
                self._values_in(out, chosen)
                continue
            out.line(f"{self.who(d)}{art.label}（共{len(items)}项）：{lead} {lead_marker}：")
            for p in items:
                head_end = p.text.find("。")
                head = p.text[: head_end] if 0 < head_end <= 40 else p.text
                out.line(f"- {p.item}{head} {out.cite(d, p.article, p.start, p.start + len(head))}")
        return out.draft(intent, topic="tasks" if intent == "task" else intent)

    def _sections(self, q: Query, hits, scope: list[Document], out: _Out, intent: str) -> Draft:
        """Articles/sections without an extracted list: the best one, and when it introduces a
        list ("包括:", "以下几个方面"), the headings of the sections that follow."""
        ranked = self.rank_articles(q, hits, [d.id for d in scope], drop_intent=intent)
        if not ranked or ranked[0][0] < 0.25:
            return self._extractive(q, hits, out)
        score, d, art = ranked[0]
        body_s = art.start
        m = _LABEL.match(d.text, body_s)
        if m and not art.is_section:
            body_s = m.end()
        if art.end - body_s <= 420:
            out.line(f"{self.who(d)}：{self.quote_span(out, d, art, body_s, art.end)}")
        else:
            grams = self.qgrams(q, d, drop_intent=intent)
            for n, (sc, s, e) in enumerate(self.best_sentences(q, d, art, grams, n=3)):
                out.line(f"{self.who(d) + '：' if n == 0 else '- '}{self.quote_span(out, d, art, s, e)}")
        if self._is_intro(d.text[art.start:art.end]):
            for sib in self._following(d, art):
                s, e = self._heading_span(d, sib)
                out.line(f"- {self.quote_span(out, d, sib, s, e)}")
        for r in self.table.rules:
            if r.doc_id == d.id and r.article == art.label:
                out.value(r)
        return out.draft(intent)

    @staticmethod
    def _is_intro(text: str) -> bool:
        t = text.strip()
        return t.endswith(":") or "包括" in t[-12:] or bool(re.search(r"以下(几个)?方面|如下", t))

    def _following(self, d: Document, art: Article) -> list[Article]:
        """The sections after a list intro, up to the next plain paragraph."""
        out = []
        idx = d.articles.index(art)
        for a in d.articles[idx + 1:]:
            if not a.is_section or a.label.startswith("第") and a.label.endswith("段"):
                break
            out.append(a)
        heads = [a for a in out if a.heading]
        return heads or out

    def _heading_span(self, d: Document, a: Article) -> tuple[int, int]:
        text = d.text
        s = a.start
        e = s
        while e < a.end and text[e] not in "。\n":
            e += 1
        return s, e

    def _procedure(self, q: Query, hits, out: _Out) -> Draft:
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        topic_arts = {(r.doc_id, r.article) for t in q.topics[:1] for r in self.rules(t, q.doc_ids)}
        if "材料" in q.text and len(scope) <= 2 and not topic_arts:
            drafted = self._materials(q, scope, out)
            if drafted:
                return drafted
        ranked = self.rank_articles(q, hits, [d.id for d in scope], drop_intent="procedure")
        if topic_arts:  # a rules topic the question names (年度报告 …): its articles first
            ranked = sorted(((sc + 0.2 if (d.id, a.label) in topic_arts else sc, d, a) for sc, d, a in ranked),
                            key=lambda x: -x[0])
        listed = {(p.doc_id, p.article) for p in self.table.provisions if p.kind in ("conditions", "tasks")}
        ranked = [x for x in ranked if (x[1].id, x[2].label) not in listed]
        if not ranked or ranked[0][0] < 0.2:
            return self._extractive(q, hits, out)
        top, doc, best = ranked[0]
        if any(w in q.text for w in self.vocab.raw.get("process", ())):
            # a process: from the matched step to the end of its chapter, in order
            chapter = [a for a in doc.articles if a.chapter == best.chapter and a.number >= best.number
                       and (doc.id, a.label) not in listed]
            chosen = chapter[:3] or [best]
        else:
            chosen = [a for sc, d, a in ranked if d.id == doc.id and sc >= 0.75 * top][:3]
        for n, art in enumerate(chosen):
            prefix = "" if n == 0 else "- "
            out.line(f"{prefix}{self.who(doc)}{art.label}：{self._article_body(q, doc, art, out)}")
        return out.draft("procedure")

    def _article_body(self, q: Query, doc: Document, art: Article, out: _Out, *, limit: int = 260) -> str:
        """An article's text (without its label) when short; else its first, best and last sentences."""
        sents = _sentences(doc, art)
        if not sents:
            return ""
        if sents[-1][1] - sents[0][0] <= limit:
            picked = sents
        else:
            grams = self.qgrams(q, doc, drop_intent="procedure")
            best = max(sents, key=lambda x: self.coverage(grams, doc.text[x[0]:x[1]]))
            picked = sorted({sents[0], best, sents[-1]})
        for r in self.table.rules:
            if r.doc_id == doc.id and r.article == art.label and any(s <= r.start < e for s, e in picked):
                out.value(r)
        return "".join(f"{self.quote_span(out, doc, art, s, e)}。" for s, e in picked)

    def _materials(self, q: Query, scope: list[Document], out: _Out) -> Draft | None:
        provs = [p for p in self.table.provisions if p.kind == "materials" and p.doc_id in q.doc_ids]
        for d in scope:
            mine = sorted((p for p in provs if p.doc_id == d.id), key=lambda p: p.start)
            if not mine:
                continue
            art = d.article(mine[0].article)
            if not art.items:  # a sentence names the materials: the article says to whom, how
                out.line(f"{self.who(d)}{art.label}：{self._article_body(q, d, art, out)}")
                continue
            ls, le = self.intro(d, art)
            out.line(f"{self.who(d)}{art.label}：{d.text[ls:le]} {out.cite(d, art.label, ls, le)}：")
            for p in mine:
                out.line(f"- {p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}")
            covered = [(p.start, p.end) for p in mine] + ([self.intro(d, art)] if art.items else [])
            for s, e in _sentences(d, art):
                if not any(a <= s < b or s <= a < e for a, b in covered):
                    out.line(f"- {self.quote_span(out, d, art, s, e)}")
        return out.draft("procedure", topic="materials") if out.lines else None

    # ------------------------------------------------------------------ extractive
    def _extractive(self, q: Query, hits, out: _Out) -> Draft:
        scope = [d for d in (self.docs[i] for i in q.doc_ids if i in self.docs)]
        ranked = self.rank_articles(q, hits, [d.id for d in scope])
        lexical = max((self.coverage(self.qgrams(q, d), a.text) for _, d, a in ranked[:3]), default=0.0)
        if not ranked or ranked[0][0] < 0.3 or lexical < 0.25:
            who = "、".join(self.who(d) for d in scope[:4]) if q.jurisdictions else "语料中的文件"
            out.line(f"{who}没有能回答这个问题的内容，无法回答。")
            out.line(f"现有文件：{self._corpus_summary()}。")
            return out.draft(q.intent if q.intent != "numeric" else "other", abstained=True)
        top = ranked[0][0]
        picked = [(d, a) for sc, d, a in ranked[:3] if sc >= 0.8 * top]
        for n, (d, art) in enumerate(picked):
            grams = self.qgrams(q, d)
            sents = self.best_sentences(q, d, art, grams, n=2)
            text = "".join(f"{self.quote_span(out, d, art, s, e)}。" for _, s, e in sents)
            out.line(f"{'' if n == 0 else '- '}{self.who(d)}{art.label if not art.is_section else ''}：{text}")
            for r in self.table.rules:
                if r.doc_id == d.id and r.article == art.label and any(s <= r.start < e for _, s, e in sents):
                    out.value(r)
        return out.draft("other" if q.intent == "numeric" else q.intent)

    # ------------------------------------------------------------------ comparison
    def _comparison(self, q: Query, hits, out: _Out) -> Draft:
        """Every document asked for gets its column (at most MAX_CHAT_COMPARE in chat; then the
        documents whose rules state the compared topic come first)."""
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        topics = [t for t in q.topics if self.has_topic(t) and t != "target"]
        if topics and any(d.meta.kind == "regulation" for d in scope):  # plans/news only when they state it
            scope = [d for d in scope if d.meta.kind == "regulation" or any(self.rules(t, [d.id]) for t in topics)]
        compared = scope
        if topics and len(scope) > MAX_CHAT_COMPARE:
            stating = [d for d in scope if self.rules(topics[0], [d.id])]
            scope = stating if len(stating) >= 2 else scope
        scope, note = self._readable(scope, hits)
        if note:
            out.line(note)
        if len(scope) < 2:  # one document left to compare: answer it as its base question
            single = {"eligibility": self._eligibility, "task": self._task, "revocation": self._revocation,
                      "procedure": self._procedure}.get(self._base_intent(q), self._numeric if topics else self._extractive)
            return single(q, hits, out)
        if topics:
            return self._compare_rules(q, topics, scope, out, compared=compared)
        return self._compare_text(q, hits, scope, out)

    def _base_intent(self, q: Query) -> str:
        spec = self.vocab.intents
        best, score = "", 0
        for name in ("eligibility", "revocation", "task", "procedure"):
            cues = spec.get(name, {})
            s = 2 * sum(c in q.text for c in cues.get("strong", ())) + sum(c in q.text for c in cues.get("weak", ()))
            if s > score:
                best, score = name, s
        return best

    def _header(self, d: Document) -> str:
        if self._per_j.get(d.meta.jurisdiction, 1) > 1:
            return f"{d.meta.jurisdiction}·{short_title(d)}"
        return d.meta.jurisdiction

    def _compare_rules(self, q: Query, topics: list[str], scope: list[Document], out: _Out, *,
                       compared: list[Document] | None = None) -> Draft:
        primary = topics[0]
        rows = [t for t in dict.fromkeys(t for t in (q.clause_topics or topics[:1]) if t in topics)][:2]
        rows = rows or [primary]
        for t in topics[1:3]:  # a second topic the question names
            if t not in rows and len(rows) < 3:
                rows.append(t)
        siblings = []
        in_scope = {d.id for d in scope}
        # what the next sentence adds (合格线 → 低于80分限期整改), rules in table order
        for r in sorted((r for t in set(rows) for r in self._by_topic.get(t, ())), key=lambda r: self._pos[r.id]):
            if r.doc_id in in_scope:
                doc = self.docs[r.doc_id]
                art = doc.article(r.article)
                _, end = _span_in(doc.text, r.start, r.end, art.start, art.end)
                nxt = _span_in(doc.text, end + 1, end + 1, art.start, art.end) if end + 1 < art.end else None
                for x in self._by_article.get((r.doc_id, r.article), ()):
                    if (nxt and nxt[0] <= x.start < nxt[1]
                            and x.topic not in rows and x.topic not in ("other", "issued_date", "target")
                            and x.topic not in siblings):
                        siblings.append(x.topic)
        rows += siblings[: max(0, 3 - len(rows))]
        cmp = compare(self.table, self.doc_list, doc_ids=[d.id for d in scope], topics=rows)
        cells: dict[tuple[str, str], str] = {}
        found: dict[str, list[tuple[Document, Rule]]] = {}
        for t in rows:
            for d in scope:
                c = cmp.cell(t, d.id)
                if c.status == "found":
                    r = self._headline(t, d)
                    cells[(t, d.id)] = self.quote_rule(out, r, full=False)
                    found.setdefault(t, []).append((d, r))
                else:
                    mention = self._mention(q, d, self.topics.topic(t).keywords if self.topics.topic(t) else ())
                    if mention and c.mentions:
                        art, s, e = mention
                        cells[(t, d.id)] = f"未规定（只规定：{self.quote_span(out, d, art, s, e)}）"
                    else:
                        cells[(t, d.id)] = "未规定"
                        out.use(d)
        summary = [self._rule_summary(q, t, scope, found.get(t, []), compared=compared) for t in rows]
        out.line(summary[0])
        for s in summary[1:]:
            out.line(s)
        out.line("")
        out.line("| 项目 | " + " | ".join(self._header(d) for d in scope) + " |")
        out.line("|---|" + "---|" * len(scope))
        for t in rows:
            out.line(f"| {self.label(t)} | " + " | ".join(cells[(t, d.id)] for d in scope) + " |")
        return out.draft("comparison", topic=primary)

    def _rule_summary(self, q: Query, topic: str, scope: list[Document], found, *,
                      compared: list[Document] | None = None) -> str:
        """One line per compared topic. "只有X规定了" is said only when the rules of every compared
        document were looked at: documents compared but not shown (more than MAX_CHAT_COMPARE)
        that state the topic are counted, never silently left out."""
        label = self.label(topic)
        silent = [d for d in scope if d not in [x for x, _ in found]]
        shown_ids = {d.id for d in scope}
        unshown = [d for d in (compared or ()) if d.id not in shown_ids and self.rules(topic, [d.id])]
        if unshown:
            more = f"另有{len(unshown)}份未列出的文件也规定了{label}（见完整对比）"
            text = self._rule_summary(q, topic, scope, found).rstrip("。").replace("只有", "")
            return f"{text}；{more}。"
        if not found:
            return f"{label}：{self.docs_phrase(scope)}均未规定。"
        values = [(d, r) for d, r in found]
        same = len({self.value_key(r) for _, r in values}) == 1
        shown = self.written  # the verbatim clause carries the number
        if same and values[0][1].unit != "date":
            r0 = values[0][1]
            if not silent:
                return f"{label}：{self.docs_phrase([d for d, _ in values])}的规定相同，均为{self.shown_value(r0)}。"
            return (f"{label}：只有{self.docs_phrase([d for d, _ in values])}规定了（{shown(r0)}）；"
                    f"{self.docs_phrase(silent)}未规定。")
        if values[0][1].unit == "date":
            ordered = sorted(values, key=lambda x: str(x[1].value))
            parts = [f"{self.who(d)}自{date_cn(dt.date.fromisoformat(str(r.value)))}起施行" for d, r in ordered]
            text = f"{label}：{self.who(ordered[0][0])}在先" + ("；" + "，".join(parts) if len(ordered) > 1 else "")
            if len(ordered) > 1 and any(w in q.text for w in ("差", "相隔", "间隔", "隔了")):
                a = dt.date.fromisoformat(str(ordered[0][1].value))
                b = dt.date.fromisoformat(str(ordered[-1][1].value))
                delta = relativedelta(b, a)
                text += f"；前后相差约{delta.years}年{delta.months}个月"
            if silent:
                text += f"；{self.docs_phrase(silent)}未规定"
            return text + "。"
        parts = [f"{self.who(d)}{shown(r)}" for d, r in values]
        text = f"{label}：各地规定不同——" + "；".join(parts)
        if silent:
            text += f"；{self.docs_phrase(silent)}未规定"
        return text + "。"

    def _compare_text(self, q: Query, hits, scope: list[Document], out: _Out) -> Draft:
        """Non-numeric aspects: per document the provisions or sentences that answer the question."""
        base = self._base_intent(q)
        kind = {"eligibility": "conditions", "task": "tasks", "revocation": "revocation"}.get(base, "")
        cells: dict[str, list[tuple[Article, int, int]]] = {}
        best_art: dict[str, Article] = {}
        provs = {d.id: [p for p in self.table.provisions if p.doc_id == d.id and p.kind == kind] if kind else []
                 for d in scope}
        grams_of = {d.id: self.qgrams(q, d, drop_intent="comparison") - self.qgrams_generic(base) for d in scope}
        scored = {d.id: [(self.coverage(grams_of[d.id], p.text) if grams_of[d.id] else 0.0, p) for p in provs[d.id]]
                  for d in scope}
        specific = any(sc >= 0.35 for d in scope for sc, _ in scored[d.id])
        years = "年" in q.asked_units and all(d.meta.kind != "regulation" for d in scope)
        for d in scope:
            grams = grams_of[d.id]
            picks: list[tuple[Article, int, int]] = []
            if years:
                picks = self._milestones(d)
            elif scored[d.id] and specific:
                top = max(sc for sc, _ in scored[d.id])
                for sc, p in sorted(scored[d.id], key=lambda x: -x[0])[:2]:
                    if sc >= 0.75 * top and sc > 0:
                        cs, ce = self._best_clause(grams, d, p.start, p.end)
                        picks.append((d.article(p.article), cs, ce))
            elif scored[d.id]:
                for _, p in scored[d.id]:
                    head_end = p.text.find("。")
                    e = p.start + (head_end if 0 < head_end <= 40 else min(len(p.text), 40))
                    picks.append((d.article(p.article), p.start, e))
            if not picks and not years:
                ranked = self.rank_articles(q, hits, [d.id], drop_intent="comparison")
                if ranked and ranked[0][0] >= 0.2:
                    best_art[d.id] = ranked[0][2]
            cells[d.id] = sorted(picks, key=lambda x: x[1])
        for d in scope:  # sentences of the best article: relevant first, then what the others lack
            art = best_art.get(d.id)
            if art is None or cells[d.id]:
                continue
            others = [bigrams(self._neutral(x.text)) for did, x in best_art.items() if did != d.id]
            scored_s = []
            for s, e in _sentences(d, art, "。;\n"):
                g = bigrams(self._neutral(d.text[s:e]))
                cov = self.coverage(grams_of[d.id], d.text[s:e])
                distinct = 1 - min((len(g & o) / len(g) for o in others), default=1.0) if g else 0.0
                scored_s.append((cov + (0.5 * distinct if cov > 0 else 0.0), s, e))
            for _, s, e in sorted(sorted(scored_s, key=lambda x: -x[0])[:2], key=lambda x: x[1]):
                cells[d.id].append((art, *self._best_clause(grams_of[d.id], d, s, e, limit=90)))
        summary = self._text_summary(q, scope, cells, out)
        out.line(summary)
        out.line("")
        out.line("| " + " | ".join(self._header(d) for d in scope) + " |")
        out.line("|" + "---|" * len(scope))
        row = []
        for d in scope:
            parts = []
            for a, s, e in cells[d.id]:
                lead = ""
                if kind == "revocation" and a.items and a.items[0].start <= s:
                    ls, le = self.intro(d, a)
                    lead = as_written(d, ls, le) + "："
                parts.append(lead + self.quote_span(out, d, a, s, e))
            row.append("；".join(parts) if parts else "未规定")
            if not parts:
                out.use(d)
        out.line("| " + " | ".join(row) + " |")
        for d in scope:
            for a, s, e in cells[d.id]:
                for r in self.table.rules:
                    if r.doc_id == d.id and s <= r.start < e:
                        out.value(r)
        return out.draft("comparison", topic=kind or base)

    def _milestones(self, doc: Document) -> list[tuple[Article, int, int]]:
        """Sentences of a plan that set a target year ("到2025年,…")."""
        out = []
        for art in doc.articles:
            for m in re.finditer(r"到\d{4}年", art.text):
                s, e = _span_in(doc.text, art.start + m.start(), art.start + m.end(), art.start, art.end, "。;\n")
                s, e = self._best_clause(set(), doc, s, e, limit=60, anchor=art.start + m.start())
                if all(x[1] != s for x in out):
                    out.append((art, s, e))
        return out

    def _best_clause(self, grams: set[str], d: Document, start: int, end: int, *, limit: int = 60,
                     anchor: int | None = None, extend: bool = True) -> tuple[int, int]:
        """The clause (between commas) of a long span that matches the question best (or that
        holds ``anchor``), with the clause after it when it completes the thought."""
        if end - start <= limit:
            return start, end
        clauses, s = [], start
        for i in range(start, end + 1):
            if i == end or d.text[i] in ",;":
                if i - s >= 2:
                    clauses.append((s, i))
                s = i + 1
        if not clauses:
            return start, end
        if anchor is not None:
            k = next((n for n, (a, b) in enumerate(clauses) if a <= anchor < b + 1), 0)
        else:
            k = max(range(len(clauses)), key=lambda n: self.coverage(grams, d.text[clauses[n][0]:clauses[n][1]]))
        a, b = clauses[k]
        if extend and k + 1 < len(clauses) and clauses[k + 1][1] - a <= limit + 20:
            b = clauses[k + 1][1]
        return a, b

    def _text_summary(self, q: Query, scope: list[Document], cells, out: _Out) -> str:
        """One line on the differences: clauses only some of the documents have."""
        clauses: list[tuple[Document, str, set[str]]] = []
        for d in scope:
            for a, s, e in cells[d.id]:
                for m in re.finditer(r"[^,;:。]+", d.text[s:e]):
                    part = m.group(0).strip()
                    g = bigrams(self._neutral(part))
                    if len(part) >= 4 and len(g) >= 3:  # compared normalised, shown as written
                        clauses.append((d, part, g, as_written(d, s + m.start(), s + m.end())))
        context: dict[str, list[set[str]]] = {}  # every clause of the articles each cell quotes from
        for d in scope:
            for a in {a.label: a for a, _, _ in cells[d.id]}.values():
                context.setdefault(d.id, []).extend(
                    bigrams(self._neutral(p)) for p in re.split(r"[,;:。\n]", a.text) if len(p.strip()) >= 4)
        statements, used = [], set()
        for d, part, g, shown in clauses:
            if part in used:
                continue
            holders = [x for x in scope
                       if any(len(g & g2) / len(g) >= 0.6 for g2 in context.get(x.id, ()) if g2)]
            if len(holders) < len(scope):
                used.add(part)
                statements.append((holders, shown))
        empty = [d for d in scope if not cells[d.id]]
        if not statements and not empty:
            return f"{self.docs_phrase(scope)}的规定基本相同（见下表）。"
        parts, seen_holders = [], []
        for holders, part in statements:
            key = tuple(h.id for h in holders)
            if seen_holders.count(key) >= 1 and len(statements) > 3:
                continue
            seen_holders.append(key)
            who = "、".join(self.who(h) for h in holders)
            parts.append(f"只有{who}：{part}" if len(scope) > 2 or len(holders) > 1 else f"{who}：{part}")
            if len(parts) >= 4:
                break
        text = "主要差异——" + "；".join(parts) if parts else "主要差异见下表"
        if empty:
            text += f"；{self.docs_phrase(empty)}未规定"
        return text + "。"

    def _neutral(self, text: str) -> str:
        """Drop the documents' own names (省/市市场监管局, 中心/基地 …) before comparing wording."""
        for w in sorted(self.vocab.raw.get("neutral_words", ()), key=len, reverse=True):
            text = text.replace(w, "")
        return text
