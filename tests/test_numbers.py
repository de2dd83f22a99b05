import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.numbers import (
    Quantity, find_quantities, format_quantity, format_value, normalise, parse_number, same_value,
)


@pytest.mark.parametrize("span, value", [
    ("三", 3), ("十", 10), ("二十六", 26), ("一百", 100), ("1800", 1800), ("两", 2), ("0.5", 0.5),
    ("八十", 80), ("十一", 11), ("一千八百", 1800), ("五千", 5000), (" 7 ", 7),
])
def test_parse_number(span, value):
    assert parse_number(span) == value


@pytest.mark.parametrize("span", ["二十十", "", "abc", "3年", "百", "一般"])
def test_parse_number_rejects_malformed(span):
    with pytest.raises(ValueError):
        parse_number(span)


def _triples(text):
    return [(q.value, q.unit, q.comparator) for q in find_quantities(text)]


@pytest.mark.parametrize("text, expected", [
    ("筹建工作一般应于3年内完成", [(3, "年", "<=")]),
    ("筹建单位应在3年内完成建设工作", [(3, "年", "<=")]),
    ("公示时间不得少于7天", [(7, "天", ">=")]),
    ("延长时限不超过1年", [(1, "年", "<=")]),
    ("在规定时间内(不超过一年)实施整改", [(1, "年", "<=")]),
    ("应当在筹建期限届满3个月前申请验收考核", [(3, "个月", "before")]),
    ("考核得分分值在80分及以上的", [(80, "分", ">=")]),
    ("考核得分分值低于80分的,限期3个月整改", [(80, "分", "<"), (3, "个月", "<=")]),
    ("整改后仍达不到80分的", [(80, "分", "<")]),
    ("人数原则为3—5人", [((3, 5), "人", "range")]),
    ("选取3-5家单位", [((3, 5), "家", "range")]),
    ("评审组由5至7人组成", [((5, 7), "人", "range")]),
    ("专家3到5人", [((3, 5), "人", "range")]),
    ("每五年组织一次复查", [(5, "年", "every")]),
    ("每5年进行一次复查", [(5, "年", "every")]),
    ("每年11月向省市场监管局书面报送", [(11, "月份", "=")]),
    ("每年11月底前向市市场监管局", [(11, "月份", "before")]),
    ("应在7个工作日内向市市场监管局报告", [(7, "个工作日", "<=")]),
    ("本办法自2023年3月1日起施行", [("2023-03-01", "date", "=")]),
    ("最迟2027-03-01申请", [("2027-03-01", "date", "=")]),
    ("总数达到1800项以上", [(1800, "项", ">=")]),
    ("注册计量师占比达到60%", [(60, "%", "=")]),
    ("覆盖率达到90%以上", [(90, "%", ">=")]),
    ("不少于10种标准物质", [(10, "种", ">=")]),
    ("3项重点任务、开展5项重点工程", [(3, "项", "="), (5, "项", "=")]),
    ("两年半", [(2.5, "年", "=")]),
    ("一年半", [(1.5, "年", "=")]),
    ("半年", [(0.5, "年", "=")]),
    ("18个月", [(18, "个月", "=")]),
    ("公示期为十个工作日", [(10, "个工作日", "=")]),
    ("累计3年未完成年度考核的", [(3, "年", "=")]),
    ("到2025年", [(2025, "年份", "=")]),
    ("低于 80 分", [(80, "分", "<")]),
    ("培育5万家企业", [(50000, "家", "=")]),
    ("11月30日前报送", [(11, "月份", "before")]),
    ("共列2份材料", [(2, "份", "=")]),
])
def test_find_quantities(text, expected):
    assert _triples(text) == expected


