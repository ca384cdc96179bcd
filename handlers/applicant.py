"""An applicant's own ideas: /track, the detail view with its history, withdraw, and
answering the staff's question."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.dates import format_date
from bot.i18n import _
from bot.keyboards import IdeaAction, IdeaCB, main_menu
from bot.notices import idea_label, reason_text
from bot.persian import normalize
from bot.render import MESSAGE_BUDGET, Renderer, bound, current_locale, latest_that_fit
from bot.review import EventView, IdeaView, Refusal, ReviewService
from bot.statuses import STATUSES
from bot.tracking import parse_code
from bot.users import UserView
from handlers.intake import read_input


class Answering(StatesGroup):
    question = State()
    album = State()  # the answer was an album: its other parts join the same answer


def event_line(render: Renderer, event: EventView, settings: Settings) -> str:
    when = format_date(event.created_at, settings.tz, current_locale())
    text = bound(event.text or "", 400)
    if event.kind == "question":
        return render(_("{when}: the experts asked: {text}"), when=when, text=text)
    if event.kind == "answer":
        return render(_("{when}: you answered: {text}"), when=when, text=text)
    status = str(STATUSES[event.to_status or "submitted"].name)
    line = render(_("{when}: {status}"), when=when, status=status)
    if event.text:
        line += render(_(" (reason: {reason})"), reason=reason_text(event.to_status, event.text))
    return line


def detail_markup(idea: IdeaView) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if idea.status == "needs_info":
        builder.button(
            text=_("✍️ Answer"), callback_data=IdeaCB(action=IdeaAction.ANSWER, idea=idea.id)
        )
    if idea.open:
        builder.button(
            text=_("↩️ Withdraw this idea"),
            callback_data=IdeaCB(action=IdeaAction.WITHDRAW, idea=idea.id),
        )
    builder.adjust(1)
    return builder.as_markup() if list(builder.buttons) else None


async def detail(
    render: Renderer, review: ReviewService, idea: IdeaView, settings: Settings
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = render(_("<b>Idea</b> <code>{code}</code> «{title}»"), **idea_label(render, idea))
    text += "\n\n" + render(
        _("Status: {status}\nSubmitted: {date}"),
        status=str(STATUSES[idea.status].name),
        date=format_date(idea.created_at, settings.tz, current_locale()),
    )
    events = await review.history(idea.id, applicant_view=True)
    if events:  # the latest ones that fit: one message stays under the platforms' limit
        lines = [event_line(render, e, settings) for e in events]
        budget = MESSAGE_BUDGET - len(text)
        text += "\n\n" + render(_("<b>History</b>")) + "\n"
        text += "\n".join(latest_that_fit(lines, budget))
    return text, detail_markup(idea)


async def not_found(message_or_bot: Message, render: Renderer) -> None:
    await message_or_bot.answer(
        render(_("No idea with that tracking code was found among yours.")),
        reply_markup=main_menu(),
    )


async def on_track(
    message: Message,
    command: CommandObject,
    render: Renderer,
    review: ReviewService,
    user: UserView,
    settings: Settings,
) -> None:
    if not command.args:
        await message.answer(
            render(_("Send the tracking code after the command, like: /track K7M3-QXA9")),
            reply_markup=main_menu(),
        )
        return
    code = parse_code(command.args)
    idea = await review.for_applicant(user.id, code) if code else None
    if idea is None:
        await not_found(message, render)
        return
    text, markup = await detail(render, review, idea, settings)
    await message.answer(text, reply_markup=markup)


async def owned(review: ReviewService, user: UserView, idea_id: int) -> IdeaView | None:
    """The idea, if it is this person's (forged callback data finds nothing)."""
    found = await review.by_id(idea_id)
    return found if found is not None and found.user_id == user.id else None


