"""Text normalisation shared by documents and queries.

The source files stay as received; everything here happens in code:
traditional → simplified (opencc), full-width ASCII → half-width, spaces inside numbers
and units removed, page-break line breaks inside a sentence joined, markdown residue
("- (一)") dropped. ``normalize_text`` is idempotent.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from array import array

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


# --------------------------------------------------------------------------- offsets back to the source
#
# Matching and extraction work on the normalised text; what a person reads is the document's own
# text. ``align`` records, for a normalised text, where each of its characters came from in the
# source: normalisation only maps characters one to one (traditional → simplified, full → half
# width), deletes whitespace, line breaks, zero-width characters and markdown bullets, and inserts
# a space after an article label ("第一条为" → "第一条 为") or a line break, so a greedy walk over
# both texts recovers the correspondence. Only the places where the two differ are stored (a few
# per cent of the characters), so a corpus of millions of characters keeps its maps small.

_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ",
               0x200B: "\x00", 0xFEFF: "\x00", ord("─"): "—", ord("━"): "—"})
_BREAKS = "\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE = "\x00\u200b\ufeff"
_BULLETS = "-*•·"


def _mapped(raw: str) -> str:
    """``raw`` with each character as normalisation turns it (same length): simplified, half
    width; "\\x00" stands for a character normalisation drops (zero-width, the CR of CRLF)."""
    simplified = to_simplified(raw)
    if len(simplified) != len(raw):  # a phrase conversion changed the length: convert line by line
        lines = []
        for line in raw.split("\n"):
            conv = to_simplified(line)
            if len(conv) != len(line):
                conv = "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in line)
            lines.append(conv)
        simplified = "\n".join(lines)
    mapped = simplified.translate(_WIDTH)
    if "\r" in mapped:
        mapped = mapped.replace("\r\n", "\x00\n").replace("\r", "\n")
    return mapped


def _common_length(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of a[i:] and b[j:] (compared in blocks)."""
    n, step = 0, 256
    while True:
        s = a[i + n:i + n + step]
        if s and s == b[j + n:j + n + len(s)]:
            n += len(s)
        elif step > 1:
            step //= 2
        else:
            return n


