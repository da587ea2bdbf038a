"""TOTP secrets encrypted at rest (issue 12): the column grows to hold a Fernet token and every secret stored in clear
is encrypted with TOTP_ENCRYPTION_KEY (from the environment or DATA_DIR, see models/encrypted.py). SQLite does not
enforce VARCHAR lengths, so only PostgreSQL's column is widened.

Revision ID: 0005
Revises: 0004
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.encrypted import PREFIX, decrypt_secret, encrypt_secret

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text('SELECT id, totp_secret FROM "user" WHERE totp_secret IS NOT NULL')).all()
    for user_id, stored in rows:
        new = change(stored)
        if new is not None and new != stored:
            connection.execute(sa.text('UPDATE "user" SET totp_secret = :secret WHERE id = :id'),
                               {'secret': new, 'id': user_id})


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('user', 'totp_secret', type_=sa.String(255), existing_nullable=True)
    _rewrite(lambda stored: stored if stored.startswith(PREFIX) else encrypt_secret(stored))


def downgrade() -> None:
    _rewrite(lambda stored: decrypt_secret(stored) if stored.startswith(PREFIX) else stored)
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('user', 'totp_secret', type_=sa.String(64), existing_nullable=True)
