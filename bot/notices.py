"""What the applicant is told when their idea moves (composed in their own language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import _
from bot.keyboards import IdeaAction, IdeaCB
from bot.messenger import Compose
from bot.render import Renderer, isolated, left_to_right
from bot.statuses import STATUSES
from bot.tracking import display_code

if TYPE_CHECKING:
    from bot.review import IdeaView


def idea_label(render: Renderer, idea: IdeaView) -> dict[str, object]:
    return {"code": left_to_right(display_code(idea.code)), "title": isolated(idea.title)}


def reason_text(target: str | None, reason: str) -> str:
    """A change's reason as the reader should see it: a duplicate's is the code of the
    idea it repeats, said in the reader's language."""
    if target == "duplicate":
        return _("same as idea {code}").format(code=left_to_right(display_code(reason)))
    return reason


def status_notice(idea: IdeaView, target: str, reason: str | None) -> Compose:
    def compose(render: Renderer) -> tuple[str, InlineKeyboardMarkup | None]:
        names = idea_label(render, idea)
        if target == "needs_info":
            builder = InlineKeyboardBuilder()
            builder.button(
                text=_("✍️ Answer"), callback_data=IdeaCB(action=IdeaAction.ANSWER, idea=idea.id)
            )
            text = render(
                _(
                    "The center's experts have a question about your idea <code>{code}</code> "
                    "«{title}»:\n\n{question}\n\nPress “Answer” to reply."
                ),
                question=reason or "",
                **names,
            )
            return text, builder.as_markup()
        text = render(
            _("Your idea <code>{code}</code> «{title}» is now: <b>{status}</b>."),
            status=str(STATUSES[target].name),
            **names,
        )
        if reason:
            text += "\n" + render(_("Reason: {reason}"), reason=reason_text(target, reason))
        return text, None

    return compose


def answer_received_notice(idea: IdeaView) -> Compose:
    def compose(render: Renderer) -> tuple[str, InlineKeyboardMarkup | None]:
        text = render(
            _(
                "Thank you. Your answer was added to your idea <code>{code}</code> «{title}», "
                "which is back with the center's experts."
            ),
            **idea_label(render, idea),
        )
        return text, None

    return compose
