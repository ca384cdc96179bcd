"""Exporting ideas for staff: CSV (UTF-8 with BOM, so Excel shows Persian) and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from openpyxl import Workbook

from bot.config import Role
from bot.dates import format_date, parse_jalali
from bot.i18n import _
from bot.intake import graph
from bot.keyboards import platform_name
from bot.statuses import STATUSES
from bot.tracking import display_code
from storage import Database, repo
from storage.models import Idea


@dataclass(frozen=True, slots=True)
class ExportFilter:
    status: str | None = None
    area: str | None = None
    call_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


def parse_filter(args: str, tz: tzinfo) -> ExportFilter | str:
    """`status=… area=… call=… from=1405/09/01 to=1405/09/30`; the bad key on a mistake."""
    fields: dict[str, object] = {}
    for part in args.split():
        key, _sep, value = part.partition("=")
        if key == "status" and value in STATUSES:
            fields["status"] = value
        elif key == "area" and graph.step("area").option(value):
            fields["area"] = value
        elif key == "call" and value.isdigit():
            fields["call_id"] = int(value)
        elif key in ("from", "to") and (day := parse_jalali(value, tz)) is not None:
            fields["since" if key == "from" else "until"] = (
                day if key == "from" else day + timedelta(days=1)
            )
        else:
            return part
    return ExportFilter(**fields)  # type: ignore[arg-type]


def _option(step: str, value: str | None) -> str:
    option = graph.step(step).option(value)
    return str(option.label) if option else (value or "")


def table(ideas: list[Idea], with_contact: bool, tz: tzinfo, locale: str) -> list[list[object]]:
    headers: list[object] = [
        _("Tracking code"),
        _("Date submitted"),
        _("Status"),
        _("Platform"),
        _("Who"),
        _("Affiliation"),
        _("Area"),
        _("Call"),
        _("Title"),
        _("Problem"),
        _("Proposed solution"),
        _("Expected impact"),
        _("Stage"),
        _("Team size"),
    ]
    if with_contact:
        headers += [_("Full name"), _("Phone"), _("Latitude"), _("Longitude")]
    rows: list[list[object]] = [headers]
    for idea in ideas:
        row: list[object] = [
            display_code(idea.code),
            format_date(idea.created_at, tz, locale),
            str(STATUSES[idea.status].name),
            platform_name(idea.platform),
            _option("persona", idea.persona),
            inert(idea.affiliation or ""),
            _option("area", idea.area),
            idea.call_id or "",
            inert(idea.title),
            inert(idea.problem),
            inert(idea.solution),
            inert(idea.impact or ""),
            _option("stage", idea.stage),
            idea.team_size or "",
        ]
        if with_contact:
            row += [
                inert(idea.full_name or ""),
                idea.phone or "",
                idea.latitude or "",
                idea.longitude or "",
            ]
        rows.append(row)
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs: applicants' text is data."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list[object]], right_to_left: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ideas"
    sheet.sheet_view.rightToLeft = right_to_left
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ExportService:
    def __init__(self, db: Database, tz: tzinfo) -> None:
        self.db = db
        self.tz = tz

    async def export(
        self, chosen: ExportFilter, role: Role, locale: str
    ) -> tuple[bytes, bytes, int]:
        """CSV and XLSX of the chosen ideas; contact details for administrators only."""
        with_contact = role == "admin"
        async with self.db.read() as session:
            ideas = await repo.ideas_for_export(
                session, chosen.status, chosen.area, chosen.call_id, chosen.since, chosen.until
            )
        rows = table(ideas, with_contact, self.tz, locale)
        return to_csv(rows), to_xlsx(rows, right_to_left=locale == "fa"), len(ideas)
