"""The Whoosh engine's month counts over arrays: a cluster once, in its oldest dated month."""

from __future__ import annotations

import numpy as np

from engines.whoosh.periods import count_months


def test_count_months_puts_a_cluster_in_the_month_of_its_oldest_dated_copy():
    months = np.array([2, 1, 3, 0, 0, 4], dtype=np.int32)  # month codes; 0 = undated
    published = np.array([20, 10, 30, 0, 0, 40], dtype=np.int64)
    clusters = np.array([7, 7, 7, 7, 8, 9], dtype=np.int32)
    assert count_months(months, published, clusters) == ({1: 1, 4: 1}, 1)
    assert count_months(months, published, None) == ({1: 1, 2: 1, 3: 1, 4: 1}, 2)


def test_count_months_with_nothing_dated():
    none = np.zeros(3, dtype=np.int32)
    clusters = np.array([1, 1, 2], dtype=np.int32)
    assert count_months(none, np.zeros(3, dtype=np.int64), clusters) == ({}, 2)
    assert count_months(none, np.zeros(3, dtype=np.int64), None) == ({}, 3)
