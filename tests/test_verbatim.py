"""What a person reads is the documents' own text (issue 15): citation quotes, quotes in answer
prose, rules-table quotes and the UI's article views show the source's characters (full-width
punctuation, spaces as written), while matching, offsets and checks stay on the normalised text."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.engine import answer_from_dict

from assistant.check import check
from assistant.engine import Engine
from assistant.evaluate import load_questions
from assistant.ingest import read_source
from assistant.normalize import normalize_query

ROOT = Path(__file__).resolve().parent.parent


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _read(text: str) -> str:
    """Text as the checker and the eval read it."""
    return "\n".join(normalize_query(line) for line in text.split("\n"))


@pytest.fixture(scope="module")
def engine(index_settings):
    return Engine.load(index_settings)


@pytest.fixture(scope="module")
def sources(settings, docs):
    """Each document's source file as read, whitespace removed."""
    return {d.id: _bare(read_source(settings.corpus_dir / d.meta.source)) for d in docs}


@pytest.fixture(scope="module")
def dev_answers(engine):
    return [engine.ask(q["question"], history=q.get("history") or ())
            for q in load_questions(ROOT / "evals" / "dev.jsonl")]


def test_every_citation_quote_is_source_text(dev_answers, sources, doc_by_id):
    """Over the dev questions every citations[].quote occurs in its source file (whitespace
    removed), for every document; it reads as its normalised span does to the checker."""
    total, found = Counter(), Counter()
    for answer in dev_answers:
        for c in answer.citations:
            total[c.doc_id] += 1
            found[c.doc_id] += _bare(c.quote) in sources[c.doc_id]
            doc = doc_by_id[c.doc_id]
            assert normalize_query(c.quote) == normalize_query(doc.text[c.start:c.end]), (c.doc_id, c.quote)
    assert set(total) == set(sources), "every shipped document is cited at least once"
    assert {d: found[d] / total[d] for d in total} == {d: 1.0 for d in total}


def test_quotes_in_the_answer_prose_are_source_text(dev_answers, doc_by_id):
    """A cited span the document wrote differently (full-width punctuation, "限期 3 个月") is
    never written normalised in the answer; the prose keeps the checker's reading."""
    differing = 0
    for answer in dev_answers:
        for c in answer.citations:
            normalised = doc_by_id[c.doc_id].text[c.start:c.end].strip()
            if normalised == c.quote:
                continue
            differing += 1
            quoted_elsewhere = any(normalised in doc_by_id[x.doc_id].text[x.start:x.end] and x.quote == normalised
                                   for x in answer.citations)
            assert normalised not in answer.answer or quoted_elsewhere, (answer.question, normalised)
    assert differing > 50  # the Chongqing document is written with full-width punctuation


def test_chongqing_answer_reads_as_written_and_checks(engine):
    answer = engine.ask("重庆验收打了78分算过吗？")
    assert "限期 3 个月整改" in answer.answer and "，" in answer.answer
    assert "限期3个月整改" in _read(answer.answer)
    assert not [c for c in answer.checks if c.status == "contradicted"]
    assert any(c.claim == "3 个月" or c.claim.replace(" ", "") == "3个月" for c in answer.checks)


def test_every_rules_table_quote_is_source_text(engine, sources, doc_by_id):
    rows = engine.table.to_rows()
    assert rows
    for row in rows:
        assert _bare(row["quote"]) in sources[row["doc_id"]], row["id"]
        doc = doc_by_id[row["doc_id"]]
        assert normalize_query(row["quote"]) == normalize_query(doc.text[row["start"]:row["end"]]), row["id"]
    cq = [r for r in rows if r["doc_id"] == "chongqing-carbon-2024"]
    assert any("，" in r["quote"] for r in cq) and any("累计 3 年" in r["quote"] for r in cq)


def test_rules_exports_carry_the_verbatim_quote(engine):
    table = engine.table.filter(doc_ids=["chongqing-carbon-2024"])
    data = json.loads(table.to_json())
    rule = next(r for r in data["rules"] if r["id"] == "chongqing-carbon-2024:第二十九条:assessment_revocation_years:1")
    assert rule["quote"] == "累计 3 年未完成年度考核的" and "verbatim" not in rule
    assert all("verbatim" not in p for p in data["provisions"])
    assert "累计 3 年未完成年度考核的" in table.to_csv()
    internal = next(r for r in table.rules if r.id == rule["id"])
    assert internal.quote == "累计3年未完成年度考核的"  # matching keeps the normalised text


