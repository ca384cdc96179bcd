"""The screens of /privacy and /delete_my_data: what is stored about a person, the
question before erasing it, and what erasing did."""

from __future__ import annotations

from bot.core.text import isolated, left_to_right
from bot.core.views import StoredAboutPerson
from bot.core.vocabulary import TOPIC_OPTIONS
from bot.ui.callbacks import PrivacyCB
from bot.ui.keyboards import main_menu
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.render import Renderer
from locales import common
from locales import privacy as t


def stored(render: Renderer, found: StoredAboutPerson) -> Screen:
    none = str(t.NOTHING)
    separator = str(common.LIST_SEPARATOR)
    topics = separator.join(str(o.label) for o in TOPIC_OPTIONS if o.key in found.topics)
    text = render(
        t.STORED,
        messenger_name=isolated(found.messenger_name) if found.messenger_name else none,
        full_name=isolated(found.full_name) if found.full_name else none,
        phone=left_to_right(found.phone) if found.phone else none,
        ideas=found.ideas,
        draft=str(common.YES if found.has_draft else common.NO),
        topics=topics or none,
        events=found.events,
    )
    return Screen(text, main_menu())


def delete_question(render: Renderer) -> Screen:
    keyboard = Keyboard.stacked(
        [Button(str(t.YES_DELETE), PrivacyCB(True).pack())],
        [Button(str(t.NO_KEEP), PrivacyCB(False).pack())],
    )
    return Screen(render(t.DELETE_QUESTION), keyboard)


def nothing_deleted(render: Renderer) -> Screen:
    return Screen(render(t.NOTHING_DELETED), main_menu())


def deleted(render: Renderer, ideas: int) -> Screen:
    if ideas:
        return Screen(render(t.DELETED_IDEAS_KEPT, ideas=ideas), main_menu())
    return Screen(render(t.DELETED), main_menu())
