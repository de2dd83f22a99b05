"""The answer components' registry: dispatch, intents, examples."""

import pytest

from assistant.components import REGISTRY, component, intents, register
from assistant.understand import INTENTS


def test_every_intent_the_understanding_step_gives_has_a_component():
    assert set(INTENTS) == set(intents())


def test_unknown_intent_gets_the_fallback():
    assert component("no-such-intent") is REGISTRY["other"]


def test_an_intent_registers_once():
    with pytest.raises(ValueError, match="numeric"):
        register("numeric", label="x")(lambda *a: None)


def test_each_component_has_a_label_and_an_example():
    for c in REGISTRY.values():
        assert c.label and c.example and callable(c.run)


def test_eval_types_and_ui_examples_come_from_the_registry():
    from assistant.evaluate import TYPES
    from ui.app import EXAMPLES

    assert set(TYPES) == (set(REGISTRY) - {"other"}) | {"unanswerable"}
    assert [q for _, q, _ in EXAMPLES] == [c.example for c in REGISTRY.values()]


@pytest.mark.slow
def test_compose_dispatches_through_the_registry(index_settings, monkeypatch):
    """Replacing a registered component changes what its intent answers, and nothing else."""
    from dataclasses import replace

    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    seen = []

    def fake(ctx, q, hits, out):
        seen.append(q.intent)
        out.line("（测试组件）")
        return out.draft(q.intent, abstained=True)

    monkeypatch.setitem(REGISTRY, "revocation", replace(REGISTRY["revocation"], run=fake))
    assert engine.composer.compose(engine.understand("重庆碳计量中心哪些情况下会被摘牌？")).text == "（测试组件）"
    assert seen == ["revocation"]
    assert "3年" in engine.composer.compose(engine.understand("重庆碳计量中心筹建期几年？")).text


@pytest.mark.slow
def test_a_question_in_the_lists_own_words_gets_the_whole_list(index_settings):
    """"什么情况下会撤销…资格" repeats the lead-in of the grounds list: every ground is listed,
    not only the catch-all item that repeats the same words; a named ground stays specific."""
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    whole = engine.ask("什么情况下重庆会撤销市级碳计量中心的资格？").answer
    assert "(一)" in whole and "(九)" in whole
    one = engine.ask("重庆碳计量中心伪造测试数据会怎样？").answer
    assert "伪造" in one and "(一)" not in one


@pytest.mark.slow
def test_a_condition_list_says_how_many_items_it_has(index_settings):
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask("申请湖北省级碳计量中心要满足哪些条件？")
    assert "第七条（共6项）" in answer.answer
    assert not [c for c in answer.checks if c.status == "contradicted"]


@pytest.mark.slow
@pytest.mark.parametrize("question, named", [
    ("湖北碳计量中心的验收评审细则里具体有哪些考核项目？", "湖北省碳计量中心验收评审细则"),
    ("天津计量数据中心的申报评审评分表里各项分值怎么定的？", "天津市计量数据建设应用中心申报评审评分表"),
])
def test_contents_of_a_document_the_corpus_only_names_are_not_answered(index_settings, question, named):
    """An attachment or a 细则 that a document names but the corpus does not contain: the answer
    says so (and where it is named) instead of quoting nearby articles."""
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask(question)
    assert answer.abstained and f"《{named}》" in answer.answer and "没有它的正文" in answer.answer


@pytest.mark.slow
def test_a_question_naming_a_form_for_something_else_is_still_answered(index_settings):
    from assistant.engine import Engine

    answer = Engine.load(index_settings).ask("湖北碳计量中心的申报书交给谁？")
    assert not answer.abstained and "省市场监管局" in answer.answer


@pytest.mark.slow
def test_a_ground_needing_a_further_step_is_not_at_once(index_settings):
    """"复查没通过会直接被撤销吗？" against "复查不合格,经整改后仍然达不到要求的…撤销": not at once —
    the answer says what else has to happen; asked with that step, it is a plain yes."""
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    at_once = engine.ask("天津计量数据中心五年复查没通过，会直接被撤销吗？").answer
    assert at_once.startswith("不会直接撤销资格（须经整改后仍然达不到要求才会）")
    after = engine.ask("天津计量数据中心复查不合格，整改后还是不行，会被撤销吗？").answer
    assert after.startswith("会被撤销资格")


@pytest.mark.slow
def test_plan_goals_by_year(index_settings):
    """A question about a plan's goals asks for no number: each target year's goal sentence,
    quoted and cited, instead of "没有给出这一数字"; a number asked for still abstains."""
    from assistant.engine import Engine

    engine = Engine.load(index_settings)
    answer = engine.ask("东营的实施意见定了哪几个目标年份？分别要达到什么程度？")
    assert not answer.abstained and "2025年目标" in answer.answer and "2035年目标" in answer.answer
    assert answer.citations and all(c.doc_id == "dongying-plan" for c in answer.citations)
    assert engine.ask("东营到2025年社会公用计量标准要达到多少项？").abstained


