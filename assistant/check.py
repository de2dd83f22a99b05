"""Deterministic numeric checker: every number and article reference in an answer is
verified against the rules table and the documents in context.

verified: a rule of the in-context documents has the same value (after unit normalisation),
preferring the topic the claim's wording names; contradicted: the wording names a topic whose
rule says something else (or a cited article does not exist / lacks the number);
unsupported: nothing in context states it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import cn2an

from .errors import UnknownDocumentError
from .jurisdictions import canonical, corpus_names, find_in_text, resolve
from .normalize import SourceMap, align, normalize_query
from .numbers import POINTS, Quantity, find_quantities, format_value, normalise, same_value
from .rules import OTHER, RulesTable, load_vocabulary
from .types import Check, Document, Event, Rule

_REF = re.compile(r"第([零一二三四五六七八九十百千两\d]+)条")
_MARKER = re.compile(r"\[([^\[\]·]{1,40})·(第[零一二三四五六七八九十百千两\d]+条)\]")
# a law or book title right before "第X条": a reference into another text (民法典第二百零一条,
# 《计量法》第十条), not into the documents in context; "本办法"/"重庆办法" stay ours
_OTHER_TEXT = re.compile(r"(?:《([^《》]{1,60})》|([\u4e00-\u9fff]{0,12}(?:法典|[^办]法|条例)))的?\s*$")
_OURS = re.compile(r"本(?:办法|规定|细则|条例|法|意见|通知)$")
_GAP = re.compile(r"\s*[（(](\d{4})年(\d{1,2})月(\d{1,2})日至(\d{4})年(\d{1,2})月(\d{1,2})日[）)]")
_SUM = re.compile(r"\s*[（(]([^（）()＋+]{1,40})[＋+]([^（）()＋+]{1,40})[）)]")  # "4年（3年＋1年）"
_PROD = re.compile(r"\s*[（(]([^（）()×*]{1,40})[×*]([^（）()×*]{1,40})[）)]")  # "120人（您给出的200人×60%）"
_DIFF = re.compile(r"\s*[（(]([^（）()－\-]{1,40})[－\-]([^（）()－\-]{1,40})[）)]")  # "差8分（合格分数80分－您的得分72分）"
# the user's own figure, repeated in an answer (您的得分72分): no claim about the documents
_USERS = re.compile(r"(?:您的得分|您给出的|您说的|您的占比)$")
# "54%（您给出的27人÷50人）": the user's own share, worked out from their two figures
_QUOT = re.compile(r"\s*[（(]([^（）()÷]{1,40})÷([^（）()÷]{1,40})[）)]")
# a part of a multi-part question repeated as a heading (decompose.merge_parts): 关于“…”
_PART_HEADING = re.compile(r"关于“[^”\n]*”")
_COUNTED = re.compile(r"共列?$")  # "共列7项" counts an article's items
COUNT_UNITS = ("项", "条", "个", "种", "类", "点", "份")
_SENTENCE = "。;!?\n"
_CLAUSE = _SENTENCE + ","
_UP = {"<=", "<"}
_DOWN = {">=", ">"}


def context_docs(docs: list[Document], *, doc_ids=None, jurisdictions=None) -> list[Document]:
    """The documents a check (or comparison) runs against; unknown filters raise with the known ones."""
    selected = list(docs)
    if doc_ids:
        ids = [doc_ids] if isinstance(doc_ids, str) else list(doc_ids)
        known = [d.id for d in docs]
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise UnknownDocumentError(f"未知的文档 {', '.join(unknown)}。可用: {', '.join(known)}。"
                                       f" Unknown document; known: {', '.join(known)}.")
        selected = [d for d in selected if d.id in ids]
    if jurisdictions:
        names = [jurisdictions] if isinstance(jurisdictions, str) else list(jurisdictions)
        known = list(dict.fromkeys(d.meta.jurisdiction for d in docs))
        canon = {resolve(n, known, aliases=corpus_names(docs)) for n in names}
        selected = [d for d in selected if d.meta.jurisdiction in canon]
    return selected


def _normalise_answer(text: str) -> tuple[str, SourceMap]:
    """The answer normalised line by line (quotes in it are the documents' own text: full-width
    punctuation, "低于 80 分"), and the map back to the answer's own characters."""
    normalised = "\n".join(normalize_query(line) for line in text.split("\n"))
    return normalised, align(normalised, text)


