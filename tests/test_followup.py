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


def test_the_place_counts_in_the_list_the_user_saw(engine):
    # the assistant's turn listed the grounds in its own order ("A；B；C…"): the third one is
    # the one it showed third, found in the documents asked about, not the engine's own third line
    history = [{"role": "user", "content": "重庆市级碳计量中心哪些情形会被撤销？"},
               {"role": "assistant", "content": "共9种情形：存在不公正行为经提醒告诫仍不改正；无正当理由拒绝接受监督检查和考核；"
                                                "累计若干年未完成年度考核；不能正常开展业务；复查不合格。"}]
    answer = engine.ask("第三种说的累计是几年？", history=history)
    assert answer.answer.startswith("上一问所列第3项——重庆办法第二十九条：(三) 累计 3 年未完成年度考核的")


def test_a_seen_heading_over_sections_lists_them_with_the_heading_cited(engine):
    history = [{"role": "user", "content": "东营实施意见的四项主要任务是哪四项？"},
               {"role": "assistant", "content": "（一）加强计量基础研究，推动创新驱动发展；（二）优化计量应用服务，促进产业转型升级；"
                                                "（三）加强计量能力建设，夯实高质量发展基础；（四）加强计量监督管理，提升计量监管效能。"}]
    answer = engine.ask("第四项下面有几条？", history=history)
    assert answer.answer.startswith("上一问所列第4项——东营材料“(四)加强计量监督管理,提升计量监管效能。” [东营·(四)1.]下共4条")


def test_failing_after_a_question_about_a_step_asks_what_failing_it_brings(engine):
    # not the step's number again: what the document says follows from failing that step
    answer = engine.ask("那复查没通过会怎样？", history=_history("重庆市级碳计量中心几年复查一次？"))
    assert "复查不合格的" in answer.answer and "[重庆·第二十九条]" in answer.answer
    english = engine.ask("What if it fails?",
                         history=_history("How often is a Chongqing carbon measurement center re-examined?"))
    assert "复查不合格的" in english.answer and "筹建资格" not in english.answer


def test_a_place_in_the_questions_own_list_is_that_item_whole(engine):
    answer = engine.ask("重庆碳计量中心的第七项主要任务讲的是什么？")
    assert answer.answer.startswith("所列第7项——重庆办法第六条：（七）开展碳计量人才队伍培育和科普宣传")
    assert "人才矩阵" in answer.answer
    # a place naming the group a count is asked of is no item of the answer's list
    counted = engine.ask("东营第二大项“优化计量应用服务”下面一共列了几条？都是啥")
    assert "所列第2项" not in counted.answer and "8条" in counted.answer


def test_a_follow_up_narrows_a_group_to_the_section_its_words_name(engine):
    history = [{"role": "user", "content": "东营实施意见主要任务有几项？"},
               {"role": "assistant", "content": "四项：（一）加强计量基础研究；（二）优化计量应用服务；（三）加强计量能力建设；（四）加强计量监督管理。"}]
    answer = engine.ask("第三项下面有几条？人才那条具体说了啥？", history=history)
    assert "下共7条" in answer.answer and "建立我市计量专家库" in answer.answer
    assert "海洋" not in answer.answer


def test_a_follow_up_naming_only_another_kind_keeps_the_earlier_subject(engine):
    answer = engine.ask("那重庆的碳计量中心呢？", history=[
        {"role": "user", "content": "湖北计量数据建设应用基地的年度报告什么时候交？"},
        {"role": "assistant", "content": "每年11月向省市场监管局书面报送年度工作总结报告。"}])
    assert "[重庆·第二十四条]" in answer.answer and "年度工作总结报告" in answer.answer


def test_a_period_run_out_unfinished_asks_what_the_document_says_of_it(engine):
    history = _history("湖北省碳计量中心筹建期是多长？")
    answer = engine.ask("那要是三年到了还建不完呢？", history=history)
    assert "不能在筹建期内完成筹建任务的" in answer.answer and "[湖北省碳计量中心·第十三条]" in answer.answer
    english = engine.ask("And if we can't finish within that period?",
                         history=_history("What is the construction period for a Hubei provincial carbon metrology center?"))
    assert "延长时限不超过1年" in english.answer
