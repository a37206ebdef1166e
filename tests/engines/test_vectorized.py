"""The vectorised executor against Whoosh's matchers: same documents, same scores.

Both paths run on real indexes built by the real indexer: the bundled sample, and a small
corpus indexed in three commits (several segments, replaced articles leaving deleted
documents behind). Queries are generated from the indexes' own vocabulary, in every form the
query language has (``engines/whoosh/equivalence.py`` runs both paths on one request).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from builders import write_jsonl
from engines import index_paths
from engines.whoosh import vectorized
from engines.whoosh.collect import collect
from engines.whoosh.equivalence import compare
from engines.whoosh.execute import run_search
from engines.whoosh.searchers import IndexHandle
from search.daterange import DateSpan
from search.request import SearchRequest

SEED = 1313
WORD = re.compile(r"\w{2,}")


@pytest.fixture(scope="module")
def sample(sample_index: Path) -> IndexHandle:
    return IndexHandle(sample_index)


def _record(i: int, rng: random.Random, words: list[str], lang: str) -> dict:
    title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 7)))
    body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 120)))
    year = rng.choice(["2011", "2014", "2019", None])
    record = {"id": f"r{i}", "lang": lang, "source": rng.choice(["Wire", "Le Monde", "Herald"]),
              "title": title.capitalize(), "text": f"{body}.\n\n{body[::-1]}."}  # fmt: skip
    if year:
        record["date"] = f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    return record


# fmt: off
ENGLISH = ["the", "bank", "rates", "rate", "raised", "inflation", "markets", "market", "central",
           "prices", "price", "governor", "new", "york", "new", "the", "of", "rates", "bank",
           "bank", "banking", "banker", "tight", "growth", "policy"]
FRENCH = ["la", "banque", "taux", "centrale", "les", "prix", "marché", "marchés", "inflation",
          "de", "la", "hausse", "politique", "gouverneur", "nouvelle"]
# fmt: on


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> IndexHandle:
    """Three commits: three segments (at least until a merge), with replaced articles."""
    base = tmp_path_factory.mktemp("vectorized")
    rng = random.Random(SEED)
    records = [_record(i, rng, ENGLISH, "en") for i in range(60)]
    records += [_record(i, rng, FRENCH, "fr") for i in range(60, 90)]
    index_dir = base / "ix"
    first = write_jsonl(base / "a.jsonl", records[:50])
    index_paths([first], index_dir)
    second = write_jsonl(base / "b.jsonl", records[50:])
    index_paths([first, second], index_dir)
    for record in records[:10]:  # edited: the old versions become deleted documents
        record["text"] += " banking rates again"
    write_jsonl(base / "a.jsonl", records[:50])
    index_paths([first, second], index_dir)
    handle = IndexHandle(index_dir)
    reader = handle.searcher().reader()
    assert reader.has_deletions() and len(reader.leaf_readers()) > 1
    return handle


def vocabulary(handle: IndexHandle, limit: int = 400) -> list[str]:
    reader = handle.searcher().reader()
    words: set[str] = set()
    for fields in reader.all_stored_fields():
        text = f"{fields.get('title') or ''} {(fields.get('body') or '')[:300]}"
        words.update(WORD.findall(text))
    return sorted(words)[:limit] if len(words) <= limit else sorted(words)


def queries(words: list[str], count: int, seed: int = SEED) -> list[str]:
    """Every form of the query language, over the given words."""
    rng = random.Random(seed)
    forms = [
        lambda w: w[0],
        lambda w: f"{w[0]} {w[1]}",
        lambda w: " ".join(w[:3]),
        lambda w: " ".join(w[: rng.randint(8, 16)]),  # a pasted headline
        lambda w: f'"{w[0]} {w[1]}"',
        lambda w: f'"{w[0]} {w[1]} {w[2]}" {w[3]}',
        lambda w: f"{w[0]} OR {w[1]}",
        lambda w: f"{w[0]} -{w[1]}",
        lambda w: f"{w[0]} NOT {w[1]} {w[2]}",
        lambda w: f"{w[0][:3]}*",
        lambda w: f"{w[0][:2]}* {w[1]}",
        lambda w: f"title:{w[0]}",
        lambda w: f'title:"{w[0]} {w[1]}"',
        lambda w: f"lead:{w[0]} {w[1]}",
        lambda w: f"{w[0]} lang:en",
        lambda w: f"{w[0]} lang:fr",
        lambda w: f"{w[0]} date:2010..2015",
        lambda w: f"{w[0]} after:2012",
        lambda w: f"{w[0]} source:wire",
        lambda w: f"source:wikinews {w[0]}",
        lambda w: "date:2011",
        lambda w: f"-{w[0]}",
        lambda w: f"{w[0]} {w[0].upper()} {w[0]}",
    ]
    made = []
    for i in range(count):
        picked = [rng.choice(words) for _ in range(16)]
        made.append(forms[i % len(forms)](picked))
    return made


def variants(q: str, rng: random.Random) -> list[SearchRequest]:
    return [
        SearchRequest(q=q).validate(),
        SearchRequest(q=q, sort=rng.choice(["newest", "oldest"])).validate(),
        SearchRequest(q=q, recency=True).validate(),
        SearchRequest(q=q, lang=rng.choice(["en", "fr"]), collapse=False).validate(),
        SearchRequest(q=q, filters=(("year", rng.choice(["2011", "2012", "2014"])),)).validate(),
    ]


def check_all(handle: IndexHandle, texts: list[str]) -> int:
    """Runs every request through both paths; returns how many matched anything."""
    rng = random.Random(SEED)
    searcher = handle.searcher()
    problems, declined, matched = [], [], 0
    for text in texts:
        for request in variants(text, rng):
            outcome = compare(searcher, request)
            if not outcome.vectorised:
                declined.append(request)
            if outcome.problem:
                problems.append(outcome.problem)
            matched += outcome.matches > 0
    assert not problems, problems[:10]
    # Only negations that exclude documents go to the matchers (see the AndNot test below).
    assert all(" -" in r.q or r.q.startswith("-") or " NOT " in r.q for r in declined), declined
    assert len(declined) < len(texts)  # the rest is vectorised
    return matched


def test_sample_queries_give_the_matchers_hits_and_scores(sample):
    texts = queries(vocabulary(sample), 230)
    matched = check_all(sample, texts)
    assert matched > 300  # the queries find things: the comparison is not of empty sets


def test_segments_and_deleted_documents_give_the_matchers_hits_and_scores(segmented):
    texts = queries(sorted(set(ENGLISH + FRENCH)), 115, seed=SEED + 1)
    texts += ['"new york"', '"the bank bank"', '"bank bank"', '"la banque"', "rates bank"]
    matched = check_all(segmented, texts)
    assert matched > 300


def test_a_date_span_filter_gives_the_matchers_hits(sample):
    searcher = sample.searcher()
    span = DateSpan.from_params("2010-01-01", "2013-12-31")
    assert span is not None
    for q in ("the", "obama", "de la", ""):
        request = SearchRequest(q=q or "date:2000..2030").validate()
        outcome = compare(searcher, request, span)
        assert outcome.vectorised and outcome.problem is None


def test_decoded_postings_are_the_matchers_postings(sample):
    """Every term of a few fields: the arrays hold what the matcher walks, block by block."""
    reader = sample.searcher().reader()
    seen_blocks = 0
    for segment in reader.leaf_readers():
        sub = segment[0]
        for fieldname in ("exact", "title_en", "body_fr"):
            positions = sub.schema[fieldname].format.supports("positions")
            lexicon = list(sub.lexicon(fieldname))
            lexicon.sort(key=lambda t, f=fieldname: -sub.doc_frequency(f, t))
            for tbytes in lexicon[:300]:  # the longest lists
                vectorized.CACHE.clear()
                found = vectorized.postings(sub, fieldname, tbytes, values=positions)
                matcher = sub.postings(fieldname, tbytes)
                ids, weights, values = [], [], []
                while matcher.is_active():
                    ids.append(matcher.id())
                    weights.append(matcher.weight())
                    values.append(matcher.value() if positions else None)
                    matcher.next()
                assert found is not None
                assert found.ids.tolist() == ids
                assert found.weights.tolist() == weights
                assert list(found.values or [None] * len(ids)) == values
                seen_blocks += len(ids) > 128
    assert seen_blocks  # some lists span several blocks


def test_an_unknown_node_falls_back_to_the_matchers(sample):
    searcher = sample.searcher()
    fuzzy = wq.FuzzyTerm("exact", "obam", maxdist=1)
    assert vectorized.matches(searcher, fuzzy, None, scored=True) is None
    found = collect(searcher, fuzzy, None, page=1, pagelen=10)
    assert found.total > 0  # answered all the same, by the matchers


def test_run_search_pages_are_the_same_on_both_paths(sample):
    texts = queries(vocabulary(sample), 40, seed=SEED + 2)
    searcher = sample.searcher()
    for text in texts:
        request = SearchRequest(q=text).validate()
        fast = run_search(searcher, request)
        vectorized.ENABLED = False
        try:
            slow = run_search(searcher, request)
        finally:
            vectorized.ENABLED = True
        assert [h.id for h in fast.hits] == [h.id for h in slow.hits], text
        assert np.allclose([h.score for h in fast.hits], [h.score for h in slow.hits], rtol=1e-6)
        assert fast.total == slow.total and fast.facets == slow.facets


def hand_made(words: list[str]) -> list[wq.Query]:
    """Query objects the parser does not build: boosts on compounds, one-child compounds,
    empty ones, a boosted or zero-weighted Every, nested negations, repeated phrase words."""
    a, b, c = words[:3]
    term = lambda w, f="exact", boost=1.0: wq.Term(f, w, boost=boost)  # noqa: E731
    return [
        wq.Or([term(a), term(b, "body_en", 2.0)], boost=3.0),
        wq.And([term(a), wq.Or([term(b), term(c)])], boost=0.5),
        wq.Or([term(a, "title_en", 4.0)], boost=9.0),  # one child: Whoosh ignores the boost
        wq.And([]),
        wq.And([term(a), wq.NullQuery]),
        wq.Or([wq.NullQuery, term(b)]),
        wq.Every(boost=0.0),
        wq.Every(boost=2.5),
        wq.AndNot(wq.Every(), wq.Or([term(a), term(b)])),
        wq.AndNot(wq.AndNot(term(a), term(b)), term(c)),
        wq.AndNot(term(a), term("zzzz-absent")),  # nothing to exclude
        wq.And([term(c), wq.AndNot(term(a), wq.Phrase("exact", [b, c, b, c]))]),
        wq.Phrase("exact", [a, a]),
        wq.Phrase("exact", [a, b, a], boost=2.0),
        wq.Phrase("exact", [a]),
        wq.Term("nosuchfield", a),
        wq.Term("lang", "en"),  # an unscorable field: its weight is the score
    ]


@pytest.mark.parametrize("scored", [True, False])
def test_hand_made_query_objects_give_the_matchers_hits_and_scores(sample, scored):
    from engines.whoosh.collect import walk

    searcher = sample.searcher()
    words = ["the", "of", "obama", "new", "york", "police", "de", "la"]
    checked = 0
    for first in range(0, len(words) - 2, 2):
        for q in hand_made(words[first:]):
            for filter in (None, wq.Term("lang", "en"), wq.Or([wq.Term("lang", "fr")])):
                fast = vectorized.matches(searcher, q, filter, scored=scored)
                ids, scores, _ = walk(searcher, q, filter, scored, 3600.0)
                if fast is None:  # only a negation that excludes something is declined
                    assert "ANDNOT" in str(q), q
                    continue
                assert fast[0].tolist() == ids.tolist(), q
                assert np.allclose(fast[1], scores, rtol=1e-6, atol=0), q
                checked += len(ids) > 0
    assert checked > 50


def test_a_negation_that_excludes_is_left_to_whoosh(sample):
    """Whoosh's AndNotMatcher keeps the positive side's document unchecked when it is built
    while the negative side sits before it: its answers are not always "a minus b", so only
    a negation that excludes nothing is executed here."""
    from engines.whoosh.collect import walk

    searcher = sample.searcher()
    the, of = wq.Term("exact", "the"), wq.Term("exact", "of")
    assert vectorized.matches(searcher, wq.AndNot(the, of), None, scored=True) is None
    ids, _, _ = walk(searcher, wq.AndNot(the, of), None, True, 3600.0)
    found = collect(searcher, wq.AndNot(the, of), None, page=1, pagelen=10, collapse=False)
    assert found.total == len(ids)  # answered by the matchers, as before


def test_a_phrase_on_a_field_without_positions_is_left_to_whoosh(sample):
    searcher = sample.searcher()
    assert (
        vectorized.matches(searcher, wq.Phrase("body_en", ["new", "york"]), None, scored=True)
        is None
    )


def test_terms_no_segment_holds_are_left_out_and_change_no_hit_or_score(segmented):
    """The compiled query leaves out the fields where a word's tokens are not terms of any
    segment; both paths then give what the query with every field gives."""
    from engines.whoosh.collect import walk
    from engines.whoosh.compile import compile_request, compile_tree, parse_for

    searcher = segmented.searcher()
    texts = queries(sorted(set(ENGLISH + FRENCH)), 46, seed=SEED + 3)
    texts += ["banque zzzqqq", "zzzqqq", '"la banque" rates', "rates OR zzzqqq"]
    fewer = 0
    for text in texts:
        request = SearchRequest(q=text).validate()
        pruned = compile_request(searcher, request)
        every = compile_tree(parse_for(searcher, text), searcher.schema)
        ids, scores, _ = walk(searcher, every.query, every.filter, True, 3600.0)
        for path in ("matchers", "vectorised"):
            if path == "vectorised":
                found = vectorized.matches(searcher, pruned.query, pruned.filter, scored=True)
                if found is None:
                    continue
                got_ids, got_scores = found
            else:
                got_ids, got_scores, _ = walk(searcher, pruned.query, pruned.filter, True, 3600.0)
            assert got_ids.tolist() == ids.tolist(), (text, path)
            assert np.allclose(got_scores, scores, rtol=1e-6, atol=0), (text, path)
        fewer += len(pruned.query.all_terms()) < len(every.query.all_terms())
    assert fewer > len(texts) // 2  # most queries lose fields: the check is not of equal trees
