"""Answers remembered on an index reader, for as long as it lives.

A reader never changes (a commit or a rebuild opens a new one, with empty memos), so what a
reader answers about its vocabulary can be kept on it: the web process asks the same
questions on every page (which languages the archive holds, whether a word is known).
"""

from __future__ import annotations

from whoosh.reading import IndexReader


def reader_memo(reader: IndexReader, mark: str) -> dict:
    """The dict named ``mark`` kept on ``reader`` (made empty the first time)."""
    memo = getattr(reader, mark, None)
    if memo is None:
        memo = {}
        setattr(reader, mark, memo)
    return memo
