"""Every button's callback data, typed and versioned, in one module.

Each kind of button is a frozen dataclass whose fields are packed as
`<prefix><version>:<field>:<field>…` (at most 64 bytes, as both platforms allow). Data
that does not unpack as the current version of any kind (an old button from before an
upgrade, or forged data) is recognised as stale and answered as such.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import StrEnum
from typing import Any, ClassVar, Self

VERSION = "1"
SEPARATOR = ":"
DATA_LIMIT = 64  # bytes, on both platforms


class Callback:
    """Base of every callback data kind; subclasses are frozen dataclasses."""

    prefix: ClassVar[str]

    @classmethod
    def tag(cls) -> str:
        return f"{cls.prefix}{VERSION}"

    def pack(self) -> str:
        values = []
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            text = str(int(value)) if isinstance(value, bool) else str(value)
            assert SEPARATOR not in text, f"{type(self).__name__}.{f.name} holds {SEPARATOR!r}"
            values.append(text)
        data = SEPARATOR.join([self.tag(), *values])
        assert len(data.encode()) <= DATA_LIMIT, data
        return data

    @classmethod
    def matches(cls, data: object) -> bool:
        return isinstance(data, str) and data.startswith(cls.tag() + SEPARATOR)

    @classmethod
    def unpack(cls, data: object) -> Self | None:
        """The button's data, or None if it is not (or no longer) this kind's."""
        if not cls.matches(data):
            return None
        assert isinstance(data, str)
        parts = data.split(SEPARATOR)[1:]
        fields = _fields(cls)
        if len(parts) != len(fields):
            return None
        values: dict[str, Any] = {}
        try:
            for (name, kind), text in zip(fields, parts, strict=True):
                values[name] = _decode(kind, text)
        except ValueError:
            return None
        return cls(**values)


_FIELDS: dict[type[Callback], tuple[tuple[str, Any], ...]] = {}


def _fields(cls: type[Callback]) -> tuple[tuple[str, Any], ...]:
    """Each field's name and type, read once per kind."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        _FIELDS[cls] = found
    return found


def _decode(kind: Any, text: str) -> Any:
    if kind is bool:
        if text not in ("0", "1"):
            raise ValueError(text)
        return text == "1"
    if kind is int:
        if not text.lstrip("-").isdigit() or len(text) > 18:
            raise ValueError(text)
        return int(text)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(text)
    return text


# ----- everyone -----
class MenuAction(StrEnum):
    SUBMIT = "submit"
    MY_IDEAS = "my_ideas"
    ABOUT = "about"
    SETTINGS = "settings"
    CALLS = "calls"
    EVENTS = "events"
    ANNOUNCEMENTS = "announcements"


@dataclasses.dataclass(frozen=True, slots=True)
class MenuCB(Callback):
    prefix: ClassVar[str] = "menu"
    action: MenuAction


@dataclasses.dataclass(frozen=True, slots=True)
class LanguageCB(Callback):
    prefix: ClassVar[str] = "lang"
    code: str


class StepAction(StrEnum):
    """A conversation's own buttons (any conversation: the intake, a form, a prompt)."""

    PICK = "pick"  # an option, agree, done, next, my name, keep
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    CANCEL_YES = "cancel_yes"
    CANCEL_NO = "cancel_no"
    EDIT = "edit"  # from the review: change one answer
    SUBMIT = "submit"  # from the review: done
    RESUME = "resume"
    RESTART = "restart"
    RESTART_YES = "restart_yes"


@dataclasses.dataclass(frozen=True, slots=True)
class StepCB(Callback):
    prefix: ClassVar[str] = "cv"
    flow: str
    action: StepAction
    step: str = ""
    value: str = ""


class IdeaAction(StrEnum):
    OPEN = "open"
    WITHDRAW = "withdraw"
    WITHDRAW_YES = "withdraw_yes"
    ANSWER = "answer"
    ANSWER_THIS = "answer_this"  # the answer already sent goes to this idea
    ADD_INFO = "add_info"  # more information or files, unasked, while the idea is open


