"""Follow-ups pointing into the previous answer's list (assistant/followup.py)."""


def _history(question):
    return [{"role": "user", "content": question}, {"role": "assistant", "content": "（上一答列出的各项）"}]


def test_an_item_of_an_articles_list_by_its_place(engine):
    answer = engine.ask("第三个具体怎么说的？", history=_history("湖北碳计量中心申请要满足哪些条件？"))
    assert answer.answer.startswith("上一问所列第3项——湖北碳计量中心办法第七条：(三)服务的产业具备一定规模")
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_plan_item_heading_sections_lists_them_counted(engine):
    answer = engine.ask("第一项下面有几条？", history=_history("东营实施意见一共提了几项主要任务？"))
    assert "上一问所列第1项" in answer.answer and "下共" in answer.answer
    assert answer.answer.count("\n- ") >= 2


def test_a_place_beyond_the_list_is_not_an_item(engine):
    answer = engine.ask("第九项呢？", history=_history("湖北碳计量中心申请要满足哪些条件？"))
    assert "上一问所列" not in answer.answer


def test_without_history_an_article_number_is_an_article(engine):
    answer = engine.ask("重庆碳计量中心办法第二条说了什么？")
    assert "上一问所列" not in answer.answer
