"""Persistence: the database handle, models, one repository module per aggregate (users,
drafts, ideas, history, staff, calls, events, subscriptions, audiences, broadcasts, the
outbox, processed updates, erasure) and migrations.

It knows nothing of chats, messengers or the bot: each function takes an open session
and speaks SQL, and nothing outside this package does.
"""

from storage.db import Database

__all__ = ["Database"]
