"""Every conversation state, in one module: which conversation a person is in, and how.

A state is stored on the person's row as `<flow>/<mode>`. The flow is a conversation
graph's key (`bot.core.forms.GRAPHS`); the mode says what the next typed message is:
an answer, a reply to "stop or go on?", or nothing until the step is shown again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.forms import GRAPHS


class Mode(StrEnum):
    ANSWERING = "answering"
    CONFIRMING_CANCEL = "cancel"  # asked "stop submitting this idea?"
    # Another command or menu came in between: what is typed next is not an answer
    # until the current step has been shown again.
    PAUSED = "paused"
    ALBUM = "album"  # an answer was an album: its other parts join it


class Interruption(StrEnum):
    """What a command or another feature's button does to a conversation under way."""

    PAUSE = "pause"  # kept, shown again before the next answer is taken
    FORGET = "forget"  # dropped: a later message is not taken for it


@dataclass(frozen=True, slots=True)
class FlowRules:
    interruption: Interruption


FLOWS: dict[str, FlowRules] = {
    "intake": FlowRules(Interruption.PAUSE),
    "answer": FlowRules(Interruption.FORGET),
    "track": FlowRules(Interruption.FORGET),
    "call": FlowRules(Interruption.FORGET),
    "event": FlowRules(Interruption.FORGET),
    "broadcast": FlowRules(Interruption.FORGET),
    "question": FlowRules(Interruption.FORGET),
    "reason": FlowRules(Interruption.FORGET),
    "duplicate": FlowRules(Interruption.FORGET),
    "note": FlowRules(Interruption.FORGET),
    "scorenote": FlowRules(Interruption.FORGET),
    "info": FlowRules(Interruption.FORGET),
    "staffadd": FlowRules(Interruption.FORGET),
}
assert set(FLOWS) == set(GRAPHS), "every conversation has its rules"


@dataclass(frozen=True, slots=True)
class State:
    flow: str
    mode: Mode = Mode.ANSWERING

    def encode(self) -> str:
        return f"{self.flow}/{self.mode.value}"

    @classmethod
    def decode(cls, raw: str | None) -> State | None:
        """The stored state, or None (none, or one this version no longer has)."""
        if not raw:
            return None
        flow, _sep, mode = raw.partition("/")
        if flow not in FLOWS or mode not in Mode._value2member_map_:
            return None
        return cls(flow, Mode(mode))

    @property
    def rules(self) -> FlowRules:
        return FLOWS[self.flow]
