"""Lists: main tasks and revocation grounds (the items of the best list article, or the item the
question is about), and sections that introduce a list in plan/news texts.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ..jurisdictions import ALIASES
from ..numbers import arabic_counts, parse_number
from ..types import Article, Document, Provision
from ..understand import Query, bigrams, shared_run
from ..writer import (DEFINES, Draft, Writer, MATCH, LABEL, measure, AT_ONCE as _AT_ONCE, FURTHER as _FURTHER, as_written, sentence_spans,
                      span_in)

from .extractive import extractive
from .goals import goals
from .numeric import PASS_SCORE, numeric, rest_of_article

if TYPE_CHECKING:
    from ..compose import Composer


def task(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    if q.years and "target" in q.topics:  # a plan's goals for a year it names ("那2035年呢？")
        goal = goals(ctx, q, scope, out)
        if goal is not None:
            return goal
    lists = best_lists(ctx, q, scope, "tasks")
    named = defining(ctx, q, scope)
    first = next((h for h in hits if h.chunk.doc_id in q.doc_ids), None)
    if named is not None and first is not None and (first.chunk.doc_id, first.chunk.article) != (
            named[0].id, named[1].label) and not (lists and names_the_list(ctx, q, lists)):
        # "…方案的“3项重点任务”是啥？" where the evidence puts the paragraph announcing them first
        # and no extracted list is named: the paragraph that opens "3项重点任务是指…" says what they are
        return sections(ctx, q, hits, scope, out, "task", chosen=named)
    if lists:
        list_arts = {(d.id, a.label) for d, a, _ in lists}
        in_scope = [h for h in hits if h.chunk.doc_id in {d.id for d in scope}]
        other = _names_another(ctx, q, lists, in_scope[:EVIDENCE_TOP])
        if other is not None:  # "重点覆盖哪些领域？": the evidence's article names the 领域, the list does not
            return sections(ctx, q, hits, scope, out, "task", evidence=other)
        if names_the_list(ctx, q, lists):  # the question names the list (任务, 建设方向 …)
            if not (in_scope and evidence_says_more(ctx, q, in_scope[0], lists)):
                return render_lists(ctx, q, lists, out, "task")
            return sections(ctx, q, hits, scope, out, "task", evidence=in_scope[0])
        if in_scope and (in_scope[0].chunk.doc_id, in_scope[0].chunk.article) not in list_arts:
            # the question does not name the list and the evidence puts another article first:
            # that article answers ("要交哪些东西？" is no question about the main tasks)
            return sections(ctx, q, hits, scope, out, "task", evidence=in_scope[0])
        ranked = ctx.rank_articles(q, hits, [d.id for d in scope], drop_intent="task")
        list_score = max((sc for sc, d, a in ranked if (d.id, a.label) in list_arts), default=0.0)
        other = next(((sc, d, a) for sc, d, a in ranked if (d.id, a.label) not in list_arts), None)
        if not (other and other[0] > list_score + 0.25):
            return render_lists(ctx, q, lists, out, "task")
    return sections(ctx, q, hits, scope, out, "task")


def names_the_list(ctx: "Composer", q: Query, lists) -> bool:
    """A word of the question stands in a list's lead-in ("主要任务有哪些？"), and not only as
    part of a longer word of the question the lead-in lacks (任务 of 筹建任务书 names no task list)."""
    words = [w for w in q.terms.split() if len(w) >= 2]
    for d, a, items in lists:
        intro = d.text[slice(*ctx.intro(d, a, items[0].start))]
        for w in words:
            if w not in intro or bigrams(w) <= ctx._title_grams[d.id]:
                continue
            if any(w in longer and longer != w and longer not in intro for longer in words):
                continue
            return True
    return False


_ASKED_NOUN = re.compile(r"(?:哪些|哪几个|哪几类|哪几项|哪几方面|什么)([\u4e00-\u9fff]{2})")
EVIDENCE_TOP = 3  # retrieved articles in scope that may name what a list question asks for


def _names_another(ctx: "Composer", q: Query, lists, top):
    """The retrieved article (of the top few in scope) that names the thing a list question asks
    for ("哪些领域") when no list's lead-in does; None otherwise."""
    m = _ASKED_NOUN.search(q.text)
    if not m:
        return None
    noun = m.group(1)
    if noun not in q.terms:  # (a place or a kind's name after 哪些 is no thing asked for)
        return None
    if any(noun in d.text[slice(*ctx.intro(d, a, items[0].start))] for d, a, items in lists):
        return None
    keys = {(d.id, a.label) for d, a, _ in lists}

    def covers(h) -> float:  # how much of the question's subject the hit's article holds
        doc = ctx.docs.get(h.chunk.doc_id)
        art = doc.article(h.chunk.article) if doc else None
        return ctx.coverage(ctx.qgrams(q, doc), art.text) if art is not None else 0.0

    others = [h for h in top if (h.chunk.doc_id, h.chunk.article) not in keys]
    for h in others:
        doc = ctx.docs.get(h.chunk.doc_id)
        art = doc.article(h.chunk.article) if doc else None
        # the article lists the things it names ("重点领域,…包括但不限于:") and holds as much of
        # the question as the evidence's first article besides the lists
        if art is not None and re.search(re.escape(noun) + r"[^。]{0,40}(?:包括|如下|以下|[:：])", art.text[:120]) \
                and covers(h) >= covers(others[0]):
            return h
    return None


