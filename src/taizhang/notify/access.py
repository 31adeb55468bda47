"""Who may configure a unit's robots: admins (every unit), supervisors (the units in their scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from taizhang.accounts.models import Unit, User
from taizhang.accounts.units import scope_unit_ids
from taizhang.notify.models import Channel

NOT_FOUND_CHANNEL = "推送渠道不存在或不在您的管辖范围内"


def may_configure_any(user: User) -> bool:
    return user.is_active and (user.is_admin_role or (user.is_supervisor and user.unit_id is not None))


def configurable_units(user: User) -> QuerySet[Unit]:
    if not user.is_active:
        return Unit.objects.none()
    if user.is_admin_role:
        return Unit.objects.all()
    if user.is_supervisor:
        return Unit.objects.filter(pk__in=scope_unit_ids(user))
    return Unit.objects.none()


def channels_for(user: User) -> QuerySet[Channel]:
    return Channel.objects.filter(unit__in=configurable_units(user))


def get_channel_for_user(user: User, pk: Any) -> Channel:
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND_CHANNEL) from None
    channel = channels_for(user).select_related("unit").filter(pk=value).first()
    if channel is None:
        raise Http404(NOT_FOUND_CHANNEL)
    return channel
