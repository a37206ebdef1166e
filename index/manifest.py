"""What the index knows of its input files, to skip unchanged ones cheaply.

A file is unchanged when its size and mtime match (no read at all), or else when the SHA-1 of
its bytes matches (one read, no parsing). The manifest lives in the build directory and is
replaced atomically after each commit; if a job dies between the two, the next run re-reads the
files and finds their articles unchanged by content hash, so nothing is lost.

A changed JSON Lines or JSON file keeps, per record, the digest of its bytes and the article
indexed from it: records whose bytes did not change are not parsed again (``index.records``).

A file with inputs that could not be indexed (a broken line, a truncated archive) is kept with
them: its rejections are reported when it is read, and only listed (``still_rejected``) while
it stays unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from index.records import Records

MANIFEST = "files.json"


@dataclass
class FileState:
    size: int
    mtime_ns: int
    sha1: str
    ids: list[str] = field(default_factory=list)
    rejected: list[list[str]] = field(default_factory=list)  # [where, reason]: reported once
    # place of a record in the file → its entry (``index.records``): what need not be parsed
    records: Records = field(default_factory=Records)
    learned: int = 0  # paragraphs learned as boilerplate when ``records`` were last checked


def file_key(path: Path) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # a symlink loop: rejected when read, keyed as given
        return os.path.abspath(path)


def load_manifest(build_dir: Path) -> dict[str, FileState]:
    try:
        raw = json.loads((Path(build_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    manifest = {}
    for key, value in raw.items():
        state = manifest[key] = FileState(**{**value, "records": Records(value.get("records"))})
        state.records.share(state.ids)  # one string per id, not one more in its record
    return manifest


def save_manifest(build_dir: Path, manifest: dict[str, FileState]) -> None:
    target = Path(build_dir) / MANIFEST
    tmp = target.with_suffix(".tmp")
    data = {k: vars(v) for k, v in sorted(manifest.items())}  # asdict would copy every record
    text = json.dumps(data, ensure_ascii=False, default=_records)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def _records(value: object) -> dict[str, str]:
    """A file's ``Records`` as JSON writes them: an object of entries by place."""
    if not isinstance(value, Records):
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")
    return dict(value.items())


def sha1_file(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stat_state(path: Path) -> tuple[int, int]:
    """Size and mtime of a regular file; OSError for anything else (a FIFO would block)."""
    st = Path(path).stat()
    if not stat.S_ISREG(st.st_mode):
        raise OSError(f"not a regular file: {path}")
    return st.st_size, st.st_mtime_ns