def _span(text: str, pos: int, seps: str) -> tuple[int, int]:
    s = pos
    while s > 0 and text[s - 1] not in seps:
        s -= 1
    e = pos
    while e < len(text) and text[e] not in seps:
        e += 1
    return s, e


def _article_label(raw: str) -> str:
    """第16条 → 第十六条."""
    m = _REF.fullmatch(raw)
    num = m.group(1) if m else raw
    if num.isdigit():
        num = cn2an.an2cn(int(num))
    return f"第{num}条"


def _expected(rules: list[Rule]) -> str:
    seen = []
    for r in rules:
        s = f"{format_value(r.value, r.unit)} ({r.jurisdiction}·{r.article})"
        if s not in seen:
            seen.append(s)
    return "; ".join(seen)


def _direction_ok(claim: str, rule: str) -> bool:
    return not ((claim in _UP and rule in _DOWN) or (claim in _DOWN and rule in _UP))


class _Checker:
    def __init__(self, table: RulesTable, docs: list[Document], events):
        self.docs, self.events = docs, tuple(events)
        self.jurs = list(dict.fromkeys(d.meta.jurisdiction for d in docs))
        self.names = corpus_names(docs)  # the corpus' own names and aliases (岭西 for 岭西省)
        ids = {d.id for d in docs}
        self.rules = [r for r in table.rules if r.doc_id in ids]
        self.listed: dict[tuple[str, str], int] = {}  # (doc, article) → items it lists
        for p in table.provisions:
            if p.doc_id in ids and p.kind != "priority":
                self.listed[(p.doc_id, p.article)] = self.listed.get((p.doc_id, p.article), 0) + 1
        self.vocab = load_vocabulary()
        self._named: dict[str, list[str]] = {}  # sentence → the places it names (many numbers share one)

    def scope(self, text: str, pos: int, prefix: str = "") -> list[Document]:
        """Narrow to the jurisdiction or document the sentence (or citation marker) names."""
        if prefix:
            by_id = [d for d in self.docs if d.id == prefix or d.meta.title.startswith(prefix)]
            if by_id:
                return by_id
            canon = canonical(prefix)
            named = [d for d in self.docs if d.meta.jurisdiction == canon]
            if named:
                return named
        s, e = _span(text, pos, _SENTENCE)
        sentence = text[s:e]
        if sentence not in self._named:
            self._named[sentence] = [j for j in find_in_text(sentence, extra=tuple(self.jurs), names=self.names)
                                     if j in self.jurs]
        named = self._named[sentence]
        return [d for d in self.docs if d.meta.jurisdiction in named] or self.docs

    def number(self, text: str, q: Quantity) -> Check:
        scope_ids = {d.id for d in self.scope(text, q.start)}
        rules = [r for r in self.rules if r.doc_id in scope_ids]
        if q.unit in ("date", "年月", "年份"):
            return self.date(q, rules)
        if _USERS.search(text[max(0, q.start - 6):q.start]):
            return Check(q.text, "unsupported")  # the user's figure: neither verified nor contradicted
        total = self.total(text, q)
        if total is not None:
            return total
        gap = _gap(text, q)
        if gap is not None:
            return gap
        same = [r for r in rules if same_value(q.value, q.unit, r.value, r.unit) and _direction_ok(q.comparator, r.comparator)]
        s, e = _span(text, q.start, _SENTENCE)
        quoted = [r for r in same if len(r.quote) >= 6 and r.quote in text[s:e] and
                  text.find(r.quote, s, e) <= q.start < text.find(r.quote, s, e) + len(r.quote)]
        if quoted:  # the sentence quotes the rule itself, number included: its own wording decides
            return Check(q.text, "verified", quoted[0].id)
        topics = self.topics(text, q)
        for key in topics:
            hits = [r for r in same if r.topic == key]
            if hits:
                return Check(q.text, "verified", hits[0].id)
        for key in topics:
            stated = [r for r in rules if r.topic == key]
            if stated:
                return Check(q.text, "contradicted", stated[0].id, _expected(stated))
        if topics:  # the wording names a topic the documents in context are silent on
            return Check(q.text, "unsupported")
        if same:
            best = sorted(same, key=lambda r: r.topic == OTHER)[0]
            return Check(q.text, "verified", best.id)
        return Check(q.text, "unsupported")

    def total(self, text: str, q: Quantity) -> Check | None:
        """A sum the answer works out, written "最长4年（筹建期限3年＋延期上限1年）": verified when
        each addend is verified against the rules and they add up (after unit normalisation),
        contradicted when they do not; None when no sum follows the number."""
        m = _SUM.match(text, q.end)
        if not m and _DIFF.match(text, q.end):
            return self.difference(text, q, _DIFF.match(text, q.end))
        if not m and _PROD.match(text, q.end):
            return self.share(text, q, _PROD.match(text, q.end))
        if not m and _QUOT.match(text, q.end):
            return self.ratio(q, _QUOT.match(text, q.end))
        if not m or isinstance(q.value, tuple):
            return None
        addends = _operands(m)
        if addends is None:
            return None
        checks = [self.number(text, a) for a in addends]
        (x, ux), (y, uy), (t, ut) = (normalise(a.value, a.unit) for a in (*addends, q))
        if not (ux == uy == ut) or any(c.status != "verified" for c in checks):
            return Check(q.text, "unsupported")
        if x + y != t:
            return Check(q.text, "contradicted", "", f"{addends[0].text}＋{addends[1].text}")
        return Check(q.text, "verified", "+".join(c.rule_id for c in checks))

    def difference(self, text: str, q: Quantity, m: re.Match) -> Check | None:
        """"还差8分（合格分数80分－您的得分72分）": the rule's figure (verified against the rules)
        minus the user's own figure, recomputed; None when the operands are not one number each."""
        operands = _operands(m)
        if operands is None:
            return None
        # the rule's figure comes first when the user is short of it (合格分数80分－您的得分72分),
        # second when the user is over it (您给出的5年－筹建期限3年): one operand must be the rule's
        rule = next((c for c in (self.number(text, a) for a in operands) if c.status == "verified"),
                    Check(q.text, "unsupported"))
        (x, ux), (y, uy), (t, ut) = (normalise(a.value, a.unit) for a in (*operands, q))
        ut = "%" if q.unit == POINTS and ux == "%" else ut  # 5个百分点（90%－85%）
        if not (ux == uy == ut) or rule.status != "verified":
            return Check(q.text, "unsupported")
        if x - y != t:
            return Check(q.text, "contradicted", "", f"{operands[0].text}－{operands[1].text}")
        return Check(q.text, "verified", rule.rule_id)

    def share(self, text: str, q: Quantity, m: re.Match) -> Check | None:
        """"至少120人（您给出的200人×60%）": the user's figure times a percentage the rules state
        (verified against them), recomputed; None when the operands are not one number each."""
        operands = _operands(m)
        if operands is None:
            return None
        base, pct = operands
        if pct.unit != "%" or base.unit != q.unit:
            return Check(q.text, "unsupported")
        rule = self.number(text, pct)
        if rule.status != "verified":
            return Check(q.text, "unsupported")
        if abs(base.value * pct.value / 100 - q.value) > 1e-9:
            return Check(q.text, "contradicted", "", f"{base.text}×{pct.text}")
        return Check(q.text, "verified", rule.rule_id)

    def ratio(self, q: Quantity, m: re.Match) -> Check | None:
        """"54%（您给出的27人÷50人）": the user's share of their own two figures, recomputed (to one
        decimal) — no claim about the documents, so unsupported when right, contradicted when not."""
        operands = _operands(m)
        if operands is None:
            return None
        part, whole = operands
        if q.unit != "%" or part.unit != whole.unit or not whole.value:
            return Check(q.text, "unsupported")
        if abs(round(part.value / whole.value * 100, 1) - q.value) > 1e-9:
            return Check(q.text, "contradicted", "", f"{part.text}÷{whole.text}")
        return Check(q.text, "unsupported")

    def topics(self, text: str, q: Quantity) -> list[str]:
        """Topics named by the claim's clause (else sentence), best first, unit-compatible."""
        _, canon = normalise(q.value, q.unit)
        for seps in (_CLAUSE, _SENTENCE):
            s, e = _span(text, q.start, seps)
            ctx = text[s:q.start] + text[q.end:e]
            scored = []
            for n, t in enumerate(self.vocab.topics):
                if t.key == "target" or canon not in {normalise(1, u)[1] for u in t.units}:
                    continue
                hit = max((len(k) for k in t.keywords if k in ctx), default=0)
                if hit:
                    scored.append((-(hit + (2 if q.comparator in t.comparators else 0)), n, t.key))
            if scored:
                return [k for *_, k in sorted(scored)]
        return []

    def date(self, q: Quantity, rules: list[Rule]) -> Check:
        value = str(q.value)
        for e in self.events:
            dates = [e.date.isoformat()] + ([e.alternative.isoformat()] if e.alternative else [])
            if any(d.startswith(value) if q.unit != "date" else d == value for d in dates):
                return Check(q.text, "verified", e.rule_id)
        for r in rules:
            if r.unit == "date" and (str(r.value) == value or (q.unit != "date" and str(r.value).startswith(value))):
                return Check(q.text, "verified", r.id)
        if q.unit == "年份":
            for r in rules:
                if value in (r.note or ""):
                    return Check(q.text, "verified", r.id)
        return Check(q.text, "unsupported")

    def reference(self, text: str, label: str, pos: int, claim: str, prefix: str, numbers: list[Quantity]) -> Check:
        docs = self.scope(text, pos, prefix)
        arts = [(d, d.article(label)) for d in docs if d.article(label)]
        if not arts:
            where = "、".join(f"{d.meta.jurisdiction}《{d.meta.title}》共{len(d.articles)}条" for d in docs[:3])
            return Check(claim, "contradicted", "", f"无{label} ({where})")
        for q in numbers:
            if _is_count(text, q):
                # "共列7项": the number of items the article lists (its provision rows)
                if any(self.listed.get((d.id, a.label)) == q.value or len(a.items) == q.value for d, a in arts):
                    continue
                counts = "、".join(str(self.listed.get((d.id, a.label), len(a.items))) for d, a in arts)
                return Check(claim, "contradicted", "", f"{label}列有{counts}项，不是{q.text}")
            in_article = any(same_value(q.value, q.unit, x.value, x.unit)
                             for _, a in arts for x in find_quantities(a.text))
            if not in_article:
                ids = {d.id for d in docs}
                elsewhere = [r for r in self.rules if r.doc_id in ids and same_value(q.value, q.unit, r.value, r.unit)]
                hint = f"; 见 {_expected(elsewhere)}" if elsewhere else ""
                return Check(claim, "contradicted", "", f"{label}未规定{q.text}{hint}")
        rule = next((r for r in self.rules if r.article == label and r.doc_id == arts[0][0].id), None)
        return Check(claim, "verified", rule.id if rule else "")


