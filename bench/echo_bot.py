"""The baseline of `bench.startup`: the smallest python-telegram-bot bot that answers,
long-polling the server in ECHO_API_URL with the token in ECHO_TOKEN."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    url = os.environ["ECHO_API_URL"]
    application = (
        Application.builder()
        .token(os.environ["ECHO_TOKEN"])
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(poll_interval=0.0, timeout=25)


if __name__ == "__main__":
    main()
