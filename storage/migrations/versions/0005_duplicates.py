"""An idea marked duplicate keeps a link to the idea it repeats; a reminder may expire.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("expires_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("ideas") as batch:
        batch.add_column(
            sa.Column(
                "duplicate_of",
                sa.Integer(),
                sa.ForeignKey("ideas.id", name="fk_ideas_duplicate_of", ondelete="SET NULL"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("ideas") as batch:
        batch.drop_constraint("fk_ideas_duplicate_of", type_="foreignkey")
        batch.drop_column("duplicate_of")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("expires_at")
