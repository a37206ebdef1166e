"""What the web process remembers per reader follows the index: a commit, with a new reader,
answers afresh (the archive's languages, known words, the indexed languages, the columns)."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.collect import column, vocabulary
from engines.whoosh.compile import indexed_langs
from engines.whoosh.execute import known_word, languages
from engines.whoosh.memo import reader_memo, segments_memo
from engines.whoosh.searchers import IndexHandle
from index.schema import LANG_FIELD


def record(i: str, lang: str, title: str, text: str) -> dict:
    return {"id": i, "lang": lang, "title": title, "text": text}


ENGLISH = record("1", "en", "Otters return", "The otters returned to the river this spring.")
FRENCH = record("2", "fr", "Les loutres", "Les loutres sont revenues dans la rivière.")


def test_reader_memo_is_one_dict_per_reader_and_name(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", [ENGLISH])], tmp_path / "ix")
    reader = IndexHandle(tmp_path / "ix").searcher().reader()
    other = IndexHandle(tmp_path / "ix").searcher().reader()
    memo = reader_memo(reader, "_test_memo")
    memo["k"] = 1
    assert reader_memo(reader, "_test_memo") is memo
    assert reader_memo(reader, "_test_other") == {}
    assert reader_memo(other, "_test_memo") == {}


def test_a_commit_brings_new_answers(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [ENGLISH])
    index_paths([src], tmp_path / "ix")
    handle = IndexHandle(tmp_path / "ix", refresh_seconds=0)
    before = handle.searcher()
    assert languages(before) == ["en"]
    assert known_word(before.reader(), "otter", "en")  # through its stem
    assert not known_word(before.reader(), "loutres", "fr")
    assert indexed_langs(before.schema, before.reader()) == ["en"]
    assert len(column(before, LANG_FIELD)) == 1

    write_jsonl(src, [ENGLISH, FRENCH])
    index_paths([src], tmp_path / "ix")
    after = handle.searcher()
    assert after is not before
    assert sorted(languages(after)) == ["en", "fr"]
    assert known_word(after.reader(), "loutre", "fr")
    assert sorted(indexed_langs(after.schema, after.reader())) == ["en", "fr"]
    names = vocabulary(LANG_FIELD).names
    assert sorted(names[code] for code in column(after, LANG_FIELD)) == ["en", "fr"]


def test_known_word_needs_every_stem_in_one_field(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", [ENGLISH])], tmp_path / "ix")
    reader = IndexHandle(tmp_path / "ix").searcher().reader()
    assert known_word(reader, "rivers", "en")
    assert not known_word(reader, "zebras", "en")
    assert not known_word(reader, "otters", "fr")  # no French text at all


def test_segments_memo_is_shared_by_readers_of_the_same_segments(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [ENGLISH])
    index_paths([src], tmp_path / "ix")
    one = IndexHandle(tmp_path / "ix").searcher().reader()
    two = IndexHandle(tmp_path / "ix").searcher().reader()
    assert one is not two
    assert segments_memo(one, "test") is segments_memo(two, "test")
    assert segments_memo(one, "test") is not segments_memo(one, "other")

    write_jsonl(src, [ENGLISH, FRENCH])
    index_paths([src], tmp_path / "ix")
    newer = IndexHandle(tmp_path / "ix").searcher().reader()
    assert segments_memo(newer, "test") is not segments_memo(one, "test")


def two_jobs_reader(tmp_path: Path):
    """A reader of an index fed by two jobs: English, then French added."""
    index_paths([write_jsonl(tmp_path / "a.jsonl", [ENGLISH])], tmp_path / "ix")
    index_paths(
        [write_jsonl(tmp_path / "a.jsonl", [ENGLISH]), write_jsonl(tmp_path / "b.jsonl", [FRENCH])],
        tmp_path / "ix",
    )
    return IndexHandle(tmp_path / "ix").searcher().reader()


def test_term_lookup_answers_for_every_segment(tmp_path: Path):
    from engines.whoosh.memo import term_lookup

    reader = two_jobs_reader(tmp_path)
    has = term_lookup(reader)
    assert has("exact", "otters") and has("exact", "loutres")  # one segment each, or one merged
    assert not has("exact", "badgers") and not has("title_en", "loutres")
    assert has("exact", "otters")  # remembered answers are the same


def test_term_lookup_is_the_readers_membership_for_every_term(tmp_path: Path):
    from engines.whoosh.memo import term_lookup

    reader = two_jobs_reader(tmp_path)
    has = term_lookup(reader)
    fields = ("exact", "exact_title", "title_en", "body_en", "lead_fr", "body_fr", "lang")
    listed = {(f, t.decode()) for f in fields for t in reader.lexicon(f)}
    assert len(listed) > 20
    for fieldname, text in listed:
        assert has(fieldname, text)
        for other in fields:  # every term asked in every field: present only where listed
            assert has(other, text) == ((other, text) in listed) == ((other, text) in reader)
    assert not has("exact", "badgers") and not has("nofield", "otters")
