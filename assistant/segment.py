"""Structure-aware segmentation of normalised text.

Regulations: Document → Chapter (第X章) → Article (第X条) → Item ((一)(二)…).
Plan/news texts: Sections labelled by their heading path ((一)1., 一是 …); an unnumbered
paragraph is labelled by its position (第3段). Offsets index ``Document.text``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import cn2an

from .normalize import SourceMap, align, normalize_text
from .types import Article, Chapter, DocMeta, Document, Item

log = logging.getLogger(__name__)

CN_NUM = "零一二三四五六七八九十百千两"
_CHAPTER = re.compile(rf"^第([{CN_NUM}]+)章\s*(.*)$")
_ARTICLE = re.compile(rf"^第([{CN_NUM}]+)条(?:\s|$)")
_ITEM = re.compile(rf"^\(([{CN_NUM}]+)\)")
_SUB_ITEM = re.compile(r"^(\d+)\.(?!\d)")
_NUM_ITEM = re.compile(r"^\((\d+)\)")  # (1) items, as some regulations number them
# "一、总则": the chapter heading of regulations drafted without 第X章 (short, no sentence punctuation)
_HEADING = re.compile(rf"^([{CN_NUM}]+)、\s*([^。;,:!?]{{1,24}})$")
_SHI_ITEM = re.compile(rf"^([{CN_NUM}]+)是")
# page furniture that ends the document body
_FURNITURE = re.compile(r"^(来源[:：]|相关文章|分享到|全部评论|当前位置|责任编辑|\((供稿|来源|作者|责任编辑)[:：])")
_ATTACHMENT = re.compile(r"^附件[:：]")
_MEDIA_TAG = re.compile(r"^【[^】\n]{0,20}】")


def cn_number(numeral: str) -> int:
    """第二十六条 → 26: cn2an on the numeral span only (never on whole text)."""
    return int(cn2an.cn2an(numeral, "smart"))


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) for each non-empty line of text."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line:
            out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def split_file(text: str, metas: list[DocMeta]) -> dict[str, tuple[str, str]]:
    """Cut one normalised source file into its documents: id → (document text, preamble).

    A document starts at the line equal to its ``begin`` (or at the top of the file when it
    has none) and runs to the next document's begin line; the part before the first
    document is the notice preamble, shared by all documents of the file.
    """
    return {doc_id: (text[s:e], preamble) for doc_id, (s, e, preamble) in split_file_spans(text, metas).items()}


def split_file_spans(text: str, metas: list[DocMeta]) -> dict[str, tuple[int, int, str]]:
    """Like ``split_file``, with each document's [start, end) in ``text`` instead of its text."""
    starts: list[tuple[int, DocMeta]] = []
    for meta in metas:
        if not meta.begin:
            starts.append((0, meta))
            continue
        begin = normalize_text(meta.begin).strip()
        pos = next((s for s, _, line in _lines(text) if line == begin), None)
        if pos is None:
            from .errors import ManifestError

            raise ManifestError(
                f"文档 {meta.id}: 在 {meta.source} 中找不到起始行 '{meta.begin}'。"
                f" Document {meta.id}: begin line not found in {meta.source}; fix `begin` in the manifest."
            )
        starts.append((pos, meta))
    starts.sort(key=lambda x: x[0])
    preamble = text[: starts[0][0]].strip()
    out = {}
    for i, (pos, meta) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out[meta.id] = (pos, end, preamble)
    return out


def segment_text(text: str, meta: DocMeta, *, preamble: str = "", source: SourceMap | None = None) -> Document:
    """Segment one document's text (normalised here if it is not already).

    ``source`` maps ``text`` (normalised) back to its source file; without it ``text`` itself is
    the source. The Document's ``source`` maps its own text, so quotes can be shown as written.
    """
    normalised = normalize_text(text)
    if source is not None and normalised != text:
        log.warning("%s: 规范化不是幂等的，引文按规范化文本显示 (normalisation not idempotent: quotes show "
                    "the normalised text)", meta.id)
        source = None
    if source is None and normalised != text:
        source = align(normalised, text)
    text = normalised
    stripped = _MEDIA_TAG.sub("", text, count=1).lstrip("\n")
    skipped = len(text) - len(stripped)  # the media tag and blank lines removed at the start
    body, attachments, meta = _cut_furniture(stripped, meta)
    if any(_ARTICLE.match(line) for _, _, line in _lines(body)):
        doc = _segment_regulation(body, meta, preamble, attachments)
    else:
        doc = _segment_sections(body, meta, preamble, attachments)
    if source is None:
        return doc
    return replace(doc, source=source.view(skipped, skipped + len(doc.text)))


