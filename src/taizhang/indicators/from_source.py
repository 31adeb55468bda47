"""从计划文件生成指标: the target indicators (``kind: target``) the document engine reads in the
plan's source document, offered as candidate indicators to confirm.

The document is parsed again on every request (the engine is deterministic), so nothing waits in
the session: the preview lists the candidates; confirming creates the chosen ones in one
transaction (``services.create_indicators``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from taizhang import reports
from taizhang.indicators.models import Accumulation
from taizhang.indicators.xlsx import parse_number
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan

MONEY = ("元", "万元", "亿元", "万美元", "亿美元")


@dataclass
class Candidate:
    line: int
    name: str
    measure: str
    target: Decimal | None
    written: str  # the value as the document writes it ("xx" stays a mask)
    accumulation: str
    exists: bool = False


def read_source(plan: Plan) -> reports.ParseResult:
    source = plan.source
    if source is None:
        raise DomainError("本计划没有来源文件（不是从文件导入的），无法从计划文件生成指标")
    data: bytes | None
    try:
        with source.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError, OSError):
        data = None
    try:
        if data:
            return reports.parse_bytes(data, source.original_name)
        return reports.parse_text(source.text, source.original_name)
    except reports.InputError as err:
        raise DomainError(str(err)) from None


def candidates(plan: Plan, result: reports.ParseResult) -> list[Candidate]:
    """The target indicators of the document, one per name (the first mention wins)."""
    taken = set(plan.indicators.values_list("name", flat=True))
    out: list[Candidate] = []
    seen: set[str] = set()
    for document in result.documents:
        for item in document.indicators:
            if item.kind != "target":
                continue
            name = item.name.strip()
            # "地区生产总值增长6%": the target is the growth rate, not the amount
            if item.change and item.change.startswith("增长") and item.unit == "%":
                name = f"{name}增速"
            name = name[:100]
            if not name or name in seen:
                continue
            seen.add(name)
            try:
                target: Decimal | None = parse_number(item.value)
            except ValueError:
                target = None
            out.append(
                Candidate(
                    line=item.line,
                    name=name,
                    measure=item.unit[:20],
                    target=target,
                    written=item.value,
                    accumulation=Accumulation.CUMULATIVE if item.unit in MONEY else Accumulation.LEVEL,
                    exists=name in taken,
                )
            )
    return out
