"""Keyboards and typed callback data shared by the handlers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.support import LazyProxy

from bot.i18n import _, __


class MenuAction(StrEnum):
    SUBMIT = "submit"
    MY_IDEAS = "my_ideas"
    ABOUT = "about"
    SETTINGS = "settings"
    CALLS = "calls"
    EVENTS = "events"
    ANNOUNCEMENTS = "announcements"


class MenuCB(CallbackData, prefix="menu"):
    action: MenuAction


class LanguageCB(CallbackData, prefix="lang"):
    code: str


class IdeaAction(StrEnum):
    OPEN = "open"
    WITHDRAW = "withdraw"
    WITHDRAW_YES = "withdraw_yes"
    ANSWER = "answer"


class IdeaCB(CallbackData, prefix="idea"):
    """An applicant's button about one of their ideas (always checked to be theirs)."""

    action: IdeaAction
    idea: int


@dataclass(frozen=True, slots=True)
class MenuItem:
    action: MenuAction
    label: LazyProxy


# Only features that are built appear here; each later feature adds its entry.
MAIN_MENU: tuple[MenuItem, ...] = (
    MenuItem(MenuAction.SUBMIT, __("💡 Submit an idea")),
    MenuItem(MenuAction.MY_IDEAS, __("📋 My ideas")),
    MenuItem(MenuAction.CALLS, __("📣 Calls for proposals")),
    MenuItem(MenuAction.EVENTS, __("🗓 Events")),
    MenuItem(MenuAction.ABOUT, __("ℹ️ About the center")),
    MenuItem(MenuAction.SETTINGS, __("⚙️ Settings")),
)

PLATFORM_NAMES = {"telegram": __("Telegram"), "bale": __("Bale")}


def platform_name(key: str) -> str:
    return str(PLATFORM_NAMES.get(key, key))


# Each language is named in itself, whatever the current locale.
LANGUAGE_NAMES = {"fa": __("فارسی"), "en": __("English")}


def main_menu() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in MAIN_MENU:
        builder.button(text=str(item.label), callback_data=MenuCB(action=item.action))
    builder.adjust(2)
    return builder.as_markup()


def language_keyboard(*, announcements: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=str(name), callback_data=LanguageCB(code=code))
    if announcements:
        builder.button(
            text=_("🔔 Announcements"), callback_data=MenuCB(action=MenuAction.ANNOUNCEMENTS)
        )
    builder.adjust(2, 1)
    return builder.as_markup()


class CallCB(CallbackData, prefix="call"):
    """Submit an idea to this call for proposals."""

    id: int


class EventAction(StrEnum):
    JOIN = "join"
    LEAVE = "leave"


class EventCB(CallbackData, prefix="ev"):
    action: EventAction
    id: int


class ManageAction(StrEnum):
    CALLS = "calls"
    EVENTS = "events"
    NEW = "new"  # a form, empty
    EDIT = "edit"  # the fields of one item, to pick one
    FIELD = "field"  # edit one field
    TOGGLE = "toggle"  # an area, in the areas field
    NEXT = "next"  # the areas are chosen
    SKIP = "skip"
    SAVE = "save"
    DROP = "drop"  # cancel the form
    CLOSE_CALL = "close_call"
    CANCEL_EVENT = "cancel_event"
    CANCEL_EVENT_YES = "cancel_event_yes"


class ManageCB(CallbackData, prefix="mg"):
    action: ManageAction
    form: str = ""
    id: int = 0
    value: str = ""


class BroadcastAction(StrEnum):
    START = "start"
    KIND = "kind"  # an audience kind was chosen
    VALUE = "value"  # and its value
    SEND = "send"
    SCHEDULE = "schedule"
    AUDIENCE = "audience"  # choose the audience again
    DROP = "drop"
    LIST = "list"  # the scheduled ones
    UNSCHEDULE = "unschedule"


class BroadcastCB(CallbackData, prefix="bc"):
    action: BroadcastAction
    kind: str = ""
    value: str = ""
    id: int = 0