EVIDENCE_MARGIN = 0.25  # the top article must cover this much more of the question than the list


def evidence_says_more(ctx: "Composer", q: Query, top, lists) -> bool:
    """The retriever's best article is no list and covers clearly more of the question's words
    than the list's article ("每年会给中心下什么任务？": 每年下达…任务 beats the main tasks)."""
    key = (top.chunk.doc_id, top.chunk.article)
    if key in {(d.id, a.label) for d, a, _ in lists}:
        return False
    doc = ctx.docs.get(key[0])
    art = doc.article(key[1]) if doc else None
    if art is None:
        return False
    grams = ctx.qgrams(q, doc)
    if not grams:
        return False
    best_list = max((ctx.coverage(ctx.qgrams(q, d), a.text) for d, a, _ in lists), default=0.0)
    return ctx.coverage(grams, art.text) >= max(MATCH, best_list + EVIDENCE_MARGIN)


LIST_ASKED = re.compile(r"哪些|哪几|几种|什么情形|哪种情形|哪些情况|什么情况|啥情况|which|what circumstances|in what cases")


# words that name the loss of a qualification itself (not only "what happens")
NAMES_REVOCATION = re.compile(r"撤销|撤掉|摘牌|摘掉|取消|吊销|revok|revocation|withdraw", re.IGNORECASE)


def _asks_next_step(ctx: "Composer", q: Query, hits, topics) -> bool:
    """"整改完还是没到80分，后面会怎样？": the question names no revocation, is about a step the
    documents follow with another (限期整改 → 整改后仍不合格的处理; below the pass mark → 限期整改),
    and that step's article is the top evidence — it asks for the next step, not for every ground.
    A question already at the later step asks what ends it (the grounds)."""
    if NAMES_REVOCATION.search(q.text) or set(ctx.vocab.follows.values()) & set(q.topics):
        return False
    steps = {(r.doc_id, r.article) for t in topics if t in ctx.vocab.follows or t == PASS_SCORE
             for r in ctx.rules(t, q.doc_ids)}
    top = next(((h.chunk.doc_id, h.chunk.article) for h in hits if h.chunk.doc_id in q.doc_ids), None)
    return top in steps


EVIDENCE_COVERS = 0.5  # the top article must cover this much of the question's subject
EVIDENCE_LEAD = 0.2  # … and this much more than any ground does
GROUND_SHARES = 0.25  # a ground sharing this much of the subject may be what is described (假的报告)


def _evidence_says_what_follows(ctx: "Composer", q: Query, hits, provs) -> bool:
    """The top retrieved article in scope states no ground, covers the question's subject and
    covers it clearly better than every ground: the question is about that article's step."""
    top = next((h.chunk for h in hits if h.chunk.doc_id in q.doc_ids), None)
    if top is None or any(p.doc_id == top.doc_id and p.article == top.article for p in provs):
        return False
    d = ctx.docs[top.doc_id]
    art = d.article(top.article)
    grams = ctx.qgrams(q, d, drop_intent="revocation")
    if art is None or not grams:
        return False
    covers = ctx.coverage(grams, art.text)
    mine = [p for p in provs if p.doc_id == d.id]
    # words several grounds share (不合格 of 复查不合格 and 整改不合格) tell no ground apart
    telling = {g for g in grams if sum(g in p.text for p in mine) < 2}
    grounds = max((ctx.coverage(telling, p.text) for p in mine), default=0.0) if telling else 0.0
    return covers >= EVIDENCE_COVERS and covers >= grounds + EVIDENCE_LEAD and grounds < GROUND_SHARES


