"""Configuration: environment variables and `.env`, validated once at start.

The variable names are a contract with operators and tests. A mistake is
reported as one line per variable (`ConfigError.lines`), never a traceback.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.platforms import Platform

LOCALES = ("fa", "en")
Role = Literal["admin", "reviewer"]
ROLES: tuple[Role, ...] = ("admin", "reviewer")

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


@dataclass(frozen=True, slots=True)
class StaffMember:
    platform: Platform
    user_id: int
    role: Role


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
