"""Who sees which archived documents and search entries, and who may add documents.

Built on the ledger's rules (``ledger.permissions``): a document belongs to a unit and is seen by
whoever's scope holds that unit (a unit's reporter sees its own unit's documents; admins and the
root's supervisors and leaders see all; a document of no known unit only they see). A task or a
progress report is found by those who see the task (``tasks_in_scope``). Documents are added by
those who may import a plan for the unit (``may_create_plan_for``). Missing and not visible are the
same 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from taizhang.accounts.models import Unit
from taizhang.archive.models import ArchivedDocument, EntryKind, SearchEntry
from taizhang.ledger import permissions

if TYPE_CHECKING:
    from taizhang.ledger.permissions import Actor, AnyUser

NOT_FOUND_DOCUMENT = "文档不存在或不在您的管辖范围内"


def documents_in_scope(who: AnyUser | Actor) -> QuerySet[ArchivedDocument]:
    a = permissions.actor(who)
    if a.everything:
        return ArchivedDocument.objects.all()
    return ArchivedDocument.objects.filter(unit_id__in=a.unit_ids)


def may_view(who: AnyUser | Actor, document: ArchivedDocument) -> bool:
    a = permissions.actor(who)
    return a.everything or a.holds(document.unit_id)


def get_document_for_user(who: AnyUser, pk: Any) -> ArchivedDocument:
    document = (
        ArchivedDocument.objects.select_related("unit", "unit__parent", "compilation", "previous")
        .filter(pk=permissions.object_id(pk))
        .first()
    )
    if document is None or not may_view(who, document):
        raise Http404(NOT_FOUND_DOCUMENT)
    return document


def entries_in_scope(who: AnyUser | Actor | None) -> QuerySet[SearchEntry]:
    """The search entries ``who`` may find (``None``: the command line, everything)."""
    if who is None:
        return SearchEntry.objects.all()
    a = permissions.actor(who)
    if a.everything:
        return SearchEntry.objects.all()
    tasks = permissions.tasks_in_scope(a).order_by().values("pk")
    return SearchEntry.objects.filter(
        Q(kind=EntryKind.PARAGRAPH, unit_id__in=a.unit_ids)
        | Q(kind__in=[EntryKind.TASK, EntryKind.REPORT], task_id__in=tasks)
    )


def may_add(who: AnyUser | Actor) -> bool:
    return permissions.plan_owner_units(who).exists()


def may_add_for(who: AnyUser | Actor, unit: Unit) -> bool:
    return permissions.may_create_plan_for(who, unit)


def units_to_add_for(who: AnyUser | Actor) -> QuerySet[Unit]:
    return permissions.plan_owner_units(who)
