"""Plan import through the screens: upload (.docx / .txt) or paste → preview → confirm.

The plan below is written for these tests in the genre of a county's annual plan."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger.importing import pending
from taizhang.ledger.models import Plan, SourceDocument, Task

pytestmark = pytest.mark.django_db

PLAN_TEXT = """测试县2026年重点工作计划

2026年是全县加快高质量发展的攻坚之年。全县上下要围绕年度目标，压实工作责任，确保各项任务按期完成。

一、总体要求
坚持目标导向和问题导向，实行清单化管理、节点化推进。

二、重点工作
（一）交通基础设施建设
1.推进国省干线改造，完成路面改造25公里，由县交通运输局牵头，县住建局配合，9月底前完成。
2.实施农村公路提质工程，新改建村组道路40公里，公路建设股负责具体实施，各镇配合，11月底前完成。
（二）城乡建设
1.推进棚户区改造，完成安置房主体工程800套，由县住建局牵头，青石镇配合，分管副县长督办，年底前完成。
2.开展集镇环境整治，清理乱搭乱建，青石镇牵头，县交通局、县住建局配合，上半年完成。
（三）督查督办
建立重点工作月调度机制，由督查室牵头，每月通报进度，责任领导：王建国。

三、保障措施
加强组织领导，严格督查考核。
"""


@functools.cache
def plan_docx(text: str = PLAN_TEXT) -> bytes:
    """The plan as a Word document, one paragraph a line (the same bytes every time)."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client: Client, name: str, data: bytes) -> Any:
    return client.post(reverse("import:plan"), {"file": SimpleUploadedFile(name, data)})


def preview_key(response: Any) -> str:
    assert response.status_code == 302, getattr(response, "content", b"").decode()[:2000]
    prefix = reverse("import:preview", args=["0" * 32]).replace("0" * 32 + "/", "")
    assert response.url.startswith(prefix)
    return str(response.url[len(prefix) :].strip("/"))


def form_data(client: Client, key: str) -> dict[str, Any]:
    """The preview form's fields as the browser would post them (unchanged)."""
    response = client.get(reverse("import:preview", args=[key]))
    assert response.status_code == 200
    data: dict[str, Any] = {}
    plan_form = response.context["plan_form"]
    for name, field in plan_form.fields.items():
        value = plan_form[name].value()
        data[name] = getattr(value, "pk", value)
        del field
    for view in response.context["rows"]:
        form = view.form
        for name in form.fields:
            value = form[name].value()
            key_name = form.add_prefix(name)
            if name == "include":
                if value:
                    data[key_name] = "on"
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            data[key_name] = "" if value is None else value
    return data


def import_plan(client: Client, **changes: Any) -> Any:
    key = preview_key(upload(client, "2026年计划.docx", plan_docx()))
    data = form_data(client, key)
    data.update(changes)
    data["action"] = "confirm"
    return client.post(reverse("import:preview", args=[key]), data)


def test_upload_preview_confirm_creates_the_tasks(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "2026年计划.docx", plan_docx()))
    assert Plan.objects.count() == 0 and SourceDocument.objects.count() == 0  # nothing saved yet

    page = client.get(reverse("import:preview", args=[key]))
    html = page.content.decode()
    assert "导入预览" in html and "（一）交通基础设施建设" in html and "原文第 10 行" in html
    rows = page.context["rows"]
    assert len(rows) == 5
    assert page.context["plan_form"]["title"].value() == "测试县2026年重点工作计划"
    assert page.context["plan_form"]["year"].value() == 2026
    assert page.context["plan_form"]["owner_unit"].value() == org.root.pk

    response = client.post(
        reverse("import:preview", args=[key]), {**form_data(client, key), "action": "confirm"}
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("ledger:plan_detail", args=[plan.pk])
    assert plan.title == "测试县2026年重点工作计划" and plan.year == 2026 and plan.cadence == "monthly"
    assert plan.owner_unit == org.root and plan.created_by == people.supervisor
    assert plan.source is not None and plan.source.original_name == "2026年计划.docx"
    assert len(plan.source.sha256) == 64 and plan.source.file.read() == plan_docx()

    tasks = list(plan.tasks.order_by("seq"))
    assert [t.seq for t in tasks] == [1, 2, 3, 4, 5]
    assert [t.source_line for t in tasks] == [10, 11, 13, 14, 15]
    assert all(t.source == plan.source for t in tasks)
    assert tasks[0].category_path == ["二、重点工作", "（一）交通基础设施建设"]
    assert tasks[0].title == "推进国省干线改造"
    assert tasks[0].content.startswith("推进国省干线改造，完成路面改造25公里")
    assert [t.lead_unit for t in tasks] == [org.transport, org.section, org.housing, org.town, org.office]
    assert list(tasks[0].co_units.all()) == [org.housing]
    assert list(tasks[1].co_units.all()) == [org.town]  # 各镇
    assert set(tasks[3].co_units.all()) == {org.transport, org.housing}
    assert [t.deadline for t in tasks] == [
        dt.date(2026, 9, 30),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 12, 31),  # no date in the text: end of the plan year
    ]
    assert tasks[2].leader_name == "分管副县长" and tasks[4].leader_name == "王建国"
    assert [t.code for t in tasks][:2] == ["1.1", "1.2"]

    # every write went through the services: the audit log names the importer
    entries = LogEntry.objects.filter(actor=people.supervisor)
    assert entries.filter(object_repr=str(plan)).exists()
    assert entries.count() >= 1 + 5 + 1  # source document, plan, tasks

    assert pending.get(client.session, key, people.supervisor.pk) is not None  # kept as "done"
    assert not list(pending.pending_dir().glob(f"{key}.*"))  # the waiting upload is gone


