"""Verdicts on a day the user offers, 2026-12-01 (third) round, with phrasings written for the
tests: a day offered as the effective date (是/不是, and which day it is when it is the issue
date), whether a document is in force on the user's day, a day offered as the issue date,
whether a list holds the user's item, and a count offered for confirmation of a sentence that
states several counts (on a news text added under an invented name, tests/fixtures/news_qinglan.txt)."""

import re
from pathlib import Path

import pytest

from workspace import engine_with_news, no_contradiction

FIXTURES = Path(__file__).parent / "fixtures"

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


def test_whether_a_list_holds_the_users_item_gives_the_whole_list(engine):
    answer = engine.ask("渝 碳计量中心要干的活里面有没有科普宣传？")
    assert answer.answer.startswith("有："), answer.answer
    assert "共7项" in answer.answer and "（一）开展碳计量测试技术需求分析" in answer.answer
    doubted = engine.ask("湖北数据基地的建设方向是不是不包括民生计量数据？")
    assert doubted.answer.startswith("不是，包括："), doubted.answer
    assert "（共4项）" in doubted.answer and "(三)企业计量数据应用" in doubted.answer
    # conditions written out at length: the one writing the case, no list of cut-off heads
    case = engine.ask("天津申请条件里说的安全事故，包括数据安全吗？")
    assert case.answer.startswith("包括：") and "共6项" not in case.answer, case.answer


@pytest.fixture(scope="module")
def qinglan(index_settings, tmp_path_factory):
    return engine_with_news(index_settings, tmp_path_factory, FIXTURES / "news_qinglan.txt", "青岚县",
                            "青岚县推进计量惠民工作", "qinglan-news-2026")


def test_a_count_offered_for_confirmation_is_held_against_the_count_of_its_words(qinglan):
    wrong = qinglan.ask("青岚 惠民方案的重点任务是不是6项？")
    assert wrong.answer.startswith("不是：文件写的是“4项重点任务”，不是您说的6项。6项是另一项：“6项惠民工程”"), wrong.answer
    no_contradiction(wrong)
    right = qinglan.ask("青岚那个方案有4项重点任务，对吗？")
    assert right.answer.startswith("是：文件写的是“4项重点任务”"), right.answer
    assert "强化民生计量监管" in right.answer
    # several counts offered at once: each held against the count of what it counts
    swapped = qinglan.ask("青岚 惠民方案是不是围绕6项重点任务、实施4项惠民工程？")
    assert swapped.answer.startswith("不是：文件写的是“4项重点任务”、“6项惠民工程”"), swapped.answer
    both = qinglan.ask("青岚那个方案是不是4项重点任务、6项惠民工程？")
    assert both.answer.startswith("是：文件写的是“4项重点任务”、“6项惠民工程”"), both.answer


def test_a_comparison_of_requirements_written_outside_the_conditions_list(engine):
    answer = engine.ask("鄂渝两地碳计量中心在数据安全保密上的要求有什么区别？")
    assert "数据安全保密协议" in answer.answer and "严格落实保密规定" in answer.answer, answer.answer
    assert "申请条件：" not in answer.answer
    # the conditions themselves, asked by name, stay whole lists side by side
    assert "申请条件：" in engine.ask("湖北和重庆的碳计量中心，申请条件有什么区别？").answer


def test_whole_lists_compared_give_every_item_whole_with_the_lists_lead(engine):
    answer = engine.ask("湖北数据基地和天津数据中心的申请条件，哪个门槛高？")
    assert "应具有独立法人资格或经独立法人授权,能独立公正地开展工作" in answer.answer, answer.answer
    assert answer.answer.count("采取自愿申请原则") == 2
    no_contradiction(answer)


def test_an_issue_date_asked_with_the_effective_date_gives_both(engine):
    answer = engine.ask("渝 碳计量中心办法哪天出台的？又是哪天起施行？")
    assert "发布日期：2024年4月22日" in answer.answer and "本办法自发布之日起施行" in answer.answer, answer.answer
    answer = engine.ask("湖北那两个办法的发布日期、施行日期分别是？")
    assert "2023年2月17日" in answer.answer and "本办法自2023年3月1日起施行" in answer.answer, answer.answer


def test_a_short_plan_sentence_is_quoted_whole_for_one_of_its_figures(qinglan):
    answer = qinglan.ask("青岚县到2028年要新建多少个乡镇计量服务站？")
    assert "新建乡镇计量服务站12个,改造农贸市场公平秤200台,培训基层计量人员不少于300人次" in answer.answer, answer.answer
    no_contradiction(answer)


