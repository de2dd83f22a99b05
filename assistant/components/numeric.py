"""Numbers: the rules-table value of the asked topic with its article quote (and a pass/fail
verdict for a score the user gives); plan/news quantities whose sentence best matches.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..normalize import normalize_query
from ..numbers import find_quantities, format_value, gap_unit, normalise
from ..rules import target_year
from ..types import Article, Document
from ..understand import Query, has_cue, subject_terms, text_bigrams
from ..writer import (Draft, Writer, MATCH, LABEL, SENT, AT_ONCE as _AT_ONCE, FURTHER as _FURTHER, article_quantities,
                      date_cn, sentence_spans, span_in)

from .abstain import abstain_topic
from .goals import goals

if TYPE_CHECKING:
    from ..compose import Composer

PASS_SCORE = "pass_score"  # the rule a user's score is held against


def asked_topics(ctx: "Composer", q: Query) -> list[str]:
    topics = [t for t in (q.clause_topics or q.topics) if ctx.has_topic(t)]
    if not topics:
        topics = [t for t in q.topics if ctx.has_topic(t)]
    return topics


PERIOD = re.compile(r"多长时间|多久|多长|几年|几个月|几天")
PERIOD_UNITS = {"年", "个月", "日", "天", "工作日", "个工作日"}
RULE_MATCH = 0.05  # a rule's sentence must share this much with the question (Lexicon.match) …
CLEAR_WINNER = 1.3  # … and say it clearly better than any other topic's rule


# the frame a period question asks in, against the rule's comparator: a span to finish within
# ("多长时间内搞完" ↔ 3年内), a lead time before a deadline ("提前多久" ↔ 届满3个月前), a cycle
# ("多久一次" ↔ 每5年)
_FRAMES = (("<=", re.compile(r"(?:多长时间|多久|多长|几年|几个月|几天|多少天)(?:以)?[内里]|最多|最长|不超过"
                             # a span given to do it in ("给多长时间把中心建起来", "有5年时间可以慢慢建")
                             r"|给[^，,。？?]{0,3}(?:多长时间|多久|几年|几个月|几天)"
                             r"|(?:\d+|[一二两三四五六七八九十半]+)(?:个)?(?:年|月|天|日|工作日)(?:的)?(?:时间|之内|以内)")),
           ("before", re.compile(r"提前(?:多久|多长|几)|(?:多久|多长时间|几个月|几天|几年)(?:以)?前")),
           ("every", re.compile(r"(?:多久|几年|多长时间)一次|每(?:几|隔)|隔(?:几|多久)")))
FRAME_FIT, FRAME_MISFIT = 1.5, 0.5


def _frame(text: str) -> str:
    return next((name for name, rx in _FRAMES if rx.search(text)), "")


def offered_period(q: Query) -> bool:
    """A period the user offers for confirmation ("是不是有5年时间可以慢慢建？", "是不是要拖上一个
    月？"): the question asks the period rule, whatever words it tells its subject in."""
    from ..arith import YES_NO

    return bool(YES_NO.search(q.text)) and any(
        x.unit in PERIOD_UNITS and x.comparator in ("=", "<=", "<") and not isinstance(x.value, tuple)
        for x in find_quantities(normalize_query(q.text)))


def offered_unit_first(ctx: "Composer", q: Query, topics: list[str], scope: list) -> list[str]:
    """A yes/no question offering a period ("整改期是不是可以超过一年？") whose named topic's rules
    are in another unit (限期3个月整改) while the step that follows it is in the offered one
    (不超过一年整改): that step first."""
    from ..arith import YES_NO

    if not YES_NO.search(q.text):
        return topics
    offered = {x.unit for x in find_quantities(normalize_query(q.text)) if x.unit in PERIOD_UNITS}
    ids = [d.id for d in scope]
    if len(offered) != 1 or any(r.unit in offered for r in ctx.rules(topics[0], ids)):
        return topics
    nxt = ctx.vocab.follows.get(topics[0])
    if nxt and any(r.unit in offered for r in ctx.rules(nxt, ids)):
        return [nxt] + [t for t in topics if t != nxt]
    return topics


# the score fell short of the mark ("分数没过线的话…", "差两分没到合格线"): the step for that case
MISSED_MARK = re.compile(r"没过线|没到线|没到合格线|不到合格线|没过合格线|没达到合格|达不到合格|不及格|没及格|"
                         r"(?:分数|得分|考分|分值)[^，,。？?]{0,4}?(?:不够|没达到|没到|低于|不到|没过)|差[一两二三四五六七八九十\d]+分")


def missed_mark_first(ctx: "Composer", q: Query, topics: list[str], scope: list) -> list[str]:
    """A score short of the pass mark, not yet rectified, asked with the step that follows the
    score's own step (不合格 → 不超过一年整改): the score's step first (低于80分限期3个月整改)."""
    if not MISSED_MARK.search(q.text) or RECTIFIED.search(q.text):
        return topics
    ids = [d.id for d in scope]
    before = [x for x, nxt in ctx.vocab.follows.items() if nxt == topics[0] and ctx.rules(x, ids)]
    return before[:1] + [t for t in topics if t not in before[:1]] if before else topics


def topic_from_rules(ctx: "Composer", q: Query, scope: list) -> str:
    """A question asking for a period whose words name no topic ("一共有多长时间来把建设工作做
    完？"), or offering one for confirmation (offered_period): the topic of the period rule, among
    the documents in scope, whose sentence says most nearly what the question says
    (Lexicon.match). The rules decide, not a cue list."""
    offered = offered_period(q)
    if not (PERIOD.search(q.text) or offered):
        return ""
    scores: dict[str, float] = {}
    frame = _frame(q.text)
    for d in scope:
        grams = ctx.qgrams(q, d)
        for rule in ctx.table.rules:
            if rule.doc_id != d.id or rule.unit not in PERIOD_UNITS or rule.topic in ("target", "other"):
                continue
            s, e = ctx.rule_span(rule)
            score = ctx.lexicon.match(grams, d.text[s:e])
            if offered and _untold_case(q, d.text[s:rule.start] if s <= rule.start <= e else ""):
                score *= CASE_UNTOLD
            if frame:
                score *= FRAME_FIT if rule.comparator == frame else FRAME_MISFIT
            cs, ce = span_in(d.text, rule.start, rule.end, s, e, SENT + ",，")  # (the figure's own clause)
            if other_stage(ctx, q.text, d.text[cs:ce]):
                score *= STAGE_MISFIT
            scores[rule.topic] = max(scores.get(rule.topic, 0.0), score)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1]) + [("", 0.0), ("", 0.0)]
    (topic, best), (_, second) = ranked[0], ranked[1]
    return topic if best >= RULE_MATCH and best >= CLEAR_WINNER * second else ""


