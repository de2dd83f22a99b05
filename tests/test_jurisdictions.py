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
        # a one-character abbreviation naming the kind of centre after it, whatever precedes it
        ("我们渝碳计量中心的年报交晚了", ["重庆"]),
        ("鄂碳和渝碳的复查周期一样吗", ["湖北", "重庆"]),
        ("咱们津数据中心要报什么", ["天津"]),
        ("低碳发展的要求", []),
        ("渝中区的企业", []),
    ],
)
def test_find_in_text(text, expected):
    assert find_in_text(text) == expected


# ----------------------------------------------------------------------------- corpus names (issue 16)

from types import SimpleNamespace  # noqa: E402

from assistant.jurisdictions import corpus_names, find_spans, place_candidates, stem  # noqa: E402


def _docs(*names):
    """Stand-ins for Documents: (jurisdiction, aliases) pairs."""
    return [SimpleNamespace(meta=SimpleNamespace(jurisdiction=j, aliases=tuple(a))) for j, a in names]


CORPUS = _docs(("湖北", ()), ("重庆", ()), ("岭西省", ()), ("澜州市", ("澜",)), ("青岚自治区", ("岚", "青岚区")))


@pytest.mark.parametrize("name, expected", [("岭西省", "岭西"), ("青岚自治区", "青岚"), ("澜州市", "澜州"),
                                            ("澜州", "澜州"), ("津市", "津市"), ("湖北", "湖北")])
def test_stem(name, expected):
    assert stem(name) == expected


def test_corpus_names_add_manifest_aliases_and_the_name_without_its_suffix():
    names = dict(corpus_names(CORPUS))
    assert names["岭西省"] == ("岭西",)
    assert names["澜州市"] == ("澜", "澜州")
    assert names["青岚自治区"] == ("岚", "青岚区", "青岚")
    assert names["湖北"] == ("鄂", "湖北省", "Hubei")  # the built-in aliases of a built-in place


def test_a_stem_two_jurisdictions_share_belongs_to_neither():
    names = dict(corpus_names(_docs(("岭西省", ()), ("岭西市", ()))))
    assert names == {"岭西省": (), "岭西市": ()}
    # and a stem that is another jurisdiction's name stays that jurisdiction's
    names = corpus_names(_docs(("岭西省", ()), ("岭西", ())))
    assert dict(names)["岭西省"] == ()
    assert find_in_text("岭西省和岭西的公示期", names=names) == ["岭西省", "岭西"]


@pytest.mark.parametrize("text, expected", [
    ("岭西碳计量中心筹建期几年", ["岭西省"]),
    ("岭西省的公示期", ["岭西省"]),
    ("澜州市、重庆和青岚的合格分数", ["澜州市", "重庆", "青岚自治区"]),
    ("岚碳计量中心专家组几个人", ["青岚自治区"]),  # a one-character alias before a centre
    ("澜的计量数据中心", ["澜州市"]),
    ("波澜不惊", []),  # 澜 inside a word is no place
    ("青岚区的碳计量中心", ["青岚自治区"]),  # a manifest alias
])
def test_corpus_jurisdictions_are_found_like_built_in_ones(text, expected):
    assert find_in_text(text, names=corpus_names(CORPUS)) == expected


def test_the_longer_name_wins():
    names = corpus_names(_docs(("岭西", ()), ("岭西省", ())))
    spans = find_spans("岭西省碳计量中心", names=names)
    assert spans == [(0, 3, "岭西省")]
    assert find_in_text("岭西碳计量中心", names=names) == ["岭西"]


@pytest.mark.parametrize("name, expected", [("岭西", "岭西省"), ("岭西省", "岭西省"), ("澜", "澜州市"), ("澜州", "澜州市"),
                                            ("青岚", "青岚自治区"), ("青岚区", "青岚自治区"), ("鄂", "湖北")])
def test_resolve_corpus_names_and_aliases(name, expected):
    known = [j for j, _ in corpus_names(CORPUS)]
    assert resolve(name, known, aliases=corpus_names(CORPUS)) == expected


def test_resolve_a_long_name_without_aliases():
    assert resolve("青岚自治区", ["湖北", "青岚自治区"]) == "青岚自治区"
    assert resolve("青岚", ["湖北", "青岚自治区"]) == "青岚自治区"
    with pytest.raises(UnknownJurisdictionError, match="青岚自治区"):
        resolve("澜州", ["湖北", "青岚自治区"])


@pytest.mark.parametrize("text, expected", [
    ("澜州碳计量中心筹建期多久", ["澜州"]),  # before a document kind, at the start
    ("岭北省的公示期几天", ["岭北省"]),  # a suffix
    ("在澜州市申请碳计量中心要什么条件", ["澜州市"]),
    ("比较澜州和重庆的公示期", ["澜州"]),
    ("澜州这边公示几天", ["澜州"]),
    ("我想问一下澜州的碳计量中心", ["澜州"]),
    ("澜州某单位获批筹建", ["澜州"]),
    # ordinary words are not places
    ("公司这边能申请吗", []),
    ("地级市可以申请吗", []),
    ("全省各市都要报吗", []),
    ("省级碳计量中心和市级的区别", []),
    ("才能往省里报吗", []),
    ("市场监管局多久复查", []),
    ("听说碳计量数据应用研究那一条", []),
])
def test_place_candidates(text, expected):
    common = {"公司", "才能", "听说", "试点", "地级"}
    found = place_candidates(text, taken=[(m.start(), m.end()) for m in __import__("re").finditer("重庆", text)],
                             kind_cues=("碳计量中心", "计量数据中心", "计量数据"),
                             common=lambda w: w in common)
    assert [name for _, name in found] == expected


def test_of_two_equally_long_names_the_one_after_a_conjunction_wins():
    names = corpus_names(_docs(("东营", ()), ("江西", ()), ("和江", ())))  # 和江: a name the scale bench invents
    assert find_in_text("东营和江西的目标", names=names) == ["东营", "江西"]
    assert find_in_text("和江的公示期", names=names) == ["和江"]


@pytest.mark.parametrize("text, expected", [
    ("鄂验收专家组几人？", ["湖北"]),
    ("渝验收78分，过没过？", ["重庆"]),
    ("请问渝公示期多久？", ["重庆"]),
    ("津贴多少？", []),  # 津贴 is a word: no place
    ("川菜好吃吗", []),
    ("渝中区有什么政策", []),  # 渝中区, a three-character word
])
def test_a_leading_abbreviation_names_its_place(text, expected):
    """A terse question opening with a one-character abbreviation ("鄂验收…") names the place,
    unless the character starts a dictionary word with the next one."""
    assert find_in_text(text) == expected


def test_an_abbreviation_after_a_conjunction_counts():
    assert find_in_text("鄂和渝的碳计量中心验收专家组人数规定有啥不同？") == ["湖北", "重庆"]
    # two abbreviations written together name both; a dictionary word does not (津贴)
    assert find_in_text("渝津两个办法哪个先生效？") == ["重庆", "天津"]
    assert find_in_text("津贴怎么算？") == []
    assert find_in_text("和平") == []
