"""The staff console in the browser: server-rendered pages (aiohttp and Jinja2) over the
same services as the chat. A staff member signs in with a one-time link the bot gives
(`/console`); every form carries the session's CSRF token; every change is made by a
service, which records who made it in the idea's history.

It sits beside the handlers: it uses the services and the screens' vocabulary, never
the messenger framework (files come through a function the composition root gives)."""
