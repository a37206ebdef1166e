"""Run a validated request against an open Whoosh searcher and build the result."""

from __future__ import annotations

import functools
import time
from dataclasses import replace

from whoosh import query as wq
from whoosh import sorting
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from engines.whoosh.collect import collect
from engines.whoosh.columns import column_reader
from engines.whoosh.compile import compile_request
from engines.whoosh.memo import reader_memo, segments_memo, term_lookup
from engines.whoosh.scoring import recency_weighting
from engines.whoosh.spelling import closest
from index.analysis import analyze_query, lang_key
from index.schema import (
    CLUSTER_FIELD,
    DATED_FIELD,
    EXACT_FIELD,
    ID_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    TEXT_PARTS,
    text_field,
)
from search import notices as say
from search.daterange import DateSpan
from search.facets import FACET_FIELDS, facet_lists
from search.notices import Notice
from search.request import SearchRequest
from search.results import Hit, SearchResult, StoredArticle
from search.snippets import highlight_all, lead_snippet, make_snippet
from search.suggest import SUGGEST_PREFIX, corrected_query, corrections
from search.tree import Phrase, QueryTree


def _hit(
    fields: dict,
    score: float,
    terms: dict[str, set[str]],
    cluster_size: int,
    phrases: tuple[str, ...] = (),
) -> Hit:
    key = lang_key(fields.get("lang"))
    wanted = terms.get(key, set())
    body = fields.get("body") or ""
    snippet = make_snippet(body, key, wanted, phrases=phrases) or lead_snippet(
        fields.get("lead") or body
    )
    title = highlight_all(fields.get("title") or "", key, wanted, phrases)
    return Hit.from_fields(fields, score, snippet, title, cluster_size)


def newest_published(searcher: Searcher) -> int | None:
    """Whoosh's long form of the newest publication date in the index, or None."""
    newest = searcher.search(
        wq.Every(),
        filter=wq.Term(DATED_FIELD, "1"),
        sortedby=sorting.FieldFacet(PUBLISHED_FIELD, reverse=True),
        limit=1,
    )
    if not newest:
        return None
    column = column_reader(searcher.reader(), PUBLISHED_FIELD, translate=False)
    return column[newest.docnum(0)]


def with_recency(searcher: Searcher) -> Searcher:
    """A searcher over the same reader whose scores include the recency rule."""
    weighting = recency_weighting(newest_published(searcher))
    return Searcher(searcher.reader(), weighting=weighting, closereader=False)


def run_search(
    searcher: Searcher, request: SearchRequest, span: DateSpan | None = None
) -> SearchResult:
    """Ranked, paged, collapsed hits with snippets and facets for a validated request,
    optionally only those published within ``span``."""
    started = time.perf_counter()
    if request.recency and request.sort == "relevance":
        searcher = with_recency(searcher)
    compiled = compile_request(searcher, request, span)
    # One pass: the page collapsed on the cluster key, totals and facets counting stories,
    # not copies (collect.py).
    found = collect(
        searcher,
        compiled.query,
        compiled.filter,
        page=request.page,
        pagelen=request.limit,
        sort=request.sort,
        collapse=request.collapse,
        facets=FACET_FIELDS,
    )
    total = found.total
    notices = list(compiled.tree.notices)
    phrases = tuple(  # shown where they occur, one span each (search/snippets.py)
        c.text for c in compiled.tree.positive_clauses() if isinstance(c, Phrase)
    )
    if found.partial:
        notices.append(Notice(say.TOO_SLOW))
    hits = [
        _hit(
            searcher.stored_fields(docnum),
            score if request.sort == "relevance" else 0.0,
            compiled.terms,
            found.cluster_sizes[docnum],
            phrases,
        )
        for docnum, score in found.page
    ]
    facets = facet_lists(found.facets)
    respell = functools.partial(suggest, searcher, compiled.tree, request, span, total)
    return SearchResult.of_page(request, started, total, hits, notices, facets, respell)


def suggest(
    searcher: Searcher,
    tree: QueryTree,
    request: SearchRequest,
    span: DateSpan | None,
    total: int,
) -> str | None:
    """A corrected query from the index's own vocabulary, close in the query's language, and
    only when it finds more than the query did (search/suggest.py); else None."""
    if EXACT_FIELD not in searcher.schema:
        return None
    reader = searcher.reader()

    @functools.cache  # each word is asked about twice (its language, then whether it is known)
    def languages_of(word: str) -> set[str]:
        return {lang for lang in tree.langs if known_word(reader, word, lang)}

    def candidates(folded: str, edits: int) -> list[str]:
        # Candidates share the first letters: typos rarely touch them, and whoosh compares
        # the word with every term of the vocabulary otherwise (seconds on a large index).
        # The closest one only (engines/whoosh/spelling.py: the quick walk of the prefix's
        # terms); OpenSearch's term suggester gives a few, best first.
        found = closest(reader, EXACT_FIELD, folded, maxdist=edits, prefix=SUGGEST_PREFIX)
        return [found] if found else []

    better = corrected_query(tree.text, corrections(tree, languages_of, candidates))
    if better is None:
        return None
    respelled = compile_request(searcher, replace(request, q=better), span)
    found = collect(
        searcher,
        respelled.query,
        respelled.filter,
        page=1,
        pagelen=1,
        sort="relevance",
        collapse=request.collapse,
    )
    return better if found.total > total else None


_KNOWN_WORDS = "known_words"  # the segments' answers of ``known_word``
MAX_KNOWN_WORDS = 50_000  # (word, language) answers kept for the same segments
_LANGUAGES = "_manchette_languages"  # a reader's ``languages`` answer


def known_word(reader: IndexReader, word: str, lang: str) -> bool:
    """Whether the language's vocabulary knows ``word``: every stem the query analysis makes
    of it is a term of one of the language's text fields (remembered per segments: a query
    asks about each of its words in every language of the archive, each a term lookup in
    every segment; shared by the server's threads, whose readers read the same segments)."""
    memo = segments_memo(reader, _KNOWN_WORDS)
    key = (word, lang)
    known = memo.get(key)
    if known is None:
        stems = analyze_query(word, lang)
        names = [n for n in (text_field(p, lang) for p in TEXT_PARTS) if n in reader.schema]
        # A term of the index has postings (a frequency above 0) in the segments that list it.
        has = term_lookup(reader)
        known = bool(stems) and any(all(has(n, s) for s in stems) for n in names)
        if len(memo) >= MAX_KNOWN_WORDS:
            memo.clear()
        memo[key] = known
    return known


def languages(searcher: Searcher) -> list[str]:
    """The language codes of the archive's articles, most articles first (the language
    field's terms: a lexicon walk, no search; once per reader, as every page's form asks)."""
    reader = searcher.reader()
    memo = reader_memo(reader, _LANGUAGES)
    if "codes" not in memo:
        counts = {
            term.decode(): reader.doc_frequency(LANG_FIELD, term)
            for term in reader.lexicon(LANG_FIELD)
        }
        memo["codes"] = sorted(
            (code for code, n in counts.items() if n), key=lambda c: (-counts[c], c)
        )
    return list(memo["codes"])


def get_article(searcher: Searcher, article_id: str) -> StoredArticle | None:
    fields = searcher.document(**{ID_FIELD: article_id})
    if fields is None:
        return None
    return StoredArticle.from_fields(fields, CLUSTER_FIELD)
