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
