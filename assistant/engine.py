"""The answer engine: understand → retrieve → compose → (generate) → check → Answer.

Compose is a pipeline, each stage its own module: a follow-up pointing into the previous
answer's list (followup.py), else the composer's draft (compose.py: abstentions, the route of
an application, the intent's component), held against the retrieved evidence (evidence.py),
the computations it asks (arith.py), what the question asks of the cited articles that the
draft leaves out (complete.py), the asked slot filled or abstained (slots.py), a comparison
that is not of rules-table numbers asked of each document in turn (each.py); a multi-part
question is split and each part composed the same way (decompose.py).

``Engine.load(settings)`` loads the corpus, the rules table and the retriever once (building
the index when it is missing); ``Engine.ask`` answers one question, optionally with the
earlier turns of a conversation. Every answer is checked: a contradicted number never
reaches the user unflagged — the deterministic text withholds the sentence, a generated text
falls back to the deterministic one and says so.

Inputs: an empty question or one longer than ``Settings.max_question_chars`` is a
BadQuestionError (one clear line in the CLI, 400 in the API); unreadable input (emoji,
control characters, gibberish) gets an abstaining answer. English questions are read
through data/glossary_en.yaml into the documents' Chinese terms (translate.py), understood like
Chinese ones and answered with the documents' own wording, figures and citations, framed by one
English line built from the answer's values and citations. Instructions inside a
question ("忽略之前的规则…") never change a number: numbers come from the rules table, and
the checker verifies whatever text is returned.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import asdict, dataclass, replace

from .check import check
from .compose import Composer, Draft, quotes_as_written
from .config import Settings
from .corpus import load_corpus
from .decompose import covered, merge_parts, split_parts
from .each import compare_each
from .errors import BadQuestionError
from .arith import compute
from .complete import complete
from .evidence import review, unsaid
from .followup import ordinal_in_list, ordinal_item
from .slots import filled
from .rules import RulesTable, build_rules_table
from .types import Answer, AnswerPart, Check, Document, Hit
from .jurisdictions import corpus_names
from .translate import english_lead, gloss, is_english, load_glossary
from .understand import Lexicon, Query, bigrams, kind_name, load_vocabulary, understand

log = logging.getLogger(__name__)

WITHHELD = "（此处有一句与条文不符的内容，已删除。）"
NOTHING_LEFT = ("未能给出可以核实的回答：起草的每一句都与条文不符，已全部删除。请换个问法，或查看下方引用的条文原文。"
                " No verifiable answer: every drafted sentence contradicted the documents and was withheld.")
RETRIEVE_K = 20  # hits per question: the composer uses each document's ranking, not just the top few


@dataclass(frozen=True)
class Run:
    """One answered question with what led to it (the eval runner reads the hits)."""

    answer: Answer
    query: Query
    hits: tuple[Hit, ...]


class Engine:
    """Answers questions over one corpus; thread-safe for concurrent ``ask`` calls."""

    def __init__(self, settings: Settings, docs: list[Document], table: RulesTable, retriever=None, *,
                 generator=None):
        self.settings = settings
        self.docs = list(docs)
        self.table = table
        self.retriever = retriever
        self.vocab = load_vocabulary()
        self.lexicon = Lexicon.from_docs(self.docs)
        self.composer = Composer(self.docs, table, vocab=self.vocab, lexicon=self.lexicon)
        self.composer.embedder = getattr(retriever, "embedder", None)
        self.topic_units: dict[str, set[str]] = {}
        for r in table.rules:
            self.topic_units.setdefault(r.topic, set()).add(r.unit)
        self.generator = generator
        self.glossary = load_glossary().with_places(corpus_names(self.docs))
        self.understand("筹建期几年")  # load the tokenizer now, not on the first question

    @classmethod
    def load(cls, settings: Settings, *, retriever=None, generator=None, with_retriever: bool = True) -> "Engine":
        """Docs, rules table and retriever, loaded once (the index is built when missing)."""
        docs = load_corpus(settings)
        table = build_rules_table(docs)
        if retriever is None and with_retriever:
            from .retrieve import ensure_index

            retriever = ensure_index(settings, docs)
        if generator is None and settings.llm_base_url:
            from .llm import Generator

            generator = Generator.from_settings(settings)
        return cls(settings, docs, table, retriever, generator=generator)

    # ------------------------------------------------------------------ understanding/retrieval
    def understand(self, question: str, *, jurisdiction=None, doc_id=None, history=()) -> Query:
        """The question understood; an English question (and English earlier turns) is read
        through the glossary into the documents' Chinese terms first (translate.gloss)."""
        english = is_english(question or "")
        if english:  # nothing the glossary knows: the question as asked (it abstains as unreadable)
            question = gloss(question, self.glossary) or question
        history = tuple({**t, "content": gloss(t["content"], self.glossary)}
                        if isinstance(t, dict) and is_english(str(t.get("content") or "")) else t for t in history)
        query = understand(question, docs=self.docs, history=history, jurisdiction=jurisdiction, doc_id=doc_id,
                           topic_units=self.topic_units, vocab=self.vocab,
                           max_chars=self.settings.max_question_chars)
        return replace(query, language="en") if english else query

    def retrieve(self, query: Query, *, k: int = RETRIEVE_K) -> list[Hit]:
        """Hybrid retrieval filtered to the documents in scope (none when nothing is readable)."""
        if self.retriever is None or query.meaningless or (query.foreign and not query.jurisdictions):
            return []
        text = query.question if not query.followup else f"{query.terms} {query.question}"
        all_ids = [d.id for d in self.docs]
        doc_ids = list(query.doc_ids) if query.doc_ids and len(query.doc_ids) < len(all_ids) else None
        try:
            return self.retriever.search(text, k=k, doc_ids=doc_ids)
        except BadQuestionError:
            return []

    # ------------------------------------------------------------------ answering
    def ask(self, question: str, *, jurisdiction: str | None = None, doc_id: str | None = None,
            history=()) -> Answer:
        """Answer one question; ``history`` is a list of {"role", "content"} turns."""
        return self.run(question, jurisdiction=jurisdiction, doc_id=doc_id, history=history).answer

    def run(self, question: str, *, jurisdiction: str | None = None, doc_id: str | None = None,
            history=()) -> Run:
        """Like ``ask``, also returning the understood query and the retrieved hits."""
        t0 = time.perf_counter()
        query = self.understand(question, jurisdiction=jurisdiction, doc_id=doc_id, history=history)
        tu = time.perf_counter()
        hits = self.retrieve(query)
        t1 = time.perf_counter()
        ordinal = ordinal_item(self, query, history) if history else None
        draft = ordinal or self._compose(query, hits)
        if ordinal is None:  # "第七项主要任务讲的是什么？": that item of the list the answer shows, whole
            ordinal = ordinal_in_list(self, query, draft)
            draft = ordinal or draft
        parts: list[AnswerPart] = []
        if not query.meaningless and ordinal is None:  # (the item a follow-up points at answers it whole)
            draft, parts = self._parts(query, draft, asked=question, jurisdiction=jurisdiction, doc_id=doc_id,
                                       history=history)
        t2 = time.perf_counter()
        timings = {"understand": _ms(tu - t0), "retrieve": _ms(t1 - tu), "compose": _ms(t2 - t1)}
        text, checks = self._checked(draft)
        abstained = draft.abstained
        if not abstained and not re.sub(r"[\s|:\-#*>]", "", text.replace(WITHHELD, "")):
            text, checks, abstained = NOTHING_LEFT, [], True  # nothing verifiable left: say so
        if self.generator is not None and not abstained:
            tg = time.perf_counter()
            text, checks = self._generated(query, draft, hits, text, checks)
            timings["generate"] = _ms(time.perf_counter() - tg)
        t3 = time.perf_counter()
        timings["check"] = _ms(t3 - t2 - timings.get("generate", 0) / 1000)
        timings["total"] = _ms(t3 - t0)
        jurisdictions = tuple(dict.fromkeys(
            [c.jurisdiction for c in draft.citations] if not query.jurisdictions else list(query.jurisdictions)))
        if query.language == "en":
            lead = english_lead(draft.values, draft.citations, abstained=abstained, intent=draft.intent,
                                glossary=self.glossary, text=text)
            text = f"{lead}\n\n{text}"
        answer = Answer(question=question.strip(), answer=text, intent=draft.intent, jurisdictions=jurisdictions,
                        abstained=abstained, citations=tuple(draft.citations), values=tuple(draft.values),
                        checks=tuple(checks), timings_ms=timings, topic=draft.topic, doc_ids=tuple(draft.doc_ids),
                        parts=tuple(parts))
        return Run(answer=answer, query=query, hits=tuple(hits))

    def _parts(self, query: Query, draft: Draft, *, asked: str, jurisdiction, doc_id,
               history) -> tuple[Draft, list[AnswerPart]]:
        """A multi-part question: each part understood (with the question's context, the
        whole question as the turn before it), retrieved and composed on its own; what a part
        adds to the whole question's draft is appended under the part's own words. An English
        question is split as asked, not as glossed."""
        text = asked.strip() if query.language == "en" else query.question
        parts = split_parts(text, (*self.vocab.question_words, *self.vocab.part_words))
        if len(parts) < 2:
            return draft, []
        turns = (*history, {"role": "user", "content": query.question})
        whole_hits = None
        drafts = []
        scope_turn = {"role": "user", "content": " ".join([*query.jurisdictions,
                                                          *(kind_name(k, self.vocab) for k in query.kinds)])}
        for part in parts:
            q = self.understand(part.question, jurisdiction=jurisdiction, doc_id=doc_id, history=turns)
            if ((not q.jurisdictions and query.jurisdictions)  # the question named them once for all parts
                    or ("topics" in q.inherited and "terms" not in q.inherited and q.terms and not q.kind_terms)):
                # (a part with a subject of its own asks its own thing: the whole question lends it
                # the place and the kind, not its topic — "…下面有几条？…市里县里怎么分工？")
                q = self.understand(part.question, jurisdiction=jurisdiction, doc_id=doc_id,
                                    history=(*history, scope_turn))
            shared = tuple(d for d in q.doc_ids if d in query.doc_ids)
            if not q.explicit_kind and query.explicit_kind and shared and shared != q.doc_ids:
                # the kind named once for all parts ("碳计量中心…，湖北和重庆怎么处理？湖北还有什么…？")
                q = replace(q, doc_ids=shared, kinds=query.kinds)
            answered = any(not d.abstained for _, d in drafts)  # (an earlier part the evidence answers)
            if (draft.abstained and q.followup and not answered) or (
                    draft.settled and _names_what_is_missing(part.question, draft)):
                # it leans on the whole question, which nothing answers, or asks about what the
                # settled abstention says the corpus lacks (an attachment it only names)
                drafts.append((part, draft))
                continue
            if q.followup:  # "要交哪些东西？": its own words say too little to be answered alone
                whole_hits = whole_hits if whole_hits is not None else self.retrieve(query)
                part_draft = self._compose(q, whole_hits)
                top = {(h.chunk.doc_id, h.chunk.article) for h in whole_hits[:3]}
                part_hits = whole_hits
                if (not draft.abstained and not any((c.doc_id, c.article) in top for c in part_draft.citations)
                        and not (part_draft.topic in q.topics and part_draft.topic != draft.topic)):
                    # off the question's evidence and no rule of a topic of its own ("…哪天发的？
                    # 啥时候生效？" → 施行日期): the whole question's answer stands for it
                    part_draft = draft
            else:
                part_hits = self.retrieve(q)
                part_draft = self._compose(q, part_hits)
            if (drafts and not part_draft.abstained
                    and covered(part_draft.citations, part_draft.values, draft.citations, draft.values)):
                # a later part only repeats the whole answer (which the first part's words lead):
                # what its own evidence says that the answer has not
                part_draft = unsaid(self.composer, q, part_hits, draft, retriever=self.retriever) or part_draft
            drafts.append((part, part_draft))
        return merge_parts(draft, drafts)

    def _compose(self, query: Query, hits) -> Draft:
        """The composer's draft, held against the retrieved evidence (evidence.review), with the
        computations the question asks of it (arith.compute), abstaining when it leaves the asked
        date or quantity unstated (slots.filled)."""
        draft = review(self.composer, query, hits, self.composer.compose(query, hits), retriever=self.retriever)
        draft = filled(self.composer, query, complete(self.composer, query, compute(self.composer, query, draft)))
        return compare_each(self, query, draft)

    def compose_one(self, query: Query) -> Draft:
        """A query retrieved and composed on its own (each.py: one document of a comparison)."""
        return self._compose(query, self.retrieve(query))

    def _check(self, text: str, draft: Draft) -> list[Check]:
        return check(text, table=self.table, docs=self.docs, doc_ids=draft.doc_ids or None, events=draft.events)

    def _checked(self, draft: Draft) -> tuple[str, list[Check]]:
        """Check the deterministic text; withhold any sentence with a contradicted claim."""
        text = draft.text
        checks = self._check(text, draft)
        for _ in range(3):
            bad = [c for c in checks if c.status == "contradicted"]
            if not bad:
                break
            log.warning("withholding contradicted claims: %s", [c.claim for c in bad])
            text = _withhold(text, [c.claim for c in bad])
            checks = self._check(text, draft)
        return text, checks

    def _generated(self, query: Query, draft: Draft, hits, text: str, checks: list[Check]) -> tuple[str, list[Check]]:
        """The generator's text when the checker finds nothing contradicted in it; otherwise the
        deterministic text with a note saying why."""
        from .llm import GeneratorError, build_messages

        messages = build_messages(query, draft, hits, docs={d.id: d for d in self.docs}, table=self.table)
        try:
            generated = self.generator.complete(messages)
        except GeneratorError as exc:
            note = f"注：生成服务不可用（{exc}），以下为基于条文的回答。"
            return f"{text}\n\n{note}", checks
        generated = quotes_as_written(generated, [d for d in self.docs if d.id in draft.doc_ids] or self.docs)
        gen_checks = self._check(generated, draft)
        bad = [c for c in gen_checks if c.status == "contradicted"]
        if bad:
            log.warning("generated answer contradicted: %s", [(c.claim, c.expected) for c in bad])
            note = (f"注：生成式回答中有{len(bad)}处内容与条文不符，已被核对拦截；"
                    "以上为基于条文的确定性回答。").replace(f"{len(bad)}处", "部分" if len(bad) > 1 else "一处")
            fallback = f"{text}\n\n{note}"
            return fallback, self._check(fallback, draft)
        return generated, gen_checks


