"""Synthetic corpora for the scale benchmark, generated from the real regulations.

``make_corpus(src, out_dir, factor=10)`` writes a real corpus folder (text files +
manifest.yaml) holding the shipped documents unchanged plus ``factor - 1`` variants of each,
so the corpus is ``factor`` × the shipped one and the real ingestion → segmentation →
indexing path is what gets measured. A variant keeps the structure and vocabulary of its
template and differs the way another region's regulation would: another jurisdiction name
(and 文号 abbreviation), shifted numbers and dates, articles shuffled within their chapter
(then renumbered 第一条…), items and numbered points shuffled, sentences reordered, a few
domain phrases swapped. Every variant is different text, so the content-hash embedding
cache cannot skip it: the build cost is the cost of really new documents.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import cn2an
import yaml

from assistant.config import Settings
from assistant.corpus import load_corpus, load_manifest
from assistant.jurisdictions import ALIASES
from assistant.types import DocMeta, Document

# Region-like names: first × second character, minus every real name the assistant knows.
_FIRST = "云青临安永兴泰嘉宁昌平德丰华阳和长通定建瑞新金乐宜怀盛祥福康顺元景兰桐松溧"
_SECOND = "州阳江山宁安城原陵丘川平林溪泽滨岭浦"
# the shipped corpus' names and abbreviations, longest first (replaced in this order)
_REAL_FULL = ("湖北省", "重庆市", "天津市", "东营市", "江西省", "山东省")
_REAL_BARE = ("湖北", "重庆", "天津", "东营", "江西", "山东")
_ABBREV = re.compile(r"[鄂渝赣鲁](?=[市府政])|津(?=市场|市监|政)")
# domain phrase variants: (a, b) — a variant may use b where its template says a
_SWAPS = (
    ("碳计量中心", "能源计量中心"),
    ("计量数据建设应用基地", "计量数据应用基地"),
    ("计量数据建设应用中心", "计量数据应用中心"),
    ("专家组", "专家委员会"),
    ("申请单位", "申报单位"),
    ("筹建单位", "建设单位"),
    ("现场评审", "现场核查"),
    ("技术支撑", "技术保障"),
    ("高质量发展", "高水平发展"),
    ("监督管理", "监督检查"),
)
_CN_QTY = re.compile(r"(?<![第个\d一二三四五六七八九十])([一二三四五六七八九十]{1,3})(?=(年|个月|个工作日|日|天|人|名|家))")
_DATES = re.compile(r"(?P<date_y>\d{4})年\d{1,2}月\d{1,2}日|〔(?P<no_y>\d{4})〕\d+号"
                    r"|(?<!\d)(?P<year>19[5-9]\d|20\d\d)(?=年|—|-|〕|\))")
_NUM = re.compile(r"(?<![\d.〔])(\d{1,4})(?![\d〕])")
_ARTICLE = re.compile(r"^第([零一二三四五六七八九十百千]+)条(?=\s|$)")
_CHAPTER = re.compile(r"^第[零一二三四五六七八九十百千]+章")
_ITEM = re.compile(r"^\(([一二三四五六七八九十]+)\)")
_POINT = re.compile(r"^(\d+)\.(?!\d)")
_EFFECTIVE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|生效)")


def synthetic_names(n: int | None = None) -> list[str]:
    """Two-character region names that collide with no jurisdiction the assistant knows."""
    known = set(ALIASES) | {a for aliases in ALIASES.values() for a in aliases}
    names = []
    for a in _FIRST:
        for b in _SECOND:
            name = a + b
            if name in known or any(k in name or name in k for k in known if len(k) >= 2):
                continue
            names.append(name)
    return names if n is None else names[:n]


@dataclass(frozen=True)
class SynthCorpus:
    """What ``make_corpus`` wrote."""

    path: Path
    factor: int
    n_docs: int
    n_original: int
    chars: int  # characters of the source files written (originals included)
    original_ids: tuple[str, ...]

    def settings(self, index_dir: Path, **changes) -> Settings:
        return Settings.from_env(corpus_dir=self.path, index_dir=index_dir, **changes)


def make_corpus(src: Settings, out_dir: Path, *, factor: int, seed: int = 7) -> SynthCorpus:
    """Write ``factor`` × the corpus of ``src`` into ``out_dir`` (originals + variants)."""
    if factor < 1:
        raise ValueError(f"factor must be >= 1, got {factor}")
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    metas = load_manifest(src.manifest_path)
    docs = load_corpus(src)
    entries: list[dict] = []
    chars = 0
    for source in dict.fromkeys(m.source for m in metas):  # originals, unchanged
        shutil.copyfile(src.corpus_dir / source, out_dir / source)
        chars += len((out_dir / source).read_text(encoding="utf-8"))
    entries.extend(_entry(m) for m in metas)
    rng = random.Random(seed)
    names = synthetic_names()
    rng.shuffle(names)
    n = 0
    for copy in range(1, factor):
        for doc in docs:
            name = names[n % len(names)]
            other = names[(n * 7 + 3) % len(names)]
            meta, text = variant(doc, name=name, other=other, rng=rng, serial=n)
            (out_dir / meta.source).write_text(text, encoding="utf-8")
            chars += len(text)
            entries.append(_entry(meta))
            n += 1
    header = ("# Synthetic corpus written by bench/synth.py: the shipped documents plus generated\n"
              f"# variants ({factor}x the shipped corpus). Not for answering questions.\n")
    body = yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False, width=1000)
    (out_dir / "manifest.yaml").write_text(header + body, encoding="utf-8")
    return SynthCorpus(path=out_dir, factor=factor, n_docs=len(entries), n_original=len(metas),
                       chars=chars, original_ids=tuple(m.id for m in metas))


def _entry(meta: DocMeta) -> dict:
    out = {}
    for key in DocMeta.__dataclass_fields__:
        value = getattr(meta, key)
        if value in ("", None):
            continue
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def variant(doc: Document, *, name: str, rng: random.Random, serial: int,
            other: str = "") -> tuple[DocMeta, str]:
    """One synthetic document made from ``doc``: (manifest entry, file text).

    ``name`` replaces the document's own jurisdiction; ``other`` replaces any other real
    region the text mentions (e.g. the province of a city).
    """
    meta = doc.meta
    level = meta.level
    own_full = next((f for f in _REAL_FULL if f[:-1] == meta.jurisdiction), "")
    region = name + (own_full[-1:] or ("省" if level == "省" else "市"))
    other = other or name
    abbrev = name[0]
    dy = rng.choice((-3, -2, -1, 1, 2, 3, 4))
    swaps = [pair for pair in _SWAPS if rng.random() < 0.5]
    lines = doc.text.split("\n")
    if any(_ARTICLE.match(line) for line in lines):
        lines = _shuffle_regulation(lines, rng)
    else:
        lines = _shuffle_sections(lines, rng)
    text = "\n".join(_reorder_sentences(line, rng) for line in lines)

    def transform(s: str) -> str:
        for full, bare in zip(_REAL_FULL, _REAL_BARE):
            own = bare == meta.jurisdiction
            s = s.replace(full, region if own else other + full[-1]).replace(bare, name if own else other)
        s = _ABBREV.sub(abbrev, s)
        for a, b in swaps:
            s = s.replace(a, b)
        return s

    text = _shift_numbers(transform(text), rng, dy)
    title = _shift_years(transform(meta.title), rng, dy)
    if meta.kind == "regulation":
        lines = text.split("\n")
        lines[0] = title  # a regulation's text starts with its title line
        text = "\n".join(lines)
    effective = None
    m = _EFFECTIVE.search(text)
    if m:
        effective = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    issued = _shift_date(meta.issued, dy) if meta.issued else None
    if issued and effective and issued > effective:
        issued = effective - dt.timedelta(days=rng.randint(5, 40))
    note = ""
    if meta.effective_note and not effective and issued:  # "自发布之日起施行"
        effective, note = issued, meta.effective_note
    doc_number = _shift_years(_ABBREV.sub(abbrev, meta.doc_number), rng, dy) if meta.doc_number else ""
    doc_id = f"syn{serial:05d}-{meta.id}"
    new = DocMeta(
        id=doc_id, title=title, jurisdiction=name, level=level, kind=meta.kind, source=f"{doc_id}.txt",
        issuer=transform(meta.issuer), doc_number=doc_number, issued=issued, effective=effective,
        effective_note=note, province=other if meta.province else "",
    )
    return new, text.rstrip("\n") + "\n"


def _shuffle_regulation(lines: list[str], rng: random.Random) -> list[str]:
    """Shuffle articles inside each chapter (then renumber), and items inside articles."""
    head: list[str] = []
    chapters: list[tuple[str | None, list[list[str]]]] = []  # (chapter line, articles)
    for line in lines:
        if _CHAPTER.match(line):
            chapters.append((line, []))
        elif _ARTICLE.match(line):
            if not chapters:
                chapters.append((None, []))
            chapters[-1][1].append([line])
        elif chapters and chapters[-1][1]:
            chapters[-1][1][-1].append(line)
        elif chapters:
            chapters[-1][1].append([line])  # text between a chapter line and its first article
        else:
            head.append(line)
    out = list(head)
    all_articles = [a for _, arts in chapters for a in arts if _ARTICLE.match(a[0])]
    # the purpose clause (first article) and the closing one (施行 date) stay where they are
    fixed = {id(all_articles[0]), id(all_articles[-1])} if all_articles else set()
    number = 0
    for chapter_line, articles in chapters:
        if chapter_line is not None:
            out.append(chapter_line)
        movable = [a for a in articles if _ARTICLE.match(a[0]) and id(a) not in fixed]
        rng.shuffle(movable)
        it = iter(movable)
        ordered = [next(it) if _ARTICLE.match(a[0]) and id(a) not in fixed else a for a in articles]
        for article in ordered:
            if _ARTICLE.match(article[0]):
                number += 1
                label = "第" + cn2an.an2cn(number) + "条"
                out.append(_ARTICLE.sub(label, article[0], count=1))
                out.extend(_shuffle_items(article[1:], rng, _ITEM))
            else:
                out.extend(article)
    return out


def _shuffle_items(lines: list[str], rng: random.Random, pattern: re.Pattern) -> list[str]:
    """Shuffle a run of enumerated lines ((一)… or 1.…) and relabel them in order."""
    if rng.random() < 0.5:
        return lines
    idx = [i for i, line in enumerate(lines) if pattern.match(line)]
    if len(idx) < 2 or idx != list(range(idx[0], idx[0] + len(idx))):
        return lines
    run = [pattern.sub("", lines[i], count=1) for i in idx]
    rng.shuffle(run)
    out = list(lines)
    for n, (i, body) in enumerate(zip(idx, run), start=1):
        label = f"({cn2an.an2cn(n)})" if pattern is _ITEM else f"{n}."
        out[i] = label + body
    return out


def _shuffle_sections(lines: list[str], rng: random.Random) -> list[str]:
    """Plans and news: shuffle each run of numbered points (1. 2. …) under its heading."""
    out: list[str] = []
    run: list[str] = []
    for line in lines + [""]:
        if _POINT.match(line):
            run.append(line)
            continue
        if run:
            out.extend(_shuffle_items(run, rng, _POINT) if len(run) > 1 else run)
            run = []
        if line:
            out.append(line)
    return out


def _reorder_sentences(line: str, rng: random.Random) -> str:
    """Keep the first sentence (it carries the label), shuffle the rest of a long paragraph."""
    parts = [p for p in re.split(r"(?<=。)", line) if p]
    if len(parts) < 3 or rng.random() < 0.4:
        return line
    rest = parts[1:]
    rng.shuffle(rest)
    return parts[0] + "".join(rest)


def _safe_date(y: int, m: int, d: int) -> dt.date:
    m = min(max(m, 1), 12)
    d = min(max(d, 1), 28)
    return dt.date(y, m, d)


def _shift_date(date: dt.date, dy: int) -> dt.date:
    return _safe_date(date.year + dy, date.month, date.day)


def _shift_years(text: str, rng: random.Random, dy: int) -> str:
    """Dates, 文号 and years move by ``dy`` years (one pass, so nothing moves twice)."""

    def repl(m: re.Match) -> str:
        if m.group("date_y"):
            return f"{int(m.group('date_y')) + dy}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        if m.group("no_y"):
            return f"〔{int(m.group('no_y')) + dy}〕{rng.randint(1, 60)}号"
        return str(int(m.group("year")) + dy)

    return _DATES.sub(repl, text)


def _shift_numbers(text: str, rng: random.Random, dy: int) -> str:
    """Quantities move by a small step; dates, 文号 and years by ``dy`` years."""

    def step(m: re.Match) -> str:
        value = int(m.group(1))
        after = text[m.end(): m.end() + 1]
        if 1950 <= value <= 2100 or rng.random() < 0.4:
            return m.group(1)  # years are moved by _shift_years
        if after == "%":
            return str(min(100, max(1, value + rng.choice((-10, -5, 5, 10)))))
        if after == "月" and value <= 12:
            return str(min(12, max(1, value + rng.choice((-2, -1, 1, 2)))))
        return str(max(1, value + rng.choice((-1, 1, 2)) * max(1, value // 5)))

    text = _NUM.sub(step, text)

    def step_cn(m: re.Match) -> str:
        try:
            value = int(cn2an.cn2an(m.group(1), "strict"))
        except (ValueError, KeyError):
            return m.group(1)
        if rng.random() < 0.5:
            return m.group(1)
        return cn2an.an2cn(max(1, value + rng.choice((-1, 1, 2))))

    return _shift_years(_CN_QTY.sub(step_cn, text), rng, dy)


def unique_chunk_ratio(settings: Settings) -> float:
    """Share of distinct chunk texts (1.0: the embedding cache can skip nothing)."""
    from assistant.index import chunks_from

    docs = load_corpus(settings)
    chunks = chunks_from(docs, max_chars=settings.chunk_max_chars)
    return len({c.text for c in chunks}) / max(1, len(chunks))
