"""Everyone's screens: the welcome, help, about, settings, languages, and the answers to
whatever nothing else takes."""

from __future__ import annotations

from bot.core.views import UserView
from bot.core.vocabulary import LANGUAGE_NAMES
from bot.ui.keyboards import language_keyboard, main_menu
from bot.ui.markup import Screen
from bot.ui.render import Renderer
from locales import common as t
from locales.i18n import current_locale


def welcome(render: Renderer, user: UserView | None) -> Screen:
    name = user.first_name if user and user.first_name else str(t.FRIEND)
    return Screen(render(t.WELCOME, name=name), main_menu())


def help_screen(render: Renderer) -> Screen:
    return Screen(render(t.HELP), main_menu())


def about(render: Renderer) -> Screen:
    return Screen(render(t.ABOUT_TEXT), main_menu())


def settings(render: Renderer) -> Screen:
    language = str(LANGUAGE_NAMES[current_locale()])
    return Screen(render(t.SETTINGS_TEXT, language=language), language_keyboard(announcements=True))


def cancelled(render: Renderer, anything: bool) -> Screen:
    return Screen(render(t.CANCELLED if anything else t.NOTHING_TO_CANCEL), main_menu())


def choose_language(render: Renderer) -> Screen:
    return Screen(render(t.CHOOSE_LANGUAGE), language_keyboard())


def language_not_available(render: Renderer) -> Screen:
    return Screen(render(t.LANGUAGE_NOT_AVAILABLE), language_keyboard())


def language_chosen(render: Renderer) -> Screen:
    return Screen(render(t.LANGUAGE_CHOSEN), main_menu())


def not_understood(render: Renderer) -> Screen:
    return Screen(render(t.NOT_UNDERSTOOD), main_menu())


def edit_not_read(render: Renderer) -> Screen:
    return Screen(render(t.EDIT_NOT_READ), main_menu())


def stale_button(render: Renderer) -> Screen:
    return Screen(render(t.STALE_BUTTON), main_menu())


def sorry(render: Renderer) -> Screen:
    return Screen(render(t.SORRY))
