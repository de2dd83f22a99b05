"""Composition: the context every answer component works with, and the dispatch.

``Composer`` holds the corpus, the rules table and the vocabularies, and the helpers the
components share (naming documents, rules by topic, lexical coverage of the question, quoting a
rule or a span, ranking articles). ``compose`` answers the question's intent with the
component registered for it (``assistant/components``), after the abstentions that apply to
every intent, the route of an application or report when the question asks who receives it
(components/route.py) and the documents a document rests on when asked (components/basis.py),
whatever the intent; then counts (components/count.py) and notes.

Nothing here knows a particular document or question: documents come from the manifest,
numbers from the rules table, wording from the articles.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .components import REGISTRY, abstain, component
from .components.count import count, unlisted
from .components.dates import date_gap
from .components.in_time import in_time
from .components.included import included
from .components.basis import BASIS, basis
from .components.route import ROUTE, route
from .components.numeric import unstated_year
from .components.extractive import BESIDES
from .components.procedure import asks_a_walk
from .compare import short_title
from .numbers import find_quantities, format_quantity, normalise
from .rules import RulesTable, load_vocabulary as load_topics
from .types import Article, Document, Hit, Rule
from .understand import Lexicon, Query, Vocabulary, bigrams, kind_name, load_vocabulary, subject_terms
from .writer import (DEFINES, Draft, Writer, MAX_CHAT_COMPARE, MAX_QUOTE, LABEL, SENT, TITLED, as_written, citation_marker, date_cn, quotes_as_written, sentence_spans, span_in)

__all__ = ["Composer", "Draft", "Writer", "MAX_CHAT_COMPARE", "citation_marker", "date_cn", "quotes_as_written",
           "sentence_spans", "REGISTRY"]


# The retriever's ranking in an article's score (rank_articles): the top hit of a document gets
# this much, the second half of it … — as much as 40 % of the question's words found in the
# article (was 0.2: the articles the retriever put first lost to the composer's own lexical
# ranking too often; 0.4 on the same HEAD: blind-b 0.793 -> 0.802, blind 2026-11-30 0.637 -> 0.646,
# paraphrases 0.858 -> 0.867, dev and held-out unchanged; 0.8 lost a dev question).
RARELY = 2  # articles at most writing a title's words for them to tell where its subject is
STRAY = 2  # bigrams at most left besides a title's words for the question to be about the title's subject
GLOBAL_HIT = (0.3, 0.15, 0.1)  # rank_articles, across documents: the retriever's first three overall
HIT_WEIGHT = 0.4
# words after a phrase that say what it is: the article itemising an announced count or defining
# a term ("3项重点任务是指…") answers "哪3项？" better than the one that only announces it
# a question asking what something is (its nature or standing), and the bonus of the article
# whose sentence opens by saying it ("计量数据中心是研究探索…的实践载体", "本办法所称…是指…")
WHAT_IS = (r"(?:[的到底究竟]|说白了|其实){0,3}(?:是什么|是啥|是个什么|是一个什么|是一种什么|是什么性质|是什么样的|定位|性质"
           r"|是干(?:嘛|啥|什么)(?:用)?的|是做(?:什么|啥)(?:用)?的|是用来干(?:嘛|啥|什么)的)")  # (what it is for)
WHAT_IS_WORDS = ("定位", "性质")
# what two things are, compared ("A和B，性质定位上有啥区别？")
_WHAT_IS_APART = re.compile(r"(?:定位|性质)(?:上|方面)?(?:有|的)?(?:啥|什么|何|哪些)?(?:区别|不同|差别|差异|异同)")
DEFINITION = 1.2
# a place without a document of the asked kind answers from its own documents when the question
# asks this many subject bigrams besides the kind and the top evidence there holds this share
KIND_FREE_GRAMS = 3
_OWN_DOCUMENT = re.compile(r"(?:文件|实施意见|规划|方案|访谈)(?:里|中|上)")
KIND_FREE_COVERS = 0.6
ITEM_QUOTE = 90  # characters of an announced list item quoted (its first sentence when shorter)


def defines(sentence: str, names) -> bool:
    """The sentence opens by saying what one of ``names`` is (X是…, 本办法所称X是指…)."""
    head = LABEL.sub("", sentence.lstrip(), count=1)[:40]
    return any(re.match(rf"(?:本办法所称)?[\u4e00-\u9fff]{{0,6}}?{re.escape(x)}[,，]?(?:是指|是)(?!否|不)", head)
               for x in names)


# the user's guess of a milder consequence: "是不是只要限期整改就行了", "也就通报批评一下", "不至于被撤吧"
GUESSED = re.compile(r"(?:是不是|是否|会不会|难道)?(?:只要|只需要?|只是|就只|也就|光|只)?[^，,。？?]{1,12}?"
                     r"(?:一下)?(?:就行|就可以了|就完事|就没事|就好|了事|而已)[了吧吗呢]*|(?:是不是|会不会)?(?:也就|只是)[^，,。？?]{1,10}一下[了吧吗呢]*|"
                     r"不至于[^，,。？?]{0,12}")
# "…会受什么影响？", "…会咋样？": a case told, and what happens to it asked (whatever the words)
CONSEQUENCE = re.compile(r"(?:会|将)(?:怎样|怎么样|咋样|如何)[了吧吗呢]*|(?:会|将)(?:受到?|有|被|面临|遭到?)?[^，,。？?]{0,2}?"
                         r"(?:什么|啥|哪些)(?:样的)?(?:影响|后果|结果|处理|处罚|下场|处分)[了吧吗呢]*|what (?:happens|would happen)")
_APPLYING_CASE = re.compile(r"申请|申报|apply")
_APPLYING_FIGURE = re.compile(r"申请|申报|能报|可以报|能不能报|apply")
CASE_MATCH = 0.6  # share of a revocation ground's words the case must write
_NEGATED = re.compile(r"(?:未|没有?|不)([\u4e00-\u9fff]{2})")


def opposite(ground: str, told: str) -> bool:
    """The case tells the contrary of a ground: a verb the ground negates ("经延期仍未完成筹建任务")
    that the case writes without a negation before it ("筹建任务完成了")."""
    for m in _NEGATED.finditer(ground):
        verb = m.group(1)
        if verb in told and not re.search(rf"(?:未|没|不)[^，,。；;？?]{{0,3}}{verb}", told):
            return True
    return False


COUNT_UNITS = ("项", "家", "个", "条", "种", "所")  # units of a count a plan states in its prose


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
        self.embedder = None  # the retriever's sentence embedder, when there is one (Engine sets it)
        self._passages: dict[str, object] = {}  # passage text → unit vector (a corpus has few to compare against)
        self.rule_by_id = {r.id: r for r in table.rules}
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

    def rules_in(self, doc_id: str, article: str) -> list[Rule]:
        """The numeric rules an article states, in text order."""
        return list(self._by_article.get((doc_id, article), ()))

    def has_topic(self, topic: str) -> bool:
        return topic in self._by_topic

    def similarities(self, text: str, candidates: list[str]) -> list[float] | None:
        """Cosine of ``text`` (embedded as a question) to each candidate (embedded as passages,
        through the embedding cache); None without an embedder or when embedding fails."""
        if self.embedder is None or not candidates:
            return None
        import numpy as np

        try:
            qv = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
            todo = [c for c in dict.fromkeys(candidates) if c not in self._passages]
            if todo:  # (embedded once per process; the embedder's disk cache keeps them across runs)
                for c, v in zip(todo, np.asarray(self.embedder.embed_texts(todo), dtype=np.float32)):
                    self._passages[c] = v / (np.linalg.norm(v) or 1.0)
        except Exception:  # pragma: no cover - the model failed: the lexical answer stands
            return None
        qv /= np.linalg.norm(qv) or 1.0
        return [float(self._passages[c] @ qv) for c in candidates]

    def qgrams(self, q: Query, doc: Document | None = None, *, drop_intent: str = "") -> set[str]:
        """The question's subject bigrams, minus words of the document's own title (not telling
        within that document) and, optionally, the generic words of an intent (intents.yaml `generic`)."""
        words = q.terms.split()
        if doc is not None:  # a short form the document never writes, as its long form (双碳 → 碳达峰碳中和)
            words = [self.vocab.short_forms.get(w, w) if w in self.vocab.short_forms and w not in doc.text
                     else w for w in words]
        if drop_intent:
            generic = {str(w) for w in self.vocab.generic.get(drop_intent, ())}
            generic_grams = self.qgrams_generic(drop_intent)
            words = [w for w in words if w not in generic and not bigrams(w) <= generic_grams]
        grams = bigrams(" ".join(words))
        for short in q.short_forms if doc is not None else ():
            if short not in doc.text:
                grams |= bigrams(self.vocab.short_forms[short])
        if doc is not None and grams - self._title_grams.get(doc.id, set()):
            grams -= self._title_grams.get(doc.id, set())
        return grams

    def asked_grams(self, q: Query, doc: Document | None = None, *, drop_intent: str = "") -> set[str]:
        """qgrams of the question without the user's story around it ("我负责做课件，…几大主要任务？"),
        or an empty set when it has none to leave out (or ``q.terms`` is no longer the question's own)."""
        own, asked = q.asked_terms
        if not asked or own != q.terms:
            return set()
        return self.qgrams(replace(q, terms=asked, asked_terms=("", "")), doc, drop_intent=drop_intent)

    def gram_views(self, q: Query, doc: Document, *, drop_intent: str = "", across: bool = False) -> list[set[str]]:
        """The ways a question's subject is matched in ``doc``'s text, each scored apart and the
        best taken: its bigrams without the document's title words (qgrams); without the user's
        story around it (asked_grams); and all of them, across documents (``across``) or when the
        title covers most of the subject ("那次世界计量日活动是几号？" of a text titled with it)."""
        views = [self.qgrams(q, doc, drop_intent=drop_intent), self.asked_grams(q, doc, drop_intent=drop_intent)]
        whole = self.qgrams(q, drop_intent=drop_intent)
        if across or (self.coverage(whole, doc.meta.title) >= TITLED and len(views[0]) <= STRAY
                      and self._title_written_rarely(whole, doc)):
            views.append(whole)  # (not when the words left besides the title's say what is asked, nor
            # when the text writes the title's words all through: 实施意见 in a plan's every section)
        return [v for v in views if v]

    def _title_written_rarely(self, whole: set[str], doc: Document) -> bool:
        """The question's words of the document's title are written in few of its articles."""
        titled = whole & self._title_grams.get(doc.id, set())
        if not titled:
            return False
        return sum(1 for a in doc.articles if self.coverage(titled, a.text) >= TITLED) <= RARELY

    def view_coverage(self, views: list[set[str]], text: str) -> float:
        return max((self.coverage(v, text) for v in views), default=0.0)

    def qgrams_generic(self, intent: str) -> set[str]:
        """Bigrams of an intent's generic words (to drop from a question's subject)."""
        out: set[str] = set()
        for w in self.vocab.generic.get(intent, ()):
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
        s, e = span_in(doc.text, rule.start, rule.end, lo, hi)
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
        if e - start > MAX_QUOTE:
            return rule.start, rule.end
        return start, e

    def quote_rule(self, out: Writer, rule: Rule, *, full: bool = True) -> str:
        """"quote [marker]" for a rule; the value goes into the answer's values."""
        doc = self.docs[rule.doc_id]
        s, e = self.rule_span(rule) if full else (rule.start, rule.end)
        out.value(rule)
        return f"{as_written(doc, s, e)} {out.cite(doc, rule.article, s, e)}"

    def quote_span(self, out: Writer, doc: Document, art: Article, s: int, e: int) -> str:
        return f"{as_written(doc, s, e)} {out.cite(doc, art.label, s, e)}"

    def quote_sentences(self, out: Writer, doc: Document, art: Article, spans) -> str:
        """Sentences quoted one after another, each cited; one announcing a list runs on after its colon."""
        return "".join(f"{self.quote_span(out, doc, art, s, e)}{'' if doc.text[e - 1] in ':：' else '。'}"
                       for s, e in spans)

    def announced_items(self, out: Writer, doc: Document, art: Article, end: int) -> list[str]:
        """When the quoted text ending at ``end`` announces the article's list ("申请单位应具备
        以下条件:"), the lines that give it: "共N项：" and each item's first clause, quoted."""
        items = [i for i in art.items if i.start >= end]
        if not items:
            return []
        gap = doc.text[end:items[0].start].strip(" \n。")
        if not (gap in (":", "：") or (not gap and doc.text[end - 1:end] in (":", "："))):
            return []
        lines = [f"共{len(items)}项："]
        for i in items:
            body = doc.text[i.start:i.end]
            cut = min((n for n in (body.find("。"), body.find(";"), body.find("；")) if n > 0), default=len(body))
            lines.append(f"- {self.quote_span(out, doc, art, i.start, i.start + min(cut, ITEM_QUOTE))}")
        return lines

    def written(self, rule: Rule) -> str:
        """A rule's clause as its document wrote it."""
        return as_written(self.docs[rule.doc_id], rule.start, rule.end)

    def intro(self, doc: Document, art: Article, first_item_start: int | None = None) -> tuple[int, int]:
        """The lead-in of a list article: after its label, up to its first item."""
        s = art.start
        m = LABEL.match(doc.text, s)
        if m and m.end() <= art.end:
            s = m.end()
        e = art.items[0].start if art.items else (first_item_start or art.end)
        while e > s and doc.text[e - 1] in " \n:":
            e -= 1
        return s, e

    def best_sentences(self, q: Query, doc: Document, art: Article, grams: set[str], *, n: int = 2,
                       seps: str = SENT) -> list[tuple[float, int, int]]:
        scored = [(self.coverage(grams, doc.text[s:e]), s, e) for s, e in sentence_spans(doc, art, seps)]
        if not scored:
            return []
        best = sorted(scored, key=lambda x: -x[0])[:n]
        return sorted(best, key=lambda x: x[1])

    def rank_articles(self, q: Query, hits, doc_ids, *, drop_intent: str = "") -> list[tuple[float, Document, Article]]:
        """Articles of the documents in scope, by lexical coverage of the question's subject plus
        a bonus for the retriever's ranking; an article saying what the question asks something
        to be ("X是…" for "X是什么？/X的定位？") first of all."""
        phrases = self._question_phrases(q)
        defined = self.asked_what_is(q, phrases)
        if defined:  # the asking words (定位, 性质) are not the subject
            q = replace(q, terms=" ".join(w for w in q.terms.split() if w not in WHAT_IS_WORDS))
            phrases = self._question_phrases(q)
        bonus = self.hit_bonus(hits)
        if len({self.docs[d].meta.jurisdiction for d in doc_ids}) > 1:  # across places, the retriever's
            # overall order counts too (the interview about 世界计量日 first, not a plan mentioning the day once)
            top = [k for k in dict.fromkeys((h.chunk.doc_id, h.chunk.article) for h in hits or ())
                   if k[0] in doc_ids][:len(GLOBAL_HIT)]
            for k, extra in zip(top, GLOBAL_HIT):
                bonus[k] = bonus.get(k, 0.0) + extra
        out = []
        for did in doc_ids:
            doc = self.docs[did]
            grams = self.qgrams(q, doc, drop_intent=drop_intent)
            # (across documents, the words of a document's title count where its text writes them:
            # they tell it from the others, though not its articles from each other)
            views = self.gram_views(q, doc, drop_intent=drop_intent, across=len(doc_ids) > 1)
            for art in doc.articles:
                score = self.view_coverage(views, art.text) + bonus.get((did, art.label), 0.0)
                if grams and score > 0:  # how much of the article is about it (碳计量 ×4 beats ×1)
                    rare = [g for g in grams if 0 < self.lexicon.df.get(g, 0) <= self.lexicon.n / 4]
                    score += 0.03 * min(sum(art.text.count(g) for g in rare), 6)
                    score += self._opens_with_question(q, doc, art)
                out.append((score, doc, art))
        out.sort(key=lambda x: -x[0])
        for n, (score, doc, art) in enumerate(out[:10]):  # a phrase of the question, verbatim
            title = self._title_grams.get(doc.id, set())
            if any(p in art.text and not bigrams(p) <= title for p in phrases):
                score += 0.15
            if any(f"{p}{w}" in art.text for p in phrases for w in DEFINES if not bigrams(p) <= title):
                score += 0.3  # it says what the phrase is ("3项重点任务是指…"), not only names it
            out[n] = (score, doc, art)
        if defined:  # "X是什么？/X到底定位成什么？": the article that says "X是…" defines it
            for n, (score, doc, art) in enumerate(out):
                if any(defines(doc.text[s:e], defined) for s, e in sentence_spans(doc, art)):
                    out[n] = (score + DEFINITION, doc, art)
        return sorted(out, key=lambda x: -x[0])

    def asked_what_is(self, q: Query, phrases=None) -> list[str]:
        """The names a question asks what they are ("计量数据中心的定位是什么？" → 计量数据中心):
        its subject phrases and the document kind's names it uses, right before 是什么/定位/性质."""
        phrases = self._question_phrases(q) if phrases is None else phrases
        names = [p for p in phrases if len(p) >= 4 and not any(w in p for w in WHAT_IS_WORDS)] + [
            c for k in q.kinds if k in self.vocab.doc_kinds for c in self.vocab.doc_kinds[k].cues
            if len(c) >= 3 and c in q.text]
        asked = [x for x in names if re.search(re.escape(x) + WHAT_IS, q.text)]
        if not asked and (re.search(r"[它其]" + WHAT_IS, q.text) or _WHAT_IS_APART.search(q.text)):
            asked = [x for x in names if x in q.text]  # "…计量数据中心，它的定位是什么？", "A和B性质上有啥区别？"
        for k in q.kinds:  # a kind asked by one of its names is defined under any of them (计量数据基地 → 计量数据建设应用基地是指…)
            cues = [c for c in self.vocab.doc_kinds[k].cues if len(c) >= 3] if k in self.vocab.doc_kinds else []
            if any(x in cues for x in asked):
                asked += [c for c in cues if c not in asked]
        return asked

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
            bonus[key] = HIT_WEIGHT / per_doc[h.chunk.doc_id]
        return bonus

    def _opens_with_question(self, q: Query, doc: Document, art: Article) -> float:
        """A paragraph that opens with words of the question is about them ("3项重点任务是指…");
        the document's own name does not count."""
        m = LABEL.match(doc.text, art.start)
        head = doc.text[m.end() if m else art.start: art.start + 16]
        n = 0
        while n < len(head) and head[: n + 1] in q.text:
            n += 1
        if n < 4 or bigrams(head[:n]) <= self._title_grams.get(doc.id, set()):
            return 0.0
        return 0.3

    # ------------------------------------------------------------------ entry point
    def compose(self, q: Query, hits: list[Hit] | tuple = ()) -> Draft:
        out = Writer(self)
        if q.meaningless:
            return abstain.unreadable(self, q, out)
        if q.foreign and not q.jurisdictions:
            return abstain.foreign(self, q, out)
        missing = (abstain.uncovered_subject(self, q, out) or abstain.named_only(self, q, out)
                   or abstain.deferred(self, q, out) or abstain.registry(self, q, out))
        if missing:
            return missing
        if q.metadata:
            return date_gap(self, q, abstain.metadata(self, q, out))
        if q.missing_kind and q.explicit_kind and q.intent != "comparison":
            said = abstain.mentioned(self, q, out, yes_no_only=True)
            if said is not None:
                return said
            if not self.answers_without_kind(q, hits):
                return abstain.mentioned(self, q, out) or abstain.missing_kind(self, q, out)
        said = included(self, q, hits, out)  # "生产安全事故也算吗？": the sentence writing the user's case
        if said is not None:
            return said
        if q.intent in ("other", "revocation", "task") and not q.asks_number and asks_a_walk(q.text):
            q = replace(q, intent="procedure")  # "收到申请以后怎么处理，一直到批筹？": the steps between
        if q.intent in ("task", "procedure") and q.topics and BESIDES.search(q.text):
            q = replace(q, intent="other")  # "搬新园区，除了跟市局报备还要做什么？": the rest of the named rule's article
        guessed = self.guessed_consequence(q, hits)
        if guessed is not None:  # "泄露了数据，是不是整改一下就行？": what the documents do to that case
            q = guessed
        if self.count_to_confirm(q):  # "重点任务是不是5项？": the count the text states, and a verdict
            q = replace(q, intent="numeric", asks_number=True)
        if self.figure_of_topic(q):  # "专家组安排了6位专家，符合要求吗？": the figure against its rule
            q = replace(q, intent="numeric")
        figured = self.topic_of_figure(q)
        if figured:  # "派了6个专家的验收组，人数合规吗？": the one rule topic stated in the figure's unit
            q = replace(q, topics=(figured,), clause_topics=(figured,), intent="numeric")
        scope = [self.docs[i] for i in q.doc_ids if i in self.docs]
        if q.years and q.intent in ("task", "other") and scope and all(d.meta.kind != "regulation" for d in scope):
            unstated = unstated_year(self, q, scope, out)  # "2030年的阶段性目标是什么？" of 2025/2035 targets
            if unstated is not None:
                return unstated
        draft = ((None if figured else route(self, q, hits, out)) or basis(self, q, hits, out)
                 or component(q.intent).run(self, q, hits, out))
        counted = count(self, q, hits, draft, Writer) if draft.topic not in (BASIS, ROUTE) else None
        if counted is not None:  # (the documents or bodies a basis or route names are no listed items)
            draft = counted
        draft = unlisted(self, q, draft, Writer) or draft
        draft = date_gap(self, q, draft)
        draft = in_time(self, q, draft, hits)
        notes = list(q.notes)
        if q.foreign:
            notes.append(f"语料中没有{'、'.join(q.foreign)}的文件，以上只涉及{'、'.join(q.jurisdictions)}。")
        if q.missing_kind:
            notes += [f"{j}没有{kind_name(k, self.vocab)}方面的文件，以上按{j}现有的文件回答。"
                      for j in q.missing_kind for k in q.kinds[:1]]
        if q.injection:
            notes.append("问题中要求忽略规则或改写数字的内容未被采纳，以上数字均来自条文并经过核对。")
        if notes:
            draft.text = draft.text + "\n\n" + "\n".join(f"注：{n}" for n in notes)
        return draft

    # ------------------------------------------------------------------ abstentions

    def guessed_consequence(self, q: Query, hits=()) -> Query | None:
        """A case told with the user's guess of a milder consequence ("…把数据私自给了外部机构，
        是不是只要限期整改就行了？"), or with what happens to it asked in words no intent cue
        knows ("…卖给了咨询公司，中心会受什么影响？"): when, without the guess, the case is one revocation ground of
        the documents in scope (its words, or clearly its meaning), the question asks what happens
        to that case — the revocation, read without the guess."""
        from .components.lists import described_ground, evidenced_ground, ground_condition

        asked = GUESSED if GUESSED.search(q.question) else CONSEQUENCE if q.intent == "other" else None
        if asked is None or not asked.search(q.question) or q.intent == "comparison":
            return None
        told = asked.sub("", q.question).strip("，,。？? ")
        if _APPLYING_CASE.search(told):
            return None  # (an applicant's case: the conditions for applying, not a ground for revoking)
        terms = subject_terms(told, vocab=self.vocab, drop=q.jurisdictions + q.foreign)
        provs = [p for p in self.table.provisions if p.kind == "revocation" and p.doc_id in q.doc_ids
                 and not opposite(ground_condition(p.text), told)]
        if not terms or not provs:
            return None
        case = replace(q, question=told, text=told, terms=terms, asked_terms=(terms, ""), intent="revocation",
                       topics=(), clause_topics=(), asked_units=(), asks_number=False)
        grams = bigrams(terms)
        if max(self.coverage(grams, ground_condition(p.text)) for p in provs) < CASE_MATCH and (
                described_ground(self, case, provs) is None) and (
                evidenced_ground(self, case, hits, provs) is None):  # (the article speaking of the act: 未经…允许…提供数据)
            return None
        return replace(case, question=q.question, text=q.text)

    def count_to_confirm(self, q: Query) -> bool:
        """A count (or several) offered for confirmation ("重点任务是不是5项？", "有5项重点任务，对吗？")
        about a plan or news text, whose counts are stated in its prose."""
        from .arith import CONFIRM

        if q.intent not in ("task", "other") or q.scores or not CONFIRM.search(q.text):
            return False
        counts = [x for x in find_quantities(q.text) if x.unit in COUNT_UNITS and x.comparator == "="]
        return bool(counts) and any(self.docs[i].meta.kind != "regulation" for i in q.doc_ids if i in self.docs)

    def figure_of_topic(self, q: Query) -> bool:
        """An eligibility question ("…符合要求吗？") naming a rules topic and giving one figure of the
        user's in that topic's unit ("专家组安排了6位专家"): it checks the figure against the rule,
        not the conditions for applying."""
        from .arith import SUFFICES, about, as_people, user_figures

        if q.intent != "eligibility" or not q.topics or _APPLYING_FIGURE.search(q.text) or SUFFICES.search(q.text):
            return False  # (an applicant's figure: the conditions for applying, all of them)
        figures = [as_people(q.text, x) for x in user_figures(q)]
        rules = [r for r in self.rules(q.topics[0], q.doc_ids)]
        return len(figures) == 1 and any(normalise(1, r.unit)[1] == normalise(1, figures[0].unit)[1]
                                         and about(self, q, figures[0], r) for r in rules)

    def topic_of_figure(self, q: Query) -> str:
        """A yes/no question naming no topic but giving one figure of the user's ("派了6个专家，合规
        吗？"): the one rules topic of the documents in scope whose figures are in that unit, or "".
        A period many topics share (年, 个月, 天: "是不是要拖上一个月才会先过一遍材料？") names the
        period rule whose sentence says most nearly what the question says (topic_from_rules)."""
        from .arith import YES_NO, about, as_people, user_figures
        from .components.numeric import PERIOD_UNITS, offered_period, topic_from_rules

        if q.topics or q.scores or q.intent not in ("eligibility", "other", "procedure") or not YES_NO.search(q.text):
            return ""
        figures = [as_people(q.text, x) for x in user_figures(q)]
        if len(figures) <= 1 and q.intent != "eligibility" and offered_period(q):
            topic = topic_from_rules(self, q, [self.docs[i] for i in q.doc_ids
                                               if i in self.docs and self.docs[i].meta.kind == "regulation"])
            if topic:  # (the whole sentence read against the question: more evidence than the figure's clause)
                return topic
        if len(figures) == 1 and q.intent != "procedure":
            canon = normalise(1, figures[0].unit)[1]
            # (a period's clause says little — "时间上满3年了吗" — so a period needs the only topic in its unit)
            topics = {r.topic for r in self.table.rules if r.doc_id in q.doc_ids and r.topic not in ("target", "other")
                      and normalise(1, r.unit)[1] == canon
                      and (figures[0].unit in PERIOD_UNITS or about(self, q, figures[0], r))}
            if len(topics) == 1:
                return topics.pop()
        return ""

    def answers_without_kind(self, q: Query, hits) -> bool:
        """A place without a document of the kind the question names can still answer it from its
        own documents ("东营这个文件里跟碳计量有关的措施有哪些？我们做碳中心的想对标一下"): when the
        question asks no rule of the kind (no rules topic its documents lack) and the top
        evidence in its documents holds most of what the question asks about (besides the kind)."""
        if _OWN_DOCUMENT.search(q.text):  # "这个文件里…": the place's own document is asked about
            return True
        if any(self.has_topic(t) for t in q.topics[:1]):
            return False  # a rule of the kind asked (its 筹建期): another kind's rule is not it
        top = next((h for h in hits if h.chunk.doc_id in q.doc_ids), None)
        if top is None:
            return False
        doc = self.docs[top.chunk.doc_id]
        art = doc.article(top.chunk.article)
        grams = self.qgrams(q, doc, drop_intent=q.intent)
        return art is not None and len(grams) >= KIND_FREE_GRAMS and self.coverage(grams, art.text) >= KIND_FREE_COVERS

    def corpus_summary(self) -> str:
        groups: dict[str, list[Document]] = {}
        for d in self.doc_list:
            groups.setdefault(d.meta.jurisdiction, []).append(d)
        return "；".join(f"{j}：{'、'.join(self.name(d) for d in ds)}" for j, ds in groups.items())






    def mention(self, q: Query, doc: Document, keywords) -> tuple[Article, int, int] | None:
        """The sentence of a document that speaks about a topic without its number."""
        grams = self.qgrams(q, doc)
        best = None
        for art in doc.articles:
            for s, e in sentence_spans(doc, art):
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


    @staticmethod
    def readable(docs: list[Document], hits) -> tuple[list[Document], str]:
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

    def headline(self, topic: str, doc: Document) -> Rule:
        rules = self.rules(topic, [doc.id])
        preferred = [r for r in rules if r.comparator in (">=", "<=", "=", "every", "before", "range")]
        return (preferred or rules)[0]


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






    # ------------------------------------------------------------------ timeline







    # ------------------------------------------------------------------ eligibility

    def left_out(self, rest: list[Document], what: str) -> str:
        """A question naming no jurisdiction, answered from the first few documents: the others
        that state it too are named (counted when there are many), never silently dropped."""
        who = self.docs_phrase(rest) if len(rest) <= MAX_CHAT_COMPARE else f"另外{len(rest)}份文件"
        return f"（问题未指明地区，以上只列出前几份文件；{who}也规定了{what}，可指明地区再问。）"



    # ------------------------------------------------------------------ lists: task / revocation / procedure







    @staticmethod
    def is_intro(text: str) -> bool:
        t = text.strip()
        return t.endswith(":") or "包括" in t[-12:] or bool(re.search(r"以下(几个)?方面|如下", t))

    def following(self, d: Document, art: Article) -> list[Article]:
        """The sections after a list intro, up to the next plain paragraph."""
        out = []
        idx = d.articles.index(art)
        for a in d.articles[idx + 1:]:
            if not a.is_section or a.label.startswith("第") and a.label.endswith("段"):
                break
            out.append(a)
        heads = [a for a in out if a.heading]
        return heads or out

    def heading_span(self, d: Document, a: Article) -> tuple[int, int]:
        text = d.text
        s = a.start
        e = s
        while e < a.end and text[e] not in "。\n":
            e += 1
        return s, e




    # ------------------------------------------------------------------ extractive

    # ------------------------------------------------------------------ comparison







    def best_clause(self, grams: set[str], d: Document, start: int, end: int, *, limit: int = 60,
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


