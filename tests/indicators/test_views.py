"""The indicator screens: entry all-or-nothing with optimistic locking, periods refused in Chinese,
the Excel upload's per-row errors, the template, generating from the plan's document, who may do what."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from taizhang.indicators import services
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.ledger import services as ledger_services
from tests.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-04-03")


@pytest.fixture
def world(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    plan = ledger.plan
    gas, rate, other = services.create_indicators(
        plan,
        people.supervisor,
        [
            services.IndicatorDraft(
                name="燃气管道改造投资", owner_unit=org.housing, measure="亿元", target=Decimal("12")
            ),
            services.IndicatorDraft(
                name="房屋安全事故起数",
                owner_unit=org.housing,
                measure="起",
                target=Decimal("4"),
                direction="lower",
            ),
            services.IndicatorDraft(
                name="县道改造里程", owner_unit=org.transport, measure="公里", target=Decimal("48")
            ),
        ],
    )
    return SimpleNamespace(plan=plan, gas=gas, rate=rate, other=other, people=people, org=org)


def entry_url(w: SimpleNamespace) -> str:
    return reverse("indicators:entry", args=[w.plan.pk])


def post_entry(client: Any, w: SimpleNamespace, period: str, rows: dict[Indicator, dict[str, str]]) -> Any:
    data = {"unit": str(w.org.housing.pk), "period": period}
    for indicator, fields in rows.items():
        data.update({f"i{indicator.pk}-{k}": v for k, v in fields.items()})
    return client.post(entry_url(w), data)


def text(response: Any) -> str:
    return str(response.content.decode())


def test_entry_saves_all_of_a_units_indicators_at_once(
    world: SimpleNamespace, login: Callable[..., Any]
) -> None:
    client = login(world.people.housing_reporter)
    page = client.get(entry_url(world) + f"?unit={world.org.housing.pk}")
    assert page.status_code == 200
    assert "燃气管道改造投资" in text(page) and "县道改造里程" not in text(page)  # the unit's own only
    assert 'value="2026-03" selected' in text(page)  # early April: March is being entered
    response = post_entry(
        client,
        world,
        "2026-03",
        {
            world.gas: {"value": "2,500.5", "rank": "3", "rank_of": "12", "version": "0"},
            world.rate: {"value": "1", "note": "一起轻微事故", "version": "0"},
        },
    )
    assert response.status_code == 302
    gas = IndicatorValue.objects.get(indicator=world.gas, period="2026-03")
    assert gas.value == Decimal("2500.5") and (gas.rank, gas.rank_of) == (3, 12)
    assert gas.entered_by == world.people.housing_reporter
    assert IndicatorValue.objects.get(indicator=world.rate).note == "一起轻微事故"


def test_entry_is_all_or_nothing(world: SimpleNamespace, login: Callable[..., Any]) -> None:
    client = login(world.people.housing_reporter)
    response = post_entry(
        client,
        world,
        "2026-03",
        {world.gas: {"value": "3", "version": "0"}, world.rate: {"value": "两起", "version": "0"}},
    )
    assert response.status_code == 400
    assert "本期数值“两起”不是数字" in text(response)
    assert 'aria-invalid="true"' in text(response)  # the error is tied to its field
    assert not IndicatorValue.objects.exists()
    # rank above the number ranked: refused, nothing saved
    response = post_entry(
        client, world, "2026-03", {world.gas: {"value": "3", "rank": "13", "rank_of": "12"}}
    )
    assert response.status_code == 400 and "超过了参评总数" in text(response)
    assert not IndicatorValue.objects.exists()


def test_a_stale_version_is_refused_per_value(world: SimpleNamespace, login: Callable[..., Any]) -> None:
    people = world.people
    services.save_values(people.supervisor, "2026-03", [services.Entry(world.gas, Decimal("5"))])
    client = login(people.housing_reporter)
    # the reporter loaded the page before the supervisor saved (version 0), and types 6
    response = post_entry(
        client,
        world,
        "2026-03",
        {world.gas: {"value": "6", "version": "0"}, world.rate: {"value": "1", "version": "0"}},
    )
    assert response.status_code == 400
    assert "已被他人修改为 5" in text(response)
    assert IndicatorValue.objects.get(indicator=world.gas).value == Decimal("5")
    assert not IndicatorValue.objects.filter(indicator=world.rate).exists()  # all or nothing
    # with the version seen, the correction goes through
    response = post_entry(client, world, "2026-03", {world.gas: {"value": "6", "version": "1"}})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=world.gas)
    assert (value.value, value.version) == (Decimal("6"), 2)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025-12", "不在本计划的报送年度"),
        ("2026-05", "尚未开始"),
        ("2026-Q1", "没有按季度报送的指标"),
        ("2026-13", "报送期格式不正确"),
        ("2026-01", "截止超过30天"),  # January closed on 5 February, 57 days ago
    ],
)
def test_periods_refused_in_chinese(
    world: SimpleNamespace, login: Callable[..., Any], period: str, message: str
) -> None:
    client = login(world.people.housing_reporter)
    response = post_entry(client, world, period, {world.gas: {"value": "3", "version": "0"}})
    assert response.status_code == 400
    assert message in text(response)
    assert not IndicatorValue.objects.exists()
    page = client.get(entry_url(world) + f"?period={period}")
    assert page.status_code == 200 and message in text(page)


def test_the_service_refuses_a_period_of_another_periodicity(world: SimpleNamespace) -> None:
    with pytest.raises(services.BatchError) as caught:
        services.save_values(world.people.supervisor, "2026-Q1", [services.Entry(world.gas, Decimal("1"))])
    assert "与指标的报送周期不符" in caught.value.rows[world.gas.pk][0]
    assert not IndicatorValue.objects.exists()


def test_closed_periods_are_corrected_by_supervisors_only(
    world: SimpleNamespace, login: Callable[..., Any]
) -> None:
    people = world.people
    february = {world.gas: {"value": "2", "version": "0"}}  # closed on 5 March, 29 days ago
    assert post_entry(login(people.housing_reporter), world, "2026-02", february).status_code == 302
    january = {world.gas: {"value": "1", "version": "0"}}
    assert post_entry(login(people.housing_reporter), world, "2026-01", january).status_code == 400
    assert post_entry(login(people.supervisor), world, "2026-01", january).status_code == 302
    assert IndicatorValue.objects.get(period="2026-01").entered_by == people.supervisor


def test_who_may_enter_view_and_define(world: SimpleNamespace, login: Callable[..., Any]) -> None:
    people = world.people
    detail = reverse("indicators:detail", args=[world.gas.pk])
    new = reverse("indicators:new", args=[world.plan.pk])
    # 交通运输局's reporter: sees the plan, not 住建局's indicators; enters only its own
    transport = login(people.reporter)
    assert transport.get(detail).status_code == 404
    listing = text(transport.get(reverse("indicators:plan", args=[world.plan.pk])))
    assert "县道改造里程" in listing and "燃气管道改造投资" not in listing
    response = transport.post(
        entry_url(world),
        {"unit": str(world.org.housing.pk), "period": "2026-03", f"i{world.gas.pk}-value": "9"},
    )
    assert not IndicatorValue.objects.filter(indicator=world.gas).exists()  # falls back to its own unit
    assert response.status_code in (200, 302, 400)
    with pytest.raises(services.BatchError):
        services.save_values(people.reporter, "2026-03", [services.Entry(world.gas, Decimal("9"))])
    # the leader views everything, enters and defines nothing
    leader = login(people.leader)
    assert leader.get(detail).status_code == 200
    assert leader.get(entry_url(world)).status_code == 403
    assert leader.get(new).status_code == 403
    # a reporter of the owner unit enters but does not define
    housing = login(people.housing_reporter)
    assert housing.get(detail).status_code == 200
    assert housing.get(new).status_code == 403
    assert housing.get(reverse("indicators:edit", args=[world.gas.pk])).status_code == 403
    # the plan's supervisor defines
    response = login(people.supervisor).post(
        new,
        {
            "name": "新增指标甲",
            "measure": "%",
            "owner_unit": str(world.org.town.pk),
            "target": "95",
            "periodicity": "quarterly",
            "accumulation": "level",
            "direction": "higher",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get(name="新增指标甲").periodicity == "quarterly"
    # a bureau's supervisor does not define the county plan's indicators
    assert login(people.bureau_supervisor).get(new).status_code == 403


def test_defining_refuses_bad_input_in_chinese(world: SimpleNamespace, login: Callable[..., Any]) -> None:
    client = login(world.people.supervisor)
    base = {
        "measure": "亿元",
        "owner_unit": str(world.org.housing.pk),
        "periodicity": "monthly",
        "accumulation": "cumulative",
        "direction": "higher",
    }
    response = client.post(
        reverse("indicators:new", args=[world.plan.pk]), {**base, "name": "燃气管道改造投资"}
    )
    assert response.status_code == 200 and "本计划已有名为“燃气管道改造投资”的指标" in text(response)
    response = client.post(
        reverse("indicators:new", args=[world.plan.pk]), {**base, "name": "乙", "target": "xx"}
    )
    assert "占位符" in text(response)
    assert Indicator.objects.count() == 3


# --- Excel ----------------------------------------------------------------------------------------


def workbook(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(
    client: Any, w: SimpleNamespace, data: bytes, name: str = "指标.xlsx", period: str = "2026-03"
) -> Any:
    return client.post(
        reverse("indicators:upload", args=[w.plan.pk]),
        {"unit": str(w.org.housing.pk), "period": period, "file": SimpleUploadedFile(name, data)},
    )


def test_upload_saves_a_valid_sheet(world: SimpleNamespace, login: Callable[..., Any]) -> None:
    client = login(world.people.housing_reporter)
    data = workbook(
        [
            ["住建局2026年3月指标填报表"],
            ["序号", "指标名称", "计量单位", "本期数值", "上年同期", "排名", "备注"],
            [1, "燃气管道改造投资", "亿元", 2.75, 2.5, "3/12", "按月统计"],
            [2, "房屋安全事故起数（起）", "起", 0, None, None, None],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 302, text(response)
    gas = IndicatorValue.objects.get(indicator=world.gas)
    assert (gas.value, gas.last_year_value, gas.rank, gas.rank_of) == (Decimal("2.75"), Decimal("2.5"), 3, 12)
    assert IndicatorValue.objects.get(indicator=world.rate).value == 0


def test_upload_reports_every_bad_row_and_saves_nothing(
    world: SimpleNamespace, login: Callable[..., Any]
) -> None:
    client = login(world.people.housing_reporter)
    data = workbook(
        [
            ["指标名称", "本期数值", "备注", "排名"],
            ["燃气管道改造投资", "约三亿", "", ""],
            ["不存在的指标", 5, "", ""],
            ["县道改造里程", 5, "", ""],  # another unit's
            ["房屋安全事故起数", 1, "", "第十位"],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 400
    page = text(response)
    assert "第 2 行“本期数值”：“约三亿”不是数字" in page
    assert "第 3 行“指标名称”：“不存在的指标”不是您可填报的指标" in page
    assert "第 4 行“指标名称”：“县道改造里程”不是您可填报的指标" in page
    assert "第 5 行“排名”" in page
    assert "均未导入" in page
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("rows", "name", "message"),
    [
        (
            [["指标名称", "本期数值", "完成情况"], ["燃气管道改造投资", 3, "好"]],
            "a.xlsx",
            "“完成情况”列无法识别",
        ),
        ([["指标名称", "备注"], ["燃气管道改造投资", "x"]], "a.xlsx", "缺少“本期数值”列"),
        ([["名称", "值"], ["燃气管道改造投资", 3]], "a.xlsx", "未找到表头"),
        ([["指标名称", "本期数值"]], "a.xlsx", "表头下没有填写任何指标数值"),
        ([["指标名称", "本期数值"]], "a.xls", "不支持旧版 Excel 文件"),
    ],
)
def test_upload_refuses_bad_sheets_in_chinese(
    world: SimpleNamespace, login: Callable[..., Any], rows: list[list[Any]], name: str, message: str
) -> None:
    response = upload(login(world.people.housing_reporter), world, workbook(rows), name=name)
    assert response.status_code == 400
    assert message in text(response)
    assert not IndicatorValue.objects.exists()


def test_upload_refuses_a_renamed_file_and_a_closed_period(
    world: SimpleNamespace, login: Callable[..., Any]
) -> None:
    client = login(world.people.housing_reporter)
    response = upload(client, world, b"%PDF-1.4 not a workbook")
    assert response.status_code == 400 and "这是 PDF 文件" in text(response)
    good = workbook([["指标名称", "本期数值"], ["燃气管道改造投资", 3]])
    response = upload(client, world, good, period="2026-01")
    assert response.status_code == 400 and "截止超过30天" in text(response)
    assert not IndicatorValue.objects.exists()


def test_template_lists_the_units_indicators_with_stored_values(
    world: SimpleNamespace, login: Callable[..., Any]
) -> None:
    from openpyxl import load_workbook

    services.save_values(
        world.people.housing_reporter,
        "2026-03",
        [services.Entry(world.gas, Decimal("1.5"), rank=2, rank_of=9)],
    )
    client = login(world.people.housing_reporter)
    response = client.get(reverse("indicators:template", args=[world.plan.pk]) + "?period=2026-03")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:4] == ["序号", "指标名称", "计量单位", "本期数值"]
    assert [r[1] for r in rows[2:]] == ["燃气管道改造投资", "房屋安全事故起数"]
    assert rows[2][3] == 1.5 and rows[2][5] == "2/9"
    # the filled-in template uploads back unchanged
    back = upload(client, world, response.content)
    assert back.status_code == 302
    assert IndicatorValue.objects.get(indicator=world.gas).version == 1


# --- the list, and generating from the plan's document --------------------------------------------


def test_list_marks_indicators_behind_time_progress(
    world: SimpleNamespace, login: Callable[..., Any]
) -> None:
    reporter = world.people.housing_reporter
    services.save_values(reporter, "2026-03", [services.Entry(world.gas, Decimal("2.4"))])  # 20% by 25%
    services.save_values(reporter, "2026-03", [services.Entry(world.rate, Decimal("0"))])
    page = text(login(world.people.leader).get(reverse("indicators:plan", args=[world.plan.pk])))
    assert "1 项落后序时进度" in page
    assert "-5.0个百分点（落后序时进度）" in page
    assert "缺报 2 期" in page  # January and February of the gas and rate indicators
    only = text(
        login(world.people.leader).get(reverse("indicators:plan", args=[world.plan.pk]) + "?behind=1")
    )
    assert "燃气管道改造投资" in only and "房屋安全事故起数" not in only


PLAN_TEXT = """测试县2026年经济工作计划

