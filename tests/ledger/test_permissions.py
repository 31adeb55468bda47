"""The permission module: who may do what with which task, plan, report, file and comment.

Besides the county plan of ``conftest`` (owned by the root), an **office plan**: owned by
县政府办公室 (a non-root unit, the real 督查室 case) with tasks led by the bureaus. Expectations are
written out by hand per (user, task); the querysets must agree with the per-object rules on every
pair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import Http404

from taizhang.accounts.models import Role
from taizhang.ledger import permissions as perms
from taizhang.ledger.models import Attachment, Comment, Plan, ProgressReport, SourceDocument, Task
from tests.conftest import at

pytestmark = pytest.mark.django_db

V, M, R, P, C, K, Q = "view", "manage", "review", "report", "co_report", "comment", "request"
FLAGS = {
    V: "can_view",
    M: "can_manage",
    R: "can_review",
    P: "can_report",
    C: "can_co_report",
    K: "can_comment",
    Q: "can_request_change",
}


@pytest.fixture
def office(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace, make_user: Callable[..., Any]
) -> SimpleNamespace:
    """县政府办公室's plan: 交通局 leads ``road`` with 住建局 co-operating; the office leads ``own``."""
    people.office_supervisor = make_user("bgs_duchashi", Role.SUPERVISOR, org.office)
    people.office_leader = make_user("bgs_zhuren", Role.LEADER, org.office)
    people.office_reporter = make_user("bgs_tianbao", Role.REPORTER, org.office)
    people.housing_supervisor = make_user("zj_duchashi", Role.SUPERVISOR, org.housing)
    people.root_reporter = make_user("xzf_tianbao", Role.REPORTER, org.root)
    people.orphan_admin = make_user("it", Role.ADMIN, None)
    people.bureau_admin = make_user("jt_it", Role.ADMIN, org.transport)
    plan = Plan.objects.create(year=2026, owner_unit=org.office, title="县政府办公室督查事项")
    road = Task.objects.create(
        plan=plan, seq=1, title="国道改线", lead_unit=org.transport, deadline=dt.date(2026, 12, 31)
    )
    road.co_units.set([org.housing])
    own = Task.objects.create(plan=plan, seq=2, title="督查通报", lead_unit=org.office)
    bureau_plan = Plan.objects.create(year=2026, owner_unit=org.transport, title="交通局工作要点")
    bureau_task = Task.objects.create(plan=bureau_plan, seq=1, title="农村公路养护", lead_unit=org.section)
    bureau_task.co_units.set([org.town])
    empty = Plan.objects.create(year=2026, owner_unit=org.office, title="办公室尚无任务的计划")
    return SimpleNamespace(
        plan=plan, road=road, own=own, bureau_plan=bureau_plan, bureau_task=bureau_task, empty=empty
    )


