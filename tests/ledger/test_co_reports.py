"""配合情况: a co-operating unit's own note per period, apart from the lead unit's report.

County task ``transport``: lead 交通局 (``reporter``), 住建局 co-operates (``housing_reporter``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import CoReport, Milestone, ProgressReport, Task
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
NOW = at("2026-04-02")


@pytest.fixture(autouse=True)
def _april(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def url(task: Task, period: str = "2026-03") -> str:
    return reverse("ledger:co_report_submit", args=[task.pk, period])


def test_co_unit_writes_its_note_and_the_lead_units_report_stays(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    lead = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="牵头进展", percent=30
    )
    milestone = Milestone.objects.create(
        task=ledger.transport, due_on=dt.date(2026, 3, 31), description="节点"
    )
    note = services.submit_co_report(
        ledger.transport, people.housing_reporter, period="2026-03", text="完成征迁配合"
    )
    assert (note.unit, note.period, note.text, note.submitted_by) == (
        org.housing,
        "2026-03",
        "完成征迁配合",
        people.housing_reporter,
    )
    fresh = ProgressReport.objects.get(pk=lead.pk)
    assert (fresh.text, fresh.percent, fresh.version, fresh.submitted_by) == (
        "牵头进展",
        30,
        1,
        people.reporter,
    )
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.progress == 0 and task.version == ledger.transport.version
    assert not Milestone.objects.get(pk=milestone.pk).done
    # corrected in place with its version; without it (a second tab) it is refused
    fixed = services.submit_co_report(
        ledger.transport,
        people.housing_reporter,
        period="2026-03",
        text="补充：完成管线迁改",
        expected_version=1,
    )
    assert fixed.pk == note.pk and fixed.version == 2 and CoReport.objects.count() == 1
    with pytest.raises(StaleVersion):
        services.submit_co_report(ledger.transport, people.housing_reporter, period="2026-03", text="另一页")
    with pytest.raises(StaleVersion):
        services.submit_co_report(
            ledger.transport, people.housing_reporter, period="2026-03", text="旧页面", expected_version=1
        )
    assert CoReport.objects.get().text == "补充：完成管线迁改"


@pytest.mark.parametrize(
    "who", ["reporter", "supervisor", "bureau_supervisor", "town_reporter", "leader", "admin"]
)
def test_only_a_co_units_reporter_writes_it(
    people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    with pytest.raises(PermissionDenied, match="配合单位"):
        services.submit_co_report(ledger.transport, getattr(people, who), period="2026-03", text="x")
    assert CoReport.objects.count() == 0


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"text": ""}, "请填写"),
        ({"text": "x" * 5001}, "5000"),
        ({"text": "进展", "period": "2026-W11"}, "无需报送"),
        ({"text": "进展", "period": "2027-01"}, "无需报送"),
        ({"text": "进展", "period": "2026-05"}, "尚未开始"),
    ],
)
def test_bad_notes_are_refused(
    people: SimpleNamespace, ledger: SimpleNamespace, kw: dict[str, Any], message: str
) -> None:
    kw = {"period": "2026-03", **kw}
    with pytest.raises(DomainError, match=message):
        services.submit_co_report(ledger.transport, people.housing_reporter, **kw)
    assert CoReport.objects.count() == 0


def test_a_bureau_reporter_writes_for_its_co_operating_section(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    ledger.housing.co_units.set([org.section])
    note = services.submit_co_report(ledger.housing, people.reporter, period="2026-03", text="公路股配合")
    assert note.unit == org.section


def test_a_reporter_whose_own_unit_co_operates_writes_for_it_before_a_unit_below(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    org.transport.sort_order, org.section.sort_order = 2, 1  # the section listed first
    org.transport.save()
    org.section.save()
    ledger.housing.co_units.set([org.section, org.transport])
    note = services.submit_co_report(ledger.housing, people.reporter, period="2026-03", text="交通局配合")
    assert note.unit == org.transport


def test_the_form_and_the_task_page(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    client = login(people.housing_reporter)
    page = client.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    assert url(ledger.transport) in page and "填写配合情况" in page
    assert reverse("ledger:report_submit", args=[ledger.transport.pk, "2026-03"]) not in page
    form = client.get(url(ledger.transport))
    assert form.status_code == 200 and "住房和城乡建设局" in form.content.decode()
    empty = client.post(url(ledger.transport), {"text": ""})
    assert empty.status_code == 200 and CoReport.objects.count() == 0
    done = client.post(url(ledger.transport), {"text": "完成征迁配合"})
    assert done.status_code == 302 and done["Location"].endswith("#co-reports")
    again = client.get(url(ledger.transport)).content.decode()
    assert "完成征迁配合" in again and 'name="version" value="1"' in again
    # shown to the lead unit and to the supervisor, on the page and the timeline
    for who in ("reporter", "supervisor"):
        body = login(getattr(people, who)).get(reverse("ledger:task_detail", args=[ledger.transport.pk]))
        text = body.content.decode()
        assert "完成征迁配合" in text and "3月配合情况（县住房和城乡建设局）" in text, who
        assert url(ledger.transport) not in text
    # the lead unit's reporter gets 403 on the form; another unit 404; a bad period 404
    assert login(people.reporter).get(url(ledger.transport)).status_code == 403
    assert login(people.town_reporter).get(url(ledger.transport)).status_code == 404
    assert client.get(url(ledger.transport, "2026-W10")).status_code == 404
    assert client.get(url(ledger.transport, "garbage")).status_code == 404
