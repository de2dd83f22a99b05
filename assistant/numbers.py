"""Numerals, quantities and units in Chinese policy text.

``parse_number`` reads one numeral span (Arabic or Chinese; cn2an only ever sees the span,
never whole text, so 一般 stays 一般). ``find_quantities`` scans text for numbers *with a
unit* (3年内, 不少于7天, 3—5人, 2023年3月1日, 每年11月 …) and skips numbers that are
labels or references (第十四条, (一), 〔2023〕5号, 《…(2021—2035年)》, "1+3+4").
It never raises: a malformed numeral is logged and skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import cn2an

log = logging.getLogger(__name__)

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_NUM = rf"(?:\d+(?:\.\d+)?万?|[{CN_DIGITS}]+)"
# longest first, so 个工作日 wins over 个 and 个月 over 月
UNITS = (
    "个工作日", "个自然日", "个百分点", "工作日", "自然日", "个月", "小时", "分钟", "万元",
    "年", "月", "日", "天", "周", "分", "人", "名", "项", "条", "份", "家", "种", "个", "位", "次", "批", "所", "%",
    "元", "倍", "吨",
)
_UNIT = "|".join(re.escape(u) for u in UNITS)
_DASH = r"(?:—|–|-|~|至|到)"

# unit → (canonical unit, factor) for comparisons; 工作日 stays distinct from 日
_CANON = {
    "年": ("个月", 12), "个月": ("个月", 1), "月": ("个月", 1), "周": ("日", 7),
    "天": ("日", 1), "日": ("日", 1), "自然日": ("日", 1), "个自然日": ("日", 1),
    "个工作日": ("工作日", 1), "工作日": ("工作日", 1), "名": ("人", 1), "位": ("人", 1),
    "条": ("项", 1),  # items of a list: 共7条 = 共7项 (第7条 is a label, never a quantity)
    "份": ("项", 1),  # documents of a list (申报书、任务书: 2份 = 2项)
}
DURATION_UNITS = frozenset(_CANON) - {"名", "位", "条", "份"}

# comparator words written before the number (absorbed into Quantity.text), longest first
_PREFIX = sorted(
    [("不得超过", "<="), ("不应超过", "<="), ("不超过", "<="), ("不多于", "<="), ("不大于", "<="),
     ("不高于", "<="), ("最多", "<="), ("最长", "<="), ("至多", "<="), ("不得少于", ">="),
     ("不应少于", ">="), ("不少于", ">="), ("不低于", ">="), ("不小于", ">="), ("至少", ">="),
     ("最少", ">="), ("达不到", "<"), ("不到", "<"), ("低于", "<"), ("少于", "<"), ("不足", "<"),
     ("小于", "<"), ("未满", "<"), ("不满", "<"), ("超过", ">"), ("高于", ">"), ("大于", ">"),
     ("多于", ">"), ("每", "every")],
    key=lambda p: -len(p[0]),
)
# comparator words written after the unit (absorbed), longest first
_SUFFIX = (("(含)以上", ">="), ("(含)以下", "<="), ("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="),
           ("之内", "<="), ("内", "<="), ("底前", "before"), ("以前", "before"), ("之前", "before"),
           ("前", "before"))
# context words that set a comparator without being part of the quantity ("届满前30日": 30 days before)
_CONTEXT = (("限期", "<="), ("届满前", "before"), ("期满前", "before"), ("到期前", "before"))
# a Chinese numeral right after these characters is part of a word (统一, 逐一, 第一 …)
_CN_BLOCK = set("第统唯逐之进划归合同单星周万")
_COUNTERS = set("个次种项条份家批名所人")


@dataclass(frozen=True)
class Quantity:
    """A number with a unit found in text; ``text`` and offsets include comparator words."""

    value: object  # int | float | (lo, hi) | "YYYY-MM-DD"
    unit: str
    comparator: str  # "=", "<=", ">=", "<", ">", "range", "before", "every"
    text: str
    start: int
    end: int
    note: str = ""


def arabic_counts(text: str) -> str:
    """Counts written in Chinese numerals in Arabic ones ("三项重点任务" → "3项重点任务"), so a
    name is found however the numeral is written; other text unchanged."""
    def arabic(m: re.Match) -> str:
        try:
            return f"{parse_number(m.group(1))}{m.group(2)}"
        except (ValueError, ArithmeticError):
            return m.group(0)

    return re.sub(r"([一二两三四五六七八九十]+)(项|个|种|家|条|名|大)", arabic, text)


def parse_number(span: str) -> int | float:
    """An Arabic or Chinese numeral span → number (两 = 2); ValueError when malformed."""
    s = (span or "").strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d+\.\d+", s):
        return float(s)
    if re.fullmatch(r"\d+(\.\d+)?万", s):  # 5万, 1.5万
        return _tidy(round(float(s[:-1]) * 10000, 6))
    if s and all(ch in CN_DIGITS for ch in s):
        try:
            value = cn2an.cn2an(s, "normal")
        except Exception as exc:  # cn2an raises several types for bad input
            raise ValueError(f"不是合法的数字: {span!r} (malformed numeral)") from exc
        return int(value) if float(value).is_integer() else float(value)
    raise ValueError(f"不是数字: {span!r} (not a numeral)")


def _tidy(v: float | int) -> int | float:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def normalise(value, unit: str):
    """(value, unit) → (value, canonical unit): 年 → 个月 ×12, 天 → 日, 名 → 人; ranges per end."""
    canon, factor = _CANON.get(unit, (unit, 1))
    if isinstance(value, (tuple, list)):
        return tuple(_tidy(v * factor) for v in value), canon
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _tidy(value * factor), canon
    return value, canon


def same_value(a_value, a_unit: str, b_value, b_unit: str) -> bool:
    """Equal after normalisation; a range holds both of its ends (3—5人 holds 3人 and 5人)."""
    av, au = normalise(a_value, a_unit)
    bv, bu = normalise(b_value, b_unit)
    if au != bu:
        return False
    if isinstance(av, tuple) and isinstance(bv, tuple):
        return av == bv
    if isinstance(av, tuple):
        return bv in av
    if isinstance(bv, tuple):
        return av in bv
    return av == bv


POINTS = "个百分点"  # the difference of two percentages (90%－85% is 5个百分点, not 5%)


def gap_unit(unit: str) -> str:
    """The unit a difference of two figures in ``unit`` is written in."""
    return POINTS if unit == "%" else unit


def format_value(value, unit: str) -> str:
    """3年, 3—5人, 11月, 2023-03-01."""
    if unit in ("date", "年月"):
        return str(value)
    if unit == "月份":
        return f"{value}月"
    if unit == "年份":
        return f"{value}年"
    if isinstance(value, (tuple, list)):
        return f"{_tidy(value[0])}—{_tidy(value[1])}{unit}"
    return f"{_tidy(value)}{unit}"


def format_quantity(value, unit: str, comparator: str, note: str = "") -> str:
    """A compact display: ≤1年, ≥80分, 每5年, 3个月前, 3—5人, 11月底前."""
    text = format_value(value, unit)
    if unit == "月份":
        return f"每年{text}底前" if comparator == "before" and "月底" in note else (
            f"{text}前" if comparator == "before" else f"每年{text}" if "每年" in note else text)
    return {"<=": f"≤{text}", ">=": f"≥{text}", "<": f"<{text}", ">": f">{text}",
            "every": f"每{text}", "before": f"{text}前"}.get(comparator, text)


# --------------------------------------------------------------------------- scanning

_PATTERNS = (  # (kind, regex); candidates are resolved left to right, longest first
    ("iso", re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")),
    ("date", re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月"
                        r"(\d{1,2}|[一二三四五六七八九十]{1,3})日")),
    ("ym", re.compile(r"(\d{4})年(\d{1,2})月(?!\d|底|份)")),
    ("md", re.compile(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})日")),
    ("pct", re.compile(rf"百分之({_NUM})")),
    ("range", re.compile(rf"({_NUM})[ \t]*({_UNIT})?[ \t]*{_DASH}[ \t]*({_NUM})[ \t]*({_UNIT})")),
    ("half", re.compile(rf"(?<![{CN_DIGITS}\d])半(个月|年|天|日|小时)")),
    ("single", re.compile(rf"({_NUM})[ \t]*({_UNIT})(半)?")),
)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Titles 《…》, document numbers 〔…〕 and 【…】 tags: numbers inside are never quantities."""
    spans = []
    for m in re.finditer(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》|〔[^〕]*〕|【[^】]*】", text):
        spans.append((m.start(), m.end()))
    return spans


def _inside(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)


def _prefix(text: str, start: int) -> tuple[str, str]:
    """The comparator word right before ``start`` (spaces allowed), as written, and its comparator."""
    before = text[max(0, start - 8):start]
    gap = len(before) - len(before.rstrip(" \t"))
    stripped = before[: len(before) - gap]
    for word, comp in _PREFIX:
        if stripped.endswith(word):
            return before[len(stripped) - len(word):], comp
    return "", ""


def _suffix(text: str, end: int) -> tuple[str, str]:
    after = text[end:end + 6]
    for word, comp in _SUFFIX:
        if after.startswith(word):
            return word, comp
    return "", ""


def _cn_date_part(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(ch in "〇零一二三四五六七八九" for ch in s):  # 二〇二三
        return int("".join(str("〇一二三四五六七八九".index(ch if ch != "零" else "〇")) for ch in s))
    return int(parse_number(s))


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order. Never raises on arbitrary input."""
    if not text:
        return []
    protected = _protected_spans(text)
    candidates = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            candidates.append((m.start(), -(m.end() - m.start()), kind, m))
    candidates.sort(key=lambda c: (c[0], c[1]))
    out: list[Quantity] = []
    taken_end = 0
    for start, _, kind, m in candidates:
        if start < taken_end:
            continue
        try:
            q = _build(text, kind, m, protected)
        except (ValueError, OverflowError, ArithmeticError) as exc:
            # a span opening on a bare magnitude is a word, not a numeral ("万一", "百家"): no warning
            (log.debug if m.group(0)[:1] in "百千万亿" else log.warning)(
                "跳过无法解析的数字 %r: %s (skipped malformed numeral)", m.group(0), exc)
            continue
        if q is None:
            continue
        out.append(q)
        taken_end = m.end()
    return out


def _build(text: str, kind: str, m: re.Match, protected) -> Quantity | None:
    start, end = m.start(), m.end()
    if _inside(start, protected):
        return None
    prev = text[start - 1] if start else ""
    if prev == "第" or prev == "+" or text[end:end + 1] == "+":
        return None
    if kind in ("iso", "date"):
        y, mo, d = (_cn_date_part(g) for g in m.groups())
        value = dt.date(y, mo, d).isoformat()  # ValueError for 2023-02-30
        return _dated(text, start, end, value, "date")
    if kind == "ym":
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise ValueError(f"月份超出范围: {m.group(0)}")
        return Quantity(f"{y:04d}-{mo:02d}", "年月", "=", m.group(0), start, end)
    if kind == "md":
        mo, d = _cn_date_part(m.group(1)), _cn_date_part(m.group(2))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return _month(text, start, end, mo, note=f"{d}日")
    if kind == "pct":
        value = parse_number(m.group(1))
        return _finish(text, start, end, value, "%")
    if kind == "half":
        unit = m.group(1)
        return _finish(text, start, end, 0.5, "个月" if unit == "个月" else unit)
    if kind == "range":
        lo_s, unit1, hi_s, unit = m.groups()
        if unit1 and unit1 != unit:
            return None
        if unit == "元" and hi_s.endswith("万"):  # 10—50万元: counted in 万元, as written
            lo_s, hi_s, unit = lo_s.removesuffix("万"), hi_s[:-1], "万元"
        lo, hi = parse_number(lo_s), parse_number(hi_s)
        if unit == "年" and lo >= 1900:  # 2021—2035年: a plan period, not a quantity
            return None
        if not _cn_ok(text, start, lo_s) or lo >= hi:
            return None
        word, comp = _prefix(text, start)
        q_start = start - len(word) if comp in ("<=", ">=", "<", ">") else start
        return Quantity((lo, hi), _unit(unit), "range", text[q_start:end], q_start, end)
    # single
    num_s, unit, half = m.groups()
    if not _cn_ok(text, start, num_s):
        return None
    if unit == "元" and num_s.endswith("万") and len(num_s) > 1:  # 五十万元, 200万元: 万元 as written
        num_s, unit = num_s[:-1], "万元"
    if unit == "分" and text[end:end + 1] == "制":  # 百分制: a scale, not a score
        return None
    value = parse_number(num_s)
    if half:
        value = value + 0.5
    if unit == "年" and not half and isinstance(value, int) and 1900 <= value <= 2100 and num_s.isdigit():
        return _dated(text, start, end, value, "年份")
    if unit == "年" and (text[end:end + 1] in ("度", "级", "龄") or text[end:end + 2] in ("规划", "计划")):
        return None
    if unit == "月":
        return _bare_month(text, start, end, value)
    if unit in _COUNTERS and num_s == "一" and not _prefix(text, start)[0]:
        return None  # 一次/一个/一项 …: an article word, not a count
    if unit == "分" and text[end:end + 1] == "之":
        return None
    return _finish(text, start, end, value, unit)


def _dated(text: str, start: int, end: int, value, unit: str) -> Quantity:
    """A date or a calendar year; "前" after it makes it a deadline."""
    word, comp = _suffix(text, end)
    if comp != "before":
        word, comp = "", "="
    return Quantity(value, unit, comp, text[start:end + len(word)], start, end + len(word))


def _cn_ok(text: str, start: int, num_s: str) -> bool:
    """A Chinese numeral glued to a word (统一, 逐一, 进一步) is not a number."""
    if num_s[0] not in CN_DIGITS:
        return True
    return not (start and text[start - 1] in _CN_BLOCK)


def _unit(unit: str) -> str:
    return {"个自然日": "自然日"}.get(unit, unit)


def _bare_month(text: str, start: int, end: int, value) -> Quantity | None:
    """N月: a month of the year (每年11月, 11月底前), or a duration when followed by 内."""
    word, comp = _prefix(text, start)
    if text[end:end + 1] in ("内",) or text[end:end + 2] == "以内" or comp in ("<=", ">=", "<", ">"):
        return _finish(text, start, end, value, "个月")
    if not (isinstance(value, int) and 1 <= value <= 12):
        return None
    return _month(text, start, end, value)


def _month(text: str, start: int, end: int, month: int, note: str = "") -> Quantity:
    notes = [note] if note else []
    if text[max(0, start - 2):start] == "每年":
        start -= 2
        notes.append("每年")
    comp = "="
    if text[end:end + 1] == "底":
        notes.append("月底")
        if text[end + 1:end + 2] == "前":
            end, comp = end + 2, "before"
        else:
            end += 1
    elif text[end:end + 1] == "前":
        end, comp = end + 1, "before"
    return Quantity(month, "月份", comp, text[start:end], start, end, note=";".join(notes))


def _finish(text: str, start: int, end: int, value, unit: str) -> Quantity:
    """Attach comparator words before/after the number and notes (累计)."""
    word, comp = _prefix(text, start)
    q_start = start - len(word)
    s_word, s_comp = _suffix(text, end)
    q_end = end + len(s_word)
    if comp == "every":
        comparator = "every"
    elif comp:
        comparator = comp
    elif s_comp:
        comparator = s_comp
    else:
        comparator = next((c for w, c in _CONTEXT if text[max(0, start - 4):start].endswith(w)), "=")
    if comp and s_comp and s_comp != "<=":  # 不超过3年前? keep the prefix reading, drop the suffix
        q_end = end
    note = "累计" if "累计" in text[max(0, q_start - 4):q_start] else ""
    return Quantity(value, _unit(unit), comparator, text[q_start:q_end], q_start, q_end, note=note)
