"""Moving ideas through their lifecycle: every change recorded with who, when and why,
and the applicant told on their own platform and in their own language; who may do
what (`bot.core.roles`), undoing a change, assigning reviewers, and what the applicant
adds after submitting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from bot.core.alerts import AlertEvent
from bot.core.clock import Clock, utcnow
from bot.core.notices import AnswerReceived, Notifier, StatusChanged
from bot.core.persian import normalize
from bot.core.platforms import Platform
from bot.core.roles import REVIEWER, UNDO_WINDOW, Permission, may, may_move
from bot.core.statuses import REASON_REQUIRED, STATUSES, can_move
from bot.core.text import bound
from bot.core.views import (
    Attachment,
    Delivery,
    HistoryEntry,
    IdeaCard,
    IdeaView,
    Staff,
    StaffMember,
    StoredFile,
)
from bot.services.alerts import AlertService
from bot.services.ideas import idea_view
from bot.services.users import StaffDirectory
from storage import Database, assignments, calls, history, ideas, users
from storage.models import Attachment as AttachmentRow
from storage.models import History, Idea

# Reasons and questions reach the applicant whole: never longer than a value may be shown.
REASON_LIMIT = 1000


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"  # no such transition from the current status
    REASON_REQUIRED = "reason_required"
    NOT_WAITING = "not_waiting"  # an answer, but no question is open
    NOT_PERMITTED = "not_permitted"  # the staff member's role does not allow it
    TOO_LATE = "too_late"  # an undo after its time, or after another change


@dataclass(frozen=True, slots=True)
class Change:
    idea: IdeaView | None
    refusal: Refusal | None = None
    notice: Delivery | None = None  # the applicant's notice, once its change is committed
    entry_id: int | None = None  # the history entry it wrote (an answer)

    @property
    def delivery(self) -> str | None:
        """What became of the applicant's notice: "sent", "pending", …; None if there
        was none to send (an anonymous idea, a person who blocked the bot)."""
        return self.notice.status if self.notice is not None else None


def history_entry(row: History, who: str | None = None) -> HistoryEntry:
    return HistoryEntry(
        row.kind,
        row.from_status,
        row.to_status,
        row.text,
        row.staff_user_id is not None,
        row.created_at,
        who,
    )


def _staff_key(row: History) -> tuple[str, int] | None:
    if row.staff_platform is None or row.staff_user_id is None:
        return None
    return row.staff_platform, row.staff_user_id


def idea_card(row: Idea, files: list[Attachment], **more: Any) -> IdeaCard:
    return IdeaCard(
        idea=idea_view(row),
        platform=Platform(row.platform),
        persona=row.persona,
        affiliation=row.affiliation,
        area=row.area,
        call_id=row.call_id,
        problem=row.problem,
        solution=row.solution,
        impact=row.impact,
        stage=row.stage,
        team_size=row.team_size,
        latitude=row.latitude,
        longitude=row.longitude,
        full_name=row.full_name,
        phone=row.phone,
        files=tuple(files),
        duplicate_of=row.duplicate_of,
        awaiting_staff=row.awaiting_staff_at is not None,
        updated_at=row.updated_at,
        **more,
    )


def _stored(row: AttachmentRow) -> StoredFile:
    return StoredFile(
        row.id, row.kind, Platform(row.platform), row.file_id, row.name, row.mime_type, row.size
    )


class ReviewService:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        staff: StaffDirectory | None = None,
        alerts: AlertService | None = None,
        clock: Clock = utcnow,
        *,
        auto_assign: bool = False,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.staff = staff or StaffDirectory(())
        self.alerts = alerts
        self.clock = clock
        self.auto_assign = auto_assign

    async def arrived(self, idea: IdeaView, area: str) -> None:
        """A new idea, in its submission's transaction: given to a reviewer of its area
        when automatic assignment is on, and the staff who want to know are told."""
        if self.auto_assign:
            await self.assign_by_area(idea, area)
        if self.alerts is not None:
            await self.alerts.tell(idea, area, AlertEvent.NEW_IDEA)

    async def for_applicant(self, user_id: int, code: str) -> IdeaView | None:
        """The person's own idea with this code; someone else's is "not found" too."""
        async with self.db.read() as session:
            idea = await ideas.get_idea_by_code(session, code)
            return idea_view(idea) if idea and idea.user_id == user_id else None

    async def original_of(self, idea_id: int, code: str) -> IdeaView | None:
        """The idea that `idea_id` would duplicate: an existing idea, and another one."""
        original = await self.by_code(code)
        return original if original is not None and original.id != idea_id else None

    async def by_id(self, idea_id: int) -> IdeaView | None:
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
            return idea_view(idea) if idea else None

    async def by_code(self, code: str) -> IdeaView | None:
        async with self.db.read() as session:
            idea = await ideas.get_idea_by_code(session, code)
            return idea_view(idea) if idea else None

    async def card(self, idea_id: int) -> IdeaCard | None:
        """Everything staff see of an idea: its answers, contact, files, call, assignees
        and its latest history with who did what."""
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None:
                return None
            files = [
                Attachment(a.kind, Platform(a.platform), a.chat_id, a.message_id, a.name)
                for a in await ideas.list_attachments(session, idea_id)
            ]
            call = await calls.get_call(session, idea.call_id) if idea.call_id else None
            held = await assignments.assignees(session, idea_id)
            rows = await history.list_entries(session, idea_id)
            keys = [k for r in rows if (k := _staff_key(r)) is not None]
            names = await users.names_of(session, [*held, *keys])
            entries = [history_entry(r, names.get(_staff_key(r) or ("", 0))) for r in rows]
            return idea_card(
                idea,
                files,
                call_title=call.title if call else None,
                assignees=tuple(names.get(k) or f"#{k[1]}" for k in held),
                recent=tuple(entries[-3:]),
            )

    async def files(self, idea_id: int) -> list[StoredFile]:
        """The idea's files with what fetches them (the console downloads them)."""
        async with self.db.read() as session:
            return [_stored(a) for a in await ideas.list_attachments(session, idea_id)]

    async def file(self, idea_id: int, file_id: int) -> StoredFile | None:
        """One file of this idea (another idea's file id finds nothing)."""
        async with self.db.read() as session:
            found = await ideas.get_attachment(session, file_id)
            return _stored(found) if found is not None and found.idea_id == idea_id else None

    async def queue(
        self,
        status: str,
        area: str,
        platform: str,
        page: int,
        per_page: int = 8,
        call: int = 0,
        viewer: Staff | None = None,
        mine_only: bool = False,
    ) -> tuple[list[IdeaView], int, set[int]]:
        """The reviewers' queue: the viewer's assigned ideas first, then those whose
        applicant replied (longest waiting first), then the oldest; "" (or call 0) means
        any; status "open" means every open status. Also which of the page wait for staff
        (the third value: their ids, and "assigned to the viewer" ones are in the views)."""
        statuses = [k for k, s in STATUSES.items() if s.open] if status == "open" else [status]
        who = (viewer.platform.value, viewer.user_id) if viewer else None
        async with self.db.read() as session:
            rows, total = await ideas.queue(
                session,
                statuses,
                area or None,
                platform or None,
                page * per_page,
                per_page,
                call_id=call or None,
                viewer=who,
                mine_only=mine_only,
            )
            waiting = {r.id for r in rows if r.awaiting_staff_at is not None}
            return [idea_view(r) for r in rows], total, waiting

    async def assigned_to(self, staff: Staff) -> set[int]:
        async with self.db.read() as session:
            return await assignments.assigned_ideas(session, staff.platform.value, staff.user_id)

    async def similar(
        self, idea_id: int, limit: int = 3, threshold: int = 60
    ) -> list[tuple[IdeaView, int]]:
        """The recent ideas most like this one by title and problem (after Persian
        normalization), with their similarity out of 100."""
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None:
                return []
            recent = [r for r in await ideas.recent_ideas(session, 1000) if r.id != idea_id]
        # The fuzzy matcher is loaded the first time a card is opened, not at start.
        from rapidfuzz import fuzz, process

        def text(row: Idea) -> str:
            return normalize(f"{row.title} {row.problem[:300]}").casefold()

        choices = {r.id: text(r) for r in recent}
        by_id = {r.id: r for r in recent}
        found = process.extract(
            text(idea), choices, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=threshold
        )
        return [(idea_view(by_id[key]), round(score)) for _text, score, key in found]

    async def history(self, idea_id: int, *, applicant_view: bool) -> list[HistoryEntry]:
        """The idea's history; staff see who did each thing, the applicant never does."""
        async with self.db.read() as session:
            rows = await history.list_entries(session, idea_id, applicant_view=applicant_view)
            if applicant_view:
                return [history_entry(e) for e in rows]
            keys = [k for r in rows if (k := _staff_key(r)) is not None]
            names = await users.names_of(session, keys)
            return [history_entry(e, names.get(_staff_key(e) or ("", 0))) for e in rows]

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
            idea = await ideas.get_idea(session, idea_id)
            if idea is None:
                return Change(None, Refusal.NOT_FOUND)
            view = idea_view(idea)
            if staff is not None and not may_move(staff.role, target):
                return Change(view, Refusal.NOT_PERMITTED)
            if not can_move(idea.status, target) or (target == "withdrawn" and staff is not None):
                return Change(view, Refusal.NOT_ALLOWED)  # only the owner withdraws
            if target in REASON_REQUIRED and reason is None:
                return Change(view, Refusal.REASON_REQUIRED)
            entry = await history.add_entry(
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
            await ideas.set_idea_status(
                session, idea.id, target, duplicate_of.id if duplicate_of and reason else None
            )
            notice = None
            if idea.user_id is not None and staff is not None:
                notice = await self.notifier.notify(
                    idea.user_id, StatusChanged(view, target, reason)
                )
        return Change(replace(view, status=target), notice=notice, entry_id=entry.id)

    async def undo(self, idea_id: int, entry_id: int, staff: Staff) -> Change:
        """An administrator takes back a status change (`entry_id`) made within the undo
        window, if nothing changed since: the idea is where it was, and its applicant is
        told. The history keeps both the change and its undoing."""
        if not may(staff.role, Permission.UNDO):
            return Change(None, Refusal.NOT_PERMITTED)
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            entry = await history.get_entry(session, entry_id)
            if idea is None or entry is None or entry.idea_id != idea_id:
                return Change(None, Refusal.NOT_FOUND)
            view = idea_view(idea)
            latest = await history.latest_move(session, idea_id)
            if latest is None or latest.id != entry.id or not self._takes_back(idea, entry):
                return Change(view, Refusal.TOO_LATE)
            back = entry.from_status
            assert back is not None
            undo = await history.add_entry(
                session,
                idea_id=idea.id,
                kind="undo",
                from_status=idea.status,
                to_status=back,
                staff_platform=staff.platform.value,
                staff_user_id=staff.user_id,
                visible_to_applicant=True,
            )
            await ideas.set_idea_status(session, idea.id, back)
            notice = None
            if idea.user_id is not None:
                notice = await self.notifier.notify(
                    idea.user_id, StatusChanged(view, back, None, undone=True)
                )
        return Change(replace(view, status=back), notice=notice, entry_id=undo.id)

    def _takes_back(self, idea: Idea, entry: History) -> bool:
        """Whether `entry`, the idea's latest move, may still be undone: made by staff,
        within the undo window, and nothing changed since."""
        return (
            entry.staff_user_id is not None
            and entry.from_status is not None
            and idea.status == entry.to_status
            and self.clock() - entry.created_at <= UNDO_WINDOW
        )

    async def undoable(self, idea_id: int) -> tuple[int, str] | None:
        """The latest move an administrator may still take back: its history entry, and
        the status the idea would go back to."""
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
            latest = await history.latest_move(session, idea_id) if idea else None
            if idea is None or latest is None or not self._takes_back(idea, latest):
                return None
            return latest.id, str(latest.from_status)

    # ----- assignment -----
    async def reviewers(self) -> list[tuple[StaffMember, str]]:
        """Every staff member who can be given ideas, with their name."""
        await self.staff.load()
        members = self.staff.members()
        async with self.db.read() as session:
            names = await users.names_of(session, [(m.platform.value, m.user_id) for m in members])
        return [(m, names.get((m.platform.value, m.user_id)) or f"#{m.user_id}") for m in members]

    async def assignees(self, idea_id: int) -> set[tuple[Platform, int]]:
        async with self.db.read() as session:
            return {(Platform(p), u) for p, u in await assignments.assignees(session, idea_id)}

    async def toggle_assignee(
        self, idea_id: int, member: tuple[Platform, int], by: Staff, by_name: str
    ) -> Refusal | None:
        """Give the idea to a reviewer (who is told), or take it back; administrators only."""
        if not may(by.role, Permission.ASSIGN):
            return Refusal.NOT_PERMITTED
        await self.staff.load()
        if self.staff.role_of(*member) is None:
            return Refusal.NOT_FOUND
        platform, user_id = member
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None:
                return Refusal.NOT_FOUND
            names = await users.names_of(session, [(platform.value, user_id)])
            name = names.get((platform.value, user_id)) or f"#{user_id}"
            taken = await assignments.unassign(session, idea_id, platform.value, user_id)
            if not taken:
                await assignments.assign(session, idea_id, platform.value, user_id)
            await history.add_entry(
                session,
                idea_id=idea_id,
                kind="unassigned" if taken else "assigned",
                text=name,
                staff_platform=by.platform.value,
                staff_user_id=by.user_id,
                visible_to_applicant=False,
            )
            if taken:
                return None
            if self.alerts is not None and member != (by.platform, by.user_id):  # not oneself
                await self.alerts.tell(
                    idea_view(idea), idea.area, AlertEvent.ASSIGNED, only=member, by=by_name
                )
        return None

    async def assign_by_area(self, idea: IdeaView, area: str) -> None:
        """A new idea goes to the reviewer of its area holding the fewest ideas (round
        robin), in the caller's transaction; nobody's area: nobody."""
        if self.alerts is None:
            return
        await self.staff.load()
        candidates = []
        for member in self.staff.members():
            if member.role != REVIEWER:
                continue
            choice = await self.alerts.choice(member.platform, member.user_id)
            if area in choice.areas:
                candidates.append((member.platform.value, member.user_id))
        if not candidates:
            return
        async with self.db.write() as session:
            held = await assignments.held_counts(session, candidates)
            platform, user_id = min(candidates, key=lambda k: (held[k], k))
            await assignments.assign(session, idea.id, platform, user_id)
            names = await users.names_of(session, [(platform, user_id)])
            await history.add_entry(  # by nobody: ideabot gave it, by area
                session,
                idea_id=idea.id,
                kind="assigned",
                text=names.get((platform, user_id)) or f"#{user_id}",
                visible_to_applicant=False,
            )
        await self.alerts.tell(idea, area, AlertEvent.ASSIGNED, only=(Platform(platform), user_id))

    # ----- the applicant adds -----
    async def add_info(
        self, user_id: int, idea_id: int, text: str, files: list[dict[str, Any]] | None = None
    ) -> Change:
        """Information (or files) the applicant adds to an open idea of theirs unasked:
        in the history, the idea marked as waiting for staff, and staff alerted."""
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None or idea.user_id != user_id:
                return Change(None, Refusal.NOT_FOUND)
            view = idea_view(idea)
            if not view.open:
                return Change(view, Refusal.NOT_ALLOWED)
            entry = await history.add_entry(
                session, idea_id=idea.id, kind="info", text=text or None, visible_to_applicant=True
            )
            for item in files or []:
                await ideas.add_attachment(
                    session, idea_id=idea.id, history_id=entry.id, platform=idea.platform, **item
                )
            await ideas.set_awaiting_staff(session, idea.id, self.clock())
            if self.alerts is not None:
                await self.alerts.tell(view, idea.area, AlertEvent.INFO)
        return Change(view, entry_id=entry.id)

    async def seen(self, idea_id: int, staff: Staff) -> None:
        """What the applicant sent needs nothing more from staff: the idea stops waiting."""
        if may(staff.role, Permission.REVIEW):
            async with self.db.write() as session:
                await ideas.set_awaiting_staff(session, idea_id, None)

    async def withdraw(self, user_id: int, idea_id: int) -> Change:
        """The applicant takes back an open idea of their own."""
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
        if idea is None or idea.user_id != user_id:
            return Change(None, Refusal.NOT_FOUND)
        return await self.change_status(idea_id, "withdrawn", None, None)

    async def add_note(self, idea_id: int, text: str, staff: Staff) -> Change:
        """An internal note: in the history staff see, never shown to the applicant."""
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None:
                return Change(None, Refusal.NOT_FOUND)
            await history.add_entry(
                session,
                idea_id=idea.id,
                kind="note",
                text=text,
                staff_platform=staff.platform.value,
                staff_user_id=staff.user_id,
                visible_to_applicant=False,
            )
            return Change(idea_view(idea))

    async def waiting(self, user_id: int) -> list[IdeaView]:
        """The person's ideas whose reviewers asked them something, oldest first."""
        async with self.db.read() as session:
            return [
                idea_view(r) for r in await ideas.ideas_in_status(session, user_id, "needs_info")
            ]

    async def answer(
        self, user_id: int, idea_id: int, text: str, files: list[dict[str, Any]] | None = None
    ) -> Change:
        """The applicant's answer to the staff's question: recorded, and the idea goes back
        to where it was in the reviewers' queue."""
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None or idea.user_id != user_id:
                return Change(None, Refusal.NOT_FOUND)
            view = idea_view(idea)
            if idea.status != "needs_info":
                return Change(view, Refusal.NOT_WAITING)
            asked = await history.last_status_entry(session, idea.id, "needs_info")
            back_to = asked.from_status if asked and asked.from_status else "screening"
            if not can_move("needs_info", back_to):
                back_to = "screening"
            answer = await history.add_entry(
                session, idea_id=idea.id, kind="answer", text=text, visible_to_applicant=True
            )
            for item in files or []:
                await ideas.add_attachment(
                    session, idea_id=idea.id, history_id=answer.id, platform=idea.platform, **item
                )
            await history.add_entry(
                session,
                idea_id=idea.id,
                kind="status",
                from_status="needs_info",
                to_status=back_to,
                visible_to_applicant=True,
            )
            await ideas.set_idea_status(session, idea.id, back_to)
            await ideas.set_awaiting_staff(session, idea.id, self.clock())
            if self.alerts is not None:
                await self.alerts.tell(view, idea.area, AlertEvent.REPLY)
            notice = await self.notifier.notify(user_id, AnswerReceived(view))
        return Change(replace(view, status=back_to), notice=notice, entry_id=answer.id)

    async def add_to_answer(
        self, user_id: int, idea_id: int, entry_id: int, text: str, files: list[dict[str, Any]]
    ) -> bool:
        """The rest of an album sent as one answer: more files (and caption) on it."""
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            entry = await history.get_entry(session, entry_id)
            if idea is None or idea.user_id != user_id or entry is None:
                return False
            if entry.idea_id != idea.id or entry.kind not in ("answer", "info"):
                return False
            if text:
                entry.text = "\n".join(part for part in (entry.text, text) if part)
            for item in files:
                await ideas.add_attachment(
                    session, idea_id=idea.id, history_id=entry.id, platform=idea.platform, **item
                )
            return True
