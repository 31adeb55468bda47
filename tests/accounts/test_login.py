"""Login: Chinese pages, argon2 hashes, throttling by django-axes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(people: SimpleNamespace) -> None:
    from taizhang import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert people.reporter.password.startswith("argon2$argon2id$")


def test_login_page_is_chinese(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-Hans">' in body and "登录" in body and "用户名" in body


def test_login_and_logout(client: Client, people: SimpleNamespace) -> None:
    response = client.post(reverse("accounts:login"), {"username": "jiaotong", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("front:home")
    assert client.get(reverse("front:home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("front:home")).status_code == 302


def test_wrong_password_shows_a_chinese_error(client: Client, people: SimpleNamespace) -> None:
    response = client.post(reverse("accounts:login"), {"username": "jiaotong", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_out(client: Client, people: SimpleNamespace) -> None:
    url = reverse("accounts:login")
    for _ in range(4):
        assert client.post(url, {"username": "jiaotong", "password": "wrong"}).status_code == 200
    locked = client.post(url, {"username": "jiaotong", "password": "wrong"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # even the right password is refused while locked
    again = client.post(url, {"username": "jiaotong", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get(reverse("front:home")).status_code == 302
    # another account from the same address is not locked
    other = client.post(url, {"username": "zhujian", "password": PASSWORD})
    assert other.status_code == 302


def test_home_requires_login(client: Client) -> None:
    response = client.get(reverse("front:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- one office behind one address --------------------------------------------------------------


def fail_five_times(client: Client, username: str, **meta: str) -> None:
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong"}, **meta)


def logs_in(username: str, **meta: str) -> bool:
    response = Client().post(reverse("accounts:login"), {"username": username, "password": PASSWORD}, **meta)
    return response.status_code == 302


def test_a_lockout_never_locks_the_office_address(client: Client, people: SimpleNamespace) -> None:
    """Offices share one NAT address: someone failing on one account there locks that account from
    that address only — colleagues behind the same address, and the account from elsewhere, go on."""
    office = {"REMOTE_ADDR": "10.20.0.1"}
    fail_five_times(client, "jiaotong", **office)
    assert not logs_in("jiaotong", **office)
    assert logs_in("zhujian", **office)
    assert logs_in("duchashi", **office)
    assert logs_in("jiaotong", REMOTE_ADDR="10.30.0.7")


def test_forwarded_for_is_ignored_without_trusted_proxies(client: Client, people: SimpleNamespace) -> None:
    """A client cannot dodge the lockout by writing a new X-Forwarded-For each time."""
    for n in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": "jiaotong", "password": "wrong"},
            REMOTE_ADDR="10.20.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert not logs_in("jiaotong", REMOTE_ADDR="10.20.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99")


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(
    client: Client, people: SimpleNamespace, settings: Any
) -> None:
    settings.TAIZHANG_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    # The proxy appends the address it saw; what the client wrote before it is not believed.
    fail_five_times(client, "jiaotong", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert not logs_in("jiaotong", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert not logs_in("jiaotong", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="5.5.5.5, 198.51.100.7")
    # the same account from another office behind the same proxy still logs in
    assert logs_in("jiaotong", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.200")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2", "10.0.0.2"),
        (1, "203.0.113.5", "10.0.0.2", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "10.0.0.2", "203.0.113.5"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.3", "10.0.0.2", "203.0.113.5"),
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "2001:db8::1", "10.0.0.2", "2001:db8::1"),
    ],
)
def test_client_address_rule(settings: Any, proxies: int, forwarded: str, remote: str, expected: str) -> None:
    from django.test import RequestFactory

    from taizhang.core.client_ip import client_ip

    settings.TAIZHANG_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_audit_log_records_the_same_client_address(
    client: Client, people: SimpleNamespace, settings: Any
) -> None:
    from auditlog.models import LogEntry

    settings.TAIZHANG_TRUSTED_PROXIES = 0
    client.force_login(people.admin)
    client.post(
        reverse("admin:accounts_unit_add"),
        {"name": "新单位", "sort_order": 0, "is_active": "on"},
        REMOTE_ADDR="10.20.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    entry = LogEntry.objects.filter(object_repr__contains="新单位").latest("timestamp")
    assert entry.remote_addr == "10.20.0.1"
