"""Comparisons: a markdown table with one column per document (rules-table topics, or the
best clauses of the matching articles) and a one-line summary first.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from ..compare import compare, short_title
from ..types import Article, Document, Rule
from ..understand import Query, bigrams
from ..writer import (Draft, Writer, MATCH, MAX_CHAT_COMPARE, article_quantities, as_written, date_cn, sentence_spans,
                      span_in)

from .eligibility import eligibility
from .extractive import extractive
from .lists import revocation, task
from .numeric import numeric, topic_from_rules
from .procedure import procedure

if TYPE_CHECKING:
    from ..compose import Composer


CELL_SENTENCE = 80  # a rule's sentence this short goes whole into a table cell (满分为100分,…80分及以上的,…合格)


def comparison(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    """Every document asked for gets its column (at most MAX_CHAT_COMPARE in chat; then the
    documents whose rules state the compared topic come first)."""
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    topics = [t for t in q.topics if ctx.has_topic(t) and t != "target"]
    if not topics:  # a period asked in words no topic cue knows ("几天内要报？"): the rule that says it
        topic = topic_from_rules(ctx, q, [d for d in scope if d.meta.kind == "regulation"])
        topics = [topic] if topic else []
    if topics and any(d.meta.kind == "regulation" for d in scope):  # plans/news only when they state it
        scope = [d for d in scope if d.meta.kind == "regulation" or any(ctx.rules(t, [d.id]) for t in topics)]
    compared = scope
    if topics and len(scope) > MAX_CHAT_COMPARE:
        stating = [d for d in scope if ctx.rules(topics[0], [d.id])]
        scope = stating if len(stating) >= 2 else scope
    scope, note = ctx.readable(scope, hits)
    if note:
        out.line(note)
    if len(scope) < 2:  # one document left to compare: answer it as its base question
        single = {"eligibility": eligibility, "task": task, "revocation": revocation,
                  "procedure": procedure}.get(base_intent(ctx, q), numeric if topics else extractive)
        return single(ctx, q, hits, out)
    if topics:
        return compare_rules(ctx, q, topics, scope, out, compared=compared)
    return compare_text(ctx, q, hits, scope, out)


def base_intent(ctx: "Composer", q: Query) -> str:
    spec = ctx.vocab.intents
    best, score = "", 0
    for name in ("eligibility", "revocation", "task", "procedure"):
        cues = spec.of(name)
        s = 2 * sum(c in q.text for c in cues.strong) + sum(c in q.text for c in cues.weak)
        if s > score:
            best, score = name, s
    return best


def header(ctx: "Composer", d: Document) -> str:
    if ctx._per_j.get(d.meta.jurisdiction, 1) > 1:
        return f"{d.meta.jurisdiction}·{short_title(d)}"
    return d.meta.jurisdiction


def compare_rules(ctx: "Composer", q: Query, topics: list[str], scope: list[Document], out: Writer, *,
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
    for r in sorted((r for t in set(rows) for r in ctx._by_topic.get(t, ())), key=lambda r: ctx._pos[r.id]):
        if r.doc_id in in_scope:
            doc = ctx.docs[r.doc_id]
            art = doc.article(r.article)
            start, end = span_in(doc.text, r.start, r.end, art.start, art.end)
            nxt = span_in(doc.text, end + 1, end + 1, art.start, art.end) if end + 1 < art.end else None
            for x in ctx._by_article.get((r.doc_id, r.article), ()):
                # the same sentence (应在届满3个月前申请延期,…,延长时限不超过1年) or the next one
                if ((start <= x.start < end or (nxt and nxt[0] <= x.start < nxt[1]))
                        and x.topic not in rows and x.topic not in ("other", "issued_date", "target")
                        and x.topic not in siblings):
                    siblings.append(x.topic)
    rows += siblings[: max(0, 3 - len(rows))]
    cmp = compare(ctx.table, ctx.doc_list, doc_ids=[d.id for d in scope], topics=rows)
    cells: dict[tuple[str, str], str] = {}
    found: dict[str, list[tuple[Document, Rule]]] = {}
    for t in rows:
        for d in scope:
            c = cmp.cell(t, d.id)
            if c.status == "found":
                r = ctx.headline(t, d)
                cells[(t, d.id)] = ctx.quote_rule(out, r, full=len(range(*ctx.rule_span(r))) <= CELL_SENTENCE)
                found.setdefault(t, []).append((d, r))
            else:
                mention = ctx.mention(q, d, ctx.topics.topic(t).keywords if ctx.topics.topic(t) else ())
                if mention and c.mentions:
                    art, s, e = mention
                    cells[(t, d.id)] = f"未规定（只规定：{ctx.quote_span(out, d, art, s, e)}）"
                else:
                    cells[(t, d.id)] = "未规定"
                    out.use(d)
    summary = [rule_summary(ctx, q, t, scope, found.get(t, []), compared=compared) for t in rows]
    out.line(summary[0])
    for s in summary[1:]:
        out.line(s)
    out.line("")
    out.line("| 项目 | " + " | ".join(header(ctx, d) for d in scope) + " |")
    out.line("|---|" + "---|" * len(scope))
    for t in rows:
        out.line(f"| {ctx.label(t)} | " + " | ".join(cells[(t, d.id)] for d in scope) + " |")
    return out.draft("comparison", topic=primary)


def rule_summary(ctx: "Composer", q: Query, topic: str, scope: list[Document], found, *,
                  compared: list[Document] | None = None) -> str:
    """One line per compared topic. "只有X规定了" is said only when the rules of every compared
    document were looked at: documents compared but not shown (more than MAX_CHAT_COMPARE)
    that state the topic are counted, never silently left out."""
    label = ctx.label(topic)
    silent = [d for d in scope if d not in [x for x, _ in found]]
    shown_ids = {d.id for d in scope}
    unshown = [d for d in (compared or ()) if d.id not in shown_ids and ctx.rules(topic, [d.id])]
    if unshown:
        more = f"另有{len(unshown)}份未列出的文件也规定了{label}（见完整对比）"
        text = rule_summary(ctx, q, topic, scope, found).rstrip("。").replace("只有", "")
        return f"{text}；{more}。"
    if not found:
        return f"{label}：{ctx.docs_phrase(scope)}均未规定。"
    values = [(d, r) for d, r in found]
    same = len({ctx.value_key(r) for _, r in values}) == 1
    shown = ctx.written  # the verbatim clause carries the number
    if same and values[0][1].unit != "date":
        r0 = values[0][1]
        if not silent:
            return f"{label}：{ctx.docs_phrase([d for d, _ in values])}的规定相同，均为{ctx.shown_value(r0)}。"
        return (f"{label}：只有{ctx.docs_phrase([d for d, _ in values])}规定了（{shown(r0)}）；"
                f"{ctx.docs_phrase(silent)}未规定。")
    if values[0][1].unit == "date" and same:
        day = date_cn(dt.date.fromisoformat(str(values[0][1].value)))
        text = f"{label}：{ctx.docs_phrase([d for d, _ in values])}相同，均自{day}起施行"
        return text + (f"；{ctx.docs_phrase(silent)}未规定。" if silent else "。")
    if values[0][1].unit == "date":
        ordered = sorted(values, key=lambda x: str(x[1].value))
        parts = [f"{ctx.who(d)}自{date_cn(dt.date.fromisoformat(str(r.value)))}起施行" for d, r in ordered]
        text = f"{label}：{ctx.who(ordered[0][0])}在先" + ("；" + "，".join(parts) if len(ordered) > 1 else "")
        if len(ordered) > 1 and any(w in q.text for w in ("差", "相隔", "间隔", "隔了")):
            a = dt.date.fromisoformat(str(ordered[0][1].value))
            b = dt.date.fromisoformat(str(ordered[-1][1].value))
            delta = relativedelta(b, a)
            months = delta.years * 12 + delta.months
            span = f"{delta.years}年{delta.months}个月" if delta.years and delta.months else (
                f"{delta.years}年" if delta.years else f"{delta.months}个月")
            total = f"（共{months}个月）" if delta.years and delta.months else ""
            text += f"；前后相差{'约' if delta.days else ''}{span}{total}"
        if silent:
            text += f"；{ctx.docs_phrase(silent)}未规定"
        return text + "。"
    parts = [f"{ctx.who(d)}{shown(r)}" for d, r in values]
    text = f"{label}：各地规定不同——" + "；".join(parts)
    if silent:
        text += f"；{ctx.docs_phrase(silent)}未规定"
    return text + "。"


def compare_text(ctx: "Composer", q: Query, hits, scope: list[Document], out: Writer) -> Draft:
    """Non-numeric aspects: per document the provisions or sentences that answer the question."""
    base = base_intent(ctx, q)
    kind = {"eligibility": "conditions", "task": "tasks", "revocation": "revocation"}.get(base, "")
    cells: dict[str, list[tuple[Article, int, int]]] = {}
    best_art: dict[str, Article] = {}
    provs = {d.id: [p for p in ctx.table.provisions if p.doc_id == d.id and p.kind == kind] if kind else []
             for d in scope}
    grams_of = {d.id: ctx.qgrams(q, d, drop_intent="comparison") - ctx.qgrams_generic(base) for d in scope}
    scored = {d.id: [(ctx.coverage(grams_of[d.id], p.text) if grams_of[d.id] else 0.0, p) for p in provs[d.id]]
              for d in scope}
    specific = any(sc >= 0.35 for d in scope for sc, _ in scored[d.id])
    if (kind in ("conditions", "tasks") and not specific and not LIST_WORDS[kind].search(q.text)
            and _names_elsewhere(ctx, scope, grams_of, scored, kind)):
        # "验收环节的要求有啥差别？": 要求 is no list of conditions when the subject is written elsewhere
        scored, kind = {d.id: [] for d in scope}, ""
    whole: dict[str, int] = {}  # documents whose every listed item is shown: how many
    by_year = False  # a plan's goals for the year asked (or its milestones) fill a column
    years = "年" in q.asked_units and all(d.meta.kind != "regulation" for d in scope)
    for d in scope:
        grams = grams_of[d.id]
        picks: list[tuple[Article, int, int]] = []
        if years:
            picks = milestones(ctx, d)
            by_year = by_year or bool(picks)
        elif q.years and d.meta.kind != "regulation" and (goals := (
                _goals_of(ctx, d, q.years) if ASKS_FIGURES.search(q.text) and not _names_subject(ctx, d, grams)
                else _goals_answering(ctx, d, q.years, grams - FIGURE_GRAMS))):
            # "东营和江西2035年的目标分别怎么说？": each plan's sentences under 到2035年
            picks = goals
            by_year = True
        elif scored[d.id] and specific:
            top = max(sc for sc, _ in scored[d.id])
            for sc, p in sorted(scored[d.id], key=lambda x: -x[0])[:2]:
                if sc >= 0.75 * top and sc > 0:
                    cs, ce = ctx.best_clause(grams, d, p.start, p.end)
                    picks.append((d.article(p.article), cs, ce))
        elif scored[d.id]:
            whole[d.id] = len(scored[d.id])
            full = sum(len(p.text) for _, p in scored[d.id]) <= LIST_FULL  # (a short list: every item whole)
            for _, p in scored[d.id]:
                picks.append((d.article(p.article), p.start, p.start + (len(p.text.rstrip("。;；,，")) if full else _head(p.text))))
        if d.id in whole and picks:  # a whole list: what its article says after the last item too (优先支持…)
            art = picks[-1][0]
            last = max(e for _, _, e in picks)
            tail = [(ts, te) for ts, te in sentence_spans(d, art, "。;\n") if ts >= last and te - ts <= LIST_TAIL
                    and not any(i.start <= ts < i.end for i in art.items)]
            picks += [(art, *tail[0])] if tail else []
        if not picks and not years:
            ranked = ctx.rank_articles(q, hits, [d.id], drop_intent="comparison")
            if ranked and ranked[0][0] >= 0.2:
                best_art[d.id] = ranked[0][2]
        cells[d.id] = sorted(picks, key=lambda x: x[1])
    for d in scope:  # sentences of the best article: relevant first, then what the others lack
        art = best_art.get(d.id)
        if art is None or cells[d.id]:
            continue
        others = [bigrams(neutral(ctx, x.text)) for did, x in best_art.items() if did != d.id]
        scored_s = []
        for s, e in sentence_spans(d, art, "。;\n"):
            g = bigrams(neutral(ctx, d.text[s:e]))
            cov = ctx.coverage(grams_of[d.id], d.text[s:e])
            distinct = 1 - min((len(g & o) / len(g) for o in others), default=1.0) if g else 0.0
            scored_s.append((cov + (0.5 * distinct if cov > 0 else 0.0), s, e, distinct, cov))
        ranked_s = sorted(scored_s, key=lambda x: -x[0])
        picked = ranked_s[:2]
        if _ASKS_DIFFERENCE.search(q.text):  # "有什么不一样？": each sentence only this one writes, too
            picked += [x for x in ranked_s[2:] if x[3] >= DISTINCT and x[4] > 0][:1]
        for _, s, e, *_ in sorted(picked, key=lambda x: x[1]):
            cells[d.id].append((art, *ctx.best_clause(grams_of[d.id], d, s, e, limit=90)))
    if by_year and q.years and ASKS_FIGURES.search(q.text):
        # "谁给了2025年的量化指标？": which plans state figures for that year, quoted, first
        out.line(_figures_verdict(ctx, q, scope, out))
    summary = text_summary(ctx, q, scope, cells, out)
    out.line(summary)
    if len(whole) >= 2:  # whole lists side by side: how many items each lists
        counts = "；".join(_count_of(ctx, d, cells[d.id], whole[d.id]) for d in scope if d.id in whole)
        out.line(f"{LIST_NAMES.get(kind, '所列各项')}：{counts}。")
    out.line("")
    out.line("| " + " | ".join(header(ctx, d) for d in scope) + " |")
    out.line("|" + "---|" * len(scope))
    row = []
    for d in scope:
        parts, led = [], set()
        for a, s, e in cells[d.id]:
            lead = ""
            if (kind == "revocation" or d.id in whole) and a.items and a.items[0].start <= s and a.label not in led:
                led.add(a.label)  # (the article's lead once, before its first item)
                ls, le = ctx.intro(d, a)
                lead = as_written(d, ls, le) + "："
            parts.append(lead + ctx.quote_span(out, d, a, s, e))
        row.append("；".join(parts) if parts else "未规定")
        if not parts:
            out.use(d)
    out.line("| " + " | ".join(row) + " |")
    for d in scope:
        for a, s, e in cells[d.id]:
            for r in ctx.table.rules:
                if r.doc_id == d.id and s <= r.start < e:
                    out.value(r)
    # (goals by year are what the plans say of that year: no single-document answer replaces them)
    draft = out.draft("comparison", topic=GOALS if by_year else kind or base)
    shown = [line for line in draft.text.split("\n") if line.startswith("| ")][-1]  # the row as written
    draft.columns = dict(zip((d.id for d in scope), shown.strip().strip("|").split(" | ")))
    draft.columns = {k: v.strip() for k, v in draft.columns.items()}
    return draft


LIST_TAIL = 160  # characters of a sentence after a whole list's last item shown with it
LIST_FULL = 600  # characters of a document's whole list compared item by item in full
HEAD = 60  # characters of an item's head otherwise (up to its first sentence or clause end)


def _head(text: str) -> int:
    """Where an item's head ends: its first sentence when short, else its last clause end within HEAD."""
    end = text.find("。")
    if 0 < end <= HEAD:
        return end
    cut = max(text.rfind(c, 0, HEAD) for c in "，,;；")
    return cut if cut > 10 else min(len(text), HEAD)


