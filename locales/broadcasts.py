"""The broadcast composer, and what its author sees while it is sent."""

from locales.i18n import N_

# Audiences.
EVERYONE = N_("Everyone subscribed")
AREA_SUBSCRIBERS = N_("Subscribers of a focus area")
PERSONA_APPLICANTS = N_("Applicants of one kind (citizens, students…)")
PLATFORM_SUBSCRIBERS = N_("Subscribers on one messenger")
STATUS_APPLICANTS = N_("Applicants with an idea in a given status")
EVENT_ATTENDEES = N_("Those signed up for an event")
CALL_APPLICANTS = N_("Those who sent ideas to a call")

# The composer's steps.
MESSAGE_LABEL = N_("Announcement")
MESSAGE_PROMPT = N_(
    "📢 Send the announcement: a text, or a photo or document with a caption. "
    "It reaches people exactly as you write it."
)
AUDIENCE_LABEL = N_("Audience")
AUDIENCE_PROMPT = N_("Who should receive it?")
WHEN_LABEL = N_("When")
WHEN_PROMPT = N_(
    "When should it be sent? Send the date and time: "
    "Jalali like 1405/09/20 10:00, or Gregorian like 2026-12-11 10:00."
)

# Its review.
AUDIENCE_LINE = N_("<b>Audience:</b> {audience}")
RECIPIENTS = N_("Recipients: {total} (Telegram {telegram}, Bale {bale})")
NOBODY = N_("Nobody is in this audience now.")
SEND_NOW = N_("📤 Send now")
SCHEDULE = N_("🕒 Schedule")
ANOTHER_AUDIENCE = N_("👥 Another audience")
PREVIEW = N_("Preview:")
SEND_IT = N_("Send it?")

# What follows.
CANCELLED_NOTHING_SENT = N_("Cancelled; nothing was sent.")
ALREADY_SENT = N_("That announcement was already sent or cancelled.")
UNSCHEDULED = N_("Broadcast #{id} is cancelled; nothing was sent.")
ALREADY_STARTED = N_("Broadcast #{id} has already started or was cancelled.")
ON_ITS_WAY = N_("📤 Broadcast #{id} is on its way; its progress follows here.")
SCHEDULED = N_("🕒 Broadcast #{id} is scheduled for {when}.")
CANCEL_THIS = N_("✖️ Cancel this broadcast")
UNSCHEDULE_QUESTION = N_("Cancel broadcast #{id}? It will be sent to no one.")
UNSCHEDULE_YES = N_("Yes, cancel the broadcast")
NONE_SCHEDULED = N_("No broadcast is scheduled.")
SCHEDULED_ITEM = N_("🕒 Broadcast #{id}, {when}\nAudience: {audience}\n\n{text}")
PROGRESS = N_(
    "📤 Broadcast #{id} is being sent.\n"
    "Sent: {sent}\nNot delivered: {failed}\nLeft: {left}\nOf: {total}"
)
REPORT = N_(
    "✅ Broadcast #{id} is finished.\n"
    "Recipients: {total}\n"
    "Delivered: {sent}\n"
    "Have blocked the bot (now unsubscribed): {blocked}\n"
    "Failed: {failed}\n"
    "Unconfirmed (the messenger did not answer; not sent again): {unknown}"
)
