"""The statistics page's charts, drawn by matplotlib (which shapes Persian itself, with
the DejaVu Sans it ships) as SVG or PNG, and their figures as CSV. A chart is a title
and labelled values; the page shows the same values as a table beside it."""

from __future__ import annotations

import csv
import io
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.core.persian import localize_digits

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv"}
_COLOUR = "#1f6f8b"
# matplotlib's font and text caches are shared: one chart is drawn at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    columns: tuple[str, str]  # the table's headings: what, and how many
    labels: tuple[str, ...]
    values: tuple[int, ...]
    horizontal: bool = True  # bars across (categories); else a column per week


def _plain(label: str) -> str:
    """A label without its emoji (the chart's font has none); the zero-width non-joiner
    and the marks Persian words need are kept."""
    kept = "".join(
        ch
        for ch in label
        if ch == "\u200c" or (unicodedata.category(ch) not in ("So", "Cf") and ch != "\ufe0f")
    )
    return " ".join(kept.split())


@cache
def _matplotlib() -> Any:
    # Imported the first time a chart is drawn: it costs a second and 40 MB at start.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure


def draw(chart: Chart, fmt: str, locale: str) -> bytes:
    """The chart as SVG or PNG bytes; `locale` sets its digits and direction."""
    with _DRAWING:
        return _draw(chart, fmt, locale)


def _draw(chart: Chart, fmt: str, locale: str) -> bytes:
    figure_class = _matplotlib()
    rows = len(chart.labels)
    height = max(2.4, 0.45 * rows + 1.2) if chart.horizontal else 3.2
    figure = figure_class(figsize=(7.0, height), layout="constrained")
    axes = figure.subplots()
    labels = [_plain(label) for label in chart.labels]
    if chart.horizontal:
        positions = list(range(rows))[::-1]
        axes.barh(positions, chart.values, color=_COLOUR)
        axes.set_yticks(positions, labels)
        axes.xaxis.set_major_locator(_integer_locator())
        axes.xaxis.set_major_formatter(_digits(locale))
        if locale == "fa":  # the bars grow from the right, as Persian reads
            axes.invert_xaxis()
            axes.yaxis.tick_right()
    else:
        positions = list(range(rows))
        axes.bar(positions, chart.values, color=_COLOUR)
        axes.set_xticks(positions, labels, rotation=60, ha="right", fontsize=8)
        axes.yaxis.set_major_locator(_integer_locator())
        axes.yaxis.set_major_formatter(_digits(locale))
        if locale == "fa":
            axes.invert_xaxis()
    for side in ("top", "right", "left") if locale != "fa" else ("top", "left", "right"):
        axes.spines[side].set_visible(False)
    axes.set_title(_plain(chart.title), fontsize=12)
    out = io.BytesIO()
    figure.savefig(out, format=fmt, dpi=110, metadata=_metadata(fmt))
    return out.getvalue()


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date in the file: the same figures give the same bytes.
    return {"Date": None} if fmt == "svg" else {}


def _integer_locator() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _digits(locale: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: localize_digits(f"{value:g}", locale))


def table_csv(chart: Chart) -> bytes:
    """The chart's figures, for a spreadsheet (with a BOM, so Excel reads Persian)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(chart.columns)
    for label, value in zip(chart.labels, chart.values, strict=True):
        writer.writerow((_plain(label) or label, value))
    return ("\ufeff" + out.getvalue()).encode()
