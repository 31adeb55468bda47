"""A local HTTP server on 127.0.0.1 standing in for the robots' webhooks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Robot:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)  # {"path", "body"}
    statuses: list[int] = field(default_factory=list)  # answers to give, in order (then 200)
    answer: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def robot() -> Iterator[Robot]:
    state = Robot(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if state.delay:
                time.sleep(state.delay)
            with state.lock:
                state.received.append(
                    {"path": self.path, "body": json.loads(raw), "type": self.headers.get("Content-Type")}
                )
                status = state.statuses.pop(0) if state.statuses else 200
            payload = json.dumps(state.answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (timeout test)
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook?key=abc"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def together(work: Any, workers: int = 2) -> list[Any]:
    """Run ``work`` in ``workers`` threads, each with its own connection, released at once. The
    tests' SQLite database is in memory with a shared cache, whose table locks ignore the busy
    timeout: there the workers run one after another (a real SQLite file serialises writers with
    IMMEDIATE transactions instead); PostgreSQL runs them truly at once."""
    from django.db import connection

    concurrent = connection.vendor != "sqlite"
    barrier = threading.Barrier(workers if concurrent else 1)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as err:
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
        if not concurrent:
            t.join(60)
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == workers
    return results
