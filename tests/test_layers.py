"""The product's imports, read from the code (``ast``): no cycle between its modules, and
each engine's library imported by that engine only.

Function-level imports count (they are cycles that only wait for the right call order);
imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

from builders import ROOT

PACKAGES = ("index", "search", "engines", "web")
# Only the analysis filters (pickled into the index) and the Whoosh engine import whoosh;
# only the OpenSearch engine imports opensearchpy; web/ imports neither.
ALLOWED = {
    "whoosh": ("index.analysis", "engines.whoosh"),
    "opensearchpy": ("engines.opensearch",),
}


def product_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(path: Path) -> set[str]:
    """Every module name an import statement of ``path`` names (``from a import b`` gives
    ``a`` and ``a.b``), outside ``if TYPE_CHECKING:`` blocks."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def import_graph() -> dict[str, set[str]]:
    modules = product_modules()
    return {
        name: {n for n in imported_names(path) if n in modules and n != name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_checker_sees_function_level_imports_and_skips_type_checking(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from search.results import Hit\n"
        "def f():\n    from index.build import run_job\n    import engines.base\n"
    )
    assert imported_names(module) >= {"index.build", "index.build.run_job", "engines.base"}
    assert "search.results" not in imported_names(module)
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_the_products_modules():
    assert cycles(import_graph()) == []


def test_each_engine_library_is_imported_by_its_engine_only():
    wrong = []
    for name, path in product_modules().items():
        for library, owners in ALLOWED.items():
            uses = any(n == library or n.startswith(library + ".") for n in imported_names(path))
            owned = any(name == o or name.startswith(o + ".") for o in owners)
            if uses and not owned:
                wrong.append(f"{name} imports {library}")
    assert wrong == []


def test_imports_run_one_way_cli_and_web_then_engines_then_search_and_index():
    """``index/`` and ``search/`` know no engine (their command-line modules are the CLI);
    engines never reach back into the web front end."""
    wrong = []
    for name, targets in import_graph().items():
        layer = name.split(".")[0]
        cli = name.endswith(".cli")
        for target in targets:
            if layer in ("index", "search") and not cli and target.startswith("engines"):
                wrong.append(f"{name} → {target}")
            if layer in ("index", "search", "engines") and target.startswith("web"):
                wrong.append(f"{name} → {target}")
    assert wrong == []


def test_engines_do_not_reach_into_each_other():
    """Only the migration from Whoosh to OpenSearch reads both (it copies an archive)."""
    crossing = sorted(
        f"{name} → {target}"
        for name, targets in import_graph().items()
        for target in targets
        if (name.startswith("engines.whoosh") and target.startswith("engines.opensearch"))
        or (name.startswith("engines.opensearch") and target.startswith("engines.whoosh"))
    )
    assert crossing == ["engines.opensearch.migrate → engines.whoosh.writer"]
