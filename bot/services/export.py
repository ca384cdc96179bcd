"""Exporting ideas for staff: the table of the chosen ideas, in the reader's language.
The files (CSV, XLSX) are written at the edge, from this table."""

from __future__ import annotations

from datetime import timedelta, tzinfo

from bot.core.dates import format_date, parse_typed
from bot.core.roles import Role
from bot.core.statuses import STATUSES
from bot.core.tracking import display_code
from bot.core.views import ExportFilter
from bot.core.vocabulary import AREAS, PERSONAS, STAGES, label_of, option, platform_name
from locales import staff as t
from storage import Database, ideas
from storage.models import Idea

Table = list[list[object]]


def parse_filter(args: str, tz: tzinfo) -> ExportFilter | str:
    """`status=… area=… call=… from=1405/09/01 to=1405/09/30`; the bad part on a mistake."""
    fields: dict[str, object] = {}
    for part in args.split():
        key, _sep, value = part.partition("=")
        if key == "status" and value in STATUSES:
            fields["status"] = value
        elif key == "area" and option(AREAS, value):
            fields["area"] = value
        elif key == "call" and value.isdigit():
            fields["call_id"] = int(value)
        elif key in ("from", "to") and (day := parse_typed(value, tz)) is not None:
            fields["since" if key == "from" else "until"] = (
                day if key == "from" else day + timedelta(days=1)
            )
        else:
            return part
    return ExportFilter(**fields)  # type: ignore[arg-type]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs: applicants' text is data."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table(rows: list[Idea], with_contact: bool, tz: tzinfo, locale: str) -> Table:
    headers: list[object] = [
        str(t.CODE_COLUMN),
        str(t.DATE_COLUMN),
        str(t.STATUS_COLUMN),
        str(t.PLATFORM_COLUMN),
        str(t.PERSONA_COLUMN),
        str(t.AFFILIATION_COLUMN),
        str(t.AREA_COLUMN),
        str(t.CALL_COLUMN),
        str(t.TITLE_COLUMN),
        str(t.PROBLEM_COLUMN),
        str(t.SOLUTION_COLUMN),
        str(t.IMPACT_COLUMN),
        str(t.STAGE_COLUMN),
        str(t.TEAM_COLUMN),
    ]
    if with_contact:
        headers += [
            str(t.NAME_COLUMN),
            str(t.PHONE_COLUMN),
            str(t.LATITUDE_COLUMN),
            str(t.LONGITUDE_COLUMN),
        ]
    result: Table = [headers]
    for idea in rows:
        row: list[object] = [
            display_code(idea.code),
            format_date(idea.created_at, tz, locale),
            str(STATUSES[idea.status].name),
            platform_name(idea.platform),
            label_of(PERSONAS, idea.persona, ""),
            inert(idea.affiliation or ""),
            label_of(AREAS, idea.area, ""),
            idea.call_id or "",
            inert(idea.title),
            inert(idea.problem),
            inert(idea.solution),
            inert(idea.impact or ""),
            label_of(STAGES, idea.stage, ""),
            idea.team_size or "",
        ]
        if with_contact:
            row += [
                inert(idea.full_name or ""),
                idea.phone or "",
                idea.latitude or "",
                idea.longitude or "",
            ]
        result.append(row)
    return result


class ExportService:
    def __init__(self, db: Database, tz: tzinfo) -> None:
        self.db = db
        self.tz = tz

    async def export(self, chosen: ExportFilter, role: Role, locale: str) -> tuple[Table, int]:
        """The chosen ideas as a table; contact details for administrators only."""
        async with self.db.read() as session:
            rows = await ideas.ideas_for_export(
                session, chosen.status, chosen.area, chosen.call_id, chosen.since, chosen.until
            )
        return table(rows, role == "admin", self.tz, locale), len(rows)
