"""The sandbox page's own words (the bot's words are the bot's), and its demo people's
kinds."""

from locales.i18n import N_, Text

CITIZEN = N_("Citizen")
STUDENT = N_("University student")
COMPANY = N_("Knowledge-based company")
STAFF = N_("Staff (administrator)")

PAGE_TEXTS: dict[str, Text] = {
    "title": N_("ideabot sandbox"),
    "subtitle": N_(
        "Talk to the real bot without a token: a Telegram and a Bale chat in your browser. "
        "Nothing leaves this computer."
    ),
    "telegram": N_("Telegram"),
    "bale": N_("Bale"),
    "people": N_("Demo people"),
    "platform": N_("Messenger"),
    "page_language": N_("Page language"),
    "reset": N_("Reset the demo"),
    "reset_confirm": N_("Empty every chat and the sandbox's database?"),
    "reset_done": N_("The demo was reset."),
    "start": N_("Start"),
    "empty": N_("No messages yet. Press Start to talk to the bot."),
    "hint": N_("The bot's language is chosen in the chat: /language"),
    "message": N_("Message"),
    "send": N_("Send"),
    "attach": N_("Attach a photo or a file"),
    "caption": N_("Caption (optional)"),
    "share_contact": N_("Share your contact"),
    "share_location": N_("Share your location"),
    "phone": N_("Phone number"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "cancel": N_("Cancel"),
    "edited": N_("edited"),
    "download": N_("Download"),
    "contact": N_("Contact"),
    "location": N_("Location"),
    "commands": N_("Commands"),
    "no_commands": N_("This messenger shows no command menu."),
    "error": N_("The sandbox did not answer. Is `ideabot sandbox` still running?"),
}
