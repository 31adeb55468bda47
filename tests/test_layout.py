"""The apps' layering: ``core`` is the ground floor and imports no app; ``accounts`` (the unit tree
and roles) imports no app but core. Read from the source (AST), so a lazy import inside a function
counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import taizhang

pytestmark = pytest.mark.nodb

SRC = Path(taizhang.__file__).parent
APPS = ("accounts", "api", "core", "front", "ledger", "reports")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module a module of ``package`` imports, at any depth (relative imports resolved)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def apps_imported_by(app: str) -> dict[str, set[str]]:
    """For each module of ``app``: the other Taizhang apps it imports."""
    result: dict[str, set[str]] = {}
    for path in sorted((SRC / app).rglob("*.py")):
        package = ".".join(path.relative_to(SRC.parent).parts[:-1])
        apps = {
            name.split(".")[1]
            for name in imported_modules(path.read_text(encoding="utf-8"), package)
            if name.startswith("taizhang.") and name.split(".")[1] in APPS
        } - {app}
        if apps:
            result[str(path.relative_to(SRC))] = apps
    return result


def test_the_import_reader_sees_lazy_and_relative_imports() -> None:
    source = "def f():\n    from taizhang.ledger.models import Task\nfrom ..front import views\nimport taizhang.api\n"
    names = imported_modules(source, "taizhang.core")
    assert {"taizhang.ledger.models", "taizhang.front", "taizhang.api"} <= names


@pytest.mark.parametrize(
    ("app", "allowed"),
    [
        ("core", set()),
        ("accounts", {"core"}),
        ("reports", set()),
    ],
)
def test_lower_apps_import_no_higher_app(app: str, allowed: set[str]) -> None:
    offending = {module: apps - allowed for module, apps in apps_imported_by(app).items() if apps - allowed}
    assert offending == {}


# The writing app's way out mirrors the engine's way in: plain blocks to a .docx or Markdown, laid
# out by one GB/T 9704 definition, with no Django (STYLE.md, "A pipeline named by its stages").
PURE_WRITING = ("layout.py", "document.py", "render.py")
# 对账's matching core reads the engine and nothing of the web app: the CLI, the screen and the
# evaluation all call the same functions.
PURE_RECONCILE = ("matching.py", "reading.py", "evaluation.py", "listing.py")
PURE = [("writing", m) for m in PURE_WRITING] + [("reconcile", m) for m in PURE_RECONCILE]


@pytest.mark.parametrize(("app", "module"), PURE)
def test_a_pure_pipeline_imports_no_django(app: str, module: str) -> None:
    path = SRC / app / module
    names = imported_modules(path.read_text(encoding="utf-8"), f"taizhang.{app}")
    django = sorted(n for n in names if n == "django" or n.startswith("django."))
    apps = sorted(
        n
        for n in names
        if n.startswith("taizhang.")
        and n.split(".")[1] not in ("reports", app)
        # core's plain modules: jieba loaded once, Chinese dates (neither imports Django)
        and n != "taizhang.core"
        and ".".join(n.split(".")[:3]) not in ("taizhang.core.segment", "taizhang.core.dates")
    )
    assert (django, apps) == ([], [])


def test_the_ledger_imports_nothing_of_the_archive() -> None:
    # The archive listens to the ledger (archive.signals); the ledger never calls the archive.
    offending = {
        str(path.relative_to(SRC))
        for path in (SRC / "ledger").rglob("*.py")
        if any(
            n == "taizhang.archive" or n.startswith("taizhang.archive.")
            for n in imported_modules(
                path.read_text(encoding="utf-8"), ".".join(path.relative_to(SRC.parent).parts[:-1])
            )
        )
    }
    assert offending == set()
