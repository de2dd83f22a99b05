import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.check import check
from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.errors import UnknownDocumentError, UnknownJurisdictionError
from assistant.rules import build_rules_table
from assistant.timeline import compute_timeline


@pytest.fixture(scope="module")
def docs():
    return load_corpus(Settings.from_env())


@pytest.fixture(scope="module")
def table(docs):
    return build_rules_table(docs)


def _one(text, table, docs, **kw):
    checks = check(text, table=table, docs=docs, **kw)
    assert len(checks) == 1, checks
    return checks[0]


@pytest.mark.parametrize("answer, claim, status, rule_id, expected", [
    ("重庆公示期不少于5天", "不少于5天", "contradicted", "chongqing-carbon-2024:第十二条:public_notice_min:1", "7天 (重庆·第十二条)"),
    ("湖北专家组3—5人", "3—5人", "unsupported", "", ""),
    ("天津延期不超过一年", "不超过一年", "verified", "tianjin-data-2025:第十三条:extension_max:1", ""),
    ("湖北合格分数80分", "80分", "verified", "hubei-carbon-2023:第十六条:pass_score:1", ""),
    ("重庆每3年复查一次", "每3年", "contradicted", "chongqing-carbon-2024:第二十八条:review_cycle:1", "5年 (重庆·第二十八条)"),
    ("重庆公示期七天", "七天", "verified", "chongqing-carbon-2024:第十二条:public_notice_min:1", ""),
    ("重庆专家组人数为3至5人", "3至5人", "verified", "chongqing-carbon-2024:第十七条:expert_group_size:1", ""),
    ("重庆专家组5人", "5人", "verified", "chongqing-carbon-2024:第十七条:expert_group_size:1", ""),
    ("天津延期最长12个月", "最长12个月", "verified", "tianjin-data-2025:第十三条:extension_max:1", ""),
    ("天津筹建期两年", "两年", "contradicted", "tianjin-data-2025:第十一条:construction_period:1", "3年 (天津·第十一条)"),
    ("重庆初步审查在7日内完成", "7日内", "contradicted", "chongqing-carbon-2024:第十七条:initial_review_deadline:1",
     "7个工作日 (重庆·第十七条)"),
    ("重庆重大变化应在7个工作日内报告", "7个工作日内", "verified",
     "chongqing-carbon-2024:第二十四条:change_report_deadline:1", ""),
    ("天津每年11月报送年度工作总结", "每年11月", "verified", "tianjin-data-2025:第十九条:annual_report:1", ""),
    ("重庆公示期最多7天", "最多7天", "contradicted", "chongqing-carbon-2024:第十二条:public_notice_min:1",
     "7天 (重庆·第十二条)"),
    ("湖北低于80分的限期整改", "低于80分", "verified", "hubei-carbon-2023:第十六条:pass_score:2", ""),
    ("天津3年内没有违法行为", "3年内", "verified", "tianjin-data-2025:第八条:clean_record_years:1", ""),
    ("重庆办法自2024年4月22日起施行", "2024年4月22日", "verified", "chongqing-carbon-2024:第三十条:effective_date:1", ""),
    ("湖北办法于2023年3月1日施行", "2023年3月1日", "verified", "hubei-carbon-2023:第二十六条:effective_date:1", ""),
    ("重庆筹建要在2030年1月1日完成", "2030年1月1日", "unsupported", "", ""),
    ("重庆需要缴纳3吨材料", "3吨", "unsupported", "", ""),
])
def test_numeric_claims(table, docs, answer, claim, status, rule_id, expected):
    c = _one(answer, table, docs)
    assert (c.claim, c.status, c.rule_id, c.expected) == (claim, status, rule_id, expected)


def test_context_filter_by_jurisdiction(table, docs):
    c = _one("公示期不少于7天", table, docs, jurisdictions=["重庆"])
    assert c.status == "verified"
    c = _one("公示期不少于7天", table, docs, jurisdictions=["湖北"])
    assert c.status == "unsupported"
    c = _one("筹建期3年", table, docs, doc_ids=["tianjin-data-2025"])
    assert c.rule_id == "tianjin-data-2025:第十一条:construction_period:1"


def test_timeline_dates_verify(table, docs):
    cq = next(d for d in docs if d.id == "chongqing-carbon-2024")
    events = compute_timeline(cq, table, event="approved", date=dt.date(2024, 6, 1))
    answer = "应于2027-03-01前申请验收;筹建期限届满日为2027年6月1日(若首日计入则为2027-05-31);延期后最迟2028-06-01。"
    checks = check(answer, table=table, docs=docs, jurisdictions="重庆", events=events)
    assert [c.status for c in checks] == ["verified"] * 4
    assert checks[0].rule_id == "chongqing-carbon-2024:第十六条:acceptance_lead_time:1"
    other = check("应于2027-04-01前申请验收", table=table, docs=docs, jurisdictions="重庆", events=events)
    assert other[0].status == "unsupported"


