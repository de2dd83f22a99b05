import pytest

from assistant.normalize import normalize_query, normalize_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("考核得分分值低于 80 分的，限期 3 个月整改", "考核得分分值低于80分的,限期3个月整改"),
        ("每年 11 月底前", "每年11月底前"),
        ("１２３（一）：；", "123(一):;"),
        ("第十二条　对通过审查", "第十二条 对通过审查"),
        ("第一条为规范天津市", "第一条 为规范天津市"),
        ("第一章  总  则", "第一章 总则"),
        ("- (一) 存在不公正行为", "(一)存在不公正行为"),
        ("計量數據中心管理辦法", "计量数据中心管理办法"),
        ("\ufeff天津", "天津"),
        ("2021─2035年", "2021—2035年"),
    ],
)
def test_normalize_line(raw, expected):
    assert normalize_text(raw) == expected + "\n"


def test_page_break_joins_sentence():
    raw = "面向全市需求,系统性开展碳计量相关重大问题研究和\n\n\n\n服务能力建设,为政府提供服务。\n"
    assert normalize_text(raw) == "面向全市需求,系统性开展碳计量相关重大问题研究和服务能力建设,为政府提供服务。\n"


def test_comma_line_break_joins():
    assert normalize_text("对通过审查和论证的申请项目，\n\n\n\n市市场监管局应当进行公示。") == (
        "对通过审查和论证的申请项目,市市场监管局应当进行公示。\n"
    )


def test_heading_is_not_joined():
    raw = "深入贯彻落实《实施意见》,不断提高全省计量能力和水平\n为深入贯彻落实《实施意见》,江西省制定了方案。"
    assert normalize_text(raw).count("\n") == 2


def test_structure_lines_are_not_joined():
    raw = "申请单位应具备以下条件,\n(一)具有法人资格;\n第八条 申请"
    assert normalize_text(raw).splitlines() == ["申请单位应具备以下条件,", "(一)具有法人资格;", "第八条 申请"]


def test_idempotent_on_corpus(settings):
    from assistant.ingest import read_source

    for path in sorted(settings.corpus_dir.glob("*.txt")):
        once = normalize_text(read_source(path))
        assert normalize_text(once) == once, path.name


def test_query():
    assert normalize_query("  重庆　公示期 几天？ ") == "重庆公示期几天?"


# ---------------------------------------------------------------------------- offsets back to the source

from assistant.normalize import align, normalize_query_with_map, normalize_with_map  # noqa: E402


def _source_chars(raw: str, normalised: str, offsets) -> str:
    """Each normalised character's source character (inserted ones as '+')."""
    out = []
    for i in range(len(normalised)):
        s, e = offsets.source_offsets(i, i + 1)
        out.append(raw[s:e] or "+")
    return "".join(out)


@pytest.mark.parametrize(
    "raw, span, shown",
    [
        # full-width punctuation and digits read as written
        ("对通过审查的项目，市市场监管局应当进行公示（不少于７天）：", "项目,市市场监管局", "项目，市市场监管局"),
        ("１２３（一）：；", "123(一):;", "１２３（一）：；"),
        # spaces inside numbers stay
        ("考核得分分值低于 80 分的，限期 3 个月整改", "低于80分的,限期3个月整改", "低于 80 分的，限期 3 个月整改"),
        ("第一章  总  则", "第一章 总则", "第一章  总  则"),
        # a line break inside a sentence is joined (removed, with the whitespace around it)
        ("对通过审查和论证的申请项目，\n\n\n\n  市市场监管局应当进行公示。", "项目,市市场", "项目，市市场"),
        ("面向全市需求,系统性开展碳计量相关重大问题研究和\n\n\n\n服务能力建设,为政府提供服务。", "研究和服务能力", "研究和服务能力"),
        # a space the normaliser inserted after an article label is not shown
        ("第一条为规范天津市计量数据", "第一条 为规范", "第一条为规范"),
        ("第十二条　对通过审查", "第十二条 对通过", "第十二条　对通过"),
        # markdown bullets and ideographic spaces inside a kept line
        ("撤销资格：\n- (一) 存在不公正行为", "撤销资格:\n(一)存在", "撤销资格：\n- (一) 存在"),
        ("\ufeff天津　计量", "天津计量", "天津　计量"),
        ("2021─2035年", "2021—2035年", "2021─2035年"),
        ("第一行，\r\n第二行。\r\n", "第一行,第二行", "第一行，第二行"),
    ],
)
def test_source_span_shows_the_source(raw, span, shown):
    normalised, offsets = normalize_with_map(raw)
    start = normalised.index(span)
    assert offsets.span(normalised, start, start + len(span)) == shown
    assert offsets.mismatches == 0


