"""Keeping the search index current: entries for a current document's paragraphs, for each ledger
task and each progress report. The database's full-text index follows the entries by itself
(migration 0002); here only entries are written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from taizhang.archive.models import ArchivedDocument, EntryKind, SearchEntry, SectionRole
from taizhang.archive.search.backends import backend
from taizhang.archive.search.words import index_words
from taizhang.ledger.models import ProgressReport, Task

BATCH = 2000


def task_text(task: Task) -> str:
    return "\n".join(part for part in (task.title, task.content) if part)


def report_text(report: ProgressReport) -> str:
    return "\n".join(part for part in (report.text, report.zero_reason) if part)


def document_entries(document: ArchivedDocument) -> list[SearchEntry]:
    return [
        SearchEntry(
            kind=EntryKind.PARAGRAPH,
            paragraph=paragraph,
            document=document,
            unit_id=document.unit_id,
            year=document.year,
            role=paragraph.role,
            doc_kind=document.kind,
            line=paragraph.line,
            words=index_words(paragraph.text),
        )
        for paragraph in document.paragraphs.order_by("line")
    ]


def index_document(document: ArchivedDocument) -> int:
    """(Re)index a document's paragraphs; a document that is not current has none in the index."""
    with transaction.atomic():
        SearchEntry.objects.filter(document=document).delete()
        if not document.current or document.is_compilation:
            return 0
        entries = document_entries(document)
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def document_moved(document: ArchivedDocument) -> None:
    """A document's unit, year or kind changed: its entries follow (their words do not change)."""
    SearchEntry.objects.filter(document=document).update(
        unit_id=document.unit_id, year=document.year, doc_kind=document.kind
    )


def _task_entry(task: Task) -> SearchEntry:
    return SearchEntry(
        kind=EntryKind.TASK,
        task=task,
        unit_id=task.lead_unit_id,
        year=task.plan.year,
        role=SectionRole.PLAN,  # a ledger task is a plan's work item
        line=task.source_line,
        words=index_words(task_text(task)),
    )


def _report_entry(report: ProgressReport, task: Task) -> SearchEntry:
    return SearchEntry(
        kind=EntryKind.REPORT,
        task=task,
        report=report,
        unit_id=task.lead_unit_id,
        year=task.plan.year,
        role=SectionRole.SUMMARY,  # a progress report says what was done
        words=index_words(report_text(report)),
    )


def index_task(task: Task) -> None:
    entry = _task_entry(task)
    with transaction.atomic():
        SearchEntry.objects.filter(kind=EntryKind.TASK, task=task).delete()
        entry.save(force_insert=True)
        # The task's reports are found under its lead unit and plan year too.
        SearchEntry.objects.filter(kind=EntryKind.REPORT, task=task).update(
            unit_id=entry.unit_id, year=entry.year
        )


def index_report(report: ProgressReport) -> None:
    entry = _report_entry(report, report.task)
    with transaction.atomic():
        SearchEntry.objects.filter(report=report).delete()
        entry.save(force_insert=True)


@dataclass(frozen=True)
class Reindexed:
    paragraphs: int
    tasks: int
    reports: int


def reindex() -> Reindexed:
    """Rebuild every entry from the archive and the ledger, in one transaction."""
    counts = {"paragraphs": 0, "tasks": 0, "reports": 0}
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        documents = ArchivedDocument.objects.filter(current=True).exclude(kind="compilation").order_by("pk")
        for document in documents.iterator(chunk_size=200):
            entries = document_entries(document)
            SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
            counts["paragraphs"] += len(entries)
        tasks = Task.objects.select_related("plan").order_by("pk")
        batch: list[SearchEntry] = []
        for task in tasks.iterator(chunk_size=BATCH):
            batch.append(_task_entry(task))
            counts["tasks"] += 1
            if len(batch) >= BATCH:
                SearchEntry.objects.bulk_create(batch)
                batch = []
        reports = ProgressReport.objects.select_related("task__plan").order_by("pk")
        for report in reports.iterator(chunk_size=BATCH):
            batch.append(_report_entry(report, report.task))
            counts["reports"] += 1
            if len(batch) >= BATCH:
                SearchEntry.objects.bulk_create(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
    backend().optimize()
    return Reindexed(**counts)
