"""The intake conversation, declared as data: every step of submitting an idea, in order.

Who you are decides whether (and how) your affiliation is asked; the call step is asked
only when a call for proposals is open for the chosen area, and a call's link answers it.
"""

from __future__ import annotations

from bot.core.conversation.graph import AnswerIn, Graph, HasOptions, Kind, Step
from bot.core.vocabulary import AREAS, PERSONAS, STAGES
from locales import intake as t

MEGABYTE = 1024 * 1024
# Not a step: the call a deep link opened the intake for.
BOUND_CALL = "_call"
CALLS_SOURCE = "calls"

AFFILIATION_PROMPTS = {
    "university_student": t.UNIVERSITY_PROMPT,
    "school_student": t.SCHOOL_PROMPT,
    "professor": t.PROFESSOR_PROMPT,
    "company": t.COMPANY_PROMPT,
    "municipal_staff": t.MUNICIPAL_PROMPT,
    "industry": t.INDUSTRY_PROMPT,
}

INTAKE = Graph(
    "intake",
    (
        Step("persona", Kind.CHOICE, t.PERSONA_LABEL, t.PERSONA_PROMPT, options=PERSONAS),
        Step(
            "affiliation",
            Kind.TEXT,
            t.AFFILIATION_LABEL,
            prompt_by=("persona", AFFILIATION_PROMPTS),
            when=AnswerIn("persona", frozenset(AFFILIATION_PROMPTS)),
            min_length=2,
            max_length=200,
        ),
        Step("area", Kind.CHOICE, t.AREA_LABEL, t.AREA_PROMPT, options=AREAS),
        Step(
            "call",
            Kind.CHOICE,
            t.CALL_LABEL,
            t.CALL_PROMPT,
            source=CALLS_SOURCE,
            when=HasOptions("call", on="area", description="calls open for the area"),
            optional=True,
            preset=BOUND_CALL,
        ),
        Step("title", Kind.TEXT, t.TITLE_LABEL, t.TITLE_PROMPT, min_length=5, max_length=120),
        Step(
            "problem", Kind.TEXT, t.PROBLEM_LABEL, t.PROBLEM_PROMPT, min_length=30, max_length=2000
        ),
        Step(
            "solution",
            Kind.TEXT,
            t.SOLUTION_LABEL,
            t.SOLUTION_PROMPT,
            min_length=30,
            max_length=3000,
        ),
        Step(
            "impact",
            Kind.TEXT,
            t.IMPACT_LABEL,
            t.IMPACT_PROMPT,
            optional=True,
            min_length=1,
            max_length=1500,
        ),
        Step("stage", Kind.CHOICE, t.STAGE_LABEL, t.STAGE_PROMPT, options=STAGES),
        Step(
            "team_size",
            Kind.NUMBER,
            t.TEAM_SIZE_LABEL,
            t.TEAM_SIZE_PROMPT,
            optional=True,
            min_value=1,
            max_value=50,
        ),
        Step(
            "attachments",
            Kind.MEDIA,
            t.ATTACHMENTS_LABEL,
            t.ATTACHMENTS_PROMPT,
            optional=True,
            max_files=5,
            max_file_bytes=20 * MEGABYTE,
        ),
        Step("location", Kind.LOCATION, t.LOCATION_LABEL, t.LOCATION_PROMPT, optional=True),
        Step(
            "full_name",
            Kind.NAME,
            t.FULL_NAME_LABEL,
            t.FULL_NAME_PROMPT,
            min_length=3,
            max_length=100,
        ),
        Step("phone", Kind.PHONE, t.PHONE_LABEL, t.PHONE_PROMPT),
        Step("consent", Kind.CONSENT, t.CONSENT_LABEL, t.CONSENT_PROMPT),
        Step("review", Kind.REVIEW, t.REVIEW_LABEL, t.REVIEW_PROMPT),
    ),
    numbered=True,
)
