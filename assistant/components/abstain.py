"""Abstentions: unreadable questions, places and subjects the corpus does not cover, a
manifest field asked for, a kind of document a place lacks, a topic the documents in scope
are silent on (saying what they do say nearby, and whose rule it would be elsewhere).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..arith import CONFIRM
from ..numbers import find_quantities
from ..types import Document
from ..understand import Query, bigrams, doc_kind, kind_name, without_story
from ..writer import Draft, Writer, date_cn, sentence_spans, span_in

if TYPE_CHECKING:
    from ..compose import Composer


def unreadable(ctx: "Composer", q: Query, out: Writer) -> Draft:
    out.line("没有识别出问题内容，无法回答。请用中文描述您的问题，例如“重庆碳计量中心筹建期几年？”。")
    return out.draft("other", abstained=True)


def foreign(ctx: "Composer", q: Query, out: Writer) -> Draft:
    places = "、".join(q.foreign)
    have = "、".join(dict.fromkeys(d.meta.jurisdiction for d in ctx.doc_list))
    out.line(f"语料中没有{places}的文件，无法回答{places}的问题。"
             f"The corpus has no document for {places}; it has: {have}.")
    for note in q.notes:
        out.line(note)
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    if q.kinds and scope and len(scope) < len(ctx.doc_list):
        out.line(f"语料中与之同类的文件有：{'、'.join(ctx.name(d) for d in scope)}（分别适用于"
                 f"{'、'.join(dict.fromkeys(d.meta.jurisdiction for d in scope))}，不适用于{places}）。")
    else:
        out.line(f"现有文件：{ctx.corpus_summary()}。")
    return out.draft(q.intent, abstained=True)


def uncovered_subject(ctx: "Composer", q: Query, out: Writer) -> Draft | None:
    """Fees, subsidies, appeals …: abstain when no document in scope mentions the subject."""
    if not q.subjects:
        return None
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    for subject in ctx.vocab.subjects:
        if subject.name not in q.subjects:
            continue
        if any(w in d.text for d in scope for w in subject.evidence):
            continue
        who = "、".join(ctx.who(d) for d in scope) or "语料中的文件"
        out.line(f"{who}没有关于{subject.name}的规定，无法回答这一问题。")
        nearby = []
        for d in scope:
            for art in d.articles:
                for s, e in sentence_spans(d, art):
                    if any(w in d.text[s:e] for w in subject.nearby):
                        nearby.append((d, art, s, e))
        if nearby:
            out.line("相关的规定只有：")
            for d, art, s, e in nearby[:3]:
                out.line(f"- {ctx.who(d)}：{ctx.quote_span(out, d, art, s, e)}")
        return out.draft(q.intent, abstained=True)
    return None


# a question about what a named document says inside ("评分表里各项分值", "任务书里要填哪些指标")
_ASKS_CONTENT = re.compile(r"[里中内](?:的)?(?:各|具体|都|要求|规定|列|写|填|有)|[里中内][^，,。？?]{1,6}(?:填|写|列)(?:哪些|什么|啥)|具体内容|什么内容|哪些内容|分值|怎么分配"
                           r"|指标|模板|样式|格式|列一下|全文|原文|打分项|评分项|权重|评分标准|打分标准|扣分|栏目"
                           r"|怎么(?:打分|评分|计分|算分)|各项.{0,2}(?:多少|几)分"
                           r"|各占|发我|发一份|看看|长什么样|什么样子|哪些字段|\bfields?\b|\btemplate\b|\bcontents?\b"
                           r"|show me|what(?:'s| is) in", re.IGNORECASE)
NAMED_MATCH = 0.6  # share of a named document's own words (beyond the citing document's title) the question uses


def _named_documents(d) -> list[str]:
    """Documents a document names without containing them: its attachments and the 《titles》 it cites."""
    names = [re.sub(r"^\d+[.、]\s*", "", a) for a in getattr(d, "attachments", ()) or ()]
    names += re.findall(r"《([^《》]{4,40})》", d.text)
    return list(dict.fromkeys(n for n in names if n))


def _where_named(d, name: str) -> tuple[int, int]:
    """Where the text names ``name``: the name itself, else the attachment's number ("详见附件5")."""
    at = d.text.find(name)
    if at >= 0:
        return at, at + len(name)
    for a in getattr(d, "attachments", ()) or ():
        m = re.match(r"(\d+)[.、]\s*(.*)$", a)
        if m and m.group(2) == name:
            ref = re.search(rf"附件{m.group(1)}(?!\d)", d.text)
            if ref:
                return ref.start(), ref.end()
    return -1, -1


