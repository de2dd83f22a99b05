"""Evidence first: the draft is held against the best retrieved article."""

import pytest

pytestmark = pytest.mark.slow


def test_sentence_similarities_cover_every_sentence(engine):
    query = engine.understand("天津批准筹建以后用什么方式告知申请单位？")
    hit = engine.retrieve(query)[0]
    sims = engine.retriever.sentence_similarities(query.question, hit.chunk)
    assert len(sims) >= 2
    assert all(text in hit.chunk.text and -1.0 <= cos <= 1.0 for text, cos in sims)


def test_off_target_draft_gets_the_evidence(engine):
    """A how-is-it-notified question that cue words route to the conditions list: the answer
    quotes the retrieved article's sentence that says how (函复)."""
    answer = engine.ask("天津批准筹建以后市场监管委用什么方式告知申请单位？")
    assert not answer.abstained
    assert "函复" in answer.answer
    assert any(c.article == "第十条" for c in answer.citations)


def test_abstention_kept_when_the_evidence_lacks_the_number(engine):
    """The evidence speaks of the subject but states no number for the asked year: still an abstention."""
    answer = engine.ask("东营到2025年社会公用计量标准要达到多少项？")
    assert answer.abstained


def test_review_leaves_a_draft_citing_the_top_article(engine):
    from assistant.evidence import review

    query = engine.understand("重庆碳计量中心筹建期几年？")
    hits = engine.retrieve(query)
    draft = engine.composer.compose(query, hits)
    before = draft.text
    assert review(engine.composer, query, hits, draft, retriever=engine.retriever).text == before


def test_the_evidence_names_the_event_when_no_cue_does(engine):
    """"调整了负责人" is no event cue: the best retrieved article (changes must be reported within
    7 working days) names the event, and the deadline is computed from the date given."""
    answer = engine.ask("重庆的中心2025年3月3日调整了负责人，最晚哪天要报告市局？")
    assert answer.intent == "timeline" and not answer.abstained
    assert any(v.get("unit") == "date" and v["value"] == "2025-03-12" for v in answer.values)
    assert any(c.article == "第二十四条" for c in answer.citations)


def test_a_period_question_no_cue_names_gets_the_rule_that_says_it(engine):
    """"要多长时间把建设工作做完" names no topic: the period rule whose sentence says most nearly
    the same answers it (the construction period), instead of an abstention."""
    answer = engine.ask("我们拿到了重庆的批准筹建文件，想确认一下一共有多长时间来把建设工作做完？")
    assert not answer.abstained
    assert answer.topic == "construction_period" and "3年" in answer.answer


def test_a_number_answer_to_a_question_asking_none_gives_way_to_the_evidence(engine):
    """A topic word routes the question to a number (延期 → 延期上限) while it asks what happens:
    the best evidence's sentences answer, the consequence included."""
    answer = engine.ask("湖北碳计量中心经延期还是没完成筹建，会如何？")
    # (since the construction period's next step is the extension (intents.yaml follows), the
    # number answer stands when it goes on to the article's consequence; either way it is said)
    assert "撤销其筹建资格" in answer.answer.replace("\n", "")
    assert not any(c.status == "contradicted" for c in answer.checks)
    assert engine.ask("湖北碳计量中心延期最长多久？").intent == "numeric"  # a number asked: unchanged


def test_a_date_asked_of_a_document_gets_its_dates(engine):
    """"办法哪天实施？" names no topic word the cue lists know: the one date rule of the document
    (施行日期) answers, with the manifest's issue date; an event the documents lack does not."""
    answer = engine.ask("天津的计量数据中心办法哪天实施？")
    assert "2025年8月1日" in answer.answer and "2025年7月22日" in answer.answer
    assert "2025年7月22日" not in engine.ask("天津这个办法的试行期什么时候到期？").answer


def test_a_yes_no_question_whether_a_document_mentions_a_kind_it_has_no_rules_for(engine):
    answer = engine.ask("江西是不是打算争取建国家碳计量中心？")
    assert answer.answer.startswith("有提到：") and "力争筹建国家碳计量中心" in answer.answer and not answer.abstained
    assert engine.ask("江西有没有碳计量中心管理办法？").abstained  # the bare kind name is no mention of one
    assert engine.ask("江西的国家碳计量中心什么时候验收？").abstained  # not a yes/no question


def test_specifics_the_document_puts_elsewhere_are_said_to_be_absent(engine):
    """'牌匾的尺寸和样式？' against '可以按照规定格式制作和悬挂牌匾': the text itself defers the
    specifics, so the answer says the corpus does not give them and quotes the deferring sentence."""
    answer = engine.ask("重庆碳计量中心牌匾的尺寸有啥规定？")
    assert answer.abstained and "按照规定格式制作和悬挂牌匾" in answer.answer
    form = engine.ask("天津计量数据中心申报书有哪几部分？")
    assert form.abstained and "见附件1" in form.answer
    allowed = engine.ask("重庆碳计量中心批准成立后能挂牌吗？")  # no specifics asked: answered
    assert not allowed.abstained and "牌匾" in allowed.answer


def test_every_manifest_field_asked_is_answered_and_a_cited_documents_are_not_ours(engine):
    answer = engine.ask("湖北碳计量中心办法是哪天印发的？文号是多少？")
    assert "鄂市监量规〔2023〕5号" in answer.answer and "2023年2月17日" in answer.answer
    cited = engine.ask("江西那个《省人民政府关于加快推进新时代计量工作高质量发展的实施意见》文号是多少？")
    assert cited.abstained and "2023年5月20日" not in cited.answer


