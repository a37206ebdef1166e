"""Settings are declared once and every one of them is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import ROOT
from index.cli import main
from index.config import SETTINGS, load_settings


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, setting.name
        assert setting.help in readme, setting.name


def test_every_command_has_help_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.list_commands(None):
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout, name
        assert f"`manchette {name}" in readme, name


def test_layering_env_then_override(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("MANCHETTE_INDEX_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("MANCHETTE_PORT", "9001")
    assert load_settings().index_dir == tmp_path / "env"
    assert load_settings().port == 9001
    assert load_settings(index_dir=tmp_path / "flag").index_dir == tmp_path / "flag"


def test_default_index_dir_follows_xdg(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("MANCHETTE_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert load_settings().index_dir == tmp_path / "manchette" / "index"


def test_bad_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MANCHETTE_PORT", "eighty")
    with pytest.raises(ValueError, match="invalid setting"):
        load_settings()
