"""The console's administration pages: calls for proposals and events (list, create,
edit, close or cancel, with a confirmation), broadcasts with their delivery, and the
staff with invitations. A call's or an event's form is its chat form's graph: each field
is checked by the same validators the chat uses."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from aiohttp import web

from bot.console.site import (
    console_of,
    done,
    form_value,
    id_of,
    page,
    refusal,
    said,
    signed_of,
)
from bot.core.clock import Clock
from bot.core.conversation.engine import (
    Input,
    InputKind,
    Rejection,
    answers_of,
    fields_of,
    validate,
)
from bot.core.conversation.graph import Graph, Kind, Step
from bot.core.dates import to_jalali
from bot.core.forms import CALL_FORM, EVENT_FORM
from bot.core.links import CONSOLE_PATH
from bot.core.persian import localize_digits
from bot.core.platforms import PROFILES, Platform
from bot.core.roles import ROLES, Permission, may
from bot.core.scoring import rubric_of
from bot.core.scoring import typed as typed_rubric
from bot.core.vocabulary import Option
from bot.ui.conversation import problem_text
from bot.ui.render import Renderer
from locales import console as t
from locales.i18n import current_locale

PREFIX = CONSOLE_PATH
FORMS: dict[str, Graph] = {"calls": CALL_FORM, "events": EVENT_FORM}
_TAGS = re.compile(r"</?(?:b|i|u|s|code)>")  # the chat's texts may hold these


class _Facts:
    """What a form's validators may ask: the time zone and the time now."""

    def __init__(self, tz: tzinfo, clock: Clock) -> None:
        self.tz = tz
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    async def options(self, step: Step, answers: Mapping[str, Any]) -> list[Option]:
        return list(step.options)

    async def offered_name(self, step: Step) -> str:
        return ""


def _fields_shown(graph: Graph) -> list[Step]:
    return [s for s in graph.steps if s.kind is not Kind.REVIEW]


def _typed(step: Step, value: Any, tz: tzinfo) -> str:
    """An answer as its form field shows it: as staff would type it, in their calendar
    and digits (a Persian reader's dates are Jalali)."""
    if value is None:
        return ""
    locale = current_locale()
    if step.kind is Kind.MOMENT:
        moment = datetime.fromisoformat(value)
        if locale == "fa":
            return localize_digits(f"{to_jalali(moment, tz):%Y/%m/%d %H:%M}", locale)
        return f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"
    if step.kind is Kind.RUBRIC:
        return localize_digits(typed_rubric(rubric_of(value)), locale)
    return str(value)


