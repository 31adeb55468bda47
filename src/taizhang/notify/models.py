"""The message centre and its channels, free of any ledger rule.

``Message`` is what a person reads in the app; ``Delivery`` is one thing to send outside it (an
e-mail to one person, a post to one unit's group robot), queued by ``notify.send`` and sent by the
supervise job (``notify.delivery``), never inside a web request. ``Channel`` is a unit's group
robot (企业微信 / 钉钉 / 飞书). ``Once`` makes an automatic reminder happen at most once: its key
(e.g. ``due_soon:12:2026-03``) is inserted in the same transaction as the messages.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from taizhang.accounts.models import Unit
from taizhang.notify.validators import validate_webhook_url


class Kind(models.TextChoices):
    """What a message is about (how the list labels it)."""

    REMINDER = "reminder", "报送提醒"
    MISSING = "missing", "未报提醒"
    CHASE = "chase", "催报"
    WARNING = "warning", "预警"
    NOTICE = "notice", "通知"
    INFO = "info", "消息"


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="messages"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.INFO)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count and the list, newest first.
            models.Index(fields=["recipient", "read_at"], name="message_unread"),
            models.Index(fields=["recipient", "-created_at"], name="message_list"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ChannelKind(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"
    FEISHU = "feishu", "飞书群机器人"


WEBHOOK_KINDS = [ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU]


class Channel(models.Model):
    """A unit's group robot: reminders to the unit's people are also posted there."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(
        "类型", max_length=16, choices=[(k.value, k.label) for k in WEBHOOK_KINDS], default=ChannelKind.WECOM
    )
    name = models.CharField("名称", max_length=50, blank=True, help_text="如“交通局工作群”，便于区分")
    url = models.CharField(
        "机器人地址",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="群机器人设置中复制的推送地址，以 http:// 或 https:// 开头",
    )
    secret = models.CharField(
        "加签密钥",
        max_length=200,
        blank=True,
        help_text="钉钉、飞书机器人开启“加签”时填写；企业微信无需填写",
    )
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "推送渠道"
        verbose_name_plural = "推送渠道"
        ordering = ["unit", "id"]

    def __str__(self) -> str:
        return self.name or f"{self.unit} {self.get_kind_display()}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One e-mail (to one message's recipient) or one group-robot post (a broadcast to a unit)."""

    message = models.ForeignKey(
        Message,
        verbose_name="消息",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name="渠道",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    kind = models.CharField("方式", max_length=16, choices=ChannelKind.choices)
    target = models.CharField("发送对象", max_length=500)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    state = models.CharField(
        "状态", max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    claimed_by = models.CharField("处理进程", max_length=64, blank=True)
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.target}"

    @property
    def badge(self) -> str:
        """The badge style of its state in lists."""
        return {DeliveryState.SENT: "done", DeliveryState.FAILED: "missing"}.get(
            DeliveryState(self.state), "open"
        )

    @property
    def is_pending(self) -> bool:
        return self.state == DeliveryState.PENDING


class Once(models.Model):
    """A key that may be used once: the claim of an automatic reminder (two processes, one wins)."""

    key = models.CharField("键", max_length=120, unique=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"

    def __str__(self) -> str:
        return self.key


# Reading a message is not audited (it is the reader's own state); the rest is.
auditlog.register(Message, exclude_fields=["read_at"])
auditlog.register(Channel, exclude_fields=["secret"])
auditlog.register(Delivery, include_fields=["message", "channel", "kind", "target", "title", "state"])
