"""Answer shapes that carry across phrasings: whole lists of grounds, places without a document
of the asked kind, dates a question gives in pieces, items of a count a document never lists,
attachments named by number, English questions joined by "and within…", list questions asking
for a thing another article enumerates. Phrasings here are written for the tests, not copied
from an eval set."""

import pytest

from assistant.understand import spoken_dates


def test_a_month_day_takes_the_one_year_written_alone():
    assert "2026年3月9日" in spoken_dates("3月9日交的材料，什么时候审完？都是2026年的事")
    # a full date elsewhere, or two different years: left as written
    assert spoken_dates("2025年1月2日批的，3月9日交的") == "2025年1月2日批的，3月9日交的"
    assert "年3月9日" not in spoken_dates("2025年到2026年之间，3月9日交的")


@pytest.mark.slow
def test_a_list_of_grounds_asked_for_keeps_every_item_and_its_count(engine):
    answer = engine.ask("重庆的市级碳计量中心在哪些情况下会被撤掉中心资格？").answer
    assert "(一)" in answer and "(九)" in answer and "第二十九条共列9项" in answer
    hubei = engine.ask("湖北碳中心什么情况下会被撤销中心资格？")
    assert not hubei.abstained and "擅自泄露数据" in hubei.answer


@pytest.mark.slow
def test_losing_a_standing_in_other_words_is_a_revocation_question(engine):
    answer = engine.ask("天津数据中心还在筹建的单位，哪些情况会失去筹建资格？").answer
    assert "第十三条" in answer and "第十七条" in answer


@pytest.mark.slow
def test_a_comparison_of_grounds_spread_over_articles_is_not_withheld(engine):
    answer = engine.ask("湖北和重庆在撤销碳计量中心资格上规定有什么不同？")
    assert "已删除" not in answer.answer and "第二十九条" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]


@pytest.mark.slow
def test_a_place_without_the_kind_answers_a_yes_no_about_its_mention(engine):
    answer = engine.ask("江西那边打不打算搞国家碳计量中心？")
    assert not answer.abstained and "力争筹建国家碳计量中心" in answer.answer


@pytest.mark.slow
def test_a_place_without_the_kind_still_refuses_the_kinds_rules(engine):
    answer = engine.ask("东营碳计量中心的筹建期限是几年？")
    assert answer.abstained and "没有碳计量中心方面的文件" in answer.answer


@pytest.mark.slow
def test_a_question_about_the_places_own_document_is_answered_with_a_note(engine):
    answer = engine.ask("东营那份文件里关于计量数据有什么措施？我们是做碳中心的")
    assert not answer.abstained and "以上按东营现有的文件回答" in answer.answer


@pytest.mark.slow
def test_a_month_given_for_the_planned_step_gets_a_verdict(engine):
    answer = engine.ask("湖北碳中心2024年3月1日批筹的，打算2027年1月交验收申请，这样行吗").answer
    assert answer.startswith("已经晚了") and "2026年12月1日" in answer


@pytest.mark.slow
def test_the_verdict_is_about_the_step_the_user_plans(engine):
    answer = engine.ask("天津的数据中心2024年2月1日批准筹建，筹建期3年。准备2026年12月20日提交验收申请，赶得上吗？").answer
    assert answer.startswith("已经晚了") and "届满3个月前" in answer


@pytest.mark.slow
def test_items_of_a_count_the_document_never_lists(engine):
    answer = engine.ask("江西分工文件里的20个目标任务，能告诉我是哪20个吗？")
    assert answer.abstained and "没有逐项列出" in answer.answer and "20个目标任务" in answer.answer


@pytest.mark.slow
def test_an_attachment_named_by_its_number(engine):
    answer = engine.ask("天津（附件2）那张评分表里专家要填什么？")
    assert answer.abstained and "没有它的正文" in answer.answer


@pytest.mark.slow
def test_the_number_of_a_document_only_named_is_not_the_corpus_documents(engine):
    answer = engine.ask("江西省人民政府加快推进新时代计量工作高质量发展的那份实施意见，发文字号是什么？")
    assert answer.abstained and "所问文件只是提到它" in answer.answer


@pytest.mark.slow
def test_an_english_question_joined_by_and_within_answers_both_parts(engine):
    answer = engine.ask("For Chongqing, how long is the public notice before approval, "
                        "and within how many working days is the preliminary review of an acceptance application done?")
    assert "第十二条" in answer.answer and "第十七条" in answer.answer


@pytest.mark.slow
def test_a_list_question_for_a_thing_another_article_enumerates(engine):
    answer = engine.ask("天津数据中心建设主要涉及哪些领域？").answer
    assert "第六条" in answer and "新一代信息技术" in answer


