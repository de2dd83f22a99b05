import pytest

from assistant.errors import UnknownJurisdictionError
from assistant.jurisdictions import canonical, find_in_text, resolve

KNOWN = ["湖北", "重庆", "天津", "东营", "江西"]


@pytest.mark.parametrize(
    "name, expected",
    [("湖北", "湖北"), ("湖北省", "湖北"), ("鄂", "湖北"), ("渝", "重庆"), ("重庆市", "重庆"), ("津", "天津"),
     ("天津市", "天津"), ("东营市", "东营"), ("Chongqing", "重庆"), ("赣", "江西")],
)
def test_resolve_aliases(name, expected):
    assert resolve(name, KNOWN) == expected


def test_unknown_lists_known():
    with pytest.raises(UnknownJurisdictionError, match="湖北、重庆、天津"):
        resolve("广东", KNOWN)
    assert canonical("") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("重庆的公示期几天?", ["重庆"]),
        ("湖北和重庆的年度报告有什么不同", ["湖北", "重庆"]),
        ("渝的专家组几个人", ["重庆"]),
        ("津贴怎么发", []),
        ("企业能申请天津的计量数据中心吗", ["天津"]),
        ("广东有碳计量中心办法吗", ["广东"]),
        ("那重庆呢?", ["重庆"]),
    ],
)
def test_find_in_text(text, expected):
    assert find_in_text(text) == expected