# (user, task) → the capabilities expected, by hand. Tasks: county ``transport`` (lead 交通局, co
# 住建局), county ``housing``, county ``town`` (lead 青石镇, co 交通局), office ``road`` (lead 交通局,
# co 住建局), office ``own``, bureau ``bureau_task`` (交通局's plan, lead 公路建设股, co 青石镇).
EXPECTED: dict[tuple[str, str], set[str]] = {
    # the root's supervisor owns every plan (the root's scope holds every owner unit)
    ("supervisor", "transport"): {V, M, R, K},
    ("supervisor", "road"): {V, M, R, K},
    ("supervisor", "bureau_task"): {V, M, R, K},
    ("leader", "transport"): {V, K},
    ("leader", "road"): {V, K},
    ("admin", "transport"): {V},
    ("orphan_admin", "road"): {V},
    ("orphan_admin", "bureau_task"): {V},
    # an admin placed in a bureau that leads the task: sees it, asks for nothing (requests are a
    # unit's, and an admin is not acting for one)
    ("bureau_admin", "transport"): {V},
    ("bureau_admin", "road"): {V},
    ("bureau_admin", "bureau_task"): {V},
    # a bureau's supervisor on the county plan: its bureau leads, but it does not own the plan
    ("bureau_supervisor", "transport"): {V, K, Q},
    ("bureau_supervisor", "town"): {V},  # co-unit supervisor
    ("bureau_supervisor", "housing"): set(),
    ("bureau_supervisor", "road"): {V, K, Q},
    ("bureau_supervisor", "own"): set(),
    ("bureau_supervisor", "bureau_task"): {V, M, R, K},  # its own plan
    ("bureau_leader", "transport"): {V, K, Q},
    ("bureau_leader", "town"): {V},
    ("bureau_leader", "bureau_task"): {V, K},
    # the lead unit's reporter reports; a co-unit's reporter only co-reports
    ("reporter", "transport"): {V, P, Q},
    ("reporter", "town"): {V, C},
    ("reporter", "road"): {V, P, Q},
    ("reporter", "bureau_task"): {V, P, Q},  # 公路建设股 is in 交通局's subtree
    ("section_reporter", "transport"): set(),
    ("section_reporter", "bureau_task"): {V, P, Q},
    ("housing_reporter", "transport"): {V, C},
    ("housing_reporter", "road"): {V, C},
    ("housing_reporter", "housing"): {V, P, Q},
    ("housing_supervisor", "transport"): {V},  # co-unit supervisor
    ("housing_supervisor", "road"): {V},
    ("housing_supervisor", "housing"): {V, K, Q},
    ("town_reporter", "bureau_task"): {V, C},
    ("town_reporter", "road"): set(),
    # the office owns its plan: sees, reviews, manages and comments on every task of it
    ("office_supervisor", "road"): {V, M, R, K},
    ("office_supervisor", "own"): {V, M, R, K},
    ("office_supervisor", "transport"): set(),
    ("office_leader", "road"): {V, K},
    ("office_leader", "own"): {V, K},  # the owner side decides, it does not ask
    # the office's reporter sees only what the office leads
    ("office_reporter", "road"): set(),
    ("office_reporter", "own"): {V, P, Q},
    ("office_reporter", "transport"): set(),
    # a reporter in the root unit: the subtree rule, no owner-side rights
    ("root_reporter", "transport"): {V, P, Q},
    ("root_reporter", "road"): {V, P, Q},
    ("root_reporter", "own"): {V, P, Q},
}


def _tasks(ledger: SimpleNamespace, office: SimpleNamespace) -> dict[str, Task]:
    return {
        "transport": ledger.transport,
        "housing": ledger.housing,
        "town": ledger.town,
        "road": office.road,
        "own": office.own,
        "bureau_task": office.bureau_task,
    }


@pytest.mark.parametrize(("who", "task"), sorted(EXPECTED))
def test_capabilities(
    who: str, task: str, people: SimpleNamespace, ledger: SimpleNamespace, office: SimpleNamespace
) -> None:
    caps = perms.task_capabilities(getattr(people, who), _tasks(ledger, office)[task])
    granted = {flag for flag, attr in FLAGS.items() if getattr(caps, attr)}
    assert granted == EXPECTED[(who, task)]
    assert caps.can_mark_milestones == (M in granted or P in granted)


