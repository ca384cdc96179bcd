"""What staff see in the chat: the panel, the queue, an idea's card, the actions on it,
statistics, exports and the staff list."""

from locales.i18n import N_

NOT_AVAILABLE = N_("This command is not available.")
PANEL = N_(
    "<b>Staff panel</b>\nYour role: {role}\n\n"
    "/review: the review queue (yours first, then replies waiting, then the oldest)\n"
    "/idea CODE: open an idea's card\n"
    "/alerts: what you are told of\n"
    "/stats: counts of ideas\n"
    "/export: ideas as CSV and Excel files (filters: status=, area=, call=, "
    "from=, to= with Jalali dates)\n\n"
    "Administrators only:\n"
    "/ranking: a call's ideas by score\n"
    "/staff: staff members; /staff invite gives a one-time link\n"
    "/newcall, /newevent: publish a call for proposals or an event\n"
    "/broadcast: send an announcement now or at a set time"
)
PANEL_CALLS = N_("📣 Calls")
PANEL_EVENTS = N_("🗓 Events")
PANEL_BROADCAST = N_("📢 New broadcast")
PANEL_SCHEDULED = N_("🕒 Scheduled broadcasts")

# The history's entries.
QUESTION_ENTRY = N_("question to the applicant")
ANSWER_ENTRY = N_("the applicant's answer")
NOTE_ENTRY = N_("internal note")
INFO_ENTRY = N_("information the applicant added")
ENTRY = N_("{when}: {what}")
HISTORY = N_("<b>History</b>")
NOTHING_YET = N_("Nothing has happened to it yet.")

# The card.
CARD_TITLE = N_("<b>Idea</b> <code>{code}</code> «{title}»")
CARD_DETAILS = N_(
    "Status: {status}\nSubmitted: {date} on {platform}\nWho: {persona} ({affiliation})\n"
    "Area: {area}\nStage: {stage}\nTeam: {team}\nName: {name}\nPhone: {phone}\n"
    "Location: {location}"
)
LONG_ANSWER = N_("<b>{label}</b>\n{text}")
FILE_GONE = N_("(a file that is no longer available)")
FILES_ELSEWHERE = N_("{count} file(s) were sent on {platform}: open this card there to see them.")
POSSIBLE_DUPLICATES = N_("<b>Possible duplicates</b>")
ALIKE = N_("<code>{code}</code> «{title}» ({score}% alike)")
MOVE_TO = N_("→ {status}")
NOTE_BUTTON = N_("📝 Internal note")
FULL_HISTORY = N_("📜 Full history")
NO_SUCH_IDEA = N_("No idea has that tracking code.")

# The queue.
ANY = N_("any")
ALL_OPEN = N_("all open")
QUEUE_HEADING = N_(
    "<b>Review queue</b>: {total} idea(s)\n"
    "📌 assigned to you first, then 💬 replies waiting for staff, then the oldest\n"
    "Status: {status} · Area: {area} · Platform: {platform}"
)
QUEUE_CALL = N_("Call: {title}")
QUEUE_LINE = N_("<code>{code}</code> «{title}» · {status} · {date}")
OPEN_CODE = N_("🔎 {code}")
STATUS_FILTER = N_("Status ▸")
AREA_FILTER = N_("Area ▸")
PLATFORM_FILTER = N_("Platform ▸")
CALL_FILTER = N_("Call ▸")
PREVIOUS = N_("◀️ Previous")
NEXT_PAGE = N_("Next ▶️")

# Prompts for an action's words.
NOTE_PROMPT = N_("Send the note (only staff will see it).")
QUESTION_PROMPT = N_("Send the question for the applicant.")
DUPLICATE_PROMPT = N_("Send the tracking code of the idea this one repeats.")
REASON_PROMPT = N_("Send the reason; the applicant will see it.")
NOTE_LABEL = N_("Note")
QUESTION_LABEL = N_("Question")
REASON_LABEL = N_("Reason")
ORIGINAL_LABEL = N_("The idea it repeats")

# What an action did.
MOVED_TOLD = N_("Done: the idea is now “{status}”; the applicant was told.")
MOVED_NOT_TOLD = N_("Done: the idea is now “{status}”; the applicant could not be told yet.")
NOT_POSSIBLE = N_("That change is not possible from the idea's current status.")
NOTE_ADDED = N_("The note is added.")

# Statistics.
BY_AREA = N_("By area")
BY_PERSONA = N_("By who submitted")
BY_STATUS = N_("By status")
BY_PLATFORM = N_("By platform")
STATS_TOTALS = N_("<b>Ideas</b>: {all} in all · {month} in the last 30 days · {week} in the last 7")
STATS_LEGEND = N_("(each line: all time / 30 days / 7 days)")

# Exports.
EXPORT_UNREADABLE = N_(
    "I can't read “{part}”. Use, for example: "
    "/export status=screening area=waste from=1405/09/01 to=1405/09/30"
)
EXPORTED = N_("{count} idea(s). Contact details are included only for administrators.")
# The exported files' name, and their sheet's (at most 31 characters).
EXPORT_NAME = N_("ideas")
STATS_SECTION = N_("<b>{title}</b>")
# One row of the counts: all time / 30 days / 7 days.
STATS_ROW = N_("{name}: {a} / {b} / {c}")
# One staff member: platform:id · role · where they come from.
MEMBER_ROW = N_("{who} · {role} · {source}")
CODE_COLUMN = N_("Tracking code")
DATE_COLUMN = N_("Date submitted")
STATUS_COLUMN = N_("Status")
PLATFORM_COLUMN = N_("Platform")
PERSONA_COLUMN = N_("Who")
AFFILIATION_COLUMN = N_("Affiliation")
AREA_COLUMN = N_("Area")
CALL_COLUMN = N_("Call")
TITLE_COLUMN = N_("Title")
PROBLEM_COLUMN = N_("Problem")
SOLUTION_COLUMN = N_("Proposed solution")
IMPACT_COLUMN = N_("Expected impact")
STAGE_COLUMN = N_("Stage")
TEAM_COLUMN = N_("Team size")
NAME_COLUMN = N_("Full name")
PHONE_COLUMN = N_("Phone")
LATITUDE_COLUMN = N_("Latitude")
LONGITUDE_COLUMN = N_("Longitude")

# Staff members.
STAFF_HEADING = N_("<b>Staff</b>")
FROM_SETTINGS = N_("from settings")
ADDED_HERE = N_("added here")
STAFF_USAGE_SHORT = N_(
    "Add: /staff add (then forward a message of theirs), /staff invite, or /staff add bale:123 "
    "reviewer · Remove: /staff remove bale:123"
)
STAFF_USAGE = N_(
    "Use: /staff add (then forward a message of theirs), /staff add bale:123 reviewer, or "
    "/staff remove bale:123"
)
NOW_STAFF = N_("{who} is now staff: {role}.")
NO_LONGER_STAFF = N_("{who} is no longer staff.")
STAFF_BY_SETTING = N_("{who} is staff by the STAFF setting; change it there.")
NOT_STAFF = N_("{who} is not staff.")