@pytest.mark.slow
def test_an_application_fee_is_not_covered(engine):
    answer = engine.ask("报湖北碳计量中心要交申请费吗？")
    assert answer.abstained and "收费" in answer.answer


@pytest.mark.slow
def test_the_rest_of_the_article_when_the_user_knows_one_requirement(engine):
    answer = engine.ask("重庆碳中心换地方了，除了向市局报告还得做什么？").answer
    assert "现场考核" in answer


def test_a_run_of_abbreviations_names_each_place(engine):
    assert set(engine.understand("鄂渝津三个办法哪个最早施行？").jurisdictions) == {"湖北", "重庆", "天津"}


@pytest.mark.slow
def test_a_comparison_of_the_application_channel_quotes_each_route(engine):
    answer = engine.ask("湖北、重庆的碳计量中心申报各走什么渠道？").answer
    assert "湖北省碳计量中心·第八条" in answer and "重庆·第八条" in answer


@pytest.mark.slow
def test_a_comparison_of_whose_consent_comes_first_is_answered_per_document(engine):
    answer = engine.ask("验收申请递上去之前，湖北和重庆的碳中心分别要谁先同意？").answer
    assert "经当地区县局同意" in answer and "经主管部门审核同意" in answer


@pytest.mark.slow
def test_a_walk_from_one_step_until_another(engine):
    answer = engine.ask("重庆市局收到碳中心的申请材料以后怎么处理，一直到批准筹建？").answer
    assert all(label in answer for label in ("第十一条", "第十二条", "第十三条"))


def test_two_quoted_names_asked_each_are_two_parts():
    from assistant.decompose import split_parts
    from assistant.understand import load_vocabulary

    parts = split_parts("方案里的“重点任务”和“重点工程”分别指什么？", load_vocabulary().question_words)
    assert [p.text for p in parts] == ["方案里的“重点任务”是指什么", "方案里的“重点工程”是指什么"]


@pytest.mark.slow
def test_each_quoted_name_gets_the_paragraph_defining_it(engine):
    answer = engine.ask("江西那个双碳标准计量体系实施方案，“3项重点任务”和“5项重点工程和行动”分别是什么？").answer
    assert "完善计量技术体系" in answer and "实施碳计量科技创新工程" in answer


@pytest.mark.slow
def test_english_finish_building_asks_the_construction_period(engine):
    answer = engine.ask("How long does a Chongqing carbon metrology center have to finish building after approval?")
    assert not answer.abstained and "3年" in answer.answer


@pytest.mark.slow
def test_a_may_we_question_gets_the_evidences_norm(engine):
    answer = engine.ask("重庆碳中心的数据可不可以提供给合作单位？").answer
    assert answer.startswith("重庆办法第二十六条") and "不得向任何机构和个人提供" in answer


@pytest.mark.slow
def test_a_phrase_only_one_article_writes_brings_that_article(engine):
    answer = engine.ask("湖北能源计量中心按不按碳计量中心那个办法管？")
    assert not answer.abstained and "含能源计量中心" in answer.answer


@pytest.mark.slow
def test_a_topic_word_without_a_number_asked_is_answered_from_the_evidence(engine):
    answer = engine.ask("我们建的是能源计量中心，湖北碳计量中心的办法对我们适用吗？")
    assert not answer.abstained and "没有给出这一数字" not in answer.answer


@pytest.mark.slow
def test_a_share_of_people_counted_with_mixed_counters(engine):
    answer = engine.ask("江西注册计量师占比目标是60%，我们单位共50人，有25个注册计量师，还差几个？").answer
    assert "30人" in answer and "还差5人" in answer


@pytest.mark.slow
def test_sub_items_of_every_heading_added_up(engine):
    answer = engine.ask("东营那份意见里主要任务下面的小项加起来总共多少条？").answer
    assert "加起来为22条" in answer and "（3＋8＋7＋4＝22）" in answer
    one = engine.ask("东营“加强计量监督管理”那部分下面一共几条？").answer
    assert "加起来" not in one


@pytest.mark.slow
def test_the_documents_own_definition_stands_against_a_lexical_neighbour(engine):
    answer = engine.ask("天津的计量数据中心，它的定位到底是什么？").answer
    assert answer.startswith("天津办法第二条") and "实践载体" in answer


@pytest.mark.slow
def test_who_approves_is_no_route_question(engine):
    answer = engine.ask("重庆碳中心验收过了，最后是谁批准成立的？").answer
    assert "第二十一条" in answer and "第十五条" not in answer


