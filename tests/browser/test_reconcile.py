"""对账 in a real browser: from the plan page, upload a summary, read the result — 未提及 tasks stand
out on screen and on paper, 计划外 passages listed, axe clean at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from .checks import PHONE, axe_violations
from .conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY = """示范县2026年工作总结
一、主要工作成效
（一）交通建设。全年完成县道大修和改造48公里，新改建农村公路60公里，完成危桥改造6座。
（二）城市管理。完成老旧小区改造12个，惠及居民2100户；城区生活垃圾分类覆盖率达到92%。
（三）其他工作。承办全省山地自行车邀请赛，吸引游客3万人次。
二、存在的问题
财政收支平衡压力较大。
"""


@pytest.fixture
def demo(db: None) -> None:
    from taizhang.ledger.demo import load_demo

    load_demo()


def test_a_supervisor_reconciles_the_plan_with_a_summary(browser: Any, live_server: Any, demo: None) -> None:
    from django.db import connection

    from taizhang.ledger.demo import DEMO_PASSWORD

    if connection.vendor != "sqlite":
        pytest.skip("pages, not the database: the SQLite pass")
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "duchashi", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/")
    page.click("table a[href^='/plans/']")
    page.click("a:has-text('对账')")
    page.wait_for_url("**/reconcile/")
    page.set_input_files(
        "input[name=summary_file]",
        files=[{"name": "2026年工作总结.txt", "mimeType": "text/plain", "buffer": SUMMARY.encode("utf-8")}],
    )
    page.click("button:has-text('开始对账')")
    page.wait_for_selector("#result-heading")
    main = page.inner_text("main")
    assert "计划外段落（1 段）" in main and "山地自行车" in main
    mentioned = page.eval_on_selector_all(
        "table.reconcile-table tbody tr:not(.unmentioned) td.col-task", "els => els.map(e => e.innerText)"
    )
    assert any("县道" in t for t in mentioned) and any("老旧小区" in t for t in mentioned), mentioned
    assert any("垃圾分类" in t for t in mentioned), mentioned
    unmentioned = page.locator("table.reconcile-table tr.unmentioned")
    assert unmentioned.count() >= 10  # the demo plan's other tasks
    # 未提及 stands out: its row has a coloured background on screen and a grey one on paper
    screen = unmentioned.first.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert screen not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), screen
    page.click("details.by-passage summary")  # each passage with its tasks, checked by axe too
    assert "计划外" in page.inner_text("details.by-passage")
    shot(page, "reconcile-result")
    violations = axe_violations(page)
    page.set_viewport_size(PHONE)
    violations += [f"[390px] {v}" for v in axe_violations(page)]
    shot(page, "reconcile-result-390")
    page.emulate_media(media="print")
    assert not page.is_visible("form.reconcile-form")
    assert page.is_visible("table.reconcile-table")
    paper = unmentioned.first.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert paper == "rgb(238, 238, 238)", paper
    context.close()
    assert not errors, errors
    assert not violations, "\n".join(violations)
