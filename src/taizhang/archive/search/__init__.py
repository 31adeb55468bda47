"""Chinese full-text search over the archive and the ledger: one interface, two backends.

``search(query, user=…, filters=…)`` finds paragraphs of current archived documents, ledger tasks
and progress reports that hold every word of the query (jieba, ``words``), within what ``user`` may
see (``archive.permissions.entries_in_scope``; ``None`` on the command line), best first, each with
its snippet and where it is. ``QueryError`` carries the Chinese message for a query that cannot be
searched (empty, too long, nothing but symbols). The backend — SQLite FTS5 or PostgreSQL's full
text — is the database's (``backends``); filters and permissions are one ORM condition, compiled
into the backend's statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse

from taizhang.accounts.units import unit_labels
from taizhang.archive.models import DocumentKind, EntryKind, SearchEntry, SectionRole
from taizhang.archive.permissions import entries_in_scope
from taizhang.archive.search.backends import Match, backend
from taizhang.archive.search.index import report_text, task_text
from taizhang.archive.search.snippets import Snippet, snippet
from taizhang.archive.search.words import MAX_QUERY_CHARS, QueryError, query_terms

if TYPE_CHECKING:
    from taizhang.ledger.permissions import Actor, AnyUser

__all__ = ["MAX_QUERY_CHARS", "Filters", "Hit", "QueryError", "Results", "count_matches", "search"]

PER_PAGE = 20
# "1000 条以上": counting every match of a common word is not worth its time, nor is ranking them —
# past this many matches the newest come first (the index gives them without ranking all).
COUNT_CAP = 1000


@dataclass(frozen=True)
class Filters:
    unit_id: int | None = None
    year: int | None = None
    role: str = ""  # a SectionRole
    kind: str = ""  # a DocumentKind, or "task" / "report" for the ledger's

    def apply(self, entries: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
        if self.unit_id is not None:
            entries = entries.filter(unit_id=self.unit_id)
        if self.year is not None:
            entries = entries.filter(year=self.year)
        if self.role:
            entries = entries.filter(role=self.role)
        if self.kind in (EntryKind.TASK, EntryKind.REPORT):
            entries = entries.filter(kind=self.kind)
        elif self.kind:
            entries = entries.filter(kind=EntryKind.PARAGRAPH, doc_kind=self.kind)
        return entries


KIND_CHOICES = [
    *((k.value, k.label) for k in DocumentKind if k != DocumentKind.COMPILATION),
    (EntryKind.TASK.value, EntryKind.TASK.label),
    (EntryKind.REPORT.value, EntryKind.REPORT.label),
]
ROLE_LABELS = dict(SectionRole.choices)


@dataclass
class Hit:
    entry: SearchEntry
    title: str  # the document's title, or the task's plan
    unit: str
    year: int | None
    role: str
    line: int | None
    url: str
    snip: Snippet
    heading: str = ""  # a task's title, a report's period

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def kind_label(self) -> str:
        if self.entry.kind == EntryKind.PARAGRAPH and self.entry.document is not None:
            return self.entry.document.get_kind_display()
        return EntryKind(self.entry.kind).label

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, "")

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.title,
            "unit": self.unit,
            "year": self.year,
            "role": self.role,
            "line": self.line,
            "snippet": self.snip.plain,
            "kind": self.entry.kind,
            "url": self.url,
        }


@dataclass
class Results:
    query: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def capped(self) -> bool:
        return self.total >= COUNT_CAP

    @property
    def ranked(self) -> bool:
        """Best first (else, past COUNT_CAP matches, newest first)."""
        return not self.capped

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "hits": [h.to_json() for h in self.hits]}


def _where(entries: QuerySet[SearchEntry]) -> tuple[str, list[Any]] | None:
    """The entries' filter as SQL over ``archive_searchentry`` (None: nothing can match)."""
    query = entries.query
    compiler = query.get_compiler(using=entries.db)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1 = 1", []
    return (sql or "1 = 1"), list(params)


