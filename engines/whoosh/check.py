"""Is the index on disk sound? ``manchette check``: read everything, compare the counts.

The check only reads. For the live build it verifies, segment by segment:

- the table of contents opens and names segments whose files exist;
- every live document's stored fields decode, with an id and a content hash;
- every field's term dictionary and postings match the checksums written with them
  (``engines.whoosh.codec``), and every posting list of every field decodes, its documents in
  order and inside the segment, and as many as the term's document frequency says;
- the id column, the stored ids and the postings of the ``id`` field agree, and no id is live
  twice (an update that left its old copy behind);
- the counts add up: documents in the segments = live ids = the reader's ``doc_count``.

Problems make the index unsound (exit 3). Notes are harmless: leftovers of a killed job (the
next job clears them), files Whoosh no longer uses, a manifest that lags behind the index
(the next run re-reads those files), a job running right now.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh.index import FileIndex

from engines.base import (
    CheckReport,
    IndexMissing,
    RebuildRequired,
    SegmentCheck,
    digest_pairs,
)
from engines.whoosh import compat
from engines.whoosh.codec import ArrayTermsReader
from engines.whoosh.columns import column_reader
from engines.whoosh.writer import known_hashes, open_index
from index.layout import CURRENT, LOCK_FILE, leftovers, live_dir, lock_holder
from index.manifest import load_manifest
from index.schema import HASH_FIELD, ID_FIELD

MAX_LISTED = 50  # problems listed in a report; the rest are counted


def check_index(index_dir: Path) -> CheckReport:
    """Read the whole live index and report whether it is sound; never raises for bad data."""
    index_dir = Path(index_dir)
    report = CheckReport(index_dir=str(index_dir))
    link = index_dir / CURRENT
    if link.is_symlink() and not link.resolve().is_dir():
        report.problems.append(f"{CURRENT} points to a missing directory: {link.readlink()}")
        return report
    try:
        ix = open_index(index_dir)
        empty = ix.is_empty()  # a job that committed no article (an empty folder indexed)
    except IndexMissing:  # no job ever committed (or the first one was killed)
        empty = True
    except RebuildRequired as exc:
        report.problems.append(str(exc))
        return report
    except Exception as exc:  # a table of contents that does not load
        report.problems.append(_failure("the index does not open", exc))
        return report
    if empty:
        report.committed = False
        report.problems.append(
            f"no indexing job has committed any article in {index_dir}: run "
            f"`manchette index PATH --index-dir {index_dir}` on files that hold articles"
        )
        return report
    report.live = str(live_dir(index_dir))
    for step in (_check_contents, _check_surroundings):
        try:
            step(index_dir, ix, report)
        except Exception as exc:  # corrupt files raise anything from struct.error to EOFError
            report.problems.append(_failure("reading the index failed", exc))
            break
    if len(report.problems) > MAX_LISTED:
        more = len(report.problems) - MAX_LISTED
        report.problems[MAX_LISTED:] = [f"... and {more} more problems"]
    return report


def _failure(what: str, exc: Exception) -> str:
    """A problem for a user: what failed and the error's own words, never its class name."""
    detail = str(exc).strip()
    return f"{what}: {detail}" if detail else f"{what}: a file of the index is damaged"


def _check_contents(index_dir: Path, ix: FileIndex, report: CheckReport) -> None:
    report.generation = ix.latest_generation()
    pairs: dict[str, str] = {}
    with ix.reader() as reader:
        for leaf, offset in reader.leaf_readers():
            seg = _check_segment(leaf, report, pairs, compat.segment_id(leaf) or str(offset))
            report.segments.append(seg)
        total = reader.doc_count()
    report.articles = len(pairs)
    if total != len(pairs):
        report.problems.append(f"the reader counts {total} documents but {len(pairs)} ids are live")
    report.digest = digest_pairs(pairs)