@pytest.mark.slow
def test_a_record_window_against_months_the_user_gives(engine):
    fails = engine.ask("天津这边，我们2024年4月出过一次生产安全事故，2026年9月能申报计量数据中心吗？").answer
    assert fails.startswith("按您描述的情况，不符合") and "不满3年" in fails
    meets = engine.ask("天津这边，我们2020年4月出过一次生产安全事故，2026年9月能申报计量数据中心吗？").answer
    assert "不满3年" not in meets and "已满3年" in meets


@pytest.mark.slow
def test_a_leaning_part_asking_a_rule_of_its_own_is_answered(engine):
    # the first part is answered from the manifest; "啥时候生效？" leans on it for the document
    # but asks the 施行 rule, which the first part's evidence does not hold
    answer = engine.ask("湖北数据基地那个办法哪天发的？啥时候生效？").answer
    assert "2023年2月17日" in answer and "2023年3月1日" in answer


@pytest.mark.slow
def test_a_period_asked_within_gets_the_within_rule(engine):
    # "多长时间内搞完" shares 筹建 with the acceptance lead time (届满3个月前) as much as with the
    # construction period (3年内): the frame it asks in (…内) tells them apart
    answer = engine.ask("湖北碳中心批筹后，筹建要在多长时间内搞完？")
    assert not answer.abstained and "3年内" in answer.answer


def test_the_frame_a_period_is_asked_in():
    from assistant.components.numeric import _frame

    assert _frame("多长时间内要建完") == "<="
    assert _frame("提前多久申请验收") == "before"
    assert _frame("多久一次复查") == "every"
    assert _frame("筹建期是多久") == ""


def test_two_counted_names_asked_each_are_two_parts():
    from assistant.decompose import _each_named

    assert _each_named("方案里的3项重点任务、5项重点工程和行动分别是啥？") == [
        "方案里的3项重点任务是啥", "方案里的5项重点工程和行动是啥"]
    assert _each_named("那两项措施和三类主体各是什么") == ["那两项措施是什么", "那三类主体是什么"]
    # article numbers are no counts; a count with no noun of its own is no name
    assert _each_named("第十三条和第十五条分别是啥") == []
    assert _each_named("3项和5项分别是啥") == []


def test_a_part_whose_lines_are_already_written_adds_nothing():
    from assistant.decompose import written

    said = ["江西材料：5项重点工程和行动是指实施A工程、开展B行动 [江西·第9段]。"]
    assert written("江西材料：5项重点工程和行动是指实施A工程、开展B行动。 [江西·第9段]", said)
    assert not written("不算合格：您的得分76分，距合格还差4分。\n江西材料：5项重点工程和行动是指实施A工程", said)


@pytest.mark.slow
def test_each_of_two_counted_lists_is_answered(engine):
    answer = engine.ask("江西双碳计量那个实施方案里，三项任务与五项工程各是什么？").answer
    assert "健全计量服务体系" in answer and "开展双碳标准计量试点行动" in answer


def test_a_statement_with_several_years_in_it_asks_nothing():
    from assistant.decompose import split_parts

    words = ("几", "多少", "吗", "什么", "啥")
    parts = split_parts("我们的中心已经运行好几年了，几乎没出过问题。复查多少年一次？", words)
    assert [p.text for p in parts] == ["我们的中心已经运行好几年了，几乎没出过问题。复查多少年一次？"]
    two = split_parts("运行好几年了。复查多少年一次？通过了会发什么？", words)
    assert [p.text for p in two] == ["复查多少年一次？", "通过了会发什么？"]


@pytest.mark.slow
def test_a_formal_thing_issued_is_no_question_about_the_documents_status(engine):
    answer = engine.ask("天津数据中心复查几年一次？过了以后市里会不会出个正式的东西？").answer
    assert "试行" not in answer and "五年" in answer


@pytest.mark.slow
def test_english_build_out_once_approved_and_re_examine(engine):
    years = engine.ask("For Tianjin's metrology data center, how long to finish the build-out once approved?")
    assert not years.abstained and "3年内" in years.answer
    cycle = engine.ask("How often does Chongqing re-examine its city-level carbon metrology centers?")
    assert not cycle.abstained and "5年" in cycle.answer


@pytest.mark.slow
def test_a_change_report_is_no_application_route(engine):
    # "…发生重大变化时,应及时向…报告" routes a change, not the application, and a question
    # that says 也 but names the application it asks about is not leaning on anything
    route = engine.ask("湖北数据基地和天津数据中心，申请走的路径有什么不一样？").answer
    assert "提出筹建申请" in route and "年度工作总结报告" not in route
    direct = engine.ask("重庆申请碳计量中心，是不是也要先过区县这一关？")
    assert direct.topic == "route" and "第八条" in direct.answer


