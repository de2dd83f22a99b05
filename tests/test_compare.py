import csv
import io
import json
from pathlib import Path

import pytest

from assistant.compare import Cell, compare, short_title
from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.errors import UnknownJurisdictionError
from assistant.rules import RulesQueryError, build_rules_table
from assistant.segment import segment_text
from assistant.types import DocMeta

REGULATIONS = ("hubei-carbon-2023", "hubei-data-2023", "chongqing-carbon-2024", "tianjin-data-2025")


@pytest.fixture(scope="module")
def docs():
    return load_corpus(Settings.from_env())


@pytest.fixture(scope="module")
def table(docs):
    return build_rules_table(docs)


@pytest.fixture(scope="module")
def comparison(table, docs):
    return compare(table, docs)


def test_default_columns_are_regulations_grouped_by_jurisdiction(comparison):
    assert comparison.columns == REGULATIONS
    assert comparison.headers["chongqing-carbon-2024"] == "重庆·市级碳计量中心"
    assert comparison.headers["hubei-data-2023"] == "湖北·计量数据建设应用基地"


def test_default_topics(comparison):
    assert comparison.topics[:4] == ("construction_period", "acceptance_lead_time", "extension_lead_time", "extension_max")
    assert {"public_notice_min", "clean_record_years", "effective_date"} <= set(comparison.topics)
    assert "other" not in comparison.topics and "target" not in comparison.topics


@pytest.mark.parametrize("topic, doc_id, text, article", [
    ("construction_period", "chongqing-carbon-2024", "≤3年", "第十四条"),
    ("extension_max", "tianjin-data-2025", "≤1年", "第十三条"),
    ("pass_score", "hubei-data-2023", "≥80分", "第十七条"),
    ("review_cycle", "hubei-carbon-2023", "每5年", "第二十四条"),
    ("public_notice_min", "chongqing-carbon-2024", "≥7天", "第十二条"),
    ("annual_report", "chongqing-carbon-2024", "每年11月底前", "第二十四条"),
])
def test_found_cells(comparison, topic, doc_id, text, article):
    c = comparison.cell(topic, doc_id)
    assert (c.status, c.text, c.article) == ("found", text, article)
    assert all(r.startswith(doc_id + ":") for r in c.rule_ids)


def test_silent_cells_record_the_search(comparison):
    c = comparison.cell("expert_group_size", "hubei-carbon-2023")
    assert isinstance(c, Cell) and c.status == "silent" and "专家组" in c.searched
    assert "第十四条" in c.mentions  # 专家组 is mentioned there, without a number
    data = json.loads(comparison.to_json())
    cell = next(x for x in data["cells"] if x["topic"] == "public_notice_min" and x["doc_id"] == "tianjin-data-2025")
    assert cell["status"] == "silent" and "公示" in cell["searched"]


def test_differs(comparison):
    assert "effective_date" in comparison.differs
    assert "construction_period" not in comparison.differs
    assert "public_notice_min" in comparison.differs  # only Chongqing has it: silent elsewhere
    assert "annual_report" not in comparison.differs  # 每年11月 and 11月底前 name the same month


def test_markdown(comparison):
    md = comparison.to_markdown()
    lines = md.splitlines()
    assert lines[0] == "| 主题 | 湖北·碳计量中心 | 湖北·计量数据建设应用基地 | 重庆·市级碳计量中心 | 天津·计量数据建设应用中心 | 差异 |"
    assert "| 筹建期限 | ≤3年 [第十一条] | ≤3年 [第十二条] | ≤3年 [第十四条] | ≤3年 [第十一条] |  |" in lines
    assert "| 公示期 | 未规定 | 未规定 | ≥7天 [第十二条] | 未规定 | ≠ |" in lines
    assert any(line.startswith("| 施行日期 |") and line.endswith("≠ |") for line in lines)


def test_csv_and_xlsx(comparison, tmp_path):
    rows = list(csv.reader(io.StringIO(comparison.to_csv())))
    assert rows[0] == ["topic", "label", *REGULATIONS, "differs"]
    assert ["construction_period", "筹建期限", "≤3年 [第十一条]", "≤3年 [第十二条]", "≤3年 [第十四条]", "≤3年 [第十一条]", "0"] in rows
    path = tmp_path / "compare.xlsx"
    comparison.to_xlsx(path)
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws.cell(1, 1).value == "主题" and ws.cell(2, 1).value == "筹建期限"
    assert ws.cell(2, 4).value == "≤3年 [第十四条]"


def test_filters(table, docs):
    c = compare(table, docs, jurisdictions=["渝", "天津"], topics=["construction_period", "public_notice_min"])
    assert c.columns == ("chongqing-carbon-2024", "tianjin-data-2025")
    assert c.topics == ("construction_period", "public_notice_min")
    c = compare(table, docs, doc_ids=["jiangxi-interview-2023", "hubei-carbon-2023"], topics=["target"])
    assert c.cell("target", "jiangxi-interview-2023").status == "found"
    assert c.cell("target", "hubei-carbon-2023").status == "silent"


def test_errors(table, docs):
    with pytest.raises(UnknownJurisdictionError, match="重庆"):
        compare(table, docs, jurisdictions=["火星"])
    with pytest.raises(RulesQueryError, match="construction_period"):
        compare(table, docs, topics=["nope"])


def test_synthetic_against_chongqing(docs):
    text = (Path(__file__).parent / "fixtures" / "synthetic_regulation.txt").read_text(encoding="utf-8")
    meta = DocMeta(id="synthetic-jiangnan-2026", title="江南省产业计量测试中心管理办法", jurisdiction="江南",
                   level="省", kind="regulation", source="synthetic_regulation.txt")
    all_docs = [d for d in docs if d.id == "chongqing-carbon-2024"] + [segment_text(text, meta)]
    c = compare(build_rules_table(all_docs), all_docs)
    assert c.headers["synthetic-jiangnan-2026"] == "江南·产业计量测试中心"
    assert c.cell("construction_period", "synthetic-jiangnan-2026").text == "2年"
    assert {"construction_period", "pass_score", "review_cycle", "public_notice_min"} <= set(c.differs)
    assert "full_score" not in c.differs


def test_short_title(docs):
    by_id = {d.id: d for d in docs}
    assert short_title(by_id["tianjin-data-2025"]) == "计量数据建设应用中心"
    assert short_title(by_id["hubei-carbon-2023"]) == "碳计量中心"

