"""The three flows of issue 3 in a real browser: import a plan, report progress, approve it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import PASSWORD

from .conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_TEXT = """测试县2026年民生实事工作计划
一、重点任务
（一）完成县道改造提升工程。由县交通运输局牵头，县住建局配合，6月底前完成。
（二）实施老旧小区改造xx个。由县住建局牵头，年底前完成。
（三）建设美丽乡村示范点。由青石镇负责。
"""


def test_supervisor_imports_a_plan_and_confirms(page: Any, live_server: Any, people: SimpleNamespace) -> None:
    from taizhang.ledger.models import Plan, Task

    log_in(page, live_server.url, people.supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/import/")
    page.fill("textarea[name=text]", PLAN_TEXT)
    page.click("button:has-text('读取并预览')")
    page.wait_for_url("**/import/preview/**")
    # The task texts sit in editable fields, so read the page's HTML rather than its visible text.
    html = page.content()
    assert "完成县道改造提升工程" in html and "建设美丽乡村示范点" in html
    assert "识别出 3 项任务" in page.inner_text("main")
    shot(page, "import-preview")
    page.click("button:has-text('确认导入')")
    page.wait_for_url("**/plans/**")
    assert "已导入计划《测试县2026年民生实事工作计划》，共 3 项任务" in page.inner_text("body")
    shot(page, "import-done-plan")

    plan = Plan.objects.get(title="测试县2026年民生实事工作计划")
    tasks = list(Task.objects.filter(plan=plan).select_related("lead_unit").order_by("seq"))
    assert [t.lead_unit.name if t.lead_unit else None for t in tasks] == [
        "县交通运输局",
        "县住房和城乡建设局",
        "青石镇",
    ]
    assert page.url.rstrip("/").endswith(f"/plans/{plan.pk}")
    assert "完成县道改造提升工程" in page.inner_text("main")


def test_reporter_submits_and_supervisor_approves(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from taizhang.ledger.models import ProgressReport, ReviewState

    log_in(page, live_server.url, people.reporter.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    shot(page, "reporter-home")
    page.click(f"a.button:has-text('填报')[href*='/tasks/{ledger.transport.pk}/report/']")
    page.fill("textarea[name=text]", "本月完成县道路基施工12公里，累计完成30公里。")
    page.fill("input[name=percent]", "60")
    page.click("button[type=submit]:has-text('报送')")
    page.wait_for_load_state("networkidle")
    shot(page, "reporter-submitted")
    report = ProgressReport.objects.get(task=ledger.transport)
    assert report.state == ReviewState.PENDING
    assert report.percent == 60

    page.context.clear_cookies()
    log_in(page, live_server.url, people.supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/reviews/")
    assert "本月完成县道路基施工12公里" in page.inner_text("main")
    shot(page, "review-queue")
    # The approval is an htmx POST: wait for its response, not for "network idle", which can come
    # before htmx has sent anything on a loaded machine.
    with page.expect_response(lambda r: r.request.method == "POST" and "/review" in r.url):
        page.click("button[name=decision][value=approve]")
    report.refresh_from_db()
    assert report.state == ReviewState.APPROVED
    assert report.reviewer == people.supervisor
    page.goto(f"{live_server.url}/tasks/{ledger.transport.pk}/")
    assert "已通过" in page.inner_text("main")
    shot(page, "task-timeline")


def test_pages_fit_a_phone(
    browser: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server.url, people.reporter.username, PASSWORD)
        page.goto(f"{live_server.url}/")
        # Nothing wider than the screen: the page must not scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        shot(page, "reporter-home-phone")
        assert overflow <= 1
    finally:
        context.close()
