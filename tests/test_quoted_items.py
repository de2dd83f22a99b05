"""An item of a list quoted with the sentence that announces it, an item's heading with the rest
of its item, and a case telling the contrary of a ground (written on an invented regulation)."""

from assistant.compose import opposite
from assistant.segment import segment_text
from assistant.types import DocMeta
from assistant.writer import sentence_spans, whole_item, with_lead

TEXT = """第一条 中心的主要任务：
（一）开展人才培育和科普宣传。建立培训、考核机制。建设科普基地。
（二）开展数据应用研究。
第二条 中心有下列情形之一的，由省局撤销其中心称号：
（一）伪造数据的；
（二）评估不合格的；
（三）拒不接受检查的。
"""


def _doc():
    meta = DocMeta(id="qx", title="青溪省计量中心管理办法", jurisdiction="青溪省", level="省", kind="regulation", source="")
    return segment_text(TEXT, meta)


def _span(doc, art, words):
    return next(x for x in sentence_spans(doc, art) if doc.text[x[0]:x[1]].startswith(words))


def test_an_item_alone_gets_the_sentence_announcing_its_list():
    doc = _doc()
    art = doc.article("第二条")
    item = _span(doc, art, "评估不合格")
    spans = with_lead(doc, art, [item])
    assert [doc.text[s:e] for s, e in spans] == ["中心有下列情形之一的,由省局撤销其中心称号:", "评估不合格的"]
    lead = spans[0]
    assert with_lead(doc, art, [lead]) == [lead]  # (the lead itself: nothing added)


def test_an_items_heading_gets_the_rest_of_a_short_item():
    doc = _doc()
    art = doc.article("第一条")
    head = _span(doc, art, "开展人才培育")
    said = [doc.text[s:e] for s, e in whole_item(doc, art, [head])]
    assert said == ["开展人才培育和科普宣传", "建立培训、考核机制", "建设科普基地"]
    later = _span(doc, art, "建设科普基地")  # (a later sentence of the item: only itself)
    assert whole_item(doc, art, [later]) == [later]


def test_a_case_telling_the_contrary_of_a_ground():
    assert opposite("经延期仍未完成筹建任务", "我们筹建任务完成了，验收申请")
    assert not opposite("经延期仍未完成筹建任务", "延期一年了还是没完成")
    assert not opposite("经延期仍未完成筹建任务", "到期了还没有按时完成")
    assert not opposite("擅自泄露数据", "把数据给了外面的公司")


def test_figures_offered_for_confirmation_against_the_sentence_quoted():
    from types import SimpleNamespace

    from assistant.arith import _quoted_confirmed

    text = "青溪县局制定了责任分工(至2027年),对12个目标任务进行了细化。"
    doc = SimpleNamespace(text=text)
    ctx = SimpleNamespace(docs={"qx": doc})
    draft = SimpleNamespace(citations=[SimpleNamespace(doc_id="qx", start=0, end=len(text))])

    def asked(question):
        return _quoted_confirmed(ctx, SimpleNamespace(text=question), draft)

    assert asked("是不是一共拆成了12个目标任务、时间到2027年？") == "是：文件写的是12个目标任务、2027年。"
    assert asked("是不是拆成了15个目标任务？").startswith("不是：文件写的是12个目标任务（您说的15个目标任务）")
    assert asked("是不是有12个重点工程？") == ""  # (the sentence counts no 重点工程: no verdict)
    assert asked("一共拆成了12个目标任务。") == ""  # (nothing offered for confirmation)
