"""Two supervise workers at once: every delivery is posted exactly once, every reminder created once."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from taizhang.notify import delivery
from taizhang.notify.models import Channel, ChannelKind, Delivery, DeliveryState
from taizhang.notify.services import send
from tests.conftest import at
from tests.notify.conftest import Robot, together

N = 40


@pytest.mark.django_db(transaction=True)
def test_two_workers_post_each_delivery_once(people: SimpleNamespace, robot: Robot) -> None:
    robot.delay = 0.01  # let the workers interleave
    Channel.objects.create(unit=people.reporter.unit, kind=ChannelKind.WECOM, url=robot.url)
    now = at("2026-04-03")
    for i in range(N):
        send([people.reporter], f"提醒{i}", now=now)
    outcomes = together(lambda: delivery.deliver_due(now))
    titles = Counter(r["body"]["markdown"]["content"].split("\n")[0] for r in robot.received)
    assert len(robot.received) == N, titles
    assert set(titles.values()) == {1}
    assert sum(o.sent for o in outcomes) == N
    assert Delivery.objects.filter(state=DeliveryState.SENT, attempts=1).count() == N
