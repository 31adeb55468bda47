"""The permission holes found in use (issue 6), one test each; every one failed before
``taizhang.ledger.permissions`` decided who may do what.

The county plan (owned by the root): ``town`` is led by 青石镇 with 交通局 co-operating, so
交通局's supervisor and reporter are the co-unit's; ``transport`` is led by 交通局, but the plan is
the county's, so 交通局's supervisor neither edits it nor reviews its reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.errors import PermissionDenied
from taizhang.ledger.models import Milestone, ProgressReport, ReviewState, SourceDocument, Task, TaskStatus
from tests.conftest import at, page_text

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
NOW = at("2026-03-31")


@pytest.fixture(autouse=True)
def _march(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _edit_form(task: Task, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": task.title,
        "content": task.content,
        "lead_unit": task.lead_unit_id or "",
        "co_units": list(task.co_units.values_list("pk", flat=True)),
        "leader_name": task.leader_name,
        "leader": "",
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "status": task.status,
        "progress": task.progress,
        "version": task.version,
    }
    data.update(changes)
    return data


# --- a co-operating bureau's supervisor ----------------------------------------------------------


def test_co_unit_supervisor_cannot_edit_the_lead_units_task(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    task = ledger.town
    response = login(people.bureau_supervisor).post(
        reverse("ledger:task_edit", args=[task.pk]), _edit_form(task, title="改掉的标题")
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_task(task, {"title": "改掉的标题"}, task.version, people.bureau_supervisor)
    assert Task.objects.get(pk=task.pk).title == "打造美丽乡村示范点"


def test_co_unit_supervisor_cannot_remove_other_co_units(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    task = ledger.town
    task.co_units.add(org.housing)
    with pytest.raises(PermissionDenied):
        services.update_task(task, {"co_units": [org.transport]}, task.version, people.bureau_supervisor)
    assert set(task.co_units.all()) == {org.transport, org.housing}


def test_co_unit_supervisor_cannot_make_itself_the_lead(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    task = ledger.town
    response = login(people.bureau_supervisor).post(
        reverse("ledger:task_edit", args=[task.pk]), _edit_form(task, lead_unit=org.transport.pk, co_units=[])
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_task(task, {"lead_unit": org.transport}, task.version, people.bureau_supervisor)
    task.refresh_from_db()
    assert task.lead_unit == org.town
    # the lead bureau still reports
    services.submit_report(task, people.town_reporter, period="2026-03", text="示范点建设", percent=10)


def test_co_unit_supervisor_cannot_review_the_lead_units_report_through_the_api(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.town, people.town_reporter, period="2026-03", text="进展", percent=10
    )
    response = login(people.bureau_supervisor).post(
        f"/api/reports/{report.pk}/review",
        json.dumps({"approve": True, "expected_version": report.version}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).state == ReviewState.PENDING


# --- a co-operating unit's reporter --------------------------------------------------------------


def test_co_unit_reporter_cannot_overwrite_the_lead_units_report(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.town, people.town_reporter, period="2026-03", text="牵头单位原文", percent=10
    )
    response = login(people.reporter).post(
        reverse("ledger:report_submit", args=[ledger.town.pk, "2026-03"]),
        {"text": "配合单位覆盖", "percent": "90", "version": str(report.version)},
    )
    assert response.status_code == 403
    api = login(people.reporter).post(
        f"/api/tasks/{ledger.town.pk}/reports",
        json.dumps(
            {"period": "2026-03", "text": "配合单位覆盖", "percent": 90, "expected_version": report.version}
        ),
        content_type="application/json",
    )
    assert api.status_code == 403
    fresh = ProgressReport.objects.get(pk=report.pk)
    assert (fresh.text, fresh.percent, fresh.version, fresh.submitted_by) == (
        "牵头单位原文",
        10,
        report.version,
        people.town_reporter,
    )


def test_co_unit_reporter_cannot_untick_the_lead_units_milestones(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    milestone = Milestone.objects.create(
        task=ledger.town,
        due_on=dt.date(2026, 3, 15),
        description="完成规划",
        done=True,
        done_on=dt.date(2026, 3, 10),
    )
    response = login(people.reporter).post(
        reverse("ledger:milestone_done", args=[milestone.pk]), {"done": "0"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_milestone_done(milestone.pk, people.reporter, done=False)
    assert Milestone.objects.get(pk=milestone.pk).done
    # the lead unit's reporter may
    services.set_milestone_done(milestone.pk, people.town_reporter, done=False)
    assert not Milestone.objects.get(pk=milestone.pk).done


# --- a bureau's supervisor on the county plan ----------------------------------------------------


def test_bureau_supervisor_cannot_close_a_county_task_or_move_its_deadline(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    task = ledger.transport  # 交通局 leads it, the county owns it
    response = login(people.bureau_supervisor).post(
        reverse("ledger:task_edit", args=[task.pk]),
        _edit_form(task, status=TaskStatus.DONE, progress=100, deadline="2027-06-30"),
    )
    assert response.status_code == 403
    for changes in ({"status": TaskStatus.DONE}, {"deadline": dt.date(2027, 6, 30)}):
        with pytest.raises(PermissionDenied):
            services.update_task(task, changes, task.version, people.bureau_supervisor)
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED and task.deadline == dt.date(2026, 12, 31)


def test_bureau_supervisor_does_not_review_its_bureaus_reports_in_the_county_plan(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="进展", percent=10
    )
    client = login(people.bureau_supervisor)
    assert client.get(reverse("ledger:report_review", args=[report.pk])).status_code == 403
    assert client.get(reverse("ledger:review_queue")).context["page"].paginator.count == 0
    with pytest.raises(PermissionDenied):
        services.review_report(
            report, people.bureau_supervisor, approve=True, expected_version=report.version
        )


# --- downloads: 404 for missing and forbidden alike ----------------------------------------------


def test_downloads_do_not_tell_another_units_file_from_a_missing_one(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.housing,
        people.housing_reporter,
        period="2026-03",
        text="进展",
        percent=10,
        files=[SimpleUploadedFile("现场.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    attachment = report.attachments.get()
    document, _ = services.store_source_document("计划.txt", "县计划".encode(), "县计划", people.supervisor)
    ledger.plan.source = document
    ledger.plan.save()
    client = login(people.reporter)
    for name, pk in (("ledger:attachment_download", attachment.pk), ("ledger:source_download", document.pk)):
        forbidden = client.get(reverse(name, args=[pk]))
        missing = client.get(reverse(name, args=[pk + 1000]))
        assert forbidden.status_code == missing.status_code == 404, name
        assert page_text(forbidden) == page_text(missing), name
    assert SourceDocument.objects.filter(pk=document.pk).exists()


def test_plan_page_links_its_source_only_for_those_who_may_open_it(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    # The browser walk found a 原文 link that answered 404 for a bureau's reporter: the link must ask
    # the same right as the download.
    document, _ = services.store_source_document("计划.txt", "县计划".encode(), "县计划", people.supervisor)
    ledger.plan.source = document
    ledger.plan.save()
    href = reverse("ledger:source_download", args=[document.pk])
    assert href in login(people.supervisor).get(reverse("ledger:plan_detail", args=[ledger.plan.pk])).text
    page = login(people.reporter).get(reverse("ledger:plan_detail", args=[ledger.plan.pk]))
    assert page.status_code == 200
    assert href not in page.text