def test_a_figure_to_confirm_where_the_document_sets_none_is_answered_no(engine):
    history = [{"role": "user", "content": "重庆碳计量中心负责人换了，要几个工作日内报告？"},
               {"role": "assistant", "content": "7个工作日"}]
    answer = engine.ask("湖北呢？也是7个工作日吗", history=history)
    assert not answer.abstained
    assert answer.answer.startswith("不是：湖北碳计量中心办法未规定")
    assert "[湖北省碳计量中心·第十九条]" in answer.answer  # what Hubei does say (应及时…报告)


def test_a_missing_figure_without_a_figure_to_confirm_still_abstains(engine):
    answer = engine.ask("湖北碳计量中心负责人换了，要几个工作日内报告？")
    assert answer.abstained and "未规定" in answer.answer


@pytest.mark.parametrize("question, named, where", [
    # named only by number in the text ("详见附件5"): that sentence is quoted as where it is named
    ("天津数据中心的筹建任务书（附件4）里都有哪些栏目？", "天津市计量数据建设应用中心筹建任务书", None),
    ("天津计量数据中心验收报告模板要写哪些内容？", "天津市计量数据建设应用中心验收报告", "详见附件5"),
])
def test_an_attachment_named_by_its_number_is_said_to_be_absent(engine, question, named, where):
    answer = engine.ask(question)  # the evidence review does not override this abstention
    assert answer.abstained and f"《{named}》" in answer.answer and "没有它的正文" in answer.answer
    if where:
        assert where in answer.answer and "提到它的条文" in answer.answer


def test_a_colloquial_issue_date_question_gets_the_manifest_date(engine):
    answer = engine.ask("天津计量数据中心这个办法啥时候印发的？")
    assert "2025年7月22日" in answer.answer and "据语料清单" in answer.answer


def test_a_documents_attachments_are_listed_counted_and_placed(engine):
    answer = engine.ask("津数据中心那个试行办法有哪些附件？")
    assert not answer.abstained and "列有5个附件" in answer.answer
    assert "附件5：天津市计量数据建设应用中心验收报告" in answer.answer and "[天津·第十四条]" in answer.answer
    assert "附件正文不在语料中" in answer.answer


def test_a_document_without_an_attachment_list_says_so(engine):
    answer = engine.ask("重庆碳计量中心管理办法附件有哪些？")
    assert answer.abstained and "没有列出附件" in answer.answer


def test_plan_goals_for_a_year_are_compared_from_their_target_year_sentences(engine):
    answer = engine.ask("江西、东营两地到2035年要达成什么计量目标？")
    assert "到2035年,全市计量科技创新水平大幅提升" in answer.answer
    assert "到2035年,全省现代先进测量体系建设取得全面进展" in answer.answer


def test_a_subject_the_goal_overview_does_not_cover_is_not_answered_by_it(engine):
    answer = engine.ask("江西和东营到2025年在诚信计量示范单位上各有多少数量目标？")
    assert "5000家" in answer.answer


def test_whether_a_document_has_a_rule_at_all_is_answered_no_with_what_it_says(engine):
    history = [{"role": "user", "content": "重庆碳计量中心收到验收申请后几个工作日内初审？"},
               {"role": "assistant", "content": "7个工作日"}]
    answer = engine.ask("那湖北碳计量中心也有这个时限吗？", history=history)
    assert not answer.abstained and answer.answer.startswith("没有：湖北碳计量中心办法未规定")
    assert "[湖北省碳计量中心·第十四条]" in answer.answer


def test_a_register_of_approved_institutions_is_not_in_rules(engine):
    answer = engine.ask("天津目前已经批了哪几家计量数据中心？")
    assert answer.abstained and "没有列出已批准或已建成的单位名单" in answer.answer


def test_an_approval_the_user_mentions_is_not_a_register_question(engine):
    answer = engine.ask("我们湖北的数据基地已经获批了延期，延期结束还没建完会怎样？")
    assert not answer.abstained and "名单" not in answer.answer


def test_a_named_form_asked_to_be_shown_is_absent_for_every_part(engine):
    answer = engine.ask("《湖北省碳计量中心申报书》能发我看看吗？都要填什么？")
    assert answer.abstained and "没有它的正文" in answer.answer
    assert answer.parts and all(p.abstained for p in answer.parts)


