"""What every conversation says: its buttons, and what went wrong with an answer."""

from locales.i18n import N_

BACK = N_("↩️ Back")
SKIP = N_("⏭ Skip")
CANCEL = N_("✖️ Cancel")
DONE = N_("✅ Done")
AGREE = N_("✅ I agree")
NEXT = N_("Next ⬅️")
SEND_LOCATION = N_("📍 Send my current location")
SHARE_PHONE = N_("📱 Share my phone number")
KEEP = N_("✅ Keep the current answer")
USE_NAME = N_("✅ {name}")
EDIT_ANSWER = N_("✏️ {label}")
ANSWER_LINE = N_("<b>{label}:</b> ")
YES = N_("yes")
NO = N_("no")
YES_STOP = N_("Yes, stop")
NO_GO_ON = N_("No, go on")

NOT_GIVEN = N_("— (not given)")
FILES = N_("{count} file(s)")
SHARED = N_("📍 shared")
CURRENT_ANSWER = N_("Current answer: {value}")
RECEIVED_SO_FAR = N_("Received so far: {count} of {max}.")
RECEIVED = N_("Received ({count} of {max}). Send another, or press “Done”.")
SAVED = N_("✓ Saved.")
EDITS_NOT_TAKEN = N_(
    "Edited messages are not taken as answers. To change an answer, use Back, or the "
    "✏️ buttons on the review screen."
)
EARLIER_BUTTON = N_("That button belongs to an earlier question. Here is the current one.")
ENDED = N_("That conversation has ended, and nothing was kept from it. Here is the menu.")
MENU_PROMPT = N_("Here is the menu.")
NOTHING_TO_CHOOSE = N_("There is nothing to choose here yet.")
STEP_OF = N_("<b>Step {position} of {total}</b>")

# What went wrong with an answer.
EXPECTED_TEXT = N_("Please send your answer as a text message.")
TOO_SHORT = N_("That is too short ({length} of at least {min} characters). Please add more.")
TOO_LONG = N_("That is too long ({length} of at most {max} characters). Please shorten it.")
NO_LETTERS = N_(
    "Please write it in words: an answer of only numbers, emoji or spaces can't be accepted."
)
NOT_A_NUMBER = N_("Please send a number, like 3.")
OUT_OF_RANGE = N_("Please send a number from {min} to {max}.")
EXPECTED_CHOICE = N_("Please choose one of the buttons.")
USE_BUTTONS = N_("Please use the buttons below.")
EXPECTED_MEDIA = N_(
    "Please send a photo, a document or a voice note (at most {max}), or press “Done”."
)
EXPECTED_MESSAGE = N_("Please send a text, a photo or a document.")
FILE_TOO_BIG = N_("That file is larger than {max_mb} MB. Please send a smaller one.")
TOO_MANY_FILES = N_("You have already sent {max} files, the most allowed. Press “Done” to go on.")
EXPECTED_LOCATION = N_("Please share a location with the button below, or skip this step.")
NOT_OWN_CONTACT = N_(
    "That is someone else's contact. Please share your own number with the button, or type it."
)
NOT_A_MOBILE = N_(
    "That is not a mobile number. Please type it like 09121234567 (or with its country "
    "code, like +44…), or share it with the button."
)
EXPECTED_PHONE = N_("Please share your phone number with the button below, or type it.")
EXPECTED_CONSENT = N_("To submit your idea, please press “I agree”, or cancel.")
NOT_A_MOMENT = N_("That is not a date and time I can read.")
IN_THE_PAST = N_("That time has passed; send a time in the future.")
TOO_EARLY = N_("It must come after the opening time.")
NOT_A_PERSON = N_("Forward a message of theirs, or send their numeric id (digits only).")
FORWARD_HIDDEN = N_(
    "Their privacy settings hide who they are in forwarded messages. Ask them for their "
    "numeric id, or send them a one-time invitation instead: /staff invite"
)
NOT_A_RUBRIC = N_(
    "Write one criterion per line, up to {max}, each a name and, if it counts more, a weight "
    "up to {weight} after a colon, e.g.\nNovelty: 1\nImpact for the city: 2"
)
NOT_A_CODE = N_("No idea has that tracking code.")
NO_CHOICE = N_("Choose at least one area with the buttons, then press Next.")
NOT_SKIPPABLE = N_("This step can't be skipped.")
MISSING_ANSWER = N_("This answer is still needed before the idea can be submitted.")