def test_pasted_text_imports_too(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    response = client.post(reverse("import:plan"), {"text": PLAN_TEXT.replace("\n", "\r\n")})
    key = preview_key(response)
    client.post(reverse("import:preview", args=[key]), {**form_data(client, key), "action": "confirm"})
    plan = Plan.objects.get()
    assert plan.tasks.count() == 5
    assert plan.source is not None and plan.source.original_name == "粘贴的计划文本.txt"
    assert plan.source.text.startswith("测试县2026年重点工作计划")
    assert plan.tasks.get(seq=1).source_line == 10


def test_txt_upload(org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.txt", PLAN_TEXT.encode("gb18030")))
    client.post(reverse("import:preview", args=[key]), {**form_data(client, key), "action": "confirm"})
    assert Plan.objects.get().tasks.count() == 5


def test_edits_in_place_without_javascript(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = form_data(client, key)
    data.update(
        {
            "title": "测试县2026年重点工作任务清单",
            "cadence": "quarterly",
            "t0-title": "国省干线改造",
            "t0-lead_unit": str(org.housing.pk),
            "t0-co_units": "县交通局、青石镇",
            "t0-leader_name": "李副县长",
            "t0-deadline": "2026-10-15",
            "action": "save",
        }
    )
    del data["t4-include"]  # leave the last task out
    response = client.post(reverse("import:preview", args=[key]), data)
    assert response.status_code == 302  # saved, shown again
    page = client.get(response.url)
    assert "修改已保存" in page.content.decode()
    assert page.context["included"] == 4
    assert Plan.objects.count() == 0

    data = form_data(client, key)
    assert data["t0-title"] == "国省干线改造" and data["t0-co_units"] == "县交通运输局、青石镇"
    client.post(reverse("import:preview", args=[key]), {**data, "action": "confirm"})
    plan = Plan.objects.get()
    assert plan.title == "测试县2026年重点工作任务清单" and plan.cadence == "quarterly"
    assert plan.tasks.count() == 4
    first = plan.tasks.get(seq=1)
    assert first.title == "国省干线改造" and first.lead_unit == org.housing
    assert set(first.co_units.all()) == {org.transport, org.town}
    assert first.leader_name == "李副县长" and first.deadline == dt.date(2026, 10, 15)


def test_row_errors_are_shown_and_nothing_is_saved(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = form_data(client, key)
    data.update({"t1-title": "", "t2-co_units": "县教育局", "t3-deadline": "2025-06-30", "action": "confirm"})
    response = client.post(reverse("import:preview", args=[key]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "有 3 项任务需要修改" in html
    assert "请填写任务名称" in html
    assert "单位“县教育局”不在单位库中" in html
    assert "完成时限早于计划年度（2026年）" in html
    assert Plan.objects.count() == 0 and Task.objects.count() == 0 and SourceDocument.objects.count() == 0


def test_htmx_row_edit_keeps_the_row(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = form_data(client, key)
    url = reverse("import:preview_row", args=[key, 1])
    bad = client.post(url, {**data, "t1-co_units": "不存在的局"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and 'id="row-1"' in bad.content.decode()
    assert "不存在的局" in bad.content.decode() and "has-error" in bad.content.decode()
    good = client.post(url, {**data, "t1-lead_unit": str(org.transport.pk)}, HTTP_HX_REQUEST="true")
    assert "已保存" in good.content.decode()
    kept = pending.get(client.session, key, people.supervisor.pk)
    assert kept is not None and kept.rows[1]["lead"] == org.transport.pk
    assert Plan.objects.count() == 0


def test_changing_the_year_moves_suggested_deadlines_only(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = {**form_data(client, key), "year": "2027", "t1-deadline": "2027-03-31", "action": "save"}
    client.post(reverse("import:preview", args=[key]), data)
    data = form_data(client, key)
    assert data["t0-deadline"] == "2027-09-30"  # "9月底前" in 2027
    assert data["t1-deadline"] == "2027-03-31"  # set by hand
    assert data["t4-deadline"] == "2027-12-31"


def test_discard_forgets_the_upload(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    assert list(pending.pending_dir().glob(f"{key}.*"))
    response = client.post(reverse("import:discard", args=[key]))
    assert response.status_code == 302
    assert client.get(reverse("import:preview", args=[key])).status_code == 404
    assert not list(pending.pending_dir().glob(f"{key}.*"))
    assert Plan.objects.count() == 0 and SourceDocument.objects.count() == 0


def test_bureau_supervisor_imports_for_own_unit_with_own_units(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.bureau_supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    page = client.get(reverse("import:preview", args=[key]))
    assert page.context["plan_form"]["owner_unit"].value() == org.transport.pk
    owner_choices = [value for value, _ in page.context["plan_form"].fields["owner_unit"].choices]
    assert owner_choices == [org.transport.pk, org.section.pk]
    # only units in the bureau's subtree are suggested: 住建局 and 青石镇 are not
    leads = [v.form["lead_unit"].value() for v in page.context["rows"]]
    assert leads == [org.transport.pk, org.section.pk, None, None, None]  # 交通局 only co-operates on row 4
    data = form_data(client, key)
    data["t0-lead_unit"] = str(org.housing.pk)  # outside the bureau: refused
    data["action"] = "confirm"
    response = client.post(reverse("import:preview", args=[key]), data)
    assert response.status_code == 200 and Plan.objects.count() == 0
    data["t0-lead_unit"] = str(org.transport.pk)
    response = client.post(reverse("import:preview", args=[key]), data)
    plan = Plan.objects.get()
    assert plan.owner_unit == org.transport and response.status_code == 302


def test_done_page_and_export_link(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    import_plan(client)
    plan = Plan.objects.get()
    page = client.get(reverse("import:done", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "已导入：测试县2026年重点工作计划" in html and reverse("ledger:plan_export", args=[plan.pk]) in html
    )


def test_confirm_needs_at_least_one_task(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    data = {k: v for k, v in form_data(client, key).items() if not k.endswith("-include")}
    response = client.post(reverse("import:preview", args=[key]), {**data, "action": "confirm"})
    assert response.status_code == 200 and "请至少勾选一项要导入的任务" in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_plan_too_big_for_one_form_post_saves_row_by_row(
    settings: Any, org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    """Django refuses posts with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields (1000 by default,
    ~140 tasks): a bigger preview saves each row on its own and confirms from the session."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 40  # 5 tasks × 7 fields + 20 > 40
    client = login(people.supervisor)
    key = preview_key(upload(client, "plan.docx", plan_docx()))
    page = client.get(reverse("import:preview", args=[key]))
    html = page.content.decode()
    assert page.context["bulk"] and "本计划任务较多（5 项）" in html
    assert 'form="row-0"' in html and 'id="row-4" method="post"' in html and "保存此行" in html

    row = {
        "t0-include": "on",
        "t0-title": "国省干线改造",
        "t0-content": "改造25公里",
        "t0-deadline": "2026-10-31",
    }
    row |= {"t0-lead_unit": str(org.housing.pk), "t0-co_units": "", "t0-leader_name": ""}
    saved = client.post(reverse("import:preview_row", args=[key, 0]), row)  # a plain post, no htmx
    assert saved.status_code == 302 and saved.url.endswith("#row-0")
    assert "第 1 项已保存" in client.get(saved.url).content.decode()
    refused = client.post(reverse("import:preview_row", args=[key, 1]), {"t1-include": "on", "t1-title": ""})
    assert "第 2 项未保存" in client.get(refused.url).content.decode()
    partial = client.post(
        reverse("import:preview_row", args=[key, 2]), {"t2-include": ""}, HTTP_HX_REQUEST="true"
    )
    assert 'form="row-2"' in partial.content.decode()  # left out, still bound to its own form

    plan_only = {"title": "大计划", "year": "2026", "owner_unit": str(org.root.pk), "cadence": "monthly"}
    response = client.post(reverse("import:preview", args=[key]), {**plan_only, "action": "confirm"})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.title == "大计划" and plan.tasks.count() == 4  # the third task was left out
    first = plan.tasks.get(seq=1)
    assert (
        first.title == "国省干线改造"
        and first.lead_unit == org.housing
        and first.deadline == dt.date(2026, 10, 31)
    )
