"""Task page: facts, periods with their windows, milestones, 批示 and the merged timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import Milestone, Task
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


@pytest.fixture
def history(
    ledger: SimpleNamespace, people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    """A returned, resubmitted and approved March report with an attachment, a 批示, a task edit and
    milestones; "now" is 2026-04-20."""
    moment = at("2026-04-20")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    task = ledger.transport
    report = services.submit_report(
        task,
        people.reporter,
        period="2026-03",
        text="第一稿",
        percent=20,
        files=[SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4 x")],
        now=at("2026-03-30"),
    )
    report = services.review_report(
        report, people.supervisor, approve=False, comment="请补充工程量", expected_version=report.version
    )
    report = services.submit_report(
        task,
        people.reporter,
        period="2026-03",
        text="完成路基12公里",
        percent=25,
        expected_version=report.version,
        now=at("2026-04-02"),
    )
    services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    services.add_comment(task, people.leader, "请倒排工期")
    fresh = Task.objects.get(pk=task.pk)
    services.update_task(fresh, {"leader_name": "陈志强"}, fresh.version, people.supervisor)
    Milestone.objects.create(
        task=task,
        due_on=dt.date(2026, 3, 31),
        description="完成方案编制",
        done=True,
        done_on=dt.date(2026, 3, 28),
    )
    Milestone.objects.create(task=task, due_on=dt.date(2026, 4, 10), description="开工建设")
    Milestone.objects.create(task=task, due_on=dt.date(2026, 9, 30), description="完成主体工程")
    return SimpleNamespace(task=task, report=report)


def page(client: Client, task: Any) -> str:
    response = client.get(reverse("ledger:task_detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "who", ["supervisor", "leader", "admin", "reporter", "housing_reporter", "bureau_leader"]
)
def test_every_role_in_scope_sees_the_task(
    login: Login, people: SimpleNamespace, history: SimpleNamespace, who: str
) -> None:
    body = page(login(getattr(people, who)), history.task)
    assert "推进县道改造" in body and "县交通运输局" in body and "县住房和城乡建设局" in body
    assert "一、重点工作安排 › （一）交通建设" in body
    assert "陈志强" in body and "2026年12月31日" in body


def test_timeline_merges_reports_reviews_comments_milestones_and_audit(
    login: Login, people: SimpleNamespace, history: SimpleNamespace
) -> None:
    response = login(people.supervisor).get(reverse("ledger:task_detail", args=[history.task.pk]))
    events = response.context["timeline"].events
    kinds = {e.kind for e in events}
    assert kinds == {"report", "review", "comment", "milestone", "audit"}
    assert [e.when for e in events] == sorted((e.when for e in events), reverse=True)
    body = response.content.decode()
    assert "2026年3月进展报送" in body and "2026年3月进展审核通过" in body and "请倒排工期" in body
    assert "节点完成：完成方案编制" in body and "节点到期未完成：开工建设" in body
    assert "完成主体工程" in body  # listed among milestones, not yet on the timeline
    # the audit trail keeps what the row no longer holds: the first text and the return
    audit = " ".join(
        f"{c.label}:{c.before}->{c.after}" for e in events if e.kind == "audit" for c in e.changes
    )
    assert "进展情况:第一稿->完成路基12公里" in audit
    assert "审核状态:待审核->退回" in audit and "审核意见:（空）->请补充工程量" in audit
    assert "责任领导:（空）->陈志强" in audit
    assert "审核人:（空）->周督查" in audit
    created = [e for e in events if e.kind == "audit" and e.title.startswith("新增进展报告")]
    assert created and all(c.before == "" and c.after != "（空）" for e in created for c in e.changes)
    assert all(c.before != c.after for e in events if e.kind == "audit" for c in e.changes)


def test_attachments_link_to_the_checked_download(
    login: Login, people: SimpleNamespace, history: SimpleNamespace
) -> None:
    attachment = history.report.attachments.get()
    body = page(login(people.supervisor), history.task)
    assert reverse("ledger:attachment_download", args=[attachment.pk]) in body and "现场照片.pdf" in body


def test_periods_show_windows_and_actions_per_role(
    login: Login, people: SimpleNamespace, history: SimpleNamespace
) -> None:
    reporter_page = page(login(people.reporter), history.task)
    assert "3月1日—4月5日" in reporter_page and "按时报送" in reporter_page
    assert reverse("ledger:report_submit", args=[history.task.pk, "2026-04"]) in reporter_page
    assert reverse("ledger:report_submit", args=[history.task.pk, "2026-03"]) not in reporter_page  # approved
    assert "编辑任务" not in reporter_page
    supervisor_page = page(login(people.supervisor), history.task)
    assert "编辑任务" in supervisor_page and "report_submit" not in supervisor_page
    assert "/report/2026-04/" not in supervisor_page


def test_missing_periods_offer_a_late_report(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = at("2026-05-20")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    body = page(login(people.reporter), ledger.transport)
    assert "未报送" in body and "补报" in body


def test_review_link_for_pending_reports(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="进展", percent=5, now=at("2026-03-30")
    )
    body = page(login(people.supervisor), ledger.transport)
    assert reverse("ledger:report_review", args=[report.pk]) in body
    assert reverse("ledger:report_review", args=[report.pk]) not in page(
        login(people.leader), ledger.transport
    )


@pytest.mark.parametrize(
    ("who", "task"),
    [
        ("reporter", "housing"),
        ("section_reporter", "transport"),
        ("town_reporter", "housing"),
        ("bureau_supervisor", "housing"),
        ("bureau_leader", "housing"),
    ],
)
def test_tasks_of_other_units_are_404(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str, task: str
) -> None:
    response = login(getattr(people, who)).get(reverse("ledger:task_detail", args=[getattr(ledger, task).pk]))
    assert response.status_code == 404


def test_unknown_task_is_404(login: Login, people: SimpleNamespace) -> None:
    assert login(people.supervisor).get(reverse("ledger:task_detail", args=[999999])).status_code == 404


def test_mark_a_milestone_done(login: Login, people: SimpleNamespace, history: SimpleNamespace) -> None:
    milestone = Milestone.objects.get(description="开工建设")
    url = reverse("ledger:milestone_done", args=[milestone.pk])
    client = login(people.reporter)
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#milestones")
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_on == dt.date(2026, 4, 20)
    client.post(url, {"done": "1"})  # posted twice: nothing changes
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2026, 4, 20)
    client.post(url, {"done": "0"})
    milestone.refresh_from_db()
    assert not milestone.done and milestone.done_on is None


def test_milestones_of_other_units_are_404_and_leaders_get_403(
    login: Login, people: SimpleNamespace, history: SimpleNamespace
) -> None:
    milestone = Milestone.objects.get(description="开工建设")
    url = reverse("ledger:milestone_done", args=[milestone.pk])
    assert login(people.town_reporter).post(url, {"done": "1"}).status_code == 404
    assert login(people.leader).post(url, {"done": "1"}).status_code == 403
    assert not Milestone.objects.get(pk=milestone.pk).done


def test_long_timelines_show_the_newest_events_first_and_the_rest_on_demand(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    for i in range(40):  # each 批示 is a timeline event and an audit record
        services.add_comment(ledger.transport, people.leader, f"第{i}条批示")
    client = login(people.supervisor)
    url = reverse("ledger:task_detail", args=[ledger.transport.pk])
    short = client.get(url)
    assert len(short.context["timeline"].events) == 60 and short.context["timeline"].hidden > 0
    assert "显示更早的" in short.content.decode()
    assert len(short.context["comments"]) == 40  # the 批示 section lists them all
    full = client.get(url, {"timeline": "all"})
    assert full.context["timeline"].hidden == 0 and len(full.context["timeline"].events) > 60
