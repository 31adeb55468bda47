"""Supervision's writes: all-or-nothing, audited, optimistic-locked where two people may edit."""

from __future__ import annotations

from typing import Any

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import F

from taizhang.accounts.models import User
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Plan
from taizhang.supervision.models import ColourRules

RULE_FIELDS = ("warn_days", "yellow_behind", "red_behind", "red_missing")


def rules_for(plan: Plan) -> ColourRules:
    """The plan's thresholds (an unsaved row with the defaults when it has none yet)."""
    return ColourRules.objects.filter(plan=plan).first() or ColourRules(plan=plan)


def check_rules(values: dict[str, Any]) -> None:
    if values["yellow_behind"] >= values["red_behind"]:
        raise DomainError("黄色的落后百分点应小于红色的落后百分点", field="yellow_behind")


def save_colour_rules(plan: Plan, values: dict[str, Any], expected_version: int, user: User) -> ColourRules:
    """Set a plan's thresholds (those who manage the plan). Saving recolours the plan's tasks
    (``signals``), after the commit."""
    if not permissions.plan_capabilities(user, plan).can_manage:
        raise PermissionDenied("只有该计划的督查人员可以修改四色规则")
    check_rules(values)
    with transaction.atomic(), set_actor(user):
        # The defaults a form showed before any row existed are version 1; the first save makes
        # version 2, so a second form loaded from those defaults is stale like any other.
        rules, created = ColourRules.objects.get_or_create(plan=plan, defaults={**values, "version": 2})
        if created:
            if expected_version != 1:
                raise StaleVersion()
            return rules
        claimed = ColourRules.objects.filter(pk=rules.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleVersion()
        rules.refresh_from_db()
        for name in RULE_FIELDS:
            setattr(rules, name, values[name])
        rules.full_clean()
        rules.save()
        return rules
