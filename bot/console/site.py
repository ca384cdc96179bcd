"""The console's web application: who is signed in, the CSRF check, the security
headers, the reader's language, the templates and their helpers, and the routes of
every page module."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from aiohttp import web

from bot.core.dates import format_date
from bot.core.links import CONSOLE_PATH
from bot.core.persian import localize_digits
from bot.core.platforms import Platform
from bot.core.roles import Permission, may
from bot.core.statuses import STATUSES
from bot.core.tracking import display_code
from bot.core.vocabulary import (
    AREAS,
    LANGUAGE_NAMES,
    PERSONAS,
    PLATFORM_NAMES,
    ROLE_NAMES,
    STAGES,
)
from bot.services.broadcasts import BroadcastService
from bot.services.calls import CallService
from bot.services.console import ConsoleService, Signed
from bot.services.events import EventService
from bot.services.review import Refusal, ReviewService
from bot.services.scoring import ScoreRefusal, ScoringService
from bot.services.stats import StatsService
from bot.services.users import StaffDirectory
from locales import console as t
from locales.i18n import LOCALES, Text, current_locale, set_locale

HERE = Path(__file__).parent
COOKIE = "ideabot_console"
LANGUAGE_COOKIE = "ideabot_console_lang"
# Set on the sign-in page and sent back with its form: the form came from that page.
SIGN_IN_COOKIE = "ideabot_console_signin"
PREFIX = CONSOLE_PATH

# Fetches an attachment through the bot of its platform: (platform, file id) -> bytes.
FetchFile = Callable[[Platform, str], Awaitable[bytes]]
# The bot's t.me (or ble.ir) link that opens a staff invite.
InviteLink = Callable[[Platform, str], str | None]

CONSOLE_KEY: web.AppKey[Console] = web.AppKey("console")
SIGNED_KEY: web.RequestKey[Signed] = web.RequestKey("signed", Signed)


@dataclass
class Console:
    """What the pages use, built by the composition root."""

    sessions: ConsoleService
    review: ReviewService
    scoring: ScoringService
    stats: StatsService
    calls: CallService
    events: EventService
    broadcasts: BroadcastService
    staff: StaffDirectory
    tz: tzinfo
    default_locale: str
    fetch_file: FetchFile
    invite_link: InviteLink
    public_url: str  # CONSOLE_URL: where links point

    @property
    def secure(self) -> bool:
        return urlsplit(self.public_url).scheme == "https"


def console_of(request: web.Request) -> Console:
    return request.app[CONSOLE_KEY]


def signed_of(request: web.Request) -> Signed:
    return request[SIGNED_KEY]


# ----- templates -----
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    env.globals.update(
        t=t,
        statuses=STATUSES,
        areas=AREAS,
        personas=PERSONAS,
        stages=STAGES,
        platform_names=PLATFORM_NAMES,
        role_names=ROLE_NAMES,
        language_names=LANGUAGE_NAMES,
        prefix=PREFIX,
        code=display_code,
        zip=zip,
    )
    return env


_ENV = _environment()


_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and never past the columns' range


def id_of(raw: object) -> int | None:
    """A row's id as a page or form gives it; None for anything else ("²", 10**40, "")."""
    return int(raw) if isinstance(raw, str) and _ID.fullmatch(raw) else None


def number(value: object, places: int | None = None) -> str:
    """A number in the reader's digits (Persian's decimal separator too)."""
    text = f"{value:.{places}f}" if places is not None and isinstance(value, float) else str(value)
    if isinstance(value, float) and places is None:
        text = f"{value:g}"
    shown = localize_digits(text, current_locale())
    return shown.replace(".", "٫") if current_locale() == "fa" else shown


def option_label(options: tuple[Any, ...], key: str | None) -> str:
    for option in options:
        if option.key == key:
            return str(option.label)
    return key or ""


