"""Bad plan uploads get one clear Chinese message on the form, and nothing is saved or kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger.importing import pending
from taizhang.ledger.models import Plan, SourceDocument, Task
from tests.ledger.test_import_plan import plan_docx

pytestmark = pytest.mark.django_db


def entity_docx() -> bytes:
    """A .docx whose document part declares an XML entity (the billion-laughs shape)."""
    source = zipfile.ZipFile(io.BytesIO(plan_docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaa">]>', 1)
            target.writestr(info, data)
    return buffer.getvalue()


def assert_nothing_kept(client: Client) -> None:
    assert Plan.objects.count() == 0 and Task.objects.count() == 0 and SourceDocument.objects.count() == 0
    assert not client.session.get(pending.SESSION_KEY)
    folder = pending.pending_dir()
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.docx", b"this is not a word document at all", "不是有效的 .docx 文件"),
        ("plan.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "不支持 PDF 文件"),
        ("plan.docx", b"%PDF-1.7\nrenamed", "不支持 PDF 文件"),
        ("plan.docx", plan_docx()[:3000], ".docx 文件不完整或已损坏"),
        ("plan.docx", entity_docx(), "不安全的 XML 声明"),
        ("plan.xlsx", b"PK\x03\x04whatever", ".xlsx 文件不完整或已损坏"),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不支持旧版 Word 文件（.doc）"),
        ("plan.txt", b"\x00\x01\x02\x03binary" * 50, "文件不是文本文件"),
        ("notes.txt", "会议纪要\n今天天气很好。\n".encode(), "未从文件中识别出任务"),
    ],
)
def test_bad_file_gets_a_chinese_error(
    people: SimpleNamespace, login: Callable[[Any], Client], name: str, data: bytes, message: str
) -> None:
    client = login(people.supervisor)
    response = client.post(reverse("import:plan"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert_nothing_kept(client)


def test_empty_file(people: SimpleNamespace, login: Callable[[Any], Client]) -> None:
    client = login(people.supervisor)
    response = client.post(reverse("import:plan"), {"file": SimpleUploadedFile("plan.docx", b"")})
    assert response.status_code == 200 and "所提交的是空文件" in response.content.decode()
    assert_nothing_kept(client)


def test_oversize_file(settings: Any, people: SimpleNamespace, login: Callable[[Any], Client]) -> None:
    settings.TAIZHANG_MAX_UPLOAD_MB = 1
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 4096
    client = login(people.supervisor)
    response = client.post(reverse("import:plan"), {"file": SimpleUploadedFile("plan.docx", plan_docx())})
    html = response.content.decode()
    assert response.status_code == 200 and "超过上限 4 KB" in html
    pasted = client.post(reverse("import:plan"), {"text": "一、重点工作\n" + "推进改造。" * 2000})
    assert "粘贴的文本超过上限" in pasted.content.decode()
    assert_nothing_kept(client)


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "请选择计划文件，或粘贴计划全文"),
        ({"text": "   \n  "}, "请选择计划文件，或粘贴计划全文"),
        ({"text": "一、重点工作\n推进改造。", "file": "x"}, "请上传文件或粘贴文本，二者选一"),
    ],
)
def test_file_or_text(
    people: SimpleNamespace, login: Callable[[Any], Client], post: dict[str, Any], message: str
) -> None:
    client = login(people.supervisor)
    if "file" in post:
        post = {**post, "file": SimpleUploadedFile("plan.docx", plan_docx())}
    response = client.post(reverse("import:plan"), post)
    assert response.status_code == 200 and message in response.content.decode()
    assert_nothing_kept(client)
