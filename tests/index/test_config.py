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


def test_commit_seconds_from_the_environment_or_the_flag(monkeypatch, runner, tmp_path: Path):
    monkeypatch.delenv("MANCHETTE_COMMIT_SECONDS", raising=False)
    assert load_settings().commit_seconds == float(
        next(s.default for s in SETTINGS if s.name == "commit_seconds")
    )
    monkeypatch.setenv("MANCHETTE_COMMIT_SECONDS", "2.5")
    assert load_settings().commit_seconds == 2.5
    assert load_settings(commit_seconds=0).commit_seconds == 0
    monkeypatch.setenv("MANCHETTE_COMMIT_SECONDS", "-1")
    source = tmp_path / "a.txt"
    source.write_text("A title\n\nSome text of the article.\n", encoding="utf-8")
    refused = runner.invoke(main, ["index", str(source), "--index-dir", str(tmp_path / "ix")])
    assert refused.exit_code == 2 and "commit_seconds" in refused.stderr
    assert not (tmp_path / "ix").exists()
