"""The templates' ``url_for`` (web/urls.py) gives Flask's ``url_for``'s very URL."""

from __future__ import annotations

from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web.urls import PageUrls

ENDPOINTS = (
    "pages.search_page",
    "pages.search_atom",
    "pages.search_json",
    "pages.trends_page",
    "pages.home",
    "alerts.alerts_page",
    "static",  # a path variable: Flask's own url_for
    "pages.article_page",
)
NAMES = st.sampled_from(["q", "lang", "page", "from", "to", "source", "year", "collapse", "x y"])
VALUES = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(min_size=95, max_size=130),  # around web.urls.MAX_REMEMBERED_CHARS
    st.integers(min_value=-5, max_value=10**6),
    st.booleans(),
    st.sampled_from(["a+b", "l’OTAN & co", "100%", "x/y?z=1#f", "", " ", "élu", "😀"]),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    values=st.dictionaries(NAMES, VALUES, max_size=5),
    script_name=st.sampled_from(["", "/manchette", "/a b/"]),
)
def test_the_same_url_as_flask(app, endpoint: str, values: dict, script_name: str):
    if endpoint == "static":
        values = {**values, "filename": "style.css"}
    if endpoint == "pages.article_page":
        values = {**values, "article_id": "orangesum-1/é"}
    page_url = PageUrls(app)
    with app.test_request_context("/search?q=x", environ_base={"SCRIPT_NAME": script_name}):
        assert page_url(endpoint, **values) == url_for(endpoint, **values)
        assert page_url(endpoint, **values) == url_for(endpoint, **values)  # remembered path


def test_the_templates_use_it_and_special_arguments_go_to_flask(app):
    assert isinstance(app.jinja_env.globals["url_for"], PageUrls)
    page_url = app.jinja_env.globals["url_for"]
    with app.test_request_context("/search?q=x", base_url="http://example.org/"):
        assert page_url("pages.search_page", q="a b", _external=True) == (
            "http://example.org/search?q=a+b"
        )
        assert page_url("pages.search_page", q="a b", _anchor="hits") == "/search?q=a+b#hits"
        assert page_url("pages.search_page", q=None, page=None) == "/search"
