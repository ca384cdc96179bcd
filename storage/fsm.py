"""aiogram FSM storage kept in the database, so conversations survive a restart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)

from storage import repo
from storage.db import Database


class SQLStorage(BaseStorage):
    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self.db = db
        self.key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def _exists(self, key: str) -> bool:
        async with self.db.read() as session:
            return await repo.fsm_get(session, key) is not None

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        name = self._key(key)
        # Clearing what was never set is common (/start, /cancel): skip the write.
        # Updates of one conversation are serialized by the event isolation.
        if value is None and not await self._exists(name):
            return
        async with self.db.write() as session:
            await repo.fsm_put(session, name, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self.db.read() as session:
            record = await repo.fsm_get(session, self._key(key))
            return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        name = self._key(key)
        if not data and not await self._exists(name):
            return
        async with self.db.write() as session:
            await repo.fsm_put(session, name, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self.db.read() as session:
            record = await repo.fsm_get(session, self._key(key))
            return dict(record.data) if record and record.data else {}

    async def close(self) -> None:
        """The Database is owned by the application, which disposes of it."""
