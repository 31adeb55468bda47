"""The admin speaks Chinese throughout: app and model names, column titles, field labels, permission
names — the third-party apps (django-auditlog, django-axes) included."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Words that may stay Latin: identifiers, codes and names the tests themselves put in the data.
ALLOWED = re.compile(
    r"^(?:[A-Z]\d+|[a-z_]+|[A-Z]{1,4}|HTTP.*|IP.*|API|Bearer|ID|sha256|argon2.*|Ctrl|Control|Command|Mac|Excel|Word)$"
)


def visible_words(page: str) -> set[str]:
    page = re.sub(r"<script.*?</script>|<style.*?</style>|<select.*?</select>", " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', page))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)
    return set(re.findall(r"[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*)*", text))


def english(page: str, data: set[str]) -> set[str]:
    words = set()
    for phrase in visible_words(page):
        if phrase in data or all(ALLOWED.match(word) or word in data for word in phrase.split()):
            continue
        words.add(phrase)
    return words


def admin_urls() -> list[str]:
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model not in (LogEntry, AccessAttempt, AccessFailureLog, AccessLog):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


def test_every_admin_page_is_chinese(
    client: Client, login: Callable[[Any], Client], people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    # Fill the audit log and axes' tables: one failed and one successful password login.
    client.post(reverse("accounts:login"), {"username": "jiaotong", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "jiaotong", "password": PASSWORD})
    from django.contrib.auth.models import Group

    Group.objects.create(name="督查组")
    usernames = {u.username for u in people.__dict__.values()} | {"jiaotong", "T"}
    # The user page shows the start of the password's salt and hash.
    from django.contrib.auth.hashers import identify_hasher

    from taizhang.accounts.models import User

    hashes = User.objects.values_list("password", flat=True)
    salted = " ".join(f"{h} {identify_hasher(h).decode(h)['salt']}" for h in hashes)
    browser = login(people.admin)
    found: dict[str, set[str]] = {}
    for url in admin_urls():
        response = browser.get(url)
        assert response.status_code == 200, url
        words = {w for w in english(response.content.decode(), usernames) if w not in salted}
        if words:
            found[url] = words
    assert found == {}, sorted(found.items())


def test_audit_log_list_names_changed_fields_in_chinese(
    login: Callable[[Any], Client], people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    body = login(people.admin).get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    cells = re.findall(r'<td class="field-msg_short">(.*?)</td>', body)
    assert cells and all("项：" in cell for cell in cells if cell), cells
    assert any("配合单位" in cell for cell in cells)
    # field names (and reverse relations such as a task's reports) in Chinese; "ID" is a name
    assert [cell for cell in cells if re.search(r"[A-Za-z]", cell.replace("ID", ""))] == []


def test_admin_site_titles_are_chinese(login: Callable[[Any], Client], people: SimpleNamespace) -> None:
    body = login(people.admin).get(reverse("admin:index")).content.decode()
    assert "<title>系统管理 | 台账管理后台</title>" in body
    assert "登录保护" in body and "审计日志" in body


def test_permission_names_are_chinese(db: None) -> None:
    names = set(Permission.objects.values_list("name", flat=True))
    assert names, "migrate creates the permissions"
    assert {name for name in names if name.startswith("Can ")} == set()
    with translation.override("zh-hans"):
        assert "可添加登录尝试" in names and "可查看审计记录" in names


def test_the_compiled_catalog_matches_its_source() -> None:
    """django.mo is committed (no gettext tools needed to run the app): it must hold every entry
    of django.po, so an edited .po without `msgfmt -o django.mo django.po` fails here."""
    from pathlib import Path

    import taizhang.core

    po = Path(taizhang.core.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
    entries = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', po.read_text("utf-8"), flags=re.M)
    assert len(entries) > 60

    def unquote(block: str) -> str:
        return "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"')

    with translation.override("zh-hans"):
        for msgid, msgstr in entries:
            if unquote(msgid):
                assert translation.gettext(unquote(msgid)) == unquote(msgstr), unquote(msgid)