def _deletable(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE or ch in _BULLETS


def _shown_deletion(raw: str, *, line_start: bool, line_end: bool) -> str:
    """What a reader sees of source characters normalisation dropped inside a span: spaces inside
    a line stay ("低于 80 分"); line breaks, the whitespace around them and invisible characters go."""
    text = raw.translate({ord(c): None for c in _INVISIBLE})
    if any(c in text for c in _BREAKS):
        pieces = re.split(f"[{_BREAKS}]+", text)
        text = "".join([pieces[0].rstrip()] + [p.strip() for p in pieces[1:-1]] + [pieces[-1].lstrip()])
    if line_start:
        text = text.lstrip()
    if line_end:
        text = text.rstrip()
    return text


class SourceMap:
    """Where the characters of a normalised text come from in its source text.

    Offsets are character offsets into the source text as read (``ingest.read_source``: the
    decoded file). A map may be a view of part of a bigger one (a document of a file holding
    several): indices passed in are relative to the view's text, which the caller passes along
    (``Document.text``), so the normalised text is never stored twice.
    """

    _SHARED = ("_pos", "_dropped", "_kind", "_orig", "_shown_at", "_shown_end", "_shown_text", "_base", "mismatches")
    __slots__ = _SHARED + ("offset", "length")

    def __init__(self, *, pos, drop, kind: str, orig: str, shown: dict, length: int, base: int = 0,
                 mismatches: int = 0):
        # one entry per edit (a normalised index where the texts differ), int32 (offsets in one file):
        # its index, the source characters dropped up to and including it, its kind ("=" the same
        # character after dropped ones, "s" another source character, "i" inserted) and that character
        self._pos, self._dropped = array("i", pos), array("i", itertools.accumulate(drop))
        self._kind, self._orig = kind, orig
        # the dropped source text a reader still sees before an edit (spaces inside a line), packed:
        # edit numbers, and where each one's text ends in one string
        self._shown_at = array("i", sorted(shown))
        self._shown_end = array("i", itertools.accumulate(len(shown[k]) for k in self._shown_at))
        self._shown_text = "".join(shown[k] for k in self._shown_at)
        self._base = base  # source offset of normalised index 0 of the whole map
        self.offset, self.length = 0, length  # this view: [offset, offset + length) of the whole map
        self.mismatches = mismatches  # characters aligned by position only (should be 0)

    def view(self, start: int, end: int) -> "SourceMap":
        """The map of ``text[start:end]`` (indices relative to this view; the arrays are shared)."""
        out = object.__new__(SourceMap)
        for name in self._SHARED:
            setattr(out, name, getattr(self, name))
        out.offset, out.length = self.offset + start, end - start
        return out

    # ---------------------------------------------------------------- offsets
    def _source_start(self, i: int) -> int:
        """Source offset where normalised character ``i`` (whole-map index) starts."""
        k = bisect.bisect_right(self._pos, i) - 1
        if k < 0:
            return self._base + i
        inserted_before = self._kind.count("i", 0, k + 1) - (self._pos[k] == i and self._kind[k] == "i")
        return self._base + i + self._dropped[k] - inserted_before

    def _inserted(self, i: int) -> bool:
        k = bisect.bisect_left(self._pos, i)
        return k < len(self._pos) and self._pos[k] == i and self._kind[k] == "i"

    def source_offset(self, i: int) -> int:
        """Source offset of normalised offset ``i`` of this view (``i == length`` → end of the text)."""
        return self._source_start(self.offset + i)

    def source_offsets(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets [s, e) of the normalised span [start, end) of this view."""
        a, b = self.offset + start, self.offset + end
        if b <= a:
            s = self._source_start(a)
            return s, s
        last = self._source_start(b - 1) + (not self._inserted(b - 1))
        return self._source_start(a), max(last, self._source_start(a))

    # ---------------------------------------------------------------- text
    def display(self, text: str, start: int, end: int, *, original: bool = False) -> tuple[str, list[int]]:
        """(the source's characters for ``text[start:end]``, and for every normalised offset
        start..end its position in that string).

        Punctuation, digits and spaces inside a line are the source's own; line/page breaks the
        normaliser joined are gone (with the whitespace around them), paragraph breaks kept in the
        normalised text stay one "\\n". A source in traditional characters reads simplified (the
        normalised characters) unless ``original``.
        """
        a, b = self.offset + start, self.offset + end
        k = bisect.bisect_left(self._pos, a)
        out: list[str] = []
        where: list[int] = []
        size = 0
        i = a
        while i < b:
            nxt = self._pos[k] if k < len(self._pos) else b
            if nxt > i:  # unchanged stretch
                stop = min(nxt, b)
                chunk = text[i - self.offset:stop - self.offset]
                out.append(chunk)
                where.extend(range(size, size + len(chunk)))
                size += len(chunk)
                i = stop
                continue
            # an edit at i
            n = bisect.bisect_left(self._shown_at, k) if i > a else len(self._shown_at)
            if n < len(self._shown_at) and self._shown_at[n] == k:
                dropped = self._shown_text[self._shown_end[n - 1] if n else 0:self._shown_end[n]]
                out.append(dropped)
                size += len(dropped)
            where.append(size)
            kind = self._kind[k]
            if kind != "i":
                ch = text[i - self.offset]
                if kind == "s":
                    source = self._orig[k]
                    if original or source.translate(_WIDTH) != source:
                        ch = source
                out.append(ch)
                size += len(ch)
            k += 1
            i += 1
        where.append(size)
        return "".join(out), where

    def span(self, text: str, start: int, end: int, *, original: bool = False) -> str:
        """The source's characters for ``text[start:end]`` (see ``display``)."""
        return self.display(text, start, end, original=original)[0]


def align(normalised: str, raw: str) -> SourceMap:
    """The SourceMap of ``normalised`` = a normalisation (``normalize_text``/``normalize_query``) of ``raw``."""
    mapped = _mapped(raw)
    n, m = len(normalised), len(mapped)
    pos: list[int] = []
    drop: list[int] = []
    kind: list[str] = []
    orig: list[str] = []
    shown: dict[int, str] = {}
    mismatches = 0
    i = j = 0
    pending = j  # start of the source characters dropped since the last normalised character

    def edit(at: int, what: str, source_char: str) -> None:
        dropped = j - pending
        if dropped:
            visible = _shown_deletion(raw[pending:j], line_start=at == 0 or normalised[at - 1] == "\n",
                                      line_end=at >= n or normalised[at] == "\n")
            if visible:
                shown[len(pos)] = visible
        pos.append(at)
        drop.append(dropped)
        kind.append(what)
        orig.append(source_char)

    while i < n:
        if j < m and normalised[i] == mapped[j]:
            if j > pending or raw[j] != mapped[j]:
                edit(i, "s" if raw[j] != mapped[j] else "=", raw[j])
                i, j = i + 1, j + 1
                pending = j
                continue
            length = _common_length(normalised, i, mapped, j)
            segment = raw[j:j + length]
            if segment != mapped[j:j + length]:  # full-width or traditional characters inside the run
                for d in (x for x in range(length) if segment[x] != mapped[j + x]):
                    pos.append(i + d)
                    drop.append(0)
                    kind.append("s")
                    orig.append(segment[d])
            i, j = i + length, j + length
            pending = j
        elif j < m and _deletable(mapped[j]):
            j += 1
        elif normalised[i] in " \n" or j >= m:
            edit(i, "i", "\x00")
            i += 1
            pending = j
        else:  # not a normalisation we know: pair the characters by position
            mismatches += 1
            edit(i, "s", raw[j])
            i, j = i + 1, j + 1
            pending = j
    j = m
    if j > pending:
        edit(n, "=", "\x00")
    return SourceMap(pos=pos, drop=drop, kind="".join(kind), orig="".join(orig), shown=shown, length=n,
                     mismatches=mismatches)


def normalize_with_map(text: str) -> tuple[str, SourceMap]:
    """``normalize_text(text)`` and the map of its characters back to ``text``."""
    normalised = normalize_text(text)
    return normalised, align(normalised, text)


def normalize_query_with_map(text: str) -> tuple[str, SourceMap]:
    """``normalize_query(text)`` and the map of its characters back to ``text``."""
    normalised = normalize_query(text)
    return normalised, align(normalised, text or "")
