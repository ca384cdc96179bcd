"""The staff's conversations, declared as data like the intake: the forms for a call for
proposals and an event, the broadcast composer, and the one-question prompts (a question
to the applicant, a reason, a duplicate's original, a note) and the applicant's answer.
`GRAPHS` names every conversation the engine walks."""

from __future__ import annotations

from bot.core.conversation.graph import AnswerIn, Graph, Kind, OnRequest, Step
from bot.core.intake import INTAKE
from bot.core.views import AUDIENCE_KINDS
from bot.core.vocabulary import AREAS, ROLE_NAMES, Option
from locales import applicant as ta
from locales import broadcasts as tb
from locales import forms as tf
from locales import staff as ts
from locales import staffwork as tw
from locales.i18n import Text

CALL_FORM = Graph(
    "call",
    (
        Step("title", Kind.TEXT, tf.TITLE, tf.CALL_TITLE_PROMPT, min_length=3, max_length=200),
        Step(
            "description",
            Kind.TEXT,
            tf.DESCRIPTION,
            tf.CALL_DESCRIPTION_PROMPT,
            min_length=10,
            max_length=2000,
        ),
        Step("areas", Kind.CHOICES, tf.AREAS, tf.CALL_AREAS_PROMPT, options=AREAS),
        Step("opens_at", Kind.MOMENT, tf.OPENS, tf.OPENS_PROMPT),
        Step(
            "closes_at",
            Kind.MOMENT,
            tf.CLOSES,
            tf.CLOSES_PROMPT,
            after="opens_at",
            future=True,
            day_end=True,
        ),
        Step(
            "guidance",
            Kind.TEXT,
            tf.GUIDANCE,
            tf.GUIDANCE_PROMPT,
            optional=True,
            min_length=3,
            max_length=1000,
        ),
        # How reviewers score the call's ideas; without it, the default rubric.
        Step("rubric", Kind.RUBRIC, tf.RUBRIC, tf.RUBRIC_PROMPT, optional=True),
        Step("review", Kind.REVIEW, tf.CHECK_AND_SAVE, tf.CHECK_AND_SAVE),
    ),
)

EVENT_FORM = Graph(
    "event",
    (
        Step("title", Kind.TEXT, tf.TITLE, tf.EVENT_TITLE_PROMPT, min_length=3, max_length=200),
        Step(
            "description",
            Kind.TEXT,
            tf.DESCRIPTION,
            tf.EVENT_DESCRIPTION_PROMPT,
            min_length=10,
            max_length=2000,
        ),
        Step("place", Kind.TEXT, tf.PLACE, tf.PLACE_PROMPT, min_length=3, max_length=300),
        Step("starts_at", Kind.MOMENT, tf.STARTS, tf.STARTS_PROMPT, future=True),
        Step(
            "capacity",
            Kind.NUMBER,
            tf.CAPACITY,
            tf.CAPACITY_PROMPT,
            optional=True,
            min_value=1,
            max_value=100_000,
        ),
        Step("review", Kind.REVIEW, tf.CHECK_AND_SAVE, tf.CHECK_AND_SAVE),
    ),
)

# Who a broadcast is for; all but "all" then choose one value.
AUDIENCE_NAMES = {
    "all": tb.EVERYONE,
    "area": tb.AREA_SUBSCRIBERS,
    "persona": tb.PERSONA_APPLICANTS,
    "platform": tb.PLATFORM_SUBSCRIBERS,
    "status": tb.STATUS_APPLICANTS,
    "event": tb.EVENT_ATTENDEES,
    "call": tb.CALL_APPLICANTS,
}
assert tuple(AUDIENCE_NAMES) == AUDIENCE_KINDS
AUDIENCE_SOURCE = "audience"
TEXT_LIMIT = 3500  # leaves room for the footer within 4096
CAPTION_LIMIT = 800  # Telegram's captions are 1024, footer included