def check(text: str, *, table: RulesTable, docs: list[Document], doc_ids=None, jurisdictions=None,
          events: tuple[Event, ...] | list[Event] = ()) -> list[Check]:
    """Check every numeric claim and article reference of an answer, in text order."""
    in_context = context_docs(docs, doc_ids=doc_ids, jurisdictions=jurisdictions)
    written = text or ""
    text, offsets = _normalise_answer(written)
    c = _Checker(table, in_context, events)
    refs: list[tuple[int, int, str, str, str]] = []  # (start, end, label, claim, prefix)
    for m in _MARKER.finditer(text):
        refs.append((m.start(), m.end(), _article_label(m.group(2)), m.group(0), m.group(1).strip()))
    for m in _REF.finditer(text):
        if not any(s <= m.start() < e for s, e, *_ in refs):
            refs.append((m.start(), m.end(), _article_label(m.group(0)), m.group(0), ""))
    refs.sort()
    foreign = [(s, e) for s, e, _, _, prefix in refs if not prefix and _other_text(text, s, in_context)]
    refs = [r for r in refs if (r[0], r[1]) not in foreign]
    asked = [(m.start(), m.end()) for m in _PART_HEADING.finditer(text)]  # the user's own words
    quantities = [q for q in find_quantities(text)
                  if not any(s <= q.start < e for s, e, *_ in refs) and not any(s <= q.start < e for s, e in foreign)
                  and not any(s <= q.start < e for s, e in asked)]
    # the user's own figures (您给出的2024年8月20日) are no claim of the article they stand beside
    claims = [q for q in quantities if not _USERS.search(text[max(0, q.start - 6):q.start])]
    vouched = {}
    for s, e, label, claim, prefix in refs:
        vouched[(s, e)] = _adjacent(text, refs, claims, s)
    counted = {id(q) for (s, _), qs in vouched.items() for q in qs if _is_count(text, q)}
    out: list[tuple[int, int, Check]] = []
    for q in quantities:
        if id(q) in counted:  # "共列6项": the reference it stands with checks it against the article's items
            owner = next(r for r in refs if any(x is q for x in vouched[(r[0], r[1])]))
            chk = c.reference(text, owner[2], owner[0], q.text, owner[4], [q])
            out.append((q.start, q.end, replace(chk, claim=q.text)))
        else:
            out.append((q.start, q.end, c.number(text, q)))
    for s, e, label, claim, prefix in refs:
        out.append((s, e, c.reference(text, label, s, claim, prefix, vouched[(s, e)])))
    out.sort(key=lambda x: x[0])
    return [_as_written(chk, s, e, text, written, offsets) for s, e, chk in out]


