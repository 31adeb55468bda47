"""Document titles, issuing units and periods (PARSE.md §3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

YEAR = r"(?:\d{4}|[xX]{4})"
_KIND_SUMMARY = r"(?:工作)?(?:总结|开展情况|完成情况|情况报告|情况汇报|述职报告|工作报告)"
_KIND_PLAN = r"(?:计划|打算|思路|安排|谋划|要点|规划|分解表|任务清单|责任清单|任务表|台账)"
_TITLE_KIND = re.compile(rf"{_KIND_SUMMARY}|工作{_KIND_PLAN}|{_KIND_PLAN}")
_PERIOD_WORD = re.compile(rf"{YEAR}\s*年|上半年|下半年|年度|下步|下一步|明年|下一年|今年")
# Words that end an issuing unit's name.
_UNIT_SUFFIX = re.compile(
    r"(?:人民政府|政府|委员会|办公室|管理局|分局|局|委|办|中心|社|厅|院|所|站|队|会|部|处|科|镇|乡|街道|集团|公司)"
)


def looks_like_title(text: str) -> bool:
    """A short line without a final full stop that names a period and a report kind."""
    if not text or len(text) > 60 or text[-1] in "。；;，,：:":
        return False
    if not _PERIOD_WORD.search(text):
        return False
    return bool(_TITLE_KIND.search(text))


# Compiled once: `re.search(str, …)` looks the pattern up in re's cache at every call, a dozen per title.
_YEAR_RE = re.compile(YEAR)
_YEAR_NIAN = re.compile(YEAR + r"\s*年")
_DIGIT_YEAR = re.compile(r"(\d{4})")
_HALF = re.compile(r"上半年|下半年")
_SUMMARY_KIND = re.compile(_KIND_SUMMARY)
_PLAN_KIND = re.compile(_KIND_PLAN)
_NEXT = re.compile(r"下步|下一步|明年|下一年|来年")


def _year_of(token: str) -> str | None:
    m = _DIGIT_YEAR.match(token)
    return m.group(1) if m else None


@dataclass
class TitleInfo:
    unit: str
    summary_period: str | None
    plan_period: str | None
    has_summary: bool
    has_plan: bool
    year: str | None  # the first year named, even when only the plan has one


_SPLIT = re.compile(r"(?:及|和|暨|与|、|并|以及|兼)(?=[^及和暨与、并]*(?:计划|打算|思路|安排|谋划|要点))")


def analyse_title(title: str, header_year: str | None = None) -> TitleInfo:
    """Unit and periods named by a title such as `商务局2023年工作总结及下步工作打算`."""
    first_year = _YEAR_NIAN.search(title)
    half = _HALF.search(title)
    cut = min(m.start() for m in (first_year, half) if m) if (first_year or half) else None
    prefix = title[:cut] if cut is not None else ""
    unit = unit_from_prefix(prefix)

    # Split the title into a summary part and a plan part at the connective before the plan kind.
    summary_part, plan_part = title, ""
    m = _SPLIT.search(title)
    summary_kind = _SUMMARY_KIND.search(title)
    if m and summary_kind and summary_kind.start() < m.start():
        summary_part, plan_part = title[: m.start()], title[m.end() :]
    elif not summary_kind:
        summary_part, plan_part = "", title
    has_summary = bool(_SUMMARY_KIND.search(summary_part))
    has_plan = bool(plan_part and _PLAN_KIND.search(plan_part))

    years = [_year_of(y) for y in _YEAR_RE.findall(title)]
    known = [y for y in years if y]
    masked = len(years) > len(known)
    s_year_m = _YEAR_RE.search(summary_part) if summary_part else None
    s_year = _year_of(s_year_m.group()) if s_year_m else None
    if s_year is None and has_summary and (masked or not s_year_m) and header_year:
        s_year = header_year
    summary_period: str | None = None
    if has_summary and s_year:
        summary_period = s_year
        if "上半年" in summary_part:
            summary_period = s_year + "H1"
        elif "下半年" in summary_part:
            summary_period = s_year + "H2"
    plan_period: str | None = None
    if has_plan:
        p_year_m = _YEAR_RE.search(plan_part)
        p_year = _year_of(p_year_m.group()) if p_year_m else None
        if "下半年" in plan_part and not p_year:
            plan_period = (s_year + "H2") if s_year else None
        elif p_year:
            plan_period = p_year + ("H2" if "下半年" in plan_part else "")
        elif s_year and _NEXT.search(plan_part):
            plan_period = str(int(s_year) + 1)
        elif s_year and not has_summary:
            plan_period = s_year
        elif not p_year and not s_year and header_year and not has_summary:
            plan_period = header_year
    elif not has_summary and known:
        plan_period = known[0]
    return TitleInfo(unit, summary_period, plan_period, has_summary, has_plan, known[0] if known else None)


def unit_from_prefix(prefix: str) -> str:
    """`财政局优化营商环境` -> `财政局`; `交通运输` -> `交通运输`; `` -> ``."""
    # 关于 opens a title's subject ("关于2024年工作计划", "县财政局关于…"): it is never a unit.
    prefix = prefix.strip(" ：:，,").removeprefix("关于").removesuffix("关于").strip(" ：:，,")
    if not prefix:
        return ""
    ends = [m.end() for m in _UNIT_SUFFIX.finditer(prefix)]
    if ends:
        return prefix[: ends[-1]]
    return prefix


# The unit a body names for itself: `2023年以来，xx乡始终…`, `县投资促进中心坚持…`.
_SELF_UNIT = re.compile(
    r"(?:^|[，。；：])\s*((?:[^\s，。；：、“”《》（）()]{0,14}?)"
    r"(?:人民政府|政府|委员会|办公室|管理局|分局|局|委|办|中心|社|乡|镇|街道|集团))"
    r"(?=始终|坚持|认真|深入|紧紧|全面|以|在|围绕|紧扣|紧盯|聚焦|着力|持续|积极|全力|按照|立足|牢牢|结合|把|将|共)"
)
_PRONOUN = re.compile(r"^(?:我|本|全|各|该|市委|县委|区委)")


def unit_from_body(paragraphs: list[str]) -> str:
    for text in paragraphs[:3]:
        for m in _SELF_UNIT.finditer(text):
            cand = m.group(1)
            cand = re.sub(r"^.*?(?:年以来|年来|以来|今年|年)[，,]?", "", cand)
            if cand and not _PRONOUN.match(cand) and len(cand) >= 2:
                return cand
    return ""


# The red letterhead (版头, GB/T 9704) above a title: the issuer's mark `xx县文化旅游体育局文件`,
# the document number `xx政办〔2024〕12号` (after `签发人：…` in reports to a superior), copy
# number, secrecy and urgency marks, and the red rule line. None of it is a title.
_ISSUER_MARK = re.compile(r"^(?P<unit>\S.{1,40}?)\s*文\s*件$")
_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*(?:\d{4}|[xX]{4})\s*[〕\]］】)）]\s*(?:\d+|[xX]+)\s*号")
_MARKS = re.compile(r"^(?:\d{6}|特急|加急|平急|急件|绝密|机密|秘密)(?:[★☆\s].{0,8})?$|^签\s*发\s*人[：:]")
_UNIT_END = re.compile(f"(?:{_UNIT_SUFFIX.pattern})$")
_RULE = re.compile(r"^[\s─━—–\-_=＿═~～*★☆·]+$")


def is_letterhead(text: str) -> bool:
    """A line of the letterhead block that stands above a document's title."""
    if not text or len(text) > 50:
        return False
    if _RULE.match(text) or _MARKS.match(text):
        return True
    if "号" in text and _DOC_NUMBER.search(text) and len(text) <= 40 and "。" not in text:
        return True
    return letterhead_unit(text) != ""


def letterhead_unit(text: str) -> str:
    """The issuing unit of an issuer's mark: `xx县文化旅游体育局文件` -> `xx县文化旅游体育局`. Of a
    joint mark naming its issuers apart (`xx县财政局 xx县教育局文件`), the lead issuer, named first."""
    m = _ISSUER_MARK.match(text) if "件" in text else None
    if m is None:
        return ""
    unit = m.group("unit").strip()
    if _UNIT_END.search(unit) is None or re.search(r"[，。；：,;:]", unit):
        return ""
    names = unit.split()
    if len(names) > 1 and all(issuer_name(name) for name in names):
        return names[0]
    return unit


_JOINT_MARK = re.compile(r"文\s*件")


def is_joint_mark(text: str) -> bool:
    """`文件` on a line of its own: the mark of a joint letterhead, right of its issuers' names."""
    return _JOINT_MARK.fullmatch(text) is not None


def issuer_name(text: str) -> str:
    """`text` if it is a unit's name by itself (`xx县教育局`), else "": a joint letterhead's issuer."""
    if len(text) > 30 or _UNIT_END.search(text) is None or re.search(r"[\s，。；：,;:、]", text):
        return ""
    return text
