"""Lists in a real browser: the pager and the column sorts are clicked through, and no page breaks
the Content-Security-Policy (a violation is a console error)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_pages_and_sorts_the_task_list(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    from taizhang.ledger.models import Task

    Task.objects.bulk_create(
        Task(plan=ledger.plan, seq=10 + i, code=f"9.{i:02d}", title=f"批量任务{i:02d}", lead_unit=org.town)
        for i in range(60)
    )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server.url, people.supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/plans/{ledger.plan.pk}/")
    assert "第 1 / 2 页" in page.inner_text("#task-table")
    page.click("#task-table .pager a:has-text('下一页')")
    # (no wait_for_function: Playwright evaluates it with eval, which the CSP rightly refuses)
    page.locator("#task-table .pager span:has-text('第 2 / 2 页')").wait_for()
    assert "批量任务59" in page.inner_text("#task-table")
    page.click("#task-table .pager a:has-text('上一页')")
    page.locator("#task-table .pager span:has-text('第 1 / 2 页')").wait_for()
    page.click("#task-table th a:has-text('编号')")
    page.wait_for_load_state("networkidle")
    first_codes = page.locator("#task-table tbody tr td:first-child").all_inner_texts()
    assert first_codes and first_codes[0].strip().startswith("9.59"), first_codes[:3]
    assert errors == []
