"""The staff console in the browser: sign-in, the queue, an idea's page, outreach, staff
and statistics. Templates show these by name; they hold no words of their own."""

from locales.i18n import N_

# The bot's answer to /console.
LINK = N_(
    "🖥 <b>The staff console</b>\n"
    "Open this link in your browser within 10 minutes; it works once:\n{url}\n\n"
    "Do not forward it: whoever opens it first is signed in as you."
)
LINK_NOT_SERVED = N_(
    "The staff console is not served by this installation (CONSOLE_BIND is off). "
    "Ask the person who runs ideabot."
)

# Every page.
CONSOLE = N_("Staff console")
PRODUCT = N_("ideabot · Innovation and Technology Center of Tabriz Municipality")
NAV_QUEUE = N_("Ideas")
NAV_STATS = N_("Statistics")
NAV_OUTREACH = N_("Calls and events")
NAV_BROADCASTS = N_("Broadcasts")
NAV_STAFF = N_("Staff")
SIGNED_IN_AS = N_("Signed in as {name} ({role})")
LOG_OUT = N_("Log out")
SKIP_TO_CONTENT = N_("Skip to the content")
LIST_SEPARATOR = N_(", ")

# Signing in, and being refused.
SIGN_IN_TITLE = N_("Sign in to the staff console")
SIGN_IN_EXPLAIN = N_(
    "This link was sent to you by the bot. Press the button to sign in on this browser. "
    "The link then stops working."
)
SIGN_IN_BUTTON = N_("Sign in")
SIGN_IN_AS = N_(
    "You will be signed in as {name} ({role}, on {platform}). Not you? Close this page."
)
LINK_DEAD_TITLE = N_("This link does not work")
LINK_DEAD = N_(
    "It was used already, it is older than 10 minutes, or it is not a link of ours. "
    "Send /console to the bot for a new one."
)
SIGNED_OUT_TITLE = N_("You are not signed in")
SIGNED_OUT = N_(
    "Your session ended or never began. Send /console to the bot to get a sign-in link."
)
SIGNED_OUT_DONE = N_("You have logged out. Send /console to the bot to sign in again.")
FORBIDDEN_TITLE = N_("Not allowed")
FORBIDDEN_FORM = N_(
    "This form did not come from your console page, or it is too old. Go back, reload "
    "the page and try again."
)
FORBIDDEN_ROLE = N_("Your role does not allow this. Administrators assign, decide and manage.")
NOT_FOUND_TITLE = N_("Not found")
NOT_FOUND = N_("There is no such page or idea.")
BACK_TO_QUEUE = N_("Back to the queue")

# The queue.
QUEUE_TITLE = N_("Ideas")
SEARCH = N_("Search")
SEARCH_HINT = N_("Tracking code, title, applicant's name or phone")
FILTER_STATUS = N_("Status")
FILTER_AREA = N_("Area")
FILTER_CALL = N_("Call")
FILTER_ASSIGNEE = N_("Assigned to")
FILTER_PLATFORM = N_("Messenger")
FILTER_SINCE = N_("Submitted from")
FILTER_UNTIL = N_("to")
DATE_HINT = N_("e.g. 1405/09/01 or \u20662026-11-22\u2069, with a time if need be: 18:30")
DATE_UNREADABLE = N_("“{text}” is not a date; the filter was left out.")
SORT = N_("Order")
SORT_WAITING = N_("Waiting for staff first")
SORT_NEWEST = N_("Newest first")
SORT_OLDEST = N_("Oldest first")
SORT_UPDATED = N_("Last changed first")
APPLY = N_("Show")
CLEAR = N_("Clear")
ANY = N_("Any")
ANY_OPEN = N_("Every open status")
ME = N_("Me")
NO_CALL = N_("No call (general ideas)")
FOUND = N_("{count} ideas")
NOTHING_FOUND = N_("No idea matches. Try fewer filters.")
COLUMN_CODE = N_("Code")
COLUMN_TITLE = N_("Title")
COLUMN_STATUS = N_("Status")
COLUMN_AREA = N_("Area")
COLUMN_APPLICANT = N_("Applicant")
COLUMN_ASSIGNEES = N_("Assigned to")
COLUMN_SUBMITTED = N_("Submitted")
COLUMN_CHOOSE = N_("Choose")
WAITING_MARK = N_("The applicant answered or added something")
ANONYMOUS = N_("(no name given)")
PAGE_OF = N_("Page {page} of {pages}")
PREVIOUS = N_("Previous")
NEXT = N_("Next")
BULK_TITLE = N_("With the chosen ideas")
BULK_ASSIGN = N_("Assign to {name}")
BULK_MOVE = N_("Move to “{status}”")
BULK_REASON = N_("Reason or question (the applicants read it)")
BULK_GO = N_("Continue")
BULK_NONE = N_("Choose at least one idea and an action.")
BULK_REASON_NEEDED = N_("“{status}” needs a reason, which each applicant reads: write it here.")

