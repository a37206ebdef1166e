"""More like this on the bundled sample."""

from __future__ import annotations

from pathlib import Path

from whoosh.query import Term

from engines.whoosh.execute import get_article
from engines.whoosh.scoring import weighting
from engines.whoosh.similar import more_like_this
from engines.whoosh.writer import open_index


def test_similar_articles_share_the_subject(sample_index: Path):
    with open_index(sample_index).searcher(weighting=weighting()) as s:
        hits = list(s.search(Term("lang", "fr"), limit=None))
        spacex = next(h["id"] for h in hits if "Dragon" in (h.get("title") or ""))
        article = get_article(s, spacex)
        similar = more_like_this(s, article, limit=5)
    assert similar and len(similar) <= 5
    assert spacex not in {a.id for a in similar}
    assert all(a.lang == "fr" for a in similar)
    text = " ".join(a.title for a in similar).lower()
    assert any(w in text for w in ("spatial", "iss", "nasa", "espace", "spacex", "fusée"))