ELSEWHERE_LEAD = 0.3  # how much better another jurisdiction's ground must cover the question
ELSEWHERE_MATCH = 0.7  # and how well at least


def _grounds_elsewhere(ctx: "Composer", q: Query, scope) -> list[tuple[float, Provision]]:
    """(coverage of the question, ground) for each revocation ground of a document out of scope."""
    ids = {d.id for d in scope}
    out = []
    for p in ctx.table.provisions:
        if p.kind == "revocation" and p.doc_id not in ids and p.doc_id in ctx.docs:
            grams = ctx.qgrams(q, ctx.docs[p.doc_id], drop_intent="revocation")
            if grams:
                out.append((ctx.coverage(grams, p.text), p))
    return out


# the question asks whether a document writes a ground ("这条…里也有吗？", "有没有这一条？")
ASKS_WHETHER_WRITTEN = re.compile(r"(?:这条|这一条|这个规定|这种规定|这项|这一项|同样的)[^。？?]{0,16}(?:也有|有没有|有吗|也规定|规定了吗)|"
                                  r"(?:也有|也规定了?)(?:吗|没有)|里有没有|中有没有|(?:有没有|是否有)(?:这条|这一条|类似)")


def revocation(ctx: "Composer", q: Query, hits, out: Writer) -> Draft:
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs and ctx.docs[i].meta.kind == "regulation"]
    topics = [t for t in q.topics if ctx.has_topic(t) and t not in ("target",)]
    if _asks_next_step(ctx, q, hits, topics):
        return numeric(ctx, q, hits, out)
    provs = [p for p in ctx.table.provisions if p.kind == "revocation" and p.doc_id in {d.id for d in scope}]
    if not provs:
        return extractive(ctx, q, hits, out)
    scored = []
    for p in provs:
        d = ctx.docs[p.doc_id]
        grams = ctx.qgrams(q, d, drop_intent="revocation")
        art = d.article(p.article)
        own = ctx.coverage(grams, p.text) if grams else 0.0
        context = ctx.coverage(grams, art.text) if grams and art and not art.items else own
        scored.append((0.6 * own + 0.4 * context, p))
    best, top = max(scored, key=lambda x: x[0])
    # "哪些情形会…取消资格？" asks for the grounds, all of them: no single one is picked
    listed = about_the_list(ctx, q, top) or bool(LIST_ASKED.search(q.text))
    # "湖北…累计3年未完成年度考核会被撤销吗？": another place's ground says it nearly word for word;
    # a ground in scope sharing a word or two (未完成) is not it
    others = _grounds_elsewhere(ctx, q, scope)
    foreign = max((c for c, _ in others), default=0.0) >= max(ELSEWHERE_MATCH, best + ELSEWHERE_LEAD)
    specific = best >= MATCH and not listed and not foreign
    described = None if specific or listed or foreign else described_ground(ctx, q, provs)
    evidence = None  # the article that speaks of the act a ground names, when it is not the ground's own
    if not (specific or listed or described):  # (the act's own article may still name it: 证书 → 第二十二条)
        described, evidence = evidenced_ground(ctx, q, hits, provs) or (None, None)
    specific = specific or described is not None
    if not specific:
        # a ground the question names that another jurisdiction's documents have
        elsewhere = [p for c, p in others if c >= ELSEWHERE_MATCH]
        topic_elsewhere = [t for t in topics if not ctx.rules(t, [d.id for d in scope]) and
                           t in ctx._by_topic]
        if (elsewhere or topic_elsewhere) and not listed:  # (a list asked for names no one ground)
            who = "、".join(ctx.who(d) for d in scope)
            asks_whether = bool(elsewhere) and bool(ASKS_WHETHER_WRITTEN.search(q.text))
            # "这条湖北办法里也有吗？" asks whether the document has the ground: "no" answers it
            out.line(f"没有：{who}没有这样的撤销规定。" if asks_whether else f"{who}没有这样的撤销规定，无法回答。")
            out.line(f"{who}规定的撤销情形是：")
            for p in sorted(provs, key=lambda p: p.start):
                out.line(f"- {p.text} {out.cite(ctx.docs[p.doc_id], p.article, p.start, p.end)}")
            for p in elsewhere[:2]:
                d = ctx.docs[p.doc_id]
                out.line(f"{ctx.who(d)}倒是规定：{p.text} {out.cite(d, p.article, p.start, p.end)}"
                         f"（{_not_for(ctx, d, scope)}）。")
            return out.draft("revocation", abstained=not asks_whether, topic="revocation")
        if not listed and not NAMES_REVOCATION.search(q.text) and _evidence_says_what_follows(ctx, q, hits, provs):
            # "形式审查没过会怎样？": what follows a step that is no ground, which the step's own
            # article says ("对不符合要求的予以退回") — not the list of grounds
            return extractive(ctx, q, hits, out)
    if specific:
        chosen = [described] if described else [p for s, p in scored if s >= max(MATCH, 0.75 * best)]
        chosen.sort(key=lambda p: (q.doc_ids.index(p.doc_id), p.start))
        lead = chosen[0]
        d = ctx.docs[lead.doc_id]
        verb = "会被取消筹建资格" if "筹建资格" in lead.text else "会被撤销资格"
        further = _FURTHER.search(lead.text)
        short = _short_of_count(q, lead.text)
        if short:  # "两年没完成年度考核，会被撤销吗？" against 累计3年未完成年度考核的
            out.line(f"目前还不会因此被撤销资格：{short}。")
            verb = "撤销的情形"
        elif further and _AT_ONCE.search(q.text) and further.group(0)[:4] not in q.text:
            # "复查没通过会直接被撤销吗？" — the ground needs more than what the user says happened
            verb = f"不会直接{verb[2:]}（须{further.group(0).rstrip('的')}才会）"
        out.line(f"{verb}：{ctx.who(d)}规定，{provision_quote(ctx, out, lead)}。")
        if len(chosen) == 1 and not q.asks_number:
            # a short article's other sentences: the step before the ground (不超过一年整改); not
            # for a number asked, which their figures would seem to answer
            rest_of_article(ctx, d, lead.article, out)
        for p in chosen[1:]:
            out.line(f"- {ctx.who(ctx.docs[p.doc_id])}：{provision_quote(ctx, out, p)}")
        if evidence is not None and evidence.label != lead.article:  # (第二十六条 不得…泄露相关数据)
            ds, de = max(sentence_spans(d, evidence), key=lambda x: shared_run(ground_condition(lead.text), d.text[x[0]:x[1]]))
            out.line(f"- {ctx.who(d)}{evidence.label}：{ctx.quote_span(out, d, evidence, ds, de)}")
        values_in(ctx, out, chosen)
        # the rule the question's situation is about, where the same article states it (延期1年后
        # → 延长时限不超过1年; 五年复查 → 每五年组织一次复查)
        for r in ctx.rules_in(lead.doc_id, lead.article):
            if r.topic in q.topics and not lead.start <= r.start < lead.end:
                out.line(f"- 同条：{ctx.quote_rule(out, r)}")
        return out.draft("revocation", topic="revocation")
    which = re.search(r"(筹建|基地|中心)资格", q.text)  # the question names which standing is lost
    for d in scope:
        mine = sorted((p for p in provs if p.doc_id == d.id), key=lambda p: p.start)
        named = [p for p in mine if which and f"{which.group(1)}资格" in _standing(d, p)]
        if named:
            mine = named
            out.line(f"{ctx.who(d)}规定以下情形会被撤销{which.group(0)}：")
        elif not mine:
            continue
        else:
            out.line(f"{ctx.who(d)}规定以下情形会被撤销资格（或取消筹建资格）：")
        for p in mine:
            out.line(f"- {p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}")
        values_in(ctx, out, mine)
        # an article listing its grounds as items (一)…(九): how many it lists (checked against its rows)
        listed = [label for label in dict.fromkeys(p.article for p in mine)
                  if sum(1 for p in mine if p.article == label and p.item) >= 2]
        for label in listed:
            out.line(f"其中{ctx.who(d) if len(scope) > 1 else ''}{label}共列"
                     f"{sum(1 for p in mine if p.article == label and p.item)}项。")
    return out.draft("revocation", topic="revocation")