def _statement(match: Match, where: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    sql = f"FROM {match.tables} WHERE {match.condition} AND ({where[0]})"
    return sql, [*match.params, *where[1]]


def matching_ids(
    terms: list[str], entries: QuerySet[SearchEntry], limit: int, offset: int = 0, *, ranked: bool = True
) -> list[int]:
    """Ids of the entries among ``entries`` that hold every term, best first (``ranked``) or newest
    first."""
    where = _where(entries)
    if where is None:
        return []
    match = backend(entries.db).match(terms)
    body, params = _statement(match, where)
    if ranked:
        order, order_params = f"{match.order}, archive_searchentry.id DESC", match.order_params
    else:
        order, order_params = match.recent, []
    sql = f"SELECT archive_searchentry.id {body} ORDER BY {order} LIMIT %s OFFSET %s"
    with connections[entries.db].cursor() as cursor:
        cursor.execute(sql, [*params, *order_params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def count_matches(terms: list[str], entries: QuerySet[SearchEntry], cap: int | None = None) -> int:
    """How many entries hold every term, counted up to ``cap`` (default COUNT_CAP)."""
    where = _where(entries)
    if where is None:
        return 0
    body, params = _statement(backend(entries.db).match(terms), where)
    with connections[entries.db].cursor() as cursor:
        limit = COUNT_CAP if cap is None else cap
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {body} LIMIT %s) AS found", [*params, limit])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def count_by(
    terms: list[str], entries: QuerySet[SearchEntry], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Matches counted per value of ``columns`` (entry columns, e.g. unit_id and role)."""
    where = _where(entries)
    if where is None:
        return []
    allowed = {f.column for f in SearchEntry._meta.concrete_fields}
    assert set(columns) <= allowed, columns  # column names go into the SQL
    body, params = _statement(backend(entries.db).match(terms), where)
    cols = ", ".join(f"archive_searchentry.{c}" for c in columns)
    with connections[entries.db].cursor() as cursor:
        cursor.execute(f"SELECT {cols}, COUNT(*) {body} GROUP BY {cols}", params)
        return [tuple(row) for row in cursor.fetchall()]


def load_hits(ids: list[int], terms: list[str]) -> list[Hit]:
    """The entries of ``ids`` as hits, in that order (one query, and one for the units' labels)."""
    found = (
        SearchEntry.objects.select_related(
            "paragraph", "document", "unit__parent", "task__plan", "report__task__plan"
        )
        .defer("words", "document__text", "document__parse")  # a file's text and parse can be large
        .in_bulk(ids)
    )
    entries = [found[i] for i in ids if i in found]
    units = [e.unit for e in entries if e.unit is not None]
    labels = unit_labels([*units, *(u.parent for u in units if u.parent is not None)])
    return [_hit(e, terms, labels) for e in entries]


def _hit(entry: SearchEntry, terms: list[str], labels: dict[int, str]) -> Hit:
    unit = labels.get(entry.unit_id or 0, "")
    if entry.kind == EntryKind.PARAGRAPH:
        paragraph, document = entry.paragraph, entry.document
        assert paragraph is not None and document is not None
        url = reverse("archive:document", args=[document.pk]) + f"#L{paragraph.line}"
        return Hit(
            entry,
            document.display_name,
            unit or document.unit_name,
            entry.year,
            entry.role,
            paragraph.line,
            url,
            snippet(paragraph.text, terms),
        )
    if entry.kind == EntryKind.TASK:
        task = entry.task
        assert task is not None
        return Hit(
            entry,
            task.plan.title,
            unit,
            entry.year,
            entry.role,
            entry.line,
            reverse("ledger:task_detail", args=[task.pk]),
            snippet(task_text(task), terms),
            heading=task.title,
        )
    report = entry.report
    assert report is not None
    return Hit(
        entry,
        report.task.plan.title,
        unit,
        entry.year,
        entry.role,
        None,
        reverse("ledger:task_detail", args=[report.task_id]),
        snippet(report_text(report), terms),
        heading=f"{report.task.title} · {report.period}",
    )


def search(
    query: str,
    *,
    user: AnyUser | Actor | None = None,
    filters: Filters = Filters(),
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """Raises QueryError (Chinese) for a query that cannot be searched."""
    terms = query_terms(query)
    entries = filters.apply(entries_in_scope(user))
    total = count_matches(terms, entries)
    page = max(1, min(page, max(1, -(-total // per_page))))
    ranked = total < COUNT_CAP
    ids = matching_ids(terms, entries, per_page, (page - 1) * per_page, ranked=ranked) if total else []
    return Results(query.strip(), terms, load_hits(ids, terms), total, page, per_page)
