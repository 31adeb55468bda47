"""Who may see and do what with a problem of the problem ledger: the one place that decides.

In ``ledger.permissions``' manner (its ``actor`` and plan rule are reused, not restated):

- **view**: those who see everything (admins, the root's supervisors and leaders); the owner side
  of the problem's plan (its supervisors and leaders, ``Actor.owns``); anyone whose scope holds
  the responsible unit.
- **manage** (create, edit, verify and sign off, return, re-open after 回头看; import problems): the
  supervisors who manage the plan (``plan_capabilities(...).can_manage``).
- **rectify** (submit the rectification with its evidence): a reporter whose scope holds the
  responsible unit.

A problem the user may not see is a ``Http404`` exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from taizhang.ledger import permissions
from taizhang.ledger.models import Plan
from taizhang.ledger.permissions import Actor
from taizhang.supervision.problem_models import Problem, ProblemAttachment

if TYPE_CHECKING:
    from taizhang.ledger.permissions import AnyUser

NOT_FOUND_PROBLEM = "问题不存在或不在您的管辖范围内"


@dataclass(frozen=True)
class ProblemCapabilities:
    can_view: bool = False
    can_manage: bool = False
    can_rectify: bool = False


NOTHING = ProblemCapabilities()


def may_manage_problems(who: AnyUser | Actor, plan: Plan) -> bool:
    """Create, import, verify, sign off and re-open the problems of ``plan``."""
    return permissions.plan_capabilities(who, plan).can_manage


def problem_capabilities(who: AnyUser | Actor, problem: Problem) -> ProblemCapabilities:
    a = permissions.actor(who)
    responsible = a.holds(problem.unit_id)
    if not (a.everything or a.owns(problem.plan.owner_unit_id) or responsible):
        return NOTHING
    return ProblemCapabilities(
        can_view=True,
        can_manage=may_manage_problems(a, problem.plan),
        can_rectify=a.reporter and responsible,
    )


def problems_in_scope(who: AnyUser | Actor) -> QuerySet[Problem]:
    """Every problem ``who`` may see (``can_view``), as a queryset."""
    a = permissions.actor(who)
    if a.everything:
        return Problem.objects.all()
    condition = Q(unit_id__in=a.unit_ids)
    if not a.reporter:
        condition |= Q(plan__owner_unit_id__in=a.unit_ids)
    return Problem.objects.filter(condition)


def get_problem_for_user(user: AnyUser, pk: Any) -> tuple[Problem, ProblemCapabilities]:
    problem = (
        Problem.objects.select_related("plan", "plan__owner_unit", "unit", "task", "source_document")
        .filter(pk=permissions.object_id(pk))
        .first()
    )
    if problem is None:
        raise Http404(NOT_FOUND_PROBLEM)
    caps = problem_capabilities(user, problem)
    if not caps.can_view:
        raise Http404(NOT_FOUND_PROBLEM)
    return problem, caps


def get_problem_attachment_for_user(user: AnyUser, pk: Any) -> ProblemAttachment:
    attachment = (
        ProblemAttachment.objects.select_related("problem__plan").filter(pk=permissions.object_id(pk)).first()
    )
    if attachment is None or not problem_capabilities(user, attachment.problem).can_view:
        raise Http404(permissions.NOT_FOUND_FILE)
    found: ProblemAttachment = attachment
    return found