def test_a_number_abstention_on_a_question_asking_none_gives_way_to_the_evidence(engine):
    # routed to the plan's numbers by its target year, the question asks what will be built,
    # not how many: the paragraph that says it answers instead of "没有给出这一数字"
    answer = engine.ask("东营到2025年在诚信计量上要建成什么？")
    assert not answer.abstained and "诚信计量示范街" in answer.answer and "[东营·第2段]" in answer.answer


@pytest.mark.parametrize("question, says, not_says", [
    # 任务 inside 筹建任务书 names no task list: the materials article the evidence puts first answers
    ("筹建任务书我们还没写完，能先把申报书交给重庆市局吗？", ["需提交以下材料", "[重庆·第九条]"], ["主要任务"]),
    # the list is named, but the question's 每年 is in the top article and not in the list
    ("重庆市局每年给碳计量中心下达哪些任务？", ["每年下达", "[重庆·第二十三条]"], ["共7项"]),
    # the lead-in says the question's words: the whole list, not the one item mentioning 重点任务
    ("重庆碳计量中心主要任务有哪些？", ["共7项", "（一）开展碳计量测试技术需求分析"], []),
])
def test_a_named_list_against_the_evidence(engine, question, says, not_says):
    answer = engine.ask(question)
    assert all(s in answer.answer for s in says), answer.answer
    assert not any(s in answer.answer for s in not_says), answer.answer


def test_a_question_about_what_is_achieved_now_is_not_answered_with_the_target(engine):
    answer = engine.ask("江西目前已经引导培育了多少家诚信计量示范单位？")
    assert answer.abstained and "没有现有（已达到）的数量" in answer.answer
    assert "5000家以上" in answer.answer  # what the text does say, quoted
    # the user's own present figure is something to compute with, not a question about now
    answer = engine.ask("江西诚信计量示范单位现在如果有4500家，到2025年还差多少家？")
    assert not answer.abstained and "还差500家" in answer.answer


def test_lists_say_how_many_items(engine):
    answer = engine.ask("东营实施意见有哪些保障措施？")
    assert "以上共4项。" in answer.answer  # the lead-in says 四项: its measure word
    answer = engine.ask("重庆和湖北碳计量中心的主要任务有什么不同？")
    assert "重庆办法第六条共列7项" in answer.answer and "湖北碳计量中心办法第六条共列6项" in answer.answer
    assert all(c.status == "verified" for c in answer.checks if c.claim in ("7项", "6项"))


def test_whether_a_document_is_a_trial_version_is_read_from_its_title(engine):
    answer = engine.ask("天津那个计量数据中心办法是正式版还是试行的？")
    assert "是试行文件，不是正式版" in answer.answer and not answer.abstained
    answer = engine.ask("湖北碳计量中心建设管理办法是正式版吗？")
    assert "没有标注试行、暂行或征求意见稿" in answer.answer


def test_total_score_asks_the_full_marks(engine):
    answer = engine.ask("天津计量数据中心现场验收总分是多少分？")
    assert "满分为100分" in answer.answer or "满分100分" in answer.answer


def test_a_quoted_sentence_announcing_a_list_brings_its_items(engine):
    answer = engine.ask("重庆碳计量中心是自愿申请的吗？")
    assert "自愿申请原则" in answer.answer and "共7项：" in answer.answer  # 第七条 lists seven
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_which_grounds_asks_for_all_of_them(engine):
    answer = engine.ask("按天津的办法，有哪些情况会被市市场监管委取消计量数据中心资格？")
    assert "以下情形会被撤销中心资格" in answer.answer  # the standing the question names
    assert "[天津·第二十二条]" in answer.answer and "[天津·第二十三条]" in answer.answer
    assert "筹建资格" not in answer.answer


def test_what_comes_after_a_step_is_the_next_article(engine):
    history = [{"role": "user", "content": "天津计量数据中心申请是不是要先做材料审查和实地核查？"},
               {"role": "assistant", "content": "是的，市市场监管委组织专家进行材料审查和实地核查。"}]
    answer = engine.ask("审查核查通过了，然后呢？", history=history)
    assert "之后是第十一条" in answer.answer and "[天津·第十一条]" in answer.answer


def test_a_follow_up_asking_something_new_gets_the_evidence_not_the_previous_topic(engine):
    # the topic (construction period) comes from the turn before; the follow-up's own words ask
    # what happens when it runs out, and both rankings put the extension article first
    history = [{"role": "user", "content": "天津计量数据中心筹建期几年？"}, {"role": "assistant", "content": "3年"}]
    answer = engine.ask("那要是到期建不完怎么办？", history=history)
    assert "[天津·第十三条]" in answer.answer and "延期验收考核" in answer.answer
    # (the period may be restated first: the extension is its next step, intents.yaml follows)
    assert answer.answer.find("[天津·第十一条]") < answer.answer.find("[天津·第十三条]")


def test_a_follow_up_naming_only_another_place_keeps_the_previous_topic(engine):
    history = [{"role": "user", "content": "湖北碳计量中心筹建期几年？"}, {"role": "assistant", "content": "3年"}]
    answer = engine.ask("那天津的计量数据中心呢？", history=history)
    assert "[天津·第十一条]" in answer.answer and "3年" in answer.answer


def test_a_number_nobody_asked_gives_way_to_the_article_both_rankings_put_first(engine):
    # 限期整改 names the rectification period; the question asks whether leaking data is only
    # warned about, and both rankings put the data-security article first
    answer = engine.ask("湖北碳计量中心擅自泄露数据，是不是整改一下就行？")
    assert answer.citations and answer.citations[0].article == "第二十一条"
    assert "撤销其省级碳计量中心资格" in answer.answer
