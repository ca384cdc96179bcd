"""The staff's forms for calls for proposals and events, and their lists."""

from locales.i18n import N_

# The call's form.
TITLE = N_("Title")
CALL_TITLE_PROMPT = N_("The call's title?")
DESCRIPTION = N_("Description")
CALL_DESCRIPTION_PROMPT = N_("Describe the call: what kind of ideas it looks for.")
AREAS = N_("Focus areas")
CALL_AREAS_PROMPT = N_("Which focus areas does it cover?")
OPENS = N_("Opens")
OPENS_PROMPT = N_(
    "When does it open? Send the date and time: "
    "Jalali like 1405/09/20 08:00, or Gregorian like 2026-12-11 08:00."
)
CLOSES = N_("Closes")
CLOSES_PROMPT = N_(
    "When does it close? Send the date and time: "
    "Jalali like 1405/10/20 23:59, or Gregorian like 2027-01-10 23:59."
)
GUIDANCE = N_("Guidance")
GUIDANCE_PROMPT = N_("Any guidance for applicants (what to include, how ideas are judged)?")
RUBRIC = N_("Scoring criteria")
RUBRIC_PROMPT = N_(
    "How should reviewers score this call's ideas? Write one criterion per line, each with "
    "its weight after a colon if it counts more than the others, e.g.\n"
    "Novelty: 1\nFeasibility: 1\nImpact for the city: 2\n\n"
    "Skip it for the default: novelty, feasibility, impact for the city, cost."
)
CHECK_AND_SAVE = N_("<b>Check and save</b>")

# The event's form.
EVENT_TITLE_PROMPT = N_("The event's title?")
EVENT_DESCRIPTION_PROMPT = N_("Describe the event: who it is for and what happens.")
PLACE = N_("Place")
PLACE_PROMPT = N_("Where is it? An address, or the link of an online meeting.")
STARTS = N_("Starts")
STARTS_PROMPT = N_(
    "When does it start? Send the date and time: "
    "Jalali like 1405/09/25 16:00, or Gregorian like 2026-12-16 16:00."
)
CAPACITY = N_("Capacity")
CAPACITY_PROMPT = N_("How many people can attend? Send a number, or skip for no limit.")

# Around the forms.
SAVE = N_("💾 Save")
SAVED = N_("💾 Saved.")
OPENS_LATER = N_("⏳ It opens on {when}: until then people don't see it in /calls.")
FORM_CLOSED = N_("That form was already closed.")
NOTHING_SAVED = N_("Cancelled; nothing was saved.")
WHICH_PART = N_("Which part do you want to change?")
GONE = N_("That no longer exists.")

# The lists.
EDIT = N_("✏️ Edit")
CLOSE_NOW = N_("🔒 Close now")
MOVE = N_("🕒 Move")
CANCEL_EVENT = N_("❌ Cancel the event")
NEW_CALL = N_("➕ New call")
CALLS_HEADING = N_("<b>Calls for proposals</b> (latest {count})")
NO_CALLS_YET = N_("<b>Calls for proposals</b>: none yet.")
CALL_OPEN = N_("🟢 open")
CALL_NOT_YET_OPEN = N_("⏳ not yet open")
CALL_CLOSED = N_("🔒 closed")
NEW_EVENT = N_("➕ New event")
EVENTS_HEADING = N_("<b>Events</b> (latest {count})")
NO_EVENTS_YET = N_("<b>Events</b>: none yet.")
SIGNED_UP_COUNT = N_("Signed up: {count}")
CANCEL_EVENT_YES = N_("Yes, cancel it and tell the attendees")
CLOSE_CALL_QUESTION = N_(
    "Close this call now? No idea can be sent to it after this, and it cannot be reopened."
)
CLOSE_CALL_YES = N_("Yes, close the call")
CANCEL_EVENT_QUESTION = N_("Cancel this event? Everyone signed up is told.")
EVENT_CANCELLED = N_("The event is cancelled; {count} attendee(s) are being told.")
EVENT_ALREADY_CANCELLED = N_("That event was already cancelled.")
