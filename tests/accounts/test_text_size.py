"""The header's 大字版 switch (适老化): a plain POST form, kept on the user, shown as a class on <html>."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("accounts:text_size")


def test_the_switch_is_in_every_page_header(login: Callable[[Any], Client], people: SimpleNamespace) -> None:
    body = login(people.reporter).get(reverse("ledger:plan_list")).content.decode()
    assert '<html lang="zh-Hans">' in body
    assert f'action="{URL}"' in body
    assert '<input type="hidden" name="next" value="/plans/">' in body
    assert '<input type="hidden" name="large" value="1">' in body
    assert 'aria-pressed="false">大字版</button>' in body


def test_turning_it_on_is_kept_and_returns_to_the_page(
    login: Callable[[Any], Client], people: SimpleNamespace
) -> None:
    client = login(people.reporter)
    response = client.post(URL, {"large": "1", "next": "/plans/?page=2"})
    assert response.status_code == 302 and response.url == "/plans/?page=2"
    people.reporter.refresh_from_db()
    assert people.reporter.large_text is True
    # A new session (another browser) gets the large text too: it is the person's, not the browser's.
    body = login(people.reporter).get(reverse("front:home")).content.decode()
    assert '<html lang="zh-Hans" class="large-text">' in body
    assert '<input type="hidden" name="large" value="0">' in body
    assert 'aria-pressed="true">大字版</button>' in body


def test_turning_it_off(login: Callable[[Any], Client], people: SimpleNamespace) -> None:
    people.leader.large_text = True
    people.leader.save()
    client = login(people.leader)
    client.post(URL, {"large": "0", "next": "/"})
    people.leader.refresh_from_db()
    assert people.leader.large_text is False
    assert 'class="large-text"' not in client.get("/").content.decode()


def test_pressing_twice_does_not_flip_it_back(
    login: Callable[[Any], Client], people: SimpleNamespace
) -> None:
    client = login(people.reporter)
    client.post(URL, {"large": "1"})
    client.post(URL, {"large": "1"})
    people.reporter.refresh_from_db()
    assert people.reporter.large_text is True


def test_it_never_sends_to_another_host(login: Callable[[Any], Client], people: SimpleNamespace) -> None:
    response = login(people.reporter).post(URL, {"large": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("front:home")


def test_only_a_logged_in_post_changes_it(
    client: Client, login: Callable[[Any], Client], people: SimpleNamespace
) -> None:
    response = client.post(URL, {"large": "1"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert login(people.reporter).get(URL).status_code == 405
    people.reporter.refresh_from_db()
    assert people.reporter.large_text is False


def test_it_needs_the_csrf_token(people: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.reporter)
    assert client.post(URL, {"large": "1"}).status_code == 403
    people.reporter.refresh_from_db()
    assert people.reporter.large_text is False


def test_the_login_banner_names_the_system_not_the_host(client: Client) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<a class="brand" href="/">重点工作台账</a>' in body
    assert "testserver" not in body
