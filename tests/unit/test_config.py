"""Configuration mistakes stop the start with one clear line and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.core.platforms import Platform

GOOD_TOKEN = "123456:ABCdef_ghi-JKL"


def test_defaults() -> None:
    settings = load_settings()
    assert settings.enabled_platforms == ()
    assert settings.default_locale == "fa"
    assert settings.timezone == "Asia/Tehran"
    assert settings.database_url == "sqlite+aiosqlite:///ideabot.db"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.bale_api_url == "https://tapi.bale.ai"


def test_staff_parsing_with_default_role() -> None:
    settings = load_settings(staff="telegram:111:admin, bale:222")
    roles = {(m.platform, m.user_id): m.role for m in settings.staff}
    assert roles == {(Platform.TELEGRAM, 111): "admin", (Platform.BALE, 222): "reviewer"}


def test_plain_database_urls_get_async_drivers() -> None:
    assert load_settings(database_url="sqlite:///x.db").database_url == "sqlite+aiosqlite:///x.db"
    url = load_settings(database_url="postgresql://u@h/db").database_url
    assert url == "postgresql+asyncpg://u@h/db"


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BALE_BOT_TOKEN={GOOD_TOKEN}\nDEFAULT_LOCALE=en\n")
    settings = load_settings()
    assert settings.enabled_platforms == (Platform.BALE,)
    assert settings.default_locale == "en"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN: malformed token"),
        ("BALE_BOT_TOKEN", "12:short", "BALE_BOT_TOKEN: malformed token"),
        ("STAFF", "whatsapp:1", "STAFF: unknown platform 'whatsapp'"),
        ("STAFF", "telegram:1:boss", "STAFF: unknown role 'boss'"),
        ("STAFF", "telegram:abc", "STAFF: user id 'abc' in 'telegram:abc' is not a number"),
        ("DEFAULT_LOCALE", "de", "DEFAULT_LOCALE: unknown locale 'de'"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL: 'nonsense' is not a database URL"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL: unsupported driver 'mysql'"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE: unknown time zone"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: unknown log level"),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL: 'ftp://x' is not an http(s) URL"),
        ("CONSOLE_BIND", "8090", "CONSOLE_BIND: '8090' is not HOST:PORT"),
        ("CONSOLE_BIND", "127.0.0.1:99999", "CONSOLE_BIND: '127.0.0.1:99999' is not HOST:PORT"),
        ("CONSOLE_URL", "ideas.example.ir", "CONSOLE_URL: 'ideas.example.ir' is not an http(s)"),
        ("CONSOLE_URL", "https://x.ir/console", "CONSOLE_URL: 'https://x.ir/console' must be"),
    ],
)
def test_each_mistake_is_one_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert len(caught.value.lines) == 1
    assert caught.value.lines[0].startswith(expected)


def test_several_mistakes_give_one_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF", "icq:1")
    monkeypatch.setenv("DEFAULT_LOCALE", "xx")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert [line.split(":")[0] for line in caught.value.lines] == ["STAFF", "DEFAULT_LOCALE"]


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_without_tokens_says_what_to_set(tmp_path: Path) -> None:
    result = run_cli("run", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "BALE_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_mistake_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_cli("run", env={"STAFF": "telegram:1:king"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "ideabot: configuration error: STAFF: unknown role 'king' in 'telegram:1:king' "
        "(use admin or reviewer)"
    ]


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {"BALE_BOT_TOKEN": GOOD_TOKEN, "DATABASE_URL": f"sqlite:///{blocker}/sub/x.db"}
    result = run_cli("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ideabot: configuration error: DATABASE_URL:")


def test_db_upgrade_command(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", env={"DATABASE_URL": "sqlite:///fresh.db"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fresh.db").exists()


def test_registering_a_webhook_on_a_port_the_platforms_do_not_post_to_is_refused() -> None:
    base = {"webhook_secret": "s" * 40, "telegram_bot_token": "1:abcdefghijkl"}
    odd = load_settings(**base, webhook_base_url="https://bot.example.org:8080")
    assert odd.webhook_problems(registering=True) == [
        "WEBHOOK_BASE_URL: port 8080: telegram posts only to 443, 80, 88, 8443"
    ]
    assert odd.webhook_problems(registering=False) == []  # a worker's own port is its own
    with_bale = load_settings(
        **base, bale_bot_token="2:abcdefghijkl", webhook_base_url="https://bot.example.org:8443"
    )
    assert with_bale.webhook_problems(registering=True) == [
        "WEBHOOK_BASE_URL: port 8443: bale posts only to 443, 88"
    ]
    # A self-hosted Bot API server (or a test's) posts to any port.
    own = load_settings(
        **base,
        webhook_base_url="https://bot.example.org:8080",
        telegram_api_url="http://127.0.0.1:8081",
    )
    assert own.webhook_problems(registering=True) == []


@pytest.mark.parametrize(
    ("bind", "url", "address"),
    [
        ("127.0.0.1:8090", "", "http://127.0.0.1:8090"),
        ("0.0.0.0:9000", "", "http://127.0.0.1:9000"),
        ("[::]:9000", "", "http://[::1]:9000"),
        ("127.0.0.1:8090", "https://ideas.example.ir/", "https://ideas.example.ir"),
        ("off", "https://ideas.example.ir", None),
    ],
)
def test_the_console_address_in_links(
    monkeypatch: pytest.MonkeyPatch, bind: str, url: str, address: str | None
) -> None:
    monkeypatch.setenv("CONSOLE_BIND", bind)
    monkeypatch.setenv("CONSOLE_URL", url)
    assert load_settings().console_address == address
