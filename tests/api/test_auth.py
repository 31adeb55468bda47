"""API authentication: session with CSRF, per-user bearer tokens (hashed, revocable, audited)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from taizhang.api.models import ApiToken
from taizhang.ledger.models import ProgressReport
from tests.api.conftest import post_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

Login = Callable[[Any], Client]
Bearer = Callable[..., Client]

REPORT = {"period": "2026-03", "text": "完成路基12公里", "percent": 30}


def test_anonymous_gets_401_in_chinese(ledger: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    for response in (
        client.get("/api/tasks"),
        client.get(f"/api/tasks/{ledger.transport.pk}"),
        post_json(client, f"/api/tasks/{ledger.transport.pk}/reports", REPORT),
    ):
        assert response.status_code == 401
        assert "请先登录" in response.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_session_post_needs_the_csrf_token(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Login
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.reporter)
    url = f"/api/tasks/{ledger.transport.pk}/reports"
    assert client.get("/api/tasks").status_code == 200  # safe methods need no token

    refused = post_json(client, url, REPORT)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"] and "X-CSRFToken" in refused.json()["detail"]
    assert not ProgressReport.objects.exists()

    secret = "a" * 32  # what the csrftoken cookie of a page would hold
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    wrong = post_json(client, url, REPORT, HTTP_X_CSRFTOKEN="b" * 32)
    assert wrong.status_code == 403
    accepted = post_json(client, url, REPORT, HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201, accepted.content


def test_token_reads_and_writes_without_csrf_and_is_the_audit_actor(
    people: SimpleNamespace, ledger: SimpleNamespace, bearer: Bearer
) -> None:
    client = bearer(people.reporter)
    me = client.get("/api/me")
    assert me.status_code == 200 and me.json()["username"] == "jiaotong"
    assert {t["id"] for t in client.get("/api/tasks").json()["items"]} == {
        ledger.transport.pk,
        ledger.town.pk,
    }
    response = post_json(client, f"/api/tasks/{ledger.transport.pk}/reports", REPORT)
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get()
    assert report.submitted_by == people.reporter
    entry = LogEntry.objects.get_for_object(report).get()
    assert entry.actor == people.reporter
    token = ApiToken.objects.get()
    assert token.last_used is not None


def test_token_caller_is_scoped_like_its_user(
    people: SimpleNamespace, ledger: SimpleNamespace, bearer: Bearer
) -> None:
    client = bearer(people.town_reporter)
    assert client.get(f"/api/tasks/{ledger.housing.pk}").status_code == 404
    assert post_json(client, f"/api/tasks/{ledger.housing.pk}/reports", REPORT).status_code == 404
    leader = bearer(people.leader)
    assert post_json(leader, f"/api/tasks/{ledger.housing.pk}/reports", REPORT).status_code == 403


def test_revoked_unknown_or_disabled_tokens_get_401(
    people: SimpleNamespace, ledger: SimpleNamespace, bearer: Bearer
) -> None:
    token, secret = ApiToken.issue(people.reporter, "机器人")
    assert bearer(people.reporter, secret).get("/api/me").status_code == 200

    token.revoked = True
    token.save()
    for method in ("get", "post"):
        client = bearer(people.reporter, secret)
        response = (
            client.get("/api/tasks")
            if method == "get"
            else post_json(client, f"/api/tasks/{ledger.transport.pk}/reports", REPORT)
        )
        assert response.status_code == 401, method
        assert response.json()["detail"] == "接口令牌无效、已吊销或所属用户已停用"

    assert bearer(people.reporter, "tz_" + "x" * 43).get("/api/me").status_code == 401
    assert bearer(people.reporter, "").get("/api/me").status_code == 401

    _, active_secret = ApiToken.issue(people.reporter, "另一个")
    people.reporter.is_active = False
    people.reporter.save()
    assert bearer(people.reporter, active_secret).get("/api/me").status_code == 401
    assert not ProgressReport.objects.exists()


def test_a_bad_token_does_not_fall_back_to_the_session(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Login
) -> None:
    client = login(people.reporter)
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/me").status_code == 200


def test_tokens_are_stored_only_as_hashes(people: SimpleNamespace) -> None:
    token, secret = ApiToken.issue(people.reporter, "机器人")
    assert secret.startswith("tz_") and len(secret) >= 40
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    assert secret not in stored and secret[len(token.hint) :] not in "".join(stored)
    assert str(token) == f"机器人（{secret[:9]}…）"
    # issuing is audited, without the hash
    entry = LogEntry.objects.get_for_object(token).get()
    assert "token_hash" not in entry.changes_dict and "name" in entry.changes_dict


def test_apitoken_command_prints_the_token_once(people: SimpleNamespace, bearer: Bearer) -> None:
    out, err = StringIO(), StringIO()
    call_command("apitoken", "jiaotong", "--name", "政务微信机器人", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert "只显示这一次" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.user == people.reporter and token.name == "政务微信机器人"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert bearer(people.reporter, secret).get("/api/me").json()["username"] == "jiaotong"


def test_apitoken_command_refusals(people: SimpleNamespace) -> None:
    with pytest.raises(CommandError, match="没有用户名为 nobody 的用户"):
        call_command("apitoken", "nobody", stdout=StringIO(), stderr=StringIO())
    people.town_reporter.is_active = False
    people.town_reporter.save()
    with pytest.raises(CommandError, match="已停用"):
        call_command("apitoken", "qingshi", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="不能为空"):
        call_command("apitoken", "jiaotong", "--name", " ", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_admin_issues_shows_once_and_revokes(people: SimpleNamespace, login: Login) -> None:
    admin = login(people.admin)
    response = admin.post(
        "/admin/api/apitoken/add/", {"user": people.reporter.pk, "name": "值班机器人"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    secret = re.findall(r"tz_[A-Za-z0-9_-]+", " ".join(shown))[0]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    change_page = admin.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert secret not in change_page and token.token_hash not in change_page

    admin.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked
    revocation = LogEntry.objects.get_for_object(token).latest("timestamp")
    assert revocation.actor == people.admin and revocation.changes_dict["revoked"] == ["False", "True"]
