"""The same document imported twice, or one confirmation posted twice, makes one plan."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.drafts import TaskDraft
from taizhang.ledger.importing import plans
from taizhang.ledger.models import Plan, SourceDocument, Task
from tests.ledger.test_import_plan import PLAN_TEXT, form_data, import_plan, plan_docx, preview_key, upload

pytestmark = pytest.mark.django_db


def test_same_document_twice_is_refused_with_a_link(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    import_plan(client)
    plan = Plan.objects.get()
    response = upload(client, "计划（另存）.docx", plan_docx())  # same bytes, another name
    assert response.status_code == 200
    html = response.content.decode()
    assert f"导入为计划《{plan.title}》，不会重复导入" in html
    assert f'href="{reverse("ledger:plan_detail", args=[plan.pk])}"' in html
    assert Plan.objects.count() == 1 and SourceDocument.objects.count() == 1 and Task.objects.count() == 5


def test_same_pasted_text_twice_is_refused(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(client.post(reverse("import:plan"), {"text": PLAN_TEXT}))
    client.post(reverse("import:preview", args=[key]), {**form_data(client, key), "action": "confirm"})
    again = client.post(reverse("import:plan"), {"text": PLAN_TEXT.replace("\n", "  \r\n")})
    assert again.status_code == 200 and "不会重复导入" in again.content.decode()
    assert Plan.objects.count() == 1


def test_a_confirmation_posted_twice_creates_the_plan_once(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = {**form_data(client, key), "action": "confirm"}
    first = client.post(reverse("import:preview", args=[key]), data)
    second = client.post(reverse("import:preview", args=[key]), data)
    plan = Plan.objects.get()
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("ledger:plan_detail", args=[plan.pk])
    assert "该导入已完成" in client.get(second.url).content.decode()
    assert Task.objects.count() == 5 and SourceDocument.objects.count() == 1


def test_two_previews_of_one_document_import_once(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    """Two tabs (or two supervisors) preview the same file before either confirms."""
    client = login(people.supervisor)
    first = preview_key(upload(client, "plan.docx", plan_docx()))
    second = preview_key(upload(client, "plan.docx", plan_docx()))
    first_data, second_data = form_data(client, first), form_data(client, second)
    client.post(reverse("import:preview", args=[first]), {**first_data, "action": "confirm"})
    response = client.post(reverse("import:preview", args=[second]), {**second_data, "action": "confirm"})
    assert response.status_code == 302 and response.url == reverse("import:plan")
    assert "不会重复导入" in client.get(response.url).content.decode()
    assert Plan.objects.count() == 1 and Task.objects.count() == 5


def test_another_units_import_is_not_shown(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    import_plan(login(people.supervisor))
    response = upload(login(people.bureau_supervisor), "plan.docx", plan_docx())
    html = response.content.decode()
    assert "该文件已由其他单位导入为工作计划" in html
    assert "测试县2026年重点工作计划" not in html.split("<main", 1)[1]  # no title, no link
    assert Plan.objects.count() == 1


def _draft() -> TaskDraft:
    return TaskDraft(seq=1, code="1", category_path=[], title="推进县道改造", content="推进县道改造")


def test_confirm_refuses_bytes_already_imported(org: SimpleNamespace, people: SimpleNamespace) -> None:
    arguments: dict[str, Any] = {
        "user": people.supervisor,
        "data": b"plan bytes",
        "text": "plan",
        "file_name": "plan.txt",
        "content_type": "text/plain",
        "owner_unit": org.root,
        "year": 2026,
        "title": "计划",
        "cadence": "monthly",
    }
    plan = plans.confirm(**arguments, drafts=[_draft()])
    with pytest.raises(plans.AlreadyImported) as caught:
        plans.confirm(**arguments, drafts=[_draft()])
    assert caught.value.plan == plan and "不会重复导入" in caught.value.message
    assert Plan.objects.count() == 1 and SourceDocument.objects.count() == 1


def test_a_refused_confirmation_keeps_no_source_file(org: SimpleNamespace, people: SimpleNamespace) -> None:
    bad = _draft()
    bad.title = ""  # invalid task: the whole import is refused
    with pytest.raises(plans.DomainError):
        plans.confirm(
            user=people.supervisor,
            data=b"other bytes",
            text="",
            file_name="plan.txt",
            content_type="text/plain",
            owner_unit=org.root,
            year=2026,
            title="计划",
            cadence="monthly",
            drafts=[bad],
        )
    assert Plan.objects.count() == 0 and SourceDocument.objects.count() == 0
    from django.conf import settings

    sources = settings.MEDIA_ROOT / "sources"
    assert not sources.exists() or not any(p.is_file() for p in sources.rglob("*"))


@pytest.mark.django_db(transaction=True)
def test_racing_confirmations_make_one_plan(org: SimpleNamespace, people: SimpleNamespace) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (run with DATABASE_URL=postgres://…)")
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def confirm() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            plans.confirm(
                user=people.supervisor,
                data=b"the same plan",
                text="",
                file_name="plan.txt",
                content_type="text/plain",
                owner_unit=org.root,
                year=2026,
                title="计划",
                cadence="monthly",
                drafts=[_draft()],
            )
            outcomes.append("created")
        except plans.AlreadyImported:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "refused", "refused", "refused"]
    assert Plan.objects.count() == 1 and SourceDocument.objects.count() == 1 and Task.objects.count() == 1


def test_a_document_another_import_stored_a_moment_ago_is_the_one_kept(
    people: SimpleNamespace, settings: Any
) -> None:
    """Two imports of the same bytes: the second looked (nothing yet), the first then stored its
    copy. The second gets the first's document, in a transaction still usable, and leaves no
    stray copy of the file."""
    first, created = services.store_source_document("计划.txt", b"the same plan", "", people.supervisor)
    assert created
    with mock.patch.object(SourceDocument.objects, "filter", return_value=SourceDocument.objects.none()):
        again, created = services.store_source_document(
            "计划（另存）.txt", b"the same plan", "", people.supervisor
        )
    assert (again, created) == (first, False)
    assert SourceDocument.objects.count() == 1 and Plan.objects.filter(source=first).count() == 0
    stored = [p for p in (settings.MEDIA_ROOT / "sources").rglob("*") if p.is_file()]
    assert len(stored) == 1
