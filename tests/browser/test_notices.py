"""督办单 in a real browser: the supervisor sends one from the task page, the unit's reporter
answers it from its home, the supervisor accepts the answer."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import PASSWORD

from .conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_sends_an_order_the_unit_answers_and_it_is_closed(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from taizhang.supervision.models import Notice, NoticeState

    log_in(page, live_server.url, people.supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/tasks/{ledger.transport.pk}/")
    page.click("a.button:has-text('发督办通知')")
    page.check("input[name=kind][value=order]")
    assert page.is_checked(f"input[name=tasks][value='{ledger.transport.pk}']")
    shot(page, "notice-form")
    page.click("button[type=submit]:has-text('发出通知')")
    page.wait_for_load_state("networkidle")
    notice = Notice.objects.get()
    assert notice.kind == "order" and notice.state == NoticeState.PENDING
    assert notice.doc_number in page.inner_text("main")

    page.context.clear_cookies()
    log_in(page, live_server.url, people.reporter.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    page.click(f"a.button[href='/supervision/notices/{notice.pk}/#reply']")
    page.fill("textarea[name=text]", "已召开专题会，倒排工期，增加两个作业面。")
    shot(page, "notice-reply")
    page.click("button[type=submit]:has-text('提交回复')")
    page.wait_for_load_state("networkidle")
    notice.refresh_from_db()
    assert notice.state == NoticeState.REPLIED
    assert "等待督查人员审核" in page.inner_text("main")

    page.context.clear_cookies()
    log_in(page, live_server.url, people.supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/supervision/notices/?state=replied")
    page.click(f"a:has-text('{notice.doc_number}')")
    assert "已召开专题会" in page.inner_text("main")
    page.click("button[name=decision][value=accept]")
    page.wait_for_load_state("networkidle")
    notice.refresh_from_db()
    assert notice.state == NoticeState.CLOSED and notice.decided_by == people.supervisor
    assert "已办结" in page.inner_text("main")
    shot(page, "notice-closed")
