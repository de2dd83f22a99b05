"""The asked slot must be filled (assistant/slots.py): a question asking for a date or for a
number in some unit is not answered by a draft that states neither."""


def test_a_date_the_documents_never_give_is_said_to_be_missing(engine):
    answer = engine.ask("天津计量数据中心今年的申报截止日期是哪一天？")
    assert answer.abstained and answer.answer.startswith("天津办法没有给出具体日期")
    assert answer.citations  # the nearest article is still quoted


def test_a_day_count_fills_a_day_ask_in_working_days(engine):
    answer = engine.ask("重庆碳计量中心搬了新地址，几天内要报市局？")
    assert not answer.abstained and "7个工作日" in answer.answer


def test_a_relative_deadline_fills_a_date_ask(engine):
    answer = engine.ask("重庆碳计量中心验收申请最晚哪天交？")
    assert not answer.abstained and "3个月前" in answer.answer


def test_contact_details_the_documents_never_give_are_said_to_be_missing(engine):
    answer = engine.ask("天津市市场监管委的邮箱和办公电话能给一下吗？")
    assert answer.abstained and "没有给出联系方式" in answer.answer


def test_an_address_change_is_not_a_contact_question(engine):
    answer = engine.ask("重庆碳计量中心办公地址变了要几个工作日内报告？")
    assert not answer.abstained and "7个工作日" in answer.answer


def test_moving_house_is_an_address_change(engine):
    answer = engine.ask("渝碳中心整体搬迁到新厂区了，要多少天内报给市局？")
    assert not answer.abstained and "7个工作日" in answer.answer
