"""Keyboards more than one screen shows: the main menu and the language picker."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.vocabulary import LANGUAGE_NAMES
from bot.ui.callbacks import LanguageCB, MenuAction, MenuCB
from bot.ui.markup import Button, Keyboard
from locales import common as t
from locales.i18n import Text


@dataclass(frozen=True, slots=True)
class MenuItem:
    action: MenuAction
    label: Text


# Only features that are built appear here; each later feature adds its entry.
MAIN_MENU: tuple[MenuItem, ...] = (
    MenuItem(MenuAction.SUBMIT, t.SUBMIT_IDEA),
    MenuItem(MenuAction.MY_IDEAS, t.MY_IDEAS),
    MenuItem(MenuAction.CALLS, t.CALLS),
    MenuItem(MenuAction.EVENTS, t.EVENTS),
    MenuItem(MenuAction.ABOUT, t.ABOUT),
    MenuItem(MenuAction.SETTINGS, t.SETTINGS),
)


def main_menu() -> Keyboard:
    return Keyboard.of(
        (Button(str(item.label), MenuCB(item.action).pack()) for item in MAIN_MENU), (2,)
    )


def language_keyboard(*, announcements: bool = False) -> Keyboard:
    languages = [
        Button(str(name), LanguageCB(code).pack()) for code, name in LANGUAGE_NAMES.items()
    ]
    extra = [Button(str(t.ANNOUNCEMENTS), MenuCB(MenuAction.ANNOUNCEMENTS).pack())]
    return Keyboard.stacked(languages, extra if announcements else [])
