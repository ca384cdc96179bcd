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

# What happens next, after each status (the applicant is never left wondering).
NEXT_SUBMITTED = N_("It is in the queue of the center's experts; you will hear here at every step.")
NEXT_SCREENING = N_("The center's experts are reading it now; you will hear at every step.")
NEXT_EVALUATING = N_(
    "It is being evaluated in depth. The experts may ask you questions here; answer them "
    "with a message."
)
NEXT_SHORTLISTED = N_(
    "Congratulations: it goes to the pitch day, where you present it to the center's jury. "
    "The date and place will reach you here."
)
NEXT_ACCEPTED = N_(
    "Congratulations! The center's team will call you at the number you gave within the "
    "next working week to plan the next steps with you."
)
NEXT_INCUBATING = N_(
    "It is in the center's acceleration programme; your mentor will keep in touch with you."
)
NEXT_COMPLETED = N_("It has been implemented in the city. Thank you for making Tabriz better.")
NEXT_REJECTED = N_(
    "Thank you for sending it. You can improve it with the experts' reason in mind and "
    "submit it again with /new, or send it to an open call (/calls)."
)
NEXT_DUPLICATE = N_(
    "A very similar idea is already being followed, so the two are followed as one. "
    "You can send a different idea with /new at any time."
)
UNDONE = N_(
    "Correction: the last change to your idea <code>{code}</code> «{title}» was taken back. "
    "Its status is again: <b>{status}</b>."
)
