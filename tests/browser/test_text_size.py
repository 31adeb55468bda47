"""Large text (issue 12): the page follows the browser's font size, and 大字版 enlarges it further for
the person who chose it, in every browser they log in from."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import PASSWORD

from .checks import PHONE, focus_problem, reflow_problems
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = """() => ({
  root: parseFloat(getComputedStyle(document.documentElement).fontSize),
  body: parseFloat(getComputedStyle(document.querySelector('main p') || document.body).fontSize),
  h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
})"""


def browser_default_font(page: Any, size: int) -> None:
    """Set the browser's own default font size, as a reader does in its settings (Chromium's
    ``webkit.webprefs.default_font_size``), through the DevTools protocol."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": size, "fixed": size}})


def test_a_larger_browser_font_enlarges_the_page(
    page: Any, live_server: Any, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    log_in(page, live_server.url, people.supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/tasks/{ledger.transport.pk}/")
    normal = page.evaluate(SIZES)
    assert normal["root"] == 16
    browser_default_font(page, 24)
    page.reload()
    large = page.evaluate(SIZES)
    assert large["root"] == 24
    assert large["body"] == pytest.approx(normal["body"] * 1.5)
    assert large["h1"] == pytest.approx(normal["h1"] * 1.5)
    # Still no sideways scrolling on a phone with the larger font.
    page.set_viewport_size(PHONE)
    assert reflow_problems(page, PHONE["width"]) == []


def test_large_text_switch_by_keyboard_is_kept_for_the_person(
    page: Any, browser: Any, live_server: Any, people: SimpleNamespace
) -> None:
    log_in(page, live_server.url, people.leader.username, PASSWORD)
    page.goto(f"{live_server.url}/plans/")
    normal = page.evaluate(SIZES)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button.text-size-button')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "false"
    assert not focus_problem(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/plans/")  # back on the same page
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.get_attribute("button.text-size-button", "aria-pressed") == "true"
    large = page.evaluate(SIZES)
    assert large["root"] == 20
    assert large["body"] == pytest.approx(normal["body"] * 1.25)
    assert large["h1"] == pytest.approx(normal["h1"] * 1.25)
    people.leader.refresh_from_db()
    assert people.leader.large_text is True

    # Another browser: the person's choice, not the browser's; and on top of the browser's own size.
    other = browser.new_context(locale="zh-CN")
    try:
        again = other.new_page()
        log_in(again, live_server.url, people.leader.username, PASSWORD)
        browser_default_font(again, 24)
        again.goto(f"{live_server.url}/plans/")
        assert again.evaluate(SIZES)["root"] == 30
        # Turned off from there, with the same button.
        with again.expect_navigation():
            again.click("button.text-size-button")
        assert again.evaluate(SIZES)["root"] == 24
    finally:
        other.close()
    people.leader.refresh_from_db()
    assert people.leader.large_text is False
