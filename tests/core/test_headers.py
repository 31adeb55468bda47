"""Response headers and page markup that the browser's security rules rely on: a strict
Content-Security-Policy (and pages that need nothing inline), no caching of signed-in pages, our
own favicon, and Chinese answers to oversize requests."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


def pages(ledger: SimpleNamespace) -> list[str]:
    return [
        reverse("front:home"),
        reverse("ledger:plan_list"),
        reverse("ledger:plan_detail", args=[ledger.plan.pk]),
        reverse("ledger:plan_print", args=[ledger.plan.pk]),
        reverse("ledger:task_detail", args=[ledger.transport.pk]),
        reverse("ledger:task_edit", args=[ledger.transport.pk]),
        reverse("ledger:review_queue"),
        reverse("import:plan"),
        reverse("import:xlsx"),
        reverse("admin:index"),
        reverse("admin:ledger_task_change", args=[ledger.transport.pk]),
        reverse("admin:auditlog_logentry_changelist"),
    ]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.S), "inline script"),
    (re.compile(r"<style[\s>]"), "style block"),
    (re.compile(r"\sstyle=[\"']"), "style attribute"),
    (re.compile(r"\son[a-z]+=[\"']"), "event handler attribute"),
    (re.compile(r"\shx-on[:-]"), "htmx inline handler"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


def test_the_policy_allows_only_our_own_scripts_and_styles(client: Client) -> None:
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_need_nothing_inline(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    found = []
    for who in ("admin", "supervisor", "leader", "reporter"):
        browser = login(getattr(people, who))
        for url in pages(ledger):
            response = browser.get(url)
            if response.status_code != 200:
                continue
            body = response.content.decode()
            assert "Content-Security-Policy" in response, url
            for pattern, what in INLINE:
                match = pattern.search(body)
                if match:
                    found.append((who, url, what, body[max(0, match.start() - 60) : match.end() + 60]))
    assert found == []


def test_login_and_error_pages_need_nothing_inline(client: Client) -> None:
    for url in (reverse("accounts:login"), "/no-such-page/"):
        body = client.get(url).content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(body), (url, what)
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    for pattern, what in INLINE:
        assert not pattern.search(body), ("500.html", what)


def test_htmx_is_served_from_our_origin_and_injects_no_style(client: Client) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', body)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert any("htmx" in src for src in scripts)
    assert '"includeIndicatorStyles": false' in body


def test_signed_in_pages_are_not_stored(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    browser = login(people.supervisor)
    for url in pages(ledger):
        response = browser.get(url)
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"], url
    api = browser.get("/api/me")
    assert "no-store" in api["Cache-Control"]


def test_favicon_is_our_own(client: Client, login: Login, people: SimpleNamespace) -> None:
    body = login(people.reporter).get(reverse("front:home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', body)
    assert icon and icon.group(1).startswith("/static/") and icon.group(1).endswith(".svg")
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 302 and redirect["Location"] == icon.group(1)
    from django.contrib.staticfiles import finders

    path = finders.find("taizhang/favicon.svg")
    assert path
    with open(path, encoding="utf-8") as icon_file:
        assert "<svg" in icon_file.read()


def test_print_title_says_taizhang_once(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    body = login(people.supervisor).get(reverse("ledger:plan_print", args=[ledger.plan.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title and title.group(1).strip() == f"{ledger.plan.title}任务台账"


# --- oversize requests --------------------------------------------------------------------------


def test_a_declared_oversize_body_is_refused_in_chinese_before_it_is_read(
    client: Client, settings: Any
) -> None:
    settings.TAIZHANG_MAX_UPLOAD_MB = 1
    settings.TAIZHANG_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    response = client.post(
        reverse("accounts:login"),
        "x=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "过大" in body and "1 MB" in body and "TAIZHANG_MAX_UPLOAD_MB" in body


def test_the_api_refuses_oversize_bodies_in_json(client: Client, settings: Any) -> None:
    settings.TAIZHANG_MAX_REQUEST_BYTES = 1024
    response = client.post(
        "/api/tasks/1/reports", "{}", content_type="application/json", CONTENT_LENGTH="5000"
    )
    assert response.status_code == 413 and "过大" in response.json()["detail"]


def test_django_request_data_too_big_is_chinese_too(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("accounts:login"), {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "过大" in response.content.decode()
