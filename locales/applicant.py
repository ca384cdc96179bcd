"""An applicant's own ideas: the list, one idea with its history, withdrawing, answering."""

from locales.i18n import N_

MY_IDEAS = N_("<b>Your ideas</b>")
NO_IDEAS = N_("You have not submitted any ideas yet. Use “Submit an idea” to start.")
IDEA_LINE = N_("{number}. <code>{code}</code> {title}\n    {status} · {date}")
LATEST_OF = N_("The latest {shown} of your {total} ideas.")
OPEN_CODE = N_("🔎 {code}")
ANSWER_FOR = N_("✍️ {code} «{title}»")

IDEA_TITLE = N_("<b>Idea</b> <code>{code}</code> «{title}»")
IDEA_STATUS = N_("Status: {status}\nSubmitted: {date}")
HISTORY = N_("<b>History</b>")
ASKED = N_("{when}: the experts asked: {text}")
ANSWERED = N_("{when}: you answered: {text}")
STATUS_ENTRY = N_("{when}: {status}")
REASON_SUFFIX = N_(" (reason: {reason})")

ANSWER = N_("✍️ Answer")
WITHDRAW = N_("↩️ Withdraw this idea")
NOT_FOUND = N_("No idea with that tracking code was found among yours.")
TRACK_LABEL = N_("Tracking code")
TRACK_PROMPT = N_("Send the tracking code of your idea, like K7M3-QXA9.")
WITHDRAW_YES = N_("Yes, withdraw it")
KEEP_IT = N_("No, keep it")
WITHDRAW_QUESTION = N_("Withdraw your idea <code>{code}</code> «{title}»? This can't be undone.")
WITHDRAWN = N_("Your idea is withdrawn. Thank you for sharing it.")
CANNOT_WITHDRAW = N_("This idea can no longer be withdrawn.")
NO_QUESTION = N_("There is no open question about this idea.")
ANSWER_LABEL = N_("Your answer")
WHICH_IDEA = N_(
    "The experts are waiting for your answer about more than one idea. Which one is "
    "this answer for?"
)
ANSWER_PROMPT = N_("Send your answer as a message (text, or a photo or document with a caption).")

# Adding to an open idea.
ADD_INFO = N_("➕ Add information or a file")
INFO_LABEL = N_("What you add")
INFO_PROMPT = N_(
    "Send what you want to add to your idea: a message, or a photo or document with a "
    "caption. The experts will see it with your idea."
)
INFO_ADDED = N_("Added to your idea <code>{code}</code> «{title}»; the center's experts were told.")
CLOSED_FOR_INFO = N_("This idea is closed: nothing more can be added to it.")
SUBMITTED_AREA = N_("<b>Area</b>: {area}")
SUBMITTED_STAGE = N_("<b>Stage</b>: {stage}")
SUBMITTED_FILES = N_("<b>Files</b>: {count}")
ADDED = N_("{when}: you added: {text}")
