"""Moving ideas through their lifecycle: every change recorded, the applicant told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz, process

from bot.messenger import Messenger
from bot.notices import answer_received_notice, status_notice
from bot.persian import normalize
from bot.platforms import Platform
from bot.render import bound
from bot.statuses import REASON_REQUIRED, STATUSES, can_move
from storage import Database, repo
from storage.models import Idea, IdeaEvent

# Reasons and questions reach the applicant whole: never longer than a value may be shown.
REASON_LIMIT = 1000


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"  # no such transition from the current status
    REASON_REQUIRED = "reason_required"
    NOT_WAITING = "not_waiting"  # an answer, but no question is open


@dataclass(frozen=True, slots=True)
class Staff:
    platform: Platform
    user_id: int


@dataclass(frozen=True, slots=True)
class IdeaView:
    id: int
    code: str
    title: str
    status: str
    created_at: datetime
    user_id: int | None

    @classmethod
    def of(cls, idea: Idea) -> IdeaView:
        return cls(idea.id, idea.code, idea.title, idea.status, idea.created_at, idea.user_id)

    @property
    def open(self) -> bool:
        return STATUSES[self.status].open


@dataclass(frozen=True, slots=True)
class EventView:
    kind: str
    from_status: str | None
    to_status: str | None
    text: str | None
    by_staff: bool
    created_at: datetime

    @classmethod
    def of(cls, event: IdeaEvent) -> EventView:
        return cls(
            event.kind,
            event.from_status,
            event.to_status,
            event.text,
            event.staff_user_id is not None,
            event.created_at,
        )


@dataclass(frozen=True, slots=True)
class Change:
    idea: IdeaView | None
    refusal: Refusal | None = None
    delivery: str | None = None  # what became of the applicant's notice
    event_id: int | None = None  # the history entry it wrote (an answer)


class ReviewService:
    def __init__(self, db: Database, messenger: Messenger) -> None:
        self.db = db
        self.messenger = messenger

    async def for_applicant(self, user_id: int, code: str) -> IdeaView | None:
        """The person's own idea with this code; someone else's is "not found" too."""
        async with self.db.read() as session:
            idea = await repo.get_idea_by_code(session, code)
            return IdeaView.of(idea) if idea and idea.user_id == user_id else None

    async def original_of(self, idea_id: int, code: str) -> IdeaView | None:
        """The idea that `idea_id` would duplicate: an existing idea, and another one."""
        original = await self.by_code(code)
        return original if original is not None and original.id != idea_id else None

    async def by_id(self, idea_id: int) -> IdeaView | None:
        async with self.db.read() as session:
            idea = await repo.get_idea(session, idea_id)
            return IdeaView.of(idea) if idea else None

    async def by_code(self, code: str) -> IdeaView | None:
        async with self.db.read() as session:
            idea = await repo.get_idea_by_code(session, code)
            return IdeaView.of(idea) if idea else None

    async def card(self, idea_id: int) -> tuple[Idea, list[dict[str, Any]]] | None:
        """Everything staff see of an idea: its row and its files."""
        async with self.db.read() as session:
            idea = await repo.get_idea(session, idea_id)
            if idea is None:
                return None
            files = [
                {
                    "kind": a.kind,
                    "chat_id": a.chat_id,
                    "message_id": a.message_id,
                    "platform": a.platform,
                    "name": a.name,
                }
                for a in await repo.list_attachments(session, idea_id)
            ]
            return idea, files

    async def queue(
        self, status: str, area: str, platform: str, page: int, per_page: int = 8, call: int = 0
    ) -> tuple[list[IdeaView], int]:
        """The reviewers' queue, oldest first; "" (or call 0) means any; status "open" means
        every open status."""
        statuses = [k for k, s in STATUSES.items() if s.open] if status == "open" else [status]
        async with self.db.read() as session:
            rows, total = await repo.queue(
                session,
                statuses,
                area or None,
                platform or None,
                page * per_page,
                per_page,
                call_id=call or None,
            )
            return [IdeaView.of(r) for r in rows], total

    async def similar(
        self, idea_id: int, limit: int = 3, threshold: int = 60
    ) -> list[tuple[IdeaView, int]]:
        """The recent ideas most like this one by title and problem (after Persian
        normalization), with their similarity out of 100."""
        async with self.db.read() as session:
            idea = await repo.get_idea(session, idea_id)
            if idea is None:
                return []
            recent = [r for r in await repo.recent_ideas(session, 1000) if r.id != idea_id]

        def text(row: Idea) -> str:
            return normalize(f"{row.title} {row.problem[:300]}").casefold()

        choices = {r.id: text(r) for r in recent}
        by_id = {r.id: r for r in recent}
        found = process.extract(
            text(idea), choices, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=threshold
        )
        return [(IdeaView.of(by_id[key]), round(score)) for _text, score, key in found]

    async def history(self, idea_id: int, *, applicant_view: bool) -> list[EventView]:
        async with self.db.read() as session:
            events = await repo.list_events(session, idea_id, applicant_view=applicant_view)
            return [EventView.of(e) for e in events]

    async def change_status(
        self,
        idea_id: int,
        target: str,
        reason: str | None,
        staff: Staff | None,
        *,
        duplicate_of: IdeaView | None = None,
    ) -> Change:
        """Move an idea along the transitions table and tell its applicant, on their own
        platform and in their language (the notice is in the outbox before it is sent).

        A duplicate's reason is the code of the idea it repeats, which every reader sees
        in their own language; the idea keeps a link to it."""
        reason = bound((reason or "").strip(), REASON_LIMIT) or None
        if target == "duplicate":
            reason = duplicate_of.code if duplicate_of and duplicate_of.id != idea_id else None
        async with self.db.write() as session:
            idea = await repo.get_idea(session, idea_id)
            if idea is None:
                return Change(None, Refusal.NOT_FOUND)
            view = IdeaView.of(idea)
            if not can_move(idea.status, target) or (target == "withdrawn" and staff is not None):
                return Change(view, Refusal.NOT_ALLOWED)  # only the owner withdraws
            if target in REASON_REQUIRED and reason is None:
                return Change(view, Refusal.REASON_REQUIRED)
            await repo.add_event(
                session,
                idea_id=idea.id,
                kind="question" if target == "needs_info" else "status",
                from_status=idea.status,
                to_status=target,
                text=reason,
                staff_platform=staff.platform.value if staff else None,
                staff_user_id=staff.user_id if staff else None,
                visible_to_applicant=True,
            )
            await repo.set_idea_status(
                session, idea.id, target, duplicate_of.id if duplicate_of and reason else None
            )
            notice = None
            if idea.user_id is not None and staff is not None:
                notice = await self.messenger.queue(
                    session, idea.user_id, status_notice(view, target, reason)
                )
        delivery = await self.messenger.deliver(notice) if notice else None
        return Change(
            IdeaView(view.id, view.code, view.title, target, view.created_at, view.user_id),
            delivery=delivery,
        )

    async def withdraw(self, user_id: int, idea_id: int) -> Change:
        """The applicant takes back an open idea of their own."""
        async with self.db.read() as session:
            idea = await repo.get_idea(session, idea_id)
        if idea is None or idea.user_id != user_id:
            return Change(None, Refusal.NOT_FOUND)
        return await self.change_status(idea_id, "withdrawn", None, None)

    async def add_note(self, idea_id: int, text: str, staff: Staff) -> Change:
        """An internal note: in the history staff see, never shown to the applicant."""
        async with self.db.write() as session:
            idea = await repo.get_idea(session, idea_id)
            if idea is None:
                return Change(None, Refusal.NOT_FOUND)
            await repo.add_event(
                session,
                idea_id=idea.id,
                kind="note",
                text=text,
                staff_platform=staff.platform.value,
                staff_user_id=staff.user_id,
                visible_to_applicant=False,
            )
            return Change(IdeaView.of(idea))

    async def answer(
        self, user_id: int, idea_id: int, text: str, files: list[dict[str, Any]] | None = None
    ) -> Change:
        """The applicant's answer to the staff's question: recorded, and the idea goes back
        to where it was in the reviewers' queue."""
        async with self.db.write() as session:
            idea = await repo.get_idea(session, idea_id)
            if idea is None or idea.user_id != user_id:
                return Change(None, Refusal.NOT_FOUND)
            view = IdeaView.of(idea)
            if idea.status != "needs_info":
                return Change(view, Refusal.NOT_WAITING)
            asked = await repo.last_status_event(session, idea.id, "needs_info")
            back_to = asked.from_status if asked and asked.from_status else "screening"
            if not can_move("needs_info", back_to):
                back_to = "screening"
            answer = await repo.add_event(
                session, idea_id=idea.id, kind="answer", text=text, visible_to_applicant=True
            )
            for item in files or []:
                await repo.add_attachment(
                    session, idea_id=idea.id, event_id=answer.id, platform=idea.platform, **item
                )
            await repo.add_event(
                session,
                idea_id=idea.id,
                kind="status",
                from_status="needs_info",
                to_status=back_to,
                visible_to_applicant=True,
            )
            await repo.set_idea_status(session, idea.id, back_to)
            notice = await self.messenger.queue(session, user_id, answer_received_notice(view))
        delivery = await self.messenger.deliver(notice) if notice else None
        return Change(
            IdeaView(view.id, view.code, view.title, back_to, view.created_at, view.user_id),
            delivery=delivery,
            event_id=answer.id,
        )

    async def add_to_answer(
        self, user_id: int, idea_id: int, event_id: int, text: str, files: list[dict[str, Any]]
    ) -> bool:
        """The rest of an album sent as one answer: more files (and caption) on it."""
        async with self.db.write() as session:
            idea = await repo.get_idea(session, idea_id)
            event = await repo.get_event(session, event_id)
            if idea is None or idea.user_id != user_id or event is None:
                return False
            if event.idea_id != idea.id or event.kind != "answer":
                return False
            if text:
                event.text = "\n".join(part for part in (event.text, text) if part)
            for item in files:
                await repo.add_attachment(
                    session, idea_id=idea.id, event_id=event.id, platform=idea.platform, **item
                )
            return True
