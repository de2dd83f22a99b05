"""Question understanding: what is asked, about which jurisdictions and documents.

``understand(question, docs=…)`` reads a question into a ``Query``: jurisdictions (names,
鄂/渝/津, cities mapped to their province), the documents in scope (by kind: 碳计量中心 /
计量数据中心·基地 / 规划), the intent, the rules-table topics, and the dates, scores,
durations and facts about the user's own unit that the question carries. Follow-ups inherit
jurisdiction, document and topic from earlier user turns.

All cue words live in ``assistant/data/intents.yaml`` (and places in
``understand_places.yaml``), read into dataclasses by ``assistant/vocabulary.py``; nothing here
knows a particular document.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace

from .errors import BadQuestionError
from .jurisdictions import ALIASES, corpus_names, find_spans, place_candidates, resolve
from .normalize import normalize_query
from .numbers import find_quantities
from .types import Document
from .vocabulary import DATA_DIR, VOCABULARY_SCHEMA, Vocabulary, load_vocabulary  # noqa: F401 (re-exported)

INTENTS = ("numeric", "eligibility", "timeline", "task", "procedure", "comparison", "revocation", "other")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_CLAUSE = re.compile(r"[?？。;；!！]+")


@dataclass(frozen=True)
class Fact:
    """Something the user says about their own unit ("没有独立法人资格", "去年出过数据安全事故")."""

    feature: str  # legal_person | authorization | entity | violation | blacklist | safety_incident
    polarity: int  # +1 has / is, -1 has not / is not (for events: +1 = it happened)
    text: str  # the words that said it
    value: str = ""  # entity type for `entity`
    years_ago: float | None = None  # for events, when said ("两年前", "去年")


@dataclass(frozen=True)
class Query:
    """A question as understood; every field is plain data the composer reads."""

    question: str  # as asked (trimmed)
    text: str  # normalised
    intent: str
    jurisdictions: tuple[str, ...] = ()  # corpus jurisdictions asked about, in order of mention
    foreign: tuple[str, ...] = ()  # places named that no document covers (广东, 北京 …)
    notes: tuple[str, ...] = ()  # e.g. "武汉属于湖北省，适用湖北省的办法。"
    kinds: tuple[str, ...] = ()  # document kinds named (carbon, data, plan), in order
    doc_ids: tuple[str, ...] = ()  # documents in scope
    missing_kind: tuple[str, ...] = ()  # named jurisdictions that have no document of the asked kind
    topics: tuple[str, ...] = ()  # rules-table topic keys, most specific first
    clause_topics: tuple[str, ...] = ()  # the best topic of each asked part ("满分多少？多少分算合格？")
    asked_units: tuple[str, ...] = ()
    asks_number: bool = False  # the question asks for a number or date (几年, 多少, 哪天 …)
    dates: tuple[dt.date, ...] = ()
    years: tuple[int, ...] = ()
    scores: tuple[float, ...] = ()  # the user's own scores ("考了78分")
    durations: tuple[tuple[float, str], ...] = ()  # elapsed time the user states ("筹建了两年半")
    facts: tuple[Fact, ...] = ()
    subjects: tuple[str, ...] = ()  # subjects the corpus may not cover (收费, 补贴 …)
    metadata: str = ""  # a manifest field asked for (doc_number, issued, issuer)
    all_jurisdictions: bool = False
    explicit_kind: bool = False  # the kind came from this question, not from history
    followup: bool = False
    inherited: tuple[str, ...] = ()  # which fields came from earlier turns
    language: str = "zh"  # zh | en
    injection: bool = False  # the question tries to override the rules
    terms: str = ""  # the question's subject words (for lexical matching), folded
    # (terms, the subject words without the user's story around the question) — see asked_grams
    asked_terms: tuple[str, str] = ("", "")
    kind_terms: bool = False  # the terms are only the document kind's name ("那天津的计量数据中心呢？")
    meaningless: bool = False  # nothing readable (emoji, garbage)
    # short forms the question writes (双碳), read as their long forms in a document that never
    # writes them (intents.yaml short_forms; the segmenter may split them: 双碳计量 → 双/碳计量)
    short_forms: tuple[str, ...] = ()


# ------------------------------------------------------------------------------ document kinds

def doc_kind(doc: Document, vocab: Vocabulary | None = None) -> str:
    """A document's kind key (carbon/data/plan) from its manifest title or kind."""
    vocab = vocab or load_vocabulary()
    for key, kind in vocab.doc_kinds.items():
        if any(cue in doc.meta.title for cue in kind.title):
            return key
    for key, kind in vocab.doc_kinds.items():
        if doc.meta.kind in kind.kinds:
            return key
    return doc.meta.kind


def kind_name(key: str, vocab: Vocabulary | None = None) -> str:
    vocab = vocab or load_vocabulary()
    return vocab.doc_kinds[key].name if key in vocab.doc_kinds else key


# ------------------------------------------------------------------------------ matching

def _fold(text: str) -> str:
    return indefinite(normalize_query(text).lower())


# 几 opening a clause is "some", not "how many", when another clause of the question does the
# asking ("几家单位想联合筹建，申报由谁出面？"): written 若干 so that no number cue reads it
_CLAUSES = re.compile(r"[^，,；;。？?！!]+[，,；;。？?！!]?")
_OPENING_JI = re.compile(r"^(?:有|好)?几(?=[家个项位名种条次所])")
# … and inside a clause telling what the user means to do ("想联合几家单位一起申报…，"): "several"
_MEANT_JI = re.compile(r"(?:想|打算|准备|计划)(?!知道|问|了解|请教|咨询|确认|核实)[^，,；;。？?！!]{0,6}?几(?=[家个项位名种条次所])")
_ASKS_OTHER = re.compile(r"谁|什么|哪些|哪个|哪里|哪儿|怎么|怎样|如何|吗|是否|能否|可否|能不能|行不行|可不可以")


# 这几年/那几家/近几年/前几天/好几个: "these few", never "how many"
_SOME = re.compile(r"(?<=[这那近前好])几(?=[年个天家项位名种条次月])")


def indefinite(text: str) -> str:
    text = _SOME.sub("若干", text)
    clauses = _CLAUSES.findall(text)
    if len(clauses) < 2:
        return text
    out = []
    for n, clause in enumerate(clauses):
        others = "".join(c for m, c in enumerate(clauses) if m != n)
        if _ASKS_OTHER.search(others) and not _ASKS_OTHER.search(clause) and not re.search(r"[?？]", clause):
            if _OPENING_JI.match(clause):
                clause = _OPENING_JI.sub(lambda m: m.group(0).replace("几", "若干"), clause, count=1)
            else:
                clause = _MEANT_JI.sub(lambda m: m.group(0)[:-1] + "若干", clause, count=1)
        out.append(clause)
    return "".join(out)


