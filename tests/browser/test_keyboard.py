"""Each role's main job by keyboard alone (issue 12), with the focus always visible and never hidden.

The tests use only ``keyboard.press`` (Tab, Enter, Space, Escape) and ``keyboard.type`` once a page
is open: no clicks, no ``fill``. After every Tab the focused element must show its focus ring and
must not sit behind anything (the import preview's sticky bar, the header). Pages that the walk
cannot reach (answers to a POST: the import preview, a form sent back with a mistake) get axe and
the reference checks here.
"""

from __future__ import annotations

import re
import time
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import PASSWORD

from .checks import PHONE, axe_violations, broken_references, focus_problem
from .test_flows import PLAN_TEXT

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 150


def tab_to(page: Any, selector: str, *, shift: bool = False) -> None:
    """Press Tab until the focused element matches ``selector``, checking the focus at every step."""
    key = "Shift+Tab" if shift else "Tab"
    if page.evaluate("s => document.activeElement.matches(s)", selector):
        return  # already there (the login form's autofocus)
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("document.activeElement === document.body"):
            continue  # past the last stop the focus leaves the page for the browser's own controls
        problem = focus_problem(page)
        assert not problem, problem
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by {MAX_TABS} presses of {key}")


def wait_until(page: Any, script: str, arg: Any = None, timeout: float = 10) -> None:
    """Poll ``script`` (a function of ``arg``) until it is true. Not ``wait_for_function``: Playwright
    runs that through eval, which the pages' Content-Security-Policy rightly refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script} ({arg})"
        page.wait_for_timeout(50)


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def send(page: Any, selector: str) -> None:
    """Tab to the form's button and press Enter; wait for the page that answers."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)"))


def keyboard_log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login" not in page.url, f"{username} could not log in"


def clean(page: Any) -> None:
    """axe and the reference checks pass on the page as it is now."""
    problems = axe_violations(page) + broken_references(page)
    assert not problems, "\n".join(problems)


