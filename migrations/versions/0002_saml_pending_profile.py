"""SAML pending request: the landing choice (profile, organisation) and language

The IdP's cross-site POST to the ACS carries no SameSite=Lax cookie, so what the person chose before leaving for
the IdP travels with the pending request in the database.

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('samlpendingrequest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default='private'))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False,
                                      server_default='fi'))


def downgrade() -> None:
    with op.batch_alter_table('samlpendingrequest', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('profile')