def _not_for(ctx: "Composer", d: Document, scope: list[Document]) -> str:
    """"这是重庆的规定，不适用于湖北", or, within one jurisdiction, by document ("这是湖北碳计量中心
    办法的规定，不适用于湖北计量数据建设应用基地办法")."""
    if d.meta.jurisdiction in {x.meta.jurisdiction for x in scope}:
        return f"这是{ctx.who(d)}的规定，不适用于{'、'.join(ctx.who(x) for x in scope)}"
    return f"这是{d.meta.jurisdiction}的规定，不适用于{'、'.join(dict.fromkeys(x.meta.jurisdiction for x in scope))}"


def _standing(d, p) -> str:
    """The words that say which standing a ground takes away: its own, and for an item of a list
    its article's lead ("有下列情形之一的，应撤销其市级碳计量中心资格：…（三）累计3年…")."""
    art = d.article(p.article) if p.item else None
    return p.text + (art.text if art is not None else "")


# what a described behaviour must be like its ground ("私自把数据给了外面的机构" ~ 擅自泄露数据):
# the ground's condition (its consequence dropped) closest to the question's account of what
# happened, by the embedder's cosine, and this much closer than the next ground
DESCRIBED_MIN = 0.65
DESCRIBED_MARGIN = 0.03
_CONSEQUENCE = re.compile(r"[,，]?(?:由[^,，。]*?)?(?:应当?|予以)?(?:撤销|取消)其?[^,，。]*?资格$")
_ITEM_LABEL = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]\s*")


