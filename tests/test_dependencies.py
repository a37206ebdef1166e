"""Every declared runtime dependency is imported by the product, and every imported one is
declared (read from ``pyproject.toml`` and the code)."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from test_layers import PACKAGES, imported_names, product_modules

from builders import ROOT


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, str]:
    """Each runtime dependency (canonical name) → the comment on its line, if any."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    names = tomllib.loads(text)["project"]["dependencies"]
    found = {}
    for spec in names:
        name = _canonical(re.split(r"[=<>!~\[; ]", spec, maxsplit=1)[0])
        line = next(li for li in text.splitlines() if f'"{spec}"' in li)
        found[name] = line.partition("#")[2].strip()
    return found


def imported_distributions() -> set[str]:
    """The distributions whose top-level modules the product imports."""
    owners = packages_distributions()
    tops = {n.split(".")[0] for path in product_modules().values() for n in imported_names(path)}
    ours = set(PACKAGES)
    third_party = {t for t in tops if t not in ours and t not in sys.stdlib_module_names}
    unknown = {t for t in third_party if t not in owners}
    assert not unknown, f"imported but installed by no distribution: {unknown}"
    return {_canonical(d) for t in third_party for d in owners[t]}


def test_every_import_is_declared():
    assert imported_distributions() - set(declared()) == set()


def test_every_declared_dependency_is_imported_or_says_who_needs_it():
    unused = set(declared()) - imported_distributions()
    assert {name: declared()[name] for name in unused} == {
        "pystemmer": "not imported: snowballstemmer uses its C stemmers when installed",
        "lxml-html-clean": "not imported: trafilatura needs it (lxml's HTML cleaner)",
    }
