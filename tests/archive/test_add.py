"""Adding documents: one report, a compilation split into its reports, the same bytes refused, a new
version linked to the one it replaces, a plan's imported document archived, the writing hook."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from taizhang.archive import services
from taizhang.archive.models import ArchivedDocument, ArchivedParagraph, EntryKind, SearchEntry
from taizhang.ledger.models import Plan
from tests.archive.conftest import HOUSING_2024, TOWN_2023, TRANSPORT_2024
from tests.ledger.test_import_plan import import_plan

pytestmark = pytest.mark.django_db


def test_a_report_is_kept_with_its_file_unit_year_kind_and_paragraphs(
    org: SimpleNamespace, people: SimpleNamespace
) -> None:
    added = services.add_file(TRANSPORT_2024.encode(), "交通2024.txt", user=people.supervisor)
    [doc] = added.documents
    assert (doc.title, doc.kind, doc.year) == ("县交通运输局2024年工作总结及2025年工作计划", "summary", 2024)
    assert doc.unit == org.transport  # read from the title: 县交通运输局
    assert doc.file.read() == TRANSPORT_2024.encode()
    assert doc.parse["schema"] == "taizhang.parse/1"
    assert [s["heading"] for s in doc.document_json["sections"]] == [
        "一、2024年工作总结",
        "二、存在的问题",
        "三、2025年工作计划",
    ]
    lines = dict(doc.paragraphs.values_list("line", "role"))
    assert lines[7] == "summary" and lines[12] == "problem" and lines[17] == "plan"
    assert SearchEntry.objects.filter(document=doc).count() == doc.paragraphs.count() == 10
    entry = LogEntry.objects.get(object_pk=str(doc.pk), content_type__model="archiveddocument")
    assert entry.actor == people.supervisor


def test_a_compilation_is_split_into_its_reports(org: SimpleNamespace) -> None:
    text = "测试县各部门2024年工作总结汇编\n\n" + TRANSPORT_2024 + "\n\n" + HOUSING_2024 + "\n\n" + TOWN_2023
    added = services.add_file(text.encode(), "汇编.txt", unit=org.root)
    book, *parts = added.documents
    assert book.kind == "compilation" and book.title == "测试县各部门2024年工作总结汇编"
    assert [(p.title, p.unit, p.year, p.compilation) for p in parts] == [
        ("县交通运输局2024年工作总结及2025年工作计划", org.transport, 2024, book),
        ("县住房和城乡建设局2024年工作总结", org.housing, 2024, book),
        ("青石镇2023年工作总结", org.town, 2023, book),
    ]
    assert book.year == 2024  # the year most of its reports sum up
    # each report's lines are the compilation file's
    housing = parts[1]
    first = text.splitlines().index("县住房和城乡建设局2024年工作总结") + 1
    assert housing.first_line == first
    assert housing.paragraphs.get(line=first + 6).text.startswith("（一）老旧小区改造")
    # the file's own row holds no paragraphs of its own: its reports are indexed, once each
    assert not book.paragraphs.exists()
    assert SearchEntry.objects.filter(document__in=parts).count() == ArchivedParagraph.objects.count()


def test_the_same_bytes_twice_are_refused(org: SimpleNamespace) -> None:
    first = services.add_file(TOWN_2023.encode(), "青石镇.txt").file_row
    with pytest.raises(services.Duplicate) as caught:
        services.add_file(TOWN_2023.encode(), "另存为.txt")
    assert caught.value.existing == first
    assert "《另存为.txt》与" in str(caught.value) and "《青石镇2023年工作总结》内容相同，未重复存档" in str(
        caught.value
    )
    assert ArchivedDocument.objects.count() == 1


def test_a_new_version_replaces_the_current_one_in_the_index(org: SimpleNamespace) -> None:
    old = services.add_file(TOWN_2023.encode(), "青石镇.txt").file_row
    revised = TOWN_2023.replace("示范点2个", "示范点3个")
    new = services.add_file(revised.encode(), "青石镇（修改稿）.txt").file_row
    old.refresh_from_db()
    assert (new.previous, new.version, new.current, old.current) == (old, 2, True, False)
    assert not SearchEntry.objects.filter(document=old).exists()
    assert SearchEntry.objects.filter(document=new).count() == new.paragraphs.count()
    assert old.paragraphs.count() == new.paragraphs.count()  # the old version stays readable
    # another year of the same unit is no version of it
    other = services.add_file(TOWN_2023.replace("2023", "2024").encode(), "2024.txt").file_row
    assert other.previous is None and other.version == 1


def test_bad_input_is_refused_in_chinese_and_leaves_nothing(org: SimpleNamespace, settings: Any) -> None:
    for data, name in ((b"%PDF-1.4 ...", "a.pdf"), (b"", "empty.txt"), (b"PK\x03\x04broken", "x.docx")):
        with pytest.raises(services.ArchiveError) as caught:
            services.add_file(data, name)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value))
    assert not ArchivedDocument.objects.exists()
    media = settings.MEDIA_ROOT / "archive"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_text_without_a_report_title_is_kept_whole(org: SimpleNamespace) -> None:
    text = "关于报送2025年重点工作进展情况的通知\n\n各单位：请于每月5日前报送上月进展。\n"
    doc = services.add_file(text.encode(), "通知.txt", unit=org.office).file_row
    assert (doc.title, doc.kind, doc.year) == ("关于报送2025年重点工作进展情况的通知", "notice", 2025)
    assert list(doc.paragraphs.values_list("line", "role")) == [(1, "other"), (3, "other")]


def test_a_generated_document_is_archived_in_one_call(org: SimpleNamespace, people: SimpleNamespace) -> None:
    added = services.add_document(
        HOUSING_2024,
        "住建局2024年总结.md",
        user=people.supervisor,
        unit=org.housing,
        year=2024,
        kind="summary",
    )
    doc = added.file_row
    assert (doc.origin, doc.unit, doc.year, doc.kind) == ("writing", org.housing, 2024, "summary")
    assert doc.paragraphs.exists()
    with pytest.raises(services.Duplicate):
        services.add_document(HOUSING_2024, "again.md", unit=org.housing)


def test_an_imported_plan_document_is_archived_with_the_plan(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    response = import_plan(login(people.supervisor))
    assert response.status_code == 302
    plan = Plan.objects.get()
    doc = ArchivedDocument.objects.get()
    assert (doc.source, doc.origin, doc.unit, doc.year, doc.kind) == (
        plan.source,
        "import",
        org.root,
        2026,
        "plan",
    )
    assert doc.title == "测试县2026年重点工作计划"
    assert doc.paragraphs.filter(role="plan", text__contains="国省干线改造").exists()
    # the plan's tasks are indexed too, under their lead units
    assert SearchEntry.objects.filter(kind=EntryKind.TASK).count() == plan.tasks.count() == 5