ELSEWHERE = 0.25  # subject share an article outside the list must write, in every document compared


def _names_elsewhere(ctx: "Composer", scope: list[Document], grams_of, scored, kind: str) -> bool:
    """The question's subject is written in an article of each document other than its list,
    twice as much as in any item of the list."""
    for d in scope:
        grams = grams_of[d.id]
        if not grams:
            return False
        listed = {p.article for p in ctx.table.provisions if p.doc_id == d.id and p.kind == kind}
        best = max((ctx.coverage(grams, a.text) for a in d.articles if a.label not in listed), default=0.0)
        if best < max(ELSEWHERE, 2 * max((sc for sc, _ in scored[d.id]), default=0.0)):
            return False
    return True


LIST_NAMES = {"conditions": "申请条件", "tasks": "主要任务", "revocation": "撤销情形"}
# the words that name each list in a question ("主要任务比湖北的多了哪些？" asks the lists themselves)
# (任务书 is a document, not the tasks)
LIST_WORDS = {"conditions": re.compile(r"条件"), "tasks": re.compile(r"任务(?!书)|职责"),
              "revocation": re.compile(r"撤销|取消|摘牌")}
_ASKS_DIFFERENCE = re.compile(r"不一样|不同|区别|差异|差别|异同|differ", re.IGNORECASE)
DISTINCT = 0.5  # share of a sentence's words the other documents' articles do not write


