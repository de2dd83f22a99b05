"""Jurisdiction names and aliases (湖北/鄂/湖北省 …), resolved against the corpus."""

from __future__ import annotations

import functools
import re

from .errors import UnknownJurisdictionError

# canonical name → aliases (the canonical name itself and "X省/X市" match too)
ALIASES: dict[str, tuple[str, ...]] = {
    "湖北": ("鄂", "湖北省", "Hubei"),
    "重庆": ("渝", "重庆市", "Chongqing"),
    "天津": ("津", "天津市", "Tianjin"),
    "东营": ("东营市", "Dongying"),
    "江西": ("赣", "江西省", "Jiangxi"),
    "山东": ("鲁", "山东省", "Shandong"),
    "北京": ("京", "北京市"),
    "上海": ("沪", "上海市"),
    "广东": ("粤", "广东省"),
    "江苏": ("苏", "江苏省"),
    "浙江": ("浙", "浙江省"),
    "四川": ("川", "蜀", "四川省"),
    "河南": ("豫", "河南省"),
    "河北": ("冀", "河北省"),
    "湖南": ("湘", "湖南省"),
    "安徽": ("皖", "安徽省"),
    "福建": ("闽", "福建省"),
    "陕西": ("陕", "陕西省"),
    "山西": ("晋", "山西省"),
    "辽宁": ("辽", "辽宁省"),
    "吉林": ("吉林省",),
    "黑龙江": ("黑", "黑龙江省"),
    "云南": ("滇", "云南省"),
    "贵州": ("黔", "贵州省"),
    "广西": ("桂", "广西壮族自治区"),
    "海南": ("琼", "海南省"),
    "甘肃": ("甘肃省",),
    "青海": ("青海省",),
    "宁夏": ("宁夏回族自治区",),
    "新疆": ("新疆维吾尔自治区",),
    "西藏": ("藏", "西藏自治区"),
    "内蒙古": ("内蒙古自治区",),
    "深圳": ("深圳市",),
    "武汉": ("武汉市",),
    "青岛": ("青岛市",),
    "济南": ("济南市",),
}

# single-character abbreviations are only trusted in these contexts (e.g. "鄂市监", "渝的", "津"),
# or right before the kind of centre a question is about ("渝碳计量中心", "川计量数据中心")
_KIND_AFTER = "碳|计量数据|计量中心|数据(?:基地|中心)"
_SHORT_OK = re.compile(r"^[\u4e00-\u9fff]$")


# administrative suffixes a jurisdiction's name may carry; the name without one (岭西省 → 岭西,
# 青岚自治区 → 青岚) is recognised too, unless another jurisdiction of the corpus owns it
SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟", "县", "区")
_JOINERS = set("和与及跟同的在对、")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")


def stem(name: str) -> str:
    """岭西省 → 岭西, 青岚自治区 → 青岚, 澜州市 → 澜州; a name without a suffix (or whose stem
    would be a single character: 津市) is its own stem."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def canonical(name: str) -> str | None:
    """The canonical name for a built-in jurisdiction name or alias, or the name itself when it
    reads as a place name (Chinese characters only), or None."""
    n = name.strip()
    if not n:
        return None
    for canon, aliases in ALIASES.items():
        if n == canon or n in aliases or n.lower() in {a.lower() for a in aliases if a.isascii()}:
            return canon
    for suffix in ("省", "市", "自治区"):
        if n.endswith(suffix) and n[: -len(suffix)] in ALIASES:
            return n[: -len(suffix)]
    return n if _CJK_NAME.fullmatch(n) and 2 <= len(n) <= 12 else None


def corpus_names(docs) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(jurisdiction, aliases) for every jurisdiction of a corpus, in corpus order.

    Aliases are the manifest's ``aliases`` of its documents, the built-in ones (鄂 for 湖北) and
    the name without its administrative suffix (岭西 for 岭西省); a derived or built-in alias
    that names another jurisdiction of the corpus, or that two of them would share, is dropped
    (explicit manifest aliases are kept, the first owner winning)."""
    return _corpus_names(tuple((d.meta.jurisdiction, tuple(getattr(d.meta, "aliases", ()) or ())) for d in docs))


