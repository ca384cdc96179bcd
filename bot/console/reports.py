"""The console's statistics: charts of ideas per week, how far ideas went, areas,
applicants, messengers, and the time to a first response and to a decision; each with
its table beside it (for screen readers and for checking), and as PNG, SVG or CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, time, tzinfo

from aiohttp import web

from bot.console.charts import FORMATS, Chart, draw, table_csv
from bot.console.site import console_of, number, page, refusal
from bot.core.dates import format_date
from bot.core.links import CONSOLE_PATH
from bot.core.statuses import STATUSES
from bot.core.views import Stats
from bot.core.vocabulary import AREAS, PERSONAS, PLATFORM_NAMES, Option
from bot.services.stats import Trends
from locales import console as t
from locales.i18n import Text, current_locale, use_locale

PREFIX = CONSOLE_PATH
WAITS: tuple[Text, ...] = (
    t.WITHIN_DAY,
    t.ONE_TO_THREE,
    t.THREE_TO_SEVEN,
    t.ONE_TO_TWO_WEEKS,
    t.OVER_TWO_WEEKS,
    t.STILL_WAITING,
)


def _counted(
    options: tuple[Option, ...], counts: Mapping[str, tuple[int, int, int]]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    return (
        tuple(str(o.label) for o in options),
        tuple(counts.get(o.key, (0, 0, 0))[0] for o in options),
    )


def charts(stats: Stats, trends: Trends, tz: tzinfo) -> list[Chart]:
    """Every chart of the page, in the current language."""
    locale = current_locale()
    count = str(t.COLUMN_COUNT)
    weeks = tuple(
        format_date(datetime.combine(week, time(12), tzinfo=tz), tz, locale, with_time=False)
        for week, _ in trends.weekly
    )
    platforms = stats.counts.get("platform", {})
    waits = tuple(str(w) for w in WAITS)
    return [
        Chart(
            "weekly",
            str(t.CHART_WEEKLY),
            (str(t.COLUMN_WEEK), count),
            weeks,
            tuple(n for _, n in trends.weekly),
            horizontal=False,
        ),
        Chart(
            "funnel",
            str(t.CHART_FUNNEL),
            (str(t.COLUMN_STATUS), str(t.COLUMN_REACHED)),
            tuple(str(STATUSES[s].name) for s, _ in trends.funnel),
            tuple(n for _, n in trends.funnel),
        ),
        Chart(
            "areas",
            str(t.CHART_AREAS),
            (str(t.COLUMN_AREA), count),
            *_counted(AREAS, stats.counts.get("area", {})),
        ),
        Chart(
            "personas",
            str(t.CHART_PERSONAS),
            (str(t.COLUMN_APPLICANT), count),
            *_counted(PERSONAS, stats.counts.get("persona", {})),
        ),
        Chart(
            "platforms",
            str(t.CHART_PLATFORMS),
            (str(t.COLUMN_PLATFORM), count),
            tuple(str(name) for name in PLATFORM_NAMES.values()),
            tuple(platforms.get(key, (0, 0, 0))[0] for key in PLATFORM_NAMES),
        ),
        Chart(
            "response", str(t.CHART_RESPONSE), (str(t.COLUMN_WAIT), count), waits, trends.response
        ),
        Chart(
            "decision", str(t.CHART_DECISION), (str(t.COLUMN_WAIT), count), waits, trends.decision
        ),
    ]


def _medians(trends: Trends) -> dict[str, str]:
    def shown(value: float | None, text: Text) -> str:
        if value is None:
            return t.CHART_MEDIAN.format(value=t.NO_DATA)
        return t.CHART_MEDIAN.format(value=text.format(count=number(value, 1)))

    return {
        "response": shown(trends.response_median_hours, t.HOURS),
        "decision": shown(trends.decision_median_days, t.DAYS),
    }


async def _charts(request: web.Request) -> list[Chart]:
    console = console_of(request)
    stats = await console.stats.collect()
    trends = await console.stats.trends(console.tz)
    return charts(stats, trends, console.tz)


async def stats_page(request: web.Request) -> web.Response:
    console = console_of(request)
    stats = await console.stats.collect()
    trends = await console.stats.trends(console.tz)
    return page(
        request,
        "stats.html",
        charts=charts(stats, trends, console.tz),
        totals=stats.totals,
        medians=_medians(trends),
    )


async def chart_file(request: web.Request) -> web.Response:
    key, fmt = request.match_info["chart"], request.match_info["fmt"]
    found = {c.key: c for c in await _charts(request)}.get(key)
    if found is None or fmt not in FORMATS:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if fmt == "csv":
        body = table_csv(found)
    else:
        locale = current_locale()

        def drawn() -> bytes:
            with use_locale(locale):  # the thread has its own context
                return draw(found, fmt, locale)

        body = await asyncio.to_thread(drawn)
    headers = {"Cache-Control": "private, max-age=60"}
    if request.query.get("download"):
        headers["Content-Disposition"] = f"attachment; filename=ideabot-{key}.{fmt}"
    return web.Response(body=body, content_type=FORMATS[fmt], headers=headers)


def routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{PREFIX}/stats", stats_page)
    router.add_get(f"{PREFIX}/stats/{{chart}}.{{fmt}}", chart_file)
