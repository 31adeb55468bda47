"""Attachment checks: type whitelist, size limit from settings, content matching the extension."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.ledger.errors import DomainError
from taizhang.ledger.validators import validate_attachment

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("a.pdf", b"%PDF-1.7 ...", "application/pdf"),
        (
            "b.DOCX",
            b"PK\x03\x04rest",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("c.xlsx", b"PK\x03\x04rest", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("d.jpg", b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        ("e.png", b"\x89PNG\r\n\x1a\nIHDR", "image/png"),
        ("f.txt", "进展说明".encode(), "text/plain; charset=utf-8"),
        ("g.txt", "进展说明".encode("gb18030"), "text/plain; charset=utf-8"),
    ],
)
def test_allowed(name: str, data: bytes, content_type: str) -> None:
    assert validate_attachment(SimpleUploadedFile(name, data)) == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ", "不支持的附件类型"),
        ("noext", b"%PDF-", "不支持的附件类型"),
        ("fake.pdf", b"MZ\x90\x00", "内容与扩展名 .pdf 不符"),
        ("fake.png", b"%PDF-1.4", "内容与扩展名 .png 不符"),
        ("bin.txt", b"\x00\x01\x02", "不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        validate_attachment(SimpleUploadedFile(name, data))


def test_size_limit_comes_from_settings(settings: Any) -> None:
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DomainError, match="超过上限 1 KB"):
        validate_attachment(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 1100))
    assert validate_attachment(SimpleUploadedFile("ok.pdf", b"%PDF-" + b"0" * 900))
