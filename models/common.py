"""Helpers shared by the table modules."""
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

import sqlalchemy as sa


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Row) -> int:
    """The id of a row that has been flushed or saved. Tables declare `id: int | None` (None until the database gives
    one), so a saved row's id is an `int` only by this check, which fails loudly instead of letting None through."""
    if row.id is None:
        raise ValueError(f'{type(row).__name__} has no id yet: flush or commit it first')
    return row.id


def utcnow() -> datetime:
    """An aware UTC time: SQLModel stores it as UTC on both engines and gives it back aware."""
    return datetime.now(UTC)


def enum_column(enum: type[StrEnum]) -> sa.Enum:
    """Enums stored as their plain string values (VARCHAR, not a PostgreSQL type), so adding a member needs no
    ALTER TYPE and the stored text reads the same as in the code."""
    return sa.Enum(enum, native_enum=False, create_constraint=False, length=20,
                   values_callable=lambda members: [member.value for member in members])