async def _check(
    graph: Graph, form: Mapping[str, Any], facts: _Facts
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers as each step's validator takes them, and a problem per field."""
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    render = Renderer(PROFILES[Platform.TELEGRAM])
    for step in _fields_shown(graph):
        if step.kind is Kind.CHOICES:
            keys = {o.key for o in step.options}
            chosen = [v for v in form.getall(step.key, []) if v in keys]  # type: ignore[attr-defined]
            if not chosen:
                problems[step.key] = t.FORM_MISSING.format(field=step.label)
            answers[step.key] = chosen
            continue
        text = form_value(form, step.key)
        if not text:
            if not step.optional:
                problems[step.key] = t.FORM_MISSING.format(field=step.label)
            answers[step.key] = None
            continue
        value = validate(step, Input(InputKind.TEXT, text=text), answers, facts)
        if isinstance(value, Rejection):
            problems[step.key] = html.unescape(_TAGS.sub("", problem_text(render, value)))
            answers[step.key] = None
        else:
            answers[step.key] = value
    return answers, problems


def _admin(request: web.Request) -> bool:
    return may(signed_of(request).staff.role, Permission.MANAGE)


async def outreach(request: web.Request) -> web.Response:
    console = console_of(request)
    return page(
        request,
        "outreach.html",
        calls=await console.calls.recent(),
        events=await console.events.recent(),
        now=console.calls.clock(),
        said=said(request.query),
    )


async def item_form(request: web.Request) -> web.Response:
    console = console_of(request)
    kind = request.match_info["kind"]
    graph = FORMS.get(kind)
    if graph is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if not _admin(request):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    raw = request.match_info.get("item", "")
    values: dict[str, Any] = {}
    if raw:
        service = console.calls if kind == "calls" else console.events
        item_id = id_of(raw)
        item = await service.get(item_id) if item_id else None
        if item is None:
            return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
        values = answers_of(graph, item)
    return _form_page(request, kind, graph, raw, values, {})


def _form_page(
    request: web.Request,
    kind: str,
    graph: Graph,
    item: str,
    values: Mapping[str, Any],
    problems: Mapping[str, str],
    typed: Mapping[str, str] | None = None,
) -> web.Response:
    tz = console_of(request).tz
    shown = typed or {s.key: _typed(s, values.get(s.key), tz) for s in _fields_shown(graph)}
    return page(
        request,
        "item_form.html",
        status=400 if problems else 200,
        kind=kind,
        item=item,
        steps=_fields_shown(graph),
        values=values,
        shown=shown,
        problems=problems,
        Kind=Kind,
    )


async def save_item(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    kind = request.match_info["kind"]
    graph = FORMS.get(kind)
    if graph is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if not _admin(request):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    raw = request.match_info.get("item", "")
    form = await request.post()
    service = console.calls if kind == "calls" else console.events
    answers, problems = await _check(graph, form, _Facts(console.tz, console.calls.clock))
    if problems:
        typed = {s.key: form_value(form, s.key) for s in _fields_shown(graph)}
        return _form_page(request, kind, graph, raw, answers, problems, typed)
    item_id = id_of(raw)
    if item_id is not None and await service.get(item_id) is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    await service.save(item_id, fields_of(graph, answers))
    raise done(f"{PREFIX}/outreach", done="saved")


async def _confirmed(
    request: web.Request, text: str, act: Callable[[], Awaitable[object]], said: str
) -> web.StreamResponse:
    """A step that cannot be undone: first a page saying what will happen, then done."""
    if form_value(await request.post(), "confirm") != "yes":
        back = f"{PREFIX}/outreach"
        return page(request, "confirm.html", text=text, action=request.path, back=back)
    await act()
    raise done(f"{PREFIX}/outreach", done=said)


async def close_call(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    if not _admin(request):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    call_id = id_of(request.match_info["item"])
    call = await console.calls.get(call_id) if call_id else None
    if call is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if not call.is_open(console.calls.clock()):
        raise done(f"{PREFIX}/outreach", refused="not_open")
    text = t.CONFIRM_CLOSE_CALL.format(title=call.title)
    return await _confirmed(request, text, lambda: console.calls.close(call.id), "closed")


async def cancel_event(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    if not _admin(request):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    event_id = id_of(request.match_info["item"])
    event = await console.events.get(event_id) if event_id else None
    if event is None or event.cancelled:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    text = t.CONFIRM_CANCEL_EVENT.format(title=event.title, count=event.taken)
    return await _confirmed(request, text, lambda: console.events.cancel(event.id), "cancelled")


async def broadcasts(request: web.Request) -> web.Response:
    console = console_of(request)
    if not may(signed_of(request).staff.role, Permission.BROADCAST):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    found = await console.broadcasts.history()
    return page(
        request,
        "broadcasts.html",
        found=found,
        states=t.BROADCAST_STATES,
        under_way=any(info.status in ("scheduled", "sending") for info, _ in found),
    )


async def staff(request: web.Request, invite: str = "", unreachable: str = "") -> web.Response:
    console = console_of(request)
    if not _admin(request):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    members = await console.review.reviewers()
    directory = console.staff
    return page(
        request,
        "staff.html",
        members=members,
        configured={
            (m.platform, m.user_id)
            for m, _ in members
            if directory.configured(m.platform, m.user_id)
        },
        roles=ROLES,
        platforms=list(Platform),
        invite=invite,
        unreachable=unreachable,
    )


async def staff_page(request: web.Request) -> web.Response:
    return await staff(request)


async def invite(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    signed = signed_of(request)
    if not _admin(request):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    form = await request.post()
    role = form_value(form, "role")
    chosen = form_value(form, "platform")
    if role not in ROLES or chosen not in {p.value for p in Platform}:
        raise done(f"{PREFIX}/staff")
    platform = Platform(chosen)
    token = await console.staff.invite(platform, signed.staff.user_id, role)
    link = console.invite_link(platform, token)
    # Shown once, on this page, and never put in an address.
    if link is None:
        return await staff(request, unreachable=platform.value)
    return await staff(request, invite=link)


def routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{PREFIX}/outreach", outreach)
    router.add_get(f"{PREFIX}/{{kind}}/new", item_form)
    router.add_post(f"{PREFIX}/{{kind}}/new", save_item)
    router.add_get(f"{PREFIX}/{{kind}}/{{item:\\d+}}/edit", item_form)
    router.add_post(f"{PREFIX}/{{kind}}/{{item:\\d+}}/edit", save_item)
    router.add_post(f"{PREFIX}/calls/{{item}}/close", close_call)
    router.add_post(f"{PREFIX}/events/{{item}}/cancel", cancel_event)
    router.add_get(f"{PREFIX}/broadcasts", broadcasts)
    router.add_get(f"{PREFIX}/staff", staff_page)
    router.add_post(f"{PREFIX}/staff/invite", invite)
