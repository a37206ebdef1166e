"""``make chaos`` in a clean clone leaves tracked files alone: its results go to the scratch
folder ``var/chaos-results/`` unless ``RECORD=1`` asks to record them in ``bench/results/``."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from builders import ROOT

WRITERS = [
    *sorted((ROOT / "bench" / "chaos").glob("*.py")),
    *sorted((ROOT / "tests" / "chaos").glob("*.py")),
    ROOT / "tests" / "opensearch" / "chaos_cluster.py",
]


def chaos_commands(*args: str) -> list[str]:
    """The commands ``make chaos`` would run (``make -n``: printed, not run)."""
    out = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "chaos", *args], capture_output=True, text=True, check=True
    ).stdout
    joined = out.replace("\\\n", " ")
    return [line for line in joined.splitlines() if "bench/chaos/" in line or "pytest" in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    ("args", "folder"), [((), "var/chaos-results"), (("RECORD=1",), "bench/results")]
)
def test_make_chaos_writes_to_scratch_unless_recording(args, folder):
    commands = chaos_commands(*args)
    assert len(commands) >= 5
    for command in commands:
        assert f"CHAOS_RESULTS={folder} " in command, command


def test_no_chaos_writer_names_the_tracked_folder():
    for path in WRITERS:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']bench["'] / ["']results["']|["']bench/results""", code), path


def test_results_default_to_an_ignored_scratch_folder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "chaos"))
    from chaoslib import results_dir

    monkeypatch.delenv("CHAOS_RESULTS", raising=False)
    scratch = results_dir()
    assert scratch == ROOT / "var" / "chaos-results"
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(scratch)])
    assert ignored.returncode == 0
    monkeypatch.setenv("CHAOS_RESULTS", "bench/results")
    assert results_dir() == ROOT / "bench" / "results"
