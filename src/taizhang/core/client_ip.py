"""The address a request came from, for login throttling (django-axes) and the audit log.

Directly on the network, that is REMOTE_ADDR: X-Forwarded-For is set by whoever sends the request and
is never believed. Behind TAIZHANG_TRUSTED_PROXIES reverse proxies, each proxy appends the address
it received the request from to X-Forwarded-For, so the client is the entry that many places from
the right of [X-Forwarded-For…, REMOTE_ADDR]; anything further left may be forged and is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "TAIZHANG_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in forwarded if part] + ([remote] if remote else [])
    if len(chain) <= proxies:  # not through all the proxies: take the nearest address we know
        return remote
    candidate = chain[-(proxies + 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy that writes something else than an address: do not guess
        return remote
