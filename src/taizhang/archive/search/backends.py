"""The two full-text backends behind ``archive.search``: what differs between SQLite FTS5 and
PostgreSQL is only how a set of words is matched and ranked, and how big the index is.

Both index ``SearchEntry.words`` (migration 0002 builds the index and keeps it current in the
database itself); a search joins the match with the entries' filter columns in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connections


@dataclass(frozen=True)
class Match:
    """SQL pieces of one match: the FROM clause (the entries' table is ``archive_searchentry``), the
    condition, and the ranking (best first), each with its parameters."""

    tables: str
    condition: str
    params: list[Any]
    order: str
    order_params: list[Any]
    recent: str  # newest first, in the order the index can give without ranking every match


class Backend(Protocol):
    name: str

    def match(self, terms: list[str]) -> Match: ...

    def index_bytes(self) -> int | None: ...

    def optimize(self) -> None: ...


class SQLiteFTS5:
    """An FTS5 table over ``words`` (external content: the entries' table), kept by triggers."""

    name = "SQLite FTS5"

    def __init__(self, using: str = "default") -> None:
        self.using = using

    @staticmethod
    def expression(terms: list[str]) -> str:
        # Every term a quoted string: FTS5 reads nothing inside quotes as syntax (AND, NEAR, *, -, :).
        return " ".join('"' + term.replace('"', '""') + '"' for term in terms)

    def match(self, terms: list[str]) -> Match:
        return Match(
            "archive_fts JOIN archive_searchentry ON archive_searchentry.id = archive_fts.rowid",
            "archive_fts MATCH %s",
            [self.expression(terms)],
            "archive_fts.rank",  # bm25, smaller is better
            [],
            "archive_fts.rowid DESC",  # FTS5 walks its lists backwards and stops at the LIMIT
        )

    def index_bytes(self) -> int | None:
        with connections[self.using].cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'archive_fts%%'")
            except Exception:  # dbstat is an optional SQLite module
                return None
            row = cursor.fetchone()
        return int(row[0] or 0) if row else None

    def optimize(self) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("INSERT INTO archive_fts(archive_fts) VALUES ('optimize')")


class PostgresFullText:
    """A generated ``tsvector`` column (``to_tsvector('simple', words)``) with a GIN index: the
    words are jieba's already, so the 'simple' configuration only lowercases them."""

    name = "PostgreSQL 全文检索"

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def match(self, terms: list[str]) -> Match:
        words = " ".join(terms)
        return Match(
            "archive_searchentry",
            "archive_searchentry.search @@ plainto_tsquery('simple', %s)",
            [words],
            "ts_rank(archive_searchentry.search, plainto_tsquery('simple', %s)) DESC",
            [words],
            "archive_searchentry.id DESC",  # the primary key read backwards, filtered, until the LIMIT
        )

    def index_bytes(self) -> int | None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('archive_searchentry_search')")
            row = cursor.fetchone()
        return int(row[0]) if row else None

    def optimize(self) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("ANALYZE archive_searchentry")


def backend(using: str = "default") -> Backend:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return SQLiteFTS5(using)
    if vendor == "postgresql":
        return PostgresFullText(using)
    raise NotImplementedError(f"no full-text backend for {vendor}")
