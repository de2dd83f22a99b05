"""This session's answer shapes on documents added under invented names (tests/fixtures/
plan_heshan.txt, a plan of 禾山市; newreg_yunling.txt, rules of 云岭省 in another drafting style and
other figures): nothing here may lean on the shipped corpus's names or numbers."""

import datetime as dt
from pathlib import Path

import pytest

from workspace import engine_with_added, no_contradiction

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def added(index_settings, tmp_path_factory):
    return engine_with_added(
        index_settings, tmp_path_factory.mktemp("added"),
        (FIXTURES / "newreg_yunling.txt", dict(jurisdiction="云岭省", title="云岭省产业计量测试中心管理细则",
                                              doc_id="yunling-test-2026", aliases=["岭"], effective=dt.date(2026, 3, 1))),
        (FIXTURES / "plan_heshan.txt", dict(jurisdiction="禾山市", title="禾山市计量事业发展行动方案",
                                           doc_id="heshan-plan-2026", kind="plan")))


def test_a_short_article_is_quoted_whole(added):
    answer = added.ask("云岭测试中心验收多少分算通过？")
    assert "75分以上为通过" in answer.answer and "限期2个月整改" in answer.answer
    no_contradiction(answer)


def test_an_expiry_counts_back_the_extension_lead_time(added):
    answer = added.ask("岭 测试中心筹建期到2027年5月31日到期，今天2027年4月10日，还能提延期吗？")
    assert answer.answer.startswith("已经晚了") and "2027年3月31日" in answer.answer
    assert "提出延期申请" in answer.answer
    no_contradiction(answer)


def test_a_period_over_the_limit_gets_a_verdict_the_checker_recomputes(added):
    answer = added.ask("云岭测试中心筹建期是3年吗？")
    assert answer.answer.startswith("不符合") and "超出1年（您给出的3年－" in answer.answer
    no_contradiction(answer)


def test_a_plan_area_gathers_every_section_naming_it(added):
    answer = added.ask("禾山行动方案里茶叶这块有啥安排？").answer
    assert "服务茶叶产业" in answer and "集贸市场茶叶交易" in answer and "茶叶加工企业量值溯源" in answer


def test_a_plan_goal_asked_as_a_state(added):
    answer = added.ask("禾山到2030年计量想干成啥样？")
    assert not answer.abstained and "建成3家市级产业计量测试站" in answer.answer
    no_contradiction(answer)
    # a year the plan sets no target for: the years it does, not another year's goal
    other = added.ask("禾山行动方案里2035年的阶段性目标是什么？")
    assert other.abstained and "只给出了2030年的目标，没有2035年的目标" in other.answer, other.answer
