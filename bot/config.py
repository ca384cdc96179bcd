"""Configuration: environment variables and `.env`, validated once at start.

The variable names are a contract with operators and tests. A mistake is
reported as one line per variable (`ConfigError.lines`), never a traceback.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.core.platforms import Platform
from bot.core.roles import ROLES
from bot.core.views import StaffMember
from locales.i18n import LOCALES

# The ports each platform's own servers post webhooks to.
OFFICIAL_WEBHOOK_PORTS = {Platform.TELEGRAM: (443, 80, 88, 8443), Platform.BALE: (443, 88)}
# Telegram and Bale tokens alike: "<bot id>:<secret>".
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{10,}$")
# Async drivers we ship, and what a plain URL scheme means.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class ConfigError(Exception):
    """Raised with one human-readable line per mistake."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def parse_staff(raw: str) -> tuple[StaffMember, ...]:
    members: dict[tuple[Platform, int], StaffMember] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        fields = item.split(":")
        if len(fields) not in (2, 3):
            raise ValueError(f"'{item}' is not platform:user_id[:role]")
        platform_name, user_id, role = fields[0].strip().lower(), fields[1].strip(), "reviewer"
        if len(fields) == 3:
            role = fields[2].strip().lower()
        try:
            platform = Platform(platform_name)
        except ValueError:
            known = ", ".join(p.value for p in Platform)
            raise ValueError(
                f"unknown platform '{platform_name}' in '{item}' (use {known})"
            ) from None
        if not user_id.lstrip("-").isdigit():
            raise ValueError(f"user id '{user_id}' in '{item}' is not a number")
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' in '{item}' (use admin or reviewer)")
        member = StaffMember(platform, int(user_id), role)
        members[(platform, member.user_id)] = member
    return tuple(members.values())