def test_querysets_agree_with_the_object_rules(
    people: SimpleNamespace, ledger: SimpleNamespace, office: SimpleNamespace
) -> None:
    tasks = _tasks(ledger, office)
    plans = [ledger.plan, office.plan, office.bureau_plan, office.empty]
    reports, comments = {}, {}
    for task in tasks.values():
        reports[task.pk] = ProgressReport.objects.create(
            task=task, period="2026-03", text="进展", percent=10, submitted_at=at("2026-04-02")
        ).pk
        comments[task.pk] = Comment.objects.create(task=task, author=people.leader, text="批示").pk
    for name, user in vars(people).items():
        seen_reports = set(perms.reports_in_scope(user).values_list("pk", flat=True))
        review_reports = set(perms.reports_to_review(user).values_list("pk", flat=True))
        followed = set(perms.reports_followed(user).values_list("pk", flat=True))
        seen_comments = set(perms.comments_in_scope(user).values_list("pk", flat=True))
        seen = set(perms.tasks_in_scope(user).values_list("pk", flat=True))
        managed = set(perms.tasks_managed(user).values_list("pk", flat=True))
        reported = set(perms.tasks_reported(user).values_list("pk", flat=True))
        open_plans = set(perms.plans_in_scope(user).values_list("pk", flat=True))
        for task in tasks.values():
            caps = perms.task_capabilities(user, task)
            assert (task.pk in seen) == caps.can_view, (name, task.title)
            assert (task.pk in managed) == caps.can_manage == caps.can_review, (name, task.title)
            assert (task.pk in reported) == caps.can_report, (name, task.title)
            assert (reports[task.pk] in seen_reports) == caps.can_view, (name, task.title)
            assert (reports[task.pk] in review_reports) == caps.can_review, (name, task.title)
            following = caps.can_review if user.is_supervisor else caps.can_view
            assert (reports[task.pk] in followed) == following, (name, task.title)
            assert (comments[task.pk] in seen_comments) == caps.can_view, (name, task.title)
        for plan in plans:
            plan_caps = perms.plan_capabilities(user, plan)
            assert (plan.pk in open_plans) == plan_caps.can_view, (name, plan.title)
            assert (
                plan_caps.can_manage == perms.may_create_plan_for(user, plan.owner_unit) or user.is_admin_role
            )


def test_plan_capabilities(people: SimpleNamespace, ledger: SimpleNamespace, office: SimpleNamespace) -> None:
    caps = perms.plan_capabilities
    assert caps(people.office_supervisor, office.plan) == perms.PlanCapabilities(True, True, True)
    assert caps(people.office_leader, office.plan) == perms.PlanCapabilities(True, True, False)
    # the office's reporter: the plan, for the task the office leads only
    assert caps(people.office_reporter, office.plan) == perms.PlanCapabilities(True, False, False)
    assert caps(people.office_reporter, ledger.plan) == perms.PlanCapabilities()
    assert caps(people.bureau_supervisor, ledger.plan) == perms.PlanCapabilities(True, False, False)
    assert caps(people.bureau_supervisor, office.bureau_plan) == perms.PlanCapabilities(True, True, True)
    assert caps(people.orphan_admin, office.plan) == perms.PlanCapabilities(True, True, False)
    # a plan without tasks: its owner side sees it, nobody else
    assert caps(people.office_supervisor, office.empty) == perms.PlanCapabilities(True, True, True)
    assert caps(people.office_reporter, office.empty) == perms.PlanCapabilities()
    assert caps(people.bureau_supervisor, office.empty) == perms.PlanCapabilities()
    office.own.delete()
    assert caps(people.office_reporter, office.plan) == perms.PlanCapabilities()


def test_who_creates_plans(people: SimpleNamespace, org: SimpleNamespace, office: SimpleNamespace) -> None:
    assert perms.may_create_plan_for(people.orphan_admin, org.transport)
    assert perms.may_create_plan_for(people.supervisor, org.transport)
    assert perms.may_create_plan_for(people.bureau_supervisor, org.section)
    assert not perms.may_create_plan_for(people.bureau_supervisor, org.root)
    assert not perms.may_create_plan_for(people.leader, org.root)
    assert not perms.may_create_plan_for(people.root_reporter, org.root)
    assert set(perms.plan_owner_units(people.bureau_supervisor)) == {org.transport, org.section}
    assert set(perms.plan_owner_units(people.office_supervisor)) == {org.office}
    assert perms.plan_owner_units(people.leader).count() == 0
    org.section.is_active = False
    org.section.save()
    assert set(perms.plan_owner_units(people.bureau_supervisor)) == {org.transport}


