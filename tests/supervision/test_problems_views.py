"""The problem ledger's screens: list with colours and counts, the state machine through the
forms, bad input answered in Chinese on the page, 从文件导入问题 and the Excel 整改台账."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from taizhang.ledger import services
from taizhang.ledger.models import SourceDocument
from taizhang.supervision import problems
from taizhang.supervision.problem_models import Problem, ProblemSource, ProblemState

pytestmark = pytest.mark.django_db

# A small hand-written report: three problems in its 存在的主要问题 part, on one line.
REPORT = """县住房和城乡建设局2026年工作要点

一、2025年工作总结

今年以来，我局推进老旧小区改造，完成改造12个小区。

二、存在的主要问题

一是老旧小区改造资金缺口较大，县住建局统筹不够。二是青石镇农房安全隐患排查进度滞后。三是物业管理覆盖面不广。

三、2026年工作计划

（一）加快老旧小区改造。完成改造10个小区，由县住建局牵头，6月底前完成。
"""


def fresh(problem: Problem) -> Problem:
    return Problem.objects.get(pk=problem.pk)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def county(ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace) -> SimpleNamespace:
    """Problems in four colours on 2026-06-10 (``today`` patched): red (overdue), yellow (due in
    3 days), green, white (signed off)."""
    make = lambda title, deadline, unit=org.housing: problems.create_problem(  # noqa: E731
        ledger.plan, people.supervisor, problems.ProblemDraft(title=title, unit=unit, deadline=deadline)
    )
    red = make("红色问题", dt.date(2026, 6, 1))
    yellow = make("黄色问题", dt.date(2026, 6, 13), org.transport)
    green = make("绿色问题", dt.date(2026, 9, 30))
    white = make("白色问题", dt.date(2026, 9, 30))
    white = problems.submit_rectification(
        white, people.housing_reporter, text="已整改", expected_version=white.version
    )
    problems.verify(white, people.supervisor, sign_off=True, expected_version=white.version)
    return SimpleNamespace(red=red, yellow=yellow, green=green, white=fresh(white))


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.supervision import problems_views

    monkeypatch.setattr(problems_views, "today", lambda: dt.date(2026, 6, 10))


# --- the list -----------------------------------------------------------------------------------


def test_list_counts_each_colour_and_filters(
    county: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    html = page(client, "/problems/")
    for title in ("红色问题", "黄色问题", "绿色问题", "白色问题"):
        assert title in html
    assert "整改时限已过9天" in html and "整改时限还有3天" in html
    context = client.get("/problems/").context
    assert dict(context["counts"]) == {"red": 1, "yellow": 1, "green": 1, "white": 1}
    red_only = page(client, "/problems/?colour=red")
    assert "红色问题" in red_only and "绿色问题" not in red_only
    closed = page(client, "/problems/?state=closed")
    assert "白色问题" in closed and "红色问题" not in closed
    by_unit = page(client, f"/problems/?unit={county.yellow.unit_id}")
    assert "黄色问题" in by_unit and "红色问题" not in by_unit
    ordered = client.get("/problems/?sort=colour").context["page"].object_list
    assert [p.title for p, _ in ordered] == ["红色问题", "黄色问题", "绿色问题", "白色问题"]
    ordered = client.get("/problems/?sort=-deadline").context["page"].object_list
    assert ordered[0][0].deadline == dt.date(2026, 9, 30) and ordered[-1][0].title == "红色问题"


def test_each_one_sees_their_scope(
    county: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    assert "红色问题" in page(login(people.leader), "/problems/")  # the root's leader sees all
    housing = page(login(people.housing_reporter), "/problems/")
    assert "红色问题" in housing and "黄色问题" not in housing  # its own unit's only
    transport = page(login(people.reporter), "/problems/")
    assert "黄色问题" in transport and "红色问题" not in transport
    assert login(people.reporter).get(f"/problems/{county.red.pk}/").status_code == 404
    assert "没有符合条件的问题" in page(login(people.town_reporter), "/problems/")


# --- the state machine through the forms --------------------------------------------------------


def test_rectify_verify_reopen_through_the_pages(
    county: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    problem = county.green
    url = f"/problems/{problem.pk}/"
    unit, office = login(people.housing_reporter), login(people.supervisor)
    assert "提交整改情况" in page(unit, url) and "提交整改情况" not in page(office, url)
    evidence = SimpleUploadedFile("整改照片.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = unit.post(
        f"{url}rectify/", {"text": "已完成改造", "files": [evidence], "version": problem.version}
    )
    assert response.status_code == 302
    assert fresh(problem).state == ProblemState.SUBMITTED
    html = page(office, url)
    assert "验收销号" in html and "整改照片.pdf" in html
    attachment = fresh(problem).attachments.get()
    assert unit.get(f"/problem-files/{attachment.pk}/").status_code == 200
    assert login(people.reporter).get(f"/problem-files/{attachment.pk}/").status_code == 404
    # the unit cannot verify, the supervisor can
    assert (
        unit.post(f"{url}verify/", {"decision": "sign_off", "version": fresh(problem).version}).status_code
        == 403
    )
    response = office.post(
        f"{url}verify/", {"decision": "sign_off", "comment": "现场核实", "version": fresh(problem).version}
    )
    assert response.status_code == 302 and fresh(problem).state == ProblemState.CLOSED
    # posted twice (double click): nothing more, no error
    again = office.post(
        f"{url}verify/", {"decision": "sign_off", "comment": "现场核实", "version": problem.version + 1}
    )
    assert again.status_code == 302 and fresh(problem).events.filter(kind="signed_off").count() == 1
    response = office.post(f"{url}reopen/", {"reason": "回头看发现反弹", "version": fresh(problem).version})
    assert response.status_code == 302
    done = fresh(problem)
    assert (done.state, done.reopen_count) == (ProblemState.OPEN, 1)
    assert "回头看发现问题反弹，已重新挂账（第1次）：回头看发现反弹" in page(office, url)


def test_bad_steps_are_answered_in_chinese_on_the_page(
    county: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    office = login(people.supervisor)
    problem = county.green
    response = office.post(
        f"/problems/{problem.pk}/verify/", {"decision": "sign_off", "version": problem.version}
    )
    assert response.status_code == 200
    assert "该问题当前为“整改中”，只有待验收的问题可以验收销号" in response.content.decode()
    response = office.post(f"/problems/{problem.pk}/reopen/", {"reason": "", "version": problem.version})
    assert "请填写回头看发现的情况" in response.content.decode()
    unit = login(people.housing_reporter)
    response = unit.post(f"/problems/{problem.pk}/rectify/", {"text": "", "version": problem.version})
    assert "请填写整改情况" in response.content.decode()
    assert fresh(problem).state == ProblemState.OPEN


def test_register_by_hand(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    office = login(people.supervisor)
    url = f"/plans/{ledger.plan.pk}/problems/new/"
    assert page(office, url)
    fields = {
        "title": "督办通知指出的问题",
        "unit": org.town.pk,
        "deadline": "1999-06-30",
        "source": "notice",
        "source_note": "督办〔2026〕3号",
    }
    response = office.post(url, fields)
    assert (
        response.status_code == 200
        and "整改时限超出范围（年份应在 2000 至 2100 之间）" in response.content.decode()
    )
    assert not Problem.objects.exists()
    response = office.post(url, {**fields, "deadline": "2026-07-31"})
    made = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/problems/{made.pk}/"
    assert (made.source, made.source_note, made.unit) == (ProblemSource.NOTICE, "督办〔2026〕3号", org.town)
    assert login(people.leader).get(url).status_code == 403
    assert login(people.housing_reporter).get(url).status_code in (403, 404)


def test_edit(
    county: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    office = login(people.supervisor)
    problem = county.red
    url = f"/problems/{problem.pk}/edit/"
    assert page(office, url)
    response = office.post(
        url,
        {
            "title": problem.title,
            "unit": org.housing.pk,
            "deadline": "2026-12-31",
            "measures": "新措施",
            "version": problem.version,
        },
    )
    assert response.status_code == 302
    assert (fresh(problem).deadline, fresh(problem).measures) == (dt.date(2026, 12, 31), "新措施")
    stale = office.post(
        url, {"title": "x", "unit": org.housing.pk, "deadline": "2026-12-31", "version": problem.version}
    )
    assert "该记录已被他人修改" in stale.content.decode()
    assert login(people.housing_reporter).get(url).status_code == 403


# --- 从文件导入问题 -------------------------------------------------------------------------------


def test_import_from_an_uploaded_document(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    office = login(people.supervisor)
    url = f"/plans/{ledger.plan.pk}/problems/import/"
    upload = SimpleUploadedFile("住建局工作要点.txt", REPORT.encode(), content_type="text/plain")
    response = office.post(url, {"file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    context = office.get(preview_url).context
    rows = [row for row, _ in context["items"]]
    assert [r["text"] for r in rows] == [
        "老旧小区改造资金缺口较大，县住建局统筹不够。",
        "青石镇农房安全隐患排查进度滞后。",
        "物业管理覆盖面不广。",
    ]
    assert [r["unit"] for r in rows] == [org.housing.pk, org.town.pk, None]  # suggested from the text
    assert {r["line"] for r in rows} == {9}
    assert not Problem.objects.exists() and not SourceDocument.objects.exists()  # nothing before confirmation
    post = {
        "r0-include": "on",
        "r0-unit": org.housing.pk,
        "r0-deadline": "2026-09-30",
        "r0-measures": "争取上级资金",
        "r1-include": "on",
        "r1-unit": org.town.pk,
        "r1-deadline": "2026-08-31",
        "r2-include": "on",
        "r2-unit": "",
        "r2-deadline": "2026-12-31",
    }
    response = office.post(preview_url, post)
    assert response.status_code == 200
    assert "第9行的问题“物业管理覆盖面不广。”：请选择责任单位" in response.content.decode()
    assert not Problem.objects.exists() and not SourceDocument.objects.exists()  # all or nothing
    response = office.post(preview_url, {**post, "r2-include": ""})
    assert response.status_code == 302
    made = list(Problem.objects.order_by("id"))
    assert [(p.title, p.unit, p.source, p.source_line) for p in made] == [
        ("老旧小区改造资金缺口较大，县住建局统筹不够。", org.housing, ProblemSource.DOCUMENT, 9),
        ("青石镇农房安全隐患排查进度滞后。", org.town, ProblemSource.DOCUMENT, 9),
    ]
    assert made[0].measures == "争取上级资金" and made[0].deadline == dt.date(2026, 9, 30)
    assert (
        made[0].source_document is not None and made[0].source_document.original_name == "住建局工作要点.txt"
    )
    again = office.post(preview_url, post)  # confirmed twice: nothing more
    assert again.status_code == 302 and Problem.objects.count() == 2
    assert login(people.leader).get(preview_url).status_code == 404  # another session: not found


def test_import_from_the_plans_source_document(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    source, _ = services.store_source_document("计划.txt", REPORT.encode(), REPORT, people.supervisor)
    ledger.plan.source = source
    ledger.plan.save()
    office = login(people.supervisor)
    response = office.post(f"/plans/{ledger.plan.pk}/problems/import/", {"use_source": "1"})
    assert response.status_code == 302
    assert len(office.get(response["Location"]).context["items"]) == 3


def test_import_of_a_document_without_problems(
    ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    office = login(people.supervisor)
    plain = "县住建局2026年工作计划\n\n一、重点工作\n\n（一）加快老旧小区改造。完成改造10个小区。\n"
    upload = SimpleUploadedFile("计划.txt", plain.encode(), content_type="text/plain")
    response = office.post(f"/plans/{ledger.plan.pk}/problems/import/", {"file": upload})
    assert response.status_code == 200 and "未从文件中识别出问题" in response.content.decode()
    response = office.post(f"/plans/{ledger.plan.pk}/problems/import/", {})
    assert "请选择要导入的文件" in response.content.decode()
    assert login(people.leader).post(f"/plans/{ledger.plan.pk}/problems/import/", {}).status_code == 403


# --- the Excel 整改台账 ---------------------------------------------------------------------------


def test_export_columns_and_rows(
    county: SimpleNamespace, ledger: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    from openpyxl import load_workbook

    response = login(people.supervisor).get(f"/problems/export.xlsx?plan={ledger.plan.pk}&sort=colour")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ledger.plan.title in rows[0][0]
    assert rows[1] == ("序号", "问题", "责任单位", "整改措施", "整改时限", "整改情况", "状态", "颜色")
    body = rows[2:]
    assert [r[0] for r in body] == [1, 2, 3, 4]
    assert [r[1] for r in body] == ["红色问题", "黄色问题", "绿色问题", "白色问题"]
    assert body[0][4] == dt.datetime(2026, 6, 1) and body[0][6] == "整改中"
    assert body[0][7] == "红色：整改时限已过9天"
    assert body[3][6] == "已销号" and body[3][5].startswith("已整改\n") and "验收销号" in body[3][5]
    # a unit's export holds its own problems only
    sheet = load_workbook(io.BytesIO(login(people.reporter).get("/problems/export.xlsx").content)).active
    assert [r[1] for r in list(sheet.iter_rows(values_only=True))[2:]] == ["黄色问题"]
