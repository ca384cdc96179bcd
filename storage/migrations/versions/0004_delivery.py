"""Calls for proposals, events and sign-ups, subscriptions, broadcasts; the outbox
becomes the one delivery table (due times, retries, broadcast rows).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column(
                "subscriptions_chosen", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "subscriptions",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("topic", sa.String(32), primary_key=True),
    )
    op.create_index("ix_subscriptions_topic", "subscriptions", ["topic", "user_id"])
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("opens_at", UTCDateTime(), nullable=False),
        sa.Column("closes_at", UTCDateTime(), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=True),
        *_stamps(),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_events_starts_at", "events", ["starts_at"])
    op.create_table(
        "signups",
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(16), nullable=True),
        sa.Column("media_ids", sa.JSON(), nullable=False),
        sa.Column("media_name", sa.String(255), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("staff_platform", sa.String(16), nullable=False),
        sa.Column("staff_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_locale", sa.String(8), nullable=False),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_at", UTCDateTime(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="notice"))
        batch.add_column(
            sa.Column(
                "broadcast_id",
                sa.Integer(),
                sa.ForeignKey("broadcasts.id", name="fk_outbox_broadcast", ondelete="CASCADE"),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column(
                "due_at", UTCDateTime(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
            )
        )
        batch.add_column(sa.Column("next_attempt_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("dedupe", sa.String(120), nullable=True))
    op.create_index("ix_outbox_due", "outbox", ["status", "platform", "due_at"])
    op.create_index("ix_outbox_broadcast", "outbox", ["broadcast_id", "status"])
    op.create_index("ix_outbox_dedupe", "outbox", ["dedupe"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_outbox_dedupe", "outbox")
    op.drop_index("ix_outbox_broadcast", "outbox")
    op.drop_index("ix_outbox_due", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_broadcast", type_="foreignkey")
        for column in ("dedupe", "next_attempt_at", "due_at", "broadcast_id", "kind"):
            batch.drop_column(column)
    op.drop_table("broadcasts")
    op.drop_table("signups")
    op.drop_index("ix_events_starts_at", "events")
    op.drop_table("events")
    op.drop_table("calls")
    op.drop_index("ix_subscriptions_topic", "subscriptions")
    op.drop_table("subscriptions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("subscriptions_chosen")
        batch.drop_column("blocked")