def _count_of(ctx: "Composer", d, picks, n: int) -> str:
    """How many items a document lists: "第二十九条共列9项" when they are one article's; the
    articles they are spread over otherwise (a count there would name no article it belongs to)."""
    labels = list(dict.fromkeys(a.label for a, _, _ in picks))
    if len(labels) == 1:
        return f"{ctx.who(d)}{labels[0]}共列{n}项"
    return f"{ctx.who(d)}分散规定在{'、'.join(labels)}"


def _goals_of(ctx: "Composer", doc: Document, years) -> list[tuple[Article, int, int]]:
    """The sentences of a plan that open with a target year the question names (到2035年,…),
    each with the sentences after it in its paragraph up to the next target year (at most 160
    characters)."""
    out = []
    for art, at, _, stop in _year_paragraphs(doc, years):
        end = min(stop, at + GOAL_CHARS)
        cut = max(doc.text.rfind(x, at, end) for x in "。;；")
        out.append((art, at, cut if cut > at else end))
    return out


def _year_paragraphs(doc: Document, years):
    """(article, start of "到2025年", its end, end of what follows it up to the next target year
    or the article's end) for each target year asked that the document writes."""
    for art in doc.articles:
        for y in years:
            for m in re.finditer(rf"到{y}年", art.text):
                nxt = re.search(r"到\d{4}年", art.text[m.end():])
                after = art.start + m.end()
                yield art, art.start + m.start(), after, after + nxt.start() if nxt else art.end