@pytest.mark.slow
def test_a_short_first_article_is_quoted_to_its_last_sentence(engine):
    # "怎么审？批了会给什么？": the review, the approval and what is issued are the article's
    # three sentences; the best two left out the task book
    answer = engine.ask("湖北数据基地筹建申请交上去后省局怎么审？批了会给什么？").answer
    assert "材料审查和实地核查" in answer and "筹建任务书" in answer


def test_those_few_points_or_tells_it_does_not_ask_a_number(engine):
    few = engine.understand("东营那几句关于计量文化的原话是啥？")
    assert not few.asks_number and few.intent != "numeric"
    assert engine.understand("保障措施有几条？").asks_number


@pytest.mark.slow
def test_a_may_we_question_gets_the_norm_before_a_shared_phrase(engine):
    # "碳排放数据" is also in 第六条 (…数据库建设), once: the norm sentence answers a may-we question
    answer = engine.ask("湖北碳计量中心，外面的公司想要我们手里的碳排放数据，能直接给吗？").answer
    assert answer.index("第二十一条") < answer.index("第六条") if "第六条" in answer else "第二十一条" in answer
    assert "不得向任何机构和个人提供相关数据" in answer


@pytest.mark.slow
def test_a_rare_phrase_of_the_question_in_the_evidence_is_not_refused(engine):
    # "能源计量中心" is written once in the document (第一条's parenthesis): the evidence addresses
    # the question although little else of it matches
    answer = engine.ask("湖北能源计量中心也照碳中心的办法管理吗？")
    assert not answer.abstained and "含能源计量中心" in answer.answer


def test_who_with_a_topic_word_asks_no_number(engine):
    # 建成 names the construction period; 谁 asks an actor, not how long
    q = engine.understand("天津数据中心建成以后，平时谁来监管？")
    assert q.intent != "numeric" and not q.asks_number


def test_a_short_piece_naming_what_it_asks_is_a_part():
    from assistant.decompose import split_parts

    words = ("几", "多少", "吗", "什么", "啥", "谁", "哪")
    assert [p.text for p in split_parts("东营的实施意见有几项主要任务，目标啥？", words)] == [
        "东营的实施意见有几项主要任务", "目标啥？"]
    # a verb with 谁 leans on the piece before it
    assert len(split_parts("年度总结几月报、报给谁？", words)) == 1


@pytest.mark.slow
def test_a_place_without_the_kind_that_mentions_it_answers_what_the_mention_says(engine):
    # the mention holds what is asked (a target): quoted with its target year, not refused
    goal = engine.ask("江西那边对国家碳计量中心定的什么目标？")
    assert not goal.abstained and "力争筹建国家碳计量中心" in goal.answer and "2025年目标" in goal.answer
    # the mention does not say what is asked (when it is accepted): refused, quoting the mention
    when = engine.ask("江西国家碳计量中心哪年通过验收？")
    assert when.abstained and "只有这一处提到" in when.answer and "力争筹建国家碳计量中心" in when.answer


@pytest.mark.slow
def test_what_two_kinds_are_compared_quotes_what_each_is(engine):
    answer = engine.ask("湖北的碳计量中心跟计量数据基地在定位上有何不同？").answer
    assert "省级计量测试服务机构" in answer and "技术服务组织" in answer and "第二条" in answer


@pytest.mark.slow
def test_how_a_named_scoring_form_scores_is_not_in_the_corpus(engine):
    answer = engine.ask("天津那个申报评审评分表（附件2）怎么评分的？")
    assert answer.abstained and "没有它的正文" in answer.answer


@pytest.mark.slow
def test_a_date_given_in_an_earlier_turn_is_computed_from(engine):
    history = [{"role": "user", "content": "跟你说下，我们2025年4月8日拿到了重庆碳计量中心的批筹文件。"},
               {"role": "assistant", "content": "好的。筹建单位应在3年内完成建设工作（重庆办法第十四条）。"}]
    answer = engine.ask("那验收最晚哪天得申请？", history=history)
    assert answer.intent == "timeline" and "2028年1月8日" in answer.answer


@pytest.mark.slow
def test_a_whole_process_walks_every_step_to_its_end(engine):
    answer = engine.ask("天津计量数据中心从提交申请一直到正式成立，整个过程怎么走？").answer
    labels = [f"第{n}条" for n in ("九", "十", "十三", "十六", "十八")]
    assert all(label in answer for label in labels), answer
    assert answer.index("第九条") < answer.index("第十八条")
    assert "第一条" not in answer and "第二条" not in answer  # not the general provisions


