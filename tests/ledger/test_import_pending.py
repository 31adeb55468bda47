"""The pending-import store: the session keeps the state, a private folder the uploaded bytes."""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

import pytest
from django.utils import timezone

from taizhang.ledger.importing import pending

pytestmark = pytest.mark.django_db


def make(session: dict[str, Any], user_id: int = 1, data: bytes = b"plan") -> pending.PendingImport:
    return pending.create(
        session,
        kind="plan",
        user_id=user_id,
        data=data,
        text="计划",
        file_name="plan.txt",
        content_type="text/plain",
        sha256="0" * 64,
        plan={"title": "计划", "year": 2026, "owner_unit": 1, "cadence": "monthly"},
        rows=[{"seq": 1, "title": "任务"}],
    )


def test_create_get_save_finish() -> None:
    session: dict[str, Any] = {}
    item = make(session)
    assert len(item.key) == 32 and pending.read_bytes(item) == b"plan" and pending.read_text(item) == "计划"
    found = pending.get(session, item.key, 1)
    assert found == item
    found.rows[0]["title"] = "改过的任务"
    pending.save(session, found)
    assert pending.get(session, item.key, 1).rows[0]["title"] == "改过的任务"  # type: ignore[union-attr]
    pending.finish(session, found, plan_id=7)
    done = pending.get(session, item.key, 1)
    assert done is not None and done.plan_id == 7 and done.rows == []
    assert pending.read_bytes(done) is None  # the waiting bytes are gone


def test_only_its_user_and_a_well_formed_key() -> None:
    session: dict[str, Any] = {}
    item = make(session, user_id=1)
    assert pending.get(session, item.key, 2) is None
    assert pending.get(session, "../../etc/passwd", 1) is None
    assert pending.get(session, item.key.upper(), 1) is None


def test_expired_imports_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    session: dict[str, Any] = {}
    item = make(session)
    later = timezone.now() + pending.LIFETIME + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert pending.get(session, item.key, 1) is None
    assert not session[pending.SESSION_KEY] and pending.read_bytes(item) is None


def test_at_most_a_few_per_session() -> None:
    session: dict[str, Any] = {}
    items = [make(session) for _ in range(pending.MAX_PENDING + 2)]
    kept = set(session[pending.SESSION_KEY])
    assert kept == {i.key for i in items[2:]}
    assert pending.read_bytes(items[0]) is None and pending.read_bytes(items[-1]) == b"plan"


def test_old_files_are_swept() -> None:
    session: dict[str, Any] = {}
    item = make(session)
    binary = pending.pending_dir() / f"{item.key}.bin"
    old = time.time() - pending.LIFETIME.total_seconds() - 60
    os.utime(binary, (old, old))
    make({})  # any new upload sweeps
    assert not binary.exists()
