"""What reaches people later: news of their idea, reminders, event changes, deadlines,
the weekly digest, a nudge for a forgotten draft, and the footer of announcements."""

from locales.i18n import N_

SAME_AS = N_("same as idea {code}")
ANSWER = N_("✍️ Answer")
QUESTION = N_(
    "The center's experts have a question about your idea <code>{code}</code> "
    "«{title}»:\n\n{question}\n\nPress “Answer” to reply."
)
STATUS = N_("Your idea <code>{code}</code> «{title}» is now: <b>{status}</b>.")
REASON = N_("Reason: {reason}")
ANSWER_RECEIVED = N_(
    "Thank you. Your answer was added to your idea <code>{code}</code> «{title}», "
    "which is back with the center's experts."
)

ONE_DAY = N_("one day")
DAYS = N_("{n} days")
ONE_HOUR = N_("one hour")
HOURS = N_("{n} hours")
ONE_MINUTE = N_("one minute")
MINUTES = N_("{n} minutes")

EVENT_REMINDER = N_("⏰ Reminder: «{title}» starts in {left}, on {when}.\nPlace: {place}")
EVENT_MOVED = N_(
    "🗓 «{title}» has moved: it was on {old}, it is now on {when}.\n"
    "Place: {place}\nYou are still signed up; /events to withdraw."
)
EVENT_NEW_PLACE = N_("📍 «{title}» on {when} has a new place: {place}")
EVENT_CANCELLED = N_(
    "❌ «{title}» on {when} is cancelled. We are sorry; /events shows what is ahead."
)
CALL_DEADLINE = N_(
    "⏳ The call for proposals «{title}» closes in {left}, on {when}.\n"
    "You have not sent an idea to it yet: /calls"
)
CALL_OPENED = N_(
    "📣 A new call for proposals is open: «{title}», until {when}.\nSee it with /calls"
)
SUBMIT_TO_CALL = N_("💡 Submit an idea to this call")
DIGEST_HEADING = N_("🗞 <b>New this week at the center</b>")
DIGEST_CALLS = N_("<b>Calls for proposals</b> (/calls):")
DIGEST_CALL = N_("• «{title}», open until {when}")
DIGEST_EVENTS = N_("<b>Events</b> (/events):")
DIGEST_EVENT = N_("• «{title}», {when}")
DRAFT_NUDGE = N_(
    "✏️ Your idea is waiting for you: the draft you started is saved. "
    "Send /new to continue where you stopped."
)
FOOTER = N_("To choose which announcements you receive, or none: /settings")
UNSUBSCRIBE = N_("🔕 Unsubscribe")
