"""An article as the document every engine stores, and what a job knows of the stored ones.

``article_to_doc`` gives the fields of ``index.schema``: text goes to the fields of the
article's language. An engine may compute a document's text fields ahead, in the parsing
process (``prepare_values``): the document then carries those values instead of the text, as
long as the article still holds the very same strings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from index.analysis import lang_key
from index.article import Article
from index.dedup import Clusters
from index.known import KnownArticles
from index.schema import (
    CLUSTER_FIELD,
    DATED_FIELD,
    EXACT_FIELD,
    EXACT_TITLE_FIELD,
    HASH_FIELD,
    ID_FIELD,
    LANG_FIELD,
    MONTH_FIELD,
    PUBLISHED_FIELD,
    SIMHASH_FIELD,
    SOURCE_FIELD,
    SOURCE_KEY_FIELD,
    STORED_FIELDS,
    TEXT_HASH_FIELD,
    YEAR_FIELD,
    text_field,
)

Prepare = Callable[[Article], None]  # run on each new article in the parsing process


@dataclass
class IndexState:
    """What a job needs to know of the live index: hashes by id and by text, the clusters."""

    known: KnownArticles = field(default_factory=KnownArticles)  # by id and by text hash
    clusters: Clusters = field(default_factory=Clusters)

    def remember(
        self, article_id: str, content_hash: str, text_hash: str, simhash: str, cluster: str
    ) -> None:
        """Add one stored article (its hashes and cluster key, as the engine stored them)."""
        self.known.hold(article_id, content_hash, text_hash)
        if simhash:
            self.clusters.add(int(simhash, 16), cluster or article_id)


def text_key(article: Article) -> str:
    """Exact-duplicate key: the body, case-folded with white space collapsed."""
    text = " ".join(article.body.casefold().split())
    return hashlib.sha1(text.encode("utf-8")).hexdigest() if text else ""


def parse_published(date: str | None) -> datetime | None:
    """The article's ISO date as a naive UTC datetime for sorting, or None."""
    if not date:
        return None
    try:
        value = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def indexed_parts(article: Article) -> dict[str, str]:
    """The text indexed in each part's field: every word counts in exactly one field.

    The lead is the body's first paragraph; indexing it in both fields would count a lead
    match twice and let it outrank a title match.
    """
    body = article.body
    if article.lead and body.startswith(article.lead):
        body = body[len(article.lead) :].lstrip()
    return {"title": article.title, "lead": article.lead, "body": body}


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")
STANDIN_CHARS = 200


def standin_title(text: str) -> str:
    """What stands for the title of an untitled article in the exactness rules (never shown):
    its first line, cut after its first sentence, at most 200 characters. News text without
    a headline field opens with its headline or a teaser sentence (JSON exports, datasets)."""
    first = text.strip().split("\n", 1)[0]
    return _SENTENCE_END.split(first, maxsplit=1)[0][:STANDIN_CHARS]


def text_values(article: Article) -> dict[str, str]:
    """The article's analysed fields and their text: its language's title, lead and body
    fields, the exact field, and the source's words."""
    key = lang_key(article.lang)
    values = {text_field(part, key): text for part, text in indexed_parts(article).items() if text}
    values[SOURCE_KEY_FIELD] = article.source or ""
    values[EXACT_FIELD] = "\n\n".join(t for t in (article.title, article.body) if t)
    title = article.title or standin_title(article.lead or article.body)
    if title:
        values[EXACT_TITLE_FIELD] = title
    return values


_PREPARED = "_prepared_values"  # an instance attribute, not a field: ``replace()`` drops it


def _inputs(article: Article) -> tuple[str, ...]:
    return (article.title, article.lead, article.body, article.source or "", article.lang)


def prepare_values(article: Article, values: dict[str, object]) -> None:
    """Keep values computed ahead for the article's text fields (``text_values`` names)."""
    setattr(article, _PREPARED, (_inputs(article), values))


def prepared_values(article: Article) -> dict[str, object] | None:
    """The values computed ahead, while the article still holds the very same strings: any
    change since (a cleaned copy, a new body) means its text is analysed again."""
    ahead = getattr(article, _PREPARED, None)
    if ahead is not None and all(a is b for a, b in zip(ahead[0], _inputs(article), strict=True)):
        return ahead[1]
    return None


def article_to_doc(
    article: Article,
    content_hash: str,
    text_hash: str = "",
    simhash: int | None = None,
    cluster: str = "",
) -> dict:
    """The stored document of an article: text goes to the fields of its language."""
    doc: dict = {
        ID_FIELD: article.id,
        HASH_FIELD: content_hash,
        TEXT_HASH_FIELD: text_hash,
        SIMHASH_FIELD: f"{simhash:016x}" if simhash is not None else "",
        CLUSTER_FIELD: cluster or article.id,
        LANG_FIELD: article.lang or "",
        SOURCE_FIELD: article.source or "",
    }
    for name in STORED_FIELDS:
        doc[name] = getattr(article, name)
    # analysed here unless the parsing process prepared it (and learned boilerplate left it)
    doc.update(prepared_values(article) or text_values(article))
    published = parse_published(article.date)
    if published is not None:
        doc[PUBLISHED_FIELD] = published
        doc[DATED_FIELD] = "1"
        doc[YEAR_FIELD] = f"{published.year:04d}"
        doc[MONTH_FIELD] = f"{published.year:04d}-{published.month:02d}"
    return doc