async def on_idea_button(
    callback: CallbackQuery,
    callback_data: IdeaCB,
    bot: Bot,
    render: Renderer,
    review: ReviewService,
    user: UserView,
    settings: Settings,
    state: FSMContext,
) -> None:
    chat_id = callback.from_user.id
    idea = await owned(review, user, callback_data.idea)
    if idea is None:
        text = render(_("No idea with that tracking code was found among yours."))
        await bot.send_message(chat_id, text, reply_markup=main_menu())
        return
    action = callback_data.action
    if action is IdeaAction.OPEN:
        text, markup = await detail(render, review, idea, settings)
        await bot.send_message(chat_id, text, reply_markup=markup)
    elif action is IdeaAction.WITHDRAW:
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("Yes, withdraw it"),
            callback_data=IdeaCB(action=IdeaAction.WITHDRAW_YES, idea=idea.id),
        )
        builder.button(
            text=_("No, keep it"), callback_data=IdeaCB(action=IdeaAction.OPEN, idea=idea.id)
        )
        builder.adjust(2)
        text = render(
            _("Withdraw your idea <code>{code}</code> «{title}»? This can't be undone."),
            **idea_label(render, idea),
        )
        await bot.send_message(chat_id, text, reply_markup=builder.as_markup())
    elif action is IdeaAction.WITHDRAW_YES:
        change = await review.withdraw(user.id, idea.id)
        text = (
            render(_("Your idea is withdrawn. Thank you for sharing it."))
            if change.refusal is None
            else render(_("This idea can no longer be withdrawn."))
        )
        await bot.send_message(chat_id, text, reply_markup=main_menu())
    elif action is IdeaAction.ANSWER:
        if idea.status != "needs_info":
            text = render(_("There is no open question about this idea."))
            await bot.send_message(chat_id, text, reply_markup=main_menu())
            return
        await state.set_state(Answering.question)
        await state.update_data(idea=idea.id)
        text = render(
            _("Send your answer as a message (text, or a photo or document with a caption).")
        )
        await bot.send_message(chat_id, text)


async def on_answer(
    message: Message, render: Renderer, review: ReviewService, user: UserView, state: FSMContext
) -> None:
    idea_id = (await state.get_data()).get("idea")
    given = read_input(message)
    text = normalize(message.text or message.caption or "")
    if not isinstance(idea_id, int) or (not text and given.media is None):
        await message.answer(render(_("Please send your answer as text, a photo or a document.")))
        return
    files = [given.media.as_dict()] if given.media is not None else []
    change = await review.answer(user.id, idea_id, bound(text, 3000), files)
    await state.clear()
    if change.refusal is None and message.media_group_id and change.event_id is not None:
        await state.set_state(Answering.album)
        await state.set_data(
            {"idea": idea_id, "answer": change.event_id, "album": message.media_group_id}
        )
    if change.refusal is Refusal.NOT_WAITING:
        await message.answer(
            render(_("There is no open question about this idea.")), reply_markup=main_menu()
        )
    elif change.refusal is not None:
        await not_found(message, render)
    # On success the applicant is told by the review service's notice.


async def on_album_part(
    message: Message, review: ReviewService, user: UserView, state: FSMContext
) -> None:
    """The other photos or files of an album sent as an answer."""
    data = await state.get_data()
    if message.media_group_id != data.get("album"):
        await state.clear()
        raise SkipHandler  # another message: not part of the answer
    given = read_input(message)
    files = [given.media.as_dict()] if given.media is not None else []
    text = bound(normalize(message.caption or ""), 3000)
    await review.add_to_answer(user.id, int(data["idea"]), int(data["answer"]), text, files)


def router() -> Router:
    r = Router(name="applicant")
    r.message.register(on_track, Command("track"))
    r.callback_query.register(on_idea_button, IdeaCB.filter())
    r.message.register(on_answer, StateFilter(Answering.question), ~F.text.startswith("/"))
    r.message.register(on_album_part, StateFilter(Answering.album), F.media_group_id)
    return r