def test_reporter_reports_progress_by_keyboard(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from taizhang.ledger.models import ProgressReport, ReviewState

    keyboard_log_in(page, live_server.url, people.reporter.username)
    # The skip link is the first stop and takes the focus past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.skip-link')"), focused(page)
    assert not focus_problem(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    send(page, f"a[href*='/tasks/{ledger.transport.pk}/report/']")
    # Sent empty: the page comes back with the mistake tied to its field, and the focus on that field.
    send(page, "button[type=submit].primary")
    invalid = page.locator("main [aria-invalid=true]")
    assert invalid.count() >= 1
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true", focused(page)
    assert not focus_problem(page)
    described = page.evaluate(
        "() => document.activeElement.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent.trim())"
    )
    assert any(re.search(r"请|必须|不能", text) for text in described), described
    clean(page)

    page.evaluate("document.activeElement.blur()")
    type_into(page, "textarea[name=text]", "本月完成县道路基施工12公里，累计完成30公里。")
    type_into(page, "input[name=percent]", "60")
    send(page, "button[type=submit].primary")

    report = ProgressReport.objects.get(task=ledger.transport)
    assert report.state == ReviewState.PENDING and report.percent == 60
    assert report.text == "本月完成县道路基施工12公里，累计完成30公里。"


def test_supervisor_reviews_by_keyboard(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from taizhang.ledger import services
    from taizhang.ledger.models import ProgressReport, ReviewState
    from taizhang.ledger.periods import due_period, today

    period = due_period(ledger.plan, today())
    assert period
    report = services.submit_report(
        ledger.transport, people.reporter, period=period, text="路基完成", percent=40
    )

    keyboard_log_in(page, live_server.url, people.supervisor.username)
    page.goto(f"{live_server.url}/reviews/")
    # The review comment has a real label, not only a placeholder.
    assert page.locator(f"label[for=comment-{report.pk}]").inner_text().startswith("审核意见")
    live = page.locator("#live")
    assert live.count() == 1 and live.get_attribute("aria-live") == "polite"  # there before any swap

    # 退回 without a comment: the error comes back in place, tied to the comment, and is announced.
    tab_to(page, f"#report-{report.pk} button[value=return]")
    with page.expect_response(lambda r: r.request.method == "POST" and "/review" in r.url):
        page.keyboard.press("Enter")
    wait_until(page, "() => document.activeElement.getAttribute('aria-invalid') === 'true'")
    assert page.evaluate("document.activeElement.name") == "comment"
    assert not focus_problem(page)
    error_id = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    error = page.locator(f"#{error_id}").inner_text()
    assert "退回" in error or "意见" in error, error
    wait_until(page, "t => document.getElementById('live').textContent.includes(t)", error.strip()[:6])
    clean(page)

    # Then 通过: the result replaces the form, the focus moves to it (not to <body>) and is announced.
    tab_to(page, f"#report-{report.pk} button[value=approve]")
    with page.expect_response(lambda r: r.request.method == "POST" and "/review" in r.url):
        page.keyboard.press("Enter")
    wait_until(page, "() => document.getElementById('live').textContent.includes('已通过')")
    assert page.evaluate(f"document.activeElement.closest('#report-{report.pk}') !== null"), focused(page)
    assert not focus_problem(page)
    report = ProgressReport.objects.get(pk=report.pk)
    assert report.state == ReviewState.APPROVED and report.reviewer == people.supervisor


def test_supervisor_imports_a_plan_by_keyboard(page: Any, live_server: Any, people: SimpleNamespace) -> None:
    from taizhang.ledger.models import Plan, Task

    keyboard_log_in(page, live_server.url, people.supervisor.username)
    page.goto(f"{live_server.url}/import/")
    type_into(page, "textarea[name=text]", PLAN_TEXT)
    send(page, "button[type=submit]")
    page.wait_for_url("**/import/preview/**")
    clean(page)
    # Every field of the preview, in order, down to 确认导入: none hides behind the sticky bar.
    send(page, "button[value=confirm]")
    plan = Plan.objects.get(title="测试县2026年民生实事工作计划")
    assert Task.objects.filter(plan=plan).count() == 3
    assert "已导入计划《测试县2026年民生实事工作计划》，共 3 项任务" in page.inner_text("main")


def test_leader_writes_an_instruction_by_keyboard(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from taizhang.ledger.models import Comment

    keyboard_log_in(page, live_server.url, people.leader.username)
    page.goto(f"{live_server.url}/tasks/{ledger.transport.pk}/")
    type_into(page, "textarea[name=text]", "请加快进度，确保年底前完成。")
    send(page, "button[type=submit].primary")
    comment = Comment.objects.get(task=ledger.transport)
    assert comment.author == people.leader and comment.text == "请加快进度，确保年底前完成。"
    assert "请加快进度" in page.inner_text("#comments ~ .comment, main")


def test_phone_menu_opens_by_keyboard_and_reaches_log_out(
    browser: Any, live_server: Any, people: SimpleNamespace
) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        keyboard_log_in(page, live_server.url, people.reporter.username)
        nav = page.locator("#main-nav")
        assert not nav.is_visible()  # folded on a phone
        tab_to(page, "button.nav-button")
        assert page.get_attribute("button.nav-button", "aria-expanded") == "false"
        assert page.get_attribute("button.nav-button", "aria-controls") == "main-nav"
        page.keyboard.press("Enter")
        assert page.get_attribute("button.nav-button", "aria-expanded") == "true"
        assert nav.is_visible()
        # Escape folds it and gives the focus back to the button; Space opens it again.
        page.keyboard.press("Escape")
        assert page.get_attribute("button.nav-button", "aria-expanded") == "false"
        assert page.evaluate("document.activeElement.matches('button.nav-button')")
        page.keyboard.press("Space")
        assert nav.is_visible()
        tab_to(page, "#main-nav button[type=submit]")
        assert page.evaluate("document.activeElement.textContent.trim()") == "退出"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.goto(f"{live_server.url}/")
        assert "/accounts/login" in page.url  # logged out
    finally:
        context.close()


def test_phone_menu_without_javascript_is_simply_there(
    browser: Any, live_server: Any, people: SimpleNamespace
) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        keyboard_log_in(page, live_server.url, people.reporter.username)
        assert not page.locator("button.nav-button").is_visible()  # a button that would do nothing is hidden
        send(page, "#main-nav button[type=submit]")
        page.goto(f"{live_server.url}/")
        assert "/accounts/login" in page.url  # logged out
    finally:
        context.close()
