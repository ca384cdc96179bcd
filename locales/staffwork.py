"""The staff loop: the card's buttons and lines, confirmations, undo, assignment,
scoring, rankings, alerts, and staff invites."""

from locales.i18n import N_

# The card, one message.
CARD = N_(
    "<b>Idea</b> <code>{code}</code> «{title}»\n"
    "Status: <b>{status}</b>\n"
    "Area: {area}\nCall: {call}\n"
    "From: {who} · on {platform}\n"
    "Stage: {stage} · Team: {team}\n"
    "Submitted: {date} · Last change: {changed}\n"
    "Assigned to: {assignees}\nScore: {score}"
)
WHO_WITH_AFFILIATION = N_("{persona}, {affiliation}")
CARD_CONTACT = N_("Name: {name} · Phone: {phone}")
CARD_AWAITING = N_("💬 The applicant answered or added something: it waits for you.")
CARD_RECENT = N_("<b>Latest</b>")
RECENT_LINE = N_("• {when}: {what} ({who})")
RECENT_LINE_APPLICANT = N_("• {when}: {what} (the applicant)")
NO_CALL = N_("none (a general idea)")
NOBODY = N_("nobody yet")
SCORE_NONE = N_("no scores yet")
SCORE_HIDDEN = N_("hidden until you score it")
SCORE_VALUE = N_("{score} of 5 from {reviewers} reviewers")
SCORE_DISAGREE = N_("⚠️ the reviewers disagree")
ANSWERS_BUTTON = N_("📄 Answers")
FILES_BUTTON = N_("📎 Files ({count})")
HISTORY_BUTTON = N_("🕘 History")
SCORE_BUTTON = N_("⭐ Score")
NOTE_BUTTON = N_("📝 Note")
ASSIGN_BUTTON = N_("👤 Assign")
MAP_BUTTON = N_("🗺 Location on the map")
SEEN_BUTTON = N_("👁 Seen, nothing to do")
UNDO_BUTTON = N_("↩️ Undo")
BACK_TO_CARD = N_("↩️ Back to the card")
NO_FILES = N_("This idea has no files.")
MINE_ONLY = N_("📌 Only mine")
EVERYONES = N_("👥 Everyone's")

# What each move's button says: a verb, so no two look alike.
MOVE_SCREENING = N_("🔎 Start screening")
MOVE_NEEDS_INFO = N_("❓ Ask the applicant")
MOVE_EVALUATING = N_("🧪 Evaluate")
MOVE_SHORTLISTED = N_("🎤 Shortlist for the pitch…")
MOVE_ACCEPTED = N_("✅ Accept…")
MOVE_INCUBATING = N_("🚀 Start acceleration")
MOVE_COMPLETED = N_("🏁 Mark implemented…")
MOVE_REJECTED = N_("⛔️ Reject…")
MOVE_DUPLICATE = N_("♊️ Mark as a duplicate…")

# Confirmations.
CONFIRM_MOVE = N_(
    "<b>{action}</b>\n«{title}» <code>{code}</code>\n\n"
    "The idea will be “{status}”, and its applicant told on {platform}."
)
CONFIRM_NOBODY_TOLD = N_(
    "<b>{action}</b>\n«{title}» <code>{code}</code>\n\nThe idea will be “{status}”."
)
CONFIRM_REASON = N_("Reason they will read: {reason}")
CONFIRM_FINAL = N_("This closes the idea. An administrator can undo it within {minutes} minutes.")
CONFIRM_YES = N_("Yes: {action}")
CONFIRM_BACK = N_("↩️ No, back")
CONFIRMED_DONE = N_("✔️ Confirmed: {action}")
GONE = N_("That was already done or is no longer possible; here is the idea as it is now.")
NOT_PERMITTED = N_("Your role does not allow this; an administrator can do it.")

# Undo.
UNDONE_TOLD = N_("Undone: the idea is “{status}” again; the applicant was told.")
UNDONE_NOT_TOLD = N_("Undone: the idea is “{status}” again.")
UNDONE_ON_ITS_WAY = N_("Undone: the idea is “{status}” again; the applicant is being told.")
MOVED_ON_ITS_WAY = N_("Done: the idea is now “{status}”; the applicant is being told.")
TOO_LATE = N_("This can no longer be undone (its time passed, or the idea changed since).")
UNDO_ENTRY = N_("change undone")
ASSIGNED_ENTRY = N_("assigned to {name}")
UNASSIGNED_ENTRY = N_("taken back from {name}")
SCORED_ENTRY = N_("scored on every criterion")

# Assignment.
ASSIGN_HEADING = N_(
    "<b>Assign</b> «{title}» <code>{code}</code>\n"
    "Tap a name to give the idea to them, or to take it back. They are told."
)
ASSIGNED_MARK = N_("✅ {name}")
NO_REVIEWERS = N_("There is no staff member to assign it to yet. Add one with /staff invite.")

