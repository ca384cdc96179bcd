"""The console as one aiohttp application: the sign-in routes and every page module's."""

from __future__ import annotations

from aiohttp import web

from bot.console import manage, queue, reports
from bot.console.site import (
    CONSOLE_KEY,
    HERE,
    PREFIX,
    Console,
    language,
    reader_language,
    security_headers,
    sign_in,
    sign_in_page,
    sign_out,
    signed_in,
)


def console_app(console: Console) -> web.Application:
    app = web.Application(middlewares=[security_headers, reader_language, signed_in])
    app[CONSOLE_KEY] = console
    app.router.add_get(f"{PREFIX}/login/{{token}}", sign_in_page)
    app.router.add_post(f"{PREFIX}/login/{{token}}", sign_in)
    app.router.add_post(f"{PREFIX}/logout", sign_out)
    app.router.add_get(f"{PREFIX}/language/{{lang}}", language)
    app.router.add_static(f"{PREFIX}/static/", HERE / "static")
    for module in (queue, manage, reports):
        module.routes(app.router)
    return app
