"""Saved searches: every field checked before it is kept, kept beside the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.alerts.saved import (
    MAX_RECIPIENTS,
    InvalidSavedSearch,
    SavedSearch,
    load_searches,
    save_searches,
    unique_emails,
    with_search,
    without_search,
)


def saved(**changes) -> SavedSearch:
    fields = {"name": "giraffes", "query": "giraffe", "emails": ("desk@example.org",)}
    return SavedSearch(**{**fields, **changes})


@pytest.mark.parametrize("name", ["giraffes", "Desk_2", "a", "x" * 64, "9-lives"])
def test_names_that_fit_in_a_url(name: str):
    assert saved(name=name).validate().name == name


@pytest.mark.parametrize(
    "name", ["", "-lead", "has space", "a/b", "../x", "x" * 65, "dot.atom", "é", "a\nb"]
)
def test_names_that_do_not(name: str):
    with pytest.raises(InvalidSavedSearch, match="invalid name"):
        saved(name=name).validate()


@pytest.mark.parametrize(
    "address",
    [
        "desk",
        "desk@",
        "@example.org",
        "a b@example.org",
        "desk@example.org\r\nBcc: x@evil.example",
        "<desk@example.org>",
        "desk@example.org, other@example.org",
        '"quoted"@example.org',
        "desk@-example.org",
    ],
)
def test_addresses_that_could_not_be_a_header_are_refused(address: str):
    with pytest.raises(InvalidSavedSearch, match="invalid e-mail address"):
        saved(emails=(address,)).validate()


def test_other_limits():
    with pytest.raises(InvalidSavedSearch, match="empty"):
        saved(query="  ").validate()
    with pytest.raises(InvalidSavedSearch, match="at least one"):
        saved(emails=()).validate()
    many = tuple(f"r{n}@example.org" for n in range(MAX_RECIPIENTS + 1))
    with pytest.raises(InvalidSavedSearch, match=f"at most {MAX_RECIPIENTS}"):
        saved(emails=many).validate()
    with pytest.raises(InvalidSavedSearch, match="language"):
        saved(lang="french").validate()
    with pytest.raises(InvalidSavedSearch, match="too long"):
        saved(query="x" * 1001).validate()


def test_unique_emails_trims_and_drops_repeats_in_order():
    given = [" b@example.org", "A@example.org", "b@example.org", "a@example.org", ""]
    assert unique_emails(given) == ("b@example.org", "A@example.org")


def test_the_request_is_newest_first_with_the_language():
    request = saved(lang="fr").request(limit=7)
    assert (request.q, request.lang, request.sort, request.limit) == ("giraffe", "fr", "newest", 7)
    assert request.collapse is False


def test_public_dict_counts_recipients_and_never_shows_them():
    data = saved(emails=("a@example.org", "b@example.org")).public_dict()
    assert data["recipients"] == 2
    assert "a@example.org" not in repr(data)


def test_searches_are_kept_in_the_alerts_folder_and_read_back(tmp_path: Path):
    searches = with_search({}, saved(name="b", lang="en", created="2026-01-01T00:00:00+00:00"))
    searches = with_search(searches, saved(name="a"))
    save_searches(tmp_path, searches)
    assert (tmp_path / "alerts" / "searches.json").is_file()
    loaded = load_searches(tmp_path)
    assert list(loaded) == ["a", "b"] and loaded == searches
    with pytest.raises(InvalidSavedSearch, match="exists"):
        with_search(loaded, saved(name="a"))
    assert list(without_search(loaded, "a")) == ["b"]
    with pytest.raises(InvalidSavedSearch, match="no saved search"):
        without_search(loaded, "c")
