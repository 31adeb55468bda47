"""Shared fixtures for the web app's tests.

The organisation used everywhere (``org``)::

    测试县人民政府 (root)
    ├── 县政府办公室
    ├── 县交通运输局 ── 公路建设股
    ├── 县住房和城乡建设局
    └── 青石镇

People (``people``), one attribute each: ``admin``, ``supervisor`` and ``leader`` of the root (they
see everything), ``bureau_supervisor`` / ``bureau_leader`` / ``reporter`` of 交通运输局,
``section_reporter`` of 公路建设股, ``housing_reporter`` of 住建局, ``town_reporter`` of 青石镇.
All have the password ``PASSWORD``. Log in with ``login(user)`` (``force_login``: axes requires a
request for password logins, so tests use a real POST only when testing the login itself).

Ledger (``ledger``): ``plan`` (2026, monthly, owned by the root) and tasks ``transport`` (lead
交通运输局, co 住建局), ``housing`` (lead 住建局), ``town`` (lead 青石镇, co 交通运输局). The root's
supervisor manages and reviews them; 交通运输局's supervisor does not (it does not own the plan):
``bureau_plan`` is a plan the bureau owns. ``colleague`` is a second root supervisor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.utils import timezone

PASSWORD = "Test-pass-2026"


def page_text(response: Any) -> str:
    """A page's HTML without what differs between two answers by design: the CSRF tokens of the
    header's forms, and the address the 大字版 form returns to (the asker's own URL). Two answers
    that must not be told apart (a forbidden object and a missing one) compare equal on this."""
    text = re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())
    return re.sub(r'name="next" value="[^"]*"', "", text)


def at(day: dt.date | str, hour: int = 10) -> dt.datetime:
    """An aware datetime in Asia/Shanghai: ``at("2026-03-31")``."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2 (same algorithm name and format), with test-sized cost parameters."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder; static files need no collectstatic manifest;
    password hashing is argon2 with cheap parameters."""
    settings.PASSWORD_HASHERS = ["tests.conftest.FastArgon2PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def org(db: None) -> SimpleNamespace:
    from taizhang.accounts.models import Unit

    root = Unit.objects.create(name="测试县人民政府", short_name="县政府", code="T")
    office = Unit.objects.create(name="县政府办公室", parent=root, code="T-BGS", aliases="督查室")
    transport = Unit.objects.create(
        name="县交通运输局", short_name="交通局", parent=root, code="T-JTJ", aliases="县交通局"
    )
    section = Unit.objects.create(name="公路建设股", parent=transport, code="T-JTJ-GL")
    housing = Unit.objects.create(
        name="县住房和城乡建设局", short_name="住建局", parent=root, code="T-ZJJ", aliases="县住建局"
    )
    town = Unit.objects.create(name="青石镇", parent=root, code="T-QSZ")
    return SimpleNamespace(
        root=root, office=office, transport=transport, section=section, housing=housing, town=town
    )


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    from taizhang.accounts.models import User

    def make(username: str, role: str, unit: Any, **extra: Any) -> Any:
        return User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit, **extra)

    return make


@pytest.fixture
def people(org: SimpleNamespace, make_user: Callable[..., Any]) -> SimpleNamespace:
    from taizhang.accounts.models import Role

    return SimpleNamespace(
        admin=make_user("admin", Role.ADMIN, org.root, is_staff=True, is_superuser=True),
        supervisor=make_user("duchashi", Role.SUPERVISOR, org.root, full_name="周督查"),
        leader=make_user("xianzhang", Role.LEADER, org.root, full_name="李县长"),
        bureau_supervisor=make_user("jt_duchashi", Role.SUPERVISOR, org.transport),
        bureau_leader=make_user("jt_juzhang", Role.LEADER, org.transport),
        reporter=make_user("jiaotong", Role.REPORTER, org.transport, full_name="孙填报"),
        section_reporter=make_user("gonglu", Role.REPORTER, org.section),
        housing_reporter=make_user("zhujian", Role.REPORTER, org.housing),
        town_reporter=make_user("qingshi", Role.REPORTER, org.town),
    )


@pytest.fixture
def ledger(org: SimpleNamespace, people: SimpleNamespace) -> SimpleNamespace:
    from taizhang.ledger.models import Plan, Task

    plan = Plan.objects.create(
        year=2026, owner_unit=org.root, title="测试县2026年重点工作计划", created_by=people.supervisor
    )
    transport = Task.objects.create(
        plan=plan,
        seq=1,
        code="1.1",
        category_path=["一、重点工作安排", "（一）交通建设"],
        title="推进县道改造",
        content="完成县道改造48公里，由县交通运输局牵头，县住建局配合。",
        lead_unit=org.transport,
        deadline=dt.date(2026, 12, 31),
    )
    transport.co_units.set([org.housing])
    housing = Task.objects.create(
        plan=plan,
        seq=2,
        code="1.2",
        title="实施老旧小区改造",
        lead_unit=org.housing,
        deadline=dt.date(2026, 11, 30),
    )
    town = Task.objects.create(
        plan=plan,
        seq=3,
        code="1.3",
        title="打造美丽乡村示范点",
        lead_unit=org.town,
        deadline=dt.date(2026, 10, 31),
    )
    town.co_units.set([org.transport])
    return SimpleNamespace(plan=plan, transport=transport, housing=housing, town=town)


@pytest.fixture
def colleague(people: SimpleNamespace, make_user: Callable[..., Any]) -> Any:
    """A second supervisor of the root unit: two people who may both edit and review county tasks."""
    from taizhang.accounts.models import Role

    return make_user("duchashi2", Role.SUPERVISOR, people.supervisor.unit, full_name="吴督查")


@pytest.fixture
def bureau_plan(org: SimpleNamespace, people: SimpleNamespace) -> SimpleNamespace:
    """交通运输局's own plan (its supervisor manages it): ``task`` led by 公路建设股, 青石镇 co-operating
    (a unit outside the bureau's subtree)."""
    from taizhang.ledger.models import Plan, Task

    plan = Plan.objects.create(year=2026, owner_unit=org.transport, title="交通运输局2026年工作要点")
    task = Task.objects.create(
        plan=plan,
        seq=1,
        code="1",
        title="农村公路养护",
        lead_unit=org.section,
        deadline=dt.date(2026, 12, 31),
    )
    task.co_units.set([org.town])
    return SimpleNamespace(plan=plan, task=task)


@pytest.fixture
def login(db: None) -> Callable[[Any], Client]:
    """``login(user)`` → a test Client logged in as ``user``."""

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
