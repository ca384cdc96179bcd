"""/privacy and /delete_my_data."""

from locales.i18n import N_

NOTHING = N_("— (nothing)")
STORED = N_(
    "<b>What is stored about you</b>\n"
    "Name in the messenger: {messenger_name}\n"
    "Full name you gave: {full_name}\n"
    "Phone number: {phone}\n"
    "Ideas you submitted: {ideas}\n"
    "An idea in progress: {draft}\n"
    "Announcements you receive: {topics}\n"
    "Events you signed up for: {events}\n\n"
    "Why: so that the center's experts can review your ideas and contact you about "
    "them, and so that you get the news you chose. Only the center's staff see it.\n\n"
    "To delete it, send /delete_my_data."
)
YES_DELETE = N_("🗑 Yes, delete my data")
NO_KEEP = N_("No, keep it")
DELETE_QUESTION = N_(
    "Delete your name, phone number, locations and profile, your announcements and "
    "your event sign-ups? Your submitted ideas are kept without your name, for the "
    "center's statistics, and you will no longer be able to follow them here. An idea "
    "in progress is deleted. This can't be undone."
)
NOTHING_DELETED = N_("Nothing was deleted.")
DELETED = N_("Your data is deleted.")
DELETED_IDEAS_KEPT = N_(
    "Your data is deleted. Your submitted ideas ({ideas}) are kept without your name."
)
