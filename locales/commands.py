"""The command menus' descriptions."""

from locales.i18n import N_

START = N_("Welcome and main menu")
NEW = N_("Submit an idea")
MY = N_("My ideas and their status")
TRACK = N_("Follow an idea by its tracking code")
CALLS = N_("Open calls for proposals")
EVENTS = N_("Upcoming events")
SETTINGS = N_("Which announcements I receive")
PRIVACY = N_("What is stored about me")
HELP = N_("How to use the bot")
LANGUAGE = N_("Persian or English")
CANCEL = N_("Stop what you are doing")

ADMIN = N_("Staff panel")
REVIEW = N_("The review queue")
IDEA = N_("Open an idea by its tracking code")
STATS = N_("Counts of ideas")
CONSOLE = N_("Sign in to the staff console in the browser")
EXPORT = N_("Ideas as CSV and Excel files")
STAFF = N_("Staff members")
NEWCALL = N_("Publish a call for proposals")
NEWEVENT = N_("Publish an event")
BROADCAST = N_("Send an announcement")
ALERTS = N_("What I am told of: new ideas, replies")
RANKING = N_("Ideas ranked by their scores (administrators)")
