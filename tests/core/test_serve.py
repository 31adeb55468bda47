"""`taizhang serve --demo` on a fresh data folder: migrates, loads the demo, serves pages and static files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb  # uses its own SQLite database in a temporary folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_demo(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAIZHANG_") and k != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["TAIZHANG_DATA_DIR"] = str(tmp_path)
    env["TAIZHANG_MAX_UPLOAD_MB"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "taizhang.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 240  # migrate, collectstatic and the demo, on a busy CI machine
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.3)
        assert "登录重点工作台账" in body, proc.stdout.read() if proc.poll() is not None else "not up"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/taizhang/app.css", timeout=5) as resp:
            assert resp.status == 200 and b"@media print" in resp.read()
        assert "htmx" in body and "<script" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as resp:
            assert resp.headers.get("Server") is None  # no banner
            assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
        # Over the 1 MB limit: Django answers in Chinese, naming the limit (not waitress's English page).
        oversize = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/", data=b"x" * (3 * 1024 * 1024), method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(oversize, timeout=30)
        assert refused.value.code == 413
        page = refused.value.read().decode()
        assert "过大" in page and "1 MB" in page and "waitress" not in page
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert "demo12345" in output and "duchashi" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert "waitress" in output.lower()
    assert (tmp_path / "taizhang.sqlite3").exists()
    assert (tmp_path / "static" / "staticfiles.json").exists()
