"""Command line: `ideabot run [--no-scheduler]`, `webhook serve | set | delete | info`,
`scheduler`, `db upgrade`, `flow`, `fake-api` and `sandbox`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import ConfigError, Settings, load_settings

EXIT_CONFIG = 2

NO_TOKEN = """ideabot: no messenger is configured, so there is nothing to run.
Set at least one of these variables (in the environment or in a .env file):
  TELEGRAM_BOT_TOKEN   the token @BotFather gave you on Telegram
  BALE_BOT_TOKEN       the token @botfather gave you on Bale
Optional: TELEGRAM_API_URL, BALE_API_URL, DATABASE_URL, STAFF, DEFAULT_LOCALE,
TIMEZONE, LOG_LEVEL (see README.md)."""


def _report(error: ConfigError) -> int:
    for line in error.lines:
        print(f"ideabot: configuration error: {line}", file=sys.stderr)
    return EXIT_CONFIG


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise SystemExit(_report(exc)) from None


def _bot_settings() -> Settings:
    """The settings of a command that talks to a messenger, with logging set up; without
    any token it says what to set and exits."""
    settings = _settings()
    if not settings.enabled_platforms:
        print(NO_TOKEN, file=sys.stderr)
        raise SystemExit(EXIT_CONFIG)
    _logging(settings.log_level)
    return settings


def _logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if level != "DEBUG":
        logging.getLogger("telegram").setLevel(logging.WARNING)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def cmd_run(args: argparse.Namespace) -> int:
    settings = _bot_settings()
    from bot.app import LeadLost, serve

    try:
        asyncio.run(serve(settings, with_clock=not args.no_scheduler))
    except ConfigError as exc:
        return _report(exc)
    except LeadLost:
        print("ideabot: lost the database connection that held the clock's lead", file=sys.stderr)
        return 1  # its service manager starts it again
    return 0


def cmd_scheduler(_args: argparse.Namespace) -> int:
    """The clock and the sender alone, beside bot processes that do not send (webhook
    workers on PostgreSQL, or `run --no-scheduler`); a second one stands by."""
    settings = _bot_settings()
    from bot.app import LeadLost, serve_clock

    try:
        asyncio.run(serve_clock(settings))
    except ConfigError as exc:
        return _report(exc)
    except LeadLost:
        print("ideabot: lost the database connection that held the lead", file=sys.stderr)
        return 1  # its service manager starts it again, as a standby
    return 0


def cmd_webhook(args: argparse.Namespace) -> int:
    settings = _bot_settings()
    from bot.app import serve_webhook, webhook_task

    try:
        if args.task == "serve":
            asyncio.run(serve_webhook(settings, args.host, args.port))
            return 0
        for line in asyncio.run(webhook_task(settings, args.task)):
            print(f"ideabot: {line}")
    except ConfigError as exc:
        return _report(exc)
    except Exception as exc:  # the platform refused, or could not be reached
        print(f"ideabot: webhook {args.task} failed: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    settings = _settings()
    _logging(settings.log_level)
    from bot.app import open_database

    async def upgrade() -> None:
        db = await open_database(settings.database_url)
        await db.dispose()

    try:
        asyncio.run(upgrade())
    except ConfigError as exc:
        return _report(exc)
    print("ideabot: database is up to date")
    return 0


def cmd_flow(args: argparse.Namespace) -> int:
    from bot.core.forms import GRAPHS

    graph = GRAPHS[args.name]
    print(graph.mermaid("tracking code" if graph.key == "intake" else "done"))
    return 0


def cmd_fake_api(args: argparse.Namespace) -> int:
    from bot.devtools.fakeapi import Flavour, run_standalone

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(run_standalone(Flavour(args.flavour), args.host, args.port))
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    """The fake servers, the real bot and a web page, in one process (README: sandbox)."""
    import os

    from bot.devtools.sandbox import check_loopback, run_sandbox
    from bot.devtools.sandbox.demo import database_url

    try:
        host = check_loopback(args.host)
    except ValueError as exc:
        print(f"ideabot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    _logging(level if level in logging.getLevelNamesMapping() else "INFO")
    try:
        asyncio.run(run_sandbox(host, args.port, database_url()))
    except ConfigError as exc:
        return _report(exc)
    except OSError as exc:  # the port is taken, most likely
        print(f"ideabot: cannot serve the sandbox on {host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _conversations() -> list[str]:
    from bot.core.forms import GRAPHS

    return list(GRAPHS)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ideabot", description="Idea intake bot for Telegram and Bale")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="poll every platform that has a token, with the clock")
    run.add_argument(
        "--no-scheduler",
        action="store_true",
        help="leave reminders, broadcasts and retries to a separate `ideabot scheduler`",
    )
    run.set_defaults(func=cmd_run)
    webhook = sub.add_parser("webhook", help="webhook mode: serve updates, or register it")
    webhook_sub = webhook.add_subparsers(dest="task", required=True)
    serve = webhook_sub.add_parser("serve", help="a webhook worker (several may run)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8443, help="port to listen on (8443)")
    serve.set_defaults(func=cmd_webhook)
    for task, text in (
        ("set", "point every platform with a token at WEBHOOK_BASE_URL (once)"),
        ("delete", "remove the webhooks (back to polling)"),
        ("info", "show each platform's webhook and its waiting updates"),
    ):
        webhook_sub.add_parser(task, help=text).set_defaults(func=cmd_webhook)
    sub.add_parser(
        "scheduler", help="only the clock and the sender (for several bot processes)"
    ).set_defaults(func=cmd_scheduler)
    db = sub.add_parser("db", help="database tasks")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    flow = sub.add_parser("flow", help="print a conversation's graph as a Mermaid diagram")
    flow.add_argument("name", nargs="?", default="intake", choices=_conversations())
    flow.set_defaults(func=cmd_flow)
    fake = sub.add_parser("fake-api", help="serve a fake Bot API on loopback, for trying the bot")
    fake.add_argument("--flavour", choices=["telegram", "bale"], default="telegram")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=int, default=8081)
    fake.set_defaults(func=cmd_fake_api)
    sandbox = sub.add_parser("sandbox", help="try the bot in a browser, without any token")
    sandbox.add_argument("--host", default="127.0.0.1", help="a loopback address")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.set_defaults(func=cmd_sandbox)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