def ground_condition(text: str) -> str:
    """A revocation ground without its item label and consequence: "擅自泄露数据的由省市场监管局
    撤销其省级碳计量中心资格" → "擅自泄露数据"."""
    return _CONSEQUENCE.sub("", _ITEM_LABEL.sub("", text)).rstrip("的，,")


def what_happened(ctx: "Composer", q: Query) -> str:
    """The question's account of what happened: its clauses without those asking the consequence
    (会怎么处理, 后果 … — the intent's generic words)."""
    generic = [str(w) for w in ctx.vocab.generic.get("revocation", ()) if len(str(w)) >= 2]
    clauses = [c for c in re.split(r"[,，;；]", q.question.rstrip("？?。 ")) if c.strip()]
    kept = [c for c in clauses if not any(w in c for w in generic)]
    if not kept and clauses:  # one clause: what precedes its consequence words
        head = clauses[-1]
        at = min((head.find(w) for w in generic if w in head), default=len(head))
        kept = [head[:at]]
    return "，".join(k for k in kept if k.strip())


def described_ground(ctx: "Composer", q: Query, provs) -> Provision | None:
    """The one ground whose condition the question's account of what happened is clearly most
    like (sentence vectors; None without an embedder, or when no ground stands out)."""
    told = what_happened(ctx, q)
    names = set().union(*(ctx._title_grams.get(i, set()) for i in q.doc_ids), *(bigrams(j) for j in q.jurisdictions))
    if len(provs) < 2 or not bigrams(told) - names:  # (only the centre's own name is left)
        return None
    provs = [p for p in provs if not _CATCH_ALL.search(p.text)]  # (no act is like "其它…情形")
    if len(provs) < 2:
        return None
    sims = ctx.similarities(told, [ground_condition(p.text) for p in provs])
    if not sims:
        return None
    order = sorted(range(len(provs)), key=lambda i: -sims[i])
    first, second = sims[order[0]], sims[order[1]]
    return provs[order[0]] if first >= DESCRIBED_MIN and first - second >= DESCRIBED_MARGIN else None


EVIDENCE_HITS = 3  # retrieved articles that may say what the question describes
LINK_RUN = 6  # characters a ground shares with an article that speaks of the same act ("泄露相关数据")


def evidenced_ground(ctx: "Composer", q: Query, hits, provs) -> tuple[Provision, Article] | None:
    """The ground the retrieved evidence points at, for a question telling what happened
    ("员工私自把客户的数据卖给外面公司，中心会受什么处理？"): when the best-ranked article in scope that
    is no list of conditions, tasks or grounds, shares words with what the question tells, and holds
    exactly one ground, or speaks of one ground's act in its own words within its chapter (第二十六条
    "不得…提供或泄露相关数据" ~ 第二十九条 (七) 擅自泄露相关数据的): that ground, with that article."""
    told = what_happened(ctx, q)
    for name in sorted(_names_in(ctx, q), key=len, reverse=True):  # (whose act, not which centre)
        told = told.replace(name, "")
    told_grams = bigrams(told) - set().union(*(bigrams(str(w)) for w in ctx.vocab.generic.get("revocation", ())))
    if not told_grams:
        return None
    grounds = [p for p in provs if not _CATCH_ALL.search(p.text)]
    listed = {(p.doc_id, p.article) for p in ctx.table.provisions if p.kind in ("conditions", "tasks", "revocation")
              and p.item}
    for h in [h for h in hits if h.chunk.doc_id in q.doc_ids][:EVIDENCE_HITS]:
        doc = ctx.docs[h.chunk.doc_id]
        art = doc.article(h.chunk.article)
        if art is None or (doc.id, art.label) in listed or not told_grams & bigrams(art.text):
            continue  # (a list, or an article that shares nothing with what the question tells)
        linked = [p for p in grounds if p.doc_id == doc.id and (p.article == art.label or (
            shared_run(ground_condition(p.text), art.text) >= LINK_RUN
            and getattr(doc.article(p.article), "chapter", None) == art.chapter))]  # (one chapter: 监督管理)
        return (linked[0], art) if len(linked) == 1 else None  # (the best such article only)
    return None


