"""A small mutation tester for the permission and write rules (issue 6).

    .venv/bin/python tools/mutate.py src/taizhang/ledger/permissions.py tests/ledger/test_permissions.py …

Each mutant is ONE change to one line of the target file, of the kinds that turn a permission
rule or a write rule into a hole: a negated condition (``if x`` → ``if not x``, ``not x`` → ``x``),
a dropped clause of an ``and`` / ``or``, a swapped comparison (``==`` ↔ ``!=``, ``<`` ↔ ``<=``,
``in`` ↔ ``not in``, ``is`` ↔ ``is not``), and a removed
``transaction.atomic()``. The tests run in ONE pytest session (the database is set up once): for
each mutant the module's code is swapped in memory (the file is never touched) and the tests run
until the first failure, which kills the mutant; a full pass means it survived. Prints one line
per mutant and the counts; survivors are the ones to look at (``--only N,M`` re-runs some).

Why not mutmut: mutmut 3 runs the suite from its own copy of the project with trampolines in
every function, which Django's app loading and pytest-django's database setup do not survive
here; this driver needs nothing but the standard library and the project's own pytest.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol
from django.dispatch import Signal

ROOT = Path(__file__).resolve().parent.parent
SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


NULL_CONTEXT = "__import__('contextlib').nullcontext()"


@dataclass(frozen=True)
class Mutant:
    index: int
    line: int
    what: str
    source: str


def _is_atomic(item: ast.withitem) -> bool:
    call = item.context_expr
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "atomic"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "transaction"
    )


def _skip(node: ast.AST) -> bool:
    """Docstrings, type annotations, TYPE_CHECKING and ``assert isinstance`` are not rules."""
    return isinstance(node, ast.Assert)


def mutations(tree: ast.Module) -> Iterator[tuple[int, str, ast.Module]]:
    """Every single mutation of ``tree``: (line, description, mutated tree)."""
    nodes = [n for n in ast.walk(tree)]
    skipped: set[int] = set()
    for node in nodes:
        if _skip(node) or (isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"):
            skipped.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.AnnAssign | ast.arg) and node.annotation is not None:
            skipped.update(id(n) for n in ast.walk(node.annotation))
        if isinstance(node, ast.FunctionDef) and node.returns is not None:
            skipped.update(id(n) for n in ast.walk(node.returns))
    for position, node in enumerate(nodes):
        if id(node) in skipped:
            continue
        for what, change in _changes(node):
            mutated = copy.deepcopy(tree)
            target = list(ast.walk(mutated))[position]
            replacement = change(target)
            if replacement is not None:
                _replace(mutated, target, replacement)
            ast.fix_missing_locations(mutated)
            yield getattr(node, "lineno", 0), what, mutated


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    """Put ``new`` where ``old`` is in its parent."""
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return


def _changes(node: ast.AST) -> Iterator[tuple[str, object]]:
    if isinstance(node, ast.If | ast.While | ast.IfExp):
        text = ast.unparse(node.test)

        def negate(n: ast.AST) -> None:
            n.test = ast.UnaryOp(op=ast.Not(), operand=n.test)  # type: ignore[attr-defined]

        yield f"negate condition `{text}`", negate
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        text = ast.unparse(node)

        def drop_not(n: ast.AST) -> ast.AST:
            return n.operand  # type: ignore[attr-defined,no-any-return]

        yield f"drop `not` in `{text}`", drop_not
    if isinstance(node, ast.BoolOp) and len(node.values) >= 2:
        op = "and" if isinstance(node.op, ast.And) else "or"
        for i in range(len(node.values)):
            text = ast.unparse(node.values[i])

            def drop(n: ast.AST, i: int = i) -> None:
                n.values = [v for j, v in enumerate(n.values) if j != i]  # type: ignore[attr-defined]
                if len(n.values) == 1:  # type: ignore[attr-defined]
                    n.values.append(ast.Constant(value=op == "and"))  # type: ignore[attr-defined]

            yield f"drop `{op}` clause `{text}`", drop
    if isinstance(node, ast.Compare):
        for i, cmp in enumerate(node.ops):
            swap = SWAPS.get(type(cmp))
            if swap is None:
                continue

            def swap_op(n: ast.AST, i: int = i, swap: type[ast.cmpop] = swap) -> None:
                n.ops[i] = swap()  # type: ignore[attr-defined]

            yield f"swap comparison in `{ast.unparse(node)}`", swap_op
    if isinstance(node, ast.With) and any(_is_atomic(i) for i in node.items):

        def unatomic(n: ast.AST) -> None:
            items = [i for i in n.items if not _is_atomic(i)]  # type: ignore[attr-defined]
            if not items:
                # no import to add: one before ``from __future__`` would be a SyntaxError
                items = [ast.withitem(context_expr=ast.parse(NULL_CONTEXT, mode="eval").body)]
            n.items = items  # type: ignore[attr-defined]

        yield "remove `transaction.atomic()`", unatomic


def _source(tree: ast.Module) -> str:
    return ast.unparse(tree)


def build(target: Path) -> list[Mutant]:
    tree = ast.parse(target.read_text(encoding="utf-8"))
    out = []
    for index, (line, what, mutated) in enumerate(mutations(tree), 1):
        source = _source(mutated)
        compile(source, str(target), "exec")  # a mutant that does not compile is this tool's bug, not a kill
        out.append(Mutant(index, line, what, source))
    return out


class MutationRun:
    """A pytest plugin: the test database and fixtures are set up once; for each mutant the target
    module's code is replaced in place (``exec`` into its namespace: every caller looks functions
    up on the module), the tests run until the first failure, and the original code comes back."""

    def __init__(self, module: str, target: Path, mutants: list[Mutant]) -> None:
        self.module = module
        self.target = target
        self.mutants = mutants
        self.results: list[tuple[Mutant, str, float]] = []

    def _load(self, source: str) -> None:
        namespace = importlib.import_module(self.module).__dict__
        # A module's signals keep their identity: receivers elsewhere were connected to them at
        # import, and a new ``Signal()`` from the exec would have none (every mutant "killed").
        kept = {name: value for name, value in namespace.items() if isinstance(value, Signal)}
        exec(compile(source, str(self.target), "exec"), namespace)  # the point of the tool
        namespace.update(kept)

    def _passes(self, items: list[pytest.Item]) -> bool:
        """Run ``items`` until one fails; the failing test moves to the front, since a test that
        killed one mutant is likely to kill its neighbours (same line, same rule)."""
        for i, item in enumerate(items):
            nextitem = items[i + 1] if i + 1 < len(items) else items[0]  # keep session fixtures up
            reports = runtestprotocol(item, nextitem=nextitem, log=False)
            if any(r.failed for r in reports):
                items.insert(0, items.pop(i))
                return False
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        items = list(session.items)
        original = self.target.read_text(encoding="utf-8")
        if not self._passes(items):
            print("the tests fail without any mutation: fix them first", flush=True)
            session.testsfailed = 1
            return True
        for m in self.mutants:
            started = time.monotonic()
            try:
                self._load(m.source)
                status = "survived" if self._passes(items) else "killed"
            except Exception as err:  # a mutant that cannot even load is killed
                status = f"killed ({type(err).__name__})"
            finally:
                self._load(original)
            seconds = time.monotonic() - started
            self.results.append((m, status, seconds))
            print(f"#{m.index:<4} line {m.line:<4} {status:<16} {seconds:5.1f}s  {m.what}", flush=True)
        return True


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", type=Path)
    parser.add_argument("tests", nargs="+")
    parser.add_argument("--only", default="", help="comma-separated mutant numbers")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args()
    mutants = build(args.target)
    if args.only:
        wanted = {int(n) for n in args.only.split(",")}
        mutants = [m for m in mutants if m.index in wanted]
    if args.list:
        for m in mutants:
            print(f"#{m.index:<4} line {m.line:<4} {m.what}")
        return 0
    relative = args.target.resolve().relative_to(ROOT / "src")
    module = ".".join(relative.with_suffix("").parts)
    run = MutationRun(module, args.target.resolve(), mutants)
    pytest.main(["-q", "-p", "no:cacheprovider", *args.tests], plugins=[run])
    killed = sum(status.startswith("killed") for _, status, _ in run.results)
    survived = sum(status == "survived" for _, status, _ in run.results)
    print(f"{args.target}: {len(run.results)} mutants, {killed} killed, {survived} survived")
    for m, status, _ in run.results:
        if status == "survived":
            print(f"  survived #{m.index} line {m.line}: {m.what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
