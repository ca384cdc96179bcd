"""Persistence: models, the database handle, repositories, FSM storage, migrations.

Knows nothing of chats or of aiogram's update types.
"""

from storage.db import Database

__all__ = ["Database"]
