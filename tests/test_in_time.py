"""'Is it too late?' questions: the deadline from the user's dates and the rule, a verdict first,
the deadline verified by the checker (components/in_time.py)."""

import pytest

from workspace import claim_status as _status


def test_a_date_after_the_lead_time_deadline_is_late(engine):
    answer = engine.ask("重庆碳计量中心筹建期到2026年12月31日，打算10月15日再交验收申请，是不是晚了？")
    assert answer.answer.startswith("已经晚了：从届满日2026年12月31日往前推3个月")
    assert "最迟2026年9月30日" in answer.answer and "[重庆·第十六条]" in answer.answer
    assert _status(answer, "2026年9月30日") == "verified"
    assert not any(c.status == "contradicted" for c in answer.checks)
    assert "2029年" not in answer.answer  # the expiry is not read as the day construction was approved


def test_a_date_before_the_deadline_is_in_time(engine):
    answer = engine.ask("天津数据中心筹建期限2027年8月31日届满，我们打算2027年5月10日申请验收，来得及吗？")
    assert answer.answer.startswith("来得及：") and "最迟2027年5月31日" in answer.answer


def test_a_yearly_deadline_in_the_users_year(engine):
    answer = engine.ask("今天2026年11月30号了，渝碳中心的年度总结还来得及交吗？")
    assert answer.answer.startswith("来得及：") and "最迟2026年11月30日" in answer.answer
    late = engine.ask("今天2026年12月3号了，湖北碳计量中心的年度工作总结还来得及交吗？")
    assert late.answer.startswith("已经晚了：") and "2026年11月30日" in late.answer


def test_without_a_late_question_nothing_changes(engine):
    answer = engine.ask("重庆碳计量中心筹建期到2026年12月31日，验收申请要提前多久？")
    assert "已经晚了" not in answer.answer and "来得及" not in answer.answer


def test_an_approval_date_gives_the_expiry_through_the_construction_period(engine):
    # neither date is an expiry: the earlier one is the approval (获批筹建), so the expiry is that
    # day plus the construction period, not the later date (which is when the user means to act)
    answer = engine.ask("重庆碳计量中心2024年5月6日获批筹建，2027年1月20日申请验收来得及吗？")
    assert answer.answer.startswith("来得及：自您给出的2024年5月6日起算筹建期限3年，从届满日2027年5月6日往前推3个月")
    assert "最迟2027年2月6日" in answer.answer and "[重庆·第十四条]" in answer.answer
    assert _status(answer, "2027年5月6日") == "verified" and _status(answer, "2027年2月6日") == "verified"
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_an_expiry_date_gives_the_approval_date_for_the_timeline(engine):
    # the date is the expiry (到期): the deadlines count back from it, not forward as if approved
    answer = engine.ask("重庆碳计量中心筹建期2027年9月30日到期，最晚哪天申请验收？最长能延到什么时候？")
    assert "以您给出的筹建期限届满日2027年9月30日倒推，批准筹建日按2024年9月30日计" in answer.answer
    assert "2027年6月30日" in answer.answer and "2028年9月30日" in answer.answer
    assert "2030年" not in answer.answer


@pytest.mark.parametrize("month, verdict", [
    ("2027年11月", "已经晚了"),  # the whole month after the last day (2027-10-08)
    ("2027年8月", "来得及"),  # the whole month before it
    ("2027年10月", "要看具体哪天"),  # the last day falls inside the month
])
def test_a_month_the_user_names_is_judged_by_its_first_and_last_day(engine, month, verdict):
    answer = engine.ask(f"津数据中心2025年1月8日获批筹建，打算{month}提交验收申请，会不会晚？")
    assert answer.answer.startswith(f"{verdict}：自您给出的2025年1月8日起算筹建期限3年")
    assert "最迟2027年10月8日" in answer.answer and "[天津·第十三条]" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_an_applicant_with_a_violation_gets_the_earliest_application_day(engine):
    answer = engine.ask("天津数据中心，我们2025年6月30日受到过一次行政处罚，啥时候才能申请？")
    assert "最早可申请日" in answer.answer and "2028年7月1日" in answer.answer and "[天津·第八条]" in answer.answer
    assert _status(answer, "2028年7月1日") == "verified"


def test_is_it_compliant_with_a_planned_month_is_a_too_late_check(engine):
    answer = engine.ask("我们2025年1月8日获批筹建天津计量数据中心，打算2027年11月再交验收申请，这样合规吗？")
    assert answer.answer.startswith("已经晚了")


