"""Answering for the servers: the web chat and the HTTP API share one way to ask.

``ask`` applies the server's input limits, trims the conversation history, resolves the
jurisdiction filter and computes the answer behind ``ENGINE_GATE`` (at most one answer per
CPU core at a time); it returns the typed ``Answer``, which each surface renders at its edge
(the API as Answer JSON, the chat as markdown). Neither the API nor the UI imports the other
for this.
"""

from __future__ import annotations

import os
import threading

from .config import Settings
from .errors import BadQuestionError
from .types import Answer

MAX_HISTORY_MESSAGES = 20  # older turns are dropped (follow-ups need only the recent ones)
MAX_HISTORY_CHARS = 12_000
# An answer is CPU work (query embedding, then Python); more answers at once than cores only
# trade the GIL and torch threads back and forth. Requests beyond it wait their turn.
ENGINE_GATE = threading.BoundedSemaphore(max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                             else (os.cpu_count() or 1)))


def trim_history(history: list[dict], *, max_messages: int = MAX_HISTORY_MESSAGES,
                 max_chars: int = MAX_HISTORY_CHARS) -> list[dict]:
    """The most recent turns that fit both limits (system turns are dropped)."""
    turns = [h for h in history if h.get("role") in ("user", "assistant") and (h.get("content") or "").strip()]
    turns = turns[-max_messages:]
    out, used = [], 0
    for turn in reversed(turns):
        used += len(turn["content"])
        if used > max_chars and out:
            break
        out.append({"role": turn["role"], "content": turn["content"][-max_chars:]})
    return list(reversed(out))


def scope(engine, jurisdiction):
    """One jurisdiction filters; several (a comparison) are validated and left to the question."""
    if isinstance(jurisdiction, list):
        names = [j for j in jurisdiction if j and j.strip()]
        if len(names) > 1:
            from .corpus import jurisdictions
            from .jurisdictions import corpus_names, resolve

            known = jurisdictions(engine.docs)
            for name in names:
                resolve(name, known, aliases=corpus_names(engine.docs))
            return None
        return names[0] if names else None
    return jurisdiction or None


def ask(engine, settings: Settings, question: str, *, jurisdiction=None, doc_id=None, history=()) -> Answer:
    """engine.ask with the server's own input limits applied first."""
    question = (question or "").strip()
    if not question:
        raise BadQuestionError("问题为空，请输入一个问题。 The question is empty.")
    if len(question) > settings.max_question_chars:
        raise BadQuestionError(f"问题过长（{len(question)} 字，上限 {settings.max_question_chars} 字），请精简后再问。"
                               f" The question is too long (limit {settings.max_question_chars} characters).")
    where, turns = scope(engine, jurisdiction), tuple(trim_history(list(history)))
    with ENGINE_GATE:
        return engine.ask(question, jurisdiction=where, doc_id=doc_id or None, history=turns)