def content_digest(ix: FileIndex) -> str:
    """``digest_pairs`` of the committed state of ``ix``, from its columns (fast)."""
    return digest_pairs(known_hashes(ix))


def _check_segment(leaf, report: CheckReport, pairs: dict[str, str], name: str) -> SegmentCheck:
    size = leaf.doc_count_all()
    live = [n for n in range(size) if not leaf.is_deleted(n)]
    seg = SegmentCheck(name=name, documents=len(live), deleted=size - len(live))
    ids = leaf.column_reader(ID_FIELD)
    hashes = leaf.column_reader(HASH_FIELD)
    for docnum in live:
        stored = leaf.stored_fields(docnum)
        article_id = stored.get(ID_FIELD)
        if not article_id or article_id != ids[docnum]:
            report.problems.append(f"document {docnum}: stored id {article_id!r} != column")
            continue
        if not hashes[docnum]:
            report.problems.append(f"article {article_id!r} has no content hash")
        if article_id in pairs:
            report.problems.append(f"article {article_id!r} is live twice")
        pairs[article_id] = hashes[docnum]
    terms = compat.terms_reader(leaf)
    if isinstance(terms, ArrayTermsReader):
        report.problems.extend(f"segment {seg.name}: {p}" for p in terms.verify())
    for fieldname, text in leaf.all_terms():
        seg.terms += 1
        frequency = leaf.doc_frequency(fieldname, text)
        docs = list(leaf.postings(fieldname, text).all_ids())
        seg.postings += len(docs)
        # postings skip deleted documents; the frequency counts them until a merge
        count_ok = len(docs) == frequency if not seg.deleted else len(docs) <= frequency
        if not count_ok or docs != sorted(set(docs)) or (docs and docs[-1] >= size):
            report.problems.append(f"postings of {fieldname}:{text!r} are inconsistent")
        elif fieldname == ID_FIELD:
            alive = [d for d in docs if not leaf.is_deleted(d)]
            if len(alive) > 1:
                report.problems.append(f"id {text!r} has {len(alive)} live documents")
    return seg


def _check_surroundings(index_dir: Path, ix: FileIndex, report: CheckReport) -> None:
    """Notes on what lies around the index: leftovers, unused files, manifest, a running job."""
    for path in leftovers(index_dir):
        report.notes.append(f"leftover of an interrupted job (the next job clears it): {path}")
    storage = ix.storage
    used = compat.committed_segment_ids(ix)
    toc = compat.toc_file_pattern(ix)
    segment = compat.segment_file_pattern(ix)
    for name in storage.list():
        match = segment.match(name)
        if match and match.group(1) not in used:
            report.notes.append(f"unused segment file (deleted at the next commit): {name}")
        toc_match = toc.match(name)
        if toc_match and int(toc_match.group(1)) != report.generation:
            report.notes.append(f"old table of contents: {name}")
    for seg_id in sorted(used):
        if not any(n.startswith(f"{seg_id}.") for n in storage.list()):
            report.problems.append(f"the files of segment {seg_id} are missing")
    manifest = load_manifest(Path(report.live))
    listed = {i for state in manifest.values() for i in state.ids}
    missing = len(listed) - len(listed & set(_live_ids(ix)))
    if missing:
        report.notes.append(
            f"{missing} id(s) of the file manifest are not in the index (an interrupted run; "
            "the next run reads those files again)"
        )
    holder = lock_holder(index_dir)  # never flock: a job starting now must not see it taken
    if holder:
        alive = _pid_alive(holder.get("pid"))
        report.notes.append(
            f"{LOCK_FILE} names pid {holder.get('pid')} (started {holder.get('started')}): "
            + ("a job is running" if alive else "it was killed; the next job cleans up after it")
        )


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _live_ids(ix: FileIndex) -> list[str]:
    with ix.reader() as reader:
        ids = column_reader(reader, ID_FIELD)
        return [ids[n] for n in reader.all_doc_ids()]
