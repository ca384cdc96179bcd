"""Submitting ideas, the daily limit, and listing a person's ideas."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, utcnow
from bot.core.conversation.engine import Draft
from bot.core.intake import BOUND_CALL
from bot.core.notices import Notifier, Receipt
from bot.core.platforms import Platform
from bot.core.statuses import INITIAL
from bot.core.tracking import new_code
from bot.core.views import Delivery, IdeaView
from bot.services.conversations import ConversationService
from storage import Database, calls, drafts, ideas, users
from storage.models import Idea


def idea_view(row: Idea) -> IdeaView:
    return IdeaView(row.id, row.code, row.title, row.status, row.created_at, row.user_id)


class SubmitStatus(StrEnum):
    SUBMITTED = "submitted"
    ALREADY_SUBMITTED = "already_submitted"  # a second tap on submit
    DAILY_LIMIT = "daily_limit"
    INCOMPLETE = "incomplete"
    CALL_CLOSED = "call_closed"  # the chosen call closed while the idea was being written


@dataclass(frozen=True, slots=True)
class SubmitResult:
    status: SubmitStatus
    code: str | None = None
    missing_step: str | None = None
    closed_call: str | None = None  # its title, for CALL_CLOSED
    # The receipt, written to the outbox with the idea (None: its author can't be written to).
    receipt: Delivery | None = None


class IdeaService:
    def __init__(
        self,
        db: Database,
        conversations: ConversationService,
        notifier: Notifier,
        tz: ZoneInfo,
        daily_limit: int = 5,
        clock: Clock = utcnow,
        *,
        arrived: Callable[[IdeaView, str], Awaitable[None]] | None = None,
    ) -> None:
        # Told of each new idea inside its transaction (assignment, staff alerts).
        self.arrived = arrived
        self.notifier = notifier
        self.clock = clock
        self.db = db
        self.conversations = conversations
        self.tz = tz
        self.daily_limit = daily_limit

    def _start_of_day(self, now: datetime) -> datetime:
        local = now.astimezone(self.tz)
        return datetime.combine(local.date(), time(0), tzinfo=self.tz)

    async def limit_reached(self, user_id: int) -> bool:
        async with self.db.read() as session:
            since = self._start_of_day(self.clock())
            return await ideas.count_ideas_since(session, user_id, since) >= self.daily_limit

    async def submit(
        self, user_id: int, platform: Platform, draft: Draft, *, as_general: bool = False
    ) -> SubmitResult:
        """Store the idea and give its tracking code; exactly once per draft.

        The draft is read again and deleted inside the one write transaction: a second
        tap, or another worker, finds nothing to delete and submits nothing."""
        now = self.clock()
        async with self.db.write() as session:
            row = await drafts.get_draft(session, user_id)
            if row is None or row.id != draft.id:
                return SubmitResult(SubmitStatus.ALREADY_SUBMITTED)
            answers = dict(row.answers)
            if as_general:  # its call closed: the person chose to send it as a general idea
                answers.pop("call", None)
                answers.pop(BOUND_CALL, None)
            current = Draft(row.id, row.flow, row.step, answers, row.returning_to_review)
            if answers.get("call") is not None:
                call = await calls.get_call(session, int(answers["call"]))
                if call is None or not call.opens_at <= now < call.closes_at:
                    title = call.title if call else ""
                    return SubmitResult(SubmitStatus.CALL_CLOSED, closed_call=title)
            missing = await self.conversations.missing(user_id, current)
            if missing is not None:
                return SubmitResult(SubmitStatus.INCOMPLETE, missing_step=missing)
            if await ideas.count_ideas_since(session, user_id, self._start_of_day(now)) >= (
                self.daily_limit
            ):
                return SubmitResult(SubmitStatus.DAILY_LIMIT)
            if not await drafts.delete_draft(session, user_id, row.id):
                return SubmitResult(SubmitStatus.ALREADY_SUBMITTED)
            code = new_code()
            while await ideas.code_exists(session, code):  # about one in 34 billion
                code = new_code()
            location = answers.get("location") or {}
            idea_id = await ideas.add_idea(
                session,
                {
                    "code": code,
                    "user_id": user_id,
                    "platform": platform.value,
                    "persona": answers["persona"],
                    "affiliation": answers.get("affiliation"),
                    "area": answers["area"],
                    "call_id": int(answers["call"]) if answers.get("call") else None,
                    "title": answers["title"],
                    "problem": answers["problem"],
                    "solution": answers["solution"],
                    "impact": answers.get("impact"),
                    "stage": answers["stage"],
                    "team_size": answers.get("team_size"),
                    "latitude": location.get("latitude"),
                    "longitude": location.get("longitude"),
                    "full_name": answers["full_name"],
                    "phone": answers["phone"],
                    "consent_at": datetime.fromisoformat(answers["consent"]),
                    "status": INITIAL,
                    "created_at": now,
                    "updated_at": now,
                },
                [{**item, "platform": platform.value} for item in answers.get("attachments") or []],
            )
            await users.set_contact(session, user_id, answers["full_name"], answers["phone"])
            receipt = await self.notifier.notify(user_id, Receipt(code))
            if self.arrived is not None:
                stored = IdeaView(idea_id, code, answers["title"], INITIAL, now, user_id)
                await self.arrived(stored, answers["area"])
        return SubmitResult(SubmitStatus.SUBMITTED, code=code, receipt=receipt)

    async def mine(self, user_id: int, limit: int = 15) -> tuple[list[IdeaView], int]:
        """The person's latest ideas (at most `limit`, so the list fits one message) and
        how many they have in all."""
        async with self.db.read() as session:
            rows = await ideas.list_ideas(session, user_id, limit)
            total = await ideas.count_ideas(session, user_id)
            return [idea_view(r) for r in rows], total
