"""More like this, from the Whoosh index: the key terms of an article, searched."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

from index.analysis import lang_key
from index.schema import CLUSTER_FIELD, ID_FIELD, TEXT_PARTS, text_field
from search.results import StoredArticle
from search.similar import KEY_TERMS, Similar


def more_like_this(searcher: Searcher, article: StoredArticle, limit: int = 5) -> list[Similar]:
    """Articles of the same language sharing the article's key terms (Bo1 expansion over the
    index), never the article itself or its near-duplicates."""
    key = lang_key(article.lang)
    body_field = text_field("body", key)
    text = f"{article.title}\n\n{article.body}"
    if body_field not in searcher.schema or not text.strip():
        return []
    terms = [t for t, _ in searcher.key_terms_from_text(body_field, text, numterms=KEY_TERMS)]
    if not terms:
        return []
    q = wq.Or([wq.Term(text_field(part, key), t) for t in terms for part in TEXT_PARTS])
    mask = wq.Or([wq.Term(ID_FIELD, article.id), wq.Term(CLUSTER_FIELD, article.cluster)])
    results = searcher.search(q, limit=limit, mask=mask, terms=False)
    return [Similar.from_fields(hit.fields()) for hit in results]
