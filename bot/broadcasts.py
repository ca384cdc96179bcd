"""Broadcasts: staff compose a message and choose an audience; when it is due, the
audience becomes one outbox row per person and the one sender delivers them, while
the staff member watches a progress message and gets a final report."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import InlineKeyboardMarkup

from bot import announcements
from bot.bots import IdeaBot
from bot.delivery import Clock, Content, Media
from bot.i18n import _
from bot.messenger import Compose, Messenger
from bot.platforms import Platform
from bot.render import Renderer
from storage import Database, outreach
from storage.models import Broadcast, utcnow
from storage.outreach import Audience, Due

log = logging.getLogger(__name__)

AUDIENCE_KINDS = ("all", "area", "persona", "platform", "status", "event", "call")
TEXT_LIMIT = 3500  # leaves room for the footer within 4096
CAPTION_LIMIT = 800  # Telegram's captions are 1024, footer included
PROGRESS_EVERY = timedelta(seconds=3)


@dataclass(frozen=True, slots=True)
class Plan:
    """What staff composed: the text, an optional photo or document, and who gets it."""

    text: str
    audience: Audience
    platform: Platform  # where the staff member is (and the media's file id belongs)
    media_kind: str | None = None
    media_file_id: str | None = None
    media_name: str | None = None


@dataclass(frozen=True, slots=True)
class BroadcastInfo:
    id: int
    status: str
    due_at: datetime
    audience: Audience
    total: int
    text: str

    @classmethod
    def of(cls, row: Broadcast) -> BroadcastInfo:
        return cls(row.id, row.status, row.due_at, Audience(**row.audience), row.total, row.text)


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    sent: int
    failed: int
    blocked: int
    unknown: int
    left: int

    @classmethod
    def of(cls, total: int, by_status: dict[str, int]) -> Counts:
        return cls(
            total=total,
            sent=by_status.get("sent", 0),
            failed=by_status.get("failed", 0),
            blocked=by_status.get("blocked", 0),
            unknown=by_status.get("unknown", 0),
            left=sum(by_status.get(s, 0) for s in ("pending", "claimed", "sending")),
        )


def progress_text(render: Renderer, broadcast_id: int, counts: Counts) -> str:
    return render(
        _(
            "📤 Broadcast #{id} is being sent.\n"
            "Sent: {sent}\nNot delivered: {failed}\nLeft: {left}\nOf: {total}"
        ),
        id=broadcast_id,
        sent=counts.sent,
        failed=counts.failed + counts.blocked + counts.unknown,
        left=counts.left,
        total=counts.total,
    )


def report_text(render: Renderer, broadcast_id: int, counts: Counts) -> str:
    return render(
        _(
            "✅ Broadcast #{id} is finished.\n"
            "Recipients: {total}\n"
            "Delivered: {sent}\n"
            "Have blocked the bot (now unsubscribed): {blocked}\n"
            "Failed: {failed}\n"
            "Unconfirmed (the messenger did not answer; not sent again): {unknown}"
        ),
        id=broadcast_id,
        total=counts.total,
        sent=counts.sent,
        blocked=counts.blocked,
        failed=counts.failed,
        unknown=counts.unknown,
    )


def compose_message(text: str, with_media: bool) -> Compose:
    """The broadcast as one reader sees it: the staff's words as data, then the footer."""

    def compose(render: Renderer) -> tuple[str, InlineKeyboardMarkup | None]:
        limit = CAPTION_LIMIT if with_media else TEXT_LIMIT
        body = render.value(text, limit=limit) + announcements.footer(render)
        return body, announcements.unsubscribe_markup()

    return compose


