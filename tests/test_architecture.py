"""The package's shape: imports follow docs/architecture.md, no cycles, no private names across modules."""

from __future__ import annotations

import ast
import configparser
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "ptce_gloss"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
CORE = ("text", "glossary", "html", "match", "markup", "annotate")
"""What the library is without batches and the command line."""
NOT_IN_CORE = ("batch", "views", "cli", "click", "rich")
MODULE_LINES = 450
FUNCTION_LINES = 60
LONGER_FUNCTIONS = {
    "ptce_gloss.glossary.yamlsafe.parse": "one loop over the YAML parser's events, a state machine best read whole",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(module: str) -> bool:
    return (ROOT.joinpath(*module.split(".")) / "__init__.py").is_file()


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    """The row of the architecture table a module belongs to: its subpackage, or its own name at the top."""
    parts = module.split(".")
    return "ptce_gloss" if len(parts) == 1 else parts[1]


def imports(module: str) -> Iterator[tuple[ast.stmt, str, list[str]]]:
    """Every import statement of a module, wherever it is: (node, absolute module, names imported from it)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            yield node, target, [alias.name for alias in node.names]


def dynamic_imports(module: str) -> Iterator[str]:
    """Modules imported by name: ``importlib.import_module("dask")``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def edges() -> dict[str, set[str]]:
    """Module -> the package modules it makes Python load: those it names, and the ``__init__`` of each
    package it enters from outside (importing ``a.b.c`` runs ``a.b`` first)."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        for _, target, names in imports(module):
            if not target.startswith("ptce_gloss"):
                continue
            targets = {target} | {f"{target}.{name}" for name in names if f"{target}.{name}" in MODULES}
            for found in targets:
                parts = found.split(".")
                for depth in range(2, len(parts) + 1):
                    entered = ".".join(parts[:depth])
                    if entered in MODULES and not module.startswith(entered + ".") and entered != module:
                        graph[module].add(entered)
    return graph


def read_table() -> dict[str, tuple[set[str], set[str]]]:
    """The architecture table: row name -> (rows it may import, third-party modules it may import)."""
    if not ARCHITECTURE.is_file():
        pytest.fail("docs/architecture.md is missing: it documents which package may import which")
    table: dict[str, tuple[set[str], set[str]]] = {}
    in_table = False
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| Package |"):
            in_table = True
            continue
        if in_table and line.startswith("|---"):
            continue
        if in_table and not line.startswith("|"):
            break
        if in_table:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            names, allowed, external = (set(re.findall(r"`([\w.]+)`", cell)) for cell in (cells[0], cells[2], cells[3]))
            for name in names:
                table[name] = (allowed, external)
    return table


def test_the_table_has_a_row_for_every_module():
    table = read_table()
    missing = sorted({layer(module) for module in MODULES} - set(table))
    assert not missing, f"docs/architecture.md has no row for {missing}"
    unknown = sorted({name for allowed, _ in table.values() for name in allowed} - set(table))
    assert not unknown, f"the table allows imports of rows it does not have: {unknown}"


def test_every_import_follows_the_documented_direction():
    table = read_table()
    wrong = []
    for module in MODULES:
        allowed, external = table[layer(module)]
        for node, target, _ in imports(module):
            top = target.split(".")[0]
            if top == "ptce_gloss":
                other = layer(target) if target != "ptce_gloss" else "ptce_gloss"
                if other != layer(module) and other not in allowed:
                    wrong.append(f"{module}:{node.lineno} imports {target} ({layer(module)} may not import {other})")
            elif top not in sys.stdlib_module_names and top != "__future__" and top not in external:
                wrong.append(f"{module}:{node.lineno} imports {target} (not a third-party module of {layer(module)})")
        for name in dynamic_imports(module):
            if name.split(".")[0] not in external and not name.startswith("."):
                wrong.append(f"{module} imports {name} by name (not a third-party module of {layer(module)})")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)


def test_the_core_never_imports_batches_views_or_the_command_line():
    found = []
    for module in MODULES:
        if layer(module) not in CORE:
            continue
        for node, target, _ in imports(module):
            parts = target.split(".")
            name = parts[1] if parts[0] == "ptce_gloss" and len(parts) > 1 else parts[0]
            if name in NOT_IN_CORE:
                found.append(f"{module}:{node.lineno} imports {target}")
    assert not found, "\n".join(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), and modules importing themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    found = cycles(edges())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(component) for component in found)


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_private_name_is_imported_from_another_module():
    found = []
    for module in MODULES:
        for node, target, names in imports(module):
            if target.startswith("ptce_gloss") and target != module:
                private = [name for name in names if name.startswith("_") and not name.startswith("__")]
                private += [part for part in target.split(".") if part.startswith("_") and part != "__init__"]
                if private:
                    found.append(f"{module}:{node.lineno} imports {', '.join(private)} from {target}")
    assert not found, "\n".join(found)


def test_every_package_is_shipped():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    shipped = set(config["options"]["packages"].split())
    packages = {module for module in MODULES if is_package(module)}
    assert packages <= shipped, f"setup.cfg [options] packages leaves out {sorted(packages - shipped)}"


def test_modules_and_functions_stay_readable():
    """Modules under ~400 lines, function bodies (docstring aside) under 60, or a reason why not."""
    long_modules = []
    long_functions = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MODULE_LINES:
            long_modules.append(f"{module}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1:
                    body = body[1:]
                size = (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1
                if size > FUNCTION_LINES and f"{module}.{node.name}" not in LONGER_FUNCTIONS:
                    long_functions.append(f"{module}.{node.name}: {size} lines")
    assert not long_modules and not long_functions, "\n".join(long_modules + long_functions)
