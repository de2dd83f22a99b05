"""Side-by-side comparison of topics across documents (rows topics, columns documents)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from .check import context_docs
from .numbers import format_quantity, normalise
from .rules import OTHER, RulesQueryError, RulesTable, load_vocabulary
from .types import Document

FOUND, SILENT = "found", "silent"
NOT_STATED = "未规定"


@dataclass(frozen=True)
class Cell:
    text: str  # "≤1年", "" when silent
    rule_ids: tuple[str, ...] = ()
    article: str = ""
    status: str = FOUND  # found | silent
    searched: tuple[str, ...] = ()  # phrases looked for when silent
    mentions: tuple[str, ...] = ()  # articles that mention the topic without a number


@dataclass(frozen=True)
class Comparison:
    topics: tuple[str, ...]
    columns: tuple[str, ...]  # doc ids, grouped by jurisdiction
    cells: dict = field(default_factory=dict)  # (topic, doc_id) → Cell
    labels: dict = field(default_factory=dict)  # topic → Chinese label
    headers: dict = field(default_factory=dict)  # doc id → "湖北·碳计量中心"
    differs: tuple[str, ...] = ()  # topics whose found values differ across columns

    def cell(self, topic: str, doc_id: str) -> Cell:
        return self.cells[(topic, doc_id)]

    def _shown(self, topic: str, doc_id: str) -> str:
        c = self.cells[(topic, doc_id)]
        return f"{c.text} [{c.article}]" if c.status == FOUND else NOT_STATED

    def to_markdown(self) -> str:
        head = ["主题", *(self.headers[d] for d in self.columns), "差异"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for t in self.topics:
            row = [self.labels[t], *(self._shown(t, d) for d in self.columns), "≠" if t in self.differs else ""]
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(lines)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["topic", "label", *self.columns, "differs"])
        for t in self.topics:
            w.writerow([t, self.labels[t], *(self._shown(t, d) for d in self.columns), int(t in self.differs)])
        return buf.getvalue()

    def to_dict(self) -> dict:
        return {
            "topics": [{"topic": t, "label": self.labels[t], "differs": t in self.differs} for t in self.topics],
            "columns": [{"doc_id": d, "header": self.headers[d]} for d in self.columns],
            "cells": [{"topic": t, "doc_id": d, "text": c.text, "rule_ids": list(c.rule_ids), "article": c.article,
                       "status": c.status, "searched": list(c.searched), "mentions": list(c.mentions)}
                      for (t, d), c in self.cells.items()],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_xlsx(self, path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        wb = Workbook()
        ws = wb.active
        ws.title = "对比"
        ws.append(["主题", *(self.headers[d] for d in self.columns), "差异"])
        for c in ws[1]:
            c.font = Font(bold=True)
        mark = PatternFill("solid", fgColor="FFF2CC")
        for t in self.topics:
            ws.append([self.labels[t], *(self._shown(t, d) for d in self.columns), "≠" if t in self.differs else ""])
            if t in self.differs:
                for c in ws[ws.max_row]:
                    c.fill = mark
        ws.column_dimensions["A"].width = 18
        wb.save(path)


def short_title(doc: Document) -> str:
    """湖北省碳计量中心建设管理办法 → 碳计量中心."""
    title = doc.meta.title
    for name in (doc.meta.jurisdiction + "省", doc.meta.jurisdiction + "市", doc.meta.jurisdiction):
        if name and title.startswith(name):
            title = title[len(name):]
            break
    title = re.sub(r"\(试行\)$", "", title)
    return re.sub(r"(建设管理办法|管理办法|办法|实施方案|规定)$", "", title) or doc.meta.title


def _value_key(rules) -> tuple:
    """What must agree across columns: the normalised value and unit (not the wording)."""
    r = rules[0]
    return normalise(r.value, r.unit)


def compare(table: RulesTable, docs: list[Document], *, doc_ids=None, jurisdictions=None, topics=None) -> Comparison:
    """Compare topics across documents; by default every regulation and every topic one of them has."""
    selected = context_docs(docs, doc_ids=doc_ids, jurisdictions=jurisdictions)
    if not doc_ids:
        selected = [d for d in selected if d.meta.kind == "regulation"] or selected
    order = {j: n for n, j in enumerate(dict.fromkeys(d.meta.jurisdiction for d in selected))}
    selected = sorted(selected, key=lambda d: order[d.meta.jurisdiction])
    vocab = load_vocabulary()
    ids = [d.id for d in selected]
    rules = [r for r in table.rules if r.doc_id in ids]
    if topics:
        wanted = [topics] if isinstance(topics, str) else list(topics)
        unknown = [t for t in wanted if not vocab.topic(t)]
        if unknown:
            raise RulesQueryError(f"未知的主题 {', '.join(unknown)}。可用: {', '.join(vocab.keys)}。"
                                  f" Unknown topic; valid: {', '.join(vocab.keys)}.")
    else:
        present = {r.topic for r in rules}
        wanted = [k for k in vocab.keys if k in present and k != OTHER]
    cells, differs = {}, []
    for t in wanted:
        topic = vocab.topic(t)
        values, silent = set(), False
        for d in selected:
            found = [r for r in rules if r.doc_id == d.id and r.topic == t]
            if found:
                r = found[0]
                cells[(t, d.id)] = Cell(text=format_quantity(r.value, r.unit, r.comparator, r.note),
                                        rule_ids=tuple(x.id for x in found), article=r.article)
                values.add(_value_key(found))
            else:
                mentions = tuple(a.label for a in d.articles if any(k in a.text for k in topic.keywords))
                cells[(t, d.id)] = Cell(text="", status=SILENT, searched=topic.keywords, mentions=mentions)
                silent = True
        if len(values) > 1 or (values and silent):  # a rule one document has and another lacks differs too
            differs.append(t)
    return Comparison(
        topics=tuple(wanted), columns=tuple(ids), cells=cells, labels={t: vocab.label(t) for t in wanted},
        headers={d.id: f"{d.meta.jurisdiction}·{short_title(d)}" for d in selected}, differs=tuple(differs),
    )
