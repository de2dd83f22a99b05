"""The evidence leads when the draft barely says the subject, and a case telling the contrary of
a ground is not read as that ground (asked in words other than any eval question's)."""


def test_a_draft_off_the_subject_gives_way_to_the_agreed_evidence(engine):
    answer = engine.ask("重庆对碳计量中心在人才培养和科普宣传上有什么要求？")
    assert not answer.abstained
    assert answer.citations[0].article == "第六条"  # the tasks article, not the conditions for applying
    assert "科普基地" in answer.answer and "人才矩阵" in answer.answer  # the item's heading with the rest of it


def test_a_finished_task_is_not_the_ground_of_an_unfinished_one(engine):
    answer = engine.ask("渝碳计量中心筹建任务已经完成了，验收申请是不是直接交给市局就行？")
    assert "撤销" not in answer.answer.splitlines()[0]
    assert any(c.article == "第十五条" for c in answer.citations)


def test_an_item_alone_is_quoted_after_the_sentence_announcing_its_list(engine):
    answer = engine.ask("那复查不合格呢？", history=[{"role": "user", "content": "重庆碳计量中心多久复查一次？"},
                                                   {"role": "assistant", "content": "每5年复查一次。"}])
    assert "应撤销其市级碳计量中心资格" in answer.answer


def test_the_handling_office_no_document_names_is_said_to_be_absent(engine):
    answer = engine.ask("重庆碳计量中心申报归市局哪个处室管？")
    assert answer.abstained and "没有关于经办处室的规定" in answer.answer
    both = engine.ask("湖北碳计量中心申报是省局哪个处室受理？电话多少？")
    assert both.abstained  # (the office by the subjects, the phone by the contact slot: neither is given)
    mixed = engine.ask("湖北碳计量中心申报材料交到哪？归哪个处室管？")
    assert not mixed.abstained and "向省市场监管局提出筹建申请" in mixed.answer
    assert "没有关于经办处室的规定" in mixed.answer  # (the part the documents do not cover, said so)
