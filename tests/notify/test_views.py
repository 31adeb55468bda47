"""The message centre, the robots' settings (bad addresses refused in Chinese) and 催报 by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from taizhang.ledger import services
from taizhang.notify.context_processors import unread
from taizhang.notify.models import Channel, Kind, Message
from taizhang.notify.services import send
from taizhang.supervision import reminder_views
from tests.conftest import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 4, 3)  # March's window open until 5 April; nothing reported yet


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- message centre -------------------------------------------------------------------------------


def test_the_header_counts_unread_messages(people: SimpleNamespace, login: Callable[..., Any]) -> None:
    send([people.reporter], "第一条")
    send([people.reporter], "第二条")
    send([people.town_reporter], "别人的")
    page = login(people.reporter).get("/notify/messages/").content.decode()
    assert "第一条" in page and "第二条" in page and "别人的" not in page
    assert '<span class="visually-hidden">，未读</span>2</span>' in page
    empty = login(people.housing_reporter).get("/").content.decode()
    assert "，未读" not in empty and 'href="/notify/messages/"' in empty


def test_the_count_is_one_query(people: SimpleNamespace, django_assert_num_queries: Any) -> None:
    send([people.reporter], "一条")
    request = RequestFactory().get("/")
    request.user = people.reporter
    count = unread(request)["unread_count"]
    with django_assert_num_queries(1):
        assert count() == 1 and count() == 1


def test_mark_one_and_all_read(people: SimpleNamespace, login: Callable[..., Any]) -> None:
    first, second = send([people.reporter], "一", link="/plans/"), send([people.reporter], "二")
    other = send([people.town_reporter], "别人的")[0]
    client = login(people.reporter)
    response = client.post(f"/notify/messages/{first[0].pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert Message.objects.get(pk=first[0].pk).read_at is not None
    assert Message.objects.get(pk=second[0].pk).read_at is None
    assert client.post(f"/notify/messages/{other.pk}/read/").status_code == 404
    assert Message.objects.get(pk=other.pk).read_at is None
    assert client.get("/notify/messages/?unread=1").context["page"].paginator.count == 1
    response = client.post("/notify/messages/read-all/", follow=True)
    assert "已将 1 条消息标为已读。" in _messages(response)
    assert not Message.objects.filter(recipient=people.reporter, read_at__isnull=True).exists()
    assert Message.objects.get(pk=other.pk).read_at is None


def test_an_outside_link_is_not_followed(people: SimpleNamespace, login: Callable[..., Any]) -> None:
    message = send([people.reporter], "一", link="https://evil.example/")[0]
    response = login(people.reporter).post(f"/notify/messages/{message.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notify/messages/"


# --- robots ---------------------------------------------------------------------------------------

GOOD = {
    "kind": "dingtalk",
    "name": "交通局工作群",
    "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
}


@pytest.mark.parametrize(
    "url", ["ftp://oapi.example/robot", "javascript:alert(1)", "/robot", "https://", "http://a b"]
)
def test_a_bad_robot_address_is_refused_in_chinese(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[..., Any], url: str
) -> None:
    response = login(people.supervisor).post(
        "/notify/channels/new/", {**GOOD, "unit": org.transport.pk, "url": url, "enabled": "on"}
    )
    assert response.status_code == 200
    assert "机器人地址" in response.content.decode()
    errors = response.context["form"].errors["url"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in errors)
    assert not Channel.objects.exists()


# Long and non-ASCII: a short secret such as "S1" turns up by chance inside a page's random CSRF token.
SECRET = "机器人密钥-7f3q"


def test_supervisors_configure_units_in_their_scope(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[..., Any]
) -> None:
    bureau = login(people.bureau_supervisor)
    response = bureau.post("/notify/channels/new/", {**GOOD, "unit": org.housing.pk, "secret": SECRET})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = bureau.post(
        "/notify/channels/new/", {**GOOD, "unit": org.section.pk, "secret": SECRET, "enabled": "on"}
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.unit, channel.secret, channel.enabled) == (org.section, SECRET, True)
    # the secret is never shown; left blank on edit it is kept
    page = bureau.get(f"/notify/channels/{channel.pk}/").content.decode()
    assert SECRET not in page
    bureau.post(f"/notify/channels/{channel.pk}/", {**GOOD, "unit": org.section.pk, "name": "改名"})
    channel.refresh_from_db()
    assert (channel.name, channel.secret, channel.enabled) == ("改名", SECRET, False)
    assert login(people.housing_reporter).get("/notify/channels/").status_code == 403
    assert login(people.reporter).get(f"/notify/channels/{channel.pk}/").status_code == 404
    assert login(people.supervisor).get(f"/notify/channels/{channel.pk}/").status_code == 200  # the root's
    response = bureau.post(f"/notify/channels/{channel.pk}/test/", follow=True)
    assert "停用" in " ".join(_messages(response))
    assert not channel.deliveries.exists()


# --- 催报 -------------------------------------------------------------------------------------------


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reminder_views, "today", lambda: DAY)


def test_chase_one_task(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[..., Any], on_day: None
) -> None:
    url = f"/tasks/{ledger.transport.pk}/chase/"
    page = login(people.supervisor).get(f"/tasks/{ledger.transport.pk}/").content.decode()
    assert f'action="{url}"' in page
    for outsider in (people.reporter, people.bureau_supervisor, people.leader):
        assert f'action="{url}"' not in login(outsider).get(f"/tasks/{ledger.transport.pk}/").content.decode()
        assert login(outsider).post(url).status_code == 403
    assert not Message.objects.exists()
    response = login(people.supervisor).post(url, follow=True)
    assert "已向 1 个单位的 1 人发送催报（1 项任务）。" in _messages(response)
    message = Message.objects.get()
    assert (message.recipient, message.kind, message.sender) == (
        people.reporter,
        Kind.CHASE,
        people.supervisor,
    )
    assert "2026年3月进展待报" in message.body and message.link == f"/tasks/{ledger.transport.pk}/"
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Message), object_id=message.pk
    )
    assert entry.actor == people.supervisor


def test_chase_nothing_owed(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[..., Any], on_day: None
) -> None:
    for period in ("2026-01", "2026-02", "2026-03"):  # January and February are owed too
        services.submit_report(
            ledger.transport, people.reporter, period=period, text="进展", percent=5, now=at(DAY)
        )
    response = login(people.supervisor).post(f"/tasks/{ledger.transport.pk}/chase/", follow=True)
    assert "没有需要催报的任务" in " ".join(_messages(response))
    assert not Message.objects.exists()


def test_chase_everyone_or_one_unit(
    org: SimpleNamespace,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    login: Callable[..., Any],
    on_day: None,
) -> None:
    url = f"/plans/{ledger.plan.pk}/chase/"
    assert login(people.bureau_supervisor).post(url).status_code == 403
    assert login(people.reporter).post(url).status_code == 403
    client = login(people.supervisor)
    response = client.post(url, {"unit": org.housing.pk, "next": "/"}, follow=True)
    assert "已向 1 个单位的 1 人发送催报（1 项任务）。" in _messages(response)
    assert list(Message.objects.values_list("recipient", flat=True)) == [people.housing_reporter.pk]
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert Message.objects.filter(kind=Kind.CHASE).count() == 4
    assert {m.recipient for m in Message.objects.all()} == {
        people.reporter,
        people.housing_reporter,
        people.town_reporter,
    }
    response = client.post(url, {"unit": "x"}, follow=True)
    assert "单位参数不正确。" in _messages(response)


def test_the_home_offers_chase_to_the_plans_supervisor(
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    login: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from taizhang.front import views as front_views

    monkeypatch.setattr(front_views, "today", lambda: dt.date(2026, 4, 8))  # March closed, nothing in
    url = f'action="/plans/{ledger.plan.pk}/chase/"'
    page = login(people.supervisor).get(f"/?plan={ledger.plan.pk}").content.decode()
    assert page.count(url) == 4  # everyone, and each of the three units missing March
    assert url not in login(people.bureau_supervisor).get(f"/?plan={ledger.plan.pk}").content.decode()


def test_who_may_configure_robots_at_all(people: SimpleNamespace, make_user: Callable[..., Any]) -> None:
    from taizhang.accounts.models import Role
    from taizhang.notify import access

    assert access.may_configure_any(people.admin)
    assert access.may_configure_any(people.bureau_supervisor)
    assert not access.may_configure_any(people.reporter) and not access.may_configure_any(people.leader)
    unitless_admin = make_user("it_admin", Role.ADMIN, None)
    assert access.may_configure_any(unitless_admin)  # admins configure every unit, with or without one
    assert not access.may_configure_any(make_user("no_unit_sup", Role.SUPERVISOR, None))
    people.supervisor.is_active = False
    assert not access.may_configure_any(people.supervisor)
