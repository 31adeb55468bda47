"""Walk every page of every role in a real browser (issues 6 and 12).

For each role of the demo county the crawler logs in, starts from home and follows every same-origin
link it finds (GET only), pager and sort links included. It fails on a console error, an uncaught
page error or a 4xx/5xx answer to any request (sub-resources included). On the first page of each
URL pattern it also runs axe-core (wcag2a, wcag2aa, wcag21aa) at desktop and phone width and the
checks of ``checks.page_problems`` (ids that attributes point at exist, help texts are tied to their
fields, tap targets of 44 px at phone width, no sideways scrolling at 320 px, at 200 % zoom or with
大字版 on a phone, wide tables scroll inside a labelled region), and fails on any of them. A non-HTML
answer (a file download) is recognised by its Content-Type and not rendered. Every page a later
piece of work adds is reached from home and checked the same way.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

from .checks import DESKTOP, PHONE, axe_violations, page_problems
from .conftest import ARTIFACTS, LAUNCH_ARGS  # noqa: F401  (LAUNCH_ARGS documents the browser set-up)

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGES = 200  # per role
PER_PATTERN = 2  # instances of one URL pattern (e.g. /tasks/<id>/) visited per role
# Logging out ends the walk; the admin's log-out too. Both are POST forms today, the guard is for links.
NEVER = re.compile(r"/(accounts/)?logout/|/admin/logout/")

# Defects the walk found that belong to another piece of work (issue 6's permission module): listed
# here so the walk still runs and asserts everything else. Remove an entry when its fix lands.
# - A co-unit's reporter (住建局) gets 填报 links on its home to the lead unit's report form, which
#   answers 403 since the permission module landed (home and permissions disagree).
KNOWN: list[re.Pattern[str]] = []

# The roles of the demo county (taizhang.ledger.demo): root supervisor, leader, bureau supervisor,
# reporter, a reporter whose unit co-operates on others' tasks (住建局 on 交通局's), admin.
ROLES = ["duchashi", "xianzhang", "jt_duchashi", "jiaotong", "zhujian", "admin"]


def normalise(url: str) -> str:
    """The URL without fragment, query parameters sorted (same page, whatever their order)."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{parts.path}?{query}" if query else parts.path