# a ground that catches what the others do not ("其它需撤销…资格的情形")
_CATCH_ALL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）])?\s*其[它他]")


def _names_in(ctx: "Composer", q: Query) -> list[str]:
    """The place and institution names the question writes (渝, 重庆, 碳中心, 数据基地 …; not a
    kind's subject words such as 计量数据)."""
    kinds = ctx.vocab.doc_kinds
    cues = [c for k in q.kinds if k in kinds for c in kinds[k].cues if re.search(r"中心|基地", c)]
    places = [n for j in q.jurisdictions for n in (j, *ALIASES.get(j, ()))]
    return [w for w in (*cues, *places) if w and w in q.question]


_NOT_DONE = re.compile(r"(?:没|未|没有)(?:能)?(?:完成|通过|达标|合格)|完不成")
_TOLD_YEARS = re.compile(r"(?<![\d〇零一二三四五六七八九十两])([一二三四五六七八九十两]|\d{1,2})\s*(?:个)?年(?![\d度])")


def _short_of_count(q: Query, ground: str) -> str:
    """How far the years the user tells ("两年没完成") fall short of a ground that counts years
    (累计3年未完成…), said plainly; "" when the ground counts none or the user's count reaches it."""
    m = re.search(r"累计\s*(\d+)\s*年", ground)
    told = [parse_number(x) for x in _TOLD_YEARS.findall(q.text)]
    # or the calendar years named where the user says it was not done ("2024年和2026年…都没完成")
    missed = {y for clause in re.split(r"[,，。;；?？!！()（）]", q.text) if _NOT_DONE.search(clause)
              for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", clause)}
    if missed:
        told.append(len(missed))
    if not m or not told:
        return ""
    need, have = int(m.group(1)), max(told)
    if have >= need:
        return ""
    return f"须累计{need}年，还差{need - have:g}年（累计{need}年－您说的{have:g}年）"


def about_the_list(ctx: "Composer", q: Query, p: Provision) -> bool:
    """The question's words are the list's own lead-in ("什么情况下会撤销…资格？" against "有下列
    情形之一的，应撤销其…资格"): it asks for the whole list, not for the item that repeats them."""
    d = ctx.docs[p.doc_id]
    art = d.article(p.article)
    if art is None or not art.items:
        return False
    grams = ctx.qgrams(q, d, drop_intent="revocation")
    intro = d.text[art.start:art.items[0].start]
    return bool(grams) and ctx.coverage(grams, intro) >= ctx.coverage(grams, p.text)


def provision_quote(ctx: "Composer", out: Writer, p: Provision) -> str:
    d = ctx.docs[p.doc_id]
    art = d.article(p.article)
    s, e = p.start, p.end
    if p.item and art and art.items:  # an item of a list: the lead-in says what the list means
        ls, le = ctx.intro(d, art)
        return f"{as_written(d, ls, le)}：{p.item}{d.text[s:e]} {out.cite(d, p.article, s, e)}"
    if art is not None:  # a ground inside a sentence: the whole sentence, with the duty it follows from
        s, e = span_in(d.text, s, e, art.start, art.end)
    return f"{as_written(d, s, e)} {out.cite(d, p.article, s, e)}"


def values_in(ctx: "Composer", out: Writer, provs) -> None:
    for p in provs:
        for r in ctx.table.rules:
            if r.doc_id == p.doc_id and p.start <= r.start < p.end:
                out.value(r)


def best_lists(ctx: "Composer", q: Query, scope: list[Document], kind: str) -> list[tuple[Document, Article, list[Provision]]]:
    """The best list article of this kind per document (by its lead-in and items)."""
    out = []
    for d in scope:
        provs = [p for p in ctx.table.provisions if p.doc_id == d.id and p.kind == kind]
        if not provs:
            continue
        grams = ctx.qgrams(q, d)
        by_art: dict[str, list[Provision]] = {}
        for p in provs:
            by_art.setdefault(p.article, []).append(p)
        best = None
        for label, items in by_art.items():
            art = d.article(label)
            intro = d.text[art.start:items[0].start]
            score = 2 * ctx.coverage(grams, intro) + ctx.coverage(grams, art.text)
            if best is None or score > best[0]:
                best = (score, art, items)
        out.append((d, best[1], best[2]))
    return out


ITEM_MIN = 0.25
ITEM_MARGIN = 2.0


def render_lists(ctx: "Composer", q: Query, lists, out: Writer, intent: str) -> Draft:
    for d, art, items in lists[:3]:
        grams = ctx.qgrams(q, d, drop_intent=intent)
        scores = [ctx.coverage(grams, p.text) if grams else 0.0 for p in items]
        top = max(scores) if scores else 0.0
        second = sorted(scores)[-2] if len(scores) > 1 else 0.0
        ls, le = ctx.intro(d, art, items[0].start)
        lead = as_written(d, ls, le)
        lead_marker = out.cite(d, art.label, ls, le)
        # a particular item is asked about (its words, or clearly more of them than any other
        # item has, in a long question): give it in full
        # … unless the lead-in says the question's words as well ("主要任务有哪些？" against "中心的
        # 主要任务" and an item that mentions 重点任务): the whole list is asked
        named = bool(grams) and ctx.coverage(grams, d.text[ls:le]) >= top
        if not named and (top >= 0.5 or (top >= ITEM_MIN and top >= ITEM_MARGIN * second)):
            chosen = [p for p, s in zip(items, scores) if s >= 0.8 * top][:2]
            member = MEMBER.search(q.question) if len(lists) == 1 else None
            for n, p in enumerate(chosen):
                prefix = f"{ctx.who(d)}{art.label}（{lead}）" if n == 0 else "另见"
                if member and n == 0:  # "主要任务里有没有人才培养？": 有, the item, then the whole list
                    prefix = ("不是，" if member.group("neg") else "") + f"{'包括' if '包' in member.group(0) else '有'}：{prefix}"
                out.line(f"{prefix}：{p.item}{p.text} {out.cite(d, p.article, p.start, p.end)}")
            values_in(ctx, out, chosen)
            if member:
                out.line(f"{ctx.who(d)}{art.label}共列{len(items)}{measure(q.text)}：")
                _heads(d, items, out)
                out.values.append({"value": len(items), "unit": "项", "comparator": "=", "text": f"共列{len(items)}项"})
            continue
        out.line(f"{ctx.who(d)}{art.label}（共{len(items)}{measure(q.text)}）：{lead} {lead_marker}：")
        _heads(d, items, out)
    return out.draft(intent, topic="tasks" if intent == "task" else intent)


# whether a list holds the user's item: "有没有X", "包括X吗", "是不是不包括X", "X也在里面吗"
MEMBER = re.compile(r"(?P<neg>是不是不|是不是没)?(?:包括|包含|包不包括|含不含|有没有|有无)|也?在(?:里面|其中|里头|之列)吗")


def _heads(d, items, out: Writer) -> None:
    for p in items:
        head_end = p.text.find("。")
        head = p.text[: head_end] if 0 < head_end <= 40 else p.text
        out.line(f"- {p.item}{head} {out.cite(d, p.article, p.start, p.start + len(head))}")


DEFINED_NAME = 4  # characters at least of a name the question writes that a paragraph opens by defining


def defining(ctx: "Composer", q: Query, scope: list[Document]) -> tuple[Document, Article] | None:
    """The article that opens by saying what a name the question quotes is (“3项重点任务” →
    "3项重点任务是指…", "X包括…"): the longest such name; None when no article opens so."""
    best = None
    asked = q.text + "\n" + arabic_counts(q.text)  # (“三项重点任务” names “3项重点任务”)
    for d in scope:
        title = ctx._title_grams.get(d.id, set())
        for art in d.articles:
            m = LABEL.match(d.text, art.start)
            head = d.text[m.end() if m and not art.is_section else art.start: art.start + 40]
            for w in DEFINES:
                at = head.find(w)
                name = head[:at].strip() if at > 0 else ""
                if len(name) >= DEFINED_NAME and (f"“{name}”" in asked or f'"{name}"' in asked) and not bigrams(name) <= title \
                        and (best is None or len(name) > best[0]):
                    best = (len(name), d, art)
    return (best[1], best[2]) if best else None


def sections(ctx: "Composer", q: Query, hits, scope: list[Document], out: Writer, intent: str,
             *, evidence=None, chosen: tuple[Document, Article] | None = None) -> Draft:
    """Articles/sections without an extracted list: the best one (``evidence``: the retriever's
    top hit, when the caller already chose it), and when it introduces a list ("包括:",
    "以下几个方面"), the headings of the sections that follow."""
    doc = ctx.docs.get(evidence.chunk.doc_id) if evidence is not None else None
    art = doc.article(evidence.chunk.article) if doc is not None else None
    if chosen is not None:
        doc, art = chosen
    if art is not None:
        d = doc
    else:
        ranked = ctx.rank_articles(q, hits, [d.id for d in scope], drop_intent=intent)
        if not ranked or ranked[0][0] < 0.25:
            return extractive(ctx, q, hits, out)
        score, d, art = ranked[0]
    body_s = art.start
    m = LABEL.match(d.text, body_s)
    if m and not art.is_section:
        body_s = m.end()
    if art.end - body_s <= 420:
        out.line(f"{ctx.who(d)}：{ctx.quote_span(out, d, art, body_s, art.end)}")
    else:
        grams = ctx.qgrams(q, d, drop_intent=intent)
        for n, (sc, s, e) in enumerate(ctx.best_sentences(q, d, art, grams, n=3)):
            out.line(f"{ctx.who(d) + '：' if n == 0 else '- '}{ctx.quote_span(out, d, art, s, e)}")
    if ctx.is_intro(d.text[art.start:art.end]):
        following = list(ctx.following(d, art))
        for sib in following:
            s, e = ctx.heading_span(d, sib)
            out.line(f"- {ctx.quote_span(out, d, sib, s, e)}")
        if len(following) >= 2:  # how many the lead-in announces ("从以下几个方面…"): counted
            lead_in = d.text[art.start:art.end]
            stated = re.search(r"[一二三四五六七八九十两几]+(个方面|项|条)(?!目)", lead_in)
            measure = stated.group(1) if stated else "项"
            out.line(f"以上共{len(following)}{measure}。")
    elif intent == "task" and d.meta.kind != "regulation":
        elsewhere(ctx, q, d, art, out)
    for r in ctx.table.rules:
        if r.doc_id == d.id and r.article == art.label:
            out.value(r)
    return out.draft(intent)


# the question asks about a whole area it names ("石油这块", "海洋方面", "关于人才队伍")
_AREA_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,8})(?:的)?(?:这块|这一块|那块|这方面|方面)")
_AREA_AFTER = re.compile(r"(?:关于|涉及|有关)([\u4e00-\u9fff]{2,8})")
SPREAD = 0.2  # a term found in at most this share of a plan's sections is what some of them are about
SHORT_PLAN = 15  # sections; in a shorter plan a term in up to MAX_ELSEWHERE of them is
MAX_ELSEWHERE = 4