def page(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    """A page in the reader's language, with what every page needs."""
    console = console_of(request)
    signed: Signed | None = request.get(SIGNED_KEY)
    locale = current_locale()

    def date(moment: datetime | None, with_time: bool = True) -> str:
        return format_date(moment, console.tz, locale, with_time=with_time) if moment else ""

    html = _ENV.get_template(template).render(
        lang=locale,
        dir="rtl" if locale == "fa" else "ltr",
        other_lang="en" if locale == "fa" else "fa",
        signed=signed,
        csrf=signed.csrf if signed else "",
        may=lambda permission: signed is not None and may(signed.staff.role, permission),
        P=Permission,
        date=date,
        num=number,
        area=lambda key: option_label(AREAS, key),
        persona=lambda key: option_label(PERSONAS, key),
        stage=lambda key: option_label(STAGES, key),
        status=lambda key: str(STATUSES[key].name) if key in STATUSES else key,
        path=request.path_qs,
        **values,
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def refusal(request: web.Request, status: int, title: Text, text: Text | str) -> web.Response:
    return page(request, "message.html", status=status, title=title, text=text)


def done(location: str, **said: str) -> web.HTTPSeeOther:
    """After a change, the page again (Post/Redirect/Get), saying what became of it
    (`said` names texts of `DONE`, never carries text itself)."""
    query = urlencode({k: v for k, v in said.items() if v})
    return web.HTTPSeeOther(f"{location}?{query}" if query else location)


_REFUSALS: dict[str, Text] = {
    Refusal.NOT_ALLOWED: t.REFUSED_NOT_ALLOWED,
    Refusal.REASON_REQUIRED: t.REFUSED_REASON,
    Refusal.NOT_PERMITTED: t.REFUSED_NOT_PERMITTED,
    "duplicate": t.REFUSED_DUPLICATE,
    "nothing": t.BULK_NONE,
    "not_open": t.CALL_NOT_OPEN,
    Refusal.NOT_FOUND: t.NOT_FOUND,
    Refusal.TOO_LATE: t.UNDO_TOO_LATE,
    ScoreRefusal.CLOSED: t.SCORE_CLOSED,
    ScoreRefusal.NO_SUCH_CRITERION: t.SCORE_UNKNOWN,
}
# What a bulk move left alone and why: "reason_required" -> how many.
_LEFT = {
    Refusal.NOT_ALLOWED: t.LEFT_NOT_ALLOWED,
    Refusal.REASON_REQUIRED: t.LEFT_NO_REASON,
    Refusal.NOT_PERMITTED: t.LEFT_NOT_PERMITTED,
    "duplicate": t.LEFT_NO_ORIGINAL,
}
_COUNT = re.compile(r"[0-9]{1,6}")
_TOLD: dict[str, Text] = {"sent": t.TOLD_SENT, "pending": t.TOLD_PENDING, "nobody": t.TOLD_NOBODY}


def said(query: Mapping[str, str]) -> list[str]:
    """What the last change did, from the keys `done` put in the address."""
    lines = []
    what = query.get("done", "")
    status = STATUSES.get(query.get("status", ""))
    count = number(query["count"]) if _COUNT.fullmatch(query.get("count", "")) else "0"
    if what == "moved" and status is not None:
        lines.append(t.MOVED.format(status=status.name))
    elif what == "undone" and status is not None:
        lines.append(t.UNDO_DONE.format(status=status.name))
    elif what == "bulk-moved":
        lines.append(t.DONE_MOVED.format(count=count))
    elif what == "bulk-assigned":
        lines.append(t.DONE_ASSIGNED.format(count=count))
    elif what in _DONE:
        lines.append(str(_DONE[what]))
    if (told := _TOLD.get(query.get("told", ""))) is not None:
        lines.append(str(told))
    if (refused := _REFUSALS.get(query.get("refused", ""))) is not None:
        lines.append(refused.format(status=status.name if status else ""))
    for why, text in _LEFT.items():  # only counts come from the address, never words
        left = query.get(f"left-{why}", "")
        if _COUNT.fullmatch(left):
            lines.append(text.format(count=number(left)))
    return lines


_DONE: dict[str, Text] = {
    "noted": t.NOTED,
    "assigned": t.ASSIGNED,
    "scored": t.SCORED,
    "saved": t.FORM_SAVED,
    "closed": t.CALL_CLOSED_DONE,
    "cancelled": t.EVENT_CANCELLED,
    "seen": t.SEEN_DONE,
}


# ----- middlewares -----
_OPEN_PATHS = (f"{PREFIX}/login/", f"{PREFIX}/static/", f"{PREFIX}/language/")


@web.middleware
async def reader_language(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    set_locale(chosen if chosen in LOCALES else console_of(request).default_locale)
    return await handler(request)


@web.middleware
async def signed_in(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every page but sign-in needs an open session; every POST its CSRF token. Outside
    the console's place (a browser's /favicon.ico) there is nothing."""
    if not request.path.startswith(f"{PREFIX}/"):
        raise web.HTTPNotFound()
    if request.path.startswith(_OPEN_PATHS):
        return await handler(request)
    token = request.cookies.get(COOKIE)
    signed = await console_of(request).sessions.signed(token) if token else None
    if signed is None:
        response = refusal(request, 401, t.SIGNED_OUT_TITLE, t.SIGNED_OUT)
        if token:  # a session that is over: its cookie goes too
            response.del_cookie(COOKIE, path=PREFIX)
        return response
    request[SIGNED_KEY] = signed
    if LANGUAGE_COOKIE not in request.cookies and signed.locale in LOCALES:
        set_locale(signed.locale)  # the language they chose in the chat
    if request.method == "POST":
        form = await request.post()
        given = str(form.get("csrf", ""))
        if not hmac.compare_digest(given.encode(), signed.csrf.encode()):
            return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_FORM)
    return await handler(request)


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _secure(exc)
        raise
    _secure(response)
    return response


def _secure(response: web.StreamResponse) -> None:
    # Pages hold people's details: never cached, never framed, no referrer (the sign-in
    # link is in the address bar), and nothing runs but our own files.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )


# ----- signing in and out -----
async def sign_in_page(request: web.Request) -> web.Response:
    """GET only shows a button: a link preview or a prefetch must not use the link."""
    token = request.match_info["token"]
    holder = await console_of(request).sessions.link_holder(token)
    if holder is None:
        return refusal(request, 403, t.LINK_DEAD_TITLE, t.LINK_DEAD)
    nonce = secrets.token_urlsafe(16)
    name, staff = holder
    response = page(request, "sign_in.html", nonce=nonce, token=token, name=name, holder=staff)
    response.set_cookie(
        SIGN_IN_COOKIE,
        nonce,
        path=f"{PREFIX}/login/",
        httponly=True,
        samesite="Strict",
        secure=console_of(request).secure,
        max_age=600,
    )
    return response


async def sign_in(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    form = await request.post()
    nonce = request.cookies.get(SIGN_IN_COOKIE, "")
    if not nonce or not hmac.compare_digest(nonce.encode(), str(form.get("nonce", "")).encode()):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_FORM)
    opened = await console.sessions.sign_in(request.match_info["token"])
    if opened is None:
        return refusal(request, 403, t.LINK_DEAD_TITLE, t.LINK_DEAD)
    response = web.HTTPSeeOther(f"{PREFIX}/")
    response.set_cookie(
        COOKIE, opened, path=PREFIX, httponly=True, samesite="Strict", secure=console.secure
    )
    response.del_cookie(SIGN_IN_COOKIE, path=f"{PREFIX}/login/")
    raise response


async def sign_out(request: web.Request) -> web.Response:
    token = request.cookies.get(COOKIE, "")
    await console_of(request).sessions.sign_out(token)
    request.pop(SIGNED_KEY, None)
    response = page(request, "message.html", title=t.SIGNED_OUT_TITLE, text=t.SIGNED_OUT_DONE)
    response.del_cookie(COOKIE, path=PREFIX)
    return response


async def language(request: web.Request) -> web.StreamResponse:
    chosen = request.match_info["lang"]
    back = request.query.get("next", f"{PREFIX}/")
    if not back.startswith(f"{PREFIX}/") or back.startswith("//"):
        back = f"{PREFIX}/"  # only our own pages: never a redirect elsewhere
    response = web.HTTPSeeOther(back)
    if chosen in LOCALES:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, path=PREFIX, samesite="Strict", max_age=365 * 86400
        )
    raise response


def form_value(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""
