"""The full-text index over SearchEntry.words, in each database's own way.

SQLite: an FTS5 table with the entries' table as external content (the words are stored once) and
triggers that follow every insert, update and delete of an entry, cascades included.
PostgreSQL: a generated tsvector column (the words are jieba's: the 'simple' configuration only
lowercases them) and a GIN index on it; no server extension.

Careful: on SQLite Django alters a table by rebuilding it, which drops its triggers. A later
migration that alters archive_searchentry must recreate the triggers below (and rebuild the FTS
table: INSERT INTO archive_fts(archive_fts) VALUES ('rebuild')).
"""

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE archive_fts USING fts5("
    "words, content='archive_searchentry', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER archive_fts_insert AFTER INSERT ON archive_searchentry BEGIN "
    "INSERT INTO archive_fts(rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER archive_fts_delete AFTER DELETE ON archive_searchentry BEGIN "
    "INSERT INTO archive_fts(archive_fts, rowid, words) VALUES ('delete', old.id, old.words); END",
    "CREATE TRIGGER archive_fts_update AFTER UPDATE OF words ON archive_searchentry BEGIN "
    "INSERT INTO archive_fts(archive_fts, rowid, words) VALUES ('delete', old.id, old.words); "
    "INSERT INTO archive_fts(rowid, words) VALUES (new.id, new.words); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS archive_fts_update",
    "DROP TRIGGER IF EXISTS archive_fts_delete",
    "DROP TRIGGER IF EXISTS archive_fts_insert",
    "DROP TABLE IF EXISTS archive_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE archive_searchentry ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, words)) STORED",
    "CREATE INDEX archive_searchentry_search ON archive_searchentry USING GIN (search)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS archive_searchentry_search",
    "ALTER TABLE archive_searchentry DROP COLUMN IF EXISTS search",
]


class VendorSQL(migrations.RunSQL):
    """RunSQL on one database vendor only (the other's migration does nothing)."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any) -> None:
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self) -> Any:
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "vendor": self.vendor}

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorSQL("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
