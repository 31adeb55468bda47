"""Writes of indicators and their values: all-or-nothing, audited, optimistically locked.

Permission checks are ``indicators.permissions``'; a refusal is a Chinese ``DomainError``. Values
of a period are saved as a batch (the entry screen, the Excel upload): every row is checked first,
and nothing is saved unless every row passes (``BatchError`` names each failing row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from taizhang.accounts.models import Unit, User
from taizhang.indicators import permissions
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.ledger.audit import acting_as
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Plan, SourceDocument
from taizhang.ledger.periods import period_label

EDITABLE = (
    "name",
    "measure",
    "target",
    "last_year",
    "owner_unit",
    "periodicity",
    "accumulation",
    "direction",
)
NOT_DEFINER = "只有该计划的督查人员可以设置指标"


class BatchError(DomainError):
    """Some rows of a batch are refused; ``rows`` maps a row key to its Chinese messages."""

    def __init__(self, rows: dict[Any, list[str]]) -> None:
        super().__init__(f"有 {len(rows)} 项未通过检查，均未保存，请修改后重新提交")
        self.rows = rows


@dataclass
class IndicatorDraft:
    name: str
    owner_unit: Unit
    measure: str = ""
    target: Decimal | None = None
    last_year: Decimal | None = None
    periodicity: str = "monthly"
    accumulation: str = "cumulative"
    direction: str = "higher"
    source_document: SourceDocument | None = None
    source_line: int | None = None


def default_periodicity(plan: Plan) -> str:
    """The plan's cadence; a weekly plan's indicators are monthly (no office counts weekly)."""
    return "quarterly" if plan.cadence == "quarterly" else "monthly"


def _check_name(plan: Plan, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise DomainError("请填写指标名称", field="name")
    taken = Indicator.objects.filter(plan=plan, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(f"本计划已有名为“{name}”的指标", field="name")
    return name


def create_indicators(plan: Plan, user: User, drafts: Sequence[IndicatorDraft]) -> list[Indicator]:
    """Create several indicators at once (by hand: one; from the plan's document: many)."""
    if not permissions.may_define(user, plan):
        raise PermissionDenied(NOT_DEFINER)
    if not drafts:
        raise DomainError("没有要创建的指标")
    names = [d.name.strip() for d in drafts]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DomainError(f"指标名称重复：{'、'.join(twice)}", field="name")
    made = []
    with transaction.atomic(), acting_as(user):
        start = (Indicator.objects.filter(plan=plan).aggregate(m=Max("sort_order"))["m"] or 0) + 1
        for offset, draft in enumerate(drafts):
            made.append(
                Indicator.objects.create(
                    plan=plan,
                    name=_check_name(plan, draft.name),
                    measure=draft.measure.strip(),
                    target=draft.target,
                    last_year=draft.last_year,
                    owner_unit=draft.owner_unit,
                    periodicity=draft.periodicity,
                    accumulation=draft.accumulation,
                    direction=draft.direction,
                    source_document=draft.source_document,
                    source_line=draft.source_line,
                    sort_order=start + offset,
                    created_by=user,
                )
            )
    return made


def update_indicator(
    indicator: Indicator, user: User, changes: dict[str, Any], *, expected_version: int
) -> Indicator:
    if not permissions.indicator_capabilities(user, indicator).can_define:
        raise PermissionDenied(NOT_DEFINER)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}")
    if (
        "periodicity" in changes
        and changes["periodicity"] != indicator.periodicity
        and indicator.values.exists()
    ):
        raise DomainError("该指标已有填报数据，不能更改报送周期", field="periodicity")
    with transaction.atomic(), acting_as(user):
        if "name" in changes:
            changes["name"] = _check_name(indicator.plan, changes["name"], exclude=indicator.pk)
        claimed = Indicator.objects.filter(pk=indicator.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleVersion()
        fresh = Indicator.objects.select_related("plan", "owner_unit").get(pk=indicator.pk)
        for name, value in changes.items():
            setattr(fresh, name, value)
        fresh.save()
    return fresh


# --- values -------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One indicator's value for the period, as entered; ``expected_version`` is the version the
    user saw (0: there was no value yet)."""

    indicator: Indicator
    value: Decimal
    expected_version: int = 0
    last_year_value: Decimal | None = None
    rank: int | None = None
    rank_of: int | None = None
    note: str = ""
    key: Any = None  # how the caller names the row in errors (a form prefix, an Excel row)

    def fields(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "last_year_value": self.last_year_value,
            "rank": self.rank,
            "rank_of": self.rank_of,
            "note": self.note.strip(),
        }


@dataclass
class Saved:
    created: list[IndicatorValue] = field(default_factory=list)
    updated: list[IndicatorValue] = field(default_factory=list)
    unchanged: int = 0


def _row_problems(user: User, entry: Entry, period: str, as_of: dt.date) -> list[str]:
    indicator = entry.indicator
    if not permissions.indicator_capabilities(user, indicator).can_enter:
        return [f"您不能填报“{indicator.name}”（只有其责任单位的填报员可以填报）"]
    refusal = permissions.entry_refusal(user, indicator.plan, period, indicator.periodicity, as_of)
    if refusal:
        return [refusal]
    found = []
    if entry.rank is not None and entry.rank_of is not None and entry.rank > entry.rank_of:
        found.append(f"排名第{entry.rank}位超过了参评总数{entry.rank_of}")
    if entry.rank_of is not None and entry.rank is None:
        found.append("填写了参评总数，请同时填写排名")
    return found


def save_values(
    user: User, period: str, entries: Sequence[Entry], *, now: dt.datetime | None = None
) -> Saved:
    """Save one period's values of several indicators, all or nothing (``BatchError``).

    A row whose ``expected_version`` is no longer the stored one (someone saved in between) is a
    ``StaleVersion`` row error, so nobody overwrites a value they have not seen."""
    now = now or timezone.now()
    as_of = timezone.localtime(now).date()
    errors: dict[Any, list[str]] = {}
    seen: set[int] = set()
    for entry in entries:
        key = entry.key if entry.key is not None else entry.indicator.pk
        found = _row_problems(user, entry, period, as_of)
        if entry.indicator.pk in seen:
            found.append(f"“{entry.indicator.name}”重复填写")
        seen.add(entry.indicator.pk)
        if found:
            errors[key] = found
    if errors:
        raise BatchError(errors)
    saved = Saved()
    try:
        with transaction.atomic(), acting_as(user):
            stored = {
                v.indicator_id: v
                for v in IndicatorValue.objects.select_for_update().filter(
                    indicator__in=[e.indicator for e in entries], period=period
                )
            }
            for entry in entries:
                key = entry.key if entry.key is not None else entry.indicator.pk
                current = stored.get(entry.indicator.pk)
                wanted = entry.fields()
                if current is None:
                    if entry.expected_version:
                        errors[key] = [StaleVersion().message]
                        continue
                    saved.created.append(
                        IndicatorValue.objects.create(
                            indicator=entry.indicator,
                            period=period,
                            entered_by=user,
                            entered_at=now,
                            **wanted,
                        )
                    )
                    continue
                if current.version != entry.expected_version:
                    errors[key] = [
                        f"{period_label(period)}的数值已被他人修改为 {current.value.normalize():f}，"
                        "请刷新页面后重新填写，以免覆盖他人的修改"
                    ]
                    continue
                if all(getattr(current, name) == value for name, value in wanted.items()):
                    saved.unchanged += 1
                    continue
                for name, value in wanted.items():
                    setattr(current, name, value)
                current.entered_by = user
                current.entered_at = now
                current.version += 1
                current.save()
                saved.updated.append(current)
            if errors:
                raise BatchError(errors)
    except IntegrityError:
        # two first entries of the same value at once: the other one came first
        raise BatchError({None: [StaleVersion().message]}) from None
    return saved