def _as_written(chk: Check, start: int, end: int, text: str, written: str, offsets: SourceMap) -> Check:
    """The claim as the answer wrote it ("低于 80 分", "５年"), so it can be found in the answer."""
    if chk.claim != text[start:end]:
        return chk
    s, e = offsets.source_offsets(start, end)
    return replace(chk, claim=written[s:e])


def _operands(m: re.Match) -> list[Quantity] | None:
    """The two numbers of a worked-out "（A＋B）"/"（A－B）", placed in the answer's text; None
    unless each side holds exactly one single number."""
    out = []
    for group in (1, 2):
        found = find_quantities(m.group(group))
        if len(found) != 1 or isinstance(found[0].value, tuple):
            return None
        a = found[0]
        out.append(replace(a, start=m.start(group) + a.start, end=m.start(group) + a.end))
    return out


def _gap(text: str, q: Quantity) -> Check | None:
    """"相隔10天（2025年7月22日至2025年8月1日）": the days between the two dates, recomputed
    (the dates themselves are checked where they stand); None when no span follows."""
    m = _GAP.match(text, q.end)
    if not m or q.unit not in ("天", "日") or isinstance(q.value, tuple):
        return None
    a, b = (dt.date(int(m.group(i)), int(m.group(i + 1)), int(m.group(i + 2))) for i in (1, 4))
    if (b - a).days == q.value:
        return Check(q.text, "verified")
    return Check(q.text, "contradicted", "", f"{(b - a).days}天")


