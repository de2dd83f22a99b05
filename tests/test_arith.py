"""Computations on what a draft states (assistant/arith.py): a year after a cycle, a total of two
quantities, the user's figure against a bound; each number the checker can recompute, and no
computation where the question does not ask for it."""

from workspace import claim_status as _status


def test_a_year_after_a_cycle(engine):
    answer = engine.ask("天津一家计量数据中心2030年4月通过验收成立，第一次复查大概在哪年？")
    assert "5年后是2035年" in answer.answer and "[天津·第二十三条]" in answer.answer
    assert _status(answer, "2035年") == "verified"
    assert {"value": 2035, "unit": "年份"}.items() <= next(v for v in answer.values if v["unit"] == "年份").items()


def test_no_year_computed_when_a_period_is_asked(engine):
    answer = engine.ask("天津计量数据中心2030年4月成立的话，多久复查一次？")
    assert "推算" not in answer.answer


def test_a_total_of_two_plan_quantities(engine):
    answer = engine.ask("江西到2025年国家级和省级产业计量测试中心加起来一共要建几家？")
    assert "6家（" in answer.answer
    assert _status(answer, "6家") == "verified"


def test_two_counts_asked_are_not_added(engine):
    answer = engine.ask("东营实施意见一共提了几项主要任务、几项保障措施？")
    assert "合计" not in answer.answer and "8项" not in answer.answer


def test_the_users_figure_below_a_minimum(engine):
    answer = engine.ask("我们想把重庆碳计量中心批筹的公示缩短到4天，办法允许吗？")
    assert answer.answer.startswith("不符合：您给出的4天少于公示期的下限")
    assert "还差3天（公示期7天－您给出的4天）" in answer.answer
    assert _status(answer, "3天") == "verified"


def test_a_figure_about_something_else_gets_no_verdict(engine):
    # 两年半 is how long construction has run, not an extension: no verdict against 延长时限不超过1年
    answer = engine.ask("我们在重庆筹建碳计量中心两年半了还没完成，能延期吗？最多多久？")
    assert "延期上限的上限" not in answer.answer and "不符合" not in answer.answer


def test_a_figure_to_confirm_is_not_a_shortfall(engine):
    answer = engine.ask("江西说到2025年要培育3000家诚信计量示范单位，对吧？")
    assert "还差" not in answer.answer


def test_a_share_of_the_users_figure(engine):
    answer = engine.ask("江西注册计量师在法定计量机构里的占比目标是多少？我们机构有150人，要有多少名？")
    assert "60%为90人（您给出的150人×60%）" in answer.answer
    assert _status(answer, "90人") == "verified"


def test_a_wrong_share_is_contradicted():
    # the checker recomputes the product: a wrong one can never reach the user
    from assistant.check import check
    from assistant.config import Settings
    from assistant.corpus import load_corpus
    from assistant.rules import build_rules_table

    docs = load_corpus(Settings.from_env())
    table = build_rules_table(docs)
    text = "江西材料：法定计量机构中注册计量师占比达到60%。按您给出的150人计，60%为80人（您给出的150人×60%）。"
    checks = check(text, table=table, docs=docs, doc_ids=["jiangxi-interview-2023"])
    assert any(c.claim == "80人" and c.status == "contradicted" for c in checks)


def test_a_yearly_ordinal_moved_to_the_year_asked(engine):
    answer = engine.ask("照江西访谈的说法，2028年会是第几个世界计量日？")
    assert "2028年是第29个（2023年是第24个，相差5年）" in answer.answer and not answer.abstained
    assert any(v.get("value") == 29 and v.get("unit") == "个" for v in answer.values)


def test_a_share_target_against_the_users_whole_and_part_gives_the_gap(engine):
    answer = engine.ask("我们是江西的法定计量机构，共有50个技术人员，其中注册计量师20个，按2025年占比目标还差几个？")
    assert "60%为30人" in answer.answer and "还差10人" in answer.answer
    assert not any(c.status == "contradicted" for c in answer.checks)


def test_the_users_figure_against_a_plan_target_stated_as_a_figure(engine):
    # "新建或改造计量标准达到50项" sets no 以上/不少于: a figure to reach is a minimum all the same;
    # the user's clause ("做了31项") shares no word with it, but the question repeats the target
    answer = engine.ask("江西要新建或改造计量标准达到50项，我们省目前做了31项，还要再搞多少项？")
    assert "还差19项" in answer.answer and "50项－您给出的31项" in answer.answer
    assert all(c.status != "contradicted" for c in answer.checks)
