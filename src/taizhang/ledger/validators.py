"""Upload checks: extension whitelist, size limit (settings.TAIZHANG_MAX_UPLOAD_BYTES), and content
sniffing so that a renamed executable is not accepted as a .pdf."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from taizhang.core.sizes import human_size
from taizhang.ledger.errors import DomainError

# extension -> (content type stored and served, magic prefixes accepted; empty = text check)
ALLOWED_ATTACHMENTS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".txt": ("text/plain; charset=utf-8", ()),
}

ALLOWED_LABEL = "PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG、TXT"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as err:
            # a multi-byte character cut at the end of the sample is fine
            if err.start >= len(head) - 4:
                return True
            continue
        return True
    return False


def validate_attachment(upload: UploadedFile[bytes]) -> str:
    """Check an uploaded attachment; return the content type to store. Raises DomainError (Chinese)."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_ATTACHMENTS:
        raise DomainError(
            f"不支持的附件类型：{name or '（无文件名）'}。仅允许 {ALLOWED_LABEL}。", field="file"
        )
    limit = settings.TAIZHANG_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size == 0:
        raise DomainError(f"附件 {name} 是空文件。", field="file")
    if size > limit:
        raise DomainError(
            f"附件 {name} 大小为 {human_size(size)}，超过上限 {human_size(limit)}。", field="file"
        )
    content_type, magics = ALLOWED_ATTACHMENTS[suffix]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    ok = any(head.startswith(m) for m in magics) if magics else _looks_like_text(head)
    if not ok:
        raise DomainError(f"附件 {name} 的内容与扩展名 {suffix} 不符，文件可能已损坏或被改名。", field="file")
    return content_type


# A report's attachments together: at most this many files, and this many times the single-file limit.
MAX_ATTACHMENTS_PER_REPORT = 10
REPORT_QUOTA_FACTOR = 3


def check_attachment_quota(count: int, size: int, uploads: list[UploadedFile[bytes]]) -> None:
    """Refuse uploads that would take a report (with ``count`` files of ``size`` bytes already)
    past its quota. Raises DomainError (Chinese, naming the limits)."""
    if not uploads:
        return
    limit = REPORT_QUOTA_FACTOR * settings.TAIZHANG_MAX_UPLOAD_BYTES
    added = sum(upload.size or 0 for upload in uploads)
    if count + len(uploads) > MAX_ATTACHMENTS_PER_REPORT or size + added > limit:
        raise DomainError(
            f"每份进展报告的附件最多 {MAX_ATTACHMENTS_PER_REPORT} 个、合计不超过 {human_size(limit)}："
            f"本报告已有 {count} 个（{human_size(size)}），"
            f"本次上传 {len(uploads)} 个（{human_size(added)}）。"
            "请删减或压缩后再上传。",
            field="file",
        )
