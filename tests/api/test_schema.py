"""The OpenAPI schema and the docs page: complete, for signed-in users only, nothing from outside."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]

ENDPOINTS = {
    "/api/me": {"get"},
    "/api/plans": {"get"},
    "/api/plans/{plan_id}": {"get"},
    "/api/tasks": {"get"},
    "/api/tasks/{task_id}": {"get"},
    "/api/tasks/{task_id}/reports": {"get", "post"},
    "/api/reports": {"get"},
    "/api/reports/{report_id}": {"get"},
    "/api/reports/{report_id}/review": {"post"},
}


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_openapi_schema_lists_every_endpoint(login: Login, people: SimpleNamespace) -> None:
    response = login(people.reporter).get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "台账 API"
    assert {path: set(ops) for path, ops in schema["paths"].items()} == ENDPOINTS
    security = schema["components"]["securitySchemes"]
    assert security["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert security["SessionAuth"]["in"] == "cookie"
    operation_ids = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation["summary"], where
            assert {"200", "401", "422"} <= set(operation["responses"]) or "201" in operation["responses"], (
                where
            )
            assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}], where
            operation_ids.add(operation["operationId"])
            if "{" in path:
                assert "404" in operation["responses"], where
            if method == "post":
                assert {"403", "409"} <= set(operation["responses"]), where
                assert "requestBody" in operation, where
    assert "task_list" in operation_ids and len(operation_ids) == sum(len(m) for m in ENDPOINTS.values())
    components = schema["components"]["schemas"]
    for ref in set(refs(schema)):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in components, ref
    assert {"ReportIn", "ReviewIn", "TaskOut", "TaskDetailOut", "ReportOut", "ErrorOut"} <= set(components)
    assert "http://" not in response.content.decode() and "https://" not in response.content.decode()


def test_openapi_schema_and_docs_are_for_signed_in_users(people: SimpleNamespace, bearer: Any) -> None:
    anonymous = Client()
    schema = anonymous.get("/api/openapi.json")
    assert schema.status_code == 401 and "请先登录" in schema.json()["detail"]
    docs = anonymous.get("/api/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/?next=/api/docs")
    assert bearer(people.reporter).get("/api/openapi.json").status_code == 200
    assert bearer(people.reporter, "tz_revoked").get("/api/openapi.json").status_code == 401


def api_html_urls() -> list[str]:
    """Every URL under /api/ without path parameters (the docs page is the only HTML among them)."""
    found = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("api/") and "<" not in route:
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return found


def test_no_api_page_loads_anything_from_outside(login: Login, people: SimpleNamespace) -> None:
    """Every HTML page under /api/ (the docs; /api/ itself is the site's 404 page) references only
    this server: no http(s) address, no protocol-relative //host, static files that exist locally."""
    client = login(people.reporter)
    pages = {}
    for url in api_html_urls():
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            pages[url] = response.content.decode()
    assert "/api/docs" in pages
    for url, body in pages.items():
        assert "http:" not in body.lower() and "https:" not in body.lower(), f"{url} names an outside address"
        references = re.findall(r"""(?:src|href|action)=["']([^"']*)["']""", body)
        assert references, url
        for ref in references:
            assert ref.startswith(("/", "#", "?")) and not ref.startswith("//"), f"{url} refers to {ref}"
            if ref.startswith("/static/"):
                assert finders.find(ref.removeprefix("/static/").split("?")[0]), f"{ref} is not a local file"
    docs_assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", pages["/api/docs"])
    assert all(a.startswith("/static/ninja/") for a in docs_assets), docs_assets


def test_docs_page_has_the_swagger_settings(login: Login, people: SimpleNamespace) -> None:
    body = login(people.reporter).get("/api/docs").content.decode()
    assert '"validatorUrl": null' in body and '"url": "/api/openapi.json"' in body
    assert "swagger-ui-bundle.js" in body and 'data-api-csrf="true"' in body
