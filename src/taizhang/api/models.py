"""Per-user API tokens for bots: only the SHA-256 of the secret is stored; the secret is shown once."""

from __future__ import annotations

import hashlib
import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

TOKEN_PREFIX = "tz_"
# 32 random bytes → 43 URL-safe characters; with the prefix, 46.
TOKEN_BYTES = 32
# The first characters of a token, kept in clear so an admin can tell tokens apart.
HINT_LENGTH = len(TOKEN_PREFIX) + 6


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100, help_text="用途，如“政务微信机器人”")
    hint = models.CharField("令牌开头", max_length=16, editable=False)
    token_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True, editable=False)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.hint}…）"

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        """Create a token for ``user``; return it with the secret (the only time it exists in clear)."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        token = cls.objects.create(
            user=user, name=name, hint=secret[:HINT_LENGTH], token_hash=hash_token(secret)
        )
        return token, secret

    def set_secret(self) -> str:
        """Fill in a fresh secret on an unsaved token (the admin's add form); return the secret."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        self.hint = secret[:HINT_LENGTH]
        self.token_hash = hash_token(secret)
        return secret


# Issuing and revoking are audited; the hash and the last-use time are not worth a log line.
auditlog.register(ApiToken, exclude_fields=["token_hash", "last_used"])
