"""The package's walls, checked over the AST of every module: who may import whom, where SQL lives, module
size, and no import circles (imports inside functions count too: they run, just later)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsgraph"
MAX_LINES = 500
SQL = re.compile(r"^\s*(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+"
                 r"(TABLE|INDEX|VIRTUAL|TRIGGER|VIEW)|DROP\s+(TABLE|INDEX)|PRAGMA\s)", re.DOTALL)  # our SQL is upper case


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its body."""
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        found.update(t for t in targets if t in modules())
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    return {name: imports_of(name) for name in modules()}


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


# (importer prefix, forbidden prefixes, why)
WALLS = [
    ("newsgraph.model", ["newsgraph"], "the data model is ground level: it imports nothing of ours"),
    ("newsgraph.models", ["newsgraph.pipeline", "newsgraph.store", "newsgraph.interfaces", "newsgraph.training",
                          "newsgraph.evaluation", "newsgraph.batch", "newsgraph.ingest"],
     "models/ holds model files and their loader, at ground level"),
    ("newsgraph.pipeline", ["newsgraph.store", "newsgraph.interfaces", "newsgraph.training", "newsgraph.batch",
                            "newsgraph.scale"],
     "stages compute; they neither store, nor serve, nor train"),
    ("newsgraph.store", ["newsgraph.pipeline", "newsgraph.interfaces", "newsgraph.training", "newsgraph.batch",
                         "newsgraph.scale"],
     "the store is a library under the interfaces, beside the pipeline"),
    ("newsgraph.evaluation", ["newsgraph.training", "newsgraph.interfaces", "newsgraph.store"],
     "training imports evaluation, never the reverse"),
    ("newsgraph.ingest", ["newsgraph.pipeline", "newsgraph.store", "newsgraph.interfaces", "newsgraph.training",
                          "newsgraph.scale"],
     "readers only read"),
    ("newsgraph.scale", ["newsgraph.training", "newsgraph.evaluation", "newsgraph.pipeline.stages",
                         "newsgraph.pipeline.plover", "newsgraph.pipeline.temporal"],
     "scale runs the pipeline as a whole; no analysis of its own"),
]


@pytest.mark.parametrize(("importer", "forbidden", "why"), WALLS, ids=[w[0] for w in WALLS])
def test_walls(importer: str, forbidden: list[str], why: str) -> None:
    crossings = [f"{a} -> {b}" for a, targets in graph().items() if under(a, importer)
                 for b in sorted(targets) if under(b, *forbidden) and not under(b, importer)]
    assert not crossings, f"{why}:\n" + "\n".join(crossings)


def test_no_import_circles() -> None:
    g = graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(g[node]):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    assert not circles, "\n".join(" -> ".join(c) for c in circles)


def test_no_sql_outside_the_store() -> None:
    offenders = []
    for name, path in modules().items():
        if under(name, "newsgraph.store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
    assert not offenders, "\n".join(offenders)


def test_no_module_over_the_line_limit() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_the_wall_checker_sees_a_crossing() -> None:
    """Negative case: the checker finds a known import (so a silent parser could not pass the walls)."""
    assert "newsgraph.store" in graph()["newsgraph.batch"]
    assert "newsgraph.model" in imports_of("newsgraph.errors")
    assert SQL.match("SELECT id FROM articles") and not SQL.match("Select a stage from the list")
