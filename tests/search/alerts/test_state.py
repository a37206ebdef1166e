"""The rule that decides what is new, the state file and the alerts lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from alert_fixtures import lock_held_elsewhere

from search.alerts.state import (
    AlertsLocked,
    AlertState,
    StateUnreadable,
    alerts_lock,
    baseline,
    delivered,
    load_state,
    new_ids,
    ran,
    save_state,
)


def test_baseline_knows_everything_that_matches_and_sent_nothing():
    state = baseline(["a", "b", "b"], "2026-01-01T00:00:00+00:00")
    assert state.known == {"a", "b"}
    assert (state.sent, state.last_sent, state.baseline_at) == (
        0,
        None,
        "2026-01-01T00:00:00+00:00",
    )


def test_new_ids_keep_the_order_given_and_skip_known_and_repeated():
    assert new_ids(["d", "a", "c", "d", "b"], {"a", "b"}) == ["d", "c"]
    assert new_ids(["a"], {"a"}) == []


def test_delivered_adds_to_known_and_counts_a_failed_run_changes_nothing_known():
    state = baseline(["a"], "t0")
    failed = ran(state, "t1")
    assert failed.known == {"a"} and failed.last_run == "t1" and failed.last_sent is None
    after = delivered(failed, ["c", "b"], "t2")
    assert after.known == {"a", "b", "c"}
    assert (after.sent, after.last_sent, after.last_run) == (2, "t2", "t2")
    assert new_ids(["c", "d", "b", "a"], after.known) == ["d"]


def test_state_round_trips_through_the_file(tmp_path: Path):
    states = {"one": delivered(baseline(["x"], "t0"), ["y"], "t1"), "two": AlertState()}
    save_state(tmp_path, states)
    assert load_state(tmp_path) == states
    assert load_state(tmp_path / "elsewhere") == {}


def test_a_damaged_state_file_is_an_error_not_a_fresh_start(tmp_path: Path):
    save_state(tmp_path, {"one": baseline(["x"], "t0")})
    (tmp_path / "alerts" / "state.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StateUnreadable, match="cannot read"):
        load_state(tmp_path)


def test_the_lock_is_exclusive_across_processes(tmp_path: Path):
    with (
        lock_held_elsewhere(tmp_path),
        pytest.raises(AlertsLocked, match="--wait"),
        alerts_lock(tmp_path, wait=0.3),
    ):
        pass
    with alerts_lock(tmp_path, wait=0):  # released when its holder is done
        pass
