"""An index for the sender's first question, a person's own notices due: with a
broadcast's 100,000 rows waiting, finding none took a scan of them all at every claim
(20 ms of the event loop, every half second).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_kind_due", "outbox", ["status", "platform", "kind", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_kind_due", table_name="outbox")
