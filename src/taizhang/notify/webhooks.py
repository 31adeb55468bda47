"""Group-robot webhooks of 企业微信, 钉钉 and 飞书: payloads, signatures, one POST.

Formats (each platform's custom-robot documentation):

- 企业微信: ``{"msgtype": "markdown", "markdown": {"content": …}}``; no signature.
- 钉钉: ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``; signed robots take
  ``&timestamp=<ms>&sign=<urlencoded base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))>``
  on the URL.
- 飞书: ``{"msg_type": "text", "content": {"text": …}}``; signed robots take ``timestamp`` (seconds)
  and ``sign`` = base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg=b"")) in the body.

Each platform answers 200 with an error code in the body when it refuses (bad signature, rate
limit): a non-zero ``errcode`` / ``code`` is a failure like a 5xx.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

TIMEOUT_SECONDS = 5.0
MAX_TEXT = 3500  # the platforms cap a message at 4,096 bytes (企业微信) or so


class WebhookError(Exception):
    """The post failed: its Chinese reason (kept in ``Delivery.last_error``)."""


@dataclass(frozen=True)
class Post:
    url: str
    body: dict[str, Any]


def text_of(title: str, body: str, link: str) -> str:
    text = f"{title}\n{body}".strip()
    if link:
        text += f"\n{link}"
    return text[:MAX_TEXT]


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def build(kind: str, url: str, secret: str, title: str, body: str, link: str, now_s: float) -> Post:
    """The URL and JSON body to post for one message (``now_s``: Unix time, for signatures)."""
    if kind == "wecom":
        content = f"**{title}**\n{body}".strip()
        if link:
            content += f"\n[查看详情]({link})"
        return Post(url, {"msgtype": "markdown", "markdown": {"content": content[:MAX_TEXT]}})
    if kind == "dingtalk":
        text = f"### {title}\n\n{body}".strip()
        if link:
            text += f"\n\n[查看详情]({link})"
        if secret:
            ts = int(now_s * 1000)
            sign = quote_plus(dingtalk_sign(secret, ts))
            url = f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"
        return Post(url, {"msgtype": "markdown", "markdown": {"title": title, "text": text[:MAX_TEXT]}})
    if kind == "feishu":
        payload: dict[str, Any] = {"msg_type": "text", "content": {"text": text_of(title, body, link)}}
        if secret:
            ts = int(now_s)
            payload = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **payload}
        return Post(url, payload)
    raise ValueError(f"unknown webhook kind {kind!r}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot URL answers itself; following a redirect could post the message anywhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(item: Post, timeout: float = TIMEOUT_SECONDS) -> None:
    """POST the JSON; raise ``WebhookError`` unless the platform accepted it."""
    data = json.dumps(item.body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        item.url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw = response.read(65536)
            status = response.status
    except urllib.error.HTTPError as err:
        raise WebhookError(f"对方返回 HTTP {err.code}") from None
    except TimeoutError:
        raise WebhookError(f"连接超时（{timeout:g} 秒）") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, TimeoutError):
            raise WebhookError(f"连接超时（{timeout:g} 秒）") from None
        raise WebhookError(f"无法连接：{reason}") from None
    if not 200 <= status < 300:
        raise WebhookError(f"对方返回 HTTP {status}")
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return  # a 2xx without JSON: accepted
    if isinstance(answer, dict):
        code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
        if code not in (0, "0", None):
            message = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or ""
            raise WebhookError(f"对方拒绝：{code} {message}".strip())