一、主要目标

力争地区生产总值增长6%，一般公共预算收入达到12.5亿元，建制村通客车率达到100%。

二、重点工作

（一）推进项目建设。一是完成县道改造48公里，由县交通运输局牵头，12月底前完成。
"""


def test_generate_indicators_from_the_plans_document(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from taizhang.ledger.models import Plan

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    document, _ = ledger_services.store_source_document(
        "计划.txt", PLAN_TEXT.encode(), PLAN_TEXT, people.supervisor, "text/plain"
    )
    plan = Plan.objects.create(year=2026, owner_unit=org.root, title="经济工作计划", source=document)
    url = reverse("indicators:generate", args=[plan.pk])
    assert login(people.housing_reporter).get(url).status_code in (403, 404)
    client = login(people.supervisor)
    page = client.get(url)
    assert page.status_code == 200
    body = text(page)
    assert "一般公共预算收入" in body and "地区生产总值增速" in body
    count = body.count('name="c') and len([k for k in range(20) if f'name="c{k}-name"' in body])
    assert count >= 2
    data: dict[str, str] = {}
    for k in range(count):
        data[f"c{k}-owner_unit"] = str(org.root.pk)
        data[f"c{k}-accumulation"] = "level"
    data["c0-include"] = "on"
    data["c0-name"] = "地区生产总值增速"
    data["c0-measure"] = "%"
    data["c0-target"] = "6"
    data["c1-include"] = "on"
    data["c1-name"] = ""  # an included row must be valid: nothing is created
    response = client.post(url, data)
    assert response.status_code == 400 and not Indicator.objects.filter(plan=plan).exists()
    data["c1-name"] = "一般公共预算收入"
    data["c1-target"] = "12.5"
    data["c1-accumulation"] = "cumulative"
    response = client.post(url, data)
    assert response.status_code == 302
    made = {i.name: i for i in Indicator.objects.filter(plan=plan)}
    assert set(made) == {"地区生产总值增速", "一般公共预算收入"}
    assert made["一般公共预算收入"].target == Decimal("12.5")
    assert made["一般公共预算收入"].source_document == document and made["一般公共预算收入"].source_line == 5
