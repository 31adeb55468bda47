"""Who may use the import screens: supervisors and admins, each in their unit scope.

Reporters and leaders get 403 on every import screen; a supervisor of another unit gets 404 on the
pending import, the summary and the export of a plan outside their scope. Nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import Plan, SourceDocument, Task
from tests.ledger.test_import_plan import form_data, plan_docx, preview_key, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing_plan(org: SimpleNamespace, people: SimpleNamespace) -> Plan:
    """A plan of 住建局 alone: nobody at 交通运输局 may see it."""
    plan = Plan.objects.create(year=2026, owner_unit=org.housing, title="住建局2026年工作计划")
    Task.objects.create(
        plan=plan,
        seq=1,
        code="1",
        title="推进老旧小区改造",
        lead_unit=org.housing,
        deadline=dt.date(2026, 11, 30),
    )
    return plan


@pytest.fixture
def owner(people: SimpleNamespace, login: Callable[[Any], Client]) -> Client:
    """The county supervisor's browser."""
    return login(people.supervisor)


@pytest.fixture
def pending_key(owner: Client) -> str:
    """A plan import the county supervisor has uploaded and not yet confirmed."""
    return preview_key(upload(owner, "plan.docx", plan_docx()))


def requests(key: str, plan: Plan) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, data) for every import URL."""
    return [
        ("get", reverse("import:plan"), {}),
        ("post", reverse("import:plan"), {"file": SimpleUploadedFile("plan.docx", plan_docx())}),
        ("get", reverse("import:xlsx"), {}),
        ("post", reverse("import:xlsx"), {"file": SimpleUploadedFile("t.xlsx", b"PK\x03\x04")}),
        ("get", reverse("import:preview", args=[key]), {}),
        ("post", reverse("import:preview", args=[key]), {"action": "confirm", "title": "x", "year": "2026"}),
        ("post", reverse("import:preview_row", args=[key, 0]), {"t0-include": "on", "t0-title": "x"}),
        ("post", reverse("import:discard", args=[key]), {}),
        ("get", reverse("import:done", args=[plan.pk]), {}),
        ("get", reverse("ledger:plan_export", args=[plan.pk]), {}),
    ]


@pytest.mark.parametrize("who", ["reporter", "section_reporter", "bureau_leader", "leader", "town_reporter"])
def test_reporters_and_leaders_are_refused(
    who: str, people: SimpleNamespace, login: Callable[[Any], Client], pending_key: str, housing_plan: Plan
) -> None:
    client = login(getattr(people, who))
    for method, url, data in requests(pending_key, housing_plan):
        if who == "leader" and url.endswith("export.xlsx"):
            continue  # the county's leader reads every plan (see test_export_scope)
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), (who, method, url, response.status_code)
    assert Plan.objects.count() == 1 and SourceDocument.objects.count() == 0


def test_another_units_supervisor_gets_404(
    people: SimpleNamespace,
    login: Callable[[Any], Client],
    owner: Client,
    pending_key: str,
    housing_plan: Plan,
) -> None:
    client = login(people.bureau_supervisor)
    for method, url, data in requests(pending_key, housing_plan)[4:]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    # the county supervisor's pending import is untouched
    assert owner.get(reverse("import:preview", args=[pending_key])).status_code == 200
    assert Plan.objects.count() == 1


def test_supervisor_cannot_import_for_a_unit_outside_scope(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.bureau_supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = {**form_data(client, key), "owner_unit": str(org.root.pk), "action": "confirm"}
    response = client.post(reverse("import:preview", args=[key]), data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert Plan.objects.count() == 0


def test_anonymous_users_are_sent_to_login(pending_key: str, housing_plan: Plan) -> None:
    client = Client()
    for method, url, data in requests(pending_key, housing_plan):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and reverse("accounts:login") in response.url, (method, url)


def test_admin_and_supervisor_may_open_the_screens(
    people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    for user in (people.admin, people.supervisor, people.bureau_supervisor):
        client = login(user)
        assert client.get(reverse("import:plan")).status_code == 200
        assert client.get(reverse("import:xlsx")).status_code == 200


def test_get_only_and_post_only(
    people: SimpleNamespace, login: Callable[[Any], Client], pending_key: str, housing_plan: Plan
) -> None:
    client = login(people.supervisor)
    assert client.get(reverse("import:discard", args=[pending_key])).status_code == 405
    assert client.get(reverse("import:preview_row", args=[pending_key, 0])).status_code == 405
    assert client.post(reverse("ledger:plan_export", args=[housing_plan.pk])).status_code == 405