GAP = 8  # a cue written "取消…资格" matches its parts with at most this many characters between


@functools.lru_cache(maxsize=256)  # _hits runs for every cue list on every question
def _gapped(cue: str) -> re.Pattern:
    parts = [re.escape(p) for p in cue.split("…") if p]
    return re.compile(rf"[^，,。？?！!；;]{{0,{GAP}}}?".join(parts))


def _hits(text: str, cues) -> list[tuple[int, str]]:
    """Non-overlapping cue matches, longest cue first: (position, cue). A cue with "…" in it
    matches its parts in order within one clause ("取消…资格" in 取消我们的中心资格)."""
    taken = [False] * len(text)
    out = []
    for cue in sorted({str(c).lower() for c in cues or ()}, key=len, reverse=True):
        if not cue:
            continue
        if "…" in cue:
            for m in _gapped(cue).finditer(text):
                if not any(taken[m.start():m.end()]):
                    for i in range(m.start(), m.end()):
                        taken[i] = True
                    out.append((m.start(), cue))
            continue
        start = 0
        while True:
            pos = text.find(cue, start)
            if pos < 0:
                break
            end = pos + len(cue)
            if cue.isascii() and cue[0].isalpha():  # English cues match whole words only
                if (pos and text[pos - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
                    start = pos + 1
                    continue
            if len(cue) == 1 and any(m.start() <= pos < m.end() for m in _NOT_ASKING.finditer(text)):
                start = pos + 1  # (几 of 几何量 / 几乎 asks nothing)
                continue
            if not any(taken[pos:end]):
                for i in range(pos, end):
                    taken[i] = True
                out.append((pos, cue))
            start = pos + 1
    return sorted(out)


# words that hold a one-character question cue without asking anything (几何 geometry, 几乎 almost)
_NOT_ASKING = re.compile(r"几何|几乎")


def _any(text: str, cues) -> bool:
    return bool(_hits(text, cues))


def has_cue(text: str, cues) -> bool:
    """Whether any of a vocabulary list's cue words occurs in the text (how every cue list of
    intents.yaml is read)."""
    return _any(text, cues)


def shared_run(a: str, b: str) -> int:
    """The length of the longest run of characters of ``a`` that ``b`` writes too."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK runs (and lower-cased Latin words) of a text."""
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    out.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", text))
    return out


@functools.lru_cache(maxsize=2048)  # ~2.5 KB per article (its set; the strings are shared): ~5 MB
def text_bigrams(text: str) -> frozenset[str]:
    """bigrams() of a document text, cached: the same articles are scored question after question.
    The bigram strings are interned: every article of a corpus shares one copy of each (the sets
    of 4,096 articles held 28 MB of duplicate two-character strings at 100× the shipped corpus)."""
    return frozenset(map(sys.intern, bigrams(text)))


@dataclass
class Lexicon:
    """Bigram document frequencies over the corpus articles: weighted lexical coverage."""

    df: Counter = field(default_factory=Counter)
    n: int = 1

    @classmethod
    def from_docs(cls, docs: list[Document]) -> "Lexicon":
        df: Counter = Counter()
        n = 0
        for doc in docs:
            for art in doc.articles:
                df.update(bigrams(art.text))
                n += 1
        return cls(df=df, n=max(n, 1))

    def idf(self, gram: str) -> float:
        df = self.df.get(gram, 0)
        if not df:  # a word no document uses (often question phrasing): little weight
            return 0.5
        return math.log(1 + self.n / (1 + df))

    def coverage(self, terms: str | set[str], text: str) -> float:
        """Share (idf-weighted) of the query's bigrams that occur in ``text``, 0..1."""
        q = terms if isinstance(terms, set) else bigrams(terms)
        if not q:
            return 0.0
        t = text_bigrams(text)
        # fsum: exact, so the same whatever order the set is walked in (a plain sum over a set
        # of strings differs in the last bit from one process to the next — PYTHONHASHSEED —
        # and ties between sentences broke differently run to run)
        total = math.fsum(self.idf(g) for g in q)
        return math.fsum(self.idf(g) for g in q & t) / total if total else 0.0


    def match(self, terms: str | set[str], text: str) -> float:
        """How well ``text`` and the query say the same thing: the harmonic mean of the share of
        the query's bigrams in ``text`` and of ``text``'s bigrams in the query (idf-weighted), so
        a long sentence does not win by containing many words."""
        q = terms if isinstance(terms, set) else bigrams(terms)
        t = text_bigrams(text)
        common = math.fsum(self.idf(g) for g in q & t)
        if not common:
            return 0.0
        recall = common / math.fsum(self.idf(g) for g in q)
        precision = common / math.fsum(self.idf(g) for g in t)
        return 2 * recall * precision / (recall + precision)


def _kind_names(t: str, cues) -> list[str]:
    """The kind's names a (folded) question uses, in order of first use, longest match first."""
    found: list[tuple[int, str]] = []
    for cue in sorted((str(c).lower() for c in cues if len(str(c)) >= 3), key=len, reverse=True):
        at = t.find(cue)
        if at >= 0 and not any(a <= at < a + len(c) for a, c in found):
            found.append((at, cue))
    return [c for _, c in sorted(found)]


# the user's story of who asked them and what they are doing with the answer
_CHATTER = re.compile(r"(?:领导|老板|上级|同事|主任|处长)(?:让|要|叫|请|问)我(?:把)?|"
                      r"(?:帮我|让我)?(?:查一下|查查|梳理一下|整理一下|看一下)")


# the issuing regulator's name, written all through its document (省市场监管局, 市市场监管委; not a
# county's 区县局 or 所在地市场监管部门, which a question may well ask about)
_REGULATOR = re.compile(r"(?:省|市)(?:市场监管|市场监督管理)(?:局|委员会|委)")


# a clause telling the user's own story: first person, no question word, no figure of theirs
_FIRST_PERSON = re.compile(r"我|咱们|本单位|我司")
_ASKING = re.compile(r"[?？吗呢吧]|什么|啥|哪|几|多少|多久|多长|怎么|怎样|如何|是否|能否|要不要|有没有|是不是|能不能|"
                     r"可不可以|可以|需不需要|算不算|会不会|行不行|够不够|对不对|\d")
STORY_KEEP = 2  # subject words (2+ characters) the question must keep without its story


def without_story(question: str) -> str:
    """The question without the clauses that only tell the user's story ("我们县里要组织学习…，
    我负责做课件，…：文件一共列了几大主要任务？" → "…文件一共列了几大主要任务？")."""
    clauses = re.split(r"(?<=[，,。；;：:！!])", question)
    kept, telling = [], False
    for c in clauses:  # a first-person clause that asks nothing, and the clauses going on with it
        telling = not _ASKING.search(c) and (telling or bool(_FIRST_PERSON.search(c)))
        if not telling:
            kept.append(c)
    return "".join(kept) if kept else question


# the spoken "not finished" forms, folded onto the documents' 未完成/不能…完成: "还没筹建完",
# "三年到了还建不完" (a verb of at most two characters before 完)
_UNFINISHED = re.compile(r"(?:还|仍)?没有?([\u4e00-\u9fff]{0,2}?)完(?![成善整全毕])")
_CANNOT_FINISH = re.compile(r"([\u4e00-\u9fff]{0,2}?)不完(?![整全善])")


def subject_terms(text: str, *, vocab: Vocabulary, drop: tuple[str, ...] = (), keep_kinds: bool = False,
                  across: bool = False) -> str:
    """The question's subject words: synonyms folded onto document wording, then names,
    kind words, intent cues and stop words removed (what is left says *what* is asked).

    A document kind's first name says which documents; a second, different name of the same
    kind in a question about one place is what it asks about ("碳计量中心包不包括能源计量中心？",
    "…数据基地的民生计量数据应用"); across places (``across``) each place has its own name."""
    t = _CHATTER.sub(" ", _fold(text))  # ("领导让我查一下": who asked the user is no subject)
    t = _REGULATOR.sub(" ", t)  # (nor the regulator every article names: 省市场监管局 says who, not what)
    t = _UNFINISHED.sub(lambda m: f" 未完成{m.group(1)} ", t)  # 还没筹建完 → 未完成筹建
    t = _CANNOT_FINISH.sub(lambda m: f" 不能完成{m.group(1)} ", t)  # 建不完 → 不能完成
    for src, dst in sorted(vocab.synonyms.items(), key=lambda kv: -len(kv[0])):
        t = t.replace(str(src).lower(), f" {str(dst).lower()} ")
    t = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日|\d+(\.\d+)?", " ", t)
    remove: list[str] = list(drop)
    for kind in vocab.doc_kinds.values():
        if kind.strip and not keep_kinds:  # document names say which, not what
            named = _kind_names(t, kind.cues)
            kept = set() if across else set(named[1:]) - {c for c in named[1:] if c in named[0]}
            remove += [c for c in kind.cues if len(c) >= 3 and str(c).lower() not in kept]
    remove += list(vocab.all_jurisdictions)
    for name in ("numeric", "timeline"):
        remove += list(vocab.intents.of(name).strong)
    stop = {str(w).lower() for w in vocab.stopwords}
    for cue in sorted({str(c).lower() for c in remove if c and len(str(c)) >= 2}, key=len, reverse=True):
        t = t.replace(cue, " ")
    words = []
    for word in _words(t):  # whole words only: no bigram straddles two words ("在碳", "量上")
        if len(word) >= 2 and word not in stop and word not in words:
            words.append(word)
    return " ".join(words)


def _words(text: str) -> list[str]:
    """jieba words (and their dictionary sub-words) of a text, as the retriever cuts them."""
    try:
        from .tokenize import tokenize
    except ImportError:  # pragma: no cover - the retrieval package ships tokenize
        return re.findall(r"[\u4e00-\u9fff]{2,}|[a-z]{3,}", text)
    return [w for w in tokenize(text) if _CJK.search(w) or re.fullmatch(r"[a-z]{3,}", w)]


# ------------------------------------------------------------------------------ understanding

def understand(
    question: str,
    *,
    docs: list[Document],
    history=(),
    jurisdiction: str | None = None,
    doc_id: str | None = None,
    topic_units: dict[str, set[str]] | None = None,
    vocab: Vocabulary | None = None,
    max_chars: int = 2000,
) -> Query:
    """Read a question (and the earlier user turns of ``history``) into a Query.

    ``topic_units`` maps the rules table's topic keys to the units their rules use; cues for
    topics the table does not know are ignored. Raises BadQuestionError for an empty or
    over-long question.
    """
    vocab = vocab or load_vocabulary()
    if question is None or not str(question).strip():
        raise BadQuestionError("问题为空，请输入一个问题。 The question is empty: ask something.")
    question = str(question).strip()
    if len(question) > max_chars:
        raise BadQuestionError(
            f"问题过长（{len(question)}字），请精简到{max_chars}字以内。"
            f" The question has {len(question)} characters; the limit is {max_chars}."
        )
    previous: Query | None = None
    for turn in history or ():
        role = turn.get("role") if isinstance(turn, dict) else getattr(turn, "role", "")
        content = turn.get("content") if isinstance(turn, dict) else getattr(turn, "content", "")
        if role != "user" or not content or not str(content).strip():
            continue
        try:
            q = _parse(str(content).strip()[:max_chars], docs=docs, vocab=vocab, topic_units=topic_units)
        except BadQuestionError:
            continue
        previous = _inherit(q, previous, docs=docs, vocab=vocab) if previous else q
    query = _parse(question, docs=docs, vocab=vocab, topic_units=topic_units)
    if previous is not None:
        query = _inherit(query, previous, docs=docs, vocab=vocab)
    if jurisdiction or doc_id:
        query = _apply_filters(query, docs=docs, vocab=vocab, jurisdiction=jurisdiction, doc_id=doc_id)
    return query


def _parse(question: str, *, docs: list[Document], vocab: Vocabulary, topic_units) -> Query:
    text = _fold(question)
    language = "en" if not _CJK.search(text) and _LATIN.search(text) else "zh"
    meaningless = not (_CJK.search(text) or re.search(r"[A-Za-z]{2,}", text))
    known = []
    for d in docs:
        if d.meta.jurisdiction not in known:
            known.append(d.meta.jurisdiction)
    mentions, foreign, notes = _places(question, text, known=known, docs=docs, vocab=vocab)
    jurisdictions = [name for _, name in mentions]
    kind_mentions = _kind_mentions(text, vocab)
    for pos, _ in mentions:  # "鄂碳和渝碳": a kind's short cue right after a one-character abbreviation
        for key, kind in vocab.doc_kinds.items():
            if (any(text.startswith(c, pos + 1) for c in kind.short)
                    and not any(p == pos + 1 for p, _ in kind_mentions)):
                kind_mentions.append((pos + 1, key))
    kind_mentions.sort()
    kinds = list(dict.fromkeys(k for _, k in kind_mentions))
    all_j = _any(text, vocab.all_jurisdictions)
    asking = _without_premise(text, vocab)  # "几家联合申报的话谁牵头？" asks who, not how many
    topics, clause_topics, asked_units = _topics(_WHICH.sub("哪些", text), vocab, topic_units,
                                                 asking=_WHICH.sub("哪些", asking))
    if not topics and _EFFECTIVE.search(text) and _OF_DOCUMENT.search(text) and (
            topic_units is None or EFFECTIVE_TOPIC in topic_units):
        topics = [EFFECTIVE_TOPIC]  # "这个办法到底从哪天开始正式执行？": when the document takes effect
    quantities = find_quantities(spoken_dates(normalize_query(question)))
    dates = tuple(dt.date.fromisoformat(q.value) for q in quantities if q.unit == "date")
    years = tuple(int(q.value) for q in quantities if q.unit == "年份")
    scores = _scores(normalize_query(question), quantities, vocab)
    durations = tuple((float(q.value), q.unit) for q in quantities
                      if q.unit in ("年", "个月", "日", "天", "工作日", "个工作日") and q.comparator == "="
                      and not isinstance(q.value, tuple) and _elapsed(normalize_query(question), q))
    facts = _facts(text, quantities, vocab)
    subjects = tuple(s.name for s in vocab.subjects if _asks_subject(text, s.cues, scores))
    metadata = next((k for k, cues in vocab.metadata.items() if _any(text, cues)), "")
    if not metadata and language == "zh" and _ISSUED.search(text):
        metadata = "issued"
    injection = _any(text, vocab.injection)
    num_cues = vocab.intents.of("numeric")
    # weak cues are nouns (期限, 周期): a question asking which items, how or who ("改成哪些方式？")
    # does not ask for a number because it names one of them
    counting = SEVERAL.sub("些", _WHICH.sub("哪些", asking))  # 哪几项 asks which items, not how many
    weak = [c for c in num_cues.weak if _any(counting, (c,))]
    weak_number = any(len(c) == 1 for c in weak) or (bool(weak) and not _any(text, vocab.asks_other))
    asks_number = bool(asked_units or _any(counting, num_cues.strong) or weak_number
                       or _any(asking, vocab.intents.of("timeline").strong))
    doc_ids, missing = _scope(jurisdictions, kinds, docs, vocab, explicit_j=bool(jurisdictions),
                              paired=_pair_kinds(mentions, kind_mentions))
    multi_docs = len(jurisdictions) >= 2 or (len(kinds) >= 2 and len(doc_ids) >= 2)
    intent = _intent(text, vocab, multi=multi_docs, all_j=all_j, has_date=bool(dates or years),
                     topics=topics, explicit_j=len(jurisdictions))
    told = without_story(question)
    if told != question and intent != "comparison":
        # the asked clauses say what is asked; the user's story around them ("要写材料引用…") does not
        intent = _intent(_fold(told), vocab, multi=multi_docs, all_j=all_j, has_date=bool(dates or years),
                         topics=topics, explicit_j=len(jurisdictions), cued=True) or intent
    if (intent == "numeric" and topics and "target" not in topics and not asks_number and not dates and not years
            and not scores and _WHAT.search(text)):
        # a topic word routed it to a number ("建成后主要干啥？" names the construction period) while
        # it asks what, not how many or how long: what the documents say answers it
        intent = "other"
    if (intent in ("eligibility", "procedure", "task") and topics and topic_units and asked_units
            and set(asked_units) & _unit_family(topic_units.get(topics[0], ()))):
        # "筹建期加上能申请的最长延期，一共多少年？": a number in the unit of the topic it names is
        # asked, whatever verb (申请) the topic's phrase carries
        intent = "numeric"
    if intent == "revocation" and _WHO.search(text) and not _GROUNDS_ASKED.search(text):
        intent = "other"  # "撤销又是谁管？" asks who decides, not on what grounds: the article saying who
    if (intent in ("revocation", "other") and any(f.feature != "entity" for f in facts)
            and _APPLYING.search(text) and not _REVOKING.search(text)):
        # "两年前出过数据安全事故被处理过，会不会影响申报？": the applicant's own case against the
        # conditions for applying, not grounds for revoking a centre
        intent = "eligibility"
    drop = tuple(jurisdictions) + tuple(foreign) + tuple(d.meta.province for d in docs if d.meta.province)
    places = _place_words(known, names_of(docs)) + tuple(vocab.places)  # cities name where, not what
    terms = subject_terms(question, vocab=vocab, drop=drop + places, across=multi_docs or all_j)
    asked_terms = ""
    if told != question and intent != "comparison":  # the question without the user's story around it ("我负责做课件…"), when
        # what is left still names a subject ("我们中心搬了新址，要报告吗？" has none without its story;
        # a comparison's story says what is compared: "我在做重庆和湖北…政策的对比")
        asked_terms = subject_terms(told, vocab=vocab, drop=drop + places, across=multi_docs or all_j)
        if len([w for w in asked_terms.split() if len(w) >= 2]) < STORY_KEEP:
            asked_terms = ""
    kind_terms = not terms
    if kind_terms:  # "碳计量中心是什么？": the document kind is the subject
        terms = subject_terms(question, vocab=vocab, drop=drop + places, keep_kinds=True)
    return Query(
        question=question, text=text, intent=intent, jurisdictions=tuple(jurisdictions),
        foreign=tuple(foreign), notes=tuple(notes), kinds=tuple(kinds), doc_ids=tuple(doc_ids),
        missing_kind=tuple(missing), topics=tuple(topics), clause_topics=tuple(clause_topics), asked_units=tuple(asked_units), dates=dates,
        years=years, scores=scores, durations=durations, facts=facts, subjects=subjects, metadata=metadata,
        all_jurisdictions=all_j, explicit_kind=bool(kinds), language=language, injection=injection,
        asks_number=asks_number,
        terms=terms, asked_terms=(terms, asked_terms), kind_terms=kind_terms, meaningless=meaningless,
        short_forms=tuple(w for w in vocab.short_forms if w in text),
    )


def spoken_dates(text: str) -> str:
    """Dates as people type them, written out in full: "23年8月15号" → "2023年8月15日"
    (a two-digit year is this century's; 号 is the spoken 日)."""
    text = re.sub(r"(?<![\d月])(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})号", r"\1月\2日", text)
    text = re.sub(r"(?<!\d)(\d{2})年(?=\d{1,2}月\d{1,2}日)", r"20\1年", text)
    # "25.10.10批筹", "25-10-10": a two-digit year with month and day (not a decimal like 3.5)
    text = re.sub(r"(?<![\d.\-/])(\d{2})[.\-/](1[0-2]|0?[1-9])[.\-/]([12]\d|3[01]|0?[1-9])(?![\d.\-/])",
                  r"20\1年\2月\3日", text)
    # a month-day without a year where the question writes one year on its own and no full date
    # ("11月3日收到…最晚哪天？2025年的事") is in that year
    years = set(re.findall(r"(?<!\d)(20\d\d)年(?!\d{1,2}月)", text))
    if len(years) == 1 and not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text):
        year = years.pop()
        text = re.sub(r"(?<![\d年])(\d{1,2})月(\d{1,2})日", lambda m: f"{year}年{m.group(1)}月{m.group(2)}日", text)
    return text


def _place_words(known: list[str], names=()) -> tuple[str, ...]:
    words = []
    for j in known:
        words += [j, j + "省", j + "市"]
    for _, aliases in names:
        words += [a for a in aliases if len(a) >= 2]
    return tuple(words) + ("本省", "本市", "省局", "市局")


def names_of(docs: list[Document]):
    """``corpus_names`` of a corpus (its jurisdictions and their aliases; cached per corpus)."""
    return corpus_names(docs)


_IN_CORPUS: dict[tuple, bool] = {}


def _in_corpus(docs: list[Document], word: str) -> bool:
    """Does any document use this word? (cached: asked only for words that look like places)"""
    key = (id(docs), len(docs), docs[0].id if docs else "", word)
    if key not in _IN_CORPUS:
        if len(_IN_CORPUS) > 4096:
            _IN_CORPUS.clear()
        _IN_CORPUS[key] = any(word in d.text or word in d.meta.title for d in docs)
    return _IN_CORPUS[key]


COMMON_WORD_FREQ = 100  # jieba frequency from which a word is ordinary (听说, 才能, 公司); place names
# jieba knows are rarer (岭北 3, 苍梧 34, 云岭 60) and so still read as places before 省/市/这边


def _common(word: str) -> bool:
    """A common word, or any word the dictionary knows as something other than a name (会务, 法务:
    nouns, however rare — "我们会务这边" names no place)."""
    try:
        from .tokenize import NAME_TAGS, word_frequency, word_tag
    except ImportError:  # pragma: no cover - the retrieval package ships tokenize
        return False
    freq = word_frequency(word)
    return freq >= COMMON_WORD_FREQ or (freq > 0 and word_tag(word) not in NAME_TAGS | {""})


def _places(question: str, text: str, *, known, docs, vocab) -> tuple[list[tuple[int, str]], list[str], list[str]]:
    """Corpus jurisdictions named, as (position, name) (cities → their province); places no
    document covers; notes.

    The corpus' own jurisdictions and aliases are read like the built-in places (any name:
    岭西省, 澜州市, 青岚自治区 …); where two names overlap the longer wins. A word that reads as a
    place without being a known one (岭北省, 澜州这边) is a place no document covers."""
    names = names_of(docs)
    spans = find_spans(normalize_query(question), names=names)
    found: list[str] = []
    positions = []
    taken = []
    for start, end, name in spans:
        taken.append((start, end))
        if name not in found:
            found.append(name)
            positions.append((start, name))
    for city, province in vocab.places.items():
        if city in found:
            continue
        for m in re.finditer(re.escape(city), text):
            if not any(m.start() < e and s < m.end() for s, e in taken):  # 岭西省 is not the city 岭西
                positions.append((m.start(), city))
                taken.append((m.start(), m.end()))
                break
    # a one-character abbreviation right before a document kind ("渝碳计量中心", "津计量数据中心")
    kind_cues = [c for kind in vocab.doc_kinds.values() for c in kind.cues if len(c) >= 3]
    # (or a run of them: "鄂渝碳计量中心", "渝比鄂碳计量中心"), or before 这边/那边 ("渝这边")
    singles = {a: canon for canon, aliases in ALIASES.items() for a in aliases if len(a) == 1}
    singles.update({a: canon for canon, aliases in names for a in aliases if len(a) == 1})
    chars = "".join(re.escape(a) for a in singles)
    after = "|".join(re.escape(c) for c in [*kind_cues, "这边", "那边", "这里", "那里", "国家", "省级", "市级"])
    run = re.compile(rf"(?:(?<![\u4e00-\u9fff])|(?<=[的和与及、]))([{chars}](?:[比和与及、跟]?[{chars}]){{0,2}})(?={after})")
    # a run of two or more abbreviations stands on its own ("鄂渝津这几个办法"): no word is made of them
    runs = rf"(?:(?:(?<![\u4e00-\u9fff])|(?<=[的和与及、比]))([{chars}](?:[比和与及、跟]?[{chars}]){{1,3}})|([{chars}]{{3,4}}))"
    spans = [(m.start(1), m.group(1)) for m in run.finditer(text)] if chars else []
    for m in re.finditer(runs, text) if chars else ():
        g = 1 if m.group(1) else 2
        spans.append((m.start(g), m.group(g)))
    for at, letters in spans:
        for k, ch in enumerate(letters):
            pos = at + k
            canon = singles.get(ch)
            if not canon or canon in found or any(pos < e and s <= pos for s, e in taken):
                continue
            positions.append((pos, canon))
            taken.append((pos, pos + 1))
            found.append(canon)
    taken += [(m.start(), m.end()) for m in re.finditer(f"[{chars}]", text)] if chars else []  # 赣国家 is not a place
    kind_spans = [(pos, pos + len(cue)) for pos, cue in _hits(text, [c for kind in vocab.doc_kinds.values()
                                                                    for c in kind.cues])]
    for pos, name in place_candidates(text, taken=taken + kind_spans, kind_cues=kind_cues,
                                      in_corpus=lambda w: _in_corpus(docs, w), common=_common):
        positions.append((pos, name))
    positions.sort()
    provinces_of = {}
    for d in docs:
        if d.meta.province:
            provinces_of.setdefault(d.meta.province, []).append(d.meta.jurisdiction)
    jurisdictions, foreign, notes = [], [], []
    where: dict[str, int] = {}
    pos = 0

    def add(j):
        if j not in jurisdictions:
            jurisdictions.append(j)
            where[j] = pos

    for pos, name in positions:
        if name in known:
            add(name)
        elif name in provinces_of:  # a province whose only document is a city's (山东 → 东营)
            for city in provinces_of[name]:
                add(city)
            notes.append(f"语料中{name}只有{'、'.join(provinces_of[name])}（{name}的地级市）的文件。")
        elif name in vocab.places and vocab.places[name] in known:
            province = vocab.places[name]
            if any(d.meta.jurisdiction == province and d.meta.level == "省" for d in docs):
                add(province)
                notes.append(f"{name}属于{province}，适用{province}的省级文件。")
            else:
                foreign.append(name)
        elif name in vocab.places and vocab.places[name] in provinces_of:
            foreign.append(name)
            notes.append(f"{name}属于{vocab.places[name]}，语料中{vocab.places[name]}只有"
                         f"{'、'.join(provinces_of[vocab.places[name]])}的文件，不适用于{name}。")
        elif name not in foreign:
            foreign.append(name)
    return [(where[j], j) for j in jurisdictions], [f for f in foreign if f not in jurisdictions], notes


def _kind_mentions(text: str, vocab: Vocabulary) -> list[tuple[int, str]]:
    """(position, kind) of every document-kind cue; a longer cue of one kind masks a shorter
    cue of another at the same place (碳计量中心 is not 计量数据)."""
    spans = []
    for key, kind in vocab.doc_kinds.items():
        for pos, cue in _hits(text, kind.cues):
            spans.append((pos, pos + len(cue), key))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, taken_end = [], -1
    for start, end, key in spans:
        if start < taken_end:
            continue
        out.append((start, key))
        taken_end = end
    return out


def _pair_kinds(mentions, kind_mentions) -> dict[str, list[str]]:
    """Kinds written after a jurisdiction and before the next one belong to it
    ("湖北碳计量中心和天津计量数据中心")."""
    paired: dict[str, list[str]] = {}
    ordered = sorted(mentions)
    for n, (pos, name) in enumerate(ordered):
        end = ordered[n + 1][0] if n + 1 < len(ordered) else 10**9
        own = [k for p, k in kind_mentions if pos <= p < end]
        if own:
            paired[name] = list(dict.fromkeys(own))
    return paired


def _scope(jurisdictions, kinds, docs, vocab, *, explicit_j: bool, paired=None) -> tuple[list[str], list[str]]:
    """Documents in scope: each named jurisdiction's documents of the named kinds (all of its
    documents when it has none of them); with no jurisdiction, every document of the kinds."""
    out, missing = [], []
    if jurisdictions:
        for j in jurisdictions:
            jdocs = [d for d in docs if d.meta.jurisdiction == j]
            own = (paired or {}).get(j) or kinds
            chosen = [d for d in jdocs if doc_kind(d, vocab) in own] if own else jdocs
            if own and not chosen:
                missing.append(j)
                chosen = jdocs
            out += [d.id for d in chosen if d.id not in out]
        return out, missing
    chosen = [d for d in docs if doc_kind(d, vocab) in kinds] if kinds else list(docs)
    return [d.id for d in chosen], missing


# the issue date asked in any order of when-word and issuing verb ("什么时间印发", "印发时间",
# "出台于哪年"), besides the metadata cues of intents.yaml
_WHEN = r"(?:什么时间|什么时候|啥时候|啥时间|何时|哪天|哪一天|哪年|哪一年|几月|几号|哪个月)"
_ISSUING = r"(?:印发|发布|出台|颁布|下发|公布|发文)"
_ISSUED = re.compile(rf"{_WHEN}.?{_ISSUING}|{_ISSUING}(?:时间|日期|于|是在|是)?{_WHEN}|{_ISSUING}(?:时间|日期)|"
                     rf"\d[日号](?:正式)?{_ISSUING}的?[，,]?(?:吗|吧|对吧|对吗|是吗|没错)")  # "是2025年8月1日印发的吗？"


# the effective date asked with words between the when-word and the verb ("从哪天开始正式执行")
EFFECTIVE_TOPIC = "effective_date"
_EFFECTIVE = re.compile(rf"{_WHEN}.{{0,5}}?(?:施行|执行|实施|生效|实行)|(?:施行|生效)(?:日期|时间)")
_OF_DOCUMENT = re.compile(r"办法|文件|意见|规定|方案|细则|通知|这个|这份")


_APPLYING = re.compile(r"申请|申报|报名|apply|application")
_REVOKING = re.compile(r"撤销|取消|摘牌|吊销|revok|cancel")


_PREMISE = re.compile(r"[^，,。？?；;！!]*?的话[，,]?|(?:如果|要是|假如|假设|若是|倘若)[^，,。？?；;！!]*[，,]")


def _without_premise(text: str, vocab: Vocabulary) -> str:
    """The question without a conditional premise ("…的话") when what is left still asks
    something: the premise's quantities and cues state the case, they are not what is asked."""
    rest = _PREMISE.sub("", text)
    if rest == text or not _any(rest, (*vocab.question_words, *vocab.part_words)):
        return text
    return rest


HEAD, HEAD_GAP = 2, 1  # a noun's head comes last: "验收申请初审" is about 初审
ANCHOR = 0.5
_AFTER = re.compile(r"(?:资料|材料)?(?:以后|之后|后)")


def _topics(text: str, vocab: Vocabulary, topic_units, *, asking: str | None = None
            ) -> tuple[list[str], list[str], list[str]]:
    """Topic keys by score (each asked part's best first), each part's best, and the units asked
    for (read from ``asking``, the question without its premise, when given)."""
    asking = text if asking is None else asking
    asked = [u for u, cues in vocab.asked_units.items() if _any(asking, cues)]
    known = set(topic_units) if topic_units else None
    ordered: list[str] = []
    overall: Counter = Counter()
    for clause in [c for c in _CLAUSE.split(text) if c.strip()] or [text]:
        clause_asked = [u for u, cues in vocab.asked_units.items() if u in asked and _any(clause, cues)]
        asked_parts = [p for p in re.split(r"[,，、]", clause) if _any(p, vocab.question_words)]
        scores: Counter = Counter()
        found = {}
        for key, topic in vocab.topics.items():
            if known is not None and key not in known:
                continue
            hits = _hits(clause, topic.cues)
            if hits:
                found[key] = hits
        for key, hits in found.items():
            topic = vocab.topics[key]
            score = sum(len(c) for _, c in hits) * topic.weight
            if any(_any(p, topic.cues) for p in asked_parts):
                score *= 2
            others = [(p, p + len(c)) for other, h in found.items() if other != key for p, c in h]
            if any(0 <= pos - end <= HEAD_GAP and clause[end:pos] in ("", "的")
                   and not any(a <= pos and pos + len(c) <= b for a, b in others)  # (not inside another topic's word)
                   for _, end in others for pos, c in hits):
                score *= HEAD  # "验收申请初审时限": the later of two topic words written together is the one asked about
            if len(found) > 1 and all(_AFTER.match(clause, pos + len(c)) for pos, c in hits):
                score *= ANCHOR  # "收到验收申请后几天内初审？": what it happens after is not what is asked
            units = (topic_units or {}).get(key, set())
            if clause_asked and units and set(clause_asked) & _unit_family(units):
                score *= 1.6
            scores[key] = score
        overall.update(scores)
        if scores:
            best = max(scores.items(), key=lambda kv: kv[1])[0]
            if best not in ordered:
                ordered.append(best)
    per_clause = list(ordered)
    ordered += [k for k, _ in overall.most_common() if k not in ordered]
    return ordered, per_clause, asked


def _unit_family(units) -> set[str]:
    fam = set()
    for u in units:
        fam.add(u)
        fam.update({"年": {"年", "个月"}, "个月": {"个月", "年"}, "日": {"日", "天"}, "天": {"日", "天"},
                    "个工作日": {"工作日"}, "工作日": {"工作日"}, "年份": {"年"}, "date": {"年"}}.get(u, set()))
    return fam


_WHAT = re.compile(r"干啥|干什么|做什么|做啥|干嘛|哪些|谁|哪个部门|哪个单位|哪一级|哪级")  # (not 什么: "合格线是什么？" asks a number)
_WHO = re.compile(r"谁|哪个部门|哪个单位|哪一级|哪级|who\b", re.IGNORECASE)
# a date the user gives as the end of a period, which the turn's own reading handles (in_time)
_EXPIRY = re.compile(r"[日号][^，,。？?]{0,6}(?:到期|届满|期满|截止|结束)")
# what a revocation question asks when it asks the grounds or the consequence
_GROUNDS_ASKED = re.compile(r"情形|情况|后果|会怎|怎么处理|怎么办|会被|会不会|哪些")


# words right before a number of points that make it a mark, not the user's score
_MARK_BEFORE = re.compile(r"(?:没到|不到|达不到|没达到|未达到|未达|没过|不够|够不到|低于|不足|超过|高于|以上|below|under)$")


# a figure of points followed by whether it passes is the user's own ("79分，算过了吗？")
_PASSED_ASKED = re.compile(r"[，,]?\s*(?:这|那)?(?:算|能|可以|是不是)?(?:过了|过|合格|及格|通过|达标)(?:了)?(?:吗|没|不|么)")


# a score the assessment gave ("现场考核才78分", "刚出分，78分") or one said to fall short ("78分，
# 差两分没到合格线"): the user's own
_SCORED_BY = re.compile(r"(?:考核|出分|得分|分数|打分|评分|考)[^，,。？?\d满合及线总是为]{0,2}[，,]?$")
_SHORT_BY = re.compile(r"[，,]?\s*(?:差|少|只差)(?:[一两二三四五六七八九十\d]+)分")


def _scores(text: str, quantities, vocab) -> tuple[float, ...]:
    verbs = vocab.score_verbs
    out = []
    for q in quantities:
        if q.unit != "分" or isinstance(q.value, tuple) or q.comparator != "=":
            continue
        before = text[max(0, q.start - 4):q.start]
        after = text[q.end:q.end + 8]
        # a score the user got ("考了72分"), or one they ask how far short it is ("72分。差几分？":
        # nobody is short of the document's own figure)
        if _MARK_BEFORE.search(before):  # "还是没到80分": the mark they missed, not their score
            continue
        if (any(before.endswith(v) or v in before for v in verbs) or _any(after, vocab.gap_words)
                or _PASSED_ASKED.match(after) or _SCORED_BY.search(before) or _SHORT_BY.match(after)):
            out.append(float(q.value))  # (… or whether it passes: "现场考核79分，算过了吗？")
    # a bare number right after a score verb ("验收考了78，差两分…"): a score out of 100
    for v in verbs:
        for m in re.finditer(re.escape(v) + r"(\d{1,3}(?:\.\d)?)(?![\d.]|\s*[年月日号天个项条人家%分])", text):
            if 0 < float(m.group(1)) <= 100 and float(m.group(1)) not in out:
                out.append(float(m.group(1)))
    return tuple(out)


def _asks_subject(text: str, cues, scores) -> bool:
    """A subject cue the question uses, other than as the step that gave the user's score or
    result ("整改完复核还是79分", "复核时还是没过" are a re-assessment, not an appeal)."""
    for pos, cue in _hits(text, cues):
        after = text[pos + len(cue):pos + len(cue) + 8]
        if "…" in cue or not (any(re.search(rf"(?<![\d.]){x:g}(?![\d.])", after) for x in scores)
                              or _OUTCOME.match(after)):
            return True
    return False


# the result a step gave the user ("复核时还是没过"): the step is told, not asked about
_OUTCOME = re.compile(r"[时后的]?(?:还是|还|也|又|仍然|仍|依然)?(?:没过|没通过|未通过|不合格|没合格|不过|通过了|过了)")


def _elapsed(text: str, q) -> bool:
    """A duration the user reports having spent ("筹建了两年半", "筹建两年半了") or states to be
    checked ("筹建期是不是4年", "一般给5年时间")."""
    before = text[max(0, q.start - 4):q.start]
    after = text[q.end:q.end + 2]
    return bool(re.search(r"(了|已经|已|过了|是|为|给|就)$", before) or after.startswith("了") or "筹建" in before)


def _facts(text: str, quantities, vocab) -> tuple[Fact, ...]:
    years_ago = None
    for word, n in vocab.years_ago.items():
        if word in text:
            years_ago = n
    for q in quantities:
        if q.unit == "年" and q.comparator == "before" and not isinstance(q.value, tuple):
            years_ago = float(q.value)
    facts: list[Fact] = []
    masked = text
    for feature in ("legal_person", "authorization"):
        f = vocab.fact(feature)
        neg = _hits(masked, f.negative)
        if neg:
            facts.append(Fact(feature, -1, neg[0][1]))
            for _, cue in neg:
                masked = masked.replace(cue, " " * len(cue))
            continue
        pos = _hits(masked, f.positive)
        if pos:
            facts.append(Fact(feature, +1, pos[0][1]))
    for type_name, cues in vocab.fact("entity").types.items():
        hit = _hits(text, cues)
        if hit:
            facts.append(Fact("entity", +1, hit[0][1], value=type_name))
    for feature in ("blacklist", "safety_incident", "violation"):
        hit = _hits(masked, vocab.fact(feature).events)
        if hit:
            neg = re.search(r"(没有|没|未|无|从未|不曾)[^,，。;；]{0,4}$", masked[:hit[0][0]])
            facts.append(Fact(feature, -1 if neg else +1, hit[0][1], years_ago=years_ago))
            for _, cue in hit:
                masked = masked.replace(cue, " " * len(cue))
    return tuple(facts)


_WORKING_DAYS = re.compile(r"工作日")
_WHICH = re.compile(r"哪几(?!年|月)")  # 哪几项 asks which items; 哪几年 asks years
SEVERAL = re.compile(r"[这那好]几|几乎")  # "那几句原话", "运行好几年了": they point or tell, not ask


def _intent(text: str, vocab: Vocabulary, *, multi: bool, all_j: bool, has_date: bool, topics, explicit_j,
            cued: bool = False) -> str:
    """The intent the question's cue words give (a comparison when it names several places);
    without any cue, a number when it names a rules topic. ``cued``: "" without any cue."""
    spec = vocab.intents
    scores = {}
    plain = _WORKING_DAYS.sub("日", text)  # a unit, not the task cue 工作 ("7个工作日")
    # 哪几项 asks which items, not how many; "那几句原话" points at them ("这几个办法" still compares)
    counting = SEVERAL.sub("些", _WHICH.sub("哪些", text))
    for name in spec.order:
        cues = spec.of(name)
        t = counting if name == "numeric" else text if name == "timeline" else plain
        s = 2 * len(_hits(t, cues.strong)) + len(_hits(t, cues.weak))
        if multi:
            s += len(_hits(t, cues.multi))
        scores[name] = s
    if explicit_j >= 2 or all_j or (multi and scores["comparison"] > 0):
        return "comparison"
    if scores["timeline"] > 0 and has_date:
        return "timeline"
    if topics:  # without a date to compute from, "哪天/截止时间" asks for a topic's stated value
        scores["numeric"] += scores["timeline"]
    scores["timeline"] = 0
    scores["comparison"] = 0 if not multi else scores["comparison"]
    best = max(spec.order, key=lambda n: (scores[n], -spec.order.index(n)))
    if scores[best] > 0:
        return best
    if cued:
        return ""
    return "numeric" if topics else "other"


def single_intent(query: Query, vocab: Vocabulary) -> str:
    """What a comparison asks of each document on its own: the intent its words give when no
    comparison is read into them ("…的递交渠道有什么区别？" asks each document its route)."""
    return _intent(query.text, vocab, multi=False, all_j=False, has_date=bool(query.dates or query.years),
                   topics=query.topics, explicit_j=1)


# ------------------------------------------------------------------------------ follow-ups

_FAILING = re.compile(r"没过|没通过|不通过|未通过|不合格|没合格|不及格|没达到|达不到|没达标|不达标|\bfails?\b|\bfailed\b|"
                      r"没有?[\u4e00-\u9fff]{1,2}?完(?![成善整全毕])|[\u4e00-\u9fff]不完|"
                      r"(?:can't|cannot|can not|couldn't|unable to|don't|do not|doesn't|not) (?:finish|complete)",
                      re.IGNORECASE)
_POINTS_BACK = re.compile(r"呢[,，]|这么久|这么多|这么长|也一样|一样吗|也这样|也是这样|也是这么")


def is_followup(query: Query, vocab: Vocabulary) -> bool:
    f = vocab.followup
    t = query.text.strip()
    starts = any(t.startswith(p) for p in f.prefixes)
    ends = any(t.rstrip("?？ ").endswith(s.rstrip("?？")) for s in f.suffixes)
    short = len(t) <= f.max_chars
    back = bool(_POINTS_BACK.search(t))  # "天津那个呢，也是这么久？": the same question of a new subject
    return starts or ends or back or (short and not query.topics) or (not query.jurisdictions and not query.kinds)


def _inherit(query: Query, prev: Query, *, docs, vocab) -> Query:
    """Fill what a follow-up leaves out (jurisdiction, document kind, topic, intent) from the
    previous turn's understanding."""
    if not is_followup(query, vocab) or query.foreign:
        return query
    changes: dict = {}
    inherited = []
    jurisdictions = query.jurisdictions
    if not jurisdictions and prev.jurisdictions and not query.all_jurisdictions:
        jurisdictions = prev.jurisdictions
        inherited.append("jurisdictions")
    kinds, explicit_kind = query.kinds, query.explicit_kind
    if not kinds and prev.kinds:
        kinds, explicit_kind = prev.kinds, False
        inherited.append("kinds")
    no_subject = not query.topics and query.intent in ("other", "numeric") and not query.subjects
    # a follow-up with subject words and a question word of its own ("主题是啥？" after
    # "第几个？"; not "那天津的计量数据中心呢？") asks about them:
    # it keeps its own intent instead of taking the earlier turn's topic and number
    own_subject = (bool(query.terms) and query.intent == "other"
                   and bool(re.search(r"什么|啥|哪些|哪个|谁", query.question)))
    if _FAILING.search(query.question) and len(query.question) <= vocab.followup.max_chars + 6 and (
            no_subject or not set(query.topics) - set(prev.topics)) and (prev.terms or prev.topics):
        # "要是没过呢？", "What if it fails?": what follows from failing the earlier turn's subject
        # (its words and the failing ones), not its number again
        terms = " ".join(dict.fromkeys((prev.terms + " " + query.terms).split()))
        changes.update(topics=(), clause_topics=(), asks_number=False, terms=terms,
                       intent=query.intent if query.intent not in ("numeric", "other", "comparison") else "other")
        inherited += ["terms"]
    elif no_subject and not own_subject and (prev.topics or prev.intent != "other"):
        changes.update(topics=prev.topics, clause_topics=prev.clause_topics, asked_units=prev.asked_units,
                       asks_number=prev.asks_number or query.asks_number)
        inherited.append("topics")
        intent = prev.intent
        if intent == "comparison" and len(jurisdictions) < 2 and not query.all_jurisdictions:
            intent = "numeric" if prev.topics else "other"
        if len(jurisdictions) >= 2 and query.jurisdictions:
            intent = "comparison"
        changes["intent"] = intent
        if (not query.terms or query.kind_terms) and prev.terms:  # ("那重庆的碳计量中心呢？" names only which)
            changes.update(terms=prev.terms, kind_terms=prev.kind_terms)
            inherited.append("terms")
        if not query.facts and prev.facts:
            changes["facts"] = prev.facts
    # the user's own dates and scores hold for the whole conversation ("我们2024年5月6日拿到批复。"
    # … "那验收申请最晚啥时候递？"; "差几分？" after "…考了72分")
    if not query.dates and prev.dates and not _EXPIRY.search(prev.question):
        changes["dates"] = prev.dates  # (not an expiry: "2027年9月30日到期" read as an approval date misleads)
        if changes.get("intent", query.intent) in ("numeric", "other") and _intent(
                query.text, vocab, multi=False, all_j=False, has_date=True, topics=query.topics,
                explicit_j=len(query.jurisdictions)) == "timeline":
            changes["intent"] = "timeline"  # a date to compute from, given earlier
    if not query.scores and prev.scores:
        changes["scores"] = prev.scores
    if not inherited:
        return replace(query, **changes) if changes else query
    doc_ids, missing = _scope(list(jurisdictions), list(kinds), docs, vocab, explicit_j=bool(jurisdictions))
    return replace(query, jurisdictions=tuple(jurisdictions), kinds=tuple(kinds), explicit_kind=explicit_kind,
                   doc_ids=tuple(doc_ids), missing_kind=tuple(missing), followup=True,
                   inherited=tuple(inherited), **changes)


def _apply_filters(query: Query, *, docs, vocab, jurisdiction, doc_id) -> Query:
    """--jurisdiction / doc_id given by the caller narrow the scope."""
    if doc_id:
        from .corpus import get_document

        doc = get_document(docs, doc_id)
        return replace(query, jurisdictions=(doc.meta.jurisdiction,), doc_ids=(doc.id,), missing_kind=(),
                       foreign=())
    known = []
    for d in docs:
        if d.meta.jurisdiction not in known:
            known.append(d.meta.jurisdiction)
    j = resolve(jurisdiction, known, aliases=names_of(docs))
    doc_ids, missing = _scope([j], list(query.kinds), docs, vocab, explicit_j=True)
    intent = query.intent
    if intent == "comparison" and len(query.jurisdictions) < 2 and len(doc_ids) < 2:
        intent = "numeric" if query.topics else "other"
    return replace(query, jurisdictions=(j,), doc_ids=tuple(doc_ids), missing_kind=tuple(missing), intent=intent)
