"""Imports waiting for the supervisor's confirmation.

The state of a pending import (the plan's fields and, for a plan document, the task rows as edited
so far) lives in the user's **session** under ``SESSION_KEY``, keyed by a random 32-hex-digit key
that the preview URL carries: another user (another session) cannot reach it. Nothing is written
to the ledger before confirmation. The uploaded bytes wait in ``MEDIA_ROOT/pending/<key>.bin`` (and
the text read from them in ``<key>.txt``), never served, until confirmation stores them as a
``SourceDocument``, or the import is discarded or expires (``LIFETIME``; swept on every new upload).

A confirmed import keeps a small marker (its plan's id) so that posting the confirmation again
(double click, back button) leads to the plan instead of importing twice.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

SESSION_KEY = "taizhang_imports"
MAX_PENDING = 5
LIFETIME = dt.timedelta(hours=12)
_KEY = re.compile(r"[0-9a-f]{32}")

Session = MutableMapping[str, Any]


@dataclass
class PendingImport:
    key: str
    kind: str  # "plan" (a plan document or pasted text) or "xlsx" (an Excel 台账)
    user_id: int
    created_at: str  # ISO datetime
    file_name: str
    content_type: str
    sha256: str
    size: int
    plan: dict[str, Any]  # title, year, owner_unit (pk), cadence
    rows: list[dict[str, Any]] = field(default_factory=list)  # drafts.draft_to_data + include, auto
    plan_id: int | None = None  # set once confirmed

    @property
    def expired(self) -> bool:
        created = dt.datetime.fromisoformat(self.created_at)
        return timezone.now() - created > LIFETIME


def pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "pending"


def _paths(key: str) -> tuple[Path, Path]:
    folder = pending_dir()
    return folder / f"{key}.bin", folder / f"{key}.txt"


def _entries(session: Session) -> dict[str, dict[str, Any]]:
    return dict(session.get(SESSION_KEY) or {})


def _write(session: Session, entries: dict[str, dict[str, Any]]) -> None:
    session[SESSION_KEY] = entries  # a new dict: the session notices the change


def _remove_files(key: str) -> None:
    for path in _paths(key):
        path.unlink(missing_ok=True)


def sweep_files(now: float | None = None) -> None:
    """Delete waiting uploads older than ``LIFETIME`` (from any session)."""
    folder = pending_dir()
    if not folder.is_dir():
        return
    limit = (now or time.time()) - LIFETIME.total_seconds()
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def create(
    session: Session,
    *,
    kind: str,
    user_id: int,
    data: bytes,
    text: str,
    file_name: str,
    content_type: str,
    sha256: str,
    plan: dict[str, Any],
    rows: list[dict[str, Any]] | None = None,
) -> PendingImport:
    """Keep a new pending import; the oldest ones beyond ``MAX_PENDING`` are dropped."""
    sweep_files()
    entries = {
        k: v
        for k, v in _entries(session).items()
        if not PendingImport(**v).expired and (v.get("plan_id") or _paths(k)[0].exists())
    }
    key = secrets.token_hex(16)
    pending = PendingImport(
        key=key,
        kind=kind,
        user_id=user_id,
        created_at=timezone.now().isoformat(),
        file_name=file_name,
        content_type=content_type,
        sha256=sha256,
        size=len(data),
        plan=plan,
        rows=rows or [],
    )
    binary, text_path = _paths(key)
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_bytes(data)
    text_path.write_text(text, encoding="utf-8")
    entries[key] = asdict(pending)
    for old in sorted(entries, key=lambda k: entries[k]["created_at"])[:-MAX_PENDING]:
        _remove_files(old)
        del entries[old]
    _write(session, entries)
    return pending


def get(session: Session, key: str, user_id: int) -> PendingImport | None:
    """The user's pending import ``key``, or None (unknown, another user's, or expired)."""
    if not _KEY.fullmatch(key):
        return None
    data = _entries(session).get(key)
    if data is None:
        return None
    pending = PendingImport(**data)
    if pending.user_id != user_id:
        return None
    if pending.expired:
        discard(session, pending)
        return None
    return pending


def save(session: Session, pending: PendingImport) -> None:
    entries = _entries(session)
    entries[pending.key] = asdict(pending)
    _write(session, entries)


def read_bytes(pending: PendingImport) -> bytes | None:
    """The uploaded bytes (None once swept away)."""
    try:
        return _paths(pending.key)[0].read_bytes()
    except OSError:
        return None


def read_text(pending: PendingImport) -> str:
    try:
        return _paths(pending.key)[1].read_text(encoding="utf-8")
    except OSError:
        return ""


def finish(session: Session, pending: PendingImport, plan_id: int) -> None:
    """Mark the import done (a second confirmation finds the plan) and drop its rows and files."""
    _remove_files(pending.key)
    pending.plan_id = plan_id
    pending.rows = []
    save(session, pending)


def discard(session: Session, pending: PendingImport) -> None:
    _remove_files(pending.key)
    entries = _entries(session)
    entries.pop(pending.key, None)
    _write(session, entries)