# Confirming.
CONFIRM_TITLE = N_("Please confirm")
CONFIRM_MOVE = N_("{count} ideas will move to “{status}”. Each applicant is told.")
CONFIRM_MOVE_SOME = N_(
    "These {count} cannot move to “{status}” from where they are, and stay as they are:"
)
CONFIRM_ONE_MOVE = N_("The idea will move to “{status}”. Its applicant is told, with this reason:")
CONFIRM_FINAL = N_("This is a decision: only an administrator can undo it, within 30 minutes.")
CONFIRM_ASSIGN = N_("{count} ideas will be assigned to {name}, who is told.")
CONFIRM_BUTTON = N_("Yes, do it")
CANCEL = N_("Cancel")
DONE_MOVED = N_("Moved: {count}.")
DONE_ASSIGNED = N_("Assigned: {count}.")
LEFT_NOT_ALLOWED = N_("Left as they were: {count}, whose status that move cannot follow.")
LEFT_NO_REASON = N_("Left as they were: {count}, for want of a reason.")
LEFT_NOT_PERMITTED = N_("Left as they were: {count}: your role does not allow that move.")
LEFT_NO_ORIGINAL = N_("Left as they were: {count}: the code given is not another idea's.")

# An idea's page.
IDEA_TITLE = N_("Idea {code}")
SUMMARY = N_("Summary")
FIELD_STATUS = N_("Status")
FIELD_AREA = N_("Area")
FIELD_CALL = N_("Call")
FIELD_PERSONA = N_("Applicant")
FIELD_PLATFORM = N_("Messenger")
FIELD_STAGE = N_("Stage")
FIELD_TEAM = N_("Team size")
FIELD_SUBMITTED = N_("Submitted")
FIELD_CHANGED = N_("Last change")
FIELD_NAME = N_("Name")
FIELD_PHONE = N_("Phone")
FIELD_LOCATION = N_("Location")
FIELD_ASSIGNEES = N_("Assigned to")
FIELD_SCORE = N_("Score")
FIELD_DUPLICATE_OF = N_("Duplicate of")
MAP_LINK = N_("on the map")
ANSWERS = N_("The answers")
ANSWER_PROBLEM = N_("The problem")
ANSWER_SOLUTION = N_("The solution")
ANSWER_IMPACT = N_("The expected impact")
NOT_GIVEN = N_("not given")
FILES = N_("Files")
NO_FILES = N_("No files.")
FILE_LABEL = N_("{kind} {number}")
FILE_PHOTO = N_("Photo")
FILE_DOCUMENT = N_("Document")
FILE_VOICE = N_("Voice message")
FILE_UNREACHABLE = N_("The messenger did not give this file now. Try again in a minute.")
HISTORY = N_("History")
HISTORY_WHO_APPLICANT = N_("the applicant")
HISTORY_WHO_SYSTEM = N_("ideabot")
HISTORY_SUBMITTED = N_("submitted")
SIMILAR = N_("Similar ideas")
SIMILAR_NONE = N_("No similar idea among the recent ones.")
SIMILARITY = N_("{percent}% alike")
COMPARE = N_("Side by side")
COMPARE_TITLE = N_("{first} and {second}, side by side")
MARK_DUPLICATE = N_("Mark {code} a duplicate of this one")

MOVE_TITLE = N_("Change the status")
MOVE_TO = N_("New status")
MOVE_REASON = N_(
    "Reason (the applicant reads it; needed for a question and a rejection; for a duplicate, "
    "the tracking code of the idea it repeats)"
)
MOVE_BUTTON = N_("Change")
MOVED = N_("The idea is now “{status}”.")
TOLD_SENT = N_("The applicant was told.")
TOLD_PENDING = N_("The applicant's message is on its way.")
TOLD_NOBODY = N_("The applicant is not reachable by the bot; nobody was told.")
REFUSED_NOT_ALLOWED = N_("That status cannot follow “{status}”.")
REFUSED_REASON = N_("Write the reason: the applicant reads it.")
REFUSED_DUPLICATE = N_("Write the tracking code of the idea this one repeats, as the reason.")
REFUSED_NOT_PERMITTED = N_("Your role does not allow this.")
ASK_TITLE = N_("Ask the applicant")
ASK_QUESTION = N_("Your question")
ASK_BUTTON = N_("Send the question")
NOTE_TITLE = N_("Internal note")
NOTE_TEXT = N_("Only staff read it")
NOTE_BUTTON = N_("Add the note")
SEEN_BUTTON = N_("Seen: nothing to do for now")
SEEN_DONE = N_("It no longer waits for staff.")
NOTED = N_("The note was added.")
ASSIGN_TITLE = N_("Assign")
ASSIGN_BUTTON = N_("Save")
ASSIGNED = N_("Assignment saved; who was added is told.")

SCORE_TITLE = N_("Your score")
SCORE_CRITERION = N_("{name} (weight {weight})")
SCORE_NOTE = N_("Note on {name}")
SCORE_BUTTON = N_("Save my scores")
SCORED = N_("Your scores were saved.")
SCORE_CLOSED = N_("A decided idea is not scored any more.")
SCORE_UNKNOWN = N_("That criterion is not in this idea's rubric any more; reload the page.")
SCORE_HIDDEN = N_("The others' scores show once you have scored every criterion.")
SCORE_RESULT = N_("{score} of 5 (reviewers who scored it all: {reviewers})")
SCORE_NONE = N_("No complete score yet.")
SCORE_DISAGREE = N_("The reviewers disagree widely: look before deciding.")
SCORE_OTHERS = N_("The other reviewers")

