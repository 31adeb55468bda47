"""The responsible leader a task's text names (``guess_leader``): "责任领导：…" (and 牵头领导 / 分管领导 /
包抓领导), "分管副县长" (with a name if one follows), "副县长王明牵头"."""

from __future__ import annotations

import re

_LEADER_LABEL = re.compile(
    r"(?:责任领导|牵头领导|分管领导|包抓领导|包联领导|责任县领导)[:：为]\s*([^，,。；;）)\n]{2,30})"
)
_TITLE = r"(?:常务)?副?(?:县|区|市|镇|乡)长"
_PERSON_AFTER = r"(?=牵头|负责|挂帅|统筹|督办|任组长|同志|[）)])"
_LEADER_IN_CHARGE = re.compile(
    rf"(分管(?:副?(?:县|区|市|镇|乡)长|(?:县|区|市)领导|副局长|副主任|领导))([\u4e00-\u9fff]{{2,3}}{_PERSON_AFTER})?"
)
_LEADER_NAMED = re.compile(rf"({_TITLE})([\u4e00-\u9fff]{{2,3}}?){_PERSON_AFTER}")
_LEADER_BY_TITLE = re.compile(rf"由({_TITLE})(?:牵头|负责|挂帅|统筹)")
_NOT_A_NAME = ("牵头", "负责", "统筹", "督办", "挂帅", "同志", "领导", "任组", "亲自", "分管", "具体")


def guess_leader(text: str) -> str:
    """The responsible leader the text names ("责任领导：赵国庆", "分管副县长", "副县长王明牵头"), or ""."""
    m = _LEADER_LABEL.search(text)
    if m:
        return m.group(1).strip()
    m = _LEADER_IN_CHARGE.search(text)
    if m:
        name = m.group(2) or ""
        return m.group(1) + ("" if name.startswith(_NOT_A_NAME) else name)
    for m in _LEADER_NAMED.finditer(text):
        if not m.group(2).startswith(_NOT_A_NAME):
            return m.group(1) + m.group(2)
    m = _LEADER_BY_TITLE.search(text)
    return m.group(1) if m else ""