_DURATION = re.compile(r"^(\d{1,5})\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_durations(raw: str) -> tuple[timedelta, ...]:
    """ "24h,1h" -> (24 hours, 1 hour), longest first; "" -> none."""
    found = []
    for item in (part.strip().lower() for part in raw.split(",")):
        if not item:
            continue
        match = _DURATION.match(item)
        if match is None:
            raise ValueError(f"'{item}' is not a duration (use e.g. 90s, 30m, 24h or 3d)")
        found.append(timedelta(**{_UNITS[match[2]]: int(match[1])}))
    return tuple(sorted(set(found), reverse=True))


@dataclass(frozen=True, slots=True)
class Weekly:
    """A day of the week and a time of day, in TIMEZONE."""

    weekday: str  # mon … sun, as APScheduler's cron trigger takes it
    hour: int
    minute: int


def parse_weekly(raw: str) -> Weekly | None:
    """ "sat 10:00" -> Weekly; "off" -> None."""
    text = raw.strip().lower()
    if text in ("", "off", "none"):
        return None
    match = re.match(r"^([a-z]{3})\w*\s+(\d{1,2}):(\d{2})$", text)
    if match is None or match[1] not in _WEEKDAYS or int(match[2]) > 23 or int(match[3]) > 59:
        raise ValueError(f"'{raw}' is not a day and time (use e.g. 'sat 10:00', or 'off')")
    return Weekly(match[1], int(match[2]), int(match[3]))


def normalize_database_url(raw: str) -> str:
    try:
        url: URL = make_url(raw)
    except ArgumentError:
        raise ValueError(f"'{raw}' is not a database URL") from None
    driver = _ASYNC_DRIVERS.get(url.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported driver '{url.drivername}' (use sqlite+aiosqlite:///file.db "
            "or postgresql+asyncpg://user@host/db)"
        )
    return url.set(drivername=driver).render_as_string(hide_password=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    bale_bot_token: str | None = None
    bale_api_url: str = "https://tapi.bale.ai"
    database_url: str = "sqlite+aiosqlite:///ideabot.db"
    staff: Annotated[tuple[StaffMember, ...], NoDecode] = ()
    default_locale: str = "fa"
    timezone: str = "Asia/Tehran"
    log_level: str = "INFO"
    # Not in the contract table, but tunable by operators.
    processed_updates_keep_days: int = Field(default=7, ge=1)
    draft_ttl_days: int = Field(default=30, ge=1)
    daily_submission_limit: int = Field(default=5, ge=1)
    # A new idea goes by itself to a reviewer of its area (round robin among those who
    # chose that area in /alerts).
    auto_assign: bool = False
    # The local hour staff who chose it get their daily summary.
    staff_summary_hour: int = Field(default=8, ge=0, le=23)
    # Delivery: messages per second across chats, per platform.
    telegram_rate: float = Field(default=25.0, gt=0, le=1000)
    bale_rate: float = Field(default=10.0, gt=0, le=1000)
    # When to remind: before an event, before a call closes; and the weekly digest.
    event_reminders: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(hours=24),
        timedelta(hours=1),
    )
    call_reminders: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(days=3),
        timedelta(days=1),
    )
    digest: Annotated[Weekly | None, NoDecode] = Weekly("sat", 10, 0)
    draft_nudge: Annotated[timedelta | None, NoDecode] = timedelta(days=2)
    # A reminder that fell due while ideabot was down is still sent within this time.
    reminder_grace: Annotated[timedelta, NoDecode] = timedelta(hours=2)
    # A row claimed this long ago and never finished belongs to a process that died.
    delivery_stale_seconds: float = Field(default=90.0, gt=0)
    # Webhook mode (`ideabot webhook ...`): the public https address the platforms post
    # to, the secret that proves a post is theirs, and how many posts Telegram may have
    # open at once.
    webhook_base_url: str | None = None
    webhook_secret: str | None = None
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    # The staff console in the browser: where it listens ("off": nowhere), and the
    # address staff open (in the sign-in links the bot sends), by default the same.
    console_bind: Annotated[tuple[str, int] | None, NoDecode] = ("127.0.0.1", 8090)
    console_url: str | None = None

    @field_validator("telegram_bot_token", "bale_bot_token", mode="before")
    @classmethod
    def _token(cls, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        token = str(value).strip()
        if not _TOKEN.match(token):
            raise ValueError("malformed token, expected digits, a colon and the secret (123:ABC…)")
        return token

    @field_validator("telegram_api_url", "bale_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value

    @field_validator("webhook_base_url", mode="before")
    @classmethod
    def _webhook_base_url(cls, value: Any) -> str | None:
        if value is None or not str(value).strip():
            return None
        found = str(value).strip().rstrip("/")
        parts = urlsplit(found)
        if parts.scheme != "https" or not parts.hostname or re.search(r"\s", found):
            raise ValueError(f"'{found}' is not an https URL (the platforms post only to https)")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"'{found}' must be an address alone, without ?…, #… or a login")
        try:
            parts.port  # noqa: B018 (it raises for a port that is not a number)
        except ValueError:
            raise ValueError(f"'{found}' has a port that is not a number") from None
        return found

    @field_validator("console_bind", mode="before")
    @classmethod
    def _console_bind(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = value.strip()
        if found.lower() in ("", "off", "no", "false", "0"):
            return None
        host, _, port = found.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"'{found}' is not HOST:PORT (e.g. 127.0.0.1:8090), nor off")
        return (host.strip("[]"), int(port))

    @field_validator("console_url", mode="before")
    @classmethod
    def _console_url(cls, value: Any) -> str | None:
        if value is None or not str(value).strip():
            return None
        found = str(value).strip().rstrip("/")
        parts = urlsplit(found)
        if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", found):
            raise ValueError(f"'{found}' is not an http(s) address (e.g. https://ideas.example.ir)")
        if parts.path or parts.query or parts.fragment or parts.username:
            raise ValueError(f"'{found}' must be an address alone; the console lives at /console")
        return found

    @property
    def console_address(self) -> str | None:
        """Where staff open the console: CONSOLE_URL, or the address it listens on."""
        if self.console_bind is None:
            return None
        if self.console_url:
            return self.console_url
        host, port = self.console_bind
        # Every address ("0.0.0.0", "::") is reached on this machine as loopback.
        everywhere = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}
        shown = everywhere.get(host) or (f"[{host}]" if ":" in host else host)
        return f"http://{shown}:{port}"

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: Any) -> str | None:
        if value is None or not str(value).strip():
            return None
        found = str(value).strip()
        # Telegram's header allows these characters, and Bale's secret is a URL path.
        if not re.fullmatch(r"[A-Za-z0-9_-]{32,256}", found):
            raise ValueError(
                "must be 32 to 256 characters of A-Z, a-z, 0-9, _ and - "
                "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return found

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value.strip())

    @field_validator("staff", mode="before")
    @classmethod
    def _staff(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_staff(value)
        return value

    @field_validator("event_reminders", "call_reminders", mode="before")
    @classmethod
    def _durations(cls, value: Any) -> Any:
        return parse_durations(value) if isinstance(value, str) else value

    @field_validator("draft_nudge", "reminder_grace", mode="before")
    @classmethod
    def _duration(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str):
            return value
        if value.strip().lower() in ("off", "none") and info.field_name == "draft_nudge":
            return None
        found = parse_durations(value)
        if len(found) != 1:
            raise ValueError(f"'{value}' is not one duration (use e.g. 2h or 2d)")
        return found[0]

    @field_validator("digest", mode="before")
    @classmethod
    def _weekly(cls, value: Any) -> Any:
        return parse_weekly(value) if isinstance(value, str) else value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in LOCALES:
            raise ValueError(f"unknown locale '{value}' (use {' or '.join(LOCALES)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}' (e.g. Asia/Tehran)") from None
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level '{value}' (use DEBUG, INFO, WARNING or ERROR)")
        return level

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def token_for(self, platform: Platform) -> str | None:
        return self.telegram_bot_token if platform is Platform.TELEGRAM else self.bale_bot_token

    def api_url_for(self, platform: Platform) -> str:
        return self.telegram_api_url if platform is Platform.TELEGRAM else self.bale_api_url

    def rate_for(self, platform: Platform) -> float:
        return self.telegram_rate if platform is Platform.TELEGRAM else self.bale_rate

    def webhook_problems(self, *, registering: bool) -> list[str]:
        """What webhook mode lacks, one line per setting (empty when it can run): a
        worker needs the secret; registering the webhook also the address, one Bale
        accepts if Bale is served."""
        needed = [("WEBHOOK_SECRET", self.webhook_secret)]
        if registering:
            needed.append(("WEBHOOK_BASE_URL", self.webhook_base_url))
        problems = [f"{name}: must be set for webhook mode" for name, value in needed if not value]
        port = urlsplit(self.webhook_base_url or "").port or 443
        if registering:
            # The official servers post only to these ports (a self-hosted Bot API
            # server, or a test's, to any).
            for platform, ports in OFFICIAL_WEBHOOK_PORTS.items():
                official = self.api_url_for(platform) == str(
                    Settings.model_fields[f"{platform.value}_api_url"].default
                )
                if self.token_for(platform) and official and port not in ports:
                    allowed = ", ".join(map(str, ports))
                    problems.append(
                        f"WEBHOOK_BASE_URL: port {port}: {platform.value} posts only to {allowed}"
                    )
        return problems

    @property
    def enabled_platforms(self) -> tuple[Platform, ...]:
        return tuple(p for p in Platform if self.token_for(p))


def load_settings(**overrides: Any) -> Settings:
    """Read the environment (and `.env`); raise ConfigError listing every mistake."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise ConfigError(lines) from None
