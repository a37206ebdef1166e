"""engines.whoosh.writer.analyse_ahead: postings computed in the parsing process (by the fast
path of ``index.analysis.postings``) make the very index the writer's own analysis makes."""

from __future__ import annotations

import pickle
from pathlib import Path

from builders import SAMPLE_DIR
from engines import index_paths
from engines.whoosh.schema import Analysed, AnalysedText, build_schema
from engines.whoosh.writer import Preparer, analyse_ahead, analyse_left, open_index
from index.document import article_to_doc, prepared_values, text_values
from index.parallel import safe_items


def _postings(index_dir: Path) -> dict:
    """Every field's terms with their postings (document number, encoded value), the field
    lengths and the stored ids, read from the index."""
    ix = open_index(index_dir)
    found: dict = {}
    with ix.reader() as reader:
        found["ids"] = [stored["id"] for _, stored in reader.iter_docs()]
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            rows = []
            while matcher.is_active():
                rows.append((matcher.id(), matcher.value()))
                matcher.next()
            found[fieldname, term] = rows
        for fieldname in ix.schema.scorable_names():
            found["lengths", fieldname] = [
                reader.doc_field_length(n, fieldname) for n in range(reader.doc_count_all())
            ]
    return found


def test_the_sample_indexed_with_and_without_analysis_ahead_is_the_same(tmp_path: Path) -> None:
    # parse_workers=0: the writer analyses each text itself (field.index, the chains);
    # parse_workers=1: the parsing process analyses ahead (analyse_ahead, the fast path).
    by_writer = index_paths([SAMPLE_DIR], tmp_path / "writer", parse_workers=0)
    ahead = index_paths([SAMPLE_DIR], tmp_path / "ahead", parse_workers=1)
    assert ahead.added == by_writer.added > 100
    mine, theirs = _postings(tmp_path / "ahead"), _postings(tmp_path / "writer")
    assert len(mine) > 10_000
    assert mine == theirs


def test_analyse_ahead_keeps_field_index_items_on_the_article() -> None:
    schema = build_schema()
    articles = [a for a in safe_items(SAMPLE_DIR / "sample.jsonl")][:30]
    prepare = Preparer()
    for article in articles:
        prepare(article)
        values = prepared_values(article)
        assert values is not None
        texts = text_values(article)
        assert list(values) == list(texts)
        for name, text in texts.items():
            found = values[name]
            assert isinstance(found, Analysed)
            assert found.items == list(schema[name].index(text))
        analyse_ahead(article, schema)  # again: the memoised words give the same items
        assert {n: v.items for n, v in prepared_values(article).items()} == {
            n: v.items for n, v in values.items()
        }


def test_text_left_to_the_writer_is_analysed_as_whooshs_chains_do() -> None:
    schema = build_schema()
    articles = [a for a in safe_items(SAMPLE_DIR / "sample.jsonl")][:30]
    for article in articles:
        doc = article_to_doc(article, "hash")  # nothing prepared: the texts are strings
        texts = {
            name: value
            for name, value in doc.items()
            if isinstance(value, str) and name in schema and isinstance(schema[name], AnalysedText)
        }
        assert len(texts) >= 3
        stored = {name: value for name, value in doc.items() if name not in texts}
        analyse_left(doc, schema)
        for name, text in texts.items():
            assert isinstance(doc[name], Analysed)
            assert doc[name].items == list(schema[name].index(text))
        assert {name: doc[name] for name in stored} == stored  # the other fields untouched


def test_analysed_items_cross_processes_packed() -> None:
    items = [
        (b"harbour", 2, 2.0, b"\x01\x02"),
        (b"ship", 1, 1.5, b""),
        ("é".encode(), 3, 3.0, b"x"),
    ]
    found = pickle.loads(pickle.dumps(Analysed(items)))
    assert found.items == items
    assert found.terms == (b"harbour", b"ship", "é".encode()) and found.length == 6
    assert found.blob == b"\x01\x02x"
    empty = pickle.loads(pickle.dumps(Analysed([])))
    assert empty.items == [] and empty.terms == () and empty.length == 0
