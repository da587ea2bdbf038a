"""Rows (or other values) a test expects to exist: `session.get`, `.first()` and `re.search` say `X | None`, and a test
that reads a row it has just made wants a clear failure, not an AttributeError on None, when the row is missing."""
from typing import TypeVar

T = TypeVar('T')


def found(row: T | None) -> T:
    """`row`, which must not be None (an assertion a test reads as "this row is there")."""
    assert row is not None, 'expected a row or value, found None'
    return row
