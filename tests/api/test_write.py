"""Writing through the API: reporters submit, supervisors review; every refusal is a clear 4xx in
Chinese, every change is audited with the caller as actor."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from taizhang.accounts.models import Role
from taizhang.ledger.models import ProgressReport, ReviewState, Task, TaskStatus
from tests.api.conftest import post_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

Login = Callable[[Any], Client]

REPORT = {"period": "2026-03", "text": "完成路基12公里，桥涵3座", "percent": 30}


def submit(client: Client, task: Task, **changes: Any) -> Any:
    return post_json(client, f"/api/tasks/{task.pk}/reports", {**REPORT, **changes})


def review(client: Client, report: ProgressReport | int, **data: Any) -> Any:
    pk = report if isinstance(report, int) else report.pk
    return post_json(client, f"/api/reports/{pk}/review", data)


def test_reporter_submits_a_report(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    response = submit(login(people.reporter), ledger.transport)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["period"] == "2026-03" and data["percent"] == 30 and data["state"] == "pending"
    assert data["version"] == 1 and data["late"] is False and data["submitted_by"]["username"] == "jiaotong"
    report = ProgressReport.objects.get()
    assert report.task == ledger.transport and report.text == REPORT["text"]
    entry = LogEntry.objects.get_for_object(report).get()
    assert entry.actor == people.reporter and entry.action == LogEntry.Action.CREATE


def test_second_report_for_the_same_period_is_a_clear_conflict(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    client = login(people.reporter)
    assert submit(client, ledger.transport).status_code == 201
    again = submit(client, ledger.transport, text="另一份", percent=40)
    assert again.status_code == 409
    assert "已报送过" in again.json()["detail"]
    assert ProgressReport.objects.get().percent == 30
    # a co-operating unit's reporter may not touch the lead unit's report (it writes 配合情况)
    assert submit(login(people.housing_reporter), ledger.transport).status_code == 403
    assert ProgressReport.objects.get().percent == 30


def test_returned_report_is_corrected_with_its_version(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    reporter = login(people.reporter)
    report_id = submit(reporter, ledger.transport).json()["id"]
    returned = review(
        login(people.supervisor), report_id, approve=False, comment="请补充桥涵进度", expected_version=1
    )
    assert returned.status_code == 200 and returned.json()["state_label"] == "退回"
    version = returned.json()["version"]
    fixed = submit(reporter, ledger.transport, text="已补充：桥涵3座完成", expected_version=version)
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["state"] == "pending" and fixed.json()["version"] == version + 1
    stale = submit(reporter, ledger.transport, text="旧页面上的修改", expected_version=version)
    assert stale.status_code == 409 and "他人修改" in stale.json()["detail"]


@pytest.mark.parametrize("who", ["leader", "bureau_leader", "supervisor", "bureau_supervisor", "admin"])
def test_only_reporters_may_submit(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    response = submit(login(getattr(people, who)), ledger.transport)
    assert response.status_code == 403
    assert "填报员" in response.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_reporter_of_another_unit_gets_not_found(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    assert submit(login(people.town_reporter), ledger.housing).status_code == 404
    assert submit(login(people.section_reporter), ledger.transport).status_code == 404
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"percent": 150}, 422, ["完成进度", "不能大于 100"]),
        ({"percent": "三十"}, 422, ["完成进度", "应为整数"]),
        ({"period": None}, 422, ["报送期"]),
        ({"text": "x" * 5001}, 422, ["进展情况", "5000"]),
        ({"text": ""}, 400, ["请填写本期进展情况"]),
        ({"is_zero_report": True, "zero_reason": ""}, 400, ["零报告须说明"]),
        ({"period": "2026-W11"}, 400, ["按每月报送"]),
        ({"period": "2026/03"}, 400, ["报送期格式不正确"]),
        ({"period": "2026-05"}, 400, ["尚未开始"]),
    ],
)
def test_bad_report_is_refused_in_chinese_and_nothing_saved(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    changes: dict[str, Any],
    status: int,
    words: list[str],
) -> None:
    response = submit(login(people.reporter), ledger.transport, **changes)
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert all(word in detail for word in words), detail
    assert not ProgressReport.objects.exists()


def test_malformed_json_body(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    client = login(people.reporter)
    url = f"/api/tasks/{ledger.transport.pk}/reports"
    response = client.post(url, "{period: 2026-03", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "请求体不是有效的 JSON"
    listed = client.post(url, "[1, 2]", content_type="application/json")
    assert listed.status_code == 422 and "请求数据不正确" in listed.json()["detail"]


def test_zero_report_keeps_progress(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(progress=20)
    response = submit(
        login(people.reporter),
        ledger.transport,
        text="",
        percent=None,
        is_zero_report=True,
        zero_reason="雨季停工",
    )
    assert response.status_code == 201
    assert response.json()["is_zero_report"] is True and response.json()["percent"] == 20


def test_supervisor_approves(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report_id = submit(login(people.reporter), ledger.transport).json()["id"]
    response = review(login(people.supervisor), report_id, approve=True, expected_version=1)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "approved" and data["reviewer"]["username"] == "duchashi"
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.progress == 30 and task.status == TaskStatus.IN_PROGRESS
    entry = LogEntry.objects.get_for_object(ProgressReport.objects.get()).latest("timestamp")
    assert entry.actor == people.supervisor and entry.action == LogEntry.Action.UPDATE


def test_stale_review_is_409(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, make_user: Callable[..., Any]
) -> None:
    colleague = make_user("duchashi2", Role.SUPERVISOR, people.supervisor.unit)
    report_id = submit(login(people.reporter), ledger.transport).json()["id"]
    first = review(login(people.supervisor), report_id, approve=False, comment="补充材料", expected_version=1)
    assert first.status_code == 200
    second = review(login(colleague), report_id, approve=True, expected_version=1)
    assert second.status_code == 409
    assert "已被他人修改" in second.json()["detail"]
    assert ProgressReport.objects.get().state == ReviewState.RETURNED


def test_review_refusals(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report_id = submit(login(people.housing_reporter), ledger.housing).json()["id"]
    # a reporter and a leader see the report but may not review it
    for who in ("housing_reporter", "leader"):
        response = review(login(getattr(people, who)), report_id, approve=True, expected_version=1)
        assert response.status_code == 403 and "督查" in response.json()["detail"]
    # the transport bureau's supervisor does not even see 住建局's task
    response = review(login(people.bureau_supervisor), report_id, approve=True, expected_version=1)
    assert response.status_code == 404
    # returning needs a comment
    response = review(login(people.supervisor), report_id, approve=False, expected_version=1)
    assert response.status_code == 400 and response.json()["detail"] == "退回时请填写退回意见"
    # a malformed body
    response = review(login(people.supervisor), report_id, approve="也许", expected_version=0)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"approve", "expected_version"}
    assert ProgressReport.objects.get().state == ReviewState.PENDING


def test_already_reviewed_report_cannot_be_reviewed_again(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report_id = submit(login(people.reporter), ledger.transport).json()["id"]
    client = login(people.supervisor)
    assert review(client, report_id, approve=True, expected_version=1).status_code == 200
    again = review(client, report_id, approve=True, expected_version=2)
    assert again.status_code == 400 and "不能重复审核" in again.json()["detail"]
    # an approved report can no longer be changed by its reporter
    changed = submit(login(people.reporter), ledger.transport, expected_version=3)
    assert changed.status_code == 400 and "已审核通过" in changed.json()["detail"]


def test_unexpected_error_is_chinese_json_without_traceback(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.DEBUG = True  # ninja would answer with a traceback in DEBUG; ours never does

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("taizhang.ledger.services.submit_report", boom)
    response = submit(login(people.reporter), ledger.transport)
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试或联系管理员"}
    assert b"secret internals" not in response.content and b"Traceback" not in response.content


def test_a_lower_figure_needs_a_reason_and_an_explicit_approval(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(progress=98)
    client = login(people.reporter)
    refused = submit(client, ledger.transport, percent=91)
    assert refused.status_code == 400 and "请说明进度下调的原因" in refused.json()["detail"]
    created = submit(client, ledger.transport, percent=91, lower_reason="重新核减工程量")
    assert created.status_code == 201 and created.json()["lower_reason"] == "重新核减工程量"
    supervisor = login(people.supervisor)
    unconfirmed = review(supervisor, created.json()["id"], approve=True, expected_version=1)
    assert unconfirmed.status_code == 400 and "请确认下调后再通过" in unconfirmed.json()["detail"]
    assert Task.objects.get(pk=ledger.transport.pk).progress == 98
    confirmed = review(supervisor, created.json()["id"], approve=True, expected_version=1, confirm_lower=True)
    assert confirmed.status_code == 200, confirmed.content
    assert Task.objects.get(pk=ledger.transport.pk).progress == 91
