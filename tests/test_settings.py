"""Settings validate their environment variables, and production settings pass `check --deploy`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

PROD_KEY = "k3Jd9-x2Lq0_vA7pW4zR1mN8bT6yH5cF0gS2uE9iO3aD7lK1jQ"


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TAIZHANG_") and k != "DATABASE_URL"}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "taizhang.cli", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TAIZHANG_MAX_UPLOAD_MB", "abc", "1 到 1024 之间的整数"),
        ("TAIZHANG_MAX_UPLOAD_MB", "0", "1 到 1024 之间的整数"),
        ("TAIZHANG_DEBUG", "maybe", "true/false"),
        ("DATABASE_URL", "mysql://root@localhost/x", "仅支持 SQLite 和 PostgreSQL"),
        ("DATABASE_URL", "nonsense", "postgres://"),
        ("TAIZHANG_SECRET_KEY", "short", "至少需 50 个字符"),
        ("TAIZHANG_HSTS_SECONDS", "-1", "之间的整数"),
        ("TAIZHANG_ALLOWED_HOSTS", " , ", "非空列表"),
        ("TAIZHANG_CSRF_TRUSTED_ORIGINS", "example.org", "http://"),
        ("TAIZHANG_LOG_LEVEL", "LOUD", "DEBUG"),
    ],
)
def test_bad_environment_value_is_refused_with_one_chinese_line(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    result = run_cli("check", env={"TAIZHANG_DATA_DIR": str(tmp_path), name: value}, cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr  # no traceback before the message
    assert result.stderr.startswith(f"taizhang: 错误：环境变量 {name} 的值")
    assert "无效" in result.stderr
    assert expected in result.stderr
    if name == "TAIZHANG_SECRET_KEY":
        assert value not in result.stderr.replace(name, "")  # a secret is never echoed


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("check", env={"TAIZHANG_DATA_DIR": str(blocker)}, cwd=tmp_path)
    assert result.returncode != 0
    assert "TAIZHANG_DATA_DIR" in result.stderr and "无法创建或使用该目录" in result.stderr


def test_deploy_check_is_clean_under_production_settings(tmp_path: Path) -> None:
    env = {
        "TAIZHANG_DATA_DIR": str(tmp_path),
        "TAIZHANG_SECRET_KEY": PROD_KEY,
        "TAIZHANG_SECURE_COOKIES": "1",
        "TAIZHANG_SSL_REDIRECT": "1",
        "TAIZHANG_HSTS_SECONDS": "31536000",
        "TAIZHANG_HSTS_PRELOAD": "1",
        "TAIZHANG_ALLOWED_HOSTS": "taizhang.example.gov.cn",
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_https_settings(tmp_path: Path) -> None:
    env = {"TAIZHANG_DATA_DIR": str(tmp_path), "TAIZHANG_SECRET_KEY": PROD_KEY}
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"TAIZHANG_DATA_DIR": str(tmp_path)}
    first = run_cli("shell", "-c", code, env=env, cwd=tmp_path)
    second = run_cli("shell", "-c", code, env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert key in first.stdout and key in second.stdout


def test_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path: Path) -> None:
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'], connection.settings_dict['NAME'])"
    )
    result = run_cli("shell", "-c", code, env={"TAIZHANG_DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wal" in result.stdout
    assert "IMMEDIATE" in result.stdout
    assert str(tmp_path / "taizhang.sqlite3") in result.stdout