def test_revocation_grounds_are_counted(engine):
    answer = engine.ask("渝市级碳计量中心在什么情形下要被撤销资格？")
    assert "其中第二十九条共列9项" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_wrong_count_of_grounds_is_contradicted(engine):
    from assistant.check import check

    checks = check("重庆办法第二十九条共列8项。", table=engine.table, docs=engine.docs)
    assert any(c.status == "contradicted" for c in checks)


def test_a_score_before_a_gap_question_is_the_users(engine):
    answer = engine.ask("津计量数据中心验收打分出来是75分。离合格还差几分？")
    assert answer.answer.startswith("不算合格：您的得分75分，距合格还差5分")


def test_a_month_asked_is_answered_from_the_top_evidence(engine):
    # few words shared with "每年11月向省市场监管局书面报送年度工作总结报告": the ranking decides
    answer = engine.ask("湖北那个数据基地，每年要给省局交个东西，是几月份？")
    assert not answer.abstained and "每年11月" in answer.answer
    assert "第二十条" in answer.answer


def test_a_count_whose_words_miss_the_lists_own_counts_the_top_ranked_list(engine):
    # 湖北碳计量中心办法第六条 calls its list 主要职责; the question says 任务
    answer = engine.ask("湖北碳中心有几项任务？")
    assert not answer.abstained and "第六条共列6项" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_bare_score_after_a_score_verb_is_the_users(engine):
    answer = engine.ask("渝碳计量中心验收打了77，没到线，之后怎么走？")
    assert answer.answer.startswith("不算合格：您的得分77分，距合格还差3分")
    assert "其后" in answer.answer and "不超过一年" in answer.answer


def test_a_score_after_the_rectification_gets_the_failed_rectification_step(engine):
    answer = engine.ask("鄂数据基地验收先得了70分，整改以后再评是75分，结论是啥？")
    assert answer.answer.startswith("整改后仍不合格：整改后您的得分75分，仍低于合格分数80分，还差5分")
    assert all(c.status != "contradicted" for c in answer.checks)
    assert "取消其筹建资格" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_a_rectification_asked_ahead_is_not_read_as_done(engine):
    answer = engine.ask("津数据中心验收得了74分，整改后要提多少分才算过？")
    assert answer.answer.startswith("不算合格：您的得分74分，距合格还差6分")


@pytest.mark.parametrize("told, verdict", [("两年", "目前还不会因此被撤销资格：须累计3年，还差1年"), ("三年", "会被撤销资格")])
def test_years_told_are_held_against_a_ground_that_counts_years(engine, told, verdict):
    answer = engine.ask(f"渝碳计量中心前后一共有{told}没完成年度考核，会不会被撤销？")
    assert answer.answer.startswith(verdict)
    assert not any(c.status == "contradicted" for c in answer.checks)


@pytest.mark.parametrize("planned, verdict", [("2026年5月", "✗ 不符合（从您给出的2024年8月20日到您说的2026年5月不满3年）"),
                                              ("2027年10月", "已满3年")])
def test_a_record_window_is_held_against_the_users_dates(engine, planned, verdict):
    answer = engine.ask(f"天津计量数据中心：我们单位2024年8月20日出过一次生产安全事故，打算{planned}申报，条件够吗？")
    assert verdict in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_what_follows_a_failed_rectification_is_the_next_step_not_every_ground(engine):
    # "会怎样" is a revocation cue, but the question is about the step the top article states
    # (限期整改); its next step (整改通知书, ≤1年, then 取消筹建资格) answers, not the grounds list
    answer = engine.ask("天津计量数据中心验收整改完还是没到80分，后面会怎样？")
    assert "整改后仍达不到80分的,现场考核结论为不合格 [天津·第十六条]" in answer.answer
    assert "其后：" in answer.answer and "(不超过一年)" in answer.answer
    assert "算合格" not in answer.answer  # 80 is the mark they missed, not their score
    assert "第二十五条" not in answer.answer  # (no list of revocation grounds)
    # a question about a later step keeps the revocation answer
    later = engine.ask("天津计量数据中心不定期抽查出问题，整改后还不达标会怎么样？")
    assert "撤销其计量数据中心资格 [天津·第二十二条]" in later.answer


def test_a_score_after_a_re_assessment_is_not_an_appeal(engine):
    answer = engine.ask("整改完复核还是79分呢？", history=[
        {"role": "user", "content": "湖北碳中心考核分数线是多少？"},
        {"role": "assistant", "content": "满分100分，80分及以上合格；低于80分的限期3个月整改。"}])
    assert answer.answer.startswith("整改后仍不合格：整改后您的得分79分，仍低于合格分数80分")
    appeal = engine.ask("湖北碳计量中心对验收结论不服，能申请复核吗？")
    assert appeal.abstained and "复核或申诉" in appeal.answer


