"""Swedish and English forms of region and organisation names (ALUE, ASIOINTIPROFIILI, contact details)

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('region', 'organisation')


# Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy of `region` would have to drop a table that
# organisations and news refer to.
def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('name_translations', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, 'name_translations')
