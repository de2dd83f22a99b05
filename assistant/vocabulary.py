"""The question-understanding vocabulary: ``assistant/data/intents.yaml`` as frozen dataclasses.

The file is checked against ``VOCABULARY_SCHEMA`` first (an unknown or misspelt key, or a value
of the wrong type, is an error naming the file and the key), then read into the records below,
so code says ``vocab.question_words`` or ``vocab.doc_kinds["carbon"].cues``: a misspelt name is an
AttributeError where a misspelt dict key read as an empty list of cues. A section the file leaves
out gets its empty default. Places (city → province) come from ``understand_places.yaml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import AssistantError

DATA_DIR = Path(__file__).resolve().parent / "data"
REQUIRED = ("intents", "topics", "doc_kinds", "facts", "synonyms", "stopwords")
Words = tuple[str, ...]


@dataclass(frozen=True)
class IntentCues:
    """An intent's cue words: a strong hit scores 2, a weak one 1, a multi one 1 only when two or
    more jurisdictions or documents are in play."""

    strong: Words = ()
    weak: Words = ()
    multi: Words = ()


@dataclass(frozen=True)
class Intents:
    """The intents' cues, and the order that breaks ties between equal scores."""

    order: Words = ()
    cues: dict[str, IntentCues] = field(default_factory=dict)

    def of(self, name: str) -> IntentCues:
        """An intent's cues; none for an intent the file does not list."""
        return self.cues.get(name, IntentCues())


@dataclass(frozen=True)
class TopicCues:
    """A rules-table topic's cue words; ``weight`` multiplies their score."""

    cues: Words = ()
    weight: float = 1.0


@dataclass(frozen=True)
class TimelineEvent:
    """An event a date in a question stands for: the rules topic its deadline needs."""

    needs: str = ""
    cues: Words = ()


@dataclass(frozen=True)
class DocKind:
    """A document kind: read from a manifest's ``title`` cues or ``kind``, asked about by ``cues``;
    ``strip`` drops the cues from a question's subject words (document names say which, not what);
    ``short`` names the kind only right after a one-character place abbreviation ("鄂碳和渝碳")."""

    name: str = ""
    cues: Words = ()
    title: Words = ()
    kinds: Words = ()
    strip: bool = True
    short: Words = ()  # cues only right after a one-character place abbreviation (鄂碳, 津数据)


@dataclass(frozen=True)
class FactCues:
    """How a user states a fact about their own unit, and the condition wording it answers."""

    condition: Words = ()
    negative: Words = ()
    positive: Words = ()
    events: Words = ()
    types: dict[str, Words] = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """A subject the corpus may not cover: asked by ``cues``, covered when a document in scope
    says one of the ``evidence`` words, otherwise answered with what ``nearby`` words find."""

    name: str = ""
    cues: Words = ()
    evidence: Words = ()
    nearby: Words = ()


@dataclass(frozen=True)
class Followup:
    """What makes a question a follow-up of the previous turn."""

    prefixes: Words = ()
    suffixes: Words = ()
    max_chars: int = 14


@dataclass(frozen=True)
class Vocabulary:
    """The cue words of intents.yaml (one field per top-level key), ready for matching."""

    intents: Intents = field(default_factory=Intents)
    topics: dict[str, TopicCues] = field(default_factory=dict)
    timeline_events: dict[str, TimelineEvent] = field(default_factory=dict)
    event_topics: dict[str, str] = field(default_factory=dict)
    asked_units: dict[str, Words] = field(default_factory=dict)
    doc_kinds: dict[str, DocKind] = field(default_factory=dict)
    all_jurisdictions: Words = ()
    followup: Followup = field(default_factory=Followup)
    facts: dict[str, FactCues] = field(default_factory=dict)
    years_ago: dict[str, float] = field(default_factory=dict)
    subjects: tuple[Subject, ...] = ()
    metadata: dict[str, Words] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    generic: dict[str, Words] = field(default_factory=dict)
    process: Words = ()
    stopwords: Words = ()
    question_words: Words = ()
    part_words: Words = ()
    score_verbs: Words = ("考了", "打了", "得了", "拿了", "得分", "只拿", "只得", "考核得", "评了", "得到")
    injection: Words = ()
    neutral_words: Words = ()
    asks_other: Words = ()
    total_words: Words = ()
    gap_words: Words = ()
    late_words: Words = ()
    stages: Words = ()
    short_forms: dict[str, str] = field(default_factory=dict)
    follows: dict[str, str] = field(default_factory=dict)
    follow_words: Words = ()
    places: dict[str, str] = field(default_factory=dict)  # city → province

    def fact(self, feature: str) -> FactCues:
        """A fact's cues; none for a feature the file does not list."""
        return self.facts.get(feature, FactCues())


