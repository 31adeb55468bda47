"""League tables for pages and the CLI, the scoring scheme's writes, and publishing (冻结).

The table shown for a month is its ``PublishedRanking`` once published (never recomputed), else
the live one from ``facts`` and ``scores``. The year-to-date table is the **average** of the shown
monthly tables from the plan's first month to the chosen one (an average, not a sum, so a unit
ranked in fewer months — a task given to it mid-year — is not behind for that alone).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from auditlog.context import set_actor
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from taizhang.accounts.models import User
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import period_for
from taizhang.rankings import facts, scores
from taizhang.rankings.models import WEIGHT_FIELDS, PublishedRanking, ScoringScheme
from taizhang.rankings.scores import Line, Row

if TYPE_CHECKING:
    from taizhang.ledger.permissions import AnyUser


def scheme_for(plan: Plan) -> ScoringScheme:
    """The plan's scheme (an unsaved row with the defaults when it has none yet)."""
    return ScoringScheme.objects.filter(plan=plan).first() or ScoringScheme(plan=plan)


def save_scheme(plan: Plan, values: dict[str, Any], expected_version: int, user: User) -> ScoringScheme:
    """Set a plan's weights (those who manage the plan); optimistic-locked, audited."""
    if not permissions.plan_capabilities(user, plan).can_manage:
        raise PermissionDenied("只有该计划的督查人员可以修改评分办法")
    with transaction.atomic(), set_actor(user):
        # Defaults shown before any row existed are version 1; the first save makes version 2.
        scheme, created = ScoringScheme.objects.get_or_create(plan=plan, defaults={**values, "version": 2})
        if created:
            if expected_version != 1:
                raise StaleVersion()
            return scheme
        claimed = ScoringScheme.objects.filter(pk=scheme.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleVersion()
        scheme.refresh_from_db()
        for name in WEIGHT_FIELDS:
            setattr(scheme, name, values[name])
        scheme.full_clean()
        scheme.save()
        return scheme


# --- rows <-> JSON --------------------------------------------------------------------------------


def row_json(row: Row) -> dict[str, Any]:
    """A row as stored in a snapshot (with the unit's id and each rule's count)."""
    return {
        "unit_id": row.unit_id,
        "unit": row.unit,
        "rank": row.rank,
        "score": float(row.score),
        "change": row.change,
        "breakdown": [
            {"rule": li.rule, "points": float(li.points), "count": li.count} for li in row.breakdown
        ],
    }


def row_from_json(data: dict[str, Any]) -> Row:
    lines = tuple(Line(li["rule"], Decimal(str(li["points"])), li.get("count")) for li in data["breakdown"])
    return Row(
        data["unit_id"], data["unit"], Decimal(str(data["score"])), data["rank"], data["change"], lines
    )


def public_json(plan: Plan, period: str, rows: list[Row]) -> dict[str, Any]:
    """The CLI's JSON: ``{"plan", "period", "units": [{"unit", "rank", "score", "change", "breakdown"}]}``."""
    return {
        "plan": plan.pk,
        "period": period,
        "units": [
            {
                "unit": r.unit,
                "rank": r.rank,
                "score": float(r.score),
                "change": r.change,
                "breakdown": [{"rule": li.rule, "points": float(li.points)} for li in r.breakdown],
            }
            for r in rows
        ],
    }


# --- tables ---------------------------------------------------------------------------------------


def published(plan: Plan, month: str) -> PublishedRanking | None:
    return PublishedRanking.objects.filter(plan=plan, period=month).select_related("published_by").first()


def latest_published(plan: Plan) -> PublishedRanking | None:
    """The plan's most recent published month (the table a leader quotes), if any."""
    return PublishedRanking.objects.filter(plan=plan).order_by("-period").first()


def rows_of(snapshot: PublishedRanking) -> list[Row]:
    return [row_from_json(r) for r in snapshot.rows]


def published_ranks(plan: Plan) -> dict[str, dict[int, int]]:
    """{month: {unit id: rank}} of every published month of the plan (for ranks over time)."""
    return {
        period: {r["unit_id"]: r["rank"] for r in rows}
        for period, rows in PublishedRanking.objects.filter(plan=plan).values_list("period", "rows")
    }


def live_table(plan: Plan, month: str, as_of: dt.date) -> list[Row]:
    """The month's table computed now (ranked against the previous month's shown ranks)."""
    facts.check_month(plan, month)
    before = facts.previous_month(month)
    previous = shown_ranks(plan, before, as_of) if before in facts.plan_months(plan) else None
    weights = scheme_for(plan).weights()
    return scores.league(facts.unit_facts(plan, month, as_of), weights, previous)


def shown_ranks(plan: Plan, month: str, as_of: dt.date) -> dict[int, int]:
    """{unit id: rank} of the month's shown table. A rank does not depend on the month before (only
    the change does), so an unpublished month is ranked from its own facts alone: asking a month
    costs one month, not every month back to January."""
    snapshot = published(plan, month)
    if snapshot is not None:
        return {r["unit_id"]: r["rank"] for r in snapshot.rows}
    weights = scheme_for(plan).weights()
    return {r.unit_id: r.rank for r in scores.league(facts.unit_facts(plan, month, as_of), weights)}


def shown_table(plan: Plan, month: str, as_of: dt.date) -> list[Row]:
    """The published snapshot when there is one, else the live table."""
    facts.check_month(plan, month)
    snapshot = published(plan, month)
    if snapshot is not None:
        return rows_of(snapshot)
    return live_table(plan, month, as_of)


def year_to_date(plan: Plan, month: str, as_of: dt.date) -> list[Row]:
    """The average of the shown monthly tables from the plan's first month to ``month``."""
    facts.check_month(plan, month)
    months = facts.plan_months(plan)
    wanted = months[: months.index(month) + 1]
    return scores.average([shown_table(plan, m, as_of) for m in wanted])


def visible_unit_ids(user: AnyUser, plan: Plan) -> set[int] | None:
    """The units whose rows ``user`` sees: every unit for the plan's owner side (``None``), else the
    lead units of the plan's tasks in their scope. Ranks stay those of the whole plan."""
    if permissions.plan_capabilities(user, plan).can_view_all_tasks:
        return None
    ids = permissions.tasks_in_scope(user).filter(plan=plan).order_by().values_list("lead_unit_id", flat=True)
    return {pk for pk in ids if pk is not None}


def default_month(plan: Plan, as_of: dt.date) -> str:
    """Last month (the latest one over), kept within the plan's months."""
    months = facts.plan_months(plan)
    last_month = facts.previous_month(period_for(as_of, "monthly"))
    if last_month < months[0]:
        return months[0]
    return min(last_month, months[-1])


# --- publishing ---------------------------------------------------------------------------------


def publish(
    plan: Plan, month: str, user: User, as_of: dt.date, now: dt.datetime | None = None
) -> PublishedRanking:
    """Freeze the month's table (the plan's supervisors, once the month is over)."""
    if not permissions.plan_capabilities(user, plan).can_manage:
        raise PermissionDenied("只有该计划的督查人员可以发布排名")
    facts.check_month(plan, month)
    _, last = facts.month_bounds(month)
    if last >= as_of:
        raise DomainError(f"{month} 尚未结束，月末之后才能发布排名", field="period")
    if published(plan, month) is not None:
        raise DomainError(f"{month} 的排名已发布，不能重复发布", field="period")
    rows = live_table(plan, month, as_of)
    try:
        with transaction.atomic(), set_actor(user):
            return PublishedRanking.objects.create(
                plan=plan,
                period=month,
                rows=[row_json(r) for r in rows],
                published_at=now or timezone.now(),
                published_by=user,
            )
    except IntegrityError:  # another supervisor published it a moment ago
        raise DomainError(f"{month} 的排名已发布，不能重复发布", field="period") from None