def _names_what_is_missing(part: str, draft: Draft) -> bool:
    """A part names what a settled abstention is about: most of the bigrams of a title it
    names (《…》) are in the part — or the abstention names none."""
    titles = re.findall(r"《([^》]+)》", draft.text.split("\n")[0])
    asked = bigrams(part)
    return not titles or any(len(bigrams(t) & asked) >= 0.5 * len(bigrams(t)) for t in titles if bigrams(t))


def _withhold(text: str, claims: list[str]) -> str:
    """Replace each sentence (or table row) holding a contradicted claim."""
    out = []
    for line in text.split("\n"):
        if not any(c and c in line for c in claims):
            out.append(line)
            continue
        if line.startswith("|"):
            out.append("| " + WITHHELD + " |")
            continue
        parts = re.split(r"(?<=[。;；])", line)
        out.append("".join(WITHHELD if any(c in p for c in claims) else p for p in parts))
    return "\n".join(out)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def answer_to_dict(answer: Answer) -> dict:
    """The DESIGN.md Answer JSON."""
    return {
        "question": answer.question,
        "answer": answer.answer,
        "intent": answer.intent,
        "jurisdictions": list(answer.jurisdictions),
        "abstained": answer.abstained,
        "citations": [asdict(c) for c in answer.citations],
        "values": [dict(v) for v in answer.values],
        "checks": [asdict(c) for c in answer.checks],
        "timings_ms": dict(answer.timings_ms),
        "topic": answer.topic,
        "doc_ids": list(answer.doc_ids),
        "parts": [asdict(p) for p in answer.parts],
    }