def test_checker_reads_numbers_inside_verbatim_quotes(engine):
    """Full-width digits and punctuation, spaces inside numbers: verified as before; a
    contradicted claim is reported as the answer wrote it, so it can be withheld."""
    text = "重庆办法规定：考核得分分值低于 ８０ 分的，限期 ３ 个月整改 [重庆·第十九条]。"
    checks = check(text, table=engine.table, docs=engine.docs, doc_ids=["chongqing-carbon-2024"])
    assert [(c.claim, c.status) for c in checks] == [("低于 ８０ 分", "verified"), ("３ 个月", "verified"),
                                                     ("[重庆·第十九条]", "verified")]
    wrong = "重庆办法规定：整改期限为 ５ 个月（见第十九条）。"
    bad = [c for c in check(wrong, table=engine.table, docs=engine.docs, doc_ids=["chongqing-carbon-2024"])
           if c.status == "contradicted"]
    assert [c.claim for c in bad] == ["５ 个月", "第十九条"] and bad[0].expected == "3个月 (重庆·第十九条)"
    from assistant.engine import WITHHELD, _withhold

    assert WITHHELD in _withhold(wrong, [c.claim for c in bad])


def test_ui_panel_shows_the_article_as_written(doc_by_id):
    from ui.render import article_html, sources_html

    doc = doc_by_id["chongqing-carbon-2024"]
    art = doc.article("第十九条")
    normalised = "考核得分分值低于80分的,限期3个月整改"
    start = doc.text.index(normalised, art.start)
    quote = doc.source_span(start, start + len(normalised))
    assert quote == "考核得分分值低于 80 分的，限期 3 个月整改"
    html = sources_html(answer_from_dict({"citations": [{"doc_id": doc.id, "title": doc.meta.title, "jurisdiction": "重庆",
                                                         "article": "第十九条", "quote": quote, "start": start,
                                                         "end": start + len(normalised)}]}), doc_by_id)
    assert f"<mark>{quote}</mark>" in html and "满分为100分，" in html
    assert f"<mark>{quote}</mark>" in article_html(doc, "第十九条", quote, start)


def test_traditional_source_quotes_read_simplified_with_the_original_kept(tmp_path, settings, doc_by_id):
    import opencc

    from assistant.corpus import documents_from
    from assistant.rules import build_rules_table

    original = doc_by_id["chongqing-carbon-2024"]
    raw = read_source(settings.corpus_dir / original.meta.source)
    traditional = opencc.OpenCC("s2t").convert(raw)
    (tmp_path / "t.txt").write_text(traditional, encoding="utf-8")
    from dataclasses import replace

    (doc,) = documents_from([replace(original.meta, source="t.txt")], tmp_path)
    table = build_rules_table([doc])
    rule = next(r for r in table.rules if r.topic == "assessment_revocation_years")
    assert rule.verbatim == "累计 3 年未完成年度考核的"  # shown simplified, spaces as written
    shown_original = doc.source_span(rule.start, rule.end, original=True)
    s, e = doc.source.source_offsets(rule.start, rule.end)
    assert shown_original == traditional[s:e] and shown_original.startswith("累計 3 年")


def test_generated_quotes_read_as_written(doc_by_id):
    """The generator's prose may quote normalised text: a 「」/“” quote a document says is
    rewritten as the document wrote it; other quotes stay."""
    from assistant.compose import quotes_as_written

    doc = doc_by_id["chongqing-carbon-2024"]
    text = "重庆规定「考核得分分值低于80分的,限期3个月整改」，另见“筹建期”与“不存在的一句话”。"
    assert quotes_as_written(text, [doc]) == (
        "重庆规定「考核得分分值低于 80 分的，限期 3 个月整改」，另见“筹建期”与“不存在的一句话”。")


def test_generator_prompt_carries_the_documents_own_text(docs, doc_by_id):
    from assistant.compose import Composer
    from assistant.llm import build_messages
    from assistant.rules import build_rules_table
    from assistant.understand import understand

    table = build_rules_table(docs)
    query = understand("重庆验收打了78分算过吗？", docs=docs)
    draft = Composer(docs, table).compose(query, ())
    _, user = build_messages(query, draft, (), docs=doc_by_id, table=table)
    assert "考核得分分值低于 80 分的，限期 3 个月整改" in user["content"]
