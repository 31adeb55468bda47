"""The 对账 screen: a ledger plan (only the tasks in the user's scope) or a plan document against an
uploaded summary; a plan out of scope is a 404; bad uploads answered in Chinese; nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from taizhang.ledger.models import Plan, SourceDocument, Task
from tests.reports.wordbuild import build, para

SUMMARY = """测试县交通运输局2026年工作总结
一、主要工作成效
（一）交通建设。全年完成县道改造48公里，路况明显改善。
（二）其他工作。完成冬季供暖管网改造xx公里，保障居民温暖过冬。
二、存在的问题
老旧小区改造资金不足。
"""

PLAN_TEXT = """测试县城管局2026年工作要点
一、环境卫生
（一）完成污水处理厂三期扩建项目建设，确保污水处理提质增效。
（二）开展“安全生产月”活动，提高安全生产水平。
"""


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def page(client: Client, plan: Plan, **files: Any) -> Any:
    return client.post(f"/plans/{plan.pk}/reconcile/", files)


def test_the_plan_page_links_to_its_reconcile_screen(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    response = login(people.supervisor).get(f"/plans/{ledger.plan.pk}/")
    assert f'href="/plans/{ledger.plan.pk}/reconcile/"' in response.content.decode()
    form = login(people.supervisor).get(f"/plans/{ledger.plan.pk}/reconcile/")
    assert form.status_code == 200
    assert (
        "测试县2026年重点工作计划" in form.content.decode() and 'name="summary_file"' in form.content.decode()
    )


def test_each_task_with_its_passages_unmentioned_tasks_marked_and_unplanned_passages_listed(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    before = (LogEntry.objects.count(), SourceDocument.objects.count(), Task.objects.count())
    response = page(login(people.supervisor), ledger.plan, summary_file=upload("总结.txt", SUMMARY))
    assert response.status_code == 200
    html = response.content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert len(rows) == 3  # the plan's three tasks, in its order
    assert "推进县道改造" in rows[0] and "已提及" in rows[0] and "总结第3行" in rows[0] and "县道" in rows[0]
    assert 'class="unmentioned"' not in rows[0]
    for row, title in zip(rows[1:], ("实施老旧小区改造", "打造美丽乡村示范点"), strict=True):
        assert title in row and 'class="unmentioned"' in row and "未提及" in row
    unplanned = html.split('id="unplanned-heading"')[1]
    assert "计划外段落（1 段）" in html and "第4行" in unplanned and "供暖管网" in unplanned
    assert "老旧小区改造资金不足" not in html  # the problem part is no report
    assert f'href="/tasks/{ledger.transport.pk}/"' in rows[0]
    # by passage: line 3 reports on the road task, line 4 on none
    by_passage = html.split('class="by-passage"')[1].split("</details>")[0]
    lines = by_passage.split("<tbody>")[1].split("<tr>")[1:]
    assert "第3行" in lines[0] and "1.1 推进县道改造" in lines[0]
    assert "第4行" in lines[1] and "计划外" in lines[1]
    assert "年度" not in html.split('id="result-heading"')[1].split("对账概况")[0]  # same year: no warning
    # a check, not a change: nothing stored, nothing audited
    assert (LogEntry.objects.count(), SourceDocument.objects.count(), Task.objects.count()) == before


def test_a_summary_of_another_year_is_pointed_out(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    summary = SUMMARY.replace("2026年工作总结", "2025年工作总结")
    html = page(
        login(people.supervisor), ledger.plan, summary_file=upload("总结.txt", summary)
    ).content.decode()
    assert "总结的年度（2025年）与计划的年度（2026年）不同" in html and "对账结果" in html


def test_a_user_reconciles_only_the_tasks_in_their_scope(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    # 交通运输局's reporter sees its own task and 青石镇's (it co-operates), not 住建局's.
    html = page(
        login(people.reporter), ledger.plan, summary_file=upload("总结.txt", SUMMARY)
    ).content.decode()
    assert "推进县道改造" in html and "打造美丽乡村示范点" in html
    assert "实施老旧小区改造" not in html


def test_a_plan_outside_the_user_s_scope_is_a_404(
    bureau_plan: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.housing_reporter)
    assert client.get(f"/plans/{bureau_plan.plan.pk}/reconcile/").status_code == 404
    assert page(client, bureau_plan.plan, summary_file=upload("总结.txt", SUMMARY)).status_code == 404
    assert client.get("/plans/999999/reconcile/").status_code == 404
    # nor can it be chosen on the open form: the list holds the plans in scope only
    chosen = client.post(
        "/reconcile/", {"plan": bureau_plan.plan.pk, "summary_file": upload("总结.txt", SUMMARY)}
    )
    assert chosen.status_code == 200 and "对账结果" not in chosen.content.decode()
    assert "选择一个有效的选项" in chosen.content.decode() or "选择有效" in chosen.content.decode()
    assert "交通运输局2026年工作要点" not in client.get("/reconcile/").content.decode()


def test_anonymous_callers_are_sent_to_log_in(ledger: SimpleNamespace) -> None:
    response = Client().get(f"/plans/{ledger.plan.pk}/reconcile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_needs_its_csrf_token(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.supervisor)
    response = client.post(
        f"/plans/{ledger.plan.pk}/reconcile/", {"summary_file": upload("总结.txt", SUMMARY)}
    )
    assert response.status_code == 403


def test_a_plan_chosen_on_the_open_form_or_a_plan_document(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    chosen = client.post("/reconcile/", {"plan": ledger.plan.pk, "summary_file": upload("总结.txt", SUMMARY)})
    assert "对账结果" in chosen.content.decode() and "推进县道改造" in chosen.content.decode()
    summary = SUMMARY.replace("全年完成县道改造48公里", "污水处理厂三期扩建工程建成投运")
    document = client.post(
        "/reconcile/",
        {"plan_file": upload("要点.txt", PLAN_TEXT), "summary_file": upload("总结.txt", summary)},
    )
    html = document.content.decode()
    assert "对账结果" in html and "要点.txt（2 项任务）" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert "第3行" in rows[0] and "已提及" in rows[0] and "总结第3行" in rows[0]
    assert "第4行" in rows[1] and 'class="unmentioned"' in rows[1]


def test_a_docx_summary_is_read(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    docx = build("".join(para(line) for line in SUMMARY.splitlines()))
    html = page(
        login(people.supervisor), ledger.plan, summary_file=upload("总结.docx", docx)
    ).content.decode()
    assert "对账结果" in html and "总结第3行" in html


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "这个字段是必填项"),
        (
            {"summary_file": upload("总结.pdf", b"%PDF-1.4 x")},
            "总结文件只能是 .docx、.txt、.md 文件：总结.pdf",
        ),
        ({"summary_file": upload("总结.txt", b"")}, "空文件"),
        ({"summary_file": upload("总结.docx", b"PK\x03\x04garbage")}, ".docx 文件不完整或已损坏"),
        ({"summary_file": upload("总结.docx", b"MZ\x90\x00binary")}, "不是有效的 .docx 文件"),
        ({"summary_file": upload("总结.txt", PLAN_TEXT)}, "未从总结文件中识别出总结部分的段落"),
    ],
)
def test_bad_summary_uploads_are_answered_in_chinese(
    ledger: SimpleNamespace,
    people: SimpleNamespace,
    login: Callable[[Any], Client],
    files: dict[str, Any],
    message: str,
) -> None:
    response = page(login(people.supervisor), ledger.plan, **files)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "对账结果" not in html


def test_an_upload_over_the_size_limit_is_refused(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client], settings: Any
) -> None:
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 100
    response = page(login(people.supervisor), ledger.plan, summary_file=upload("总结.txt", SUMMARY * 3))
    assert "超过上限" in response.content.decode() and "对账结果" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请选择台账中的计划，或上传计划文件"),
        ({"plan_file": upload("要点.txt", PLAN_TEXT), "use_plan": True}, "二者选一"),
        (
            {"plan_file": upload("要点.xls", b"\xd0\xcf\x11\xe0")},
            "计划文件只能是 .docx、.xlsx、.txt、.md 文件",
        ),
        ({"plan_file": upload("要点.txt", "会议记录\n")}, "未从计划文件中识别出任务"),
    ],
)
def test_bad_plan_choices_are_answered_in_chinese(
    ledger: SimpleNamespace,
    people: SimpleNamespace,
    login: Callable[[Any], Client],
    data: dict[str, Any],
    message: str,
) -> None:
    posted = {k: v for k, v in data.items() if k != "use_plan"}
    if data.get("use_plan"):
        posted["plan"] = ledger.plan.pk
    posted["summary_file"] = upload("总结.txt", SUMMARY)
    html = login(people.supervisor).post("/reconcile/", posted).content.decode()
    assert message in html and "对账结果" not in html


def test_a_plan_with_no_task_in_scope_says_so(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    empty = Plan.objects.create(year=2026, owner_unit=org.root, title="空计划")
    html = page(login(people.supervisor), empty, summary_file=upload("总结.txt", SUMMARY)).content.decode()
    assert "该计划中没有您可查看的任务" in html
