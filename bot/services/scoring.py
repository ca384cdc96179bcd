"""Reviewers score ideas against their call's rubric (or the default one). Blind by
default: a reviewer sees the others' scores, and the idea's, only once they have scored
every criterion themselves; administrators see everything, and rank a call's ideas."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.persian import normalize
from bot.core.roles import Permission, may
from bot.core.scoring import SCALE, Criterion, Verdict, complete, rubric_of
from bot.core.statuses import STATUSES
from bot.core.text import bound
from bot.core.views import IdeaView, Staff
from bot.services.ideas import idea_view
from storage import Database, calls, history, ideas, scores, users
from storage.models import Idea, Score

NOTE_LIMIT = 1000


class ScoreRefusal(StrEnum):
    NOT_PERMITTED = "not_permitted"
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # a decided idea is not scored any more
    NO_SUCH_CRITERION = "no_such_criterion"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One reviewer's scores of one idea, and the others' when they may see them."""

    idea: IdeaView
    rubric: tuple[Criterion, ...]
    mine: dict[str, int]
    notes: dict[str, str]
    # Each other reviewer's name and scores; None while hidden (blind).
    others: tuple[tuple[str, dict[str, int]], ...] | None
    verdict: Verdict | None  # None while hidden

    @property
    def done(self) -> bool:
        return complete(self.rubric, self.mine)


@dataclass(frozen=True, slots=True)
class Ranked:
    idea: IdeaView
    verdict: Verdict


def _sheets(rows: list[Score]) -> dict[tuple[str, int], dict[str, int]]:
    found: dict[tuple[str, int], dict[str, int]] = {}
    for row in rows:
        if row.value is not None:
            found.setdefault((row.platform, row.user_id), {})[row.criterion] = row.value
    return found


class ScoringService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    async def _rubric(session: AsyncSession, idea: Idea) -> tuple[Criterion, ...]:
        call = await calls.get_call(session, idea.call_id) if idea.call_id else None
        return rubric_of(call.rubric if call is not None else None)

    async def rubric(self, idea_id: int) -> tuple[Criterion, ...]:
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
            return await self._rubric(session, idea) if idea else ()

    async def sheet(self, idea_id: int, staff: Staff) -> Sheet | None:
        async with self.db.read() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None or not may(staff.role, Permission.SCORE):
                return None
            rubric = await self._rubric(session, idea)
            rows = await scores.scores_of(session, [idea_id])
            me = (staff.platform.value, staff.user_id)
            sheets = _sheets(rows)
            mine = sheets.pop(me, {})
            notes = {r.criterion: r.note for r in rows if (r.platform, r.user_id) == me and r.note}
            sees = may(staff.role, Permission.RANK) or complete(rubric, mine)
            if not sees:
                return Sheet(idea_view(idea), rubric, mine, notes, None, None)
            names = await users.names_of(session, list(sheets))
            others = tuple(
                (names.get(key) or f"#{key[1]}", values) for key, values in sheets.items()
            )
            verdict = Verdict.of(rubric, [mine, *sheets.values()])
            return Sheet(idea_view(idea), rubric, mine, notes, others, verdict)

    async def verdict(self, idea_id: int, staff: Staff) -> Verdict | None:
        """The idea's score as this staff member may see it (None: hidden from them)."""
        sheet = await self.sheet(idea_id, staff)
        return sheet.verdict if sheet is not None else None

    async def score(
        self,
        idea_id: int,
        staff: Staff,
        criterion: str,
        *,
        value: int | None = None,
        note: str | None = None,
    ) -> ScoreRefusal | None:
        """Set one criterion's score (1-5) or note; None when it was recorded."""
        if not may(staff.role, Permission.SCORE):
            return ScoreRefusal.NOT_PERMITTED
        if value is not None and value not in SCALE:
            return ScoreRefusal.NO_SUCH_CRITERION
        async with self.db.write() as session:
            idea = await ideas.get_idea(session, idea_id)
            if idea is None:
                return ScoreRefusal.NOT_FOUND
            if not STATUSES[idea.status].open:
                return ScoreRefusal.CLOSED
            rubric = await self._rubric(session, idea)
            if criterion not in {c.key for c in rubric}:
                return ScoreRefusal.NO_SUCH_CRITERION
            text = bound(normalize(note), NOTE_LIMIT) if note is not None else None
            me = (staff.platform.value, staff.user_id)
            before = _sheets(await scores.scores_of(session, [idea_id])).get(me, {})
            await scores.put_score(
                session,
                idea_id,
                staff.platform.value,
                staff.user_id,
                criterion,
                value=value,
                note=text if value is None else None,
            )
            mine = {**before, criterion: value} if value is not None else before
            if complete(rubric, mine) and not complete(rubric, before):
                await history.add_entry(  # once: when their sheet is first complete
                    session,
                    idea_id=idea_id,
                    kind="scored",
                    staff_platform=staff.platform.value,
                    staff_user_id=staff.user_id,
                    visible_to_applicant=False,
                )
        return None

    async def ranking(self, staff: Staff, call_id: int | None) -> list[Ranked] | None:
        """A call's ideas (None: those outside calls) still open or accepted, best
        first; None for a reviewer."""
        if not may(staff.role, Permission.RANK):
            return None
        statuses = [k for k, s in STATUSES.items() if s.open]
        async with self.db.read() as session:
            rows = await ideas.ideas_of_call(session, call_id, statuses)
            call = await calls.get_call(session, call_id) if call_id else None
            rubric = rubric_of(call.rubric if call is not None else None)
            by_idea: dict[int, list[Score]] = {}
            for row in await scores.scores_of(session, [r.id for r in rows]):
                by_idea.setdefault(row.idea_id, []).append(row)
        ranked = [
            Ranked(idea_view(r), Verdict.of(rubric, _sheets(by_idea.get(r.id, [])).values()))
            for r in rows
        ]
        ranked.sort(key=lambda r: (r.verdict.score is None, -(r.verdict.score or 0), r.idea.id))
        return ranked