# "湖北现在已经批了哪些省级碳计量中心？": which institutions exist — a register, not a rule
_REGISTRY = re.compile(r"(?:已经|目前|现在|至今|截至目前|到现在|现有)[^，,。？?]{0,12}(?:哪些|几家|多少家|哪几家|多少个)|"
                       r"(?:批了|批准了|建了|建成了|成立了|认定了)(?:哪些|几家|多少家|哪几家)")


def registry(ctx: "Composer", q: Query, out: Writer) -> Draft | None:
    """A question about which institutions have been approved or built so far, asked of rules
    (管理办法) that list none: say the documents are rules, not a register."""
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]
    if not _REGISTRY.search(q.text) or not scope or any(d.meta.kind != "regulation" for d in scope):
        return None
    out.line(f"{'、'.join(ctx.name(d) for d in scope)}是管理办法，只规定申请、建设和管理的规则，"
             f"没有列出已批准或已建成的单位名单，无法回答。")
    return out.draft(q.intent, abstained=True, settled=True)


def named_only(ctx: "Composer", q: Query, out: Writer) -> Draft | None:
    """A question about the contents of a document the corpus only names (an attachment, a
    评审细则, a form): say it is named but not included, and where it is named — instead of
    answering from nearby articles."""
    if not _ASKS_CONTENT.search(q.text):
        return None
    best = _named_match(ctx, q)
    if best is not None:
        _, _, d, name = best
        at, end = _where_named(d, name)
        art = next((a for a in d.articles if a.start <= at < a.end), None) if at >= 0 else None
        out.line(f"{ctx.who(d)}提到了《{name}》，但语料中没有它的正文，无法回答其中的具体内容。")
        if art is not None:
            s, e = span_in(d.text, at, end, art.start, art.end)
            out.line(f"提到它的条文：{ctx.quote_span(out, d, art, s, e)}。")
        return out.draft(q.intent, abstained=True, settled=True)
    return None


def _kind_word(name: str) -> str:
    """The last two characters of a document's name without its bracketed tail: what kind of
    document it is (筹建任务书 → 务书, 验收评审细则 → 细则, 计量发展规划(2021-2035年) → 规划)."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", name).strip()[-2:]


def _named_match(ctx: "Composer", q: Query):
    """(share, size, document, name) of the document a scope document only names that the
    question's words match best (an attachment by its number too); None below NAMED_MATCH."""
    titles = {bigram for d in ctx.doc_list for bigram in bigrams(d.meta.title)}
    corpus_titles = [d.meta.title for d in ctx.doc_list]
    told = without_story(q.question)  # (a form named only in the user's story is no question about
    asked = bigrams(q.text)  # it: "我们刚把申报书和筹建任务书交到市局，…专家论证哪些内容？")
    best = None
    for d in [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]:
        own = bigrams(d.meta.title)
        numbered = {re.sub(r"^\d+[.、]\s*", "", a): m.group(1) for a in getattr(d, "attachments", ()) or ()
                    if (m := re.match(r"(\d+)[.、]", a))}
        for name in _named_documents(d):
            if any(name in t or t in name for t in corpus_titles):
                continue  # the corpus holds it
            grams = bigrams(name) - own
            share = len(grams & asked) / len(grams) if len(grams) >= 2 and not grams <= titles else 0.0
            if _kind_word(name) not in told:
                share = 0.0  # a document is named by its kind (…任务书, …评分表, …细则): "任务里有没有…" is not it
            if name in numbered and re.search(rf"附件\s*{numbered[name]}(?!\d)", q.text):
                share = 1.0  # the question names the attachment by its number ("（附件3）里…")
            if share >= NAMED_MATCH and (best is None or (share, len(grams)) > best[:2]):
                best = (share, len(grams), d, name)
    return best


