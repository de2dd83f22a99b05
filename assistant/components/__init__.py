"""Answer components: one module per kind of answer, behind one registry.

Each component is a function ``run(composer, query, hits, writer) -> Draft`` registered for an
intent with a label and an example question. The registry drives the dispatch
(``compose.Composer.compose``), the intent list of ``eval --by-type`` and the web chat's example
questions; adding an intent touches its module, the registration below and its cue words in
data/intents.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Component:
    """An answer component: what it answers (intent, label) and an example question for the chat
    (with the jurisdiction filter it is asked under, "" for none)."""

    intent: str
    run: Callable
    label: str
    example: str = ""
    example_filter: str = ""


REGISTRY: dict[str, Component] = {}
FALLBACK = "other"


def register(intent: str, *, label: str, example: str = "", example_filter: str = "") -> Callable:
    """Register ``run`` as the component of ``intent`` (a second registration is an error)."""
    def add(run: Callable) -> Callable:
        if intent in REGISTRY:
            raise ValueError(f"intent {intent!r} is registered twice ({REGISTRY[intent].run.__module__}, "
                             f"{run.__module__})")
        REGISTRY[intent] = Component(intent, run, label, example, example_filter)
        return run
    return add


def component(intent: str) -> Component:
    """The component for an intent; an intent nobody registered gets the extractive fallback."""
    return REGISTRY.get(intent) or REGISTRY[FALLBACK]


def intents() -> tuple[str, ...]:
    return tuple(REGISTRY)


# The components, registered explicitly, in the order the chat lists them.
from . import (abstain, comparison, count, deadlines, eligibility, extractive, lists, numeric,  # noqa: E402
               procedure)

register("numeric", label="数值", example="重庆的碳计量中心批下来以后，筹建最多给几年？",
         example_filter="重庆")(numeric.numeric)
register("eligibility", label="申请条件", example="申请湖北省级碳计量中心要满足哪些条件？",
         example_filter="湖北")(eligibility.eligibility)
register("timeline", label="时间线", example="我们2024年6月1日拿到重庆碳计量中心的批筹文件，验收申请最晚哪天前得交？",
         example_filter="重庆")(deadlines.timeline)
register("task", label="主要任务", example="湖北省级碳计量中心主要干哪些活？", example_filter="湖北")(lists.task)
register("procedure", label="办理流程", example="在湖北申请碳计量中心，大致走什么流程？",
         example_filter="湖北")(procedure.procedure)
register("comparison", label="对比", example="湖北、重庆、天津的筹建期限一样吗？")(comparison.comparison)
register("revocation", label="撤销情形", example="重庆碳计量中心哪些情况下会被摘牌？",
         example_filter="重庆")(lists.revocation)
register("other", label="其他", example="东营市计量发展有哪些目标？", example_filter="东营")(extractive.extractive)

__all__ = ["Component", "REGISTRY", "register", "component", "intents", "abstain", "count"]
