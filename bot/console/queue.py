"""The console's review pages: the queue (filters, search, sort, bulk actions with a
confirmation), an idea's page (answers, files, history, scores, similar ideas) and what
staff do there (move with a reason, ask, note, assign, score). Each change is a call to
the service the chat uses; the service decides whether this staff member may."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import quote

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
from bot.core.dates import parse_typed
from bot.core.links import CONSOLE_PATH
from bot.core.platforms import Platform
from bot.core.roles import CONFIRMED, Permission, may, may_move
from bot.core.statuses import REASON_REQUIRED, STATUSES, TRANSITIONS, can_move
from bot.core.tracking import parse_code
from bot.core.views import Staff
from bot.services.console import Filters
from bot.services.review import Change, Refusal
from bot.ui.review import entry_title
from bot.ui.staffwork import criterion_name
from locales import console as t
from locales.i18n import Text

PREFIX = CONSOLE_PATH
PER_PAGE_LIMIT = 200  # ideas one bulk action takes
# The queue's own parameters: a link to another page keeps these, not the notices.
FILTER_KEYS = ("q", "status", "area", "call", "assignee", "platform", "since", "until", "sort")
log = logging.getLogger(__name__)
SORTS: dict[str, Text] = {
    "waiting": t.SORT_WAITING,
    "newest": t.SORT_NEWEST,
    "oldest": t.SORT_OLDEST,
    "updated": t.SORT_UPDATED,
}


def _told(change: Change) -> str:
    delivery = change.delivery
    if delivery is None:
        return "nobody"
    return "sent" if delivery == "sent" else "pending"


def _filters(query: Mapping[str, str], tz: Any) -> tuple[Filters, list[str]]:
    problems = []
    moments = {}
    for name in ("since", "until"):
        text = query.get(name, "").strip()[:40]
        moment = parse_typed(text, tz) if text else None
        if text and moment is None:
            problems.append(t.DATE_UNREADABLE.format(text=text))
        if moment is not None and name == "until" and ":" not in text:
            moment += timedelta(days=1)  # "to 1405/09/12": that day included
        moments[name] = moment
    call = query.get("call", "")
    return (
        Filters(
            status=query.get("status", "open"),
            area=query.get("area", ""),
            call=id_of(call) or 0,
            assignee=query.get("assignee", ""),
            platform=query.get("platform", ""),
            since=moments["since"],
            until=moments["until"],
            text=query.get("q", "")[:200],
            sort=query.get("sort", "waiting") if query.get("sort") in SORTS else "waiting",
        ),
        problems,
    )


async def queue_page(request: web.Request) -> web.Response:
    console = console_of(request)
    signed = signed_of(request)
    filters, problems = _filters(request.query, console.tz)
    number = request.query.get("page", "1")
    found = await console.sessions.queue(filters, signed.staff, (id_of(number) or 1) - 1)
    members = await console.review.reviewers()
    # The same query with another page number, for the links between pages.
    others = {k: v for k, v in request.query.items() if k in FILTER_KEYS}
    return page(
        request,
        "queue.html",
        filters=filters,
        found=found,
        problems=problems,
        said=said(request.query),
        sorts=SORTS,
        calls=await console.calls.recent(),
        members=members,
        query=request.query,
        page_link=lambda n: (
            f"{PREFIX}/?"
            + "&".join(f"{k}={quote(v)}" for k, v in {**others, "page": str(n)}.items())
        ),
        targets=[k for k in STATUSES if k != "withdrawn" and may_move(signed.staff.role, k)],
    )


def _member(value: str) -> tuple[Platform, int] | None:
    platform, _, user = value.partition(":")
    # A messenger's user id: longer than a row's id, but bounded all the same.
    user_id = int(user) if re.fullmatch(r"[0-9]{1,15}", user) else None
    if platform not in {p.value for p in Platform} or user_id is None:
        return None
    return Platform(platform), user_id


async def bulk(request: web.Request) -> web.StreamResponse:
    """Several ideas at once: a confirmation first, saying what will happen to how many;
    then each goes through the service, which refuses what it must."""
    console = console_of(request)
    staff = signed_of(request).staff
    form = await request.post()
    ids = sorted({i for v in form.getall("idea", [])[:PER_PAGE_LIMIT] if (i := id_of(v))})
    action = form_value(form, "action")
    reason = form_value(form, "reason")
    kind, _, target = action.partition(":")
    found = [idea for i in ids if (idea := await console.review.by_id(i)) is not None]
    member = _member(target) if kind == "assign" else None
    if (
        not found
        or (kind == "move" and target not in STATUSES)
        or (kind == "assign" and not member)
    ):
        raise done(f"{PREFIX}/", refused="nothing")
    if kind == "assign" and not may(staff.role, Permission.ASSIGN):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    if kind == "move" and not may_move(staff.role, target):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    names = dict(((m.platform, m.user_id), n) for m, n in await console.review.reviewers())
    needs_reason = kind == "move" and target in REASON_REQUIRED and not reason
    if form_value(form, "confirm") != "yes" or needs_reason:
        return page(
            request,
            "bulk_confirm.html",
            ideas=found,
            action=action,
            kind=kind,
            target=target,
            reason=reason,
            name=names.get(member) if member else "",
            final=target in CONFIRMED,
            needs_reason=needs_reason,
            movable=[i for i in found if can_move(i.status, target)],
            stuck=[i for i in found if kind == "move" and not can_move(i.status, target)],
        )
    if kind == "assign":
        assert member is not None
        given = 0
        for idea in found:
            if member not in await console.review.assignees(idea.id):
                refused = await console.review.toggle_assignee(
                    idea.id, member, staff, signed_of(request).name
                )
                given += refused is None
        raise done(f"{PREFIX}/", done="bulk-assigned", count=str(given))
    moved, left = 0, Counter[str]()
    for idea in found:
        change = await _move(console, idea.id, target, reason, staff)
        if change.refusal is None:
            moved += 1
        else:
            no_original = target == "duplicate" and change.refusal is Refusal.REASON_REQUIRED
            left["duplicate" if no_original else change.refusal] += 1
    causes = {f"left-{why}": str(n) for why, n in left.items()}
    raise done(f"{PREFIX}/", done="bulk-moved", count=str(moved), **causes)


async def _move(console: Any, idea_id: int, target: str, reason: str, staff: Staff) -> Change:
    original = None
    if target == "duplicate":
        code = parse_code(reason)
        original = await console.review.original_of(idea_id, code) if code else None
    change: Change = await console.review.change_status(
        idea_id, target, reason, staff, duplicate_of=original
    )
    return change


async def _idea_or_none(request: web.Request) -> int | None:
    return id_of(request.match_info["idea"])


async def idea_page(request: web.Request) -> web.Response:
    console = console_of(request)
    signed = signed_of(request)
    idea_id = await _idea_or_none(request)
    card = await console.review.card(idea_id) if idea_id else None
    if idea_id is None or card is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    role = signed.staff.role
    held = await console.review.assignees(idea_id)
    members = await console.review.reviewers() if may(role, Permission.ASSIGN) else []
    original = await console.review.by_id(card.duplicate_of) if card.duplicate_of else None
    return page(
        request,
        "idea.html",
        card=card,
        idea=card.idea,
        history=await console.review.history(idea_id, applicant_view=False),
        entry_title=entry_title,
        files=await console.review.files(idea_id),
        similar=await console.review.similar(idea_id),
        sheet=await console.scoring.sheet(idea_id, signed.staff),
        criterion_name=criterion_name,
        members=members,
        held={f"{p.value}:{u}" for p, u in held},
        original=original,
        targets=[
            k
            for k in sorted(TRANSITIONS.get(card.idea.status, ()), key=list(STATUSES).index)
            if k != "withdrawn" and may_move(role, k)
        ],
        reason_required=REASON_REQUIRED,
        said=said(request.query),
        contact=may(role, Permission.DECIDE),
        undoable=await console.review.undoable(idea_id) if may(role, Permission.UNDO) else None,
    )


async def compare_page(request: web.Request) -> web.Response:
    """Two ideas side by side: is the newer one a duplicate of the older?"""
    console = console_of(request)
    idea_id = await _idea_or_none(request)
    other = request.match_info["other"]
    first = await console.review.card(idea_id) if idea_id else None
    other_id = id_of(other)
    second = await console.review.card(other_id) if other_id else None
    if first is None or second is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    # The older one first: the newer is the one that may repeat it.
    older, newer = sorted((first, second), key=lambda c: (c.idea.created_at, c.idea.id))
    return page(request, "compare.html", cards=(older, newer))


async def move(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    staff = signed_of(request).staff
    idea_id = await _idea_or_none(request)
    idea = await console.review.by_id(idea_id) if idea_id else None
    if idea is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    form = await request.post()
    target = form_value(form, "target")
    reason = form_value(form, "reason")
    here = f"{PREFIX}/ideas/{idea.id}"
    if target not in STATUSES:
        raise done(here)
    if target == "duplicate" and parse_code(reason) is None:
        raise done(here, refused="duplicate")
    if target in REASON_REQUIRED and not reason:  # asked before confirming, not after
        raise done(here, refused=Refusal.REASON_REQUIRED)
    if target in CONFIRMED and form_value(form, "confirm") != "yes":
        if not may_move(staff.role, target):
            raise done(here, refused=Refusal.NOT_PERMITTED)
        return page(
            request, "move_confirm.html", idea=idea, target=target, reason=reason, final=True
        )
    change = await _move(console, idea.id, target, reason, staff)
    if change.refusal is not None:
        raise done(here, refused=change.refusal, status=idea.status)
    raise done(here, done="moved", status=target, told=_told(change))


async def ask(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    idea_id = await _idea_or_none(request)
    form = await request.post()
    question = form_value(form, "question")
    if idea_id is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    change = await console.review.change_status(
        idea_id, "needs_info", question, signed_of(request).staff
    )
    here = f"{PREFIX}/ideas/{idea_id}"
    if change.idea is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if change.refusal is not None:
        raise done(here, refused=change.refusal, status=change.idea.status)
    raise done(here, done="moved", status="needs_info", told=_told(change))


async def note(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    idea_id = await _idea_or_none(request)
    text = form_value(await request.post(), "note")
    here = f"{PREFIX}/ideas/{idea_id}"
    if idea_id is None or not text:
        raise done(here)
    change = await console.review.add_note(idea_id, text[:1000], signed_of(request).staff)
    if change.idea is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    raise done(here, done="noted")


async def undo(request: web.Request) -> web.StreamResponse:
    """An administrator takes back the latest move, within its time; the applicant is told."""
    console = console_of(request)
    idea_id = await _idea_or_none(request)
    entry = id_of(form_value(await request.post(), "entry"))
    if idea_id is None or entry is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    change = await console.review.undo(idea_id, entry, signed_of(request).staff)
    here = f"{PREFIX}/ideas/{idea_id}"
    if change.idea is None and change.refusal is Refusal.NOT_FOUND:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if change.refusal is not None or change.idea is None:
        raise done(here, refused=change.refusal or Refusal.TOO_LATE)
    raise done(here, done="undone", status=change.idea.status, told=_told(change))


async def seen(request: web.Request) -> web.StreamResponse:
    """What the applicant sent needs nothing more now: the idea stops waiting."""
    console = console_of(request)
    idea_id = await _idea_or_none(request)
    if idea_id is None or await console.review.by_id(idea_id) is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    await console.review.seen(idea_id, signed_of(request).staff)
    raise done(f"{PREFIX}/ideas/{idea_id}", done="seen")


async def assign(request: web.Request) -> web.StreamResponse:
    """The assignees as ticked: who was added is told; who was unticked loses it."""
    console = console_of(request)
    signed = signed_of(request)
    idea_id = await _idea_or_none(request)
    if idea_id is None or await console.review.by_id(idea_id) is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    if not may(signed.staff.role, Permission.ASSIGN):
        return refusal(request, 403, t.FORBIDDEN_TITLE, t.FORBIDDEN_ROLE)
    form = await request.post()

    def members(name: str) -> set[tuple[Platform, int]]:
        return {m for v in form.getall(name, []) if isinstance(v, str) and (m := _member(v))}

    # Only what this person changed on the page: another's assignment made meanwhile stays.
    wanted, shown = members("member"), members("shown")
    held = await console.review.assignees(idea_id)
    added = {m for m in wanted - shown if m not in held}
    dropped = {m for m in shown - wanted if m in held}
    changes = added | dropped
    refused = None
    for member in sorted(changes):
        refused = refused or await console.review.toggle_assignee(
            idea_id, member, signed.staff, signed.name
        )
    here = f"{PREFIX}/ideas/{idea_id}"
    raise done(here, refused=refused) if refused else done(here, done="assigned")


async def score(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    staff = signed_of(request).staff
    idea_id = await _idea_or_none(request)
    sheet = await console.scoring.sheet(idea_id, staff) if idea_id else None
    if idea_id is None or sheet is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    form = await request.post()
    here = f"{PREFIX}/ideas/{idea_id}"
    for criterion in sheet.rubric:
        value = form_value(form, f"score-{criterion.key}")
        text = form_value(form, f"note-{criterion.key}")
        refused = None
        given = id_of(value)
        if given is not None and given != sheet.mine.get(criterion.key):
            refused = await console.scoring.score(idea_id, staff, criterion.key, value=given)
        if refused is None and text != sheet.notes.get(criterion.key, ""):
            refused = await console.scoring.score(idea_id, staff, criterion.key, note=text)
        if refused is not None:
            raise done(here, refused=refused)
    raise done(here, done="scored")


async def download(request: web.Request) -> web.StreamResponse:
    """A file of the idea, fetched through the bot that received it. Never shown as a
    page: whatever a person uploaded is a download or an image, nothing that runs."""
    console = console_of(request)
    idea_id = await _idea_or_none(request)
    raw = request.match_info["file"]
    file_id = id_of(raw)
    found = await console.review.file(idea_id, file_id) if idea_id and file_id else None
    if found is None:
        return refusal(request, 404, t.NOT_FOUND_TITLE, t.NOT_FOUND)
    try:
        body = await console.fetch_file(found.platform, found.file_id)
    except Exception as exc:  # the messenger is away, or the file too old for it
        log.warning("console: %s file %s not fetched: %s", found.platform, found.id, exc)
        body = None
    if body is None:
        return refusal(request, 502, t.NOT_FOUND_TITLE, t.FILE_UNREACHABLE)
    photo = found.kind == "photo"
    name = found.name or f"{found.kind}-{found.id}" + (".jpg" if photo else "")
    return web.Response(
        body=body,
        content_type="image/jpeg" if photo else "application/octet-stream",
        headers={
            "Content-Disposition": (
                f"{'inline' if photo else 'attachment'}; filename*=UTF-8''{quote(name)}"
            ),
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


def routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{PREFIX}/", queue_page)
    router.add_post(f"{PREFIX}/bulk", bulk)
    router.add_get(f"{PREFIX}/ideas/{{idea}}", idea_page)
    router.add_get(f"{PREFIX}/ideas/{{idea}}/compare/{{other}}", compare_page)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/move", move)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/ask", ask)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/note", note)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/assign", assign)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/seen", seen)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/undo", undo)
    router.add_post(f"{PREFIX}/ideas/{{idea}}/score", score)
    router.add_get(f"{PREFIX}/ideas/{{idea}}/files/{{file}}", download)