@dataclasses.dataclass(frozen=True, slots=True)
class IdeaCB(Callback):
    """An applicant's button about one of their ideas (always checked to be theirs)."""

    prefix: ClassVar[str] = "idea"
    action: IdeaAction
    idea: int


@dataclasses.dataclass(frozen=True, slots=True)
class CallCB(Callback):
    """Submit an idea to this call for proposals."""

    prefix: ClassVar[str] = "call"
    id: int


class EventAction(StrEnum):
    JOIN = "join"
    LEAVE = "leave"


@dataclasses.dataclass(frozen=True, slots=True)
class EventCB(Callback):
    prefix: ClassVar[str] = "ev"
    action: EventAction
    id: int


# A subscription button's topic: a subject to switch, or one of these.
DONE, NONE, ALL = "done", "none", "all"
UNSUBSCRIBE = "stop"  # the button under an announcement


@dataclasses.dataclass(frozen=True, slots=True)
class SubscriptionCB(Callback):
    prefix: ClassVar[str] = "sub"
    topic: str


@dataclasses.dataclass(frozen=True, slots=True)
class PrivacyCB(Callback):
    prefix: ClassVar[str] = "privacy"
    erase: bool


# ----- staff -----
class StaffAction(StrEnum):
    OPEN = "open"  # the card, in a new message
    CARD = "card"  # the card, in place of the message pressed
    ANSWERS = "answers"
    FILES = "files"
    HISTORY = "history"
    NOTE = "note"
    MOVE = "move"  # asks first where the move needs words or a confirmation
    CONFIRM = "confirm"  # the move, confirmed
    UNDO = "undo"  # ref: the history entry of the change to take back
    ASSIGN = "assign"  # the picker
    ASSIGN_TOGGLE = "assign_toggle"  # ref: the staff member, "<platform>-<id>"
    SEEN = "seen"  # what the applicant sent needs nothing more


@dataclasses.dataclass(frozen=True, slots=True)
class StaffCB(Callback):
    prefix: ClassVar[str] = "staff"
    action: StaffAction
    idea: int
    to: str = ""
    ref: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class ScoreCB(Callback):
    """The score sheet (no criterion), one criterion's value, or its note (value 0)."""

    prefix: ClassVar[str] = "sc"
    idea: int
    criterion: str = ""
    value: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class RankCB(Callback):
    """A call's ranking (call 0: the ideas outside calls; -1: the list of calls)."""

    prefix: ClassVar[str] = "rk"
    call: int = -1
    export: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class AlertCB(Callback):
    """A choice of what to be told of, or one area switched (mode "areas")."""

    prefix: ClassVar[str] = "al"
    mode: str
    area: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class QueueCB(Callback):
    """The review queue's filters and page ("" for any)."""

    prefix: ClassVar[str] = "q"
    status: str = "open"
    area: str = ""
    platform: str = ""
    call: int = 0  # 0 for any
    page: int = 0
    mine: bool = False  # only the ideas assigned to the viewer


class ManageAction(StrEnum):
    CALLS = "calls"
    EVENTS = "events"
    NEW = "new"  # a form, empty
    EDIT = "edit"  # the fields of one item, to pick one
    FIELD = "field"  # edit one field
    CLOSE_CALL = "close_call"  # asks first
    CLOSE_CALL_YES = "close_call_yes"
    CANCEL_EVENT = "cancel_event"
    CANCEL_EVENT_YES = "cancel_event_yes"


@dataclasses.dataclass(frozen=True, slots=True)
class ManageCB(Callback):
    prefix: ClassVar[str] = "mg"
    action: ManageAction
    form: str = ""
    id: int = 0
    value: str = ""


class BroadcastAction(StrEnum):
    START = "start"
    LIST = "list"  # the scheduled ones
    UNSCHEDULE = "unschedule"  # asks first
    UNSCHEDULE_YES = "unschedule_yes"


@dataclasses.dataclass(frozen=True, slots=True)
class BroadcastCB(Callback):
    prefix: ClassVar[str] = "bc"
    action: BroadcastAction
    id: int = 0
