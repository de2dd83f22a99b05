"""Text normalisation shared by documents and queries.

The source files stay as received; everything here happens in code:
traditional → simplified (opencc), full-width ASCII → half-width, spaces inside numbers
and units removed, page-break line breaks inside a sentence joined, markdown residue
("- (一)") dropped. ``normalize_text`` is idempotent.
"""

from __future__ import annotations

import functools
import re

CJK = r"\u4e00-\u9fff"
# characters a sentence or heading may legitimately end with
_TERMINAL = set("。;:!?”’」』)》〕】…")
_STRUCT = re.compile(
    rf"^(第[零一二三四五六七八九十百千0-9]+[章条节]"  # 第X章 / 第X条
    rf"|\([一二三四五六七八九十]+\)"  # (一)
    rf"|[一二三四五六七八九十]+、"  # 一、
    rf"|[一二三四五六七八九十]+是"  # 一是
    rf"|\d+[.、](?!\d)"  # 1. / 1、
    rf"|附件|来源|分享到|相关文章|全部评论)"
)
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号$")
_ARTICLE_LABEL = re.compile(r"^(第[零一二三四五六七八九十百千]+[章条])\s*")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: the converter loads dictionaries

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def to_halfwidth(text: str) -> str:
    """Full-width ASCII variants (U+FF01–FF5E) → ASCII; ideographic space → space."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000 or ch in "\u00a0\u2002\u2003\u2009\u200b\ufeff":
            out.append(" " if ch not in "\u200b\ufeff" else "")
        elif ch in "─━":  # box-drawing dashes used as em dashes (2021─2035)
            out.append("—")
        else:
            out.append(ch)
    return "".join(out)


_SPACE_BETWEEN = re.compile(rf"(?<=[{CJK}0-9%,.、;:()“”《》〔〕—]) +(?=[{CJK}0-9%,.、;:()“”《》〔〕—])")
_MD_BULLET = re.compile(r"^\s*[-*•·]\s+(?=\()", re.M)


def _clean_line(line: str) -> str:
    line = line.strip()
    line = _MD_BULLET.sub("", line)
    line = re.sub(r"[ \t]+", " ", line)
    m = _ARTICLE_LABEL.match(line)
    if m:  # "第一条为规范…" and "第一条  为规范…" both become "第一条 为规范…"
        rest = line[m.end():]
        line = m.group(1) + " " + _SPACE_BETWEEN.sub("", rest) if rest else m.group(1)
        return line
    return _SPACE_BETWEEN.sub("", line)


def _joins(prev: str, nxt: str, *, blank_lines: int) -> bool:
    """Was the break between these two lines a page/line break inside one sentence?

    A sentence cut by a line break ends in a comma-like mark; one cut by a page break (the
    text of a PDF page, then blank lines) may end anywhere. A single line break after a
    line without final punctuation is a heading, and stays.
    """
    if not prev or not nxt:
        return False
    if prev[-1] in _TERMINAL or _STRUCT.match(nxt):
        return False
    if _DOC_NUMBER.search(prev) or _DOC_NUMBER.search(nxt):  # 文号 lines stand alone
        return False
    if _ARTICLE_LABEL.match(prev) and len(prev) <= 12:  # a bare heading like "第一章 总则"
        return False
    if prev[-1] in ",、“《(—【":
        return True
    return (blank_lines >= 2 and len(prev) >= 18) or len(prev) > 40


def normalize_text(text: str) -> str:
    """Normalise a whole document text (keeps paragraph breaks as single newlines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = to_halfwidth(to_simplified(text))
    paragraphs: list[str] = []
    blank_lines = 0
    for raw in text.split("\n"):
        line = _clean_line(raw)
        if not line:
            blank_lines += 1
            continue
        if paragraphs and _joins(paragraphs[-1], line, blank_lines=blank_lines):
            paragraphs[-1] = _clean_line(paragraphs[-1] + line)
        else:
            paragraphs.append(line)
        blank_lines = 0
    return "\n".join(paragraphs) + ("\n" if paragraphs else "")


def normalize_query(text: str) -> str:
    """Normalise a question the same way as documents, on one line."""
    text = to_halfwidth(to_simplified(text or ""))
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_BETWEEN.sub("", text)