_AFTER_EVENT = re.compile(r"\s*(?:以后|之后|后)")


def period_after_event(ctx: "Composer", q: Query, scope: list) -> str:
    """A period asked from an event and naming no topic ("批筹以后，一般给几年时间建？"): the
    topic the event needs (intents.yaml `timeline_events`), when documents in scope state it."""
    if not PERIOD.search(q.text):
        return ""
    found = []
    for event, entry in ctx.vocab.timeline_events.items():
        for cue in entry.cues:
            for m in re.finditer(re.escape(cue), q.text):
                if _AFTER_EVENT.match(q.text, m.end()):
                    found.append((m.start(), -len(cue), entry.needs))
    needs = [n for _, _, n in sorted(found)]
    return next((n for n in needs if ctx.rules(n, [d.id for d in scope])), "")


STAGE_MISFIT = 0.3  # a rule about another stage than the one the question names counts this much


def other_stage(ctx: "Composer", question: str, sentence: str) -> bool:
    """The question names a stage (筹建/验收 …) the rule's sentence does not, and the sentence
    names only other stages ("收到筹建申请后…" against "收到验收申请资料后7个工作日内…")."""
    asked = {w for w in ctx.vocab.stages if w in question}
    said = {w for w in ctx.vocab.stages if w in sentence}
    return bool(asked) and bool(said) and not asked & said


# a rule for a case ("因特殊原因不能在筹建期内完成筹建任务的,应…", "对现场考核不合格单位,…"): its
# case clause before the figure
_CASE = re.compile(r"^([^,，。;；]{6,})的[,，]|^对([^,，。;；]{4,})[,，]")
CASE_TOLD = 0.3  # share of the case clause's bigrams the question must write to tell that case …
CASE_UNTOLD = 0.5  # … else the rule for the case counts this much (the general rule answers)


def _untold_case(q: Query, before: str) -> bool:
    """The rule applies to a case its sentence names first ("因特殊原因不能…完成筹建任务的,") that
    the question does not tell: a period offered for confirmation without a case ("是不是一般给5年
    时间完成筹建？") is the general period's."""
    m = _CASE.match(before)
    if not m:
        return False
    case = text_bigrams(m.group(1) or m.group(2))
    return len(case & text_bigrams(q.text)) < CASE_TOLD * len(case)


_ISSUE = re.compile(r"印发|发布|出台|发文|下发|issued|published")
DATE_ASKED = re.compile(r"哪天|哪一天|什么时候|何时|几号|几月几[日号]|什么日子|what date|when")


def date_topic(ctx: "Composer", q: Query, scope: list) -> str:
    """A question asking for a date whose words name no topic ("办法哪天实施？"): the one topic
    whose rules in scope are dates (施行日期 in a regulation), when there is exactly one."""
    if not DATE_ASKED.search(q.text):
        return ""
    ids = {d.id for d in scope}
    rules = [r for r in ctx.table.rules if r.doc_id in ids and r.unit == "date" and r.topic not in ("target", "other")]
    topics = {r.topic for r in rules}
    if len(topics) != 1:
        return ""
    said = "".join(ctx.written(r) for r in rules)
    # the question is about the document itself: at most one short word besides the rule's own
    # ("哪天实施？", "哪天发的？"), not an event the documents may not have ("试行期什么时候到期？")
    other = [w for w in q.terms.split() if w not in said]
    return topics.pop() if len(other) <= 1 and all(len(w) <= 2 for w in other) else ""


