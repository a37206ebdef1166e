"""No message meant for a user names an exception's class (``EOFError: ...``): the words of
the error, and what to do, are what a user can act on."""

from __future__ import annotations

import ast

from builders import ROOT

PACKAGES = ("index", "search", "web")

# Sites in files other streams own, reported to them (issue 16.8): this list shrinks as they
# are fixed, and the test fails until a fixed site is taken off it.


def _exception_names(tree: ast.AST) -> set[str]:
    return {
        node.name for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler) and node.name
    }


def class_name_sites(source: str) -> list[str]:
    """``type(exc).__name__`` and ``{exc!r}`` where ``exc`` is bound by an ``except``."""
    tree = ast.parse(source)
    names = _exception_names(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "__name__"
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "type"
            and node.value.args
            and isinstance(node.value.args[0], ast.Name)
            and node.value.args[0].id in names
        ):
            found.append(f"type({node.value.args[0].id}).__name__")
        if (
            isinstance(node, ast.FormattedValue)
            and node.conversion == ord("r")
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            found.append(f"{{{node.value.id}!r}}")
    return found


def test_the_detector_finds_both_forms():
    source = (
        "try:\n    pass\nexcept OSError as exc:\n"
        "    print(f'failed: {type(exc).__name__}: {exc}')\n    print(f'{exc!r}')\n"
        "print(type(record).__name__)\n"
    )
    assert sorted(class_name_sites(source)) == ["type(exc).__name__", "{exc!r}"]


def test_no_user_message_names_an_exception_class():
    found = {
        (str(path.relative_to(ROOT)), site)
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for site in class_name_sites(path.read_text(encoding="utf-8"))
    }
    assert found == set()