@pytest.mark.slow
def test_a_short_next_step_comes_with_the_one_after_it(engine):
    # 湖北 第九条 (拟定筹建方案) is short: the step after it (第十条, 审查和批准筹建) is given too
    answer = engine.ask("湖北碳计量中心申报材料交上去以后，下一步是什么？").answer
    assert "之后是第九条" in answer and "其后第十条" in answer


@pytest.mark.slow
def test_a_described_act_gets_the_ground_the_evidence_points_at(engine):
    # 重庆: the act is told in 第二十六条's words (不得…泄露相关数据), its ground is 第二十九条 (七)
    cq = engine.ask("渝碳计量中心的技术员偷偷把企业的监测数据转给了第三方机构，中心会怎么样？").answer
    assert cq.startswith("会被撤销资格") and "擅自泄露相关数据" in cq and "第二十六条" in cq
    assert "(九)" not in cq  # not the catch-all ground
    # 湖北: the evidence article holds the ground itself (第二十一条, with its 保密协议)
    hb = engine.ask("鄂碳中心没经批准就把监测数据给了一家合作企业，会有什么后果？").answer
    assert "数据安全保密协议" in hb and "第二十一条" in hb


@pytest.mark.slow
def test_a_difference_asked_shows_the_sentence_only_one_document_writes(engine):
    # 湖北碳中心 第十五条 and 湖北数据基地 第十六条 read alike but for the random spot checks
    answer = engine.ask("湖北碳中心和数据基地验收时的现场审查有啥不同？").answer
    assert "随机抽查" in answer and "基本相同" not in answer


@pytest.mark.slow
def test_whether_a_step_exists_in_a_document_that_never_writes_it_is_answered_no(engine):
    answer = engine.ask("湖北数据基地批准筹建之前需不需要公示？")
    assert not answer.abstained and answer.answer.startswith("没有：") and "第十一条" in answer.answer
    english = engine.ask("In Hubei, is there a public notice before a metrology data base is approved?")
    assert "In brief: no, there is no such rule" in english.answer and "7 days" not in english.answer.split("\n")[0]
    # a figure asked of it stays unanswerable
    assert engine.ask("湖北数据基地公示期是几天？").abstained


@pytest.mark.slow
def test_whether_a_case_is_included_is_answered_from_the_sentence_that_writes_it(engine):
    answer = engine.ask("天津申请条件里说的安全事故，数据安全事故也算吗？")
    assert answer.answer.startswith("算：") and "第八条" in answer.answer
    history = [{"role": "user", "content": "重庆碳计量中心主要任务有哪些？"},
               {"role": "assistant", "content": "共7项，见重庆办法第六条。"}]
    followup = engine.ask("那科普宣传也算吗？", history=history)
    assert followup.answer.startswith("算：") and "科普宣传" in followup.answer
    # no sentence writes the case: no verdict either way
    assert not engine.ask("天津申请条件里说的安全事故，交通事故也算吗？").answer.startswith(("算", "不算"))


@pytest.mark.slow
def test_who_revokes_is_answered_by_who_not_by_the_grounds(engine):
    answer = engine.ask("重庆碳计量中心的撤销由谁负责？")
    assert answer.intent != "revocation" and answer.answer.startswith("重庆办法第五条")
    assert engine.ask("重庆碳计量中心哪些情形会被撤销资格？").intent == "revocation"


def test_points_asked_whether_they_pass_are_the_users_score():
    from assistant.understand import _PASSED_ASKED

    assert _PASSED_ASKED.match("，算过了吗？") and _PASSED_ASKED.match("合格吗") and not _PASSED_ASKED.match("吗？")


@pytest.mark.slow
def test_a_score_asked_whether_it_passes_gets_the_verdict(engine):
    answer = engine.ask("渝碳中心现场考核拿到78分，这算通过了吗？").answer
    assert answer.startswith("不算合格：您的得分78分") and "还差2分" in answer
    assert engine.ask("津数据中心验收考核81分，算过了吗？").answer.startswith("算合格")


def test_a_case_is_included_only_when_its_qualifier_is_written():
    from assistant.components.included import _lead_run

    assert _lead_run("生产安全事故", "没有发生安全(含网络安全、数据安全、生产安全等)事故") == 4  # 生产安全
    assert _lead_run("生产安全事故", "2年内未发生安全事故及违法违规行为") < 4  # only the general word (生 of 发生)
