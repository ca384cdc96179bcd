"""Calls for proposals, events and announcements as everyone sees them."""

from locales.i18n import N_

CALL_TEXT = N_("📣 <b>{title}</b>\n{description}\n\nAreas: {areas}\nOpen from {opens} to {closes}")
GUIDANCE = N_("Guidance: {guidance}")
LINK = N_("Link to share: {link}")
SUBMIT_TO_CALL = N_("💡 Submit an idea to this call")
NO_OPEN_CALLS = N_("No call for proposals is open now. You can always send a general idea.")
OPEN_CALLS = N_("<b>Open calls for proposals</b>: {count}")

EVENT_TEXT = N_("🗓 <b>{title}</b>\n{description}\n\nWhen: {when}\nPlace: {place}")
EVENT_CANCELLED = N_("❌ Cancelled")
EVENT_FULL = N_("⛔️ Full: {capacity} places, all taken")
PLACES_LEFT = N_("Places left: {left} of {capacity}")
SIGNED_UP = N_("✅ You are signed up.")
WITHDRAW = N_("↩️ Withdraw")
SIGN_UP = N_("✋ Sign up")
NO_EVENTS = N_("No event is planned at the moment.")
UPCOMING = N_("<b>Upcoming events</b>: {count}")
SIGNUP_DONE = N_("✅ You are signed up. We will remind you before it starts.")
SIGNUP_ALREADY = N_("You were already signed up.")
SIGNUP_FULL = N_("Sorry, this event is full.")
SIGNUP_CLOSED = N_("This event no longer takes sign-ups.")
WITHDRAWN = N_("You have withdrawn; you will not be reminded.")

# Subscriptions.
NONE_RECEIVED = N_("<b>Announcements</b>\nYou receive none. Press a subject to receive its news.")
SOME_RECEIVED = N_(
    "<b>Announcements</b>\nYou receive news of the subjects marked ✅. "
    "Press a subject to switch it."
)
ALL_TOPICS = N_("✅ All")
NO_TOPICS = N_("🔕 None")
TOPICS_DONE = N_("✔️ Done")
CHOOSE_TOPICS = N_(
    "Which announcements would you like from the center? Press the subjects you "
    "want (✅), then Done. You can change it at any time with /settings."
)
TOPICS_SAVED = N_("Saved. /settings changes it at any time.")
TOPICS_NONE_SAVED = N_("Saved: you will receive no announcements. /settings to change.")
UNSUBSCRIBED = N_("You are unsubscribed: no more announcements. /settings to subscribe again.")
