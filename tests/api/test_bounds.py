"""Out-of-range numbers in the URL or the query string are the caller's mistake: a 422 in Chinese,
never a 500 from the database driver."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
HUGE = str(2**70)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/tasks/{HUGE}",
        f"/api/tasks/{HUGE}/reports",
        f"/api/plans/{HUGE}",
        f"/api/reports/{HUGE}",
        f"/api/tasks?page={HUGE}",
        f"/api/plans?page={HUGE}",
        f"/api/reports?page={HUGE}",
        f"/api/tasks?plan={HUGE}",
        f"/api/tasks?unit={HUGE}",
        f"/api/reports?plan={HUGE}",
        f"/api/reports?task={HUGE}",
        "/api/tasks?page=100000000000",
        "/api/tasks/0",
        "/api/tasks/-1",
    ],
)
def test_out_of_range_numbers_are_a_chinese_422(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, url: str
) -> None:
    response = login(people.supervisor).get(url)
    assert response.status_code == 422, (url, response.status_code, response.content)
    detail = response.json()["detail"]
    assert "不能" in detail or "应为" in detail, detail


@pytest.mark.parametrize("url", [f"/api/tasks/{HUGE}/reports", f"/api/reports/{HUGE}/review"])
def test_out_of_range_ids_on_writes_are_a_422(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, url: str
) -> None:
    response = login(people.supervisor).post(url, "{}", content_type="application/json")
    assert response.status_code == 422, (url, response.status_code, response.content)


def test_the_last_page_in_range_still_answers(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    response = login(people.supervisor).get("/api/tasks?page=100000")
    assert response.status_code == 200
    assert response.json()["items"] == []
