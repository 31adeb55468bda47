"""Section roles (PARSE.md §4) from heading words."""

from __future__ import annotations

from .lazyre import lazy
from .model import Role

_SUMMARY_DONE = lazy(
    r"完成情况|落实情况|执行情况|开展情况|推进情况|进展情况|工作情况|成效|成绩|总结|回顾|主要工作$"
)
_HIGHLIGHT = lazy(r"亮点|荣誉|获奖|表彰|特色工作")
# Part labels sit at the end of a heading (`三、2024年工作计划`, `二、存在困难和问题`) or follow a
# time word; inside a thematic heading (`创新工作思路，做好…`) the same words mean nothing.
# Each alternative opens with a literal (the search then tries only where one stands; an
# alternative opening with a group is tried at every position).
_PROBLEM = lazy(
    r"问题$|困难$|不足$|短板$|差距$|建议$|挑战$|弱项$|存在.{0,6}(?:问题|困难|不足|短板)"
    r"|问题(?:和|与|及)|困难(?:和|与|及)|不足(?:和|与|及)"
)
_PLAN = lazy(
    r"(?:计划|打算|思路|安排|谋划|要点|设想|展望)$"
    r"|(?:下一步|下步|明年|下半年|下一年|今后).{0,10}(?:计划|打算|思路|安排|谋划|要点|工作)"
    r"|\d{4}年.{0,10}(?:计划|打算|思路|安排|谋划|要点)"
    r"|^下一步"
)
_STUDY = lazy(r"学习贯彻.{0,20}精神")
# Framing parts of a plan document: its aims and safeguards hold no work items.
_FRAMING = lazy(
    r"^(?:总体要求|指导思想|基本原则|总体思路|工作目标|主要目标|目标任务|保障措施|组织保障|工作要求|工作保障)$"
)
# A sub-section overrides its parent's role only when its heading names the part itself.
_NAMED_PROBLEM = r"的?(?:主要)?(?:问题|困难|不足|短板)"
_CHILD_PROBLEM = lazy(
    rf"存在{_NAMED_PROBLEM}|主要{_NAMED_PROBLEM}|面临{_NAMED_PROBLEM}|困难和问题|问题和不足|不足之处|问题与不足"
)
_CHILD_PLAN = lazy(
    r"(?:下一步|下步|明年|下半年|\d{4}年).{0,8}(?:计划|打算|思路|安排|谋划)$|工作(?:计划|打算|思路|安排|谋划)$"
)


def heading_role(heading: str) -> Role | None:
    """The role a top-level heading names, or None for a thematic heading."""
    if _FRAMING.match(heading.strip("：: ")):
        return "other"
    if _SUMMARY_DONE.search(heading) and "存在" not in heading:
        # `工作计划完成情况` reports on last year's plan: a summary.
        return "highlight" if _HIGHLIGHT.search(heading) else "summary"
    if _HIGHLIGHT.search(heading):
        return "highlight"
    if _PLAN.search(heading):
        # `存在问题及下一年工作打算` holds the plan; problems come first only by habit.
        return "plan"
    if _PROBLEM.search(heading):
        return "problem"
    if _STUDY.search(heading):
        return "other"
    return None


def names_part(heading: str, top_level: bool) -> bool:
    """A heading that only names its part (`2026年工作计划`, `（三）存在的主要问题`), not a work item."""
    if top_level:
        return heading_role(heading) is not None
    return bool(_CHILD_PROBLEM.search(heading) or _CHILD_PLAN.search(heading))


def child_role(heading: str, parent: Role) -> Role:
    """Sub-sections inherit, unless their heading clearly names another part."""
    if parent != "problem" and _CHILD_PROBLEM.search(heading):
        return "problem"
    if parent != "plan" and _CHILD_PLAN.search(heading):
        return "plan"
    return parent


def is_label(head: str) -> bool:
    """A run-in head that labels its paragraph (`总体思路。…`, `下一步工作打算。…`) rather than names work."""
    return bool(_FRAMING.match(head.strip("：: "))) or names_part(head, top_level=False)