@functools.lru_cache(maxsize=4)
def load_vocabulary(path: str | None = None, places_path: str | None = None) -> Vocabulary:
    """Read intents.yaml (and understand_places.yaml); errors name the file."""
    path = Path(path) if path else DATA_DIR / "intents.yaml"
    places_path = Path(places_path) if places_path else DATA_DIR / "understand_places.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        places_raw = yaml.safe_load(places_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AssistantError(f"无法读取理解词表 {path}: {exc}。 The vocabulary file is unreadable.") from None
    for key in REQUIRED:
        if key not in raw:
            raise AssistantError(f"{path}: 缺少 `{key}`。 The vocabulary needs a `{key}:` section.")
    _validate(raw, VOCABULARY_SCHEMA, path=path)
    places = {}
    for province, cities in (places_raw.get("places") or {}).items():
        for city in cities or ():
            places[str(city)] = str(province)
    return Vocabulary(**{key: _SECTIONS.get(key, _frozen)(value) for key, value in raw.items()}, places=places)


_WORDS = [str]  # a list of cue words
# The shape of intents.yaml: a dict of known keys ("*" any key), a list of one element's shape,
# or the type of a leaf. An unknown or misspelt key, or a value of the wrong type, is an error
# naming the file and the key (a typo would otherwise read as an empty list of cues).
VOCABULARY_SCHEMA = {
    "intents": {"order": _WORDS, "*": {"strong": _WORDS, "weak": _WORDS, "multi": _WORDS}},
    "topics": {"*": {"cues": _WORDS, "weight": (int, float)}},
    "timeline_events": {"*": {"needs": str, "cues": _WORDS}},
    "event_topics": {"*": str},
    "asked_units": {"*": _WORDS},
    "doc_kinds": {"*": {"name": str, "cues": _WORDS, "title": _WORDS, "kinds": _WORDS, "strip": bool, "short": _WORDS}},
    "all_jurisdictions": _WORDS,
    "followup": {"prefixes": _WORDS, "suffixes": _WORDS, "max_chars": int},
    "facts": {"*": {"condition": _WORDS, "negative": _WORDS, "positive": _WORDS, "events": _WORDS,
                    "types": {"*": _WORDS}}},
    "years_ago": {"*": (int, float)},
    "subjects": [{"name": str, "cues": _WORDS, "evidence": _WORDS, "nearby": _WORDS}],
    "metadata": {"*": _WORDS},
    "synonyms": {"*": str},
    "generic": {"*": _WORDS},
    "process": _WORDS, "stopwords": _WORDS, "question_words": _WORDS, "part_words": _WORDS, "score_verbs": _WORDS,
    "injection": _WORDS, "neutral_words": _WORDS, "asks_other": _WORDS,
    "total_words": _WORDS, "gap_words": _WORDS, "late_words": _WORDS, "stages": _WORDS, "short_forms": {"*": str}, "follows": {"*": str},
    "follow_words": _WORDS,
}


def _validate(value, shape, *, path: Path, key: str = "") -> None:
    """Check ``value`` against ``shape`` (VOCABULARY_SCHEMA); raise naming the file and key."""
    where = key or "(top level)"
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise AssistantError(f"{path}: `{where}` 应为映射。 `{where}` must be a mapping.")
        for k, v in value.items():
            sub = shape.get(str(k), shape.get("*"))
            if sub is None:
                known = ", ".join(sorted(x for x in shape if x != "*"))
                name = f"{key}.{k}" if key else str(k)
                raise AssistantError(f"{path}: 未知的键 `{name}`（可用：{known}）。 Unknown key {name!r}; known: {known}.")
            _validate(v, sub, path=path, key=f"{key}.{k}" if key else str(k))
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise AssistantError(f"{path}: `{where}` 应为列表。 `{where}` must be a list.")
        for n, item in enumerate(value):
            _validate(item, shape[0], path=path, key=f"{where}[{n}]")
    elif not isinstance(value, shape) or (shape is int and isinstance(value, bool)):
        raise AssistantError(f"{path}: `{where}` 的值类型不对（{type(value).__name__}）。 `{where}` has the wrong type.")


# ------------------------------------------------------------------------------ building

def _frozen(value):
    """A validated YAML value with its lists as tuples (and mapping keys as strings)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _frozen(v) for k, v in value.items()}
    return value


def _record(cls, spec: dict, **defaults):
    """``cls`` from a validated mapping: the schema allows only ``cls``'s fields as keys; a key the
    file leaves out takes ``defaults`` or the field's own default."""
    return cls(**{**defaults, **_frozen(spec)})


def _each(build):
    """A section mapping names to records: each value built by ``build(name, spec)``."""
    return lambda section: {str(name): build(str(name), spec) for name, spec in section.items()}


def _intents(section: dict) -> Intents:
    cues = {str(name): _record(IntentCues, spec) for name, spec in section.items() if name != "order"}
    return Intents(order=_frozen(section.get("order", [])), cues=cues)


def _topic(name: str, spec: dict) -> TopicCues:
    return _record(TopicCues, {**spec, "weight": float(spec.get("weight", 1.0))})


_SECTIONS = {  # the sections read into records; every other one is a word list or a plain mapping
    "intents": _intents,
    "topics": _each(_topic),
    "timeline_events": _each(lambda name, spec: _record(TimelineEvent, spec)),
    "doc_kinds": _each(lambda name, spec: _record(DocKind, spec, name=name)),  # unnamed: its key
    "followup": lambda section: _record(Followup, section),
    "facts": _each(lambda name, spec: _record(FactCues, spec)),
    "years_ago": lambda section: {str(word): float(n) for word, n in section.items()},
    "subjects": lambda section: tuple(_record(Subject, spec) for spec in section),
}
