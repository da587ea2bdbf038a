"""Helpers shared by the table modules."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """An aware UTC time: SQLModel stores it as UTC on both engines and gives it back aware."""
    return datetime.now(UTC)
