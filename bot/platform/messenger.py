"""Sending to people on their own platform: the `Notifier` services tell what happened
to, the broadcasts' content for each reader, and the reports a broadcast's author sees.

A notice is composed for its reader (their platform's format, their language) and
written to the outbox in the service's own transaction; once that commits, a notice to
one person about their own idea is sent at once (in the background, under the
platform's bucket), and the sender is woken for the rest.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from telegram.error import TelegramError

from bot.core.notices import Kind, Notice
from bot.core.platforms import PROFILES, Platform
from bot.core.views import BroadcastContent, Delivery, Due, Progress, Reader
from bot.platform import wire
from bot.platform.bots import Connection, MessengerBot
from bot.platform.sender import Content, Media, Sender
from bot.services.broadcasts import BroadcastService
from bot.services.outbox import OutboxService
from bot.ui import broadcasts as broadcast_screens
from bot.ui.markup import Screen
from bot.ui.notices import compose
from bot.ui.render import Renderer
from locales.i18n import known, use_locale

log = logging.getLogger(__name__)


class Messenger:
    """The core's `Notifier`, over the outbox and the one sender."""

    def __init__(
        self,
        outbox: OutboxService,
        sender: Sender,
        tz: tzinfo,
        default_locale: str,
        *,
        sends: bool = True,
    ) -> None:
        self.outbox = outbox
        self.sender = sender
        self.tz = tz
        self.default_locale = default_locale
        self.connections: dict[Platform, Connection] = {}
        # Whether this process runs the sender. One that does not (a webhook worker)
        # only writes rows and announces them (NOTIFY) to the process that does.
        self.sends = sends

    def attach(self, connection: Connection) -> None:
        self.connections[connection.platform] = connection
        self.sender.attach(connection)

    def locale_of(self, locale: str | None) -> str:
        return locale if known(locale) and locale else self.default_locale

    def compose_for(self, platform: Platform, locale: str | None, notice: Notice) -> Screen:
        """A notice as one reader sees it: their platform's format, their language."""
        with use_locale(self.locale_of(locale)):
            return compose(Renderer(PROFILES[platform]), notice, self.tz)

    async def notify(
        self,
        user_id: int,
        notice: Notice,
        *,
        kind: Kind = Kind.NOTICE,
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        dedupe: str | None = None,
    ) -> Delivery | None:
        reader = await self.outbox.reader(user_id)
        if reader is None:
            return None
        screen = self.compose_for(reader.platform, reader.locale, notice)
        row = await self.outbox.add(
            reader,
            screen.text,
            screen.markup_json(),
            kind=kind.value,
            due_at=due_at,
            expires_at=expires_at,
            dedupe=dedupe,
        )
        if row is None:
            return None
        delivery = Delivery(row)
        if kind is Kind.NOTICE and self.sends:

            async def deliver() -> None:
                self.sender.deliver_soon(row, delivery.settle)

            self.outbox.after_commit(deliver)
        else:
            delivery.settle("queued")  # the sender's lanes take it, here or elsewhere
            self.wake()
        return delivery

    async def notify_all(
        self,
        readers: Sequence[Reader],
        notice: Notice,
        *,
        kind: Kind,
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        dedupe: str,
    ) -> int:
        screens: dict[tuple[Platform, str | None], tuple[str, dict[str, Any] | None]] = {}
        letters = []
        for reader in readers:
            seen = (reader.platform, reader.locale)
            if seen not in screens:
                screen = self.compose_for(reader.platform, reader.locale, notice)
                screens[seen] = screen.text, screen.markup_json()
            text, markup = screens[seen]
            letters.append((reader, text, markup, f"{dedupe}{reader.user_id}"))
        written = await self.outbox.add_all(
            letters, kind=kind.value, due_at=due_at, expires_at=expires_at
        )
        if written:
            self.wake()
        return written

    def wake(self) -> None:
        """The sender looks once the current change is committed (at once if none)."""
        if not self.sends:
            self.outbox.announce()
            return
        if self.outbox.in_write():

            async def wake() -> None:
                self.sender.wake()

            self.outbox.after_commit(wake)
        else:
            self.sender.wake()


