"""Fixtures for the API tests: a fixed "now", bearer-token clients, a JSON-posting helper."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import at

# Inside March 2026's reporting window (it closes on 5 April): a March report is on time.
NOW = at("2026-04-02")


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """``timezone.now()`` is 2 April 2026, so reports for 2026-03 are accepted whatever today is."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def bearer(db: None) -> Callable[..., Client]:
    """``bearer(user)`` → a Client (no session) that sends a fresh API token of ``user``."""
    from taizhang.api.models import ApiToken

    def make(user: Any, secret: str | None = None) -> Client:
        if secret is None:
            _, secret = ApiToken.issue(user, "测试机器人")
        return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **extra)
