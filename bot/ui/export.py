"""Exports as files: CSV (UTF-8 with BOM, so Excel shows Persian) and XLSX, from the
table the export service builds. Every text cell is cleaned again as it is written:
answers stored before the edge cleaned everything must not break a file either."""

from __future__ import annotations

import csv
import io

from bot.core.text import sanitize


def _cells(rows: list[list[object]]) -> list[list[object]]:
    return [[sanitize(c, limit=32_000) if isinstance(c, str) else c for c in row] for row in rows]


def to_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_cells(rows))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list[object]], title: str, right_to_left: bool) -> bytes:
    # The spreadsheet writer is loaded the first time someone exports, not at start.
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.sheet_view.rightToLeft = right_to_left
    for row in _cells(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