def metadata(ctx: "Composer", q: Query, out: Writer) -> Draft:
    """The manifest fields the question asks for (文号, 发布日期, 发文机关): every one it names."""
    keys = [k for k, cues in ctx.vocab.metadata.items() if any(c in q.text for c in cues)]
    titles = [d.meta.title for d in ctx.doc_list]
    cited = [t for t in re.findall(r"《([^《》]{4,})》", q.text) if not any(t in x or x in t for x in titles)]
    named = _named_match(ctx, q)  # "省政府那份…实施意见，文号是啥？": a document the corpus only names
    if not cited and named is not None and set(keys) | {q.metadata} <= {"doc_number", "issued", "issuer"}:
        cited = [named[3]]
    if cited:  # the question asks about a document the corpus only cites: its fields are not ours
        out.line(f"语料中没有《{cited[0]}》本身，无法给出它的文号或日期（所问文件只是提到它）。")
        return out.draft("numeric", abstained=True)
    drafts = [_metadata_field(ctx, q, key, out) for key in dict.fromkeys([q.metadata, *keys])]
    if len(drafts) == 1:
        return drafts[0]
    return out.draft("numeric", abstained=all(d.abstained for d in drafts))


_STATUS = ((r"征求意见稿|草案", "征求意见稿（草案）"), (r"试行", "试行"), (r"暂行", "暂行"))


def _status(ctx: "Composer", scope, out: Writer) -> Draft:
    """Whether each document is a trial, interim or draft version: what its title says."""
    for d in scope:
        title = d.meta.title
        kind = next((name for pattern, name in _STATUS if re.search(pattern, title)), "")
        if kind:
            out.line(f"{ctx.name(d)}是{kind}文件，不是正式版：标题写明“{kind[:2]}”（据语料清单）。")
        else:
            out.line(f"{ctx.name(d)}的标题没有标注试行、暂行或征求意见稿（据语料清单）。")
    return out.draft("numeric")


def _attachments(ctx: "Composer", scope, out: Writer) -> Draft:
    """The attachments each document lists (its 附件 list, kept as metadata), counted, each with
    the sentence that refers to it ("(见附件1)")."""
    listed = [d for d in scope if d.attachments]
    if not listed:
        out.line(f"{'、'.join(ctx.name(d) for d in scope) or '所问的文件'}没有列出附件，无法回答。")
        return out.draft("numeric", abstained=True)
    for d in listed:
        out.line(f"{ctx.name(d)}列有{len(d.attachments)}个附件（据文末附件目录）：")
        for a in d.attachments:
            m = re.match(r"(\d+)[.、]\s*(.*)$", a)
            number, name = (m.group(1), m.group(2)) if m else ("", a)
            line = f"- 附件{number}：{name}" if number else f"- {name}"
            at, end = _where_named(d, name)
            art = next((x for x in d.articles if x.start <= at < x.end), None) if at >= 0 else None
            if art is not None:
                s, e = span_in(d.text, at, end, art.start, art.end)
                line += f"（{art.label}：{ctx.quote_span(out, d, art, s, e)}）"
            out.line(line)
    for d in scope:
        if d not in listed:
            out.line(f"{ctx.name(d)}没有列出附件。")
    out.line("附件正文不在语料中。")
    return out.draft("numeric")


def _date_verdict(q: Query, key: str, found) -> tuple[bool, str]:
    """"是2025年8月1日印发的吗？" against the manifest's issue date: (the user's day is it, the
    line saying it is not — and what the user's day is when it is the effective date)."""
    if key != "issued" or len(q.dates) != 1 or len({v for _, v in found}) != 1:
        return False, ""
    mine, (d, value) = q.dates[0], found[0]
    if date_cn(mine) == value:
        return True, ""
    also = f"（{date_cn(mine)}是施行日期）" if getattr(d.meta, "effective", None) == mine else ""
    return False, f"不是：发布日期是{value}，不是您说的{date_cn(mine)}{also}。"