class BroadcastService:
    """Also the sender's `ContentSource` for broadcast rows."""

    def __init__(
        self,
        db: Database,
        messenger: Messenger,
        platforms: tuple[Platform, ...],
        clock: Clock = utcnow,
    ) -> None:
        # Only people on platforms this deployment serves are counted and sent to.
        self.platforms = [p.value for p in platforms]
        self.db = db
        self.messenger = messenger
        self.clock = clock
        self._rows: dict[int, Broadcast] = {}
        self._media: dict[tuple[int, str], Media] = {}
        self._texts: dict[tuple[int, str, str | None], tuple[str, dict[str, Any] | None]] = {}

    # ----- staff -----
    async def size(self, audience: Audience) -> dict[str, int]:
        async with self.db.read() as session:
            return await outreach.audience_size(session, audience, self.platforms)

    async def create(
        self, plan: Plan, staff_chat_id: int, staff_locale: str, due_at: datetime | None
    ) -> BroadcastInfo:
        """Save the broadcast; one due now starts at once."""
        async with self.db.write() as session:
            row = await outreach.add_broadcast(
                session,
                text=plan.text,
                media_kind=plan.media_kind,
                media_ids={plan.platform.value: plan.media_file_id} if plan.media_file_id else {},
                media_name=plan.media_name,
                audience={"kind": plan.audience.kind, "value": plan.audience.value},
                status="scheduled",
                due_at=due_at or self.clock(),
                staff_platform=plan.platform.value,
                staff_chat_id=staff_chat_id,
                staff_locale=staff_locale,
            )
            info = BroadcastInfo.of(row)
        if due_at is None:
            await self.start_due()
        return info

    async def counts(self, broadcast_id: int) -> Counts | None:
        async with self.db.read() as session:
            row = await outreach.get_broadcast(session, broadcast_id)
            if row is None:
                return None
            return Counts.of(row.total, await outreach.delivery_counts(session, broadcast_id))

    async def cancel(self, broadcast_id: int) -> bool:
        async with self.db.write() as session:
            return await outreach.cancel_broadcast(session, broadcast_id)

    async def scheduled(self) -> list[BroadcastInfo]:
        async with self.db.read() as session:
            rows = await outreach.broadcasts_in(session, ["scheduled"])
            return [BroadcastInfo.of(row) for row in rows]

    # ----- the clock's jobs -----
    async def start_due(self) -> int:
        """Turn every due broadcast into its delivery rows; returns how many started."""
        started = 0
        async with self.db.write() as session:
            for row in await outreach.due_broadcasts(session, self.clock()):
                total = await outreach.expand_broadcast(session, row, self.clock(), self.platforms)
                if total is None:
                    continue  # cancelled, or started elsewhere, meanwhile
                log.info("broadcast %s started: %d recipient(s)", row.id, total)
                started += 1
        if started:
            self.messenger.sender.wake()
        return started

    async def report(self) -> None:
        """Edit each running broadcast's progress message (at most every few seconds);
        when none is left to send, the final report."""
        async with self.db.read() as session:
            running = await outreach.broadcasts_in(session, ["sending"])
            counted = [
                (row, Counts.of(row.total, await outreach.delivery_counts(session, row.id)))
                for row in running
            ]
        for row, counts in counted:
            if counts.left == 0:
                await self._finish(row, counts)
            elif row.progress_at is None or self.clock() - row.progress_at >= PROGRESS_EVERY:
                try:
                    await self._progress(row, counts)
                except (TelegramAPIError, TelegramNetworkError) as exc:
                    log.warning("broadcast %s: cannot show progress: %s", row.id, exc)

    async def tick(self) -> None:
        await self.start_due()
        await self.report()

    def _staff_text(self, row: Broadcast, build: Callable[[Renderer], str]) -> str:
        """A message to the broadcast's author, in their platform's format and language."""
        platform = Platform(row.staff_platform)
        compose = announcements.text_only(build)
        text, _markup = self.messenger.compose_for(platform, row.staff_locale, compose)
        return text

    async def _progress(self, row: Broadcast, counts: Counts) -> None:
        bot = self.messenger.bots.get(Platform(row.staff_platform))
        if bot is None:
            return
        text = self._staff_text(row, lambda r: progress_text(r, row.id, counts))
        if row.progress_message_id is None:
            sent = await bot.send_message(row.staff_chat_id, text)
            fields: dict[str, object] = {"progress_message_id": sent.message_id}
        else:
            try:
                await bot.edit_message_text(
                    text=text, chat_id=row.staff_chat_id, message_id=row.progress_message_id
                )
            except TelegramAPIError as exc:
                if "not modified" not in exc.message:
                    raise
            fields = {}
        async with self.db.write() as session:
            await outreach.update_broadcast(session, row.id, progress_at=self.clock(), **fields)

    async def _finish(self, row: Broadcast, counts: Counts) -> None:
        """The final report; the broadcast is done even if its author can't be told."""
        bot = self.messenger.bots.get(Platform(row.staff_platform))
        try:
            if bot is None:
                raise LookupError(f"{row.staff_platform} is not served by this process")
            if row.progress_message_id is not None:
                progress = self._staff_text(row, lambda r: progress_text(r, row.id, counts))
                with contextlib.suppress(TelegramAPIError):  # the report below is what counts
                    await bot.edit_message_text(
                        text=progress,
                        chat_id=row.staff_chat_id,
                        message_id=row.progress_message_id,
                    )
            report = self._staff_text(row, lambda r: report_text(r, row.id, counts))
            await bot.send_message(row.staff_chat_id, report)
        except (TelegramAPIError, TelegramNetworkError, LookupError) as exc:
            log.warning("broadcast %s: finished, but its report was not delivered: %s", row.id, exc)
        async with self.db.write() as session:
            await outreach.update_broadcast(
                session, row.id, status="done", finished_at=self.clock(), progress_at=self.clock()
            )
        self._forget(row.id)
        log.info("broadcast %s finished: %s", row.id, counts)

    # ----- content of each delivery -----
    async def _row(self, broadcast_id: int) -> Broadcast | None:
        row = self._rows.get(broadcast_id)
        if row is None:
            async with self.db.read() as session:
                row = await outreach.get_broadcast(session, broadcast_id)
            if row is not None:
                self._rows[broadcast_id] = row
        return row

    def _forget(self, broadcast_id: int) -> None:
        self._rows.pop(broadcast_id, None)
        self._media = {k: v for k, v in self._media.items() if k[0] != broadcast_id}
        self._texts = {k: v for k, v in self._texts.items() if k[0] != broadcast_id}

    def _text(
        self, row: Broadcast, platform: Platform, locale: str | None
    ) -> tuple[str, dict[str, Any] | None]:
        key = (row.id, platform.value, locale)
        if key not in self._texts:
            compose = compose_message(row.text, row.media_kind is not None)
            self._texts[key] = self.messenger.compose_for(platform, locale, compose)
        return self._texts[key]

    def _media_for(self, row: Broadcast, platform: Platform) -> Media | None:
        if row.media_kind is None:
            return None
        key = (row.id, platform.value)
        if key not in self._media:
            source_platform = Platform(row.staff_platform)
            source_id = row.media_ids.get(source_platform.value)

            async def fetch() -> tuple[bytes, str]:
                source = self.messenger.bots[source_platform]
                assert source_id is not None
                buffer = io.BytesIO()
                await source.download(source_id, destination=buffer)
                return buffer.getvalue(), row.media_name or (
                    "photo.jpg" if row.media_kind == "photo" else "file"
                )

            async def save(file_id: str) -> None:
                async with self.db.write() as session:
                    fresh = await outreach.get_broadcast(session, row.id)
                    if fresh is not None:
                        await outreach.update_broadcast(
                            session, row.id, media_ids={**fresh.media_ids, platform.value: file_id}
                        )

            self._media[key] = Media(row.media_kind, row.media_ids.get(platform.value), fetch, save)
        return self._media[key]

    async def content(self, due: Due, bot: IdeaBot) -> Content | None:
        if due.broadcast_id is None:
            return None
        row = await self._row(due.broadcast_id)
        if row is None:
            return None
        text, markup = self._text(row, bot.platform, due.locale)
        return Content(text, markup, self._media_for(row, bot.platform))
