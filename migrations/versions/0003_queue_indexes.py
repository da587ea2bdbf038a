"""Indexes for the handlers' queue at scale (bench/database.py, 200,000 requests)

Measured before: the queue's counts took 850 ms on SQLite and 160 ms on PostgreSQL, "unassigned" 360 ms and
"all states, newest sent first" 1.2 s on SQLite, because the filters on the handler, the citizen's reply and the
completion request, and the order by sent time across states, had no index to use. These give each of them one.

Revision ID: 0003
Revises: 0002
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    'ix_request_status_handler_sent': ['status', 'assigned_handler_id', 'sent_at'],  # mine / unassigned
    'ix_request_status_replied_sent': ['status', 'citizen_replied', 'sent_at'],  # the citizen has answered
    'ix_request_status_completion_sent': ['status', 'completion_requested', 'sent_at'],  # waiting for completion
    'ix_request_sent_id': ['sent_at', 'id'],  # every state, in the order sent
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'servicerequest', columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='servicerequest')
