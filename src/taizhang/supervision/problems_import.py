"""从文件导入问题: the problems the document engine reads in a document's 存在问题 part, offered in a
preview with suggested responsible units, then confirmed into ``Problem``s all at once.

Nothing is written before confirmation. The rows wait in the user's session (``SESSION_KEY``, keyed
by a random key the preview URL carries, so another session cannot reach them); an uploaded file's
bytes wait in ``MEDIA_ROOT/pending/problems-<key>.bin`` (swept with the plan import's waiting files)
and are kept as a ``SourceDocument`` on confirmation. A plan's own source document needs no copy.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import MutableMapping, Sequence
from pathlib import Path, PurePath
from typing import Any

from django.db import transaction
from django.utils import timezone

from taizhang import reports
from taizhang.accounts.models import Unit, User
from taizhang.ledger import services as ledger_services
from taizhang.ledger.errors import DomainError
from taizhang.ledger.importing import pending as plan_pending
from taizhang.ledger.importing.plans import DOCX_CONTENT_TYPE, TEXT_CONTENT_TYPE, matching_units
from taizhang.ledger.models import Plan, SourceDocument
from taizhang.ledger.spreadsheet import XLSX_CONTENT_TYPE
from taizhang.ledger.suggest.units import suggest_units
from taizhang.supervision import problems
from taizhang.supervision.problem_models import Problem, ProblemSource

SESSION_KEY = "taizhang_problem_imports"
MAX_PENDING = 5
_KEY = re.compile(r"[0-9a-f]{32}")
Session = MutableMapping[str, Any]


def read_document(data: bytes, file_name: str) -> reports.ParseResult:
    try:
        return reports.parse_bytes(data, file_name)
    except reports.InputError as err:
        raise DomainError(str(err), field="file") from None


def problem_rows(
    result: reports.ParseResult, units: Sequence[Unit], deadline: dt.date
) -> list[dict[str, Any]]:
    """The engine's problems as preview rows: text, line, path, a suggested unit and deadline."""
    rows = []
    for document in result.documents:
        for item in document.problems:
            lead, _ = suggest_units(item.text, units)
            rows.append(
                {
                    "line": item.line,
                    "text": item.text,
                    "path": " / ".join(item.path),
                    "unit": lead.pk if lead else None,
                    "deadline": deadline.isoformat(),
                    "include": True,
                }
            )
    if not rows:
        raise DomainError(
            "未从文件中识别出问题：请确认文件含有“存在问题”“存在的主要问题”等部分（一是……二是……）",
            field="file",
        )
    return rows


# --- waiting for confirmation -------------------------------------------------------------------


def _bin(key: str) -> Path:
    return plan_pending.pending_dir() / f"problems-{key}.bin"


def start(
    session: Session,
    *,
    user: User,
    plan: Plan,
    units: Sequence[Unit],
    data: bytes | None = None,
    file_name: str = "",
) -> str:
    """Read an upload (``data``) or, without one, the plan's source document; keep the rows for the
    preview and return its key. Raises DomainError (Chinese) for a bad file or no problems."""
    source_id = None
    if data is None:
        source = plan.source
        if source is None:
            raise DomainError("该计划没有来源文件，请上传含有存在问题的文件", field="file")
        try:
            with source.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, ValueError, OSError):
            data = None
        file_name = source.original_name
        source_id = source.pk
        result = read_document(data, file_name) if data else reports.parse_text(source.text, file_name)
    else:
        result = read_document(data, file_name)
    rows = problem_rows(result, matching_units(units), plan.ends_on)
    plan_pending.sweep_files()
    key = secrets.token_hex(16)
    if source_id is None:
        assert data is not None
        path = _bin(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    entries = dict(session.get(SESSION_KEY) or {})
    entries[key] = {
        "user_id": user.pk,
        "plan_id": plan.pk,
        "source_id": source_id,
        "file_name": PurePath(file_name).name[:255] or "未命名",
        "created_at": timezone.now().isoformat(),
        "rows": rows,
        "done": False,
    }
    for old in sorted(entries, key=lambda k: entries[k]["created_at"])[:-MAX_PENDING]:
        _bin(old).unlink(missing_ok=True)
        del entries[old]
    session[SESSION_KEY] = entries
    return key


def get(session: Session, key: str, user: User) -> dict[str, Any] | None:
    """The user's waiting import ``key``, or None (unknown, another user's, expired)."""
    if not _KEY.fullmatch(key):
        return None
    entry = (session.get(SESSION_KEY) or {}).get(key)
    if entry is None or entry["user_id"] != user.pk:
        return None
    if timezone.now() - dt.datetime.fromisoformat(entry["created_at"]) > plan_pending.LIFETIME:
        discard(session, key)
        return None
    found: dict[str, Any] = entry
    return found


def discard(session: Session, key: str) -> None:
    _bin(key).unlink(missing_ok=True)
    entries = dict(session.get(SESSION_KEY) or {})
    entries.pop(key, None)
    session[SESSION_KEY] = entries


def confirm(
    session: Session,
    key: str,
    entry: dict[str, Any],
    *,
    user: User,
    plan: Plan,
    drafts: list[problems.ProblemDraft],
) -> list[Problem]:
    """Create the chosen problems (and keep an uploaded file) in one transaction, then mark the
    import done so that posting it again creates nothing."""
    if not drafts:
        raise DomainError("请至少选择一条问题")
    source: SourceDocument | None = None
    created_file: SourceDocument | None = None
    try:
        with transaction.atomic():
            if entry["source_id"] is not None:
                source = SourceDocument.objects.filter(pk=entry["source_id"]).first()
            else:
                try:
                    data = _bin(key).read_bytes()
                except OSError:
                    raise DomainError("上传的文件已过期，请重新上传") from None
                text = "\n".join(read_document(data, entry["file_name"]).raw_lines)
                suffix = PurePath(entry["file_name"]).suffix.lower()
                content_type = {".docx": DOCX_CONTENT_TYPE, ".xlsx": XLSX_CONTENT_TYPE}.get(
                    suffix, TEXT_CONTENT_TYPE
                )
                source, created = ledger_services.store_source_document(
                    entry["file_name"], data, text, user, content_type
                )
                created_file = source if created else None
            made = problems.create_problems(plan, user, drafts, source_document=source)
    except BaseException:
        if created_file is not None:  # the row was rolled back; its file must go too
            created_file.file.delete(save=False)
        raise
    _bin(key).unlink(missing_ok=True)
    entries = dict(session.get(SESSION_KEY) or {})
    entries[key] = {**entry, "rows": [], "done": True}
    session[SESSION_KEY] = entries
    return made


def draft_of(
    row: dict[str, Any], unit: Unit | None, deadline: dt.date | None, measures: str
) -> problems.ProblemDraft:
    text = row["text"].strip()
    title = text if len(text) <= problems.MAX_TITLE else text[: problems.MAX_TITLE - 1] + "…"
    return problems.ProblemDraft(
        title=title,
        description=text if title != text else "",
        unit=unit,
        deadline=deadline,
        measures=measures,
        source=ProblemSource.DOCUMENT,
        source_line=row["line"],
    )
