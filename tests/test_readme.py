"""What a new user reads first agrees with itself, with the Makefile and with pyproject.toml
(issue 16.15)."""

from __future__ import annotations

import re
import tomllib

from builders import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def first_use() -> str:
    """The README from its start to the first command-line reference."""
    return README.split("## Screenshots")[0]


def line_starting(prefix: str) -> str:
    item = re.search(rf"^- {re.escape(prefix)}(.*?)(?=^- |^\s*$)", first_use(), re.M | re.S)
    assert item, prefix
    return " ".join(item.group(1).split())


def test_the_licence_is_an_spdx_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"  # a table is deprecated by setuptools


def test_prerequisites_say_once_what_to_install_and_what_the_makefile_installs():
    needed = line_starting("You need:")
    installed = line_starting("The Makefile installs when missing:")
    for tool in ("Java", "Maven", "chromium", "wrk"):
        assert tool not in needed and tool in installed, tool
    assert "npm" in needed and "node" in needed  # axe-core comes from npm
    assert "root" in installed and "sudo" in installed
    assert "sudo" in MAKEFILE  # the Makefile does what the README says


def test_the_long_commands_say_how_long_they_take():
    assert re.search(r"make test\s+# about \d+ min", first_use())
    assert re.search(r"`make chaos`.*?about \d+ minutes", first_use(), re.S)


def test_the_cli_is_pointed_at_the_index_make_run_fills():
    index_dir = re.search(r"^INDEX_DIR \?= (\S+)$", MAKEFILE, re.M).group(1)
    assert f"export MANCHETTE_INDEX_DIR=$PWD/{index_dir}" in first_use()
    assert f"--index-dir {index_dir}" in first_use()
