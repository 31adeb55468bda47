"""Units (the organisation tree) and users (each with one role and one unit)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser
from django.db import models

_ALIAS_SPLIT = re.compile(r"[\n,，、;；]+")


if TYPE_CHECKING:
    from django.http import HttpRequest


class Unit(models.Model):
    """A node of the tree 市 → 县/区 → 局/镇 → 科室."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    aliases = models.TextField(
        "别名", blank=True, help_text="每行一个，或用逗号、顿号分隔；用于从计划文本中识别牵头单位"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("单位代码", max_length=32, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unit_code_unique_when_set"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """How the unit is shown everywhere: ``unit_label`` (reads ``parent``: select it for lists)."""
        return unit_label(self, self.parent)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in _ALIAS_SPLIT.split(self.aliases) if a.strip()]

    def all_names(self) -> list[str]:
        """Name, short name and aliases, longest first, without duplicates (for matching in text)."""
        names = {n for n in [self.name, self.short_name, *self.alias_list()] if n}
        return sorted(names, key=lambda n: (-len(n), n))


def unit_label(unit: Unit, parent: Unit | None) -> str:
    """The one rule for showing a unit (screens, choices, messages, the Excel export): its name, and
    for a section below a bureau its bureau's short name first ("交通局·办公室"), so that two bureaus'
    办公室 never look alike. Bureaus and towns have unique names under their county as they are."""
    if parent is not None and parent.parent_id is not None:
        return f"{parent.short_name or parent.name}·{unit.name}"
    return unit.name


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", "督查"
    REPORTER = "reporter", "填报员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"


class User(AbstractUser):
    """A person. ``role`` decides what they may do, ``unit`` the subtree where they may do it."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.REPORTER)
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField("电话", max_length=32, blank=True)
    # 适老化: the person's pages in a larger base size, wherever they log in (not per browser).
    large_text = models.BooleanField("大字版", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        indexes = [models.Index(fields=["unit", "role"], name="user_unit_role")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_reporter(self) -> bool:
        return self.role == Role.REPORTER

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


auditlog.register(Unit)
auditlog.register(User, exclude_fields=["password", "last_login"])


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a request, typed (for views behind ``login_required``)."""
    user = request.user
    assert isinstance(user, User)
    return user
