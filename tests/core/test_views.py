"""Home per role, Chinese error pages, permission-checked downloads."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from tests.conftest import at, page_text

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


@pytest.mark.parametrize(
    ("who", "count", "label"),
    [
        ("supervisor", 3, "管辖范围任务"),
        ("leader", 3, "分管范围任务"),
        ("reporter", 2, "本单位承担任务"),
        ("section_reporter", 0, "本单位承担任务"),
        ("admin", 3, "管辖范围任务"),
    ],
)
def test_home_counts_tasks_in_scope(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str, count: int, label: str
) -> None:
    response = login(getattr(people, who)).get(reverse("front:home"))
    assert response.status_code == 200
    assert response.context["task_total"] == count
    body = response.content.decode()
    assert label in body and '<html lang="zh-Hans">' in body and "htmx" in body


def test_nav_shows_admin_link_to_staff_only(login: Login, people: SimpleNamespace) -> None:
    assert "管理后台" in login(people.admin).get(reverse("front:home")).content.decode()
    assert "管理后台" not in login(people.reporter).get(reverse("front:home")).content.decode()


def test_404_is_chinese(login: Login, people: SimpleNamespace) -> None:
    response = login(people.reporter).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def attachment(ledger: SimpleNamespace, people: SimpleNamespace) -> Any:
    report = services.submit_report(
        ledger.housing,
        people.housing_reporter,
        period="2026-03",
        text="见附件",
        percent=10,
        files=[SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 test")],
        now=at("2026-03-31"),
    )
    return report.attachments.get()


def test_attachment_download_in_scope(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    item = attachment(ledger, people)
    url = reverse("ledger:attachment_download", args=[item.pk])
    response = login(people.supervisor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"] and "private" in response["Cache-Control"]
    assert login(people.housing_reporter).get(url).status_code == 200


@pytest.mark.parametrize("who", ["reporter", "bureau_supervisor", "bureau_leader", "town_reporter"])
def test_attachment_download_out_of_scope_is_not_found_like_a_missing_one(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    """Another unit's file and a file that does not exist get the same 404 (no existence leak)."""
    item = attachment(ledger, people)
    client = login(getattr(people, who))
    response = client.get(reverse("ledger:attachment_download", args=[item.pk]))
    missing = client.get(reverse("ledger:attachment_download", args=[item.pk + 1000]))
    assert response.status_code == missing.status_code == 404

    assert page_text(response) == page_text(missing) and "不在您的管辖范围内" in page_text(response)


def test_download_needs_login(client: Client, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    item = attachment(ledger, people)
    assert client.get(reverse("ledger:attachment_download", args=[item.pk])).status_code == 302


def test_media_is_not_served_publicly(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    item = attachment(ledger, people)
    assert login(people.supervisor).get("/media/" + item.file.name).status_code == 404


def test_healthz(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"