def numeric(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    topics = [t for t in asked_topics(ctx, q) if t != "target"]
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    dated = not topics and date_topic(ctx, q, [d for d in scope if d.meta.kind == "regulation"])
    if dated:
        topics = [dated]
    elif topics[:1] == ["effective_date"] and len(topics) == 1 and (DATE_ASKED.search(q.text) or _ISSUE.search(q.text)):
        dated = "effective_date"  # "办法哪天实施？", "是不是印发当天就施行了？": the issue date too
    if topics and PERIOD.search(q.text) and len(re.findall(r"[?？]", q.text)) <= 1 and not any(
            r.unit in PERIOD_UNITS for t in topics for r in ctx.rules(t, [d.id for d in scope])):
        # one question asks a period ("没到合格线给多长时间整改？") but the topic a word named is no period
        # (合格线 → 合格分数): the period rule whose sentence says what the question says
        topic = topic_from_rules(ctx, q, [d for d in scope if d.meta.kind == "regulation"])
        topics = [topic] if topic else topics
    if not topics and q.scores and ctx.rules(PASS_SCORE, [d.id for d in scope]):
        topics = [PASS_SCORE]  # the user's own score ("72分，差几分？") is held against the pass mark
    if not topics and any(d.meta.kind == "regulation" for d in scope):
        regs = [d for d in scope if d.meta.kind == "regulation"]
        topic = topic_from_rules(ctx, q, regs) or period_after_event(ctx, q, regs)
        topics = [topic] if topic else []
    if not topics and not (q.asks_number or q.scores or q.dates or q.years or q.durations) and all(
            d.meta.kind == "regulation" for d in scope):
        # routed here by a topic word while asking no number ("…这个办法管得着吗？"): the evidence
        from .extractive import extractive  # (extractive hands date questions to numeric)

        return extractive(ctx, q, hits, out)
    if not topics or all(d.meta.kind != "regulation" for d in scope):
        return quantities(ctx, q, hits, out)
    if q.scores and (PASS_SCORE in (set(topics) | set(q.topics)) or ctx.rules(PASS_SCORE, [d.id for d in scope])):
        # the user's own score: whether it passes comes first (also under another topic's word:
        # "整改完复评还是79分呢？")
        topics = [PASS_SCORE] + [t for t in topics if t != PASS_SCORE]
    topics = offered_unit_first(ctx, q, topics, scope)
    topics = missed_mark_first(ctx, q, topics, scope)
    primary = topics[0]
    have = [d for d in scope if ctx.rules(primary, [d.id])]
    if not have and not q.asks_number:  # "搬家要报告吗？": what the documents say, without a number
        keywords = ctx.topics.topic(primary).keywords if ctx.topics.topic(primary) else ()
        said = [(d, ctx.mention(q, d, keywords)) for d in scope]
        said = [(d, m) for d, m in said if m]
        if said:
            for d, (art, s, e) in said:
                out.line(f"{ctx.who(d)}未规定具体的{ctx.label(primary)}，只规定：{ctx.quote_span(out, d, art, s, e)}。")
            return out.draft("other", topic=primary)
    if not have:
        if q.jurisdictions or len(scope) < len(ctx.doc_list):
            return abstain_topic(ctx, q, primary, out, scope, hits)
        return abstain_topic(ctx, q, primary, out, [d for d in scope if d.meta.kind == "regulation"])
    silent = [d for d in scope if d not in have and d.meta.kind == "regulation" and q.jurisdictions]
    shown, note = ctx.readable(have, hits)
    if note:  # many documents state it: the best-retrieved ones, and where to see them all
        scope = shown
    first = True
    for topic in topics[:3]:
        docs = [d for d in scope if ctx.rules(topic, [d.id])]
        shown = {(doc_id, label) for doc_id, label, *_ in out.citations}
        if not docs or (not first and all((d.id, r.article) in shown for d in docs for r in ctx.rules(topic, [d.id])[:1])):
            continue  # (stated already: as the step after the one before it)
        state_topic(ctx, q, topic, docs, out, lead=first)
        first = False
    extension = {"extension_max", "extension_lead_time"} & set(q.topics)
    if "extension_max" in topics[:3] or (extension and has_cue(q.text, ctx.vocab.total_words)):
        # the longest the whole construction may take (asked as such: 一共/最长…能拖几年)
        for d in scope:
            total = longest_period(ctx, d, out)
            if total:
                out.line(f"{ctx.who(d)}{total}" if len(scope) > 1 else total)
    for d in silent:
        out.line(f"{ctx.who(d)}未规定{ctx.label(primary)}。")
    if dated:  # a date asked without saying which: the issue date too (a manifest field)
        for d in scope:
            if d.meta.kind == "regulation" and getattr(d.meta, "issued", None):
                out.line(f"{ctx.name(d)}的印发日期：{date_cn(d.meta.issued)}（据语料清单）。")
    if note:
        out.line(note)
    return out.draft("numeric", topic=primary)


_ENUMERATED = re.compile(r"([^,，。:：;；?？]+?)(?:分别|各自|各)")


def enumerated(text: str) -> int:
    """How many things a question lists before 分别/各 ("计量标准、技术规范、标准物质分别啥目标？"
    asks three targets), or 0."""
    m = _ENUMERATED.search(text)
    items = [x for x in re.split(r"[、和及与]", m.group(1)) if x.strip()] if m else []
    return len(items) if len(items) >= 2 else 0


def longest_period(ctx: "Composer", doc: Document, out: Writer | None = None) -> str:
    """"合计：自批准筹建起最长4年（筹建期限3年＋延期上限1年）": the construction period and the
    longest extension added up, when both are periods of one unit family; the period's rule is
    quoted first (with ``out``) when the answer has not cited its article."""
    period = next(iter(ctx.rules("construction_period", [doc.id])), None)
    extension = next(iter(ctx.rules("extension_max", [doc.id])), None)
    if period is None or extension is None or isinstance(period.value, (list, tuple)):
        return ""
    (a, unit_a), (b, unit_b) = normalise(period.value, period.unit), normalise(extension.value, extension.unit)
    if unit_a != unit_b or unit_a != "个月":
        return ""
    months = a + b
    total = f"{months // 12:g}年" if months % 12 == 0 else f"{months:g}个月"
    basis = ""
    if out is not None and not any(c[0] == doc.id and c[1] == period.article for c in out.citations):
        basis = f"{ctx.label('construction_period')}：{ctx.quote_rule(out, period)}。"
    return (f"{basis}合计：自批准筹建起最长{total}（{ctx.label('construction_period')}{format_value(period.value, period.unit)}"
            f"＋{ctx.label('extension_max')}{format_value(extension.value, extension.unit)}）。")


def state_topic(ctx: "Composer", q: Query, topic: str, docs: list[Document], out: Writer, *, lead: bool) -> None:
    heads = [(d, ctx.headline(topic, d)) for d in docs]
    label = ctx.label(topic)
    verdict = score_verdict(ctx, q, topic, heads) if lead else ""
    same = len({ctx.value_key(r) for _, r in heads}) == 1
    shown = {c for c in out.citations}
    if all((d.id, r.article, *ctx.rule_span(r)) in shown for d, r in heads):
        for _, r in heads:  # already quoted for an earlier part of the question
            out.value(r)
        return
    if len(heads) == 1:
        d, r = heads[0]
        out.line(f"{verdict}{ctx.who(d)}规定（{label}）：{ctx.quote_rule(out, r)}。")
    else:
        if same:
            out.line(f"{verdict}{ctx.docs_phrase(docs)}的规定相同（{label}）：{ctx.written(heads[0][1])}。")
        else:
            out.line(f"{verdict}{ctx.docs_phrase(docs)}的规定不同（{label}）：")
        for d, r in heads:
            out.line(f"- {ctx.who(d)}：{ctx.quote_rule(out, r)}")
    below = verdict.startswith(("不", "整改后仍不合格"))
    if below:  # below the pass score: what follows (限期整改)
        for d, _ in heads:
            for r in ctx.rules("rectification_period", [d.id])[:1]:
                out.line(f"- {ctx.quote_rule(out, r)}")
    follows(ctx, q, topic if not below else "rectification_period", docs, out)
    if len(heads) == 1 and lead:
        rest_of_article(ctx, heads[0][0], heads[0][1].article, out)


SHORT_ARTICLE = 160  # characters of an article short enough to give whole with one of its rules


def rest_of_article(ctx: "Composer", d: Document, label: str, out: Writer) -> None:
    """A short article says one thing in two or three sentences ("80分及以上…合格。低于80分的，限期
    3个月整改…"): the sentences the answer has not quoted follow the rule, so its consequence
    or condition is not cut off."""
    art = d.article(label)
    if art is None or art.end - art.start > SHORT_ARTICLE:
        return
    quoted = [(c[2], c[3]) for c in out.citations if c[0] == d.id and c[1] == art.label]
    rest = [(s, e) for s, e in sentence_spans(d, art) if not any(a < e and s < b for a, b in quoted)]
    if rest:
        out.line("同条还规定：" + "".join(f"{ctx.quote_span(out, d, art, s, e)}。" for s, e in rest[:2]))


def follows(ctx: "Composer", q: Query, topic: str, docs: list[Document], out: Writer) -> None:
    """The next step of the procedure after a stated rule (intents.yaml `follows`: 限期3个月整改 →
    整改后仍不合格的, 不超过一年整改、再不合格取消筹建资格), quoted whole, when the question asks
    what happens next or about failing (follow_words), and not already said."""
    nxt = ctx.vocab.follows.get(topic)
    if not (has_cue(q.text, ctx.vocab.follow_words) or rectified_score(q) is not None):
        return
    shown = {(doc_id, label) for doc_id, label, *_ in out.citations}
    if not nxt:  # the rule's own article says what comes after it (延长时限不超过1年 → 对经延期仍未完成…撤销)
        for d in docs:
            for r in ctx.rules(topic, [d.id])[:1]:
                art = d.article(r.article)
                end = ctx.rule_span(r)[1]
                after = next(((s, e) for s, e in sentence_spans(d, art) if s >= end), None) if art else None
                if after and not any(c[0] == d.id and c[2] <= after[0] < c[3] for c in out.citations):
                    who = f"{ctx.who(d)}，" if len(docs) > 1 else ""
                    out.line(f"- {who}同条接着规定：{ctx.quote_span(out, d, art, *after)}")
        return
    for d in docs:
        if not ctx.rules(nxt, [d.id]) and ctx.rules(topic, [d.id]):  # the document has no such next step
            out.line(f"- {ctx.who(d)}没有规定{ctx.label(nxt)}。")
            out.use(d)
        for r in ctx.rules(nxt, [d.id])[:1]:
            art = d.article(r.article)
            if art is None or (d.id, r.article) in shown:
                continue
            body = LABEL.match(d.text, art.start)
            start = body.end() if body else art.start
            who = f"{ctx.who(d)}，" if len(docs) > 1 else ""
            out.line(f"- {who}其后：{ctx.quote_span(out, d, art, start, art.end)}")
            out.value(r)


# the rectification is over: 整改完/后…, 复评…, or a score 'still' given after it ("3个月整改，仍然只得了76分")
RECTIFIED = re.compile(r"整改(?:完|后|以后|之后|过了|结束)|复评|再评|重新评|复核|整改[^。？?]{0,12}?(?:还是|仍然|仍|依然)")


def rectified_score(q: Query) -> float | None:
    """The user's score written after they say the rectification is done ("整改3个月后复评78分",
    "整改完复评还是79分"), or None ("只得了76分，整改后至少要提几分" asks ahead)."""
    done = [m.end() for m in RECTIFIED.finditer(q.text)]
    if not done:
        return None
    for score in reversed(q.scores):
        for m in re.finditer(rf"(?<![\d.]){score:g}(?![\d.])", q.text):
            if m.start() >= done[0]:
                return score
    return None


def score_verdict(ctx: "Composer", q: Query, topic: str, heads) -> str:
    if topic != PASS_SCORE or not q.scores:
        return ""
    score = q.scores[0]
    verdicts = set()
    for _, r in heads:
        if r.comparator == ">=" and isinstance(r.value, (int, float)):
            verdicts.add(score >= r.value)
    if verdicts == {True}:
        return "算合格：您的得分达到合格分数。"
    if verdicts == {False}:
        passes = {r.value for _, r in heads if r.comparator == ">=" and isinstance(r.value, (int, float))}
        # "是不是直接就判不合格了？": below the pass mark is not yet the 不合格 conclusion — the
        # rectification comes first (the rule says 整改后仍达不到…的 才为不合格)
        at_once = bool(_AT_ONCE.search(q.text)) and any(
            _FURTHER.search(d.text[slice(*ctx.rule_span(r))])
            for d, _ in heads for r in ctx.rules("rectification_period", [d.id])[:1])
        head = "不会直接判为不合格，先限期整改" if at_once else "不算合格"
        after = rectified_score(q)
        if len(passes) == 1 and after is not None and after < min(passes):  # the score after the rectification
            need = passes.pop()
            # (what the conclusion is and what follows: the rules quoted below, in the document's words)
            return (f"整改后仍不合格：整改后您的得分{after:g}分，仍低于合格分数{need:g}分，还差{need - after:g}分"
                    f"（合格分数{need:g}分－您的得分{after:g}分），结论与其后的处理见下列条文。")
        if len(passes) == 1:  # one pass score: how far the user's is below it, worked out
            need = passes.pop()
            return (f"{head}：您的得分{score:g}分，距合格还差{need - score:g}分（合格分数{need:g}分－您的得分{score:g}分），"
                    f"{'整改后仍达不到的，现场考核结论才为不合格' if at_once else '应限期整改'}。")
        return f"{head}：您的得分低于合格分数，应限期整改。"
    return ""


def quantities(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    """Numbers of plan/news texts (targets, counts, years): the stated quantities whose
    sentence best matches the question; abstain when none does."""
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    cands = quantity_candidates(ctx, q, scope, ranks=evidence_ranks(q, hits))
    who = "、".join(ctx.who(d) for d in scope) or "所问的文件"
    if q.years and ORDINAL_ASKED not in q.text:  # "2026年是第几个？" asks an ordinal, not a target
        unstated = unstated_year(ctx, q, scope, out)
        if unstated is not None:
            return unstated
        cands = [c for c in cands if c[4] is None or c[4] in q.years]
    own = _own_subject_grams(ctx, q)
    good = [c for c in cands if c[0] >= MATCH and not _off_subject(ctx, own, c)]
    if good and asks_present(q) and all(c[4] is not None for c in good[:1]):
        # "现在已经培育了多少家？" asks what has been achieved; the text states a target
        c = good[0]
        d = ctx.docs[c[1]]
        out.line(f"{who}只给出了到{c[4]}年的目标，没有现有（已达到）的数量，无法回答。")
        out.line(f"文件中的目标是：{ctx.quote_span(out, d, c[2], c[6], c[7])}。")
        return out.draft("numeric", abstained=True)
    if not good:
        goal = goals(ctx, q, scope, out)  # a goal asked without a number: the goal sentences by year
        if goal is not None:
            return goal
        if not (q.asks_number or q.asked_units):  # "到2025年诚信计量方面说了什么？": no number is asked
            from .extractive import extractive

            return extractive(ctx, q, hits, out)
        out.line(f"{who}没有给出这一数字，无法回答。")
        others = [c for c in quantity_candidates(ctx, q, [d for d in ctx.doc_list if d not in scope])
                  if c[0] >= 0.6 and (not q.years or c[4] in q.years)]
        if others:
            c = others[0]
            d = ctx.docs[c[1]]
            out.line(f"{ctx.who(d)}有相关目标：{ctx.quote_span(out, d, c[2], c[6], c[7])}"
                     f"（这是{d.meta.jurisdiction}的目标，不适用于{'、'.join(x.meta.jurisdiction for x in scope)}）。")
        return out.draft("numeric", abstained=True)
    best = good[0][0]
    asks = max(1, sum(len(re.findall(re.escape(cue), q.text))
                      for cues in ctx.vocab.asked_units.values() for cue in cues
                      if len(cue) >= 2), enumerated(q.text))
    chosen, seen = [], set()
    for n, c in enumerate(good):
        if (c[0] < 0.85 * best and n >= asks) or len(chosen) >= 3:
            break
        key = (c[1], c[6], c[7])
        if key in seen:
            continue
        seen.add(key)
        chosen.append(c)
    chosen += other_subjects(ctx, q, cands, chosen, best)
    lines = []
    for score, doc_id, art, rule, year, _, s, e in chosen:
        d = ctx.docs[doc_id]
        if rule is not None:
            out.value(rule)
        elif ORDINAL_ASKED in q.text:
            for m in ORDINAL.finditer(d.text, s, e):  # the ordinal as stated: 第24个 → 24个
                out.values.append({"value": int(m.group(1)), "unit": "个", "comparator": "=", "text": m.group(0)})
        if rule is None and DATE_ASKED.search(q.text):  # the day as stated: 2023年5月20日 → 2023-05-20
            for qt in article_quantities(d.text[s:e]):
                if qt.unit == "date":
                    out.values.append({"value": str(qt.value), "unit": "date", "comparator": "=", "text": qt.text})
        lead = lead_sentence(ctx, d, art, s)
        when = f"到{year}年，" if year and f"{year}年" not in d.text[s:e] and (not lead or str(year) not in lead) else ""
        lines.append((d, f"{lead}{when}{ctx.quote_span(out, d, art, s, e)}"))
    d0, first = lines[0]
    out.line(f"{ctx.who(d0)}：{first}。")
    for d, text in lines[1:]:
        out.line(f"- 另有：{text}")
    gap = shortfall(ctx, q, chosen)
    if gap:
        out.line(gap)
    later = ordinal_for_year(ctx, q, chosen)
    if later:
        line, n = later
        out.line(line)
        out.values.append({"value": n, "unit": "个", "comparator": "=", "text": f"第{n}个"})
    art0 = chosen[0][2]
    if ctx.is_intro(art0.text):  # "提出了四项保障措施包括:" — name them
        for sib in ctx.following(d0, art0):
            s, e = ctx.heading_span(d0, sib)
            out.line(f"- {ctx.quote_span(out, d0, sib, s, e)}")
    return out.draft("numeric", topic="target")


# words that say when or how often, not what: a rule sharing only these with the question
# ("每年几月开始受理筹建申请？" against "每年11月…报送年度工作总结报告") is about something else
_FRAME_WORDS = re.compile(r"每年|每月|每季度|每半年|今年|明年|去年|开始|截止|什么时候|啥时候|时间|日期|一般|大概|通常|"
                          r"省局|市局|区局|县局|省里|市里|上面|上级|"  # (who receives it: the regulator, written out in the rule)
                          r"东西|事情|事儿|事项|玩意|[\u4e00-\u9fff]个")  # (and what names nothing: "交个东西")


def _own_subject_grams(ctx: "Composer", q: Query) -> set[str]:
    """Bigrams of the subject words the question itself writes (no synonym folded in: "交什么"
    is no subject of its own), without the frame words (_FRAME_WORDS)."""
    words = subject_terms(q.question, vocab=replace(ctx.vocab, synonyms={}),
                          drop=tuple(q.jurisdictions)).split()
    words = [w for w in words if len(w) >= 2 and not _FRAME_WORDS.fullmatch(w)]
    return set().union(*(text_bigrams(w) for w in words)) if words else set()


def _off_subject(ctx: "Composer", grams: set[str], cand) -> bool:
    """A regulation's rule whose article writes none of the question's own subject words."""
    _, doc_id, art, rule, *_ = cand
    if rule is None or ctx.docs[doc_id].meta.kind != "regulation":
        return False
    return bool(grams) and not grams & text_bigrams(art.text)


PRESENT = re.compile(r"现在|已经|目前|现有|至今|迄今|截至目前|截止目前|如今")
ASKING = re.compile(r"多少|几")


def asks_present(q: Query) -> bool:
    """The clause asking the number asks about now ("现在已经培育了多少家？"), and the question
    gives no figure of its own to compute with ("现在如果有1650项，还要新增多少？")."""
    given = [x for x in find_quantities(q.text) if x.unit not in ("date", "年份", "月份", "年月")]
    if given:
        return False
    return any(ASKING.search(c) and PRESENT.search(c) for c in re.split(r"[，,。；;？?！!]", q.text))


def shortfall(ctx: "Composer", q: Query, chosen: list) -> str:
    """"要是现在培育了4200家，还差多少？": the user's own figure against the target of the same
    unit, worked out (the checker recomputes 目标5000家－您给出的4200家 and verifies the target)."""
    if not has_cue(q.text, ctx.vocab.gap_words):
        return ""
    given = [x for x in find_quantities(normalize_query(q.text)) if x.comparator == "=" and not isinstance(x.value, tuple)
             and x.unit not in ("date", "年份", "月份", "年月")]
    for c in chosen:
        rule = c[3]
        if rule is None or rule.comparator not in (">=", "=") or isinstance(rule.value, (list, tuple)):
            continue
        mine = [x for x in given if x.unit == rule.unit and x.value < rule.value]
        if len(mine) == 1:
            target, have = rule.value, mine[0].value
            return (f"按您给出的{have:g}{rule.unit}计，距目标还差{target - have:g}{gap_unit(rule.unit)}"
                    f"（目标{target:g}{rule.unit}－您给出的{have:g}{rule.unit}）。")
    return ""


ORDINAL_ASKED = "第几"
ORDINAL = re.compile(r"第(\d+)个")
DATED_ORDINAL = re.compile(r"(\d{4})年[^。;]{0,12}?是第(\d+)个")


def ordinal_for_year(ctx: "Composer", q: Query, chosen: list) -> tuple[str, int] | None:
    """"2026年是第几个？" against "2023年5月20日是第24个…": a yearly ordinal moved by the years
    between (the reading stated: one a year)."""
    if ORDINAL_ASKED not in q.text or len(set(q.years)) != 1:
        return None
    asked = q.years[0]
    for c in chosen:
        m = DATED_ORDINAL.search(ctx.docs[c[1]].text, c[6], c[7])
        if m and int(m.group(1)) != asked:
            year, n = int(m.group(1)), int(m.group(2))
            if n + asked - year > 0:
                return (f"推算：按每年一个计，{asked}年是第{n + asked - year}个"
                        f"（{year}年是第{n}个，相差{asked - year}年）。", n + asked - year)
    return None
SUBJECT_GAIN = 0.15  # a further quantity must cover this much of the question no chosen one covers
MAX_QUANTITIES = 4


def other_subjects(ctx: "Composer", q: Query, good: list, chosen: list, best: float) -> list:
    """Quantities for the question's other subjects ("计量标准、技术规范、标准物质分别要做到多少？",
    "A和B的目标分别是多少？"): greedily, the next best candidate whose clause covers words of
    the question that no chosen clause covers. The question's words decide, not a count of cues."""
    out: list = []
    keys = {(c[1], c[6], c[7]) for c in chosen}
    for c in good:
        if len(chosen) + len(out) >= MAX_QUANTITIES or c[0] < 0.5 * best:
            break
        if (c[1], c[6], c[7]) in keys:
            continue
        d = ctx.docs[c[1]]
        grams = ctx.qgrams(q, d)
        covered: set[str] = set()
        for x in chosen + out:
            if x[1] == c[1]:
                covered |= grams & text_bigrams(d.text[x[6]:x[7]])
        gained = (grams - covered) & text_bigrams(d.text[c[6]:c[7]])
        total = math.fsum(ctx.lexicon.idf(g) for g in grams)
        if total and math.fsum(ctx.lexicon.idf(g) for g in gained) / total >= SUBJECT_GAIN:
            out.append(c)
            keys.add((c[1], c[6], c[7]))
    return out


def lead_sentence(ctx: "Composer", doc: Document, art: Article, pos: int) -> str:
    """A short heading sentence right before ``pos`` ("五是开展双碳标准计量试点行动。")."""
    s, _ = span_in(doc.text, pos, pos, art.start, art.end)
    if s <= art.start + 1:
        return ""
    ps, pe = span_in(doc.text, s - 2, s - 1, art.start, art.end)
    raw_start = ps
    while raw_start > art.start and doc.text[raw_start - 1] not in SENT:
        raw_start -= 1
    if pe - ps <= 24 and LABEL.match(doc.text, raw_start):
        return doc.text[ps:pe] + "："
    return ""


def years(ctx: "Composer", doc: Document) -> list[int]:
    return [int(y) for y in re.findall(r"到(\d{4})年", doc.text)]


def unstated_year(ctx: "Composer", q: Query, scope: list[Document], out: Writer) -> Draft | None:
    """A target year the question asks of plan/news texts that set targets for other years only
    ("2030年的阶段性目标是什么？" of a text with 到2025年 and 到2035年): an abstention naming the
    years they do set; None when a text writes an asked year at all (2023年5月20日 too)."""
    known_years = sorted({y for d in scope for y in years(ctx, d)})
    mentioned = any(f"{y}年" in d.text for d in scope for y in q.years)
    if not known_years or set(q.years) & set(known_years) or mentioned:
        return None
    who = "、".join(ctx.who(d) for d in scope) or "所问的文件"
    out.line(f"{who}只给出了{'、'.join(f'{y}年' for y in known_years)}的目标，"
             f"没有{'、'.join(f'{y}年' for y in q.years)}的目标，无法回答。")
    return out.draft("numeric" if q.intent in ("numeric", "other") else q.intent, abstained=True)


# a quantity of the asked kind (几月 → a month) in the articles retrieval ranks first, second,
# third gains this much, up to the bar of an answer: the retriever's ranking counts as evidence,
# not only shared words
# ("每年要给省局交什么、几月交？" shares few words with "每年11月…报送年度工作总结报告")
RANK_BONUS = (0.25, 0.15, 0.1)


def evidence_ranks(q: Query, hits) -> dict[tuple[str, str], int]:
    """(doc_id, article) → its place among the retrieved articles in scope (0 = first)."""
    scope = set(q.doc_ids)
    ranks: dict[tuple[str, str], int] = {}
    for h in hits or ():
        key = (h.chunk.doc_id, h.chunk.article)
        if (not scope or key[0] in scope) and key not in ranks:
            ranks[key] = len(ranks)
    return ranks


WHOLE_SENTENCE = 80  # characters of a plan sentence quoted whole for one of its figures


def quantity_candidates(ctx: "Composer", q: Query, scope: list[Document], *, ranks=None):
    """(score, doc_id, article, rule|None, year|None, paragraph, start, end), best first;
    ``ranks`` (evidence_ranks) lifts quantities of the asked kind in the best-retrieved articles."""
    asked = set(q.asked_units)
    date_asked = bool(DATE_ASKED.search(q.text))
    if date_asked:  # (a day asked is what the question asks)
        asked |= {"date"}
    if ORDINAL_ASKED in q.text:  # (and an ordinal: "那天是第几个世界计量日？")
        asked |= {"个"}
    ranks = ranks or {}
    out = []
    for d in scope:
        grams = ctx.qgrams(q, d)
        if not grams:
            continue
        views = ctx.gram_views(q, d)
        seen_spans = set()
        for art in d.articles:
            para_score = ctx.view_coverage(views, art.text)
            rules = ctx._by_article.get((d.id, art.label), [])
            quantities = [(r.start, r.end, r.unit, r) for r in rules if r.unit != "date"]
            years_here: dict[int, int] = {}
            if ORDINAL_ASKED in q.text:  # "第几个？": ordinals the text states (第24个“世界计量日”)
                for m in ORDINAL.finditer(art.text):
                    quantities.append((art.start + m.start(), art.start + m.end(), "个", None))
            for qt in article_quantities(art.text):
                s, e = art.start + qt.start, art.start + qt.end
                if qt.unit == "年份" and ("年" in asked) and art.text[max(0, qt.start - 1):qt.start] == "到":
                    quantities.append((s, e, "年份", None))
                    years_here[s] = int(qt.value)
                elif qt.unit == "date" and date_asked:  # "世界计量日是几月几号？": a day the text names
                    quantities.append((s, e, "date", None))
            for s, e, unit, rule in quantities:
                ss, se = span_in(d.text, s, e, art.start, art.end, SENT + ",")
                if (ss, se) in seen_spans:
                    continue
                seen_spans.add((ss, se))
                ls, le = span_in(d.text, s, e, art.start, art.end)
                clause_score = ctx.view_coverage(views, d.text[ss:se])
                sent_score = ctx.view_coverage(views, d.text[ls:le])
                score = 0.6 * clause_score + 0.4 * max(para_score, sent_score)
                if unit == "年份":  # "到2035年,…,建成…": the subject is elsewhere in the sentence
                    score = max(score, 0.9 * sent_score)
                if rule is None and unit == "个" and ORDINAL.match(d.text, s):
                    # an ordinal's subject is often the document's own title (第24个“世界计量日”)
                    score = max(score, ctx.coverage(ctx.qgrams(q), d.text[ls:le]))
                fam = {"年份": "年", "名": "人"}.get(unit, unit)
                if asked and fam not in asked and unit not in asked:
                    score *= 0.5
                elif asked and score < MATCH and ranks.get((d.id, art.label), len(RANK_BONUS)) < len(RANK_BONUS):
                    score = min(MATCH, score + RANK_BONUS[ranks[(d.id, art.label)]])  # (up to the bar, never past a better match)
                if other_stage(ctx, q.text, d.text[ss:se]):
                    score *= STAGE_MISFIT  # (收到验收申请资料后 is no answer to 收到筹建申请后)
                year = target_year(rule) if rule is not None else years_here.get(s)
                if year is None:
                    m = re.findall(r"到(\d{4})年", art.text)
                    year = int(m[0]) if m else None
                if le - ls <= WHOLE_SENTENCE and d.meta.kind != "regulation":  # (a short plan sentence whole: its sibling figures stand with the one asked)
                    cs, ce = ls, le
                elif unit == "年份":
                    cs, ce = ctx.best_clause(grams, d, ls, le, limit=70, extend=False)
                else:
                    cs, ce = ctx.best_clause(grams, d, ls, le, limit=70, anchor=s, extend=False)
                out.append((score, d.id, art, rule, year, art.text, cs, ce))
    return sorted(out, key=lambda c: -c[0])