@pytest.mark.parametrize("text", [
    "第十四条 省市场监管局通过初步审查",
    "(一)具有法人资格",
    "鄂市监量规〔2023〕5号",
    "按照《计量发展规划(2021—2035年)》的总体部署",
    "围绕我市“1+3+4”现代化产业体系",
    "一般应于", "统一年度计划", "进一步提升", "组织一次复查", "第24个“世界计量日”",
    "《东营市国民经济和社会发展第十四个五年规划》",
])
def test_skips_numbers_that_are_not_quantities(text):
    assert find_quantities(text) == []


def test_notes_and_offsets():
    text = "有下列情形之一的:(三)累计3年未完成年度考核的;每年11月底前报送"
    qs = find_quantities(text)
    assert [q.note for q in qs] == ["累计", "每年;月底"]
    for q in qs:
        assert text[q.start:q.end] == q.text


def test_malformed_numeral_is_skipped_with_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="assistant.numbers"):
        assert find_quantities("筹建期为二十十年") == []
    assert "二十十" in caplog.text


def test_a_word_opening_on_a_magnitude_is_skipped_quietly(caplog):
    with caplog.at_level(logging.WARNING, logger="assistant.numbers"):
        assert find_quantities("万一分数不够怎么办？百家争鸣") == []
    assert caplog.text == ""


@pytest.mark.parametrize("value, unit, expected", [
    (3, "年", (36, "个月")), (2.5, "年", (30, "个月")), (18, "个月", (18, "个月")), (7, "天", (7, "日")),
    (7, "日", (7, "日")), (7, "个工作日", (7, "工作日")), (7, "工作日", (7, "工作日")),
    ((3, 5), "人", ((3, 5), "人")), (5, "名", (5, "人")), (11, "月份", (11, "月份")),
    ("2023-03-01", "date", ("2023-03-01", "date")),
])
def test_normalise(value, unit, expected):
    assert normalise(value, unit) == expected


@pytest.mark.parametrize("a, b, same", [
    ((1, "年"), (12, "个月"), True),
    ((2.5, "年"), (30, "个月"), True),
    ((7, "天"), (7, "日"), True),
    ((7, "工作日"), (7, "日"), False),
    ((7, "个工作日"), (7, "工作日"), True),
    ((3, "人"), ((3, 5), "人"), True),
    ((5, "人"), ((3, 5), "人"), True),
    ((4, "人"), ((3, 5), "人"), False),
    (((3, 5), "人"), ((3, 5), "人"), True),
    ((3, "年"), (3, "个月"), False),
])
def test_same_value(a, b, same):
    assert same_value(*a, *b) is same


@pytest.mark.parametrize("value, unit, comparator, note, shown", [
    (1, "年", "<=", "", "≤1年"), (80, "分", ">=", "", "≥80分"), (5, "年", "every", "", "每5年"),
    (3, "个月", "before", "", "3个月前"), ((3, 5), "人", "range", "", "3—5人"),
    (11, "月份", "before", "每年;月底", "每年11月底前"), (11, "月份", "=", "每年", "每年11月"),
    ("2023-03-01", "date", "=", "", "2023-03-01"),
])
def test_format_quantity(value, unit, comparator, note, shown):
    assert format_quantity(value, unit, comparator, note) == shown


def test_format_value():
    assert format_value((3, 5), "人") == "3—5人"
    assert format_value(7, "天") == "7天"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789一二两三十百千万半年月日天个工作分人项家种%第条()《》〔〕—-至到每不超过少于以上内前.+ 底") ), max_size=40))
def test_never_raises_and_offsets_hold(text):
    for q in find_quantities(text):
        assert isinstance(q, Quantity)
        assert text[q.start:q.end] == q.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_arbitrary_text(text):
    find_quantities(text)


def test_counts_in_chinese_numerals_read_as_arabic():
    from assistant.numbers import arabic_counts

    assert arabic_counts("“三项重点任务”指哪三项？") == "“3项重点任务”指哪3项？"
    assert arabic_counts("五项重点工程和十二个目标") == "5项重点工程和12个目标"
    assert arabic_counts("一是完善体系") == "一是完善体系"  # (no count unit: unchanged)
