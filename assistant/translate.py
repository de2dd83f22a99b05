"""English questions: read through a glossary into the documents' Chinese terms.

The documents are Chinese, and so are the cue words the understanding step reads. An English
question ("What is the pass mark for a Chongqing carbon metrology center?") is glossed phrase
by phrase (data/glossary_en.yaml: places, document terms, question words; longest phrase
first), dates and quantities are written the Chinese way ("12 February 2026" → 2026年2月12日,
"7 working days" → 7个工作日), and the result is understood like a Chinese question. The
answer quotes the Chinese text; ``english_lead`` frames it with one English line built from
the answer's own values and citations (the Chinese figure first, so the checker reads it).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import cn2an
import yaml

from .errors import AssistantError

DATA = Path(__file__).resolve().parent / "data" / "glossary_en.yaml"
SECTIONS = ("places", "terms", "asking")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
MIXED_WORDS = 5  # an English question quoting Chinese terms has at least this many English words
MIXED_RATIO = 3  # and this many times as many Latin letters as Chinese characters
_MONTHS = {m: n for n, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), 1)}
_MON = "|".join(list(_MONTHS) + [m[:3] for m in _MONTHS] + ["sept"])
_UNITS = (  # English unit words → the documents' units
    (r"working days?|business days?", "个工作日"), (r"years?", "年"), (r"months?", "个月"), (r"days?", "天"),
    (r"points?|marks?", "分"), (r"people|persons?|members?|experts?", "人"), (r"items?", "项"),
    (r"per ?cent|%", "%"),
)
_YES_NO = re.compile(r"^\s*(is|are|does|do|did|can|could|must|should|will|has|have|may)\b", re.IGNORECASE)


class GlossaryError(AssistantError, ValueError):
    """The glossary file is unreadable or has an unknown section."""


@dataclass(frozen=True)
class Glossary:
    """Compiled (pattern, Chinese) pairs, longest phrase first, and the places both ways."""

    entries: tuple[tuple[re.Pattern, str], ...]
    places: dict  # Chinese name → English name

    def place_name(self, zh: str) -> str:
        return self.places.get(zh, zh)

    def with_places(self, names) -> "Glossary":
        """The glossary plus the corpus' own Latin-script aliases (``add --alias Lanzhou``):
        an added jurisdiction is read in English questions like the built-in places."""
        extra = [(en, zh) for zh, aliases in names for en in aliases if en.isascii() and en.strip()]
        if not extra:
            return self
        entries = tuple((_pattern(en), zh) for en, zh in sorted(extra, key=lambda p: -len(p[0]))) + self.entries
        return Glossary(entries=entries, places={**self.places, **{zh: en for en, zh in extra}})


def _pattern(phrase: str) -> re.Pattern:
    words = []
    for w in phrase.split():
        words.append(re.escape(w[:-1]) + r"[a-z]*" if w.endswith("*") else re.escape(w))
    return re.compile(r"(?<![a-z])" + r"[\s-]+".join(words) + r"(?![a-z])", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def load_glossary(path: str | None = None) -> Glossary:
    """Read the glossary; an unknown section or a non-string entry names the file and key."""
    path = Path(path) if path else DATA
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GlossaryError(f"无法读取英文词表 {path}: {exc}。 The glossary is unreadable.") from None
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise GlossaryError(f"{path}: 未知的部分 `{unknown[0]}`（可用：{', '.join(SECTIONS)}）。"
                            f" Unknown section {unknown[0]!r}; known: {', '.join(SECTIONS)}.")
    pairs = []
    for section in SECTIONS:
        for en, zh in (raw.get(section) or {}).items():
            if not isinstance(en, str) or not isinstance(zh, str):
                raise GlossaryError(f"{path}: `{section}.{en}` 应为文字。 Entry {section}.{en} must map text to text.")
            pairs.append((en.strip(), zh.strip()))
    pairs.sort(key=lambda p: -len(p[0].replace("*", "")))
    places = {zh: en.title() for en, zh in (raw.get("places") or {}).items()}
    return Glossary(entries=tuple((_pattern(en), zh) for en, zh in pairs), places=places)


def is_english(text: str) -> bool:
    """An English question — also one quoting a Chinese term ("How long does a Tianjin metrology
    data center (计量数据建设应用中心) have…?"): English words carry most of it."""
    text = text or ""
    if not _LATIN.search(text):
        return False
    cjk = len(_CJK.findall(text))
    if not cjk:
        return True
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= MIXED_WORDS and sum(map(len, words)) >= MIXED_RATIO * cjk


def _dates(text: str) -> str:
    def dmy(m):
        return f"{m.group(3)}年{_month(m.group(2))}月{int(m.group(1))}日"

    def mdy(m):
        return f"{m.group(3)}年{_month(m.group(1))}月{int(m.group(2))}日"

    text = re.sub(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?,?\s+(\d{{4}})\b", dmy, text, flags=re.IGNORECASE)
    text = re.sub(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", mdy, text, flags=re.IGNORECASE)
    return re.sub(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(n for m, n in _MONTHS.items() if m.startswith(name[:3]))


_SCORED = (  # the user's own score, said the English way → the Chinese way (得了74分)
    re.compile(r"\b(?:scored|got|received|achieved)\s+(?:a\s+score\s+of\s+)?(\d+(?:\.\d+)?)"
               r"(?:\s*(?:points?|marks?))?(?:\s*(?:out of|/)\s*\d+)?", re.IGNORECASE),
    re.compile(r"\b(?:a|our|the|my)\s+score\s+(?:of|was|is)\s+(\d+(?:\.\d+)?)(?:\s*(?:points?|marks?))?"
               r"(?:\s*(?:out of|/)\s*\d+)?", re.IGNORECASE),
    # "is 70 out of 100 enough?": a score offered, out of the full marks
    re.compile(r"\b(\d+(?:\.\d+)?)(?:\s*(?:points?|marks?))?\s*(?:out of|/)\s*\d+(?:\s*(?:points?|marks?))?", re.IGNORECASE),
)


# "…will cost a center its status": to cost someone a thing is to make them lose it, not a fee
_COSTS_LOSS = re.compile(r"\bcost(?:s|ing)?\b(?=(?:\s+[A-Za-z'’-]+){0,6}?\s+(?:its|their|his|her|the|our|my)\s+"
                         r"(?:status|qualification|title|designation|recognition|accreditation|license|licence)\b)",
                         re.IGNORECASE)


_BY_YEAR = re.compile(r"\b(?:by|until|till|before)\s+((?:19|20)\d\d)\b(?![-/\d])", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d年月/〔\[-])\b((?:19|20)\d\d)\b(?![-/\d年月日〕\]])")  # (not 鄂市监量规〔2023〕5号)


def _quantities(text: str) -> str:
    text = _COSTS_LOSS.sub("lose", text)
    text = _YEAR.sub(r"\1年", _BY_YEAR.sub(r"到\1年", text))  # "by 2035" → 到2035年, "in 2025" → 2025年
    for pattern in _SCORED:
        text = pattern.sub(lambda m: f" 得了{m.group(1)}分 ", text)
    for words, unit in _UNITS:
        text = re.sub(rf"\b(\d+(?:\.\d+)?)\s*-?\s*(?:{words})(?![a-z])", rf"\g<1>{unit}", text, flags=re.IGNORECASE)
    return text


def gloss(question: str, glossary: Glossary | None = None) -> str:
    """An English question in the documents' Chinese terms (see the module docstring)."""
    glossary = glossary or load_glossary()
    text = _quantities(_dates(question))
    for pattern, zh in glossary.entries:
        text = pattern.sub(f" {zh} ", text)
    text = re.sub(r"[A-Za-z][A-Za-z'’-]*", " ", text)  # what the glossary does not know carries no cue
    text = re.sub(r"\s*([,.;:?!])\s*", lambda m: {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}[m.group(1)],
                  text)
    text = re.sub(r"(\d)\s+(?=\d)", r"\1，", text)  # (two figures never run into one: "70 100" is not 70100)
    text = re.sub(r"\s+", "", text).strip("，。")
    if _YES_NO.search(question) and not text.endswith(("吗？", "吗")):
        text = text.rstrip("？") + "吗？"
    elif question.rstrip().endswith("?") and not text.endswith("？"):
        text += "？"
    return text


_UNIT_EN = {"年": "year", "个月": "month", "日": "day", "天": "day", "工作日": "working day", "个工作日": "working day",
            "分": "point", "人": "person", "项": "item", "家": "unit", "%": "%"}
_COMP_EN = {"<=": "at most ", "<": "under ", ">=": "at least ", ">": "over ", "every": "every "}


def _value_en(v: dict) -> str:
    value, unit = v.get("value"), str(v.get("unit", ""))
    if unit == "date":
        return str(value)
    if unit == "月份":
        return f"in month {value}"
    if isinstance(value, list) and len(value) == 2:
        amount = f"{value[0]}–{value[1]}"
        plural = True
    else:
        amount, plural = f"{value}", value != 1
    word = _UNIT_EN.get(unit, unit)
    if word != "%" and plural and word not in ("%",):
        word = "people" if word == "person" else f"{word}s"
    sep = "" if word == "%" else " "
    return f"{_COMP_EN.get(str(v.get('comparator', '')), '')}{amount}{sep}{word}"


def _article_en(label: str) -> str:
    m = re.fullmatch(r"第([零一二三四五六七八九十百千两]+)条", label)
    if not m:
        return label
    try:
        return f"Art. {int(cn2an.cn2an(m.group(1), 'smart'))}"
    except ValueError:
        return label


FIGURE_INTENTS = ("numeric", "timeline", "comparison")  # answers whose figures are the answer


# verdicts the Chinese answer opens with, said in English first
_VERDICTS = (("不算合格", "not a pass"), ("算合格", "a pass"), ("已经晚了", "too late"), ("来得及", "in time"),
             ("正好卡在期限上", "right on the deadline"), ("不会直接", "not at once"), ("没有：", "no, there is no such rule"),
             ("不是：", "no"), ("有提到：", "yes, it is mentioned"), ("未达到：", "not reached"), ("已达到：", "reached"),
             ("不符合：", "no, it falls short of the rule"), ("满足：", "yes, it meets the rule"))
_NO_RULE = "没有："  # a verdict that the asked documents have no such rule: other places' figures are no answer


def english_lead(values, citations, *, abstained: bool, intent: str = "numeric",
                 glossary: Glossary | None = None, text: str = "") -> str:
    """One English line that frames a Chinese answer: the figures (as the answer states them
    in Chinese, with their English reading) and where they come from. A list answer (conditions,
    tasks, grounds) names where its list is instead: its figures are details of items."""
    glossary = glossary or load_glossary()
    if abstained:
        return "In brief: the documents do not answer this; the details below are in Chinese."
    where = list(dict.fromkeys(f"{glossary.place_name(c.jurisdiction)} {_article_en(c.article)}" for c in citations))
    figures = []
    for v in values[:4] if intent in FIGURE_INTENTS and not text.startswith(_NO_RULE) else ():
        text = str(v.get("text") or "").strip()
        figures.append(f"{text} ({_value_en(v)})" if text else _value_en(v))
    verdict = next((en for zh, en in _VERDICTS if text.startswith(zh)), "")
    lead = "In brief: " + (f"{verdict}; " if verdict else "") + ("; ".join(figures) if figures else "see the quoted provisions")
    if where:
        lead += " — " + ", ".join(where[:1] if text.startswith(_NO_RULE) else where[:4])
    return lead + ". The provisions are quoted in Chinese below."
