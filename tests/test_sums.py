"""Sums the answer works out ("最长4年（筹建期限3年＋延期上限1年）"): computed from the rules,
checked by recomputing them."""

import pytest

from assistant.check import check
from assistant.rules import build_rules_table


@pytest.fixture(scope="module")
def table(docs):
    return build_rules_table(docs)


def _status(text, table, docs, claim):
    return next(c.status for c in check(text, table=table, docs=docs) if c.claim == claim)


def test_a_sum_of_verified_addends_is_verified(table, docs):
    assert _status("重庆办法：合计最长4年（筹建期限3年＋延期上限1年）。", table, docs, "最长4年") == "verified"


def test_a_wrong_total_is_contradicted(table, docs):
    assert _status("重庆办法：合计最长5年（筹建期限3年＋延期上限1年）。", table, docs, "最长5年") == "contradicted"


def test_a_total_of_an_unverified_addend_is_not_verified(table, docs):
    assert _status("重庆办法：合计最长4年（筹建期限3年＋延期上限2年）。", table, docs, "最长4年") == "unsupported"


@pytest.mark.slow
def test_the_timeline_adds_the_longest_extension(index_settings):
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask("重庆碳计量中心2024年7月10日批准筹建，延期用足的话从批准算起最长几年？")
    assert "最长4年（筹建期限3年＋延期上限1年）" in answer.answer
    assert next(c.status for c in answer.checks if c.claim == "最长4年") == "verified"


def test_a_date_gap_is_recomputed(table, docs):
    right = "印发日期2025年7月22日，到施行相隔10天（2025年7月22日至2025年8月1日）。"
    wrong = "印发日期2025年7月22日，到施行相隔12天（2025年7月22日至2025年8月1日）。"
    assert _status(right, table, docs, "10天") == "verified"
    assert _status(wrong, table, docs, "12天") == "contradicted"


@pytest.mark.slow
def test_the_gap_from_issue_to_effect_is_computed(index_settings):
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    answer = engine.ask("天津计量数据中心的管理办法从印发到施行相隔几天？")
    doc = next(d for d in engine.docs if d.id == "tianjin-data-2025")
    rule = engine.composer.rules("effective_date", [doc.id])[0]
    import datetime as dt

    days = (dt.date.fromisoformat(str(rule.value)) - doc.meta.issued).days
    assert f"相隔{days}天" in answer.answer
    assert next(c.status for c in answer.checks if c.claim == f"{days}天") == "verified"


def test_how_far_a_score_is_below_the_pass_mark_is_recomputed(table, docs):
    text = "不算合格：您的得分72分，距合格还差8分（合格分数80分－您的得分72分）。重庆办法第十九条。"
    assert _status(text, table, docs, "8分") == "verified"
    wrong = text.replace("差8分", "差6分")
    assert _status(wrong, table, docs, "6分") == "contradicted"
    made_up = text.replace("合格分数80分", "合格分数78分").replace("差8分", "差6分")
    assert _status(made_up, table, docs, "6分") != "verified"  # the pass mark itself must be the rule's


def test_the_users_own_figure_is_neither_verified_nor_contradicted(table, docs):
    assert _status("重庆办法：您的得分72分，合格分数为80分。", table, docs, "72分") == "unsupported"


@pytest.mark.slow
def test_a_score_below_the_pass_mark_gets_the_gap(index_settings):
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask("重庆碳计量中心验收考了78分，差几分合格？整改给多久？")
    assert answer.answer.startswith("不算合格：您的得分78分，距合格还差2分（合格分数80分－您的得分78分）")
    assert next(c.status for c in answer.checks if c.claim == "2分") == "verified"
    assert "3个月" in answer.answer.replace(" ", "")


@pytest.mark.slow
def test_a_plan_target_against_the_users_own_figure(index_settings):
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask("江西社会公用计量标准现在有1500项，离2025年目标还差多少？")
    assert "距目标还差300项（目标1800项－您给出的1500项）" in answer.answer
    assert next(c.status for c in answer.checks if c.claim == "300项") == "verified"
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_gap_of_rates_is_in_percentage_points_and_recomputed(table, docs):
    text = "江西材料：全省强检项目建标覆盖率达到90%以上。按您给出的85%计，距目标还差5个百分点（目标90%－您给出的85%）。"
    assert _status(text, table, docs, "5个百分点") == "verified"
    assert _status(text.replace("差5个百分点", "差4个百分点"), table, docs, "4个百分点") == "contradicted"


@pytest.mark.slow
def test_a_rate_against_a_plan_target_gets_a_verdict_in_points(index_settings):
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    short = engine.ask("江西的强检项目建标覆盖率我们这边是83%，算达标了吗？")
    assert short.answer.startswith("未达到：您给出的83%低于目标")
    assert "还差7个百分点（目标90%－您给出的83%）" in short.answer
    assert next(c.status for c in short.checks if c.claim == "7个百分点") == "verified"
    assert engine.ask("江西的强检项目建标覆盖率我们这边是93%，算达标了吗？").answer.startswith("已达到")


@pytest.mark.slow
def test_what_follows_a_failed_rectification_is_given_when_asked(index_settings):
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    answer = engine.ask("重庆碳计量中心验收没到80分，整改期限多长？之后还不合格怎么办？")
    assert "限期3个月整改" in answer.answer.replace(" ", "") and "其后：" in answer.answer
    assert "不超过一年" in answer.answer and "取消其筹建资格" in answer.answer
    assert "其后" not in engine.ask("重庆碳计量中心的整改期限多长？").answer  # not asked: not added


@pytest.mark.slow
def test_a_score_below_the_pass_mark_is_not_at_once_a_fail(index_settings):
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask("重庆碳计量中心现场考核我们只拿了76分，是不是直接就判不合格了？")
    assert answer.answer.startswith("不会直接判为不合格，先限期整改：您的得分76分，距合格还差4分")
    assert "限期3个月整改" in answer.answer.replace(" ", "")


def test_periods_of_one_family_asked_added_up_are_summed_in_the_smaller_unit(engine):
    answer = engine.ask("重庆验收第一次没过，先整改3个月，还不合格再给整改期，这样从第一次考核算起最多大概多长时间？")
    assert "合计：最长15个月（整改期限3个月＋不合格整改期限12个月）" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)
    # "最长能整改多久？" asks one period: no sum across units
    one = engine.ask("重庆碳计量中心现场考核结论不合格，收到整改通知书后最多能整改多久？")
    assert "合计" not in one.answer


@pytest.mark.parametrize("question, asks", [
    ("重庆碳计量中心办法发布后多少天开始施行？", True),  # the two events and a duration, no 相隔
    ("津计量数据中心办法印发以后过了几天生效？", True),
    ("天津计量数据中心办法什么时候开始施行？", False),  # one date asked
    ("湖北碳中心筹建要多久？", False),
])
def test_a_gap_is_asked_by_naming_both_events_and_a_duration(question, asks):
    from assistant.components.dates import asks_gap

    assert asks_gap(question) is asks
