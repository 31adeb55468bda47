"""Adding documents to the archive: the one way in, for uploads, the command line, plan imports and
generated documents (``add_document``, the writing app's hook).

A file is read by the engine; each report it holds becomes an ``ArchivedDocument`` with its
paragraphs (a compilation also keeps a row for the file itself), and the current ones are indexed.
The same bytes twice are refused (``Duplicate``); a report whose title, unit, year and kind match a
current one is its new version. All of it in one transaction, audited as the adding user.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from taizhang import reports
from taizhang.accounts.models import Unit
from taizhang.archive.models import ArchivedDocument, ArchivedParagraph, DocumentKind
from taizhang.archive.search.index import index_document
from taizhang.ledger.audit import acting_as
from taizhang.ledger.errors import DomainError
from taizhang.ledger.suggest.units import names_of, resolve_unit_name
from taizhang.reports.model import Paragraph

if TYPE_CHECKING:
    from taizhang.accounts.models import User
    from taizhang.ledger.models import Plan, SourceDocument

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".md": "text/markdown; charset=utf-8",
}
TEXT = "text/plain; charset=utf-8"
ORIGINS = ("upload", "cli", "import", "writing", "demo")


class ArchiveError(DomainError):
    """A document that cannot be archived, with the Chinese reason."""


class Duplicate(ArchiveError):
    """The same bytes (SHA-256) are archived already, as ``existing``."""

    def __init__(self, existing: ArchivedDocument, name: str) -> None:
        day = timezone.localtime(existing.added_at)
        super().__init__(
            f"《{PurePath(name).name}》与 {day:%Y年%m月%d日} 存档的《{existing.display_name}》"
            "内容相同，未重复存档"
        )
        self.existing = existing


@dataclass
class Added:
    """What one file became: its own row first (a compilation, or its single report), then its reports."""

    documents: list[ArchivedDocument] = field(default_factory=list)

    @property
    def file_row(self) -> ArchivedDocument:
        return self.documents[0]

    @property
    def reports(self) -> list[ArchivedDocument]:
        return [d for d in self.documents if not d.is_compilation]


# --- reading the engine's documents -------------------------------------------------------------

_BULLETIN = re.compile(r"通报|简报|快报")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_NOTICE = re.compile(r"通知|函$|提示单|警示单|督办单")


def kind_of(doc: reports.Document) -> DocumentKind:
    """A report's kind from its title and parts: 通报 / 通知 by name, else a summary when it sums up a
    period (a 总结及计划 too), a plan when it only plans."""
    if _BULLETIN.search(doc.title):
        return DocumentKind.BULLETIN
    if _NOTICE.search(doc.title):
        return DocumentKind.NOTICE
    if doc.summary_period:
        return DocumentKind.SUMMARY
    if doc.plan_period:
        return DocumentKind.PLAN
    return DocumentKind.OTHER


def year_of(doc: reports.Document) -> int | None:
    """The year a report is filed under: the year it sums up, else the year it plans (else the year
    its title names)."""
    period = doc.summary_period or doc.plan_period
    if period and period[:4].isdigit():
        return int(period[:4])
    named = _TITLE_YEAR.search(doc.title)
    return int(named.group(1)) if named else None


def resolve_unit(name: str, units: Sequence[Unit]) -> Unit | None:
    """The unit a report names for itself (`县交通运输局`, `交通运输`), among ``units``, if exactly one."""
    if not name.strip():
        return None
    unit, _ = resolve_unit_name(name, units, names_of(units))
    return unit


def _compilation_title(result: reports.ParseResult, name: str) -> str:
    first = result.documents[0].line
    for line in result.lines[: first - 1]:
        text = line.strip()
        if text and len(text) <= 80:
            return text
    return PurePath(name).stem


# --- adding -------------------------------------------------------------------------------------


def add_file(
    data: bytes,
    name: str,
    *,
    user: User | None = None,
    unit: Unit | None = None,
    default_unit: Unit | None = None,
    units: Sequence[Unit] | None = None,
    year: int | None = None,
    kind: str | None = None,
    origin: str = "upload",
    source: SourceDocument | None = None,
    previous: ArchivedDocument | None = None,
) -> Added:
    """Archive a file (.txt/.md/.docx/.xlsx). ``unit`` is the unit of a single report (and of a
    compilation); a report's unit is otherwise the one it names among ``units`` (default: every
    active unit), else ``default_unit``. ``year`` and ``kind`` override what the engine reads.
    ``previous`` makes a single report the new version of that document. Raises ArchiveError
    (Chinese) for bad input, Duplicate for known bytes."""
    assert origin in ORIGINS, origin
    name = PurePath(name).name or "未命名.txt"
    digest = hashlib.sha256(data).hexdigest()
    existing = ArchivedDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        raise Duplicate(existing, name)
    try:
        result = reports.parse_bytes(data, name)
    except reports.InputError as err:
        raise ArchiveError(str(err)) from None
    if not any(line.strip() for line in result.lines):
        raise ArchiveError(f"文件没有正文：{name}")
    candidates = list(units) if units is not None else list(Unit.objects.filter(is_active=True))
    file_row = ArchivedDocument(
        original_name=name[:255],
        sha256=digest,
        size=len(data),
        content_type=CONTENT_TYPES.get(PurePath(name).suffix.lower(), TEXT),
        text="\n".join(result.raw_lines or result.lines),
        parse=result.to_dict(),
        origin=origin,
        source=source,
        added_by=user,
        last_line=len(result.lines),
    )
    stored = False
    try:
        with transaction.atomic(), acting_as(user):
            file_row.file.save(name, ContentFile(data), save=False)
            stored = True
            added = _add_rows(file_row, result, candidates, unit, default_unit, year, kind, previous)
            for document in added.reports:
                index_document(document)
            return added
    except BaseException:
        if stored:  # the rows were rolled back; the stored file must go too
            file_row.file.delete(save=False)
        raise


def _add_rows(
    file_row: ArchivedDocument,
    result: reports.ParseResult,
    units: Sequence[Unit],
    unit: Unit | None,
    default_unit: Unit | None,
    year: int | None,
    kind: str | None,
    previous: ArchivedDocument | None,
) -> Added:
    docs = result.documents
    if len(docs) <= 1:
        doc = docs[0] if docs else _untitled(result, file_row.original_name)
        _describe(file_row, doc, unit, year, kind, units)
        file_row.unit = file_row.unit or default_unit
        file_row.title = doc.title[:300]
        file_row.first_line, file_row.last_line = doc.line, doc.end_line or len(result.lines)
        _link_version(file_row, previous)
        file_row.save()
        _store_paragraphs(file_row, doc)
        return Added([file_row])
    # A compilation: its file's row, then a row per report (their lines are the file's).
    file_row.kind = DocumentKind.COMPILATION
    file_row.title = _compilation_title(result, file_row.original_name)[:300]
    file_row.unit = unit or default_unit
    years = [y for y in (year_of(d) for d in docs) if y]
    file_row.year = year or (max(set(years), key=years.count) if years else None)
    _link_version(file_row, None)
    file_row.save()
    added = Added([file_row])
    for doc in docs:
        part = ArchivedDocument(
            compilation=file_row,
            parse={**result.to_dict(), "documents": [doc.to_dict()]},
            origin=file_row.origin,
            source=file_row.source,
            added_by=file_row.added_by,
            title=doc.title[:300],
            first_line=doc.line,
            last_line=doc.end_line or len(result.lines),
        )
        _describe(part, doc, None, year, kind, units)
        part.unit = part.unit or unit or default_unit
        _link_version(part, None)
        part.save()
        _store_paragraphs(part, doc)
        added.documents.append(part)
    return added


def _untitled(result: reports.ParseResult, name: str) -> reports.Document:
    """A file whose title names no report period (a notice, a letter): its first line is its title
    when short, the whole text its body of no section."""
    lines = result.lines
    first = next((n for n, text in enumerate(lines, 1) if text.strip()), 1)
    title = lines[first - 1].strip() if lines else ""
    if not title or len(title) > 60 or title[-1] in "。；;！？":
        title, first = PurePath(name).stem, 0
    doc = reports.Document(title=title, line=first, end_line=len(lines))
    doc.paragraphs = [
        Paragraph(n, t.strip(), "other") for n, t in enumerate(lines, 1) if t.strip() and n != first
    ]
    return doc


def _describe(
    row: ArchivedDocument,
    doc: reports.Document | None,
    unit: Unit | None,
    year: int | None,
    kind: str | None,
    units: Sequence[Unit],
) -> None:
    row.unit_name = (doc.unit if doc else "")[:100]
    row.unit = unit or resolve_unit(row.unit_name, units)
    row.year = year or (year_of(doc) if doc else None)
    row.kind = kind or (kind_of(doc) if doc else DocumentKind.OTHER)


def _link_version(row: ArchivedDocument, previous: ArchivedDocument | None) -> None:
    """A new version replaces ``previous``, or the current document of the same title, unit, year
    and kind: the older one stays readable but leaves the index."""
    if previous is None and row.title:
        previous = (
            ArchivedDocument.objects.filter(
                current=True, title=row.title, unit=row.unit, year=row.year, kind=row.kind
            )
            .select_for_update()
            .order_by("-pk")
            .first()
        )
    if previous is None:
        return
    if hasattr(previous, "next_version"):
        raise ArchiveError(f"《{previous.display_name}》已有更新的版本，请在最新版本上更新")
    row.previous = previous
    row.version = previous.version + 1
    previous.current = False
    previous.save(update_fields=["current"])
    index_document(previous)  # leaves the index
    for part in previous.parts.filter(current=True):
        part.current = False
        part.save(update_fields=["current"])
        index_document(part)


def _store_paragraphs(row: ArchivedDocument, doc: reports.Document) -> None:
    """The report's paragraphs as the engine read them (``Document.paragraphs``), its title first
    (searchable too, as `other`), one per line."""
    found: dict[int, ArchivedParagraph] = {}
    if doc.line > 0 and doc.title:
        found[doc.line] = ArchivedParagraph(document=row, line=doc.line, role="other", text=doc.title)
    for p in doc.paragraphs:
        text = p.text.strip()
        if text and p.line not in found:
            found[p.line] = ArchivedParagraph(
                document=row, line=p.line, role=p.role, section_line=p.section_line or None, text=text
            )
    ArchivedParagraph.objects.bulk_create(found.values(), batch_size=2000)


def add_document(
    content: bytes | str,
    name: str,
    *,
    user: User | None = None,
    unit: Unit | None = None,
    year: int | None = None,
    kind: str | None = None,
    previous: ArchivedDocument | None = None,
) -> Added:
    """The hook for generated documents (the writing app): archive a .docx (bytes) or a Markdown or
    text document (str) in one call, with its unit, year and kind (``DocumentKind``) as known to the
    caller. Raises Duplicate when the same content is archived already (``err.existing``)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return add_file(
        data, name, user=user, unit=unit, year=year, kind=kind, origin="writing", previous=previous
    )


def archive_plan(plan: Plan) -> ArchivedDocument | None:
    """A plan imported from a document: its document joins the archive under the plan's unit and
    year (once; a file archived before is only linked to the import). A document the archive cannot
    take never stops the import: it is logged."""
    source = plan.source
    if source is None:
        return None
    existing = ArchivedDocument.objects.filter(sha256=source.sha256).first()
    if existing is not None:
        if existing.source_id is None:
            existing.source = source
            existing.save(update_fields=["source"])
        return existing
    try:
        if source.file:
            with source.file.open("rb") as handle:
                data = handle.read()
        else:
            data = source.text.encode("utf-8")
        with transaction.atomic():
            added = add_file(
                data,
                source.original_name,
                user=plan.created_by,
                unit=plan.owner_unit,
                year=plan.year,
                origin="import",
                source=source,
            )
    except (ArchiveError, OSError) as err:
        log.warning("plan %s: its document was not archived: %s", plan.pk, err)
        return None
    return added.file_row
