"""The message centre (each user's own messages) and the robots' settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import User, request_user
from taizhang.core.redirects import next_url
from taizhang.notify import access, services
from taizhang.notify.forms import ChannelForm
from taizhang.notify.models import Delivery, Message

PER_PAGE = 30
NO_CONFIG = "只有管理员和督查人员可以设置推送渠道"


def _safe_link(request: HttpRequest, link: str) -> str | None:
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return None


@login_required
@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    rows = Message.objects.filter(recipient=user).select_related("sender")
    if request.GET.get("unread") == "1":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/messages.html",
        {
            "page": page,
            "only_unread": request.GET.get("unread") == "1",
            "may_configure": access.may_configure_any(user),
        },
    )


@login_required
@require_POST
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's messages read; with ``open``, go on to its link."""
    user = request_user(request)
    message = Message.objects.filter(recipient=user, pk=pk).first()
    if message is None:  # someone else's message is simply not found
        raise Http404("消息不存在")
    services.mark_read(user, message.pk)
    if request.POST.get("open") and (target := _safe_link(request, message.link)):
        return HttpResponseRedirect(target)
    return redirect(_back(request))


@login_required
@require_POST
def message_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(request_user(request))
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    from django.urls import reverse

    return next_url(request, reverse("notify:messages"))


# --- robots ---------------------------------------------------------------------------------------


def _configurer(request: HttpRequest) -> User:
    user = request_user(request)
    if not access.may_configure_any(user):
        raise PermissionDenied(NO_CONFIG)
    return user


@login_required
@require_GET
def channel_list(request: HttpRequest) -> HttpResponse:
    user = _configurer(request)
    channels = list(access.channels_for(user).select_related("unit", "unit__parent"))
    recent = (
        Delivery.objects.filter(channel__in=channels)
        .select_related("channel")
        .order_by("-created_at", "-id")[:30]
    )
    return render(
        request,
        "notify/channels.html",
        {"channels": channels, "recent": list(recent), "email_enabled": services.email_enabled()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_new(request: HttpRequest) -> HttpResponse:
    user = _configurer(request)
    units = access.configurable_units(user).filter(is_active=True)
    form = ChannelForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "推送渠道已添加。")
        return redirect("notify:channels")
    return render(request, "notify/channel_form.html", {"form": form, "channel": None})


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    channel = access.get_channel_for_user(user, pk)
    units = access.configurable_units(user)
    form = ChannelForm(request.POST or None, instance=channel, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "推送渠道已保存。")
        return redirect("notify:channels")
    deliveries = channel.deliveries.order_by("-created_at", "-id")[:20]
    return render(
        request,
        "notify/channel_form.html",
        {"form": form, "channel": channel, "deliveries": list(deliveries)},
    )


@login_required
@require_POST
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    channel = access.get_channel_for_user(request_user(request), pk)
    with transaction.atomic():
        channel.delete()
    messages.success(request, "推送渠道已删除。")
    return redirect("notify:channels")


@login_required
@require_POST
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    channel = access.get_channel_for_user(user, pk)
    if not channel.enabled:
        messages.error(request, "该渠道已停用，请先启用再发送测试消息。")
    else:
        services.send_test(channel, user)
        messages.success(request, "测试消息已排队，将在数分钟内由后台任务发出；发送结果见下方记录。")
    return redirect("notify:channel_edit", pk=channel.pk)