class BroadcastDeliveries:
    """What each delivery of a broadcast sends: the staff's words as data, then the
    footer, in the reader's language; a photo or document uploaded once per platform."""

    def __init__(self, broadcasts: BroadcastService, messenger: Messenger) -> None:
        self.broadcasts = broadcasts
        self.messenger = messenger
        self._texts: dict[tuple[int, str, str], tuple[str, dict[str, Any] | None]] = {}
        self._media: dict[tuple[int, str], Media] = {}

    async def content(self, due: Due, bot: MessengerBot) -> Content | None:
        if due.broadcast_id is None:
            return None
        found = await self.broadcasts.content(due.broadcast_id)
        if found is None:
            return None
        locale = self.messenger.locale_of(due.locale)
        key = (found.id, bot.platform.value, locale)
        if key not in self._texts:
            with use_locale(locale):
                screen = broadcast_screens.message(
                    Renderer(bot.profile), found.text, with_media=found.media_kind is not None
                )
            self._texts[key] = (screen.text, screen.markup_json())
        text, markup = self._texts[key]
        return Content(text, markup, self._media_for(found, bot.platform))

    def _media_for(self, found: BroadcastContent, platform: Platform) -> Media | None:
        broadcast_id = found.id
        key = (broadcast_id, platform.value)
        if key in self._media:
            return self._media[key]
        if found.media_kind is None:
            return None
        source_platform, media_kind = found.staff_platform, found.media_kind
        source_id = found.media_ids.get(source_platform.value)
        name = found.media_name or ("photo.jpg" if media_kind == "photo" else "file")

        async def fetch() -> tuple[bytes, str]:
            source = self.messenger.connections[source_platform].bot
            assert source_id is not None
            file = await source.get_file(source_id)
            buffer = io.BytesIO()
            await file.download_to_memory(buffer)
            return buffer.getvalue(), name

        async def save(file_id: str) -> None:
            await self.broadcasts.save_media_id(broadcast_id, platform, file_id)

        self._media[key] = Media(media_kind, found.media_ids.get(platform.value), fetch, save)
        return self._media[key]

    def forget(self, broadcast_id: int) -> None:
        self._texts = {k: v for k, v in self._texts.items() if k[0] != broadcast_id}
        self._media = {k: v for k, v in self._media.items() if k[0] != broadcast_id}


class BroadcastReports:
    """A running broadcast's progress, edited in its author's chat at most every few
    seconds, then the final report. Transient: sent directly, not through the outbox;
    the broadcast is done even if its author can't be told."""

    def __init__(
        self, broadcasts: BroadcastService, messenger: Messenger, deliveries: BroadcastDeliveries
    ) -> None:
        self.broadcasts = broadcasts
        self.messenger = messenger
        self.deliveries = deliveries

    async def report(self) -> None:
        for progress in await self.broadcasts.progress():
            connection = self.messenger.connections.get(progress.staff_platform)
            if progress.finished:
                await self._finish(connection, progress)
                continue
            try:
                message_id = await self._show(connection, progress)
            except TelegramError as exc:
                log.warning("broadcast %s: cannot show progress: %s", progress.broadcast_id, exc)
                continue
            await self.broadcasts.progress_shown(progress.broadcast_id, message_id)

    async def tick(self) -> None:
        await self.broadcasts.start_due()
        await self.report()

    def _screen(self, progress: Progress, *, final: bool) -> Screen:
        build = broadcast_screens.report if final else broadcast_screens.progress
        with use_locale(self.messenger.locale_of(progress.staff_locale)):
            render = Renderer(PROFILES[progress.staff_platform])
            return build(render, progress.broadcast_id, progress.counts)

    async def _show(self, connection: Connection | None, progress: Progress) -> int | None:
        """Send the progress message, or edit it; the new message's id, if one was sent."""
        if connection is None:
            return None
        screen = self._screen(progress, final=False)
        chat = progress.staff_chat_id
        if progress.message_id is None:
            return await wire.send(connection.bot, chat, screen)
        # A message deleted meanwhile is sent anew: the new one is edited next.
        return await wire.edit(connection.bot, chat, progress.message_id, screen)

    async def _finish(self, connection: Connection | None, progress: Progress) -> None:
        try:
            if connection is None:
                raise LookupError(f"{progress.staff_platform} is not served by this process")
            if progress.message_id is not None:
                try:  # the report below is what counts
                    await self._show(connection, progress)
                except TelegramError as exc:
                    log.info(
                        "broadcast %s: last progress not shown: %s", progress.broadcast_id, exc
                    )
            report = self._screen(progress, final=True)
            await wire.send(connection.bot, progress.staff_chat_id, report)
        except (TelegramError, LookupError) as exc:
            log.warning(
                "broadcast %s: finished, but its report was not delivered: %s",
                progress.broadcast_id,
                exc,
            )
        await self.broadcasts.finish(progress.broadcast_id, progress.counts)
        self.deliveries.forget(progress.broadcast_id)
