"""`ideabot sandbox`: try the bot in a browser, without any token (issue 6)."""

from bot.devtools.sandbox.web import Sandbox, check_loopback, run_sandbox, web_app

__all__ = ["Sandbox", "check_loopback", "run_sandbox", "web_app"]
