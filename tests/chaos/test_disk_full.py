"""Disk full: index onto a small filesystem until it fills.

The index lives on a size-limited tmpfs (``mount -t tmpfs -o size=...``, as root). The job
fails with a clear message and exit 3; the previous index is intact (``manchette check``,
same content) and searchable; once space is freed the next run completes.
Without the right to mount, the same job runs under ``RLIMIT_FSIZE`` instead (writes past the
limit fail with EFBIG), which exercises the same failure path.
"""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaoslib import MANCHETTE, check_index, index_env, search_here, write_corpus

SIZE = "3m"  # the base index takes ~1 MB; the job's commit needs ~5 MB more


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        try:
            yield mount_point, "tmpfs"
        finally:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)
    else:
        yield mount_point, f"rlimit (mount refused: {done.stderr.strip()})"


def _index(paths: list[Path], index_dir: Path, how: str, *args: str, limited: bool = False):
    """``manchette index``; in the fallback, ``limited`` runs cap any file at 512 KiB."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 << 10, 512 << 10))

    return subprocess.run(
        [MANCHETTE, "index", *map(str, paths), "--index-dir", str(index_dir), *args],
        capture_output=True,
        text=True,
        env=index_env(),
        preexec_fn=limit if limited and how != "tmpfs" else None,
        check=False,
    )


@pytest.mark.parametrize(
    "rebuild", [False, pytest.param(True, marks=pytest.mark.chaos)], ids=["incremental", "rebuild"]
)
def test_a_full_disk_fails_the_job_and_keeps_the_previous_index(
    small_disk: tuple[Path, str], tmp_path: Path, rebuild: bool
):
    disk, how = small_disk
    base_input = tmp_path / "base"
    write_corpus(base_input, 100, tag="small", seed=1)
    index_dir = disk / "ix"
    first = _index([base_input], index_dir, how, "--quiet")
    assert first.returncode == 0, first.stderr
    before = check_index(index_dir)
    assert before["ok"] and before["articles"] == 100

    big_input = tmp_path / "big"
    write_corpus(big_input, 1000, tag="big", seed=2)
    args = ["--rebuild"] if rebuild else []
    full = _index([base_input, big_input], index_dir, how, *args, limited=True)
    assert full.returncode == 3, (how, full.returncode, full.stderr[-1500:])
    assert "indexing failed" in full.stderr
    reason = "No space left on device" if how == "tmpfs" else "File too large"
    assert reason in full.stderr, full.stderr[-1500:]
    assert "Traceback" not in full.stderr

    after = check_index(index_dir)
    assert after["ok"], after["problems"]
    assert after["digest"] == before["digest"]  # exactly the previous index
    assert search_here(index_dir, "harbour") > 0

    # nothing the failed job wrote is left to keep the disk full: the next run completes
    again = _index([base_input], index_dir, how, "--quiet")
    assert again.returncode == 0, again.stderr
    assert check_index(index_dir)["ok"]
    print(f"disk full via {how}: {full.stderr.strip().splitlines()[-1]}")
