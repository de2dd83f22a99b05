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
_KIND_AFTER = "碳计量|计量数据|计量中心|碳中心"
_SHORT_OK = re.compile(r"^[\u4e00-\u9fff]$")


def canonical(name: str) -> str | None:
    """The canonical name for a jurisdiction name or alias, or None."""
    n = name.strip()
    if not n:
        return None
    for canon, aliases in ALIASES.items():
        if n == canon or n in aliases or n.lower() in {a.lower() for a in aliases if a.isascii()}:
            return canon
    for suffix in ("省", "市", "自治区"):
        if n.endswith(suffix) and n[: -len(suffix)] in ALIASES:
            return n[: -len(suffix)]
    return n if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n) else None


def resolve(name: str, known: list[str] | tuple[str, ...]) -> str:
    """Resolve a user-given filter against the corpus jurisdictions, or raise with the list."""
    canon = canonical(name)
    if canon in known:
        return canon
    raise UnknownJurisdictionError(
        f"未知的地区 '{name}'。语料中的地区：{'、'.join(known)}。"
        f" Unknown jurisdiction '{name}'; known: {', '.join(known)}."
    )


@functools.lru_cache(maxsize=32)
def _patterns(extra: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    """(canonical name, compiled pattern) per alias of ALIASES and of the corpus' own names."""
    names = dict(ALIASES)
    for e in extra:
        names.setdefault(e, ())
    out = []
    for canon, aliases in names.items():
        for alias in (canon, *aliases):
            if not alias:
                continue
            if len(alias) == 1:
                pattern = rf"(?<![\u4e00-\u9fff]){re.escape(alias)}(?=[的地省市,，、和与及跟呢吗?？\s]|$|{_KIND_AFTER})"
                out.append((canon, re.compile(pattern)))
            elif alias.isascii():
                out.append((canon, re.compile(rf"\b{re.escape(alias)}\b", re.I)))
            else:
                out.append((canon, re.compile(re.escape(alias))))
    return out


def find_in_text(text: str, *, extra: tuple[str, ...] = ()) -> list[str]:
    """Jurisdictions mentioned in a question, in order of first mention (canonical names).

    Single-character abbreviations (鄂/渝/津/赣 …) count only when they stand alone next to
    non-name characters or directly name a centre (渝碳计量中心), so 津贴 or 渝中区 are not
    misread; full names always count.
    """
    found: list[tuple[int, str]] = []
    for canon, pattern in _patterns(tuple(extra)):
        m = pattern.search(text)
        if m:
            found.append((m.start(), canon))
    seen: list[str] = []
    for _, canon in sorted(found):
        if canon not in seen:
            seen.append(canon)
    return seen
