"""The project's own fake Bot API server (Telegram and strict Bale flavours)."""

from bot.devtools.fakeapi.server import (
    DEFAULT_TOKEN,
    ApiCall,
    BotMessage,
    FakeBotAPI,
    Fault,
    Flavour,
    Person,
    bale_to_text,
    html_to_text,
    run_standalone,
)

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "BotMessage",
    "FakeBotAPI",
    "Fault",
    "Flavour",
    "Person",
    "bale_to_text",
    "html_to_text",
    "run_standalone",
]
