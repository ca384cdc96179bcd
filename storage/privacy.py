"""Erasing a person on request: their profile, contact details, drafts, subscriptions,
sign-ups and messages go; their ideas stay, without a name, for statistics."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attachment, Draft, Idea, Outbox, Signup, Subscription, User, utcnow


async def erase_person(session: AsyncSession, user_id: int) -> int:
    """Returns how many ideas were detached from the person."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            first_name="",
            last_name=None,
            username=None,
            full_name=None,
            phone=None,
            erased=True,
            state=None,
            updated_at=utcnow(),
        )
    )
    idea_ids = list(await session.scalars(select(Idea.id).where(Idea.user_id == user_id)))
    if idea_ids:
        # A file's chat and message would lead back to the person: the files go.
        await session.execute(delete(Attachment).where(Attachment.idea_id.in_(idea_ids)))
        await session.execute(
            update(Idea)
            .where(Idea.id.in_(idea_ids))
            .values(
                user_id=None,
                full_name=None,
                phone=None,
                latitude=None,
                longitude=None,
                updated_at=utcnow(),
            )
        )
    await session.execute(delete(Draft).where(Draft.user_id == user_id))
    # What they asked to hear about, and the events they signed up for, go too.
    await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    await session.execute(delete(Signup).where(Signup.user_id == user_id))
    # Sent notices name the person's ideas: they would tie the ideas back to them.
    await session.execute(delete(Outbox).where(Outbox.user_id == user_id))
    return len(idea_ids)