def _metadata_field(ctx: "Composer", q: Query, key: str, out: Writer) -> Draft:
    scope = [ctx.docs[i] for i in q.doc_ids if i in ctx.docs][:3]
    if key == "status":
        return _status(ctx, scope, out)
    if key == "attachments":
        return _attachments(ctx, scope, out)
    field_name = {"doc_number": "文号", "issued": "发布日期", "issuer": "发文机关"}.get(key, key)
    found, missing = [], []
    for d in scope:
        value = getattr(d.meta, key, "")
        if isinstance(value, dt.date):
            value = date_cn(value)
        (found if value else missing).append((d, value))
    if not found:
        out.line(f"{'、'.join(ctx.name(d) for d, _ in missing)}的材料中没有给出{field_name}，无法回答。")
        refs = [m for d, _ in missing for m in re.findall(r"〔\d{4}〕\d+号", d.text)]
        if refs:
            out.line(f"文中只引用了其他文件的文号（如{'、'.join(dict.fromkeys(refs))}），不是该文件本身的文号。")
        return out.draft("numeric", abstained=True)
    agrees, disagrees = _date_verdict(q, key, found)
    if disagrees:
        out.line(disagrees)
    for i, (d, value) in enumerate(found):
        out.line(f"{'是：' if agrees and not i else ''}{ctx.name(d)}的{field_name}：{value}（据语料清单）。")
    for d, _ in missing:
        out.line(f"{ctx.name(d)}未给出{field_name}。")
    effective = [d for d, _ in found if ctx.rules("effective_date", [d.id])]
    if key == "issued" and _ALSO_EFFECTIVE.search(q.text) and effective:
        from .numeric import state_topic  # ("印发日期和施行日期各是哪天？": the article saying when it takes effect)

        state_topic(ctx, q, "effective_date", effective, out, lead=False)
    return out.draft("numeric")


_ALSO_EFFECTIVE = re.compile(r"施行|生效|实施|执行|take effect|in force", re.IGNORECASE)


# the text itself puts the specifics elsewhere: "按照规定格式制作", "(见附件1)", "另行制定"
_DEFERS = re.compile(r"按照?规定(?:的)?格式|规定格式|[(（]?(?:详)?见附件\d*[)）]?|另行(?:制定|通知|公布|规定)")
# a question asking for such specifics: a format, a size, the contents or parts of a form
_ASKS_SPECIFICS = re.compile(r"尺寸|样式|式样|材质|字样|规格|格式|模板|栏目|哪些部分|哪几部分|哪几个部分|具体内容|"
                             r"什么内容|哪些内容|具体.{0,4}(?:要求|规定)|什么样")
DEFER_MATCH = 0.3  # the deferring sentence must share this much of the question's subject


def deferred(ctx: "Composer", q: Query, out: Writer) -> Draft | None:
    """A question asking for specifics the document itself puts elsewhere ("牌匾的尺寸和样式？"
    against "可以按照规定格式制作和悬挂牌匾"; "申报书有哪些栏目？" against "(见附件1)"): say the
    corpus does not give them and quote the sentence that defers; None otherwise."""
    if not _ASKS_SPECIFICS.search(q.text) or q.asked_units:  # a count asked (几份) is answerable
        return None
    best = None
    for d in [ctx.docs[i] for i in q.doc_ids if i in ctx.docs]:
        grams = ctx.qgrams(q, d)
        if not grams:
            continue
        for art in d.articles:
            for s, e in sentence_spans(d, art):
                sentence = d.text[s:e]
                if not _DEFERS.search(sentence):
                    continue
                score = ctx.coverage(grams, sentence)
                if score >= DEFER_MATCH and (best is None or score > best[0]):
                    best = (score, d, art, s, e)
    if best is None:
        return None
    _, d, art, s, e = best
    out.line(f"{ctx.who(d)}没有给出这些具体内容，无法回答；它只写道：{ctx.quote_span(out, d, art, s, e)}。")
    return out.draft(q.intent, abstained=True, settled=True)


_YES_NO = re.compile(r"有没有|是不是|是否|有无|提没提|提到.{0,12}吗|吗[?？]?$|([\u4e00-\u9fff])不\1")  # (打不打算)
MENTION_MIN = 5  # characters of the question's own wording, the kind's name among them and more


def mentioned(ctx: "Composer", q: Query, out: Writer, *, yes_no_only: bool = False) -> Draft | None:
    """A question to a jurisdiction without a document of the asked kind that its documents still
    mention ("江西有没有打算争取国家碳计量中心？", "江西国家碳计量中心是什么目标？"): the sentence
    holding the question's own wording of it (a yes/no question is answered yes); None when no
    sentence does, or when the question asks what the mention does not say ("…什么时候验收？"):
    the abstention stands (and quotes the mention)."""
    asks_yes = _YES_NO.search(q.text) and not (q.asks_number and not q.followup)  # (a follow-up's own yes/no)
    found = kind_phrases(ctx, q)
    if not found or not (asks_yes or (not yes_no_only and _mention_answers(ctx, q, found))):
        return None
    _quote_mentions(ctx, found, out, "有提到：" if asks_yes else "")
    return out.draft("other") if out.lines else None


