"""The staff loop: what each staff member is told of, invites, assignments, scores, a
call's rubric, and since when an idea waits for staff.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_preferences",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("user_id", sa.BigInteger, primary_key=True),
        sa.Column("alerts", sa.String(16), nullable=False),
        sa.Column("areas", sa.JSON, nullable=False),
    )
    op.create_table(
        "staff_invites",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "assignments",
        sa.Column(
            "idea_id", sa.Integer, sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("user_id", sa.BigInteger, primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_assignments_staff", "assignments", ["platform", "user_id", "created_at"])
    op.create_table(
        "scores",
        sa.Column(
            "idea_id", sa.Integer, sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("user_id", sa.BigInteger, primary_key=True),
        sa.Column("criterion", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("ideas") as batch:
        batch.add_column(sa.Column("awaiting_staff_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("rubric", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("rubric")
    with op.batch_alter_table("ideas") as batch:
        batch.drop_column("awaiting_staff_at")
    op.drop_table("scores")
    op.drop_index("ix_assignments_staff", "assignments")
    op.drop_table("assignments")
    op.drop_table("staff_invites")
    op.drop_table("staff_preferences")
