"""Verdicts on a day the user offers, 2026-12-01 (third) round, with phrasings written for the
tests: a day offered as the effective date (是/不是, and which day it is when it is the issue
date), whether a document is in force on the user's day, and a day offered as the issue date."""

import pytest

from workspace import no_contradiction

pytestmark = pytest.mark.slow


def test_a_day_offered_as_the_effective_date_gets_a_verdict(engine):
    wrong = engine.ask("津 数据中心那个办法，7月22号（2025年）就开始施行了吧？")
    assert wrong.answer.startswith("不是：文件写的是“本办法自2025年8月1日起施行”"), wrong.answer
    assert "是《天津市计量数据建设应用中心管理办法(试行)》的印发日期" in wrong.answer
    no_contradiction(wrong)
    right = engine.ask("鄂 碳计量中心办法是2023年3月1日起施行的，没错吧？")
    assert right.answer.startswith("是：文件写的是“本办法自2023年3月1日起施行”"), right.answer
    derived = engine.ask("渝 碳计量中心办法是不是2024年6月1日开始施行？")
    assert derived.answer.startswith("不是：文件写的是“本办法自发布之日起施行”（发布日期2024年4月22日"), derived.answer


def test_whether_a_document_is_in_force_on_the_users_day(engine):
    early = engine.ask("我们准备2025年7月30日照天津计量数据中心的办法报材料，到时候办法施行了没有？")
    assert early.answer.startswith("还没有施行："), early.answer
    assert "早于施行日期2025年8月1日，差2天" in early.answer
    no_contradiction(early)
    late = engine.ask("我们准备2025年9月1日照天津计量数据中心的办法报材料，到时候办法施行了没有？")
    assert late.answer.startswith("已施行："), late.answer


def test_a_day_offered_as_the_issue_date(engine):
    answer = engine.ask("天津那个计量数据中心办法是2025年8月1日发布的吗？")
    assert answer.answer.startswith("不是：发布日期是2025年7月22日"), answer.answer
    assert "2025年8月1日是施行日期" in answer.answer
    assert engine.ask("鄂 碳计量中心办法是2023年2月17日印发的对吧？").answer.startswith("是：")