def _mention_answers(ctx: "Composer", q: Query, found) -> bool:
    """The mention's passage holds what the question asks: a rules topic its documents have
    (目标 → the target), or every subject word of the question."""
    if q.topics:
        return all(ctx.rules(t, [d.id for d, _ in found]) for t in q.topics)
    for d, phrase in found:
        at = d.text.find(phrase)
        art = next((a for a in d.articles if a.start <= at < a.end), None)
        words = [w for w in q.terms.split() if len(w) >= 2 and w not in phrase]
        if art is not None and words and all(w in art.text for w in words):
            return True
    return False


def _quote_mentions(ctx: "Composer", found, out: Writer, lead: str) -> None:
    for d, phrase in found:
        at = d.text.find(phrase)
        art = next((a for a in d.articles if a.start <= at < a.end), None)
        if art is None:
            continue
        s, e = span_in(d.text, at, at + len(phrase), art.start, art.end)
        years = re.findall(r"到(20\d\d)年", d.text[art.start:s])  # the target year the sentence is under
        when = f"（{years[-1]}年目标）" if years and f"{years[-1]}年" not in d.text[s:e] else ""
        out.line(f"{lead}{ctx.who(d)}{'' if art.is_section else art.label}{when}写道：{ctx.quote_span(out, d, art, s, e)}。")


def kind_phrases(ctx: "Composer", q: Query) -> list:
    """(document, phrase) for each document of a place without a document of the asked kind that
    writes the question's own wording around the kind's name, longer than the name
    ("国家碳计量中心" in 江西's interview): the question is about what that document says."""
    kinds = ctx.vocab.doc_kinds
    cues = [c for k in q.kinds if k in kinds for c in kinds[k].cues if len(c) >= 3]
    found = []
    for d in [ctx.docs[i] for i in q.doc_ids if i in ctx.docs and ctx.docs[i].meta.jurisdiction in q.missing_kind]:
        for cue in cues:
            at = q.text.find(cue)
            if at < 0:
                continue
            # the longest run of the question around the cue that the document writes too
            best = ""
            for a in range(at, -1, -1):
                for b in range(at + len(cue), len(q.text) + 1):
                    if b - a > len(best) and q.text[a:b] in d.text:
                        best = q.text[a:b]
            if len(best) >= max(MENTION_MIN, len(cue) + 2):  # more than the kind's bare name
                found.append((d, best))
                break
    return found


def missing_kind(ctx: "Composer", q: Query, out: Writer) -> Draft:
    kind = kind_name(q.kinds[0], ctx.vocab)
    for j in q.missing_kind:
        have = [d for d in ctx.doc_list if d.meta.jurisdiction == j]
        out.line(f"语料中{j}没有{kind}方面的文件，无法按{j}的{kind}回答。")
        if have:
            out.line(f"{j}现有的文件是{'、'.join(ctx.name(d) for d in have)}。")
    _quote_mentions(ctx, kind_phrases(ctx, q), out, "只有这一处提到：")  # "江西…国家碳计量中心什么时候验收？"
    others = [d for d in ctx.doc_list if doc_kind(d, ctx.vocab) == q.kinds[0]]
    if others:
        out.line(f"有{kind}办法的是：{'、'.join(dict.fromkeys(d.meta.jurisdiction for d in others))}。")
    return out.draft(q.intent, abstained=True)


# a figure the user asks to have confirmed ("也是7个工作日？", "是不是3年？")
_CONFIRM = re.compile(r"也是|也要|也得|一样|同样|" + CONFIRM.pattern)


# a yes/no question whether the document has a rule at all ("也要公示吗？", "有没有这个时限？")
_ASKS_IF_ANY = re.compile(r"也(?:要|有|需要|得|必须|规定)[^，,。？?]{0,12}吗|有没有[^，,。？?]{0,12}(?:规定|要求|时限|期限|环节)|"
                          r"是否(?:也)?(?:有|规定|要求)")
