"""Versioned form definitions: the `formversion` table and the version each request was filled in with

Requests existing before this get version 1: the portal publishes each form's definition as version 1 at its next
start (services.forms.versions), which is the definition they were filled in with as far as anyone can tell.

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'formversion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('service_code', 'version', name='uq_formversion_code_version'),
    )
    op.create_index(op.f('ix_formversion_service_code'), 'formversion', ['service_code'], unique=False)
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL), as in 0006: a batch copy would have to drop a table others
    # refer to.
    op.add_column('servicerequest', sa.Column('form_version', sa.Integer(), nullable=True))
    op.execute('UPDATE servicerequest SET form_version = 1')


def downgrade() -> None:
    op.drop_column('servicerequest', 'form_version')
    op.drop_index(op.f('ix_formversion_service_code'), table_name='formversion')
    op.drop_table('formversion')
