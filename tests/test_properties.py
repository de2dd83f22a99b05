"""Property tests (hypothesis): no exceptions on arbitrary text, idempotent normalisation."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.normalize import normalize_query, normalize_text
from assistant.segment import segment_text
from assistant.types import DocMeta

# text drawn from the characters that matter here: CJK numerals, digits, full/half-width
# punctuation, structure markers, whitespace and line breaks, plus arbitrary unicode
ALPHABET = st.sampled_from(list("第一二三四五六七八九十百千两零章条款项年月日个工作分人家%（）()，,。；;：:、—-  \n\t０１２３4５6789计量中心筹建验收不超过少于以上內內們") )
TEXTS = st.one_of(st.text(ALPHABET, max_size=300), st.text(max_size=200))
META = DocMeta(id="p", title="t", jurisdiction="测试", level="省", kind="regulation", source="p.txt")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300)
@given(TEXTS)
def test_normalize_query_is_idempotent(text):
    once = normalize_query(text)
    assert normalize_query(once) == once
    assert "\n" not in once


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_segment_never_raises_and_offsets_hold(text):
    doc = segment_text(text, META)
    for a in doc.articles:
        assert doc.text[a.start:a.end] == a.text
