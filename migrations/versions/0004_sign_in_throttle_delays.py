"""Sign-in throttling by growing delays instead of a lock; the last used TOTP time step

The lock (`failures`, `first_failure_at`, `locked_until`) let anyone lock any account with five wrong passwords.
Attempts are now taken before the password is checked and answered with growing delays (`auth.throttle`). The table
holds only short-lived counters, so it is recreated rather than converted.

Revision ID: 0004
Revises: 0003
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table('loginthrottle')
    op.create_table('loginthrottle',
                    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
                    sa.Column('attempts', sa.Integer(), nullable=False),
                    sa.Column('last_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('not_before', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('key'))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would rebuild `user`, which the foreign keys to it forbid.
    op.drop_column('user', 'totp_last_step')
    op.drop_table('loginthrottle')
    op.create_table('loginthrottle',
                    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('first_failure_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
                    sa.PrimaryKeyConstraint('key'))
