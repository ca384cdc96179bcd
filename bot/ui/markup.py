"""Screens as plain values: a text and its keyboard, in the Bot API's own terms.

`to_json` gives the `reply_markup` object both platforms take, which is also what the
outbox stores; nothing here copies or validates more than that."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: it sends `data` back, or opens `url`."""

    text: str
    data: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        if self.url is not None:
            return {"text": self.text, "url": self.url}
        return {"text": self.text, "callback_data": self.data}


@dataclass(frozen=True, slots=True)
class Keyboard:
    """Inline buttons under a message, row by row."""

    rows: tuple[tuple[Button, ...], ...]

    @classmethod
    def of(cls, buttons: Iterable[Button], widths: Sequence[int] = (1,)) -> Keyboard:
        """Buttons laid out in rows of `widths` (the last width repeats)."""
        pending = list(buttons)
        rows: list[tuple[Button, ...]] = []
        index = 0
        while pending:
            width = max(1, widths[min(index, len(widths) - 1)])
            rows.append(tuple(pending[:width]))
            pending = pending[width:]
            index += 1
        return cls(tuple(rows))

    @classmethod
    def stacked(cls, *groups: Sequence[Button]) -> Keyboard:
        """Each group a row; empty groups left out."""
        return cls(tuple(tuple(group) for group in groups if group))

    def buttons(self) -> list[Button]:
        return [b for row in self.rows for b in row]

    def __bool__(self) -> bool:
        return any(self.rows)

    def __add__(self, other: Keyboard) -> Keyboard:
        return Keyboard(self.rows + other.rows)

    def to_json(self) -> dict[str, Any]:
        return {"inline_keyboard": [[b.to_json() for b in row] for row in self.rows]}


@dataclass(frozen=True, slots=True)
class ReplyButton:
    text: str
    request_contact: bool = False
    request_location: bool = False

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"text": self.text}
        if self.request_contact:
            found["request_contact"] = True
        if self.request_location:
            found["request_location"] = True
        return found


@dataclass(frozen=True, slots=True)
class ReplyKeyboard:
    """Buttons in place of the person's keyboard (the only way to ask for a contact or
    a location with one press)."""

    rows: tuple[tuple[ReplyButton, ...], ...]

    def buttons(self) -> list[ReplyButton]:
        return [b for row in self.rows for b in row]

    def to_json(self) -> dict[str, Any]:
        return {
            "keyboard": [[b.to_json() for b in row] for row in self.rows],
            "resize_keyboard": True,
            "one_time_keyboard": False,
        }


@dataclass(frozen=True, slots=True)
class RemoveKeyboard:
    """Takes a reply keyboard away."""

    def to_json(self) -> dict[str, Any]:
        return {"remove_keyboard": True}


Markup = Keyboard | ReplyKeyboard | RemoveKeyboard


@dataclass(frozen=True, slots=True)
class Screen:
    """One message: its text (already rendered for its platform) and its keyboard."""

    text: str
    markup: Markup | None = None
    # What else the message carries: a file to attach ("photo" or "document", its
    # platform file id), the text as its caption.
    media: tuple[str, str] | None = field(default=None)

    def markup_json(self) -> dict[str, Any] | None:
        if self.markup is None or (isinstance(self.markup, Keyboard) and not self.markup):
            return None
        return self.markup.to_json()