@functools.lru_cache(maxsize=16)
def _corpus_names(key: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    order: list[str] = []
    explicit: dict[str, list[str]] = {}
    for j, aliases in key:
        if j not in order:
            order.append(j)
            explicit[j] = []
        for a in aliases:
            a = str(a).strip()
            if a and a != j and a not in explicit[j]:
                explicit[j].append(a)
    owner: dict[str, str] = {j: j for j in order}
    for j in order:
        for a in explicit[j]:
            owner.setdefault(a, j)
    implicit: dict[str, list[str]] = {j: [] for j in order}
    claims: dict[str, set[str]] = {}
    for j in order:
        base = canonical(j)
        derived = [*ALIASES.get(base or "", ()), stem(j)]
        if base and base != j:
            derived.append(base)
        for a in derived:
            if a and a != j:
                claims.setdefault(a, set()).add(j)
                implicit[j].append(a)
    out = []
    for j in order:
        names = [a for a in explicit[j] if owner.get(a) == j]
        names += [a for a in implicit[j] if a not in owner and len(claims[a]) == 1 and a not in names]
        out.append((j, tuple(names)))
    return tuple(out)


def alias_map(names) -> dict[str, str]:
    """surface form → jurisdiction, from ``corpus_names`` output."""
    out: dict[str, str] = {}
    for canon, aliases in names:
        out.setdefault(canon, canon)
        for a in aliases:
            out.setdefault(a, canon)
    return out


def resolve(name: str, known, *, aliases=()) -> str:
    """Resolve a user-given filter against the corpus jurisdictions, or raise with the list.

    ``known`` lists the corpus jurisdictions; ``aliases`` (``corpus_names`` output) adds the
    manifest's aliases. 岭西 finds 岭西省 and 岭西省 finds 岭西 (the name without its suffix)."""
    known = list(known)
    n = (name or "").strip()
    if n in known:
        return n
    table = alias_map(aliases)
    if n in table and table[n] in known:
        return table[n]
    canon = canonical(n)
    if canon in known:
        return canon
    matches = [k for k in known if n and (stem(k) == n or stem(n) == k or stem(n) == stem(k))]
    if len(matches) == 1:
        return matches[0]
    raise UnknownJurisdictionError(
        f"未知的地区 '{name}'。语料中的地区：{'、'.join(known)}。"
        f" Unknown jurisdiction '{name}'; known: {', '.join(known)}."
    )


@functools.lru_cache(maxsize=32)
def _gazetteer(extra: tuple[str, ...], names: tuple) -> tuple[dict, tuple[int, ...], list, dict]:
    """Every surface form → canonical name: multi-character Chinese forms for the longest-match
    scan (with their lengths, longest first), and regexes for one-character and Latin forms.
    The corpus' names (and aliases) override the built-in ones."""
    table: dict[str, str] = {}
    for canon, aliases in ALIASES.items():
        for alias in (canon, *aliases):
            table[alias] = canon
    for e in extra:
        table.setdefault(e, e)
    for canon, aliases in names:
        table[canon] = canon
        for a in aliases:
            table[a] = canon
    words, patterns, singles = {}, [], {}
    for alias, canon in table.items():
        if not alias:
            continue
        if len(alias) == 1:
            singles[alias] = canon
            pattern = (rf"(?:(?<![\u4e00-\u9fff])|(?<=[和与及跟、]))"
                       rf"{re.escape(alias)}(?=[的地省市,，、和与及跟呢吗?？\s]|$|{_KIND_AFTER})")
            patterns.append((canon, re.compile(pattern)))
            # naming the kind of centre right after it, it is the place whatever precedes it
            # ("我们渝碳计量中心", "鄂碳和渝碳")
            patterns.append((canon, re.compile(rf"{re.escape(alias)}(?={_KIND_AFTER})")))
        elif alias.isascii():
            patterns.append((canon, re.compile(rf"\b{re.escape(alias)}\b", re.I)))
        else:
            words[alias] = canon
    if singles:  # "鄂和渝申请…": a one-character abbreviation joined to another names its place too
        chars = "".join(re.escape(a) for a in singles)
        for alias, canon in singles.items():
            patterns.append((canon, re.compile(rf"(?<=[{chars}][和与及跟、]){re.escape(alias)}")))
            # two abbreviations written together ("渝津两个办法", "鄂渝"): each names its place
            patterns.append((canon, re.compile(rf"(?<![\u4e00-\u9fff]){re.escape(alias)}(?=[{chars}])")))
            patterns.append((canon, re.compile(rf"(?:(?<=^[{chars}])|(?<=[^\u4e00-\u9fff][{chars}])){re.escape(alias)}")))
    lengths = tuple(sorted({len(w) for w in words}, reverse=True))
    return words, lengths, patterns, singles


def _leading_abbreviation(text: str, singles: dict) -> list[tuple[int, int, str]]:
    """A one-character abbreviation opening a terse question ("鄂验收专家组几人？", "渝公示期？")
    names its place unless it starts a dictionary word with the next characters (津贴, 川菜, 渝中区)."""
    lead = re.match(r"\s*(?:请问|想问一下|想问|问一下|那么|那)?\s*", text)
    i = lead.end() if lead else 0
    ch = text[i:i + 1]
    canon = singles.get(ch)
    if not ch or canon is None or not re.match(r"[\u4e00-\u9fff]{2}", text[i + 1:i + 3]):
        return []
    from .tokenize import word_frequency  # the segmenter's dictionary (loaded once, shared)

    words = (text[i:i + 2], text[i:i + 3])  # 津贴, 渝中区
    return [] if any(word_frequency(w) for w in words) else [(i, i + 1, canon)]


def find_spans(text: str, *, extra: tuple[str, ...] = (), names=()) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of every jurisdiction mention, left to right; where two
    names overlap the longer one wins (岭西省 over 岭西, 天津市 over 津)."""
    words, lengths, patterns, singles = _gazetteer(tuple(extra), tuple(names))
    found: list[tuple[int, int, str]] = []
    for canon, pattern in patterns:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), canon))
    for i in range(len(text)):
        for n in lengths:
            canon = words.get(text[i:i + n])
            if canon:
                found.append((i, i + n, canon))
                break
    found += _leading_abbreviation(text, singles)
    out: list[tuple[int, int, str]] = []
    # longest first; of two equally long, one starting with a conjunction loses (东营和江西: 江西, not 和江)
    for start, end, canon in sorted(found, key=lambda f: (-(f[1] - f[0]), text[f[0]] in _JOINERS, f[0])):
        if any(start < e and s < end for s, e, _ in out):
            continue
        out.append((start, end, canon))
    return sorted(out)


def find_in_text(text: str, *, extra: tuple[str, ...] = (), names=()) -> list[str]:
    """Jurisdictions mentioned in a question, in order of first mention (canonical names).

    ``names`` (``corpus_names(docs)``) adds the corpus' own jurisdictions and their aliases
    (any name, not only the built-in places); ``extra`` adds bare names. Where two names
    overlap the longer wins. Single-character abbreviations (鄂/渝/津/赣 …) count only when
    they stand alone next to non-name characters or directly name a centre (渝碳计量中心), so
    津贴 or 渝中区 are not misread; full names always count.
    """
    seen: list[str] = []
    for _, _, canon in find_spans(text, extra=tuple(extra), names=tuple(names)):
        if canon not in seen:
            seen.append(canon)
    return seen


# ------------------------------------------------------------------ places the corpus does not know
# A name written with an administrative suffix (岭北省, 澜州, 青川县) or standing where a place
# stands (澜州这边, 澜州碳计量中心 at the start of a question) is read as a place even when no
# list knows it, so the answer can say the corpus has no document for it instead of answering
# from another place's. Measured against every shipped eval question (tests/test_understand.py):
# these rules raise no false alarm there.
_PLACE_SUFFIX = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "州", "县", "盟")
# a place name never starts with these (本省, 全市, 各县, 哪个省, 我们市, 地级市 …)
_NOT_FIRST = set("本全各外该我你您贵每某其此哪这那同两几一多个省市县区州级在对和与及跟的了是有地城都超上下大小新老副想要能报申")
# a suffix followed by these is part of another word (市场, 省级, 市局, 县域, 州府)
_NOT_AFTER = set("场级局监长委政府属辖直管域内外民情况里")  # 市里/省里: "the city/province (government)"
# a name found before 的 or a document kind never ends with these: they make a time or a place
# relative to something (批筹前的公示, 验收后的…, 筹建期间的…)
_NOT_LAST = set("前后时中内外里间期")
# a name found this way never holds these (function words, numbers, dates, other suffixes: 要市州, 年全市)
_NOT_INSIDE = set("全各本该年月日号的了是在和与及跟这那哪么们我你他比往到去向从对省市县州区报请想做个")  # (verbs and measures: 想申报省…, 做一个省…)
_BOUNDARY_CHARS = set("在对和与及跟同、问按据从到去至向于的,，。;；:：?？!！ ")
_BOUNDARY_WORDS = ("请问", "关于", "比较", "对比", "按照", "那么", "想问", "问下", "问一下", "我们", "咱们", "你们")
# words after which a name stands where a place stands (澜州这边, 澜州那里)
_PLACE_AFTER = ("这边", "那边", "这里", "那里", "当地", "本地", "某")
_LEAD_WORDS = ("请问", "想问", "那么", "那", "我想问", "问一下", "一下", "你好", "您好")


def _boundary(text: str, i: int) -> bool:
    if i == 0 or not re.match(r"[\u4e00-\u9fff]", text[i - 1]) or text[i - 1] in _BOUNDARY_CHARS:
        return True
    return any(text.endswith(w, 0, i) for w in _BOUNDARY_WORDS)


def place_candidates(text: str, *, taken=(), kind_cues=(), in_corpus=lambda word: False,
                     common=lambda word: False) -> list[tuple[int, str]]:
    """(position, name) of words that read as place names without being known ones.

    ``taken`` are spans already read (known jurisdictions, cities, document kinds);
    ``kind_cues`` the document kinds (碳计量中心 …); ``in_corpus(word)`` says the documents use
    the word, ``common(word)`` that it is a common dictionary word. A suffix makes a place of a
    name (澜州市, 岭北省); without one, a name stands where a place stands: before 这边/那边, or at
    the start before a document kind or 的 (澜州碳计量中心). Names the documents use, or that
    start with a common word (才能往省, 听说碳…), are never read as places."""
    busy = [False] * len(text)
    for s, e in taken:
        for i in range(max(0, s), min(len(text), e)):
            busy[i] = True
    out: list[tuple[int, str]] = []

    def name_like(s: int, e: int, stem_end: int) -> bool:
        if s < 0 or e > len(text) or any(busy[s:e]) or not re.fullmatch(r"[\u4e00-\u9fff]+", text[s:e]):
            return False
        stem_text = text[s:stem_end]
        if stem_text[0] in _NOT_FIRST or any(ch in _NOT_INSIDE for ch in stem_text) or not _boundary(text, s):
            return False
        if any(text.startswith(w, s) for w in _BOUNDARY_WORDS + _LEAD_WORDS):
            return False
        if any(common(stem_text[:k]) for k in range(2, len(stem_text) + 1)):
            return False
        if any(common(stem_text[k:]) for k in range(1, len(stem_text) - 1)):  # 给群众的…, 帮企业的…
            return False
        return not (in_corpus(stem_text) or in_corpus(text[s:e]))

    def add(s: int, e: int) -> None:
        out.append((s, text[s:e]))
        for i in range(s, e):
            busy[i] = True

    # 1. a suffix: 岭北省, 澜州市, 澜州, 青岚自治区 (the longest name ending there)
    for m in re.finditer("|".join(_PLACE_SUFFIX), text):
        end = m.end()
        while True:  # 澜州市: extend over a following suffix
            nxt = next((sfx for sfx in _PLACE_SUFFIX if text.startswith(sfx, end)), "")
            if not nxt:
                break
            end += len(nxt)
        if end < len(text) and text[end] in _NOT_AFTER:
            continue
        for stem_len in (4, 3, 2, 1):
            s = m.start() - stem_len
            if stem_len == 1 and m.group(0) != "州":  # 澜州; but not 湘省, 某县
                continue
            if name_like(s, end, m.start()):
                add(s, end)
                break
    # 2. a name where a place stands: before 这边/那边 anywhere, before a document kind or 的 at the start
    lead = 0
    while True:  # 我想问一下 / 请问 / 那么 …
        w = next((w for w in sorted(_LEAD_WORDS, key=len, reverse=True) if text.startswith(w, lead)), "")
        if not w:
            break
        lead += len(w)
    for s in range(len(text)):
        for n in (4, 3, 2):
            e = s + n
            after = text[e:]
            placed = any(after.startswith(w) for w in _PLACE_AFTER) or (
                s == lead and (after.startswith(("的", "呢")) or any(after.startswith(c) for c in kind_cues)))
            if placed and text[e - 1] not in _NOT_LAST and name_like(s, e, e):
                add(s, e)
                break
    return sorted(out)
