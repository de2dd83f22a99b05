"""Chinese tokenisation for BM25: jieba with a domain user dictionary and stop-words.

Documents and queries go through the same ``tokenize`` (queries are normalised first with
``normalize_query``). Each text yields
- jieba words, and for a compound also its dictionary sub-words of every length
  (市级碳计量中心 → 市级, 碳计量, 计量, 中心, 碳计量中心, 市级碳计量中心), so a question that
  names only part of a term still matches;
- single CJK characters, so colloquial wording that jieba cuts differently from the legal
  text (几年 / 3年内, 合格线 / 合格) still shares tokens;
- Chinese numerals before a unit read as Arabic digits (三年 → 3年), as the regulations write
  them.
Stop-words are dropped everywhere. ``query_tokens`` adds the synonyms of the user dictionary
(colloquial → regulatory wording: 摘牌 → 撤销) to a query. A private ``jieba.Tokenizer``
keeps our dictionary out of jieba's global one.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
USERDICT_PATH = DATA_DIR / "userdict.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
SCHEME = "words+subwords+chars+arabic-v1"  # bump when tokenize() changes behaviour

# a token made only of punctuation, symbols or spaces carries no meaning for BM25
_JUNK = re.compile(r"^[\W_]+$", re.UNICODE)
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_CN_NUMERAL = re.compile(r"(?<![零一二两三四五六七八九十百千])([零一二两三四五六七八九十百千]{1,4})"
                         r"(?=个?(?:年|月|日|天|人|分|项|家|条|章|倍|次|名|种|周|工作日))")
_lock = threading.Lock()


def _lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_lines(STOPWORDS_PATH))


@functools.lru_cache(maxsize=1)
def _userdict() -> tuple[tuple[tuple[str, int | None], ...], dict[str, tuple[str, ...]]]:
    """(words with optional frequency, synonyms) from userdict.txt.

    A line is ``word [freq]`` (a dictionary word) or ``word = other other …`` (a synonym
    entry: a query containing ``word`` also searches for the others; ``word`` becomes a
    dictionary word too).
    """
    words: list[tuple[str, int | None]] = []
    synonyms: dict[str, tuple[str, ...]] = {}
    for line in _lines(USERDICT_PATH):
        if "=" in line:
            left, right = line.split("=", 1)
            for word in left.split():
                synonyms[word] = tuple(right.split())
                words.append((word, None))
            continue
        parts = line.split()
        words.append((parts[0], int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None))
    return tuple(words), synonyms


def user_words() -> tuple[str, ...]:
    return tuple(w for w, _ in _userdict()[0])


def synonyms() -> dict[str, tuple[str, ...]]:
    return dict(_userdict()[1])


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict …" on stderr
    tk = jieba.Tokenizer()
    for word, freq in _userdict()[0]:
        tk.add_word(word, freq=freq)
    return tk


def word_frequency(word: str) -> int:
    """The word's frequency in jieba's dictionary (0 when it is none): 公司 45,604, 试点 1,130;
    an invented place name such as 澜州 has none."""
    tk = _tokenizer()
    with _lock:
        tk.check_initialized()
    return int(tk.FREQ.get(word) or 0)


_TAGS: dict | None = None
# tags jieba's dictionary gives names of places and people, and abbreviations (渝, 黔)
NAME_TAGS = frozenset({"ns", "s", "nr", "nrt", "nz", "j"})


def word_tag(word: str) -> str:
    """The part-of-speech tag jieba's dictionary gives the word ("" when it has none): 会务 n,
    广州 ns; an invented place name such as 澜州 has none."""
    global _TAGS
    if _TAGS is None:
        import jieba.posseg

        tk = _tokenizer()
        with _lock:
            tk.check_initialized()
            _TAGS = jieba.posseg.POSTokenizer(tk).word_tag_tab
    return _TAGS.get(word, "")


def tokenizer_fingerprint() -> str:
    """Changes whenever the user dictionary, stop-words or scheme change (BM25 must follow)."""
    h = hashlib.sha256(SCHEME.encode())
    for path in (USERDICT_PATH, STOPWORDS_PATH):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def arabic_numerals(text: str) -> str:
    """三年 → 3年, 十五个工作日 → 15个工作日, 第十四条 → 第14条 (numerals before a unit only)."""
    import cn2an

    def repl(m: re.Match) -> str:
        try:
            return str(int(cn2an.cn2an(m.group(1), "smart")))
        except (ValueError, KeyError, TypeError):
            return m.group(1)

    return _CN_NUMERAL.sub(repl, text)


def tokenize(text: str) -> list[str]:
    """Tokens of an (already normalised) text: words, sub-words and characters, lower-cased,
    without punctuation or stop-words."""
    if not text:
        return []
    text = arabic_numerals(text)
    tk = _tokenizer()
    stop = stopwords()
    with _lock:  # jieba's Tokenizer is not documented as thread-safe
        words = tk.lcut(text, HMM=True)
    out: list[str] = []
    for word in words:
        word = word.strip().lower()
        if not word or _JUNK.match(word):
            continue
        if word in stop:
            continue
        out.extend(t for t in _with_parts(word, tk.FREQ) if t not in stop)
        if len(word) > 1:
            out.extend(ch for ch in word if _CJK_CHAR.match(ch) and ch not in stop)
    return out


def tokenize_many(texts: list[str], *, cache_path: Path | None = None) -> list[list[str]]:
    """``tokenize`` of each text. With ``cache_path`` (a SQLite file beside the embedding
    cache), the tokens of a text seen before under the same dictionary, stop-words, scheme and
    jieba version come from the cache, so rebuilding unchanged chunks never loads jieba's
    dictionary (0.7 s of a 3 s warm rebuild). Token strings are interned: a corpus repeats a few
    thousand words millions of times (1,000x the shipped corpus: ~16 M tokens, ~1 GB as
    separate strings)."""
    import sys

    if cache_path is None:
        return [list(map(sys.intern, tokenize(t))) for t in texts]
    import json
    from importlib.metadata import version

    from .kvcache import KeyValueCache

    cache = KeyValueCache(cache_path, table="tokens", what="token",
                          encode=lambda v: json.dumps(v, ensure_ascii=False),
                          decode=lambda raw: list(map(sys.intern, json.loads(raw))))
    salt = f"{tokenizer_fingerprint()}|jieba {version('jieba')}|"
    keys = [hashlib.sha256((salt + t).encode("utf-8")).hexdigest() for t in texts]
    try:
        found = cache.get_many(keys)
        new = {k: list(map(sys.intern, tokenize(t))) for k, t in zip(keys, texts) if k not in found}
        if new:
            cache.put_many(new.items())
    finally:
        cache.close()
    return [found[k] if k in found else new[k] for k in keys]


def query_tokens(text: str) -> list[str]:
    """``tokenize`` plus the tokens of every synonym the query's words call for."""
    tokens = tokenize(text)
    extra: list[str] = []
    for word, others in _userdict()[1].items():
        if word in text:
            for other in others:
                extra.extend(tokenize(other))
    return tokens + extra


def _with_parts(word: str, freq: dict) -> list[str]:
    """The dictionary sub-words of a compound (length ≥ 2, shorter first), then the word."""
    out = []
    for n in range(2, len(word)):
        for i in range(len(word) - n + 1):
            gram = word[i: i + n]
            if freq.get(gram):
                out.append(gram)
    out.append(word)
    return out
