"""JSON-lines input files (eval sets, `ask --batch`, `search --batch`): one object per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .errors import AssistantError


class JsonlError(AssistantError):
    """A JSONL input file is missing or has a line that is not a JSON object."""


def read_rows(path: str | Path, *, need_question: bool = False) -> Iterator[tuple[int, dict]]:
    """(line number, object) per non-blank line; a bad line stops with its number.

    ``need_question``: every object must carry a non-empty "question" (eval files).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JsonlError(f"找不到文件 {path.name}。 File not found: {path.name}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JsonlError(f"无法读取 {path.name}（{type(exc).__name__}），需要 UTF-8 的 JSONL 文件。"
                         f" Cannot read {path.name}: a UTF-8 JSONL file is needed.") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise JsonlError(f"{path.name} 第{n}行不是合法的 JSON：{exc.msg}。 {path.name} line {n} is not valid JSON.") from None
        if not isinstance(row, dict):
            raise JsonlError(f"{path.name} 第{n}行不是 JSON 对象。 {path.name} line {n} is not a JSON object.")
        if need_question and not str(row.get("question", "")).strip():
            raise JsonlError(f"{path.name} 第{n}行缺少 question。 {path.name} line {n} has no \"question\".")
        yield n, row
