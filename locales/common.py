"""Everyone's screens: the welcome, help, the main menu, languages, and the answers to
whatever nothing else takes."""

from locales.i18n import N_

# The main menu.
SUBMIT_IDEA = N_("💡 Submit an idea")
MY_IDEAS = N_("📋 My ideas")
CALLS = N_("📣 Calls for proposals")
EVENTS = N_("🗓 Events")
ABOUT = N_("ℹ️ About the center")
SETTINGS = N_("⚙️ Settings")
ANNOUNCEMENTS = N_("🔔 Announcements")

WELCOME = N_(
    "Hello {name}! 👋\n"
    "This is the idea bot of the <b>Innovation and Technology Center of Tabriz "
    "Municipality</b>.\n\n"
    "The center supports new ideas for running the city, from citizens, university "
    "and school students, professors and researchers, knowledge-based companies and "
    "startups, municipal staff and industry. Its focus areas are:\n"
    "♻️ Waste\n"
    "🚦 Transport and traffic\n"
    "🌳 Urban beautification\n"
    "📡 Smart city\n\n"
    "Idea owners can receive support, a co-working space and acceleration services.\n\n"
    "Choose from the menu below."
)
FRIEND = N_("friend")
HELP = N_(
    "<b>How to use this bot</b>\n"
    "/start: welcome and main menu\n"
    "/new: submit an idea\n"
    "/my: your ideas and their status\n"
    "/track CODE: one idea, by its tracking code\n"
    "/calls: open calls for proposals\n"
    "/events: upcoming events, and signing up\n"
    "/settings: which announcements you receive\n"
    "/privacy: what is stored about you, and deleting it\n"
    "/language: choose Persian or English\n"
    "/cancel: stop what you are doing\n"
    "/help: this message\n\n"
    "You can also use the buttons of the menu."
)
NOTHING_TO_CANCEL = N_("There is nothing to cancel. Here is the menu.")
CANCELLED = N_("Cancelled. Here is the menu.")
ABOUT_TEXT = N_(
    "<b>Innovation and Technology Center of Tabriz Municipality</b>\n\n"
    "The center brings the knowledge of the city's people to its problems. It works "
    "with research centers, knowledge-based companies, accelerators and incubators, "
    "science and technology parks and creative houses to turn ideas into products and "
    "services for the municipality.\n\n"
    "Focus areas: waste; transport and traffic; urban beautification; smart city; and "
    "other areas of city management.\n\n"
    "What idea owners get: material and advisory support, a co-working space, and "
    "acceleration services for companies."
)
SETTINGS_TEXT = N_("<b>Settings</b>\nLanguage: {language}\nChoose the bot's language:")

# Languages.
CHOOSE_LANGUAGE = N_("Choose the bot's language:")
LANGUAGE_NOT_AVAILABLE = N_("That language is not available.")
LANGUAGE_CHOSEN = N_("Done: the bot now speaks English.")

# Whatever nothing else took, and failures.
NOT_UNDERSTOOD = N_("I didn't understand that. Please choose from the menu, or send /help.")
STALE_BUTTON = N_("That button is no longer active. Here is the menu.")
EDIT_NOT_READ = N_("I read new messages, not edits of earlier ones. Please send it again.")
SORRY = N_("Sorry, something went wrong on our side. Please try again, or send /start.")

# Words shared by several screens.
LIST_SEPARATOR = N_(", ")
DASH = N_("—")
YES = N_("yes")
NO = N_("no")