def test_offsets_point_at_the_source_characters():
    raw = "第一条为规范计量（试行），低于 80 分的，\n\n限期 ３ 个月整改。"
    normalised, offsets = normalize_with_map(raw)
    assert normalised == "第一条 为规范计量(试行),低于80分的,限期3个月整改。\n"
    assert _source_chars(raw, normalised, offsets) == "第一条+为规范计量（试行），低于80分的，限期３个月整改。+"
    s, e = offsets.source_offsets(normalised.index("限期"), normalised.index("整改") + 2)
    assert raw[s:e] == "限期 ３ 个月整改"


def test_traditional_source_reads_simplified_with_the_original_kept():
    raw = "第十四條　籌建單位應在3年內完成建設工作，逾期不予驗收。"
    normalised, offsets = normalize_with_map(raw)
    assert normalised.startswith("第十四条 筹建单位应在3年内完成建设工作,")
    start, end = normalised.index("筹建"), normalised.index("。")
    assert offsets.span(normalised, start, end) == "筹建单位应在3年内完成建设工作，逾期不予验收"
    assert offsets.span(normalised, start, end, original=True) == "籌建單位應在3年內完成建設工作，逾期不予驗收"
    s, e = offsets.source_offsets(start, end)
    assert raw[s:e] == "籌建單位應在3年內完成建設工作，逾期不予驗收"


def test_display_positions_map_normalised_offsets():
    raw = "低于 80 分的，限期整改"
    normalised, offsets = normalize_with_map(raw)
    shown, where = offsets.display(normalised, 0, len(normalised))
    assert shown == "低于 80 分的，限期整改"  # the final line break is the normaliser's
    assert len(where) == len(normalised) + 1 and where[-1] == len(shown)
    a = normalised.index("80")
    assert shown[where[a]:where[a + 1] + 1] == "80"  # where[i]: where normalised character i starts
    assert shown[where[a + 2]] == "分"


def test_query_map_for_the_checker():
    raw = "重庆　公示期 不少于 ７ 天？"
    normalised, offsets = normalize_query_with_map(raw)
    assert normalised == "重庆公示期不少于7天?"
    s, e = offsets.source_offsets(normalised.index("不少于"), normalised.index("天") + 1)
    assert raw[s:e] == "不少于 ７ 天"


def test_align_of_identical_text_stores_nothing():
    text = "第一条 为规范天津市计量数据建设应用中心管理。\n"
    offsets = align(text, text)
    assert offsets.span(text, 0, len(text)) == text and len(offsets._pos) == 0


def test_corpus_maps_are_exact(docs, settings):
    """Every normalised character of every shipped document points at the source character it
    came from (same character after simplification and half-width), and a whole document read
    back is its source text without whitespace."""
    import re

    from assistant.ingest import read_source
    from assistant.normalize import _mapped

    for doc in docs:
        raw = read_source(settings.corpus_dir / doc.meta.source)
        mapped = _mapped(raw)
        assert doc.source is not None and doc.source.mismatches == 0, doc.id
        for i, ch in enumerate(doc.text):
            s, e = doc.source.source_offsets(i, i + 1)
            assert (e == s and ch in " \n") or mapped[s:e] == ch, (doc.id, i, ch, raw[s - 5:s + 5])
        whole = re.sub(r"\s+", "", doc.source_span(0, len(doc.text)))
        assert whole in re.sub(r"\s+", "", raw), doc.id
