import pytest

from assistant.normalize import normalize_query
from assistant.tokenize import (arabic_numerals, query_tokens, stopwords, synonyms, tokenize,
                                tokenizer_fingerprint, user_words)


@pytest.mark.parametrize("text, whole", [
    ("重庆市市级碳计量中心管理办法", "碳计量中心"),
    ("湖北省计量数据建设应用基地建设管理办法", "计量数据建设应用基地"),
    ("按《筹建任务书》要求开展筹建工作", "筹建任务书"),
    ("由市市场监管局批准筹建", "市场监管局"),
    ("向市市场监管委报告", "市场监管委"),
    ("服务重点排放单位碳排放核算", "重点排放单位"),
    ("未列入严重违法失信名单", "严重违法失信名单"),
    ("碳达峰碳中和目标", "碳中和"),
])
def test_domain_terms_stay_whole(text, whole):
    assert whole in tokenize(text)


@pytest.mark.parametrize("text, parts", [
    ("市级碳计量中心", {"市级碳计量中心", "碳计量中心", "碳计量", "计量", "中心"}),
    ("计量数据建设应用基地", {"计量数据", "建设", "应用", "基地"}),
    ("市场监管委", {"市场监管", "市场"}),
])
def test_compounds_also_yield_their_parts(text, parts):
    assert parts <= set(tokenize(text))


@pytest.mark.parametrize("text, absent", [
    ("重庆的碳计量中心吗？", {"的", "吗", "?", "？"}),
    ("筹建期是多少年呢", {"是", "多少", "呢"}),
    ("有什么区别", {"什么", "什", "么"}),  # a stop-word's characters are dropped too
    ("第十四条,(一)《办法》", {",", "(", ")", "《", "》"}),
])
def test_stopwords_and_punctuation_are_dropped(text, absent):
    assert not absent & set(tokenize(text))


@pytest.mark.parametrize("text, expected", [
    ("筹建期三年", "筹建期3年"),
    ("十五个工作日内", "15个工作日内"),
    ("第十四条", "第14条"),
    ("两个月", "2个月"),
    ("一是强化组织领导", "一是强化组织领导"),  # not before a unit: unchanged
    ("统一管理", "统一管理"),
    ("3年内完成", "3年内完成"),
])
def test_arabic_numerals(text, expected):
    assert arabic_numerals(text) == expected


@pytest.mark.parametrize("query, document", [
    ("筹建最多给几年", "筹建工作一般应于3年内完成"),  # shares 筹建 and the character 年
    ("三年筹建期", "筹建工作一般应于3年内完成"),  # 三年 reads 3年
    ("验收的合格线", "考核得分分值在80分及以上的,现场考核结论为合格"),
    ("碳计量中心筹建", "市级碳计量中心建设单位"),
])
def test_query_and_document_share_tokens(query, document):
    assert set(query_tokens(normalize_query(query))) & set(tokenize(document)) - {""}


@pytest.mark.parametrize("query, expansion", [
    ("重庆碳计量中心哪些情况下会被摘牌", "撤销"),
    ("申报的门槛是什么", "条件"),
    ("及格线多少分", "合格"),
])
def test_query_synonyms_from_the_user_dictionary(query, expansion):
    assert expansion in query_tokens(query)
    assert expansion not in tokenize(query)  # documents are never expanded


def test_english_and_emoji():
    assert tokenize(normalize_query("What is the 筹建期 of Hubei? 😀🏗️")) == [
        "what", "is", "the", "筹建", "筹建期", "筹", "建", "期", "of", "hubei"]
    assert tokenize("😀😀") == []
    assert tokenize("") == []


def test_data_files_and_fingerprint():
    assert {"碳计量中心", "筹建任务书", "市场监管局", "市场监管委", "重点排放单位"} <= set(user_words())
    assert {"的", "吗", "什么"} <= stopwords()
    assert synonyms()["摘牌"] == ("撤销", "资格")
    assert tokenizer_fingerprint() == tokenizer_fingerprint() and len(tokenizer_fingerprint()) == 16


def test_private_dictionary_leaves_global_jieba_alone():
    import jieba

    from assistant.tokenize import _tokenizer

    tokenize("碳计量中心")
    assert _tokenizer() is not jieba.dt  # other code using jieba keeps its own dictionary


def test_tokenize_many_with_a_cache_gives_the_same_tokens_and_survives_a_broken_file(tmp_path, monkeypatch):
    from assistant import tokenize as tok

    texts = ["申请筹建期限为3年", "验收得分低于80分的,不予通过", "申请筹建期限为3年", ""]
    plain = [tok.tokenize(t) for t in texts]
    cache = tmp_path / "cache" / "tokens.sqlite"
    assert tok.tokenize_many(texts, cache_path=cache) == plain == tok.tokenize_many(texts)
    calls = []
    monkeypatch.setattr(tok, "tokenize", lambda t: calls.append(t) or ["x"])
    assert tok.tokenize_many(texts, cache_path=cache) == plain  # every text from the cache
    assert calls == []
    assert tok.tokenize_many(["新的一句"], cache_path=cache) == [["x"]] and calls == ["新的一句"]
    cache.write_bytes(b"not a sqlite file" * 100)  # a broken cache only costs time
    assert tok.tokenize_many(texts[:2], cache_path=cache) == [["x"], ["x"]]
    monkeypatch.setattr(tok, "tokenizer_fingerprint", lambda: "another dictionary")
    calls.clear()
    tok.tokenize_many(texts[:1], cache_path=cache)
    assert calls == texts[:1]  # a changed dictionary never reuses old tokens