def test_who_follows_plans_as_a_whole(people: SimpleNamespace, office: SimpleNamespace) -> None:
    """The cockpit's readers: leaders, supervisors and admins; reporters report, the inactive
    and the anonymous follow nothing."""
    from django.contrib.auth.models import AnonymousUser

    for who in ("leader", "supervisor", "bureau_leader", "office_supervisor", "admin", "orphan_admin"):
        assert perms.follows_plans(getattr(people, who)), who
    for who in ("reporter", "root_reporter", "office_reporter"):
        assert not perms.follows_plans(getattr(people, who)), who
    assert not perms.follows_plans(AnonymousUser())
    people.leader.is_active = False
    assert not perms.follows_plans(people.leader)


def test_nobody_without_a_unit_or_inactive(
    people: SimpleNamespace, ledger: SimpleNamespace, make_user: Callable[..., Any]
) -> None:
    orphan = make_user("orphan", Role.SUPERVISOR, None)
    assert perms.task_capabilities(orphan, ledger.transport) == perms.NOTHING
    assert perms.tasks_in_scope(orphan).count() == 0
    assert perms.plans_in_scope(orphan).count() == 0
    people.supervisor.is_active = False
    assert perms.task_capabilities(people.supervisor, ledger.transport) == perms.NOTHING
    assert perms.tasks_in_scope(people.supervisor).count() == 0
    assert perms.tasks_managed(people.supervisor).count() == 0
    assert not perms.may_create_plan_for(people.supervisor, ledger.plan.owner_unit)
    people.admin.is_active = False  # an admin too: no plans, no units
    assert not perms.may_create_plan_for(people.admin, ledger.plan.owner_unit)
    assert perms.plan_owner_units(people.admin).count() == 0
    assert perms.task_capabilities(people.admin, ledger.transport) == perms.NOTHING


def test_assignment_keeps_units_outside_the_editors_scope(
    people: SimpleNamespace, org: SimpleNamespace, office: SimpleNamespace
) -> None:
    outside = perms.units_outside_assignment
    # the bureau's supervisor may assign its own subtree, keep a co-unit it could not assign
    assert outside(people.bureau_supervisor, [org.section, org.town], kept=[org.town.pk]) == []
    assert outside(people.bureau_supervisor, [org.section, org.housing], kept=[org.town.pk]) == [org.housing]
    assert outside(people.supervisor, [org.housing, org.town], kept=[]) == []
    # those who see everything assign anywhere, with or without a unit of their own
    assert outside(people.orphan_admin, [org.housing, org.town], kept=[]) == []
    assert outside(people.bureau_admin, [org.housing, org.office], kept=[]) == []
    assert outside(people.bureau_leader, [org.housing], kept=[]) == [org.housing]
    assert set(perms.assignable_units(people.bureau_supervisor)) == {org.transport, org.section}
    assert perms.assignable_units(people.orphan_admin).count() == 6


def _world_objects(people: SimpleNamespace, ledger: SimpleNamespace) -> SimpleNamespace:
    report = ProgressReport.objects.create(
        task=ledger.housing, period="2026-03", text="住建局进展", percent=10, submitted_at=at("2026-04-02")
    )
    attachment = Attachment.objects.create(
        report=report, file="attachments/x.pdf", original_name="x.pdf", size=1, content_type="application/pdf"
    )
    comment = Comment.objects.create(task=ledger.housing, author=people.leader, text="加快")
    document = SourceDocument.objects.create(original_name="计划.txt", sha256="a" * 64, size=1)
    ledger.plan.source = document
    ledger.plan.save()
    return SimpleNamespace(report=report, attachment=attachment, comment=comment, document=document)


