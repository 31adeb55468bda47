"""The robots' formats and signatures, posted to a local server; retries with backoff; timeouts."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from taizhang.notify import delivery, webhooks
from taizhang.notify.models import Channel, ChannelKind, Delivery, DeliveryState
from taizhang.notify.services import send
from tests.conftest import at
from tests.notify.conftest import Robot

SECRET = "SEC0123456789abcdef"


def _post(robot: Robot, kind: str, secret: str = "") -> dict:
    item = webhooks.build(
        kind,
        robot.url,
        secret,
        "催报：请尽快报送",
        "· 1.1 推进县道改造",
        "https://t.example/tasks/1/",
        time.time(),
    )
    webhooks.post(item)
    assert len(robot.received) == 1
    return robot.received[0]


def test_wecom_markdown(robot: Robot) -> None:
    got = _post(robot, "wecom")
    assert got["type"] == "application/json; charset=utf-8"
    assert got["path"] == "/hook?key=abc"
    body = got["body"]
    assert set(body) == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert (
        "催报：请尽快报送" in content
        and "推进县道改造" in content
        and "https://t.example/tasks/1/" in content
    )


def test_dingtalk_markdown_and_signature(robot: Robot) -> None:
    before = int(time.time() * 1000)
    got = _post(robot, "dingtalk", SECRET)
    body = got["body"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "催报：请尽快报送"
    assert "推进县道改造" in body["markdown"]["text"]
    query = parse_qs(urlsplit(got["path"]).query)
    assert query["key"] == ["abc"]  # the robot's own parameter is kept
    timestamp = query["timestamp"][0]
    assert before <= int(timestamp) <= int(time.time() * 1000)
    # DingTalk's documented recipe, computed here independently of the code under test.
    expected = base64.b64encode(
        hmac.new(SECRET.encode("utf-8"), f"{timestamp}\n{SECRET}".encode(), digestmod=hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]  # parse_qs undoes the urlencoding of + / =


def test_dingtalk_without_secret_is_not_signed(robot: Robot) -> None:
    got = _post(robot, "dingtalk")
    assert "sign=" not in got["path"] and "timestamp=" not in got["path"]


def test_feishu_text_and_signature(robot: Robot) -> None:
    before = int(time.time())
    got = _post(robot, "feishu", SECRET)
    body = got["body"]
    assert body["msg_type"] == "text"
    assert "推进县道改造" in body["content"]["text"]
    assert before <= int(body["timestamp"]) <= int(time.time())
    # Feishu's documented recipe: the key is timestamp + "\n" + secret, the message empty.
    string_to_sign = f"{body['timestamp']}\n{SECRET}"
    expected = base64.b64encode(hmac.new(string_to_sign.encode(), digestmod=hashlib.sha256).digest()).decode()
    assert body["sign"] == expected


def test_feishu_without_secret_has_no_sign(robot: Robot) -> None:
    body = _post(robot, "feishu")["body"]
    assert "sign" not in body and "timestamp" not in body


def test_a_refusal_in_the_body_is_a_failure(robot: Robot) -> None:
    robot.answer = {"errcode": 310000, "errmsg": "sign not match"}
    with pytest.raises(webhooks.WebhookError, match="310000"):
        webhooks.post(webhooks.build("dingtalk", robot.url, SECRET, "t", "b", "", time.time()))
    robot.answer = {"code": 19021, "msg": "sign match fail"}
    with pytest.raises(webhooks.WebhookError, match="19021"):
        webhooks.post(webhooks.build("feishu", robot.url, SECRET, "t", "b", "", time.time()))


def test_timeout(robot: Robot) -> None:
    robot.delay = 1.5
    started = time.monotonic()
    with pytest.raises(webhooks.WebhookError, match="超时"):
        webhooks.post(webhooks.build("wecom", robot.url, "", "t", "b", "", time.time()), timeout=0.3)
    assert time.monotonic() - started < 1.4


def test_unreachable() -> None:
    with pytest.raises(webhooks.WebhookError, match="无法连接"):
        webhooks.post(
            webhooks.build("wecom", "http://127.0.0.1:9/none", "", "t", "b", "", time.time()), timeout=1
        )


# --- queued and sent by the supervise step --------------------------------------------------------


@pytest.fixture
def channel(org: SimpleNamespace, robot: Robot) -> Channel:
    return Channel.objects.create(unit=org.transport, kind=ChannelKind.DINGTALK, url=robot.url, secret=SECRET)


def test_send_queues_and_the_step_posts(
    people: SimpleNamespace, channel: Channel, robot: Robot, settings: object
) -> None:
    now = at("2026-04-03")
    messages = send([people.reporter, people.section_reporter], "提醒", "正文", "/tasks/1/", now=now)
    assert len(messages) == 2
    assert robot.received == []  # sending only queues
    # one post for the unit that has a robot (公路建设股 has none of its own)
    queued = Delivery.objects.get()
    assert (queued.kind, queued.channel_id, queued.state) == ("dingtalk", channel.pk, DeliveryState.PENDING)
    outcome = delivery.deliver_due(now)
    assert (outcome.sent, outcome.retrying, outcome.failed) == (1, 0, 0)
    assert len(robot.received) == 1
    queued.refresh_from_db()
    assert queued.state == DeliveryState.SENT and queued.attempts == 1 and queued.sent_at == now
    assert delivery.deliver_due(now + dt.timedelta(hours=1)).sent == 0  # never again


def test_retry_with_backoff_then_failed(people: SimpleNamespace, channel: Channel, robot: Robot) -> None:
    robot.statuses = [500] * 10
    now = at("2026-04-03")
    send([people.reporter], "提醒", "正文", now=now)
    row = Delivery.objects.get()
    waits = [dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30)]
    for attempt, wait in enumerate(waits, start=1):
        assert delivery.deliver_due(now).retrying == 1
        row.refresh_from_db()
        assert row.state == DeliveryState.PENDING and row.attempts == attempt
        assert row.next_attempt_at == now + wait
        assert row.last_error == "对方返回 HTTP 500"
        # not due a second before its time
        assert delivery.deliver_due(now + wait - dt.timedelta(seconds=1)).retrying == 0
        now += wait
    assert delivery.deliver_due(now).failed == 1
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED and row.attempts == 4
    assert len(robot.received) == 4
    assert delivery.deliver_due(now + dt.timedelta(days=1)).failed == 0


def test_a_retry_succeeds(people: SimpleNamespace, channel: Channel, robot: Robot) -> None:
    robot.statuses = [502]
    now = at("2026-04-03")
    send([people.reporter], "提醒", now=now)
    assert delivery.deliver_due(now).retrying == 1
    assert delivery.deliver_due(now + dt.timedelta(minutes=1)).sent == 1
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_a_disabled_channel_is_not_posted(people: SimpleNamespace, channel: Channel, robot: Robot) -> None:
    now = at("2026-04-03")
    send([people.reporter], "提醒", now=now)
    Channel.objects.filter(pk=channel.pk).update(enabled=False)
    delivery.deliver_due(now)
    assert robot.received == []
    assert "停用" in Delivery.objects.get().last_error
    # and a disabled channel gets nothing queued
    send([people.reporter], "提醒", now=now)
    assert Delivery.objects.count() == 1


def test_a_stale_claim_is_taken_over(people: SimpleNamespace, channel: Channel, robot: Robot) -> None:
    now = at("2026-04-03")
    send([people.reporter], "提醒", now=now)
    pk = Delivery.objects.get().pk
    assert delivery.claim(pk, "dead-process", now)
    assert not delivery.claim(pk, "other", now + dt.timedelta(minutes=1))  # a live claim holds
    assert delivery.deliver_due(now + dt.timedelta(minutes=1)).sent == 0
    assert delivery.deliver_due(now + delivery.LEASE + dt.timedelta(seconds=1)).sent == 1
    assert len(robot.received) == 1


def test_email_only_when_configured(people: SimpleNamespace, settings: object) -> None:
    people.reporter.email = "sun@example.org"
    people.reporter.save()
    now = at("2026-04-03")
    settings.TAIZHANG_EMAIL_ENABLED = False  # type: ignore[attr-defined]
    send([people.reporter], "提醒", "正文", "/tasks/1/", now=now)
    assert not Delivery.objects.exists()
    settings.TAIZHANG_EMAIL_ENABLED = True  # type: ignore[attr-defined]
    settings.TAIZHANG_SITE_URL = "https://tz.example"  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    send([people.reporter, people.town_reporter], "提醒", "正文", "/tasks/1/", now=now)  # town has no address
    row = Delivery.objects.get()
    assert (row.kind, row.target) == ("email", "sun@example.org")
    assert delivery.deliver_due(now).sent == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sun@example.org"] and "https://tz.example/tasks/1/" in mail.outbox[0].body