GOAL_CHARS = 160
GOALS = "target"  # the topic of a comparison of plans' goals by year
GOAL_WORDS = ("目标", "发展目标", "远景目标", "远景", "愿景", "怎么说", "说的", "是什么", "各是", "定的", "提出", "表述")  # words asking for the goals as such
GOAL_GRAMS = {g for w in GOAL_WORDS for g in bigrams(w)}
GOAL_MARGIN = 0.15  # a sentence elsewhere covering the question's subject this much better answers it instead


def _goals_answering(ctx: "Composer", doc: Document, years, grams) -> list[tuple[Article, int, int]]:
    """The plan's goal sentences for the year asked, when they answer the question: it asks the
    goals as such, or they cover its subject about as well as any sentence of the plan ("诚信计量
    示范单位到2025年的数量" is answered where the plan names them, not by the goal overview); []
    otherwise."""
    goals = _goals_of(ctx, doc, years)
    grams = grams - GOAL_GRAMS
    if not goals or not grams:
        return goals
    best_goal = max(ctx.coverage(grams, doc.text[s:e]) for _, s, e in goals)
    best_any = max((ctx.coverage(grams, doc.text[s:e]) for a in doc.articles for s, e in sentence_spans(doc, a)),
                   default=0.0)
    return goals if best_goal >= best_any - GOAL_MARGIN else []


