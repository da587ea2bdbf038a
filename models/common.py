"""Helpers shared by the table modules."""
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa


def utcnow() -> datetime:
    """An aware UTC time: SQLModel stores it as UTC on both engines and gives it back aware."""
    return datetime.now(UTC)


def enum_column(enum: type[StrEnum]) -> sa.Enum:
    """Enums stored as their plain string values (VARCHAR, not a PostgreSQL type), so adding a member needs no
    ALTER TYPE and the stored text reads the same as in the code."""
    return sa.Enum(enum, native_enum=False, create_constraint=False, length=20,
                   values_callable=lambda members: [member.value for member in members])