# Scoring.
SHEET_HEADING = N_(
    "<b>Score</b> «{title}» <code>{code}</code>\n"
    "1 is weak, 5 excellent. Tap a criterion's name to add a note."
)
SHEET_LINE = N_("• {criterion} (weight {weight}): {value}")
SHEET_NOTE = N_("    📝 {note}")
SHEET_NOT_YET = N_("—")
SHEET_HIDDEN = N_("The other reviewers' scores show once you have scored every criterion.")
SHEET_OTHERS = N_("<b>Other reviewers</b>")
SHEET_OTHER = N_("• {name}: {score}")
SHEET_VERDICT = N_("<b>The idea's score</b>: {score}")
SCORE_CLOSED = N_("This idea is decided: it is not scored any more.")
SCORE_NOTE_LABEL = N_("Note on the criterion")
SCORE_NOTE_PROMPT = N_("Send your note on this criterion (only staff will see it).")
SCORE_NOTE_SAVED = N_("The note is saved.")
NOVELTY = N_("Novelty")
FEASIBILITY = N_("Feasibility")
IMPACT = N_("Impact for the city")
COST = N_("Cost")

# Rankings.
RANKING_PICK = N_("<b>Ranking</b>: the ideas of which call?")
RANKING_GENERAL = N_("Ideas outside calls")
RANKING_HEADING = N_("<b>Ranking</b>: {call}\nBest first; open and accepted ideas.")
RANKING_LINE = N_("{rank}. «{title}» <code>{code}</code> · {score}")
RANKING_EMPTY = N_("No ideas here yet.")
RANKING_EXPORT = N_("⬇️ Excel file")
RANKING_FILE = N_("The ranking, as a spreadsheet.")
RANK = N_("Rank")
SCORE_COLUMN = N_("Score")
REVIEWERS = N_("Reviewers")
DISAGREE = N_("Disagreement")

# Alerts.
ALERTS_HEADING = N_("<b>What should I tell you?</b>\nNow: {mode}")
ALERTS_AT_ONCE = N_("What you chose reaches you as messages here, as it happens.")
ALERTS_AREAS = N_("Your areas: {areas}")
ALERT_ALL = N_("🔔 Every idea")
ALERT_AREAS = N_("🗂 Ideas of my areas")
MODE_ASSIGNED = N_("👤 Ideas assigned to me")
ALERT_DAILY = N_("🗞 A daily summary")
ALERT_OFF = N_("🔕 Nothing")
ALERTS_SAVED = N_("Saved: {mode}.")
CHOSEN = N_("● {label}")

# The alerts themselves.
ALERT_NEW = N_("🆕 A new idea: «{title}» <code>{code}</code>\nArea: {area}")
ALERT_REPLY = N_(
    "💬 The applicant answered the experts' question on «{title}» <code>{code}</code>."
)
ALERT_INFO = N_("📎 The applicant added information to «{title}» <code>{code}</code>.")
ALERT_ASSIGNED = N_("👤 {by} assigned «{title}» <code>{code}</code> to you.")
ALERT_ASSIGNED_AUTO = N_(
    "👤 «{title}» <code>{code}</code> was assigned to you (its area is yours)."
)
OPEN_CARD = N_("🔎 Open")
SUMMARY_HEADING = N_("<b>Your daily summary</b>")
SUMMARY_NEW = N_("New in the last day: {count}")
SUMMARY_WAITING = N_("Waiting for staff after an applicant's reply: {count}")
SUMMARY_LINE = N_("• «{title}» <code>{code}</code>")
SUMMARY_NOTHING = N_("Nothing new, nothing waiting.")

# Staff invites.
INVITE = N_(
    "A one-time invitation to join as {role}, valid for {hours} hours. Send this link to "
    "the person; whoever opens it first becomes staff:\n{link}"
)
INVITE_NO_LINK = N_("The bot's username is not known yet; try again in a moment.")
WELCOME_STAFF = N_(
    "Welcome to the staff of the Innovation and Technology Center: you are {role}.\n"
    "/review opens the queue; /alerts chooses what you are told of."
)
INVITE_USED = N_("This invitation is used or expired. Ask for a new one.")

# Adding a staff member by a forwarded message.
NEW_MEMBER_LABEL = N_("New staff member")
NEW_MEMBER_PROMPT = N_(
    "Forward me any message of the person to add (from your chat with them), or send their "
    "numeric id. They must have started this bot once, to be told."
)
NEW_MEMBER_ROLE_LABEL = N_("Role")
NEW_MEMBER_ROLE_PROMPT = N_(
    "As what? A reviewer reviews and scores; an administrator also decides."
)
