"""Who may see and do what with each ledger object: the one place that decides.

Every screen, the API and every service asks here, in healthchecks' manner: one "get the object
for this user" helper per object type, returning the object and what the user may do with it
(``Capabilities``). An object the user may not see is a ``Http404`` exactly like a missing one;
a visible object the user may not act on is refused by the caller (403 / ``PermissionDenied``).

The rules (DOMAIN.md §1; a user's *scope* is their unit and all units below it):

- **view** a task: admins and the root unit's supervisors and leaders see everything; the
  supervisors and leaders of the plan's owner unit (in scope) see all its tasks; anyone whose
  scope holds the task's lead unit or one of its co-operating units sees the task. A reporter of
  the owner unit sees only the tasks their unit leads or co-operates on.
- **manage** a task (fields, units, deadline, status; decide change requests): a supervisor whose
  scope holds the plan's owner unit. A bureau's supervisor does not manage the county plan's tasks
  its bureau leads.
- **review** a task's reports: the same supervisors — a lead unit's supervisor reviews its own
  unit's reports only in plans its unit owns.
- **report** (the task's progress report and its milestones): a reporter whose scope holds the
  lead unit. **co-report** (配合情况, the co-unit's own note per period): a reporter whose scope
  holds a co-operating unit but not the lead unit; it never touches the lead unit's report or
  milestones.
- **comment** (批示): a leader or supervisor whose scope holds the plan's owner or the lead unit.
- **request a change** (延期申请 / 调整申请): anyone but an admin whose scope holds the lead unit,
  and not the owner side (who decides) — a unit asks for what it may not do itself.
- **create plans** for a unit: admins, or a supervisor whose scope holds the unit.

A user who is anonymous, inactive or (admins apart) without a unit may do nothing: ``actor`` reads
such a user as holding no unit and seeing nothing, so no rule needs a separate check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from taizhang.accounts.models import Unit, User
from taizhang.accounts.units import scope_unit_ids, sees_everything
from taizhang.ledger.models import (
    Attachment,
    ChangeRequest,
    Comment,
    Milestone,
    Plan,
    ProgressReport,
    SourceDocument,
    Task,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.models import AnonymousUser

    AnyUser: TypeAlias = User | AnonymousUser

_T = TypeVar("_T")

NOT_FOUND_TASK = "任务不存在或不在您的管辖范围内"
NOT_FOUND_PLAN = "计划不存在或不在您的管辖范围内"
NOT_FOUND_REPORT = "进展报告不存在或不在您的管辖范围内"
NOT_FOUND_FILE = "文件不存在或不在您的管辖范围内"
NOT_FOUND_COMMENT = "批示不存在或不在您的管辖范围内"
NOT_FOUND_REQUEST = "申请不存在或不在您的管辖范围内"


@dataclass(frozen=True)
class Capabilities:
    """What one user may do with one task (and the reports, files, comments hanging from it)."""

    can_view: bool = False
    can_manage: bool = False
    can_review: bool = False
    can_report: bool = False
    can_co_report: bool = False
    can_comment: bool = False
    can_request_change: bool = False

    @property
    def can_mark_milestones(self) -> bool:
        return self.can_manage or self.can_report


NOTHING = Capabilities()


@dataclass(frozen=True)
class PlanCapabilities:
    can_view: bool = False
    can_view_all_tasks: bool = False  # the owner's side: every task, the source document
    can_manage: bool = False


@dataclass(frozen=True)
class Actor:
    """The facts about a user the rules need, read once (the unit tree is one query)."""

    active: bool = False
    admin: bool = False
    reporter: bool = False
    supervisor: bool = False
    leader: bool = False
    unit_ids: frozenset[int] = frozenset()
    everything: bool = False

    def holds(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.unit_ids

    def owns(self, owner_unit_id: int | None) -> bool:
        """The owner side of a plan: a supervisor or leader whose scope holds its owner unit."""
        return not self.reporter and self.holds(owner_unit_id)


def actor(user: AnyUser | Actor) -> Actor:
    if isinstance(user, Actor):
        return user
    if not (user.is_authenticated and user.is_active):
        return Actor()
    assert isinstance(user, User)
    # One read of the unit tree per user object (a request's user): pages ask many questions.
    key = (user.role, user.unit_id, user.is_superuser)
    cached = getattr(user, "_taizhang_actor", None)
    if cached is not None and cached[0] == key:
        found: Actor = cached[1]
        return found
    made = Actor(
        active=True,
        admin=user.is_admin_role,
        reporter=user.is_reporter,
        supervisor=user.is_supervisor,
        leader=user.is_leader,
        unit_ids=frozenset(scope_unit_ids(user)),
        everything=sees_everything(user),
    )
    user._taizhang_actor = (key, made)  # type: ignore[attr-defined]
    return made


# --- the rules, on plain values -----------------------------------------------------------------


def capabilities(
    who: AnyUser | Actor, *, owner_unit_id: int | None, lead_unit_id: int | None, co_unit_ids: Iterable[int]
) -> Capabilities:
    """What ``who`` may do with a task of a plan owned by ``owner_unit_id``."""
    a = actor(who)  # an inactive user holds no unit and sees nothing: no separate check
    lead = a.holds(lead_unit_id)
    co = any(a.holds(pk) for pk in co_unit_ids)
    owner = a.owns(owner_unit_id)
    if not (a.everything or owner or lead or co):
        return NOTHING
    manage = a.supervisor and owner
    return Capabilities(
        can_view=True,
        can_manage=manage,
        can_review=manage,
        can_report=a.reporter and lead,
        can_co_report=a.reporter and co and not lead,
        can_comment=(a.leader or a.supervisor) and (owner or lead),
        can_request_change=not a.admin and lead and not owner,
    )


def task_capabilities(who: AnyUser | Actor, task: Task) -> Capabilities:
    return capabilities(
        who,
        owner_unit_id=task.plan.owner_unit_id,
        lead_unit_id=task.lead_unit_id,
        co_unit_ids=_co_unit_ids(task),
    )


def _co_unit_ids(task: Task) -> list[int]:
    cache = getattr(task, "_prefetched_objects_cache", {})
    if "co_units" in cache:
        return [u.pk for u in cache["co_units"]]
    return list(task.co_units.values_list("pk", flat=True))


def plan_capabilities(who: AnyUser | Actor, plan: Plan) -> PlanCapabilities:
    a = actor(who)
    owner_side = a.everything or a.owns(plan.owner_unit_id)
    visible = owner_side or tasks_in_scope(a).filter(plan=plan).exists()
    return PlanCapabilities(
        can_view=visible,
        can_view_all_tasks=owner_side,
        can_manage=a.supervisor and a.owns(plan.owner_unit_id),
    )


def follows_plans(who: AnyUser | Actor) -> bool:
    """Leaders, supervisors and admins follow plans as a whole (the cockpit); reporters report."""
    a = actor(who)
    return a.active and not a.reporter


def may_create_plan_for(who: AnyUser | Actor, unit: Unit) -> bool:
    """Create or import a plan owned by ``unit``: admins, or a supervisor whose scope holds it."""
    a = actor(who)
    return a.admin or (a.supervisor and a.holds(unit.pk))


def plan_owner_units(who: AnyUser | Actor) -> QuerySet[Unit]:
    """The (active) units ``who`` may create plans for — ``may_create_plan_for`` as a queryset."""
    a = actor(who)
    if a.admin:
        return Unit.objects.filter(is_active=True)
    if a.supervisor:
        return Unit.objects.filter(pk__in=a.unit_ids, is_active=True)
    return Unit.objects.none()


def assignable_units(who: AnyUser | Actor) -> QuerySet[Unit]:
    """Units a manager may give a task to (lead or co-operate): the active units in their scope
    (every unit for those who see everything). Units already on a task may stay."""
    a = actor(who)
    if a.everything:
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(pk__in=a.unit_ids, is_active=True)


def units_outside_assignment(who: AnyUser | Actor, wanted: Iterable[Unit], kept: Iterable[int]) -> list[Unit]:
    """The units of ``wanted`` that ``who`` may not newly assign (those in ``kept`` may stay)."""
    a = actor(who)
    kept_ids = set(kept)
    return [u for u in wanted if u.pk not in kept_ids and not (a.everything or a.holds(u.pk))]


# --- querysets (the same rules, for lists and counts) -------------------------------------------


def _touching(unit_ids: Iterable[int]) -> Q:
    ids = list(unit_ids)
    co_task_ids = Task.co_units.through.objects.filter(unit_id__in=ids).values("task_id")
    return Q(lead_unit_id__in=ids) | Q(pk__in=co_task_ids)


def tasks_in_scope(who: AnyUser | Actor) -> QuerySet[Task]:
    """Every task ``who`` may see (``Capabilities.can_view``), without duplicates."""
    a = actor(who)
    if a.everything:
        return Task.objects.all()
    condition = _touching(a.unit_ids)
    if not a.reporter:
        condition |= Q(plan__owner_unit_id__in=a.unit_ids)
    return Task.objects.filter(condition)


def tasks_managed(who: AnyUser | Actor) -> QuerySet[Task]:
    """The tasks ``who`` manages and reviews (``can_manage`` / ``can_review``)."""
    a = actor(who)
    if not a.supervisor:
        return Task.objects.none()
    return Task.objects.filter(plan__owner_unit_id__in=a.unit_ids)


def tasks_reported(who: AnyUser | Actor) -> QuerySet[Task]:
    """The tasks whose lead-unit report ``who`` files (``can_report``)."""
    a = actor(who)
    if not a.reporter:
        return Task.objects.none()
    return Task.objects.filter(lead_unit_id__in=a.unit_ids)


def plans_in_scope(who: AnyUser | Actor) -> QuerySet[Plan]:
    """Plans ``who`` may open (``PlanCapabilities.can_view``): the owner side's plans (an empty
    one included) and any plan holding a task ``who`` sees."""
    a = actor(who)
    if a.everything:
        return Plan.objects.all()
    condition = Q(pk__in=tasks_in_scope(a).order_by().values("plan_id"))
    if not a.reporter:
        condition |= Q(owner_unit_id__in=a.unit_ids)
    return Plan.objects.filter(condition)


def reports_in_scope(who: AnyUser | Actor) -> QuerySet[ProgressReport]:
    a = actor(who)
    if a.everything:
        return ProgressReport.objects.all()
    return ProgressReport.objects.filter(task__in=tasks_in_scope(a).order_by().values("pk"))


def reports_to_review(who: AnyUser | Actor) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_managed(who).order_by().values("pk"))


def reports_followed(who: AnyUser | Actor) -> QuerySet[ProgressReport]:
    """The reports whose review ``who`` follows: a supervisor's own to review; for the others who
    watch (admins, leaders) every report they see."""
    a = actor(who)
    return reports_to_review(a) if a.supervisor else reports_in_scope(a)


def comments_in_scope(who: AnyUser | Actor) -> QuerySet[Comment]:
    a = actor(who)
    if a.everything:
        return Comment.objects.all()
    return Comment.objects.filter(task__in=tasks_in_scope(a).order_by().values("pk"))


# --- one object for one user --------------------------------------------------------------------

TASK_RELATED = ("plan", "plan__owner_unit", "lead_unit", "leader", "source")


def _visible_through_task(
    user: AnyUser, obj: _T | None, task_of: Callable[[_T], Task], not_found: str
) -> tuple[_T, Capabilities]:
    """An object hanging from a task, with the capabilities on that task: missing and not visible
    are the same 404 (one message, so a 404 never tells which)."""
    if obj is None:
        raise Http404(not_found)
    caps = task_capabilities(user, task_of(obj))
    if not caps.can_view:
        raise Http404(not_found)
    return obj, caps


def get_task_for_user(user: AnyUser, pk: Any) -> tuple[Task, Capabilities]:
    """The task and what ``user`` may do with it; ``Http404`` when missing or not visible."""
    task = Task.objects.select_related(*TASK_RELATED).filter(pk=object_id(pk)).first()
    return _visible_through_task(user, task, lambda o: o, NOT_FOUND_TASK)


def get_plan_for_user(user: AnyUser, pk: Any) -> tuple[Plan, PlanCapabilities]:
    plan = Plan.objects.select_related("owner_unit", "source").filter(pk=object_id(pk)).first()
    if plan is None:
        raise Http404(NOT_FOUND_PLAN)
    caps = plan_capabilities(user, plan)
    if not caps.can_view:
        raise Http404(NOT_FOUND_PLAN)
    return plan, caps


def get_report_for_user(user: AnyUser, pk: Any) -> tuple[ProgressReport, Capabilities]:
    """The report (its ``task`` loaded with the plan) and the capabilities on its task."""
    report = (
        ProgressReport.objects.select_related(
            "submitted_by", "reviewer", *(f"task__{r}" for r in TASK_RELATED)
        )
        .filter(pk=object_id(pk))
        .first()
    )
    return _visible_through_task(user, report, lambda o: o.task, NOT_FOUND_REPORT)


def get_attachment_for_user(user: AnyUser, pk: Any) -> tuple[Attachment, Capabilities]:
    attachment = Attachment.objects.select_related("report__task__plan").filter(pk=object_id(pk)).first()
    return _visible_through_task(user, attachment, lambda o: o.report.task, NOT_FOUND_FILE)


def get_comment_for_user(user: AnyUser, pk: Any) -> tuple[Comment, Capabilities]:
    comment = Comment.objects.select_related("task__plan", "author").filter(pk=object_id(pk)).first()
    return _visible_through_task(user, comment, lambda o: o.task, NOT_FOUND_COMMENT)


def get_milestone_for_user(user: AnyUser, pk: Any) -> tuple[Milestone, Capabilities]:
    milestone = Milestone.objects.select_related("task__plan").filter(pk=object_id(pk)).first()
    return _visible_through_task(user, milestone, lambda o: o.task, NOT_FOUND_TASK)


def get_change_request_for_user(user: AnyUser, pk: Any) -> tuple[ChangeRequest, Capabilities]:
    """A 延期申请 / 调整申请 and the capabilities on its task (``can_manage`` decides it)."""
    change = (
        ChangeRequest.objects.select_related(*(f"task__{r}" for r in TASK_RELATED), "new_lead_unit")
        .filter(pk=object_id(pk))
        .first()
    )
    return _visible_through_task(user, change, lambda o: o.task, NOT_FOUND_REQUEST)


def get_source_for_user(user: AnyUser, pk: Any) -> SourceDocument:
    """An imported plan document: for the owner side of a plan made from it (a reporter of the
    owner unit does not get the county's whole plan file)."""
    document = SourceDocument.objects.filter(pk=object_id(pk)).first()
    if document is None:
        raise Http404(NOT_FOUND_FILE)
    a = actor(user)
    owners = Plan.objects.filter(source=document).values_list("owner_unit_id", flat=True)
    if not (a.everything or any(a.owns(owner) for owner in owners)):
        raise Http404(NOT_FOUND_FILE)
    found: SourceDocument = document
    return found


def object_id(pk: Any) -> int:
    """A path or query id as an int; anything else (or out of range) is simply not found."""
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise Http404("未找到") from None
    if not 0 < value < 2**63:
        raise Http404("未找到")
    return value