# a comparison asking which plans give figures for a year ("谁有具体数字指标？", "哪个给了量化指标？")
ASKS_FIGURES = re.compile(r"(?:数字|数量|量化|定量|具体)(?:的)?(?:指标|目标)|具体数字|(?:有|给了?|列了?)(?:没有)?(?:具体)?数字")
MAX_FIGURES = 3  # clauses quoted per plan
FIGURE_GRAMS = bigrams("具体数字指标 量化指标 数量目标 定量目标 数字目标")  # words asking for figures, no subject


def _year_figures(doc: Document, years) -> list[tuple[Article, int, int]]:
    """The clauses stating a figure in a plan's paragraphs for the years asked: from "到2025年"
    to the next target year or the paragraph's end."""
    out = []
    for art, _, after, stop in _year_paragraphs(doc, years):
        for qt in article_quantities(doc.text[after:stop]):
            if qt.unit in ("年份", "date") or not qt.unit:
                continue
            s, e = span_in(doc.text, after + qt.start, after + qt.start + len(qt.text), art.start, art.end, "，,;；。")
            if all(x[1] != s for x in out):
                out.append((art, s, e))
    return out


def _subject_grams(grams: set[str]) -> set[str]:
    return grams - FIGURE_GRAMS - GOAL_GRAMS