def test_english_still_after_a_rectification_reads_the_score_as_after_it(engine):
    answer = engine.ask("Chongqing carbon metrology center: we scored below 80, did the 3-month rectification, "
                        "and still only got 76. What happens next?")
    assert "整改后仍不合格：整改后您的得分76分" in answer.answer and "[重庆·第二十条]" in answer.answer


def test_what_comes_next_after_a_users_score_follows_from_the_score_not_article_order(engine):
    # "接下来呢？" with the user's score: the pass mark and its next step, not the next article
    answer = engine.ask("鄂碳中心验收考了70，整改了3个月还是72分，接下来呢？")
    assert answer.answer.startswith("整改后仍不合格：整改后您的得分72分，仍低于合格分数80分")
    assert "其后：" in answer.answer and "[湖北省碳计量中心·第十七条]" in answer.answer


def test_things_listed_before_fenbie_are_each_answered(engine):
    # three targets named before 分别: three quantities, not the two best-scored
    answer = engine.ask("江西到2025年碳计量这块：计量标准、技术规范、标准物质分别啥目标？")
    assert all(x in answer.answer for x in ("50项", "不少于10项", "不少于10种"))


@pytest.mark.parametrize("question, verdict", [
    ("我们渝碳中心2024年和2026年的年度考核都没完成，2025年完成了，现在会被撤销资格吗？", "目前还不会因此被撤销资格：须累计3年，还差1年"),
    ("渝碳中心2024、2025两年年度考核都没完成，是不是已经要被撤销了？", "目前还不会因此被撤销资格"),
    ("我们中心2024、2025年度考核都没完成，2026年要是还完不成，重庆这边会摘牌吗？", "会被撤销资格"),
    ("渝碳中心2025、2027年年度考核都没完成（2026年完成了），会被撤销吗？", "目前还不会因此被撤销资格"),
])
def test_calendar_years_named_as_not_done_are_counted_against_the_ground(engine, question, verdict):
    assert engine.ask(question).answer.startswith(verdict)


def test_a_described_behaviour_is_matched_to_its_ground_by_the_sentence_vectors(engine):
    # no word of 擅自泄露 in the question: the embedder finds the ground the account is like
    answer = engine.ask("湖北碳计量中心的人私自把企业的碳排放数据拿给外面机构用，会怎么处理？")
    first = answer.answer.split("\n")[0]
    assert first.startswith("会被撤销资格") and "擅自泄露数据" in first and "[湖北省碳计量中心·第二十一条]" in first


def test_what_happened_and_the_grounds_condition():
    from assistant.components.lists import ground_condition

    assert ground_condition("擅自泄露数据的由省市场监管局撤销其省级碳计量中心资格") == "擅自泄露数据"
    assert ground_condition("(七) 擅自泄露相关数据的") == "擅自泄露相关数据"


def test_asking_in_what_situation_still_lists_every_ground(engine):
    answer = engine.ask("湖北计量数据建设应用基地什么情况会被摘牌")
    assert answer.answer.startswith("湖北计量数据建设应用基地办法规定以下情形会被撤销资格")


def test_what_follows_a_step_that_is_no_ground_comes_from_the_steps_article(engine):
    # 形式审查 is no revocation ground: its own article says what follows (予以退回)
    answer = engine.ask("渝碳中心申报材料形式审查没通过，会有什么后果？")
    assert "[重庆·第十一条]" in answer.answer and "予以退回" in answer.answer
    assert "共列9项" not in answer.answer


def test_a_ground_sharing_the_questions_words_keeps_the_grounds(engine):
    answer = engine.ask("重庆碳中心要是出了假的检测报告，后果是什么？")
    assert "不真实出具证书、报告的" in answer.answer and "[重庆·第二十九条]" in answer.answer


def test_a_period_run_out_gets_the_extension_and_an_extension_run_out_its_consequence(engine):
    answer = engine.ask("天津数据中心3年没建完还能延吗？最长多久？")
    assert "[天津·第十三条]" in answer.answer and "延长时限不超过1年" in answer.answer
    answer = engine.ask("鄂数据基地延期一年了还是没建完，会咋样？")
    assert "同条接着规定：对经延期仍未完成筹建任务的申请单位,撤销其筹建资格" in answer.answer


def test_a_form_named_only_in_the_users_story_is_no_question_about_its_contents(engine):
    told = engine.ask("我们刚把重庆市级碳计量中心的申报书和筹建任务书交到市市场监管局，想了解一下市局收到后会怎么处理，"
                      "后面专家论证主要是论证哪些内容？")
    assert not told.abstained and "科学性、必要性和可行性" in told.answer
    asked = engine.ask("我们准备写重庆碳计量中心的筹建任务书，任务书里要填哪些指标？")
    assert asked.abstained and "没有它的正文" in asked.answer
