import pytest

from assistant.segment import cn_number, segment_text
from assistant.types import DocMeta


@pytest.mark.parametrize(
    "numeral, value",
    [("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("二十六", 26), ("三十", 30), ("一百零一", 101)],
)
def test_cn_number(numeral, value):
    assert cn_number(numeral) == value


@pytest.mark.parametrize(
    "doc_id, chapters, articles",
    [
        ("hubei-carbon-2023", 6, 26),
        ("hubei-data-2023", 6, 26),
        ("chongqing-carbon-2024", 5, 30),
        ("tianjin-data-2025", 6, 25),
    ],
)
def test_regulation_counts(doc_by_id, doc_id, chapters, articles):
    doc = doc_by_id[doc_id]
    assert len(doc.chapters) == chapters
    assert len(doc.articles) == articles
    assert [a.number for a in doc.articles] == list(range(1, articles + 1))
    for a in doc.articles:  # offsets are exact
        assert doc.text[a.start:a.end] == a.text
        assert a.text.startswith(a.label + " ")
        for item in a.items:
            assert doc.text[item.start:item.end].startswith(item.label)


def test_chongqing_page_breaks_joined(doc_by_id):
    doc = doc_by_id["chongqing-carbon-2024"]
    assert doc.article("第三条").text == (
        "第三条 市级碳计量中心是指由重庆市市场监督管理局(以下简称市市场监管局)批准筹建,经验收合格后,"
        "面向全市经济社会低碳绿色发展需求,系统性开展碳计量相关重大问题研究和服务能力建设,"
        "为政府、行业、企业提供碳计量数据采集、分析、评价和应用服务的市级计量技术机构。"
    )
    assert doc.article("第十二条").text == (
        "第十二条 对通过审查和论证的市级碳计量中心申请项目,市市场监管局应当进行公示,公示时间不得少于7天。"
    )
    a29 = doc.article("第二十九条")
    assert [i.label for i in a29.items] == [f"({n})" for n in "一二三四五六七八九"]
    assert "(三)累计3年未完成年度考核的;" in a29.text


def test_article_texts_exact(doc_by_id):
    assert doc_by_id["hubei-carbon-2023"].article("第二十六条").text == "第二十六条 本办法自2023年3月1日起施行。"
    assert doc_by_id["hubei-data-2023"].article("第十二条").text.endswith("筹建工作一般应于3年内完成。筹建过程中的重大情况,应及时向省市场监管局报告。")
    tj = doc_by_id["tianjin-data-2025"]
    assert tj.article("第二十五条").text == "第二十五条 本办法自2025年8月1日起施行。"
    assert tj.articles[0].chapter == "第一章 总则"
    assert tj.article("第八条").items[5].label == "(六)"


def test_preamble_and_furniture_kept_out(doc_by_id):
    cq = doc_by_id["chongqing-carbon-2024"]
    assert "渝市监发〔2024〕32号" in cq.preamble and "此件公开发布" in cq.preamble
    assert "渝市监发" not in cq.text
    tj = doc_by_id["tianjin-data-2025"]
    assert "分享到" not in tj.text and "附件" not in tj.article("第二十五条").text
    assert len(tj.attachments) == 5
    hubei = doc_by_id["hubei-data-2023"]
    assert "来源" not in hubei.text and "相关文章" not in hubei.text
    assert doc_by_id["hubei-carbon-2023"].text.startswith("湖北省碳计量中心建设管理办法\n第一章 总则")
    assert "全部评论" not in doc_by_id["dongying-plan"].text


def test_sections_of_plan_and_news(doc_by_id):
    dy = doc_by_id["dongying-plan"]
    labels = [a.label for a in dy.articles]
    assert "(一)1." in labels and "(二)8." in labels and "(四)4." in labels
    assert all(a.is_section for a in dy.articles)
    assert len(labels) == len(set(labels))
    first = next(a for a in dy.articles if a.label == "(一)1.")
    assert first.heading.startswith("(一)加强计量基础研究")
    assert "推进计量\n标准" not in dy.text and "推进计量标准自动化、智能化改造" in dy.text
    jx = doc_by_id["jiangxi-interview-2023"]
    assert any(a.label.endswith("一是") for a in jx.articles)
    assert "1800项以上" in jx.text
    for doc in (dy, jx):
        for a in doc.articles:
            assert doc.text[a.start:a.end] == a.text


def _meta(**kw):
    base = dict(id="x", title="测试办法", jurisdiction="测试", level="省", kind="regulation", source="x.txt")
    base.update(kw)
    return DocMeta(**base)


def test_traditional_and_gbk_copies_segment_the_same(settings, doc_by_id, tmp_path):
    import opencc

    from assistant.ingest import read_source

    original = doc_by_id["tianjin-data-2025"]
    raw = read_source(settings.corpus_dir / "tianjin-data-2025.txt")
    traditional = opencc.OpenCC("s2t").convert(raw)
    assert traditional != raw
    (tmp_path / "t.txt").write_text(traditional, encoding="utf-8")
    (tmp_path / "g.txt").write_bytes(raw.encode("gbk"))
    (tmp_path / "b.txt").write_bytes(raw.encode("utf-8-sig"))
    (tmp_path / "g18030.txt").write_bytes(raw.encode("gb18030"))
    for name in ("t.txt", "g.txt", "b.txt", "g18030.txt"):
        from assistant.corpus import documents_from

        meta = _meta(id="tianjin-copy", source=name, begin=original.meta.begin)
        (doc,) = documents_from([meta], tmp_path)
        assert [a.label for a in doc.articles] == [a.label for a in original.articles], name
        assert [a.text for a in doc.articles] == [a.text for a in original.articles], name


def test_no_structure_becomes_one_section_with_warning():
    doc = segment_text("这是一段没有任何章节结构的说明文字。只有两句话。", _meta(kind="news"))
    assert len(doc.articles) == 1 and doc.warnings


def test_an_inline_enumeration_is_split_into_its_items(doc_by_id):
    jx = doc_by_id["jiangxi-interview-2023"]
    by_label = {a.label: a for a in jx.articles}
    lead = by_label["第8段"]
    assert lead.text.startswith("3项重点任务是指") and "一是" not in lead.text
    assert [by_label[f"第8段·{n}是"].text[:6] for n in "一二三"] == ["一是完善计量", "二是加强计量", "三是健全计量"]
    assert by_label["第9段"].text.startswith("5项重点工程和行动是指")  # paragraph labels stay as they were
    numbers = [a.number for a in jx.articles]
    assert numbers == list(range(1, len(numbers) + 1))
    for a in jx.articles:
        assert jx.text[a.start:a.end] == a.text


def test_an_inline_enumeration_in_a_new_document(tmp_path):
    text = ("某市计量工作要点\n一、总体要求\n今年重点抓好三件事。一是建好标准体系。二是做强检测能力。三是加强人才培养。\n"
            "二、保障措施\n一是加强领导。\n")
    doc = segment_text(text, _meta(id="n", kind="plan", title="某市计量工作要点"))
    labels = [a.label for a in doc.articles]
    assert any(x.endswith("·二是") for x in labels) and any(x.endswith("·三是") for x in labels)
    second = next(a for a in doc.articles if a.label.endswith("·二是"))
    assert second.text == "二是做强检测能力。"
