"""One name per concept and one record per conversation: an idea's `history` (was
`idea_events`); drafts per person and conversation (intake, forms, prompts); the
conversation a person is in kept on their row (the framework's state table goes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _drafts(name: str, *, per_flow: bool) -> None:
    columns: list[sa.Column[object]] = [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            unique=not per_flow,
        ),
    ]
    if per_flow:
        columns.append(sa.Column("flow", sa.String(16), nullable=False))
    columns += [
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("returning_to_review", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]
    constraints = [sa.UniqueConstraint("user_id", "flow", name="uq_drafts_user_flow")]
    op.create_table(name, *columns, *(constraints if per_flow else []))


def upgrade() -> None:
    op.rename_table("idea_events", "history")
    op.drop_index("ix_idea_events_idea", table_name="history")
    op.create_index("ix_history_idea", "history", ["idea_id", "id"])
    with op.batch_alter_table("attachments") as batch:
        batch.drop_constraint("fk_attachments_event_id", type_="foreignkey")
        batch.alter_column("event_id", new_column_name="history_id")
    with op.batch_alter_table("attachments") as batch:  # the column has its new name now
        batch.create_foreign_key(
            "fk_attachments_history_id", "history", ["history_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("state", sa.String(64), nullable=True))
    # Drafts of the intake are kept; the table is made anew, with one row per
    # conversation.
    _drafts("drafts_new", per_flow=True)
    op.execute(
        "INSERT INTO drafts_new (id, user_id, flow, step, answers, returning_to_review,"
        " created_at, updated_at) SELECT id, user_id, 'intake', step, answers,"
        " returning_to_review, created_at, updated_at FROM drafts"
    )
    op.drop_table("drafts")
    op.rename_table("drafts_new", "drafts")
    op.drop_table("fsm_records")


def downgrade() -> None:
    op.create_table(
        "fsm_records",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("state", sa.String(255), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    _drafts("drafts_old", per_flow=False)
    op.execute(
        "INSERT INTO drafts_old (id, user_id, step, answers, returning_to_review, created_at,"
        " updated_at) SELECT id, user_id, step, answers, returning_to_review, created_at,"
        " updated_at FROM drafts WHERE flow = 'intake'"
    )
    op.drop_table("drafts")
    op.rename_table("drafts_old", "drafts")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("state")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_constraint("fk_attachments_history_id", type_="foreignkey")
        batch.alter_column("history_id", new_column_name="event_id")
    with op.batch_alter_table("attachments") as batch:
        batch.create_foreign_key(
            "fk_attachments_event_id", "history", ["event_id"], ["id"], ondelete="CASCADE"
        )
    op.drop_index("ix_history_idea", table_name="history")
    op.create_index("ix_idea_events_idea", "history", ["idea_id", "id"])
    op.rename_table("history", "idea_events")