def test_a_case_told_with_a_guess_of_a_milder_consequence_gets_the_revocation(engine):
    answer = engine.ask("津 数据中心要是复查没合格、整改完了还是达不到要求，是不是也就批评教育一下？")
    assert answer.answer.startswith("会被撤销资格："), answer.answer
    assert "第二十三条" in answer.answer
    # an applicant's own case with such a guess stays a question about applying
    assert engine.ask("想申请天津的计量数据中心，光有独立法人资格就行了吧？").answer.startswith("不够：")


def test_the_extension_request_deadline_is_stated_by_the_extension_article(engine):
    answer = engine.ask("鄂 数据基地2024年3月1日批准筹建，万一建不完想申请延期，延期申请最晚哪天提？")
    first = answer.answer.split("\n")[0]
    assert "最迟申请延期验收日（或申请验收考核）：2026年12月1日" in first, answer.answer
    assert "说明延期原因及延期考核时间" in first
    no_contradiction(answer)


def test_a_score_offered_out_of_full_marks_in_english_is_the_users_score(engine):
    answer = engine.ask("What score does a Hubei carbon metrology centre need to pass the on-site assessment "
                        "— is 70 out of 100 enough?")
    assert "不算合格：您的得分70分" in answer.answer, answer.answer
    assert "70100" not in answer.answer  # (two figures never run into one)
    no_contradiction(answer)


def test_a_rate_offered_with_a_v_mei_question_gets_the_gap(engine):
    answer = engine.ask("赣：全省法定计量机构里注册计量师占比我们统计是58%，对照2025年目标算达标没？")
    assert answer.answer.startswith("未达到：您给出的58%低于目标"), answer.answer
    assert "还差2个百分点" in answer.answer


def test_a_re_assessment_told_as_the_users_result_is_no_appeal(engine):
    answer = engine.ask("天津计量数据中心整改后复核还没过，是不是可以一直整改下去，没有期限？")
    assert not answer.abstained and "复核或申诉" not in answer.answer, answer.answer
    assert "不超过一年" in answer.answer



# (question, the answer starts with, phrases it holds, phrases it does not hold)
SHAPES_2026_12_02 = [
    # "only X" offered as enough: the whole list, counted
    ("重庆申报市级碳计量中心的时候，是不是只交一份申报书就可以了？", "不止一项：重庆办法第九条所列共2项", ["筹建任务书"], []),
    # 整改期 names the 3-month rectification; "超过一年" is about the one-year one that follows it
    ("湖北碳计量中心现场考核不合格后，整改期是不是可以超过一年？", "", ["不超过一年", "[湖北省碳计量中心·第十七条]"], []),
    # a score short of the mark: its own rectification first, the step after it once
    ("天津计量数据中心验收分数没过线的话，是不是当场就判不合格、连改的机会都没有？",
     "天津办法规定（整改期限）：考核得分分值低于80分的,限期3个月整改", ["不超过一年"], []),
    # a number in the unit of the topic it names, whatever verb the topic's phrase carries
    ("湖北碳中心筹建期加上能申请的最长延期，最多一共多少年？", "", ["最长4年"], ["须同时满足以下条件"]),
    # "交什么" is no subject of the question's own: the yearly report answers
    ("数据基地每年要给省局交什么、几月交？（湖北的）", "", ["11月"], []),
]


@pytest.mark.parametrize("question, starts, says, not_says", SHAPES_2026_12_02)
def test_answer_shapes_of_verdicts_and_numbers(engine, question, starts, says, not_says):
    answer = engine.ask(question)
    assert answer.answer.startswith(starts)
    assert all(s in answer.answer for s in says) and not any(s in answer.answer for s in not_says)
    assert not answer.abstained


def test_a_subject_the_rules_do_not_write_gets_no_figure(engine):
    # 每年11月 is when the annual report is due, not when applications open; a figure under
    # another target year (到2025年) does not answer 2035
    for question in ("湖北碳计量中心每年几月开始受理筹建申请？", "江西到2035年注册计量师占比目标是多少？"):
        answer = engine.ask(question)
        assert answer.abstained and not re.search(r"11月|60%", answer.answer.split("\n")[0]), question
    assert not engine.ask("鄂数据基地几月交年报？").abstained