def _cut_furniture(text: str, meta: DocMeta) -> tuple[str, tuple[str, ...], DocMeta]:
    """Drop trailing page furniture; the 附件 list becomes metadata."""
    attachments: list[str] = []
    end = len(text)
    in_attachments = False
    for start, stop, line in _lines(text):
        if _FURNITURE.match(line):
            end = min(end, start)
            break
        if _ATTACHMENT.match(line):
            end = min(end, start)
            in_attachments = True
        if in_attachments:
            attachments.append(_ATTACHMENT.sub("", line).strip())
    return text[:end].rstrip("\n"), tuple(a for a in attachments if a), meta


def _items(text: str, offset: int, pattern: re.Pattern = _ITEM) -> tuple[Item, ...]:
    items = []
    for start, end, line in _lines(text):
        m = pattern.match(line)
        if m:
            try:
                number = cn_number(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
            except ValueError:
                continue
            items.append(Item(label=m.group(0), number=number, start=offset + start, end=offset + end))
    return tuple(items)


def _segment_regulation(text: str, meta: DocMeta, preamble: str, attachments) -> Document:
    chapters: list[Chapter] = []
    heads: list[tuple[int, str, int, str]] = []  # (start, "第X条", number, chapter)
    warnings: list[str] = []
    current_chapter = ""
    lines = _lines(text)
    # chapters are 第X章, or "一、总则" headings when the regulation has no 第X章 (and its articles 第X条)
    chapter_rx = _CHAPTER if any(_CHAPTER.match(line) for _, _, line in lines) else _HEADING
    for n, (start, end, line) in enumerate(lines):
        m = chapter_rx.match(line)
        if m and chapter_rx is _HEADING and not (n + 1 < len(lines) and _ARTICLE.match(lines[n + 1][2])):
            m = None  # "一、…" is a heading only right before an article (otherwise it is an item)
        if m:
            number = cn_number(m.group(1))
            title = m.group(2).replace(" ", "")
            if chapter_rx is _HEADING:
                if chapters:
                    chapters[-1] = replace(chapters[-1], end=start - 1)
                label = f"{m.group(1)}、"
                chapters.append(Chapter(label=label, number=number, title=title, start=start, end=len(text)))
                current_chapter = f"{label}{title}"
                heads.append((start, "", -1, current_chapter))
                continue
            if chapters:
                chapters[-1] = replace(chapters[-1], end=start - 1)
            chapters.append(Chapter(label=f"第{m.group(1)}章", number=number, title=title, start=start, end=len(text)))
            current_chapter = f"第{m.group(1)}章 {title}".strip()
            heads.append((start, "", -1, current_chapter))  # a chapter line ends the previous article
            continue
        m = _ARTICLE.match(line)
        if m:
            heads.append((start, f"第{m.group(1)}条", cn_number(m.group(1)), current_chapter))
    articles: list[Article] = []
    for i, (start, label, number, chapter) in enumerate(heads):
        if not label:
            continue
        end = heads[i + 1][0] - 1 if i + 1 < len(heads) else len(text)
        body = text[start:end].rstrip("\n")
        end = start + len(body)
        items = _items(body, start) or _items(body, start, _SUB_ITEM) or _items(body, start, _NUM_ITEM)
        articles.append(
            Article(doc_id=meta.id, label=label, number=number, text=body, start=start, end=end,
                    chapter=chapter, items=items)
        )
    numbers = [a.number for a in articles]
    if numbers != list(range(1, len(numbers) + 1)):
        warnings.append(f"{meta.id}: 条文编号不连续 {numbers[:3]}… (article numbers are not 1..n)")
    return Document(meta=meta, text=text, chapters=tuple(chapters), articles=tuple(articles),
                    preamble=preamble, attachments=attachments, warnings=tuple(warnings))


def _is_heading(line: str) -> bool:
    """An unnumbered heading line: short, with no sentence-final punctuation."""
    return len(line) <= 40 and line[-1] not in "。;:!?”)" and not _SUB_ITEM.match(line)


def _group_name(line: str) -> str:
    m = re.search(r"提出了?(.{2,12}?)[,]?包括", line)
    if m:
        return m.group(1)
    return re.split(r"[,。:]", line)[0][:16]


# "…3项重点任务是指A、B、C。一是A。…二是B。…三是C。…": an enumeration written inline, each
# item opening a sentence; the first must be 一是 and the rest follow in order
_INLINE_SHI = re.compile(rf"(?:^|(?<=[。；;]))\s*([{CN_NUM}])是")
MIN_INLINE = 2  # items an inline enumeration needs to be split into sections


def _split_inline(text: str, articles: list) -> list:
    """Sections whose paragraph enumerates inline (一是…。二是…。三是…) split into one section per
    item, labelled after the paragraph (第8段·二是, 加强…·三是), so that an item's words point
    at the item's own text; the text before 一是 keeps the paragraph's label. Paragraph labels
    (第N段) stay as they were; numbers are renumbered in order."""
    out = []
    for a in articles:
        body = a.text
        marks = [m for m in _INLINE_SHI.finditer(body)]
        seq, want = [], 1
        for m in marks:  # the markers in order 一是, 二是, …; a stray one breaks the run
            if cn_number(m.group(1)) == want:
                seq.append(m)
                want += 1
        if len(seq) < MIN_INLINE:
            out.append(a)
            continue
        opens = seq[0].start(1) == 0 or not body[:seq[0].start(1)].strip()
        stem = a.label.rsplit("·", 1)[0] if (opens and "·" in a.label) else ("" if opens else a.label)
        cuts = [m.start(1) for m in seq] + [len(body)]
        pieces = []
        if not opens:
            pieces.append((0, cuts[0], a.label, a.heading))
        for n, m in enumerate(seq):
            label = a.label if (opens and n == 0) else (f"{stem}·{m.group(1)}是" if stem else f"{m.group(1)}是")
            pieces.append((cuts[n], cuts[n + 1], label, a.heading if (opens and n == 0) else ""))
        for lo, hi, label, heading in pieces:
            while hi > lo and body[hi - 1] in " \n":
                hi -= 1
            piece = body[lo:hi]
            start = a.start + lo
            out.append(replace(a, label=label, text=piece, start=start, end=a.start + hi, heading=heading,
                               items=_items(piece, start, _SUB_ITEM)))
    return [replace(a, number=n) for n, a in enumerate(out, start=1)]


def _segment_sections(text: str, meta: DocMeta, preamble: str, attachments) -> Document:
    lines = _lines(text)
    raw: list[dict] = []  # each: start, end, label, heading, group
    group, top, pending_heading = "", "", None
    for idx, (start, end, line) in enumerate(lines):
        nxt = lines[idx + 1][2] if idx + 1 < len(lines) else ""
        m_top, m_sub, m_shi = _ITEM.match(line), _SUB_ITEM.match(line), _SHI_ITEM.match(line)
        if m_top:
            top = m_top.group(0)
            label = top
            if len(line) <= 40 and _SUB_ITEM.match(nxt):  # a bare heading: merge into its first child
                pending_heading = (start, line)
                continue
        elif m_sub:
            label = f"{top}{m_sub.group(0)}"
        elif m_shi:
            label = m_shi.group(0)
        else:
            top = "" if not line.endswith(":") else top
            if idx > 0 and _is_heading(line) and nxt:
                group = _group_name(line)
                pending_heading = (start, line)
                continue
            if line.endswith(":"):
                group = _group_name(line)
            label = ""
        sec_start, heading = start, ""
        if pending_heading:
            sec_start, heading = pending_heading
            pending_heading = None
        raw.append({"start": sec_start, "end": end, "label": label, "heading": heading, "group": group})
    if not raw:  # nothing but headings: keep the whole text
        raw = [{"start": 0, "end": len(text), "label": "", "heading": "", "group": ""}]
    labels = [r["label"] for r in raw if r["label"]]
    clash = len(labels) != len(set(labels))
    articles = []
    for n, r in enumerate(raw, start=1):
        label = r["label"] or f"第{n}段"
        if clash and r["label"] and r["group"]:
            label = f"{r['group']}·{label}"
        body = text[r["start"]: r["end"]]
        articles.append(
            Article(doc_id=meta.id, label=label, number=n, text=body, start=r["start"], end=r["end"],
                    heading=r["heading"], is_section=True, items=_items(body, r["start"], _SUB_ITEM))
        )
    articles = _split_inline(text, articles)
    seen: dict[str, int] = {}
    for i, a in enumerate(articles):  # last resort: keep labels unique
        if a.label in seen:
            seen[a.label] += 1
            articles[i] = replace(a, label=f"{a.label}#{seen[a.label]}")
        else:
            seen[a.label] = 1
    warnings = []
    if len(articles) == 1:
        warnings.append(f"{meta.id}: 未识别到章节或条文结构，全文作为一个部分。"
                        " No structure recognised: the whole text is one section.")
    return Document(meta=meta, text=text, chapters=(), articles=tuple(articles),
                    preamble=preamble, attachments=attachments, warnings=tuple(warnings))
