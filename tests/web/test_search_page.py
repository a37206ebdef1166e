"""What a person sees on the search page: filters, date range, histogram, paging, empty states."""

from __future__ import annotations

import re

import pytest


def html(client, **params) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_date_range_narrows_the_hits(small):
    everything = small.get("/search.json", query_string={"q": "kumquat"}).get_json()
    ranged = small.get(
        "/search.json", query_string={"q": "kumquat", "from": "2016-02", "to": "2016-04-15"}
    ).get_json()
    assert everything["total"] == 17
    assert ranged["total"] == 3
    assert sorted(h["date"] for h in ranged["hits"]) == ["2016-02-01", "2016-03-01", "2016-04-01"]
    just_a_year = small.get(
        "/search.json", query_string={"q": "kumquat", "from": "2015", "to": "2015"}
    )
    assert just_a_year.get_json()["total"] == 4


def test_date_range_is_kept_in_the_form_and_the_links(small):
    page = html(small, q="kumquat", **{"from": "2016-02", "to": "2016-11"})
    assert 'id="from" name="from" value="2016-02"' in page
    assert 'id="to" name="to" value="2016-11"' in page
    assert "from=2016-02&amp;to=2016-11" in page  # facet links keep the range
    assert 'id="clear-dates" href="/search?q=kumquat"' in page


@pytest.mark.parametrize(
    "dates",
    [
        {"from": "2016-13"},
        {"from": "yesterday"},
        {"to": "2016-02-30"},
        {"from": "2017", "to": "2016"},
    ],
)
def test_junk_dates_get_a_400(small, dates):
    page = small.get("/search", query_string={"q": "kumquat", **dates})
    assert page.status_code == 400 and b"Invalid search" in page.data
    assert small.get("/search.json", query_string={"q": "kumquat", **dates}).status_code == 400


def test_histogram_is_inline_svg_per_month_with_a_text_alternative(small):
    page = html(small, q="kumquat")
    svg = re.search(r'<svg id="histogram-svg".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="histogram-title histogram-desc"' in svg
    assert "2015-01 to 2016-12" in svg
    bars = re.findall(r'<rect class="bar"[^>]*><title>([\d-]+): (\d+)</title>', svg)
    assert len(bars) == 24  # every month from the first match to the last, empty ones too
    assert ("2015-05", "0") in bars and ("2016-12", "1") in bars
    assert "href=" not in svg and "<script" not in svg and "style=" not in svg
    table = re.search(r'<details class="histogram-table".*?</details>', page, re.S).group(0)
    assert 'href="/search?q=kumquat&amp;from=2016-03&amp;to=2016-03"' in table


def test_histogram_counts_per_year_over_a_long_span(client):
    page = html(client, q="said")
    assert "Matches per year" in page
    bars = re.findall(r'<rect class="bar"[^>]*><title>(\d{4}): (\d+)</title>', page)
    years = [int(y) for y, _ in bars]
    assert years == list(range(years[0], years[-1] + 1)) and len(years) > 3
    counts = {
        f["value"]: f["count"]
        for f in client.get("/search.json?q=said").get_json()["facets"]["year"]
    }
    assert {y: int(c) for y, c in bars if int(c)} == counts


def test_collapsed_duplicates_say_how_many_and_can_be_shown(small):
    page = html(small, q="wombats")
    assert page.count('class="hit"') == 1
    assert "2 similar versions not shown" in page
    assert 'class="show-versions" href="/search?q=wombats&amp;collapse=0"' in page
    assert html(small, q="wombats", collapse="0").count('class="hit"') == 3


def test_sort_control_orders_by_date(small):
    newest = small.get("/search.json", query_string={"q": "kumquat", "sort": "newest"}).get_json()
    dates = [h["date"] for h in newest["hits"]]
    assert dates == sorted(dates, reverse=True)
    page = html(small, q="kumquat", sort="oldest")
    assert '<option value="oldest" selected>' in page


def test_every_hit_is_on_exactly_one_page(client):
    first = client.get("/search.json", query_string={"q": "a", "limit": 7}).get_json()
    seen: list[str] = []
    for page in range(1, first["page_count"] + 1):
        data = client.get(
            "/search.json", query_string={"q": "a", "limit": 7, "page": page}
        ).get_json()
        assert data["total"] == first["total"] and data["page_count"] == first["page_count"]
        seen += [h["id"] for h in data["hits"]]
    assert len(seen) == len(set(seen)) == first["total"] > 150


def test_last_page_links_and_past_the_end(client):
    data = client.get("/search.json", query_string={"q": "a"}).get_json()
    last = data["page_count"]
    page = html(client, q="a", page=last)
    assert 'rel="next"' not in page and 'rel="prev"' in page
    assert f"Page {last} of {last}" in page
    assert f'class="last" href="/search?q=a&amp;page={last}"' in html(client, q="a")
    past = html(client, q="a", page=last + 1)
    assert "past the last page" in past and 'href="/search?q=a"' in past


def test_no_match_offers_to_drop_each_filter(small):
    page = html(small, q="kumquat", lang="fr", **{"from": "2015"})
    assert "No article matches <strong>kumquat</strong>" in page
    assert 'href="/search?q=kumquat&amp;from=2015"' in page  # without the language
    assert 'href="/search?q=kumquat&amp;lang=fr"' in page  # without the date
    assert 'href="/search?q=kumquat">Search without any filter' in page


def test_no_match_without_filters_gives_advice(small):
    page = html(small, q="zzyzx")
    assert "No article matches" in page and "Check the spelling" in page


def test_summary_shows_total_and_time(small):
    page = html(small, q="kumquat")
    assert re.search(r"17 results for <strong>kumquat</strong>\s*\(\d+ ms\)", page)
    assert re.search(r"1 result for <strong>wombats</strong>", html(small, q="wombats"))


def test_export_links_keep_the_search(small):
    page = html(small, q="kumquat", sort="oldest", **{"from": "2016"})
    assert 'id="csv-link" href="/search.csv?q=kumquat&amp;sort=oldest&amp;from=2016"' in page
    assert 'id="feed-link" href="/search.atom?q=kumquat&amp;from=2016"' in page


def test_page_links_keep_the_page_size(client):
    page = html(client, q="a", limit=7)
    assert 'rel="next" href="/search?q=a&amp;limit=7&amp;page=2"' in page