def _is_count(text: str, q: Quantity) -> bool:
    """"共列7项", "共6项": a count of the items an article lists."""
    return q.unit in COUNT_UNITS and bool(_COUNTED.search(text[max(0, q.start - 3):q.start]))


def _other_text(text: str, start: int, docs: list[Document]) -> bool:
    """Whether the "第X条" at ``start`` belongs to another law or document (not checked)."""
    m = _OTHER_TEXT.search(text[max(0, start - 64):start])
    if not m:
        return False
    if m.group(1):  # 《title》: ours when it names a document in context
        title = m.group(1)
        return not any(title in d.meta.title or d.meta.title in title for d in docs)
    return not _OURS.search(m.group(2))


def _adjacent(text: str, refs, quantities: list[Quantity], ref_start: int) -> list[Quantity]:
    """Numbers a reference vouches for: in its sentence, attached to the first reference after
    them (citations follow claims), else to the nearest one before them."""
    s, e = _span(text, ref_start, _SENTENCE)
    mine = []
    for q in quantities:
        if not s <= q.start < e:
            continue
        after = [r for r in refs if s <= r[0] < e and r[0] >= q.end]
        before = [r for r in refs if s <= r[0] < e and r[1] <= q.start]
        owner = after[0] if after else (before[-1] if before else None)
        if owner and owner[0] == ref_start:
            mine.append(q)
    return mine
