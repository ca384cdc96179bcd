"""What a handled update answered, kept a while: a webhook update whose answer did not
reach the platform comes again, and its replies are sent again instead of nothing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_updates") as table:
        table.add_column(sa.Column("replies", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processed_updates") as table:
        table.drop_column("replies")