def answer_from_dict(data: dict) -> Answer:
    """An Answer from Answer JSON (what the API returns), for renderers that take typed answers;
    missing fields get their defaults."""
    from .types import Citation

    def citation(c: dict) -> Citation:
        return Citation(doc_id=c.get("doc_id", ""), title=c.get("title", ""), jurisdiction=c.get("jurisdiction", ""),
                        article=c.get("article", ""), quote=c.get("quote", ""), start=int(c.get("start") or 0),
                        end=int(c.get("end") or 0))

    def check(c: dict) -> Check:
        return Check(claim=c.get("claim", ""), status=c.get("status", ""), rule_id=c.get("rule_id", ""),
                     expected=c.get("expected", ""))

    return Answer(question=data.get("question", ""), answer=data.get("answer", ""), intent=data.get("intent", ""),
                  jurisdictions=tuple(data.get("jurisdictions") or ()), abstained=bool(data.get("abstained")),
                  citations=tuple(citation(c) for c in data.get("citations") or ()),
                  values=tuple(data.get("values") or ()), checks=tuple(check(c) for c in data.get("checks") or ()),
                  timings_ms=dict(data.get("timings_ms") or {}), topic=data.get("topic", ""),
                  doc_ids=tuple(data.get("doc_ids") or ()),
                  parts=tuple(AnswerPart(text=p.get("text", ""), intent=p.get("intent", ""), topic=p.get("topic", ""),
                                         abstained=bool(p.get("abstained")), citations=tuple(p.get("citations") or ()))
                              for p in data.get("parts") or ()))

