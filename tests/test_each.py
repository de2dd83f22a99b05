"""A comparison asked of each document (assistant/each.py): the same question answered for one
document at a time, side by side — where the words of the question are in no article (渠道),
or it asks what follows beyond a rules-table number (复查没通过怎么处理) — while the table's own
cell stands where each document's answer rests on the same article, and a number compared cell
by cell stays the rules table's."""


def _row(answer) -> str:
    return [line for line in answer.answer.split("\n") if line.startswith("| ")][-1]


def test_a_channel_comparison_quotes_each_documents_route(engine):
    answer = engine.ask("重庆和湖北的碳计量中心，申请筹建分别走什么渠道？")
    row = _row(answer)
    assert answer.intent == "comparison" and not answer.abstained
    assert "[重庆·第八条]" in row and "[湖北省碳计量中心·第八条]" in row
    assert "市级主管部门或所在地区县人民政府同意" in row and "资料审核合格" in row
    assert {c.doc_id for c in answer.citations} >= {"chongqing-carbon-2024", "hubei-carbon-2023"}


def test_what_follows_a_compared_rule_is_each_documents_own_answer(engine):
    answer = engine.ask("湖北碳中心和重庆碳中心，五年复查没通过分别怎么处理？")
    row = _row(answer)
    assert "[湖北省碳计量中心·第二十四条]" in row and "[重庆·第二十九条]" in row
    assert "经整改后仍然达不到要求" in row and "复查不合格的" in row


def test_the_tables_cell_stands_where_each_answer_rests_on_the_same_article(engine):
    # the comparison's own cell was chosen for what the other document lacks (随机抽查)
    answer = engine.ask("鄂碳中心与鄂数据基地的现场核查，做法上哪里不一样？")
    assert "随机抽查一定比例检定校准项目" in _row(answer)


def test_a_compared_number_stays_cell_by_cell(engine):
    answer = engine.ask("鄂渝碳中心年度总结分别几月报？")
    assert answer.topic == "annual_report" and "| 项目 |" in answer.answer
    assert "分别规定如下" not in answer.answer
