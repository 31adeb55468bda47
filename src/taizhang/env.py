"""Settings read from environment variables, each validated with a clear bilingual message.

Every reader raises ``ImproperlyConfigured`` naming the variable, the bad value and what is
expected, in Chinese then English, so a misconfigured deployment fails at start-up, loudly.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "n", "f", ""})


class SettingError(ImproperlyConfigured):
    """A bad setting. `chinese` is the one line the command prints; the exception text (seen in a
    WSGI host's log) adds the English."""

    def __init__(self, chinese: str, english: str) -> None:
        super().__init__(f"{chinese}{english}")
        self.chinese = chinese


def bad_value(name: str, raw: str, expected_zh: str, expected_en: str) -> SettingError:
    return SettingError(
        f"环境变量 {name} 的值 {raw!r} 无效：{expected_zh}。", f"Invalid {name}={raw!r}: {expected_en}."
    )


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str) -> str:
    raw = _raw(name)
    return default if raw is None or raw == "" else raw


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise bad_value(
        name, raw, "应为 1/0、true/false、yes/no 或 on/off", "expected 1/0, true/false, yes/no or on/off"
    )


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = _raw(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise bad_value(
            name,
            raw,
            f"应为 {minimum} 到 {maximum} 之间的整数",
            f"expected an integer from {minimum} to {maximum}",
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None:
        return default
    items = [part.strip() for part in raw.split(",") if part.strip()]
    if not items:
        raise bad_value(name, raw, "应为逗号分隔的非空列表", "expected a non-empty comma-separated list")
    return items


def env_dir(name: str, default: str) -> Path:
    """A directory, created if missing; refuses a path that is a file or cannot be created."""
    raw = env_str(name, default)
    path = Path(raw).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise bad_value(
            name,
            raw,
            f"无法创建或使用该目录（{err.strerror}）",
            f"cannot create or use this directory ({err})",
        ) from err
    if not os.access(path, os.W_OK):
        raise bad_value(name, raw, "该目录不可写", "the directory is not writable")
    return path


MIN_SECRET_KEY_LENGTH = 50


def secret_key(name: str, key_file: Path) -> str:
    """The key from the environment, else the one persisted in ``key_file`` (created once, mode 0600)."""
    raw = _raw(name)
    if raw:
        if len(raw) < MIN_SECRET_KEY_LENGTH or len(set(raw)) < 5:
            raise bad_value(
                name,
                "***",
                f"密钥至少需 {MIN_SECRET_KEY_LENGTH} 个字符且不能过于简单",
                f"the key needs at least {MIN_SECRET_KEY_LENGTH} characters and must not be trivial",
            )
        return raw
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = ""
        for _ in range(50):  # another process may be writing it right now
            key = key_file.read_text(encoding="ascii").strip()
            if key:
                break
            time.sleep(0.05)
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise SettingError(
                f"密钥文件 {key_file} 内容无效，请删除后重启以重新生成。",
                f"The key file {key_file} is invalid: delete it and restart to regenerate it.",
            ) from None
        return key
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key