STEP_SENTENCES = 3  # sentences quoted of the article on the steps around one a document lacks
# … or whether a step exists at all ("批筹前要公示吗？", "有没有公示期？", "is there a … period?")
_ASKS_IF_STEP = re.compile(r"要不要|需不需要|有没有|是否(?:需要|要|有)|(?:要|需要|得)[^，,。？?]{1,8}吗|\bis there\b|\bdo(?:es)? .{0,40}\bneed\b",
                           re.IGNORECASE)


def _figure_to_confirm(q: Query) -> str:
    """The figure (number and unit, as written) a yes/no question asks to have confirmed."""
    if not _CONFIRM.search(q.text):
        return ""
    found = [x for x in find_quantities(q.text) if x.unit not in ("date", "年份", "月份", "年月")]
    return q.text[found[0].start:found[0].end] if found else ""


def abstain_topic(ctx: "Composer", q: Query, topic: str, out: Writer, scope: list[Document], hits=()) -> Draft:
    """The documents asked about are silent on a topic: say so, quote what they do say about
    it, and name the jurisdictions whose documents state it (as theirs). Whether the step exists
    at all, asked of documents that never write its words ("天津批筹前要公示吗？"), is answered:
    no, with the retrieved article on the steps around it."""
    label = ctx.label(topic)
    who = "、".join(ctx.who(d) for d in scope) or "所问的文件"
    figure = _figure_to_confirm(q)
    answered = step_absent = False  # (a verdict instead of the abstention: 不是 / 没有)
    head = len(out.lines)
    out.line(f"{who}未规定{label}，无法给出这一数字。")
    keywords = ctx.topics.topic(topic).keywords if ctx.topics.topic(topic) else ()
    said = False
    for d in scope:
        mention = ctx.mention(q, d, keywords)
        if mention:
            art, s, e = mention
            out.line(f"{ctx.who(d)}只规定：{ctx.quote_span(out, d, art, s, e)}。")
            said = True
    if figure and said:
        # "也是7个工作日？" where the document sets no figure but has the rule: the answer is no
        out.lines[head] = f"不是：{who}未规定{label}，没有“{figure}”这样的具体数字。"
        answered = True
    elif said and _ASKS_IF_ANY.search(q.text):
        # "湖北那边也要公示吗？" / "也有这个时限吗？": whether the document has it at all — it has not
        out.lines[head] = f"没有：{who}未规定{label}。"
        answered = True
    elif not said and not figure and keywords and scope and _ASKS_IF_STEP.search(q.question) and not any(
            k in d.text for d in scope for k in keywords):
        ranked = ctx.rank_articles(q, hits, [d.id for d in scope if d.meta.kind == "regulation"])
        if ranked and ranked[0][0] > 0:
            _, d, art = ranked[0]  # (the article on the steps the question names: 批准筹建)
            out.lines[head] = f"没有：{who}没有关于{keywords[-1]}的规定（全文未写“{keywords[-1]}”）。"
            spans = sentence_spans(d, art)[:STEP_SENTENCES]
            out.line(f"{ctx.who(d)}{art.label}所写的这一环节：" + "".join(f"{ctx.quote_span(out, d, art, a, b)}。" for a, b in spans))
            answered = step_absent = True  # (no such step: settled, the evidence review leaves it be)
    kinds = {doc_kind(d, ctx.vocab) for d in scope}
    in_scope = {d.id for d in scope}
    others = [r for r in ctx._by_topic.get(topic, ()) if r.doc_id not in in_scope]
    others.sort(key=lambda r: doc_kind(ctx.docs[r.doc_id], ctx.vocab) not in kinds)
    seen = set()
    for r in others:
        if r.doc_id in seen:
            continue
        seen.add(r.doc_id)
        d = ctx.docs[r.doc_id]
        out.line(f"{ctx.who(d)}规定：{ctx.quote_rule(out, r, full=False)}（这是{d.meta.jurisdiction}的规定，"
                 f"不适用于{'、'.join(dict.fromkeys(x.meta.jurisdiction for x in scope))}）。")
        if len(seen) >= 2:
            break
    return out.draft(q.intent, abstained=not answered, topic=topic, settled=step_absent)