def test_get_helpers_answer_404_alike_for_missing_and_forbidden(
    people: SimpleNamespace, ledger: SimpleNamespace, office: SimpleNamespace
) -> None:
    objs = _world_objects(people, ledger)
    getters = [
        (perms.get_task_for_user, ledger.housing.pk),
        (perms.get_plan_for_user, ledger.plan.pk),
        (perms.get_report_for_user, objs.report.pk),
        (perms.get_attachment_for_user, objs.attachment.pk),
        (perms.get_comment_for_user, objs.comment.pk),
        (
            perms.get_milestone_for_user,
            ledger.housing.milestones.create(due_on=dt.date(2026, 6, 1), description="节点").pk,
        ),
    ]
    for getter, pk in getters:
        with pytest.raises(Http404) as forbidden:
            getter(people.office_supervisor, pk)
        with pytest.raises(Http404) as missing:
            getter(people.office_supervisor, pk + 10_000)
        assert str(forbidden.value) == str(missing.value)
        for bad in ("x", -1, 0, 2**63, 2**70, None):
            with pytest.raises(Http404):
                getter(people.supervisor, bad)
        obj, caps = getter(people.housing_reporter, pk)
        assert obj.pk == pk and caps.can_view
    _, caps = perms.get_task_for_user(people.housing_reporter, ledger.housing.pk)
    assert caps.can_report and not caps.can_review
    report, caps = perms.get_report_for_user(people.supervisor, objs.report.pk)
    assert report.task == ledger.housing and caps.can_review


def test_source_document_is_for_the_owner_side(
    people: SimpleNamespace, ledger: SimpleNamespace, office: SimpleNamespace
) -> None:
    objs = _world_objects(people, ledger)
    assert perms.get_source_for_user(people.supervisor, objs.document.pk) == objs.document
    assert perms.get_source_for_user(people.orphan_admin, objs.document.pk) == objs.document
    # a reporter of the root (the owner unit) and a bureau that leads one of its tasks: not found
    for who in ("root_reporter", "bureau_supervisor", "reporter", "office_supervisor"):
        with pytest.raises(Http404):
            perms.get_source_for_user(getattr(people, who), objs.document.pk)
    with pytest.raises(Http404):
        perms.get_source_for_user(people.supervisor, objs.document.pk + 1)
    # a non-root owner: the 办公室's plan made from a document of its own
    office_doc = SourceDocument.objects.create(original_name="督查事项.txt", sha256="b" * 64, size=1)
    office.plan.source = office_doc
    office.plan.save()
    assert perms.get_source_for_user(people.office_supervisor, office_doc.pk) == office_doc
    assert perms.get_source_for_user(people.office_leader, office_doc.pk) == office_doc
    for who in ("office_reporter", "reporter", "bureau_supervisor"):
        with pytest.raises(Http404):
            perms.get_source_for_user(getattr(people, who), office_doc.pk)


def test_what_a_user_may_do_follows_a_change_of_unit_or_role(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    """The unit tree is read once per user object; moving the user to another unit or role (an
    admin's edit, then the same object used again) is not answered from the old reading."""
    user = people.bureau_supervisor
    assert perms.task_capabilities(user, ledger.transport).can_view
    user.unit = org.housing
    assert perms.task_capabilities(user, ledger.transport) == perms.Capabilities(can_view=True)
    assert not perms.task_capabilities(user, ledger.town).can_view
    user.role = Role.REPORTER
    assert perms.task_capabilities(user, ledger.housing).can_report
    user.is_superuser = True
    assert perms.task_capabilities(user, ledger.town).can_view


def test_a_superuser_with_the_reporter_role_sees_all_but_writes_no_co_units_note(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace, make_user: Callable[..., Any]
) -> None:
    clerk = make_user("su_clerk", Role.REPORTER, org.town, is_superuser=True)
    caps = perms.task_capabilities(clerk, ledger.transport)  # 交通局 leads, 住建局 co-operates
    assert caps.can_view and not caps.can_co_report and not caps.can_report
    assert perms.task_capabilities(clerk, ledger.town).can_report  # its own unit leads
