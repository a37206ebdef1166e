"""Everything a hit must match besides its words: the query's own filters (``lang:``,
``source:``, dates), the page's language, the facet values clicked, the date-range form."""

from __future__ import annotations

from search.daterange import DateSpan
from search.facets import FACET_FIELDS
from search.request import SearchRequest
from search.tree import FieldIs, Filter, LangIs, QueryTree


def request_filters(
    tree: QueryTree, request: SearchRequest, span: DateSpan | None = None
) -> list[Filter]:
    filters = list(tree.filters)
    if request.lang:
        filters.append(LangIs(request.lang))
    for name, value in request.filters:
        filters.append(FieldIs(FACET_FIELDS[name], value))
    if span is not None:
        filters.append(span.range())
    return filters
