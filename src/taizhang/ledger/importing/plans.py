"""Plan import, without the web: who may import for which units, reading an upload or pasted text
through the document engine, and the one-transaction confirmation.

Writes go through ``taizhang.ledger.services`` only (``store_source_document`` and
``create_plan_with_tasks``), so the audit log records them with the importing user as actor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from taizhang import reports
from taizhang.accounts.models import Unit, User
from taizhang.ledger import permissions, services
from taizhang.ledger.drafts import TaskDraft, draft_to_data, drafts_from_parse, plan_year
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Cadence, Plan, SourceDocument
from taizhang.ledger.spreadsheet import XLSX_CONTENT_TYPE

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PASTED_NAME = "粘贴的计划文本.txt"


class AlreadyImported(DomainError):
    """The same bytes (same SHA-256) were imported before, as ``plan``."""

    def __init__(self, plan: Plan) -> None:
        day = timezone.localtime(plan.created_at)
        super().__init__(f"该文件已于 {day:%Y年%m月%d日} 导入为计划《{plan.title}》，不会重复导入")
        self.plan = plan


# --- who and which units ------------------------------------------------------------------------


def manageable_units(user: User) -> QuerySet[Unit]:
    """The units the user may import plans for (their owner unit)."""
    return permissions.plan_owner_units(user)


def assignable_units(user: User) -> list[Unit]:
    """The units a task may be given to (lead or co-operate)."""
    return list(permissions.assignable_units(user).order_by("sort_order", "id"))


def matching_units(units: Sequence[Unit]) -> list[Unit]:
    """The units read from a plan's text: not the tree's roots ("县政府" in "县政府常务会议" is no lead)."""
    return [u for u in units if u.parent_id is not None]


def default_owner(user: User, owners: Sequence[Unit]) -> Unit | None:
    if user.unit is not None and any(u.pk == user.unit_id for u in owners):
        return user.unit
    return next((u for u in owners if u.parent_id is None), owners[0] if owners else None)


def plan_url(plan: Plan, user: User) -> str | None:
    """Where to show the plan to ``user``: the ledger's plan page, else the import summary; None when
    the plan is not in the user's scope."""
    caps = permissions.plan_capabilities(user, plan)
    if not caps.can_view_all_tasks:
        return None
    try:
        return reverse("ledger:plan_detail", args=[plan.pk])
    except NoReverseMatch:
        if permissions.may_create_plan_for(user, plan.owner_unit):
            return reverse("import:done", args=[plan.pk])
    return None


# --- reading ------------------------------------------------------------------------------------


@dataclass
class PlanDocument:
    data: bytes  # the bytes stored as the source document (SHA-256 identifies it)
    text: str
    file_name: str
    content_type: str
    result: reports.ParseResult

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def normalise_pasted(text: str) -> str:
    """Pasted text with Windows line ends and trailing blanks removed: the same plan pasted twice
    is the same document."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def read_plan(*, data: bytes | None = None, file_name: str = "", pasted: str | None = None) -> PlanDocument:
    """Parse an upload (``data`` and ``file_name``) or pasted text. Raises DomainError (Chinese) for
    bad input (the engine's checks) or a document without tasks."""
    try:
        if pasted is not None:
            text = normalise_pasted(pasted)
            if not text.strip():
                raise DomainError("粘贴的文本为空", field="text")
            document = PlanDocument(
                text.encode("utf-8"),
                text,
                PASTED_NAME,
                TEXT_CONTENT_TYPE,
                reports.parse_text(text, PASTED_NAME),
            )
        else:
            assert data is not None
            result = reports.parse_bytes(data, file_name)
            suffix = PurePath(file_name).suffix.lower()
            document = PlanDocument(
                data,
                "\n".join(result.raw_lines or result.lines),
                PurePath(file_name).name,
                {".docx": DOCX_CONTENT_TYPE, ".xlsx": XLSX_CONTENT_TYPE}.get(suffix, TEXT_CONTENT_TYPE),
                result,
            )
    except reports.InputError as err:
        raise DomainError(str(err), field="file") from None
    if not any(doc.tasks for doc in document.result.documents):
        raise DomainError(
            "未从文件中识别出任务：请确认这是一份工作计划（含“一、”“（一）”等标题和“一是……二是……”等任务），"
            "或改用 Excel 台账导入",
            field="text" if pasted is not None else "file",
        )
    return document


def existing_plan(sha256: str) -> Plan | None:
    return Plan.objects.filter(source__sha256=sha256).select_related("owner_unit").order_by("id").first()


def prepare_plan(
    document: PlanDocument, user: User, owners: Sequence[Unit], this_year: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(plan fields, task rows) for the preview, with every suggestion filled in."""
    result = document.result
    year = plan_year(result, this_year)
    units = matching_units(assignable_units(user))
    drafts = drafts_from_parse(result, units, year)
    titled = next((d.title for d in result.documents if d.title), "")
    owner = default_owner(user, owners)
    plan = {
        "title": (titled or PurePath(document.file_name).stem)[:200],
        "year": year,
        "owner_unit": owner.pk if owner else None,
        "cadence": str(Cadence.MONTHLY),
    }
    rows = [{**draft_to_data(d), "include": True, "auto": True} for d in drafts]
    return plan, rows


# --- confirming ---------------------------------------------------------------------------------


def confirm(
    *,
    user: User,
    data: bytes,
    text: str,
    file_name: str,
    content_type: str,
    owner_unit: Unit,
    year: int,
    title: str,
    cadence: str,
    drafts: Sequence[TaskDraft],
) -> Plan:
    """Store the source document (once per SHA-256) and create the plan with all its tasks, in one
    transaction. Raises AlreadyImported when a plan already came from the same bytes (also when two
    confirmations race: the source row is locked before the check), DomainError on invalid data."""
    if not drafts:
        raise DomainError("没有要导入的任务")
    created_source: SourceDocument | None = None
    try:
        with transaction.atomic():
            source, created = services.store_source_document(file_name, data, text, user, content_type)
            if created:
                created_source = source
            SourceDocument.objects.select_for_update().filter(pk=source.pk).first()
            earlier = Plan.objects.filter(source=source).order_by("id").first()
            if earlier is not None:
                raise AlreadyImported(earlier)
            for seq, draft in enumerate(drafts, start=1):
                draft.seq = seq
            return services.create_plan_with_tasks(
                owner_unit=owner_unit,
                year=year,
                title=title,
                user=user,
                drafts=drafts,
                source=source,
                cadence=cadence,
            )
    except BaseException:
        if created_source is not None:  # the row was rolled back; its file must go too
            created_source.file.delete(save=False)
        raise