def _names_subject(ctx: "Composer", d: Document, grams: set[str]) -> bool:
    """The question names a subject of its own besides asking for goals or figures: some
    paragraph of the document writes it."""
    grams = _subject_grams(grams)
    return bool(grams) and any(ctx.coverage(grams, a.text) >= MATCH for a in d.articles)


def _figures_verdict(ctx: "Composer", q: Query, scope: list[Document], out: Writer) -> str:
    """Which documents state figures for the year asked (their first clauses quoted) and which
    state their goals for it in words only."""
    year = "、".join(f"{y}年" for y in q.years)
    stating, plain = [], []
    for d in scope:
        found = _year_figures(d, q.years)
        grams = ctx.qgrams(q, d)
        if _names_subject(ctx, d, grams):  # the figures of the subject the question names (诚信计量示范单位), if any
            grams = _subject_grams(grams)
            found = [x for x in found if ctx.coverage(grams, d.text[x[1]:x[2]]) >= MATCH]
        if found:
            quoted = "；".join(ctx.quote_span(out, d, a, s, e) for a, s, e in found[:MAX_FIGURES])
            stating.append(f"{ctx.who(d)}（{quoted}{'等' if len(found) > MAX_FIGURES else ''}）")
        else:
            plain.append(d)
    if not stating:
        return f"{ctx.docs_phrase(scope)}的{year}目标都没有给出具体数字，只有定性表述。"
    text = f"给出了{year}具体数字指标的是{'；'.join(stating)}"
    if plain:
        text += f"；{ctx.docs_phrase(plain)}的{year}目标没有具体数字，只有定性表述"
    return text + "。"


def milestones(ctx: "Composer", doc: Document) -> list[tuple[Article, int, int]]:
    """Sentences of a plan that set a target year ("到2025年,…")."""
    out = []
    for art in doc.articles:
        for m in re.finditer(r"到\d{4}年", art.text):
            s, e = span_in(doc.text, art.start + m.start(), art.start + m.end(), art.start, art.end, "。;\n")
            s, e = ctx.best_clause(set(), doc, s, e, limit=60, anchor=art.start + m.start())
            if all(x[1] != s for x in out):
                out.append((art, s, e))
    return out


