"""The problem ledger's services: the state machine by role, bad input in Chinese, optimistic
locking, all-or-nothing writes, audit and history."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.supervision import problems
from taizhang.supervision.problem_models import (
    Problem,
    ProblemAttachment,
    ProblemEvent,
    ProblemEventKind,
    ProblemState,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def fresh(problem: Problem) -> Problem:
    return Problem.objects.select_related("plan", "unit").get(pk=problem.pk)


def submit(problem: Problem, user: Any, **extra: Any) -> Problem:
    return problems.submit_rectification(
        fresh(problem), user, text="已争取省级资金800万元", expected_version=fresh(problem).version, **extra
    )


def sign_off(problem: Problem, user: Any, ok: bool = True, comment: str = "") -> Problem:
    return problems.verify(
        fresh(problem), user, sign_off=ok, comment=comment, expected_version=fresh(problem).version
    )


def reopen(problem: Problem, user: Any, reason: str = "回头看发现资金未到位") -> Problem:
    return problems.reopen(fresh(problem), user, reason=reason, expected_version=fresh(problem).version)


def draft(org: SimpleNamespace, **extra: Any) -> problems.ProblemDraft:
    fields: dict[str, Any] = {"title": "农房排查滞后", "unit": org.housing, "deadline": dt.date(2026, 8, 31)}
    return problems.ProblemDraft(**{**fields, **extra})


# --- who may do each step -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("supervisor", True),
        ("bureau_supervisor", False),  # not the plan's owner
        ("leader", False),  # views, never registers
        ("housing_reporter", False),
        ("admin", False),
    ],
)
def test_who_registers(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, role: str, allowed: bool
) -> None:
    user = getattr(people, role)
    if allowed:
        made = problems.create_problem(ledger.plan, user, draft(org))
        assert made.state == ProblemState.OPEN and made.created_by == user
        assert [e.kind for e in made.events.all()] == [ProblemEventKind.CREATED]
    else:
        with pytest.raises(PermissionDenied):
            problems.create_problem(ledger.plan, user, draft(org))
        assert not Problem.objects.exists()


def test_bureau_supervisor_registers_in_its_own_plan(
    bureau_plan: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace
) -> None:
    made = problems.create_problem(bureau_plan.plan, people.bureau_supervisor, draft(org, unit=org.section))
    assert made.unit == org.section
    with pytest.raises(DomainError, match="管辖范围以外"):  # 青石镇 lies outside the bureau
        problems.create_problem(bureau_plan.plan, people.bureau_supervisor, draft(org, unit=org.town))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("housing_reporter", True),
        ("reporter", False),  # another unit's reporter
        ("supervisor", False),
        ("leader", False),
        ("bureau_supervisor", False),
    ],
)
def test_who_submits_the_rectification(
    problem: Problem, people: SimpleNamespace, role: str, allowed: bool
) -> None:
    user = getattr(people, role)
    if allowed:
        done = submit(problem, user)
        assert done.state == ProblemState.SUBMITTED
        assert done.submitted_by == user and done.rectification == "已争取省级资金800万元"
    else:
        with pytest.raises(PermissionDenied):
            submit(problem, user)
        assert fresh(problem).state == ProblemState.OPEN


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("supervisor", True),
        ("colleague", True),
        ("leader", False),
        ("housing_reporter", False),
        ("bureau_supervisor", False),
    ],
)
def test_who_verifies(
    problem: Problem, people: SimpleNamespace, colleague: Any, role: str, allowed: bool
) -> None:
    submit(problem, people.housing_reporter)
    user = colleague if role == "colleague" else getattr(people, role)
    if allowed:
        done = sign_off(problem, user, comment="资金已到位，现场核实")
        assert done.state == ProblemState.CLOSED
        assert (done.signed_off_by, done.sign_off_comment) == (user, "资金已到位，现场核实")
        assert done.signed_off_at is not None
    else:
        with pytest.raises(PermissionDenied):
            sign_off(problem, user)
        assert fresh(problem).state == ProblemState.SUBMITTED


@pytest.mark.parametrize(
    ("role", "allowed"), [("supervisor", True), ("leader", False), ("housing_reporter", False)]
)
def test_who_reopens(problem: Problem, people: SimpleNamespace, role: str, allowed: bool) -> None:
    submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor)
    user = getattr(people, role)
    if allowed:
        done = reopen(problem, user)
        assert done.state == ProblemState.OPEN and done.reopen_count == 1
        assert done.reopen_reason == "回头看发现资金未到位" and done.signed_off_by is None
    else:
        with pytest.raises(PermissionDenied):
            reopen(problem, user)
        assert fresh(problem).state == ProblemState.CLOSED


# --- each transition only from its state --------------------------------------------------------


def test_sign_off_of_a_problem_not_waiting_for_verification(
    problem: Problem, people: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="当前为“整改中”，只有待验收的问题可以验收销号"):
        sign_off(problem, people.supervisor)
    with pytest.raises(DomainError, match="只有待验收的问题可以退回"):
        sign_off(problem, people.supervisor, ok=False, comment="不行")
    assert fresh(problem).state == ProblemState.OPEN


def test_submit_only_while_open(problem: Problem, people: SimpleNamespace) -> None:
    submit(problem, people.housing_reporter)
    with pytest.raises(DomainError, match="当前为“待验收”，不能提交整改"):
        submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor)
    with pytest.raises(DomainError, match="当前为“已销号”"):
        submit(problem, people.housing_reporter)


def test_reopen_only_when_signed_off(problem: Problem, people: SimpleNamespace) -> None:
    with pytest.raises(DomainError, match="只有已销号的问题可以回头看重新挂账"):
        reopen(problem, people.supervisor)
    submit(problem, people.housing_reporter)
    with pytest.raises(DomainError, match="只有已销号的问题可以回头看重新挂账"):
        reopen(problem, people.supervisor)


def test_return_sends_it_back_with_a_comment(problem: Problem, people: SimpleNamespace) -> None:
    submit(problem, people.housing_reporter)
    with pytest.raises(DomainError, match="退回时请填写退回意见"):
        sign_off(problem, people.supervisor, ok=False)
    done = sign_off(problem, people.supervisor, ok=False, comment="佐证材料不全")
    assert (done.state, done.returned, done.return_comment) == (ProblemState.OPEN, True, "佐证材料不全")
    again = submit(problem, people.housing_reporter)
    assert again.state == ProblemState.SUBMITTED and not again.returned


def test_the_whole_cycle_keeps_its_history(problem: Problem, people: SimpleNamespace) -> None:
    submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor, ok=False, comment="不到位")
    submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor, comment="通过")
    reopen(problem, people.supervisor)
    submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor)
    reopen(problem, people.supervisor, reason="第二次反弹")
    kinds = list(
        ProblemEvent.objects.filter(problem=problem).order_by("at", "id").values_list("kind", "state")
    )
    assert kinds == [
        ("created", "open"),
        ("submitted", "submitted"),
        ("returned", "open"),
        ("submitted", "submitted"),
        ("signed_off", "closed"),
        ("reopened", "open"),
        ("submitted", "submitted"),
        ("signed_off", "closed"),
        ("reopened", "open"),
    ]
    assert fresh(problem).reopen_count == 2
    signed = ProblemEvent.objects.filter(problem=problem, kind="signed_off").first()
    assert signed is not None and signed.actor == people.supervisor and signed.comment == "通过"


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"deadline": dt.date(1999, 12, 31)}, "整改时限超出范围（年份应在 2000 至 2100 之间）"),
        ({"deadline": dt.date(2101, 1, 1)}, "整改时限超出范围"),
        ({"deadline": None}, "请填写整改时限"),
        ({"title": "  "}, "请填写问题"),
        ({"title": "问" * 301}, "问题不能超过 300 字"),
        ({"unit": None}, "请选择责任单位"),
        ({"measures": "措" * 5001}, "整改措施不能超过 5000 字"),
    ],
)
def test_bad_input_is_refused_in_chinese(
    ledger: SimpleNamespace,
    org: SimpleNamespace,
    people: SimpleNamespace,
    extra: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(DomainError, match=message):
        problems.create_problem(ledger.plan, people.supervisor, draft(org, **extra))
    assert not Problem.objects.exists()


def test_a_task_of_another_plan_is_refused(
    ledger: SimpleNamespace, bureau_plan: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="相关任务不属于该计划"):
        problems.create_problem(ledger.plan, people.supervisor, draft(org, task=bureau_plan.task))


def test_reopen_with_a_new_deadline_out_of_range(problem: Problem, people: SimpleNamespace) -> None:
    submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor)
    with pytest.raises(DomainError, match="整改时限超出范围"):
        problems.reopen(
            fresh(problem),
            people.supervisor,
            reason="反弹",
            new_deadline=dt.date(3026, 1, 1),
            expected_version=fresh(problem).version,
        )
    with pytest.raises(DomainError, match="请填写回头看发现的情况"):
        reopen(problem, people.supervisor, reason=" ")
    assert fresh(problem).state == ProblemState.CLOSED
    done = problems.reopen(
        fresh(problem),
        people.supervisor,
        reason="反弹",
        new_deadline=dt.date(2026, 12, 31),
        expected_version=fresh(problem).version,
    )
    assert done.deadline == dt.date(2026, 12, 31)


# --- locking, all or nothing, audit -------------------------------------------------------------


def test_stale_version_is_refused(problem: Problem, people: SimpleNamespace) -> None:
    loaded = fresh(problem)
    submit(problem, people.housing_reporter)
    with pytest.raises(StaleVersion):
        problems.submit_rectification(
            loaded, people.housing_reporter, text="再报", expected_version=loaded.version
        )
    with pytest.raises(StaleVersion):
        problems.verify(fresh(problem), people.supervisor, sign_off=True, expected_version=loaded.version)
    assert fresh(problem).state == ProblemState.SUBMITTED


def test_edit_is_locked_and_refused_once_signed_off(
    problem: Problem, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    loaded = fresh(problem)
    done = problems.update_problem(
        loaded,
        people.supervisor,
        {"measures": "新措施", "deadline": dt.date(2026, 10, 31)},
        expected_version=loaded.version,
    )
    assert (done.measures, done.deadline) == ("新措施", dt.date(2026, 10, 31))
    assert ProblemEvent.objects.filter(
        problem=problem, kind="edited", comment="修改了整改措施、整改时限"
    ).exists()
    with pytest.raises(StaleVersion):
        problems.update_problem(
            loaded, people.supervisor, {"measures": "旧的"}, expected_version=loaded.version
        )
    with pytest.raises(PermissionDenied):
        problems.update_problem(
            fresh(problem),
            people.housing_reporter,
            {"measures": "x"},
            expected_version=fresh(problem).version,
        )
    submit(problem, people.housing_reporter)
    sign_off(problem, people.supervisor)
    with pytest.raises(DomainError, match="已销号，不能修改"):
        problems.update_problem(
            fresh(problem), people.supervisor, {"measures": "x"}, expected_version=fresh(problem).version
        )


def test_one_bad_draft_saves_none(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace
) -> None:
    drafts = [draft(org), draft(org, title="第二条", deadline=dt.date(1900, 1, 1))]
    with pytest.raises(DomainError, match="第2条：整改时限超出范围"):
        problems.create_problems(ledger.plan, people.supervisor, drafts)
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()


def test_evidence_is_checked_before_any_write(problem: Problem, people: SimpleNamespace) -> None:
    fake = SimpleUploadedFile("现场照片.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="内容与扩展名"):
        submit(problem, people.housing_reporter, files=[fake])
    assert fresh(problem).state == ProblemState.OPEN and not ProblemAttachment.objects.exists()
    good = SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")
    submit(problem, people.housing_reporter, files=[good])
    [attachment] = ProblemAttachment.objects.all()
    assert attachment.original_name == "整改报告.pdf" and attachment.event.kind == ProblemEventKind.SUBMITTED


def test_writes_are_audited_with_their_actor(problem: Problem, people: SimpleNamespace) -> None:
    submit(problem, people.housing_reporter)
    entries = LogEntry.objects.get_for_object(problem).order_by("timestamp", "pk")
    assert [e.actor for e in entries] == [people.supervisor, people.housing_reporter]
    assert entries.last().changes_dict["state"] == ["open", "submitted"]


# --- who sees a problem (problem_permissions, through its module) ---------------------------------


def test_who_sees_a_problem_of_a_bureau_plan_for_a_unit_outside_the_bureau(
    org: SimpleNamespace, people: SimpleNamespace, bureau_plan: SimpleNamespace, make_user: Any
) -> None:
    from django.http import Http404

    from taizhang.accounts.models import Role
    from taizhang.supervision import problem_permissions as rules

    # 交通运输局's plan, 青石镇 responsible (registered by the county's 督查, who owns it too)
    town_problem = problems.create_problem(bureau_plan.plan, people.supervisor, draft(org, unit=org.town))
    in_scope = {
        who: town_problem in rules.problems_in_scope(getattr(people, who))
        for who in ("bureau_supervisor", "town_reporter", "reporter", "housing_reporter")
    }
    # the plan's owner side sees it; the responsible unit sees it; a reporter of the owner unit
    # (not responsible) and an outsider do not
    assert in_scope == {
        "bureau_supervisor": True,
        "town_reporter": True,
        "reporter": False,
        "housing_reporter": False,
    }
    _, caps = rules.get_problem_for_user(people.bureau_supervisor, town_problem.pk)  # as the owner
    assert caps.can_view and not caps.can_rectify
    _, caps = rules.get_problem_for_user(people.town_reporter, town_problem.pk)
    assert caps.can_rectify and not caps.can_manage
    for outsider in (people.reporter, people.housing_reporter):
        with pytest.raises(Http404):
            rules.get_problem_for_user(outsider, town_problem.pk)
    # an admin without a unit sees everything (and holds no unit)
    _, caps = rules.get_problem_for_user(make_user("it_admin", Role.ADMIN, None), town_problem.pk)
    assert caps.can_view
    with pytest.raises(Http404):
        rules.get_problem_attachment_for_user(people.supervisor, 999_999)  # missing: 404 too