@pytest.mark.parametrize("reported, verdict", [
    ("2025年7月1日", "超过期限了"),  # after the 7th working day
    ("2025年6月20日", "没有超过期限"),  # before it under both readings
])
def test_a_working_day_deadline_from_the_users_event_date(engine, reported, verdict):
    # no 'too late' word: a yes/no ending on a question giving two dates asks the verdict
    answer = engine.ask(f"渝碳计量中心2025年6月16日搬了新址，{reported}才书面报给市局，算不算超时了没？")
    assert answer.answer.startswith(f"{verdict}：自2025年6月16日起算7个工作日")
    assert "[重庆·第二十四条]" in answer.answer
    assert _status(answer, "2025年6月25日") == "verified"  # 7 working days after Monday 16 June
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_two_dates_without_a_yes_no_ask_get_no_verdict(engine):
    answer = engine.ask("渝碳计量中心2025年6月16日搬了新址，2025年7月1日报给市局，规定是几个工作日内报告？")
    assert "超过期限" not in answer.answer and "7个工作日" in answer.answer


def test_a_month_day_takes_a_year_written_on_its_own_and_a_month_to_be_done_by(engine):
    answer = engine.ask("我们是5月6日拿到的渝碳计量中心筹建批复（2025年），想在2028年4月前搞完验收，赶得上吗？")
    assert answer.answer.startswith("来得及的前提是按时申请：自您给出的2025年5月6日起算筹建期限3年")
    assert "最迟2028年2月6日" in answer.answer


def test_a_lone_date_with_no_expiry_word_is_where_the_construction_period_starts(engine):
    # "省局批了我们…的筹建" names no cue word; one date not called an expiry is the start, and the
    # answer says which reading it used; a month "拖到…" is when the user means to act, not an expiry
    answer = engine.ask("2024年3月10号省局批了我们湖北碳计量中心的筹建，打算2027年2月再递验收申请，这样行不行？")
    assert answer.answer.startswith("已经晚了：自您给出的2024年3月10日起算筹建期限3年，从届满日2027年3月10日往前推3个月")
    assert "最迟2026年12月10日" in answer.answer
    late = engine.ask("渝碳中心2025年6月15日批筹的，我们想拖到2028年5月再报验收，行不行？")
    assert late.answer.startswith("已经晚了：") and "最迟2028年3月15日" in late.answer
    # past the deadline: the same article's way out, quoted
    assert "同条还规定：" in late.answer and "延长时限不超过1年 [重庆·第十六条]" in late.answer
    assert not any(c.status == "contradicted" for c in late.checks)


def test_the_end_of_a_month_is_its_last_day(engine):
    answer = engine.ask("天津计量数据中心2025年9月15日获批筹建，我们打算2028年5月底交验收申请，算按时吗？")
    assert answer.answer.startswith("来得及：") and "最迟2028年6月15日" in answer.answer
    assert "2028年5月31日" in answer.answer and "同条还规定" not in answer.answer


def test_an_a_not_a_question_with_two_dates_asks_for_a_verdict(engine):
    answer = engine.ask("渝碳中心2025年4月7日（周一）换了负责人，我们4月18日才报给市局，算不算超时？")
    assert answer.answer.startswith("超过期限了：自2025年4月7日起算7个工作日") and "最迟2025年4月16日" in answer.answer


def test_an_a_not_a_question_with_a_long_tail_is_a_yes_no_question(engine):
    # (算不算 followed by more than a few words: "这个算不算超过了办法规定的报告时限？")
    answer = engine.ask("重庆碳计量中心2025年6月3日换了负责人，6月20日才向市局报告，这个算不算超过了办法规定的报告时限？")
    assert answer.answer.startswith("超过期限了") and "2025年6月12日" in answer.answer
    assert "负责人" in answer.answer.split("依据：")[1]  # the rule's sentence says what the period is for


def test_a_month_offered_for_a_yearly_report(engine):
    late = engine.ask("湖北数据基地的年度工作总结拖到12月再交可以吗？")
    assert late.answer.startswith("不行") and "每年11月" in late.answer
    assert engine.ask("湖北数据基地的年度工作总结11月交可以吗？").answer.startswith("可以")


def test_today_is_not_the_approval_day_when_another_date_is(engine):
    # "今天是…" names the day the user asks on; the approval cue (获批) stands with the other date
    answer = engine.ask("今天是2026年2月2日。我们2023年4月10日获批筹建重庆碳计量中心，现在才交验收申请还来得及吗？")
    assert answer.answer.startswith("已经晚了：自您给出的2023年4月10日起算筹建期限3年")
    assert "最迟2026年1月10日" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)