def _area_terms(text: str) -> list[str]:
    """The words naming the area asked about, longest first: the run before 这块/方面 and its
    endings, the run after 关于 and its beginnings."""
    out = []
    for m in _AREA_BEFORE.finditer(text):
        run = m.group(1)
        out += [run[i:] for i in range(len(run) - 1)]
    for m in _AREA_AFTER.finditer(text):
        run = m.group(1)
        out += [run[:i] for i in range(len(run), 1, -1)]
    return sorted(dict.fromkeys(out), key=len, reverse=True)


def elsewhere(ctx: "Composer", q: Query, d: Document, art: Article, out: Writer) -> None:
    """"石油这块有啥安排？": a plan or news text says what it plans for one area in several
    sections; the sentences of the other sections naming the area (as the quoted section names
    it, and few others do) follow the quoted section, in the text's order."""
    body = d.text[art.start:art.end]
    sections = d.articles
    for term in _area_terms(q.text):
        if term not in body:
            continue
        holding = [a for a in sections if term in d.text[a.start:a.end]]
        cap = max(2, int(SPREAD * len(sections))) if len(sections) >= SHORT_PLAN else MAX_ELSEWHERE
        if not 2 <= len(holding) <= cap:
            return
        shown = 0
        for other in holding:
            if other.label == art.label or shown >= MAX_ELSEWHERE:
                continue
            spans = [(a, b) for a, b in sentence_spans(d, other) if term in d.text[a:b]]
            if spans:
                out.line(f"- {ctx.who(d)}{other.label}：" + "".join(
                    ctx.quote_span(out, d, other, a, b) + "。" for a, b in spans[:2]))
                shown += 1
        return
