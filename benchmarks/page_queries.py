"""SQL queries per request of the five busiest pages, on the demo county: run by hand, prints figures.

    .venv/bin/python benchmarks/page_queries.py

Builds the demo data in a scratch SQLite data folder, then fetches each page once (warm) and
counts the queries of a second fetch with Django's ``CaptureQueriesContext``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    folder = tempfile.mkdtemp(prefix="taizhang-queries-")
    os.environ["TAIZHANG_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    import django

    django.setup()
    from django.conf import settings

    # no collectstatic manifest in a scratch folder
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from taizhang.accounts.models import User
    from taizhang.ledger.models import Plan

    plan = Plan.objects.order_by("-year", "id").first()
    assert plan is not None
    pages = [
        ("supervisor home", "duchashi", "/"),
        ("reporter home", "jiaotong", "/"),
        ("leader home", "xianzhang", "/"),
        ("plan detail", "duchashi", f"/plans/{plan.pk}/"),
        ("review queue", "duchashi", "/reviews/"),
    ]
    print(f"{'page':<18} {'user':<10} {'status':>6} {'queries':>8}")
    for name, username, url in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(url, HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST="127.0.0.1")
        print(f"{name:<18} {username:<10} {response.status_code:>6} {len(queries):>8}")
        if os.environ.get("SHOW_SQL") == name:
            for query in queries.captured_queries:
                print("   ", query["sql"][:160])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