# Calls, events and broadcasts.
CALLS_TITLE = N_("Calls for proposals")
EVENTS_TITLE = N_("Events")
OPENS = N_("Opens")
CLOSES = N_("Closes")
STARTS = N_("Starts")
PLACE = N_("Place")
TAKEN = N_("Signed up")
CALL_OPEN = N_("open")
CALL_CLOSED = N_("closed")
CALL_UPCOMING = N_("not yet open")
CLOSE_CALL = N_("Close now")
CONFIRM_CLOSE_CALL = N_("The call “{title}” will close now: no more ideas can be sent to it.")
CALL_CLOSED_DONE = N_("The call is closed.")
CALL_NOT_OPEN = N_("This call is not open, so there is nothing to close.")
CANCEL_EVENT = N_("Cancel the event")
CONFIRM_CANCEL_EVENT = N_(
    "The event “{title}” will be cancelled and the {count} people signed up are told."
)
EVENT_CANCELLED = N_("The event is cancelled; those signed up are told.")
EVENT_CANCELLED_MARK = N_("cancelled")
NEW_CALL = N_("New call")
NEW_EVENT = N_("New event")
EDIT = N_("Edit")
FORM_TITLE = N_("Title")
FORM_AREAS = N_("Areas")
FORM_SAVE = N_("Save")
FORM_MISSING = N_("{field}: required.")
FORM_SAVED = N_("Saved.")
NONE_YET = N_("None yet.")
BROADCASTS_TITLE = N_("Broadcasts")
BROADCAST_WHEN = N_("When")
BROADCAST_STATE = N_("State")
BROADCAST_TEXT = N_("Text")
BROADCAST_DELIVERY = N_("Delivery")
BROADCAST_DELIVERED = N_(
    "{sent} of {total} delivered · {failed} failed · {blocked} blocked the bot · {left} left"
)
BROADCAST_STATES = {
    "scheduled": N_("scheduled"),
    "sending": N_("under way"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
BROADCAST_HOW = N_(
    "Broadcasts are written in the chat (/broadcast), where their preview shows exactly what people will see."
)

# Staff.
STAFF_TITLE = N_("Staff")
COLUMN_NAME = N_("Name")
COLUMN_ROLE = N_("Role")
COLUMN_PLATFORM = N_("Messenger")
COLUMN_SOURCE = N_("Added")
FROM_SETTINGS = N_("in the STAFF setting")
FROM_CHAT = N_("in the chat")
INVITE_TITLE = N_("Invite a staff member")
INVITE_EXPLAIN = N_(
    "A one-time link: whoever opens it in the messenger joins the staff with this role, and is told."
)
INVITE_BUTTON = N_("Make a link")
INVITE_LINK = N_("Send this link to the new staff member (it works once):")
INVITE_NO_BOT = N_(
    "The bot has not reached {platform} yet, so its link cannot be made. Try again in a minute."
)

# Statistics.
STATS_TITLE = N_("Statistics")
STATS_TOTALS = N_("{all} ideas in all · {month} in the last 30 days · {week} in the last 7 days")
CHART_WEEKLY = N_("Ideas per week")
CHART_FUNNEL = N_("How far ideas went")
CHART_AREAS = N_("Ideas by area")
CHART_PERSONAS = N_("Ideas by applicant")
CHART_PLATFORMS = N_("Ideas by messenger")
CHART_RESPONSE = N_("Time to the first response from staff")
CHART_DECISION = N_("Time to a decision")
CHART_TABLE = N_("The chart's figures")
CHART_MEDIAN = N_("Median: {value}")
COLUMN_WEEK = N_("Week from")
COLUMN_COUNT = N_("Ideas")
COLUMN_REACHED = N_("Ideas that got this far")
COLUMN_WAIT = N_("Time taken")
DOWNLOAD = N_("Download:")
WITHIN_DAY = N_("within a day")
ONE_TO_THREE = N_("1 to 3 days")
THREE_TO_SEVEN = N_("3 to 7 days")
ONE_TO_TWO_WEEKS = N_("1 to 2 weeks")
OVER_TWO_WEEKS = N_("over 2 weeks")
STILL_WAITING = N_("still waiting")
HOURS = N_("{count} hours")
DAYS = N_("{count} days")
NO_DATA = N_("no data yet")

RUBRIC_HINT = N_(
    "A criterion per line, its weight after a colon if it counts more (Impact for the city: 2); "
    "empty: the default criteria."
)
UNDO_BUTTON = N_("Undo “{status}”")
UNDO_DONE = N_("Undone: the idea is back at “{status}”.")
UNDO_TOO_LATE = N_(
    "Too late to undo: more than 30 minutes have passed, or something changed since."
)