def pattern(url: str) -> str:
    """The page's template, roughly: numbers in the path generalised, query parameter names kept."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + (f"?{'&'.join(keys)}" if keys else "")


@dataclass
class Walk:
    base: str
    problems: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)
    layout: dict[str, list[str]] = field(default_factory=dict)
    audited: list[str] = field(default_factory=list)  # one line per checked page: its counts
    visited: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    current: str = ""


def walk(browser: Any, base: str, username: str, password: str, *, axe: bool = True) -> Walk:
    from playwright.sync_api import Error as PlaywrightError

    result = Walk(base=base)
    origin = urlsplit(base).netloc
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport=DESKTOP, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            result.problems.append(f"{result.current}: console error: {msg.text}")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            result.problems.append(f"{result.current}: HTTP {response.status} for {response.url}")

    def on_request(request: Any) -> None:
        if urlsplit(request.url).netloc != origin and not request.url.startswith(("data:", "about:")):
            result.problems.append(f"{result.current}: request to an outside host: {request.url}")

    def navigation(route: Any) -> None:
        # A page that answers with a file is not rendered: recognised by its Content-Type.
        request = route.request
        if request.method != "GET" or not request.is_navigation_request() or request.frame != page.main_frame:
            route.continue_()
            return
        response = route.fetch()
        kind = response.headers.get("content-type", "")
        if response.status < 400 and not kind.startswith("text/html"):
            result.downloads.append(f"{normalise(request.url)} ({kind})")
            route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body="<!DOCTYPE html><title>file</title>"
            )
            return
        route.fulfill(response=response)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: result.problems.append(f"{result.current}: page error: {exc}"))
    page.on("response", on_response)
    page.on("request", on_request)
    page.route("**/*", navigation)

    result.current = "/accounts/login/"
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/accounts/login" not in page.url, f"{username} could not log in"

    queue: deque[str] = deque(["/"])
    seen = {"/"}
    per_pattern: dict[str, int] = {}
    while queue and len(result.visited) < MAX_PAGES:
        url = queue.popleft()
        key = pattern(url)
        # Django's own admin: each of its page kinds once (its many filter links repeat one template).
        limit = 1 if url.startswith("/admin/") else PER_PATTERN
        if per_pattern.get(key, 0) >= limit:
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        result.current = url
        try:
            page.goto(base + url, wait_until="load")
        except PlaywrightError as exc:
            result.problems.append(f"{url}: could not open: {exc}")
            continue
        result.visited.append(url)
        print(f"walk {username}: {len(result.visited)} {url}", flush=True)
        if any(d.startswith(url) for d in result.downloads[-1:]):
            continue
        # axe checks our templates; Django's admin is Django's (its own accessibility work).
        if axe and per_pattern[key] == 1 and not url.startswith("/admin/"):
            desktop = axe_violations(page)
            page.set_viewport_size(PHONE)
            phone = axe_violations(page)
            page.set_viewport_size(DESKTOP)
            if desktop or phone:
                result.axe[url] = desktop + [f"[390px] {v}" for v in phone]
            layout = page_problems(page)
            if layout:
                result.layout[url] = layout
            result.audited.append(
                f"{url}: axe {len(desktop)} desktop, {len(phone)} phone; other {len(layout)}"
            )
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            target = urljoin(page.url, href)
            parts = urlsplit(target)
            if parts.netloc != origin or NEVER.search(parts.path):
                continue
            found_url = normalise(target)
            if found_url not in seen:
                seen.add(found_url)
                queue.append(found_url)
    context.close()
    return result


@pytest.fixture
def demo(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.archive.demo import load_demo as load_archive_demo
    from taizhang.front import views as front_views
    from taizhang.indicators.demo import load_demo as load_indicators_demo
    from taizhang.ledger import views as ledger_views
    from taizhang.ledger.demo import load_demo

    # Short pages, so that every list of the demo county has a pager to click through.
    monkeypatch.setattr(ledger_views, "TASKS_PER_PAGE", 10)
    monkeypatch.setattr(ledger_views, "REVIEWS_PER_PAGE", 3)
    monkeypatch.setattr(front_views, "LAGGING_PER_PAGE", 3)
    summary = load_demo()
    load_indicators_demo(summary.as_of)
    load_archive_demo()


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_every_role(browser: Any, live_server: Any, demo: None, username: str) -> None:
    from django.db import connection

    from taizhang.ledger.demo import DEMO_PASSWORD

    if connection.vendor != "sqlite":
        pytest.skip("the walk checks pages, not the database: it runs once, in the SQLite pass of make test")
    result = walk(browser, live_server.url, username, DEMO_PASSWORD)
    report = ARTIFACTS / f"walk-{username}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        "\n".join(
            [f"pages: {len(result.visited)}", *result.visited, "downloads:", *result.downloads]
            + [f"audited: {len(result.audited)}", *result.audited]
            + ["problems:", *result.problems, "axe:"]
            + [f"{url}: {v}" for url, vs in result.axe.items() for v in vs]
            + ["layout:"]
            + [f"{url}: {v}" for url, vs in result.layout.items() for v in vs]
        ),
        encoding="utf-8",
    )
    problems = [p for p in result.problems if not any(k.search(p) for k in KNOWN)]
    # A walk that stopped at home proves nothing.
    assert len(result.visited) >= 5, result.visited
    assert not problems, "\n".join(problems)
    if username == "duchashi":  # the walk really clicks pagers and sorts (the '??page=2' defect of issue 6)
        queries = [dict(parse_qsl(urlsplit(url).query)) for url in result.visited]
        assert any(q.get("page") == "2" for q in queries), result.visited
        assert any("sort" in q for q in queries), result.visited
        # the 月通报 page, reached from the home and the plan page (its .docx is a download)
        assert any(re.search(r"/writing/plans/\d+/bulletin/", url) for url in result.visited), result.visited
        assert any("/bulletin.docx" in d for d in result.downloads), result.downloads
        # 对账, reached from the plan page, and its open form (choose a plan or upload one)
        assert any(re.search(r"/plans/\d+/reconcile/", url) for url in result.visited), result.visited
        assert any(url.startswith("/reconcile/") for url in result.visited), result.visited
    assert not result.axe, "\n".join(f"{url}: {v}" for url, vs in result.axe.items() for v in vs)
    assert not result.layout, "\n".join(f"{url}: {v}" for url, vs in result.layout.items() for v in vs)


def test_normalise_ignores_query_order() -> None:
    assert normalise("http://x/a/?b=2&a=1#top") == normalise("http://x/a/?a=1&b=2")
    assert pattern("http://x/tasks/12/report/?page=3") == "/tasks/<n>/report/?page"


@pytest.fixture
def county_with_history(db: None) -> None:
    """The demo county with everything the cockpit reads: colours, notices, published rankings."""
    from taizhang.indicators.demo import load_demo as load_indicators_demo
    from taizhang.ledger.demo import load_demo
    from taizhang.rankings.demo import load_demo as load_rankings_demo
    from taizhang.supervision.demo import load_demo as load_supervision_demo

    summary = load_demo()
    load_indicators_demo(summary.as_of)
    load_supervision_demo(summary.as_of)
    load_rankings_demo(summary.as_of)


def test_the_cockpit_on_a_phone(browser: Any, live_server: Any, county_with_history: None) -> None:
    """The leader's cockpit at 390 px: every chart is drawn (an SVG as wide as the screen allows,
    with marks in it), its numbers open below it, nothing is wider than the screen, axe passes."""
    from django.db import connection

    from taizhang.ledger.demo import DEMO_PASSWORD

    if connection.vendor != "sqlite":
        pytest.skip("pages, not the database: the SQLite pass")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "xianzhang")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.click("text=打开驾驶舱")
    page.wait_for_load_state()
    assert "/cockpit/" in page.url
    charts = page.eval_on_selector_all(
        "svg.chart",
        """els => els.map(e => ({id: e.getAttribute('aria-labelledby'), w: e.getBoundingClientRect().width,
            h: e.getBoundingClientRect().height, marks: e.querySelectorAll('rect, path, circle, polygon').length}))""",
    )
    assert len(charts) == 5, charts
    for chart in charts:
        assert 300 <= chart["w"] <= 390 and chart["h"] > 40 and chart["marks"] > 0, chart
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#trend-heading ~ figure summary")
    assert page.is_visible("#trend-heading ~ figure details table")
    page.screenshot(path=str(ARTIFACTS / "cockpit-390.png"), full_page=True)
    violations = axe_violations(page)
    context.close()
    assert not errors, errors
    assert not violations, "\n".join(violations)
