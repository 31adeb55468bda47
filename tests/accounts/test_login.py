"""Login: Chinese pages, argon2 hashes, throttling by django-axes."""

from __future__ import annotations

from types import SimpleNamespace

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
    assert '<html lang="zh-CN">' in body and "登录" in body and "用户名" in body


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