BROADCAST = Graph(
    "broadcast",
    (
        Step(
            "message",
            Kind.MESSAGE,
            tb.MESSAGE_LABEL,
            tb.MESSAGE_PROMPT,
            max_length=TEXT_LIMIT,
            max_caption=CAPTION_LIMIT,
            media_kinds=frozenset({"photo", "document"}),
        ),
        Step(
            "audience",
            Kind.CHOICE,
            tb.AUDIENCE_LABEL,
            tb.AUDIENCE_PROMPT,
            options=tuple(Option(key, name) for key, name in AUDIENCE_NAMES.items()),
        ),
        Step(
            "audience_value",
            Kind.CHOICE,
            tb.AUDIENCE_LABEL,
            tb.AUDIENCE_PROMPT,
            source=AUDIENCE_SOURCE,
            when=AnswerIn("audience", frozenset(AUDIENCE_KINDS) - {"all"}),
        ),
        Step(
            "when", Kind.MOMENT, tb.WHEN_LABEL, tb.WHEN_PROMPT, future=True, when=OnRequest("when")
        ),
        Step("review", Kind.REVIEW, tb.SEND_IT, tb.SEND_IT),
    ),
)


def _message(label: Text, prompt: Text) -> Step:
    """One message from the applicant: words, or a file with a caption."""
    return Step(
        "message",
        Kind.MESSAGE,
        label,
        prompt,
        max_length=3000,
        max_caption=1024,
        max_file_bytes=20 * 1024 * 1024,
    )


# One question each; the conversation is done once it is answered.
QUESTION = Graph(
    "question",
    (
        Step(
            "text", Kind.TEXT, ts.QUESTION_LABEL, ts.QUESTION_PROMPT, min_length=1, max_length=1000
        ),
    ),
)
REASON = Graph(
    "reason",
    (Step("text", Kind.TEXT, ts.REASON_LABEL, ts.REASON_PROMPT, min_length=1, max_length=1000),),
)
DUPLICATE = Graph(
    "duplicate",
    (Step("code", Kind.CODE, ts.ORIGINAL_LABEL, ts.DUPLICATE_PROMPT),),
)
NOTE = Graph(
    "note",
    (Step("text", Kind.TEXT, ts.NOTE_LABEL, ts.NOTE_PROMPT, min_length=1, max_length=2000),),
)
SCORE_NOTE = Graph(
    "scorenote",
    (
        Step(
            "text",
            Kind.TEXT,
            tw.SCORE_NOTE_LABEL,
            tw.SCORE_NOTE_PROMPT,
            min_length=1,
            max_length=1000,
        ),
    ),
)
# An administrator adds a staff member: a message of theirs forwarded (or their id), then
# the role; done once the role is chosen.
STAFF_ADD = Graph(
    "staffadd",
    (
        Step("person", Kind.PERSON, tw.NEW_MEMBER_LABEL, tw.NEW_MEMBER_PROMPT),
        Step(
            "role",
            Kind.CHOICE,
            tw.NEW_MEMBER_ROLE_LABEL,
            tw.NEW_MEMBER_ROLE_PROMPT,
            options=tuple(Option(key, ROLE_NAMES[key]) for key in ("reviewer", "admin")),
        ),
    ),
)
TRACK = Graph("track", (Step("code", Kind.CODE, ta.TRACK_LABEL, ta.TRACK_PROMPT),))
ANSWER = Graph("answer", (_message(ta.ANSWER_LABEL, ta.ANSWER_PROMPT),))


# What the applicant adds to an open idea on their own.
INFO = Graph("info", (_message(ta.INFO_LABEL, ta.INFO_PROMPT),))

GRAPHS: dict[str, Graph] = {
    g.key: g
    for g in (
        INTAKE,
        CALL_FORM,
        EVENT_FORM,
        BROADCAST,
        QUESTION,
        REASON,
        DUPLICATE,
        NOTE,
        SCORE_NOTE,
        ANSWER,
        INFO,
        TRACK,
        STAFF_ADD,
    )
}