def text_summary(ctx: "Composer", q: Query, scope: list[Document], cells, out: Writer) -> str:
    """One line on the differences: clauses only some of the documents have."""
    clauses: list[tuple[Document, str, set[str]]] = []
    for d in scope:
        for a, s, e in cells[d.id]:
            for m in re.finditer(r"[^,;:。]+", d.text[s:e]):
                part = m.group(0).strip()
                g = bigrams(neutral(ctx, part))
                if len(part) >= 4 and len(g) >= 3:  # compared normalised, shown as written
                    clauses.append((d, part, g, as_written(d, s + m.start(), s + m.end())))
    context: dict[str, list[set[str]]] = {}  # every clause of the articles each cell quotes from
    for d in scope:
        for a in {a.label: a for a, _, _ in cells[d.id]}.values():
            context.setdefault(d.id, []).extend(
                bigrams(neutral(ctx, p)) for p in re.split(r"[,;:。\n]", a.text) if len(p.strip()) >= 4)
    statements, used = [], set()
    for d, part, g, shown in clauses:
        if part in used:
            continue
        holders = [x for x in scope
                   if any(len(g & g2) / len(g) >= 0.6 for g2 in context.get(x.id, ()) if g2)]
        if len(holders) < len(scope):
            used.add(part)
            statements.append((holders, shown))
    statements += _enumerated_only(ctx, scope, cells, clauses, used)
    empty = [d for d in scope if not cells[d.id]]
    if not statements and not empty:
        return f"{ctx.docs_phrase(scope)}的规定基本相同（见下表）。"
    parts, seen_holders = [], []
    for holders, part in statements:
        key = tuple(h.id for h in holders)
        if seen_holders.count(key) >= 1 and len(statements) > 3:
            continue
        seen_holders.append(key)
        who = "、".join(ctx.who(h) for h in holders)
        if part.startswith("列有“"):  # (an enumerated item only some documents list)
            parts.append(f"只有{who}{part}")
        else:
            parts.append(f"只有{who}：{part}" if len(scope) > 2 or len(holders) > 1 else f"{who}：{part}")
        if len(parts) >= 4:
            break
    text = "主要差异——" + "；".join(parts) if parts else "主要差异见下表"
    if empty:
        text += f"；{ctx.docs_phrase(empty)}未规定"
    return text + "。"


_ENUM_ITEM = (2, 12)  # characters of an enumerated item ("能平衡测试") compared on its own


def _enumerated_only(ctx: "Composer", scope: list[Document], cells, clauses, used) -> list:
    """Items of an enumeration ("能源审查、节能监测、能平衡测试…") in a clause every document writes
    alike that the other documents' quoted articles do not write: the difference inside a list."""
    texts = {d.id: "".join(a.text for a in {a.label: a for a, _, _ in cells[d.id]}.values()) for d in scope}
    out, seen = [], set()
    for d, part, _, _ in clauses:
        if part in used or part.count("、") < 2:
            continue
        pieces = part.split("、")
        # (the first item carries the clause's own words before it; the last its words after 等)
        last = re.match(r"(.+?)等", pieces[-1])
        items = [x.strip() for x in pieces[1:-1] + ([last.group(1)] if last else [])]
        for item in items:
            if not (_ENUM_ITEM[0] <= len(item) <= _ENUM_ITEM[1]) or item in seen:
                continue
            holders = [x for x in scope if item in texts[x.id]]
            if len(holders) < len(scope):
                seen.add(item)
                out.append((holders, f"列有“{item}”"))
    return out


def neutral(ctx: "Composer", text: str) -> str:
    """Drop the documents' own names (省/市市场监管局, 中心/基地 …) before comparing wording."""
    for w in sorted(ctx.vocab.neutral_words, key=len, reverse=True):
        text = text.replace(w, "")
    return text
