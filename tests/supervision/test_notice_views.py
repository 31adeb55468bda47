"""The supervision screens: issue from the task page, reply, decide, print, 批示件; errors in
Chinese on the form; the homes and the task page show what is owed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import Plan
from taizhang.supervision import instructions, notices
from taizhang.supervision.models import Colour, Instruction, Notice, NoticeKind, NoticeState, TaskColour
from tests.conftest import at

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(DAY))


def red(task: Any) -> None:
    TaskColour.objects.update_or_create(
        task=task,
        defaults={"colour": Colour.RED, "reasons": ["节点“开工”已逾期12天"], "as_of": DAY, "since": at(DAY)},
    )


def test_issue_from_the_task_page(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    red(ledger.transport)
    client = login(people.supervisor)
    page = client.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    assert f"/supervision/notices/new/?task={ledger.transport.pk}" in page
    form = client.get(f"/supervision/notices/new/?task={ledger.transport.pk}")
    body = form.content.decode()
    assert form.status_code == 200 and "县交通运输局" in body and "节点“开工”已逾期12天" in body
    assert re.search(r'value="order"[^>]*checked', body)  # a red task calls for a 督办单
    response = client.post(
        "/supervision/notices/new/",
        {
            "plan": ledger.plan.pk,
            "unit": ledger.transport.lead_unit_id,
            "kind": "order",
            "tasks": [ledger.transport.pk],
            "subject": "进度滞后",
            "reply_due": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "回复时限不能早于今天（2026年4月2日）" in response.content.decode()
    assert not Notice.objects.exists()
    response = client.post(
        "/supervision/notices/new/",
        {
            "plan": ledger.plan.pk,
            "unit": ledger.transport.lead_unit_id,
            "kind": "order",
            "tasks": [ledger.transport.pk],
            "subject": "进度滞后",
            "reply_due": "2026-04-05",
        },
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/notices/{notice.pk}/"
    assert notice.doc_number == "督办〔2026〕1号"
    assert notice.items.get().reasons == ["节点“开工”已逾期12天"]


def test_issue_pages_are_for_the_plans_supervisors(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    assert login(people.reporter).get("/supervision/notices/new/").status_code == 403
    assert (
        login(people.leader).get(f"/supervision/notices/new/?task={ledger.transport.pk}").status_code == 403
    )
    assert (
        login(people.bureau_supervisor)
        .get(f"/supervision/notices/new/?task={ledger.transport.pk}")
        .status_code
        == 403
    )
    assert (
        login(people.bureau_supervisor).get(f"/supervision/notices/new/?task={ledger.housing.pk}").status_code
        == 404
    )
    assert login(people.reporter).get("/supervision/notices/suggested/").status_code == 403


def test_reply_and_decide_through_the_pages(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    notice = notices.issue_notice(
        people.supervisor, kind=NoticeKind.ORDER, tasks=[ledger.transport], subject="请说明", reply_due=DAY
    )
    reporter = login(people.reporter)
    home = reporter.get("/").content.decode()
    assert "督办〔2026〕1号" in home and "待回复的督办通知" in home
    page = reporter.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert "回复通知" in page
    empty = reporter.post(f"/supervision/notices/{notice.pk}/reply/", {"text": "", "version": notice.version})
    assert empty.status_code == 400 and "请填写回复内容" in empty.content.decode()
    ok = reporter.post(
        f"/supervision/notices/{notice.pk}/reply/", {"text": "已倒排工期", "version": notice.version}
    )
    assert ok.status_code == 302
    # while it waits for review, the unit corrects its reply (prefilled), never answers twice
    page = reporter.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert "修改回复" in page and "已倒排工期</textarea>" in page
    stale = reporter.post(
        f"/supervision/notices/{notice.pk}/reply/", {"text": "改", "version": notice.version}
    )
    assert stale.status_code == 400
    again = reporter.post(
        f"/supervision/notices/{notice.pk}/reply/",
        {"text": "已倒排工期，增派两个班组", "version": notice.version + 1},
    )
    assert again.status_code == 302
    assert notice.replies.get().text == "已倒排工期，增派两个班组"
    assert "修改）" in reporter.get(f"/supervision/notices/{notice.pk}/").content.decode()

    supervisor = login(people.supervisor)
    notice.refresh_from_db()
    no_comment = supervisor.post(
        f"/supervision/notices/{notice.pk}/decide/", {"decision": "return", "version": notice.version}
    )
    assert no_comment.status_code == 400 and "退回时请填写退回意见" in no_comment.content.decode()
    done = supervisor.post(
        f"/supervision/notices/{notice.pk}/decide/", {"decision": "accept", "version": notice.version}
    )
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.CLOSED
    closed = reporter.post(
        f"/supervision/notices/{notice.pk}/reply/", {"text": "补充", "version": notice.version}
    )
    assert closed.status_code == 400 and "督办〔2026〕1号已办结，不能再回复" in closed.content.decode()
    assert (
        "督办〔2026〕1号已办结，不能再回复"
        in reporter.get(f"/supervision/notices/{notice.pk}/").content.decode()
    )
    printed = supervisor.get(f"/supervision/notices/{notice.pk}/print/").content.decode()
    assert "督办〔2026〕1号" in printed and "县交通运输局：" in printed and "2026年4月2日" in printed
    # the co-unit (住建局) neither sees nor replies
    housing = login(people.housing_reporter)
    assert housing.get(f"/supervision/notices/{notice.pk}/").status_code == 404
    assert (
        housing.post(f"/supervision/notices/{notice.pk}/reply/", {"text": "x", "version": 1}).status_code
        == 404
    )


def test_list_filters_and_sorts(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    for task, kind in ((ledger.transport, NoticeKind.ORDER), (ledger.housing, NoticeKind.PROMPT)):
        notices.issue_notice(people.supervisor, kind=kind, tasks=[task], subject="x", reply_due=DAY)
    client = login(people.supervisor)
    both = client.get("/supervision/notices/?sort=number").content.decode()
    assert "督办〔2026〕1号" in both and "提示〔2026〕1号" in both
    only = client.get("/supervision/notices/?kind=prompt").content.decode()
    assert "提示〔2026〕1号" in only and "督办〔2026〕1号" not in only
    assert (
        "督办〔2026〕1号"
        not in client.get(f"/supervision/notices/?unit={ledger.housing.lead_unit_id}").content.decode()
    )
    assert "提示〔2026〕1号" not in login(people.reporter).get("/supervision/notices/").content.decode()


def test_overdue_notices_show_on_the_leaders_home(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    notice = notices.issue_notice(
        people.supervisor,
        kind=NoticeKind.ORDER,
        tasks=[ledger.transport],
        subject="x",
        reply_due=DAY,
        now=at(DAY),
    )
    leader = login(people.leader)
    assert "逾期未回复的通知" not in leader.get("/").content.decode()
    Notice.objects.filter(pk=notice.pk).update(reply_due=DAY - dt.timedelta(days=1))
    assert "逾期未回复的通知（1）" in leader.get("/").content.decode()


def test_instruction_pages(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    leader = login(people.leader)
    url = f"/supervision/tasks/{ledger.transport.pk}/instructions/new/"
    assert url in leader.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    bad = leader.post(url, {"text": "请加快", "due_on": "2026-03-01"})
    assert bad.status_code == 200 and "落实时限不能早于今天" in bad.content.decode()
    assert leader.post(url, {"text": "请加快", "due_on": "2026-04-12"}).status_code == 302
    item = Instruction.objects.get()
    assert "批示件待落实（1）" in leader.get("/").content.decode()
    reporter = login(people.reporter)
    assert "待落实的批示件" in reporter.get("/").content.decode()
    task_page = reporter.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    assert f"/supervision/instructions/{item.pk}/answer/" in task_page and "批示件 · 待落实" in task_page
    answer = reporter.post(
        f"/supervision/instructions/{item.pk}/answer/", {"text": "已落实", "version": item.version}
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.state == "done"
    assert (
        "批示件 · 已落实"
        in leader.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    )
    assert (
        login(people.housing_reporter).get(f"/supervision/instructions/{item.pk}/answer/").status_code == 403
    )
    assert login(people.town_reporter).get(f"/supervision/instructions/{item.pk}/answer/").status_code == 404


def test_follow_up_of_an_existing_comment(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    from taizhang.ledger import services

    comment = services.add_comment(ledger.transport, people.leader, "请按期完成")
    leader = login(people.leader)
    page = leader.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    assert f"/supervision/comments/{comment.pk}/follow-up/" in page
    assert (
        leader.post(f"/supervision/comments/{comment.pk}/follow-up/", {"due_on": "2026-04-10"}).status_code
        == 302
    )
    again = leader.post(f"/supervision/comments/{comment.pk}/follow-up/", {"due_on": "2026-04-10"})
    assert "该批示已列为批示件" in again.content.decode()
    assert login(people.reporter).get(f"/supervision/comments/{comment.pk}/follow-up/").status_code == 403
    assert instructions.waiting(people.leader).count() == 1


def test_the_list_narrows_to_overdue_notices_and_to_a_plan(
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    bureau_plan: SimpleNamespace,
    login: Callable[[Any], Client],
) -> None:
    late = notices.issue_notice(
        people.supervisor, kind=NoticeKind.ORDER, tasks=[ledger.transport], subject="x", reply_due=DAY
    )
    Notice.objects.filter(pk=late.pk).update(reply_due=DAY - dt.timedelta(days=1))
    notices.issue_notice(
        people.supervisor, kind=NoticeKind.PROMPT, tasks=[ledger.housing], subject="x", reply_due=DAY
    )
    answered = notices.issue_notice(
        people.supervisor, kind=NoticeKind.WARNING, tasks=[ledger.town], subject="x", reply_due=DAY
    )
    Notice.objects.filter(pk=answered.pk).update(
        reply_due=DAY - dt.timedelta(days=1), state=NoticeState.REPLIED
    )
    other = notices.issue_notice(
        people.bureau_supervisor, kind=NoticeKind.PROMPT, tasks=[bureau_plan.task], subject="x", reply_due=DAY
    )
    Notice.objects.filter(pk=other.pk).update(reply_due=DAY - dt.timedelta(days=3))
    client = login(people.supervisor)

    def listed(query: str) -> set[str]:
        html = client.get(f"/supervision/notices/?{query}").content.decode()
        return set(re.findall(r"(?:督办|提示|警示)〔2026〕\d号", html))

    assert listed("overdue=1") == {"督办〔2026〕1号", "提示〔2026〕2号"}  # not the replied one
    assert listed(f"overdue=1&plan={ledger.plan.pk}") == {"督办〔2026〕1号"}
    assert listed(f"plan={ledger.plan.pk}") == {"督办〔2026〕1号", "提示〔2026〕1号", "警示〔2026〕1号"}
    # a plan the user sees that has no notice yet (the cockpit links here with its plan): an empty
    # list, not a form error
    quiet = Plan.objects.create(year=2026, owner_unit=ledger.plan.owner_unit, title="无通知的计划")
    response = client.get(f"/supervision/notices/?overdue=1&plan={quiet.pk}")
    assert response.status_code == 200 and not response.context["form"].errors
    assert listed(f"overdue=1&plan={quiet.pk}") == set()


def test_the_instruction_list_narrows_to_a_plan(
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    bureau_plan: SimpleNamespace,
    login: Callable[[Any], Client],
) -> None:
    instructions.issue_instruction(
        ledger.transport, people.leader, text="县计划的批示", due_on=DAY, now=at(DAY)
    )
    instructions.issue_instruction(
        bureau_plan.task, people.bureau_leader, text="局计划的批示", due_on=DAY, now=at(DAY)
    )
    leader = login(people.leader)
    both = leader.get("/supervision/instructions/?state=waiting").content.decode()
    assert "县计划的批示" in both and "局计划的批示" in both
    one = leader.get(f"/supervision/instructions/?state=waiting&plan={ledger.plan.pk}").content.decode()
    assert "县计划的批示" in one and "局计划的批示" not in one
    assert f'href="?state=done&amp;plan={ledger.plan.pk}"' in one  # the state links keep the plan
    # a plan the user cannot see narrows nothing (and shows nothing of it)
    hidden = login(people.housing_reporter).get(f"/supervision/instructions/?plan={bureau_plan.plan.pk}")
    assert hidden.status_code == 200 and "交通运输局2026年工作要点" not in hidden.content.decode()
