"""JSON exports (``.json``, ``.json.gz``): a list of article records, or an object whose
``articles`` key holds that list. Records have the JSON Lines fields (``index.sources.jsonl``);
a bad record is rejected with its position and the others are read.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from index.article import Article
from index.records import Reuse, Unchanged, mark, record_digest
from index.sources.jsonl import article_from_record
from index.sources.limits import MAX_JSON_BYTES, read_capped, size_text
from index.sources.rejected import Rejected
from index.text import decode_bytes


def read_json(path: Path, reuse: Reuse | None = None) -> Iterator[Article | Rejected | Unchanged]:
    """The articles of a JSON file, gzip-compressed if its name ends in ``.gz``.

    Each article is marked with its record's place and the digest of the record
    (``index.records.mark``); ``reuse``: what stands for a record that need not be read
    (``index.records.RecordReuse``).
    """
    path = Path(path)
    try:
        with (gzip.open if path.name.lower().endswith(".gz") else open)(path, "rb") as handle:
            data = read_capped(handle, MAX_JSON_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejected(str(path), f"unreadable: {exc}")
        return
    if data is None:
        limit = size_text(MAX_JSON_BYTES)
        yield Rejected(str(path), f"larger than {limit} of JSON: split it, or use JSON Lines")
        return
    try:
        document = json.loads(decode_bytes(data))
    except json.JSONDecodeError as exc:
        yield Rejected(str(path), f"invalid JSON: {exc.msg} at line {exc.lineno}")
        return
    except RecursionError:
        yield Rejected(str(path), "invalid JSON: nested too deeply")
        return
    records, pointer = _records(document)
    if records is None:
        kind = type(document).__name__
        yield Rejected(str(path), f"not a list of articles nor an object with one, but {kind}")
        return
    for number, record in enumerate(records):
        where = f"{pointer}/{number}"
        if not isinstance(record, dict):
            yield Rejected(str(path), f"{where}: not a JSON object but {type(record).__name__}")
            continue
        digest = record_digest(_canonical(record))
        if reuse is not None and (same := reuse(where, digest, f"{path}#{where}")):
            yield same
            continue
        try:
            yield mark(article_from_record(record, f"{path}#{where}"), where, digest)
        except ValueError as exc:
            yield Rejected(str(path), f"{where}: {exc}")


def _canonical(record: dict) -> bytes:
    """A record's bytes, the same whatever its key order and spacing in the file."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _records(document: object) -> tuple[list | None, str]:
    """The list of records and its JSON Pointer ("" for the document, "/articles")."""
    if isinstance(document, list):
        return document, ""
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        return document["articles"], "/articles"
    return None, ""