@pytest.mark.parametrize("answer, statuses", [
    ("公示时间不得少于7天[重庆·第十二条]", [("不得少于7天", "verified"), ("[重庆·第十二条]", "verified")]),
    ("公示时间不得少于7天[重庆·第十四条]", [("不得少于7天", "verified"), ("[重庆·第十四条]", "contradicted")]),
    ("重庆筹建期3年(第十四条)", [("3年", "verified"), ("第十四条", "verified")]),
    ("重庆筹建期3年(第14条)", [("3年", "verified"), ("第14条", "verified")]),
    ("重庆办法第三十五条规定", [("第三十五条", "contradicted")]),
    ("见[天津·第八条]", [("[天津·第八条]", "verified")]),
])
def test_article_references(table, docs, answer, statuses):
    checks = check(answer, table=table, docs=docs)
    assert [(c.claim, c.status) for c in checks] == statuses


@pytest.mark.parametrize("answer, statuses", [
    ("期间按民法典第二百零一条计算,重庆筹建期3年(第十四条)", [("3年", "verified"), ("第十四条", "verified")]),
    ("依据《中华人民共和国计量法》第十条", []),
    ("依据计量法第十条和行政许可条例第三十五条", []),
    ("依据本办法第三十五条", [("第三十五条", "contradicted")]),
    ("《重庆市市级碳计量中心管理办法》第十四条规定3年", [("第十四条", "verified"), ("3年", "verified")]),
])
def test_references_to_other_laws_are_not_ours(table, docs, answer, statuses):
    checks = check(answer, table=table, docs=docs, jurisdictions="重庆")
    assert [(c.claim, c.status) for c in checks] == statuses


def test_wrong_citation_points_to_the_right_article(table, docs):
    checks = check("公示时间不得少于7天[重庆·第十四条]", table=table, docs=docs)
    assert "第十四条未规定不得少于7天" in checks[1].expected and "第十二条" in checks[1].expected
    missing = check("重庆办法第三十五条规定", table=table, docs=docs)[0]
    assert "共30条" in missing.expected


def test_citation_markers_are_not_numbers(table, docs):
    checks = check("湖北筹建期3年[湖北·第十一条],重庆为3年[重庆·第十四条]。", table=table, docs=docs)
    assert [c.claim for c in checks] == ["3年", "[湖北·第十一条]", "3年", "[重庆·第十四条]"]
    assert all(c.status == "verified" for c in checks)


def test_several_claims_in_order(table, docs):
    checks = check("重庆:筹建期3年内,届满3个月前申请验收,延期不超过1年,80分合格。", table=table, docs=docs)
    assert [c.claim for c in checks] == ["3年内", "3个月前", "不超过1年", "80分"]
    assert [c.status for c in checks] == ["verified"] * 4


def test_no_numbers(table, docs):
    assert check("请参考相关办法。", table=table, docs=docs) == []
    assert check("", table=table, docs=docs) == []


def test_unknown_jurisdiction_lists_known(table, docs):
    with pytest.raises(UnknownJurisdictionError) as err:
        check("筹建期3年", table=table, docs=docs, jurisdictions=["火星"])
    for known in ("湖北", "重庆", "天津", "东营", "江西"):
        assert known in str(err.value)


def test_unknown_document(table, docs):
    with pytest.raises(UnknownDocumentError, match="chongqing-carbon-2024"):
        check("筹建期3年", table=table, docs=docs, doc_ids=["nope"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("0123456789一二三十年个月日天工作分人第条[]·重庆湖北每不少于超过—,。-")), max_size=40))
def test_never_raises(table, docs, text):
    for c in check(text, table=table, docs=docs):
        assert c.status in ("verified", "contradicted", "unsupported")


def test_a_part_heading_repeats_the_users_words_unchecked(docs):
    from assistant.rules import build_rules_table

    table = build_rules_table(docs)
    text = "关于“筹建两年半了还没完成，能延期吗”：\n重庆办法第十六条：延长时限不超过1年 [重庆·第十六条]。"
    checks = check(text, table=table, docs=docs)
    assert not any(c.claim == "两年半" for c in checks)
    assert any(c.claim == "不超过1年" and c.status == "verified" for c in checks)


def test_a_users_date_beside_an_article_reference_is_not_the_articles_claim(table, docs):
    text = "第八条(六)项不符合（从您给出的2024年8月20日到您说的2026年5月不满3年） [天津·第八条]"
    checks = check(text, table=table, docs=docs)
    assert not any(c.status == "contradicted" for c in checks)
    wrong = check("第八条(六)项：5年内没有违法行为 [天津·第八条]", table=table, docs=docs)
    assert any(c.status == "contradicted" for c in wrong)  # the article's own figure still checked
