"""The production shape, proven by killing it: nginx (Debian's) with TLS in front of two
webhook workers and a scheduler with its standby, on one PostgreSQL database, run with
the commands of `deploy/`. Both fake servers post updates as Telegram does (a chat's
next update only after the previous got a 2xx, anything else sent again) while people
go through the whole intake on both platforms; half-way, one worker and the scheduler
are killed with SIGKILL.

Nothing may be lost, done twice or done out of order; the sender never goes above the
configured rate, and the standby takes over within 10 s.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.devtools.fakeapi import FakeBotAPI
from bot.devtools.fakeapi.server import SENDING_METHODS, ApiCall, chat_of
from storage import Database
from tests.support.databases import POSTGRES_URL, own_database
from tests.support.e2e import (
    BALE_TOKEN,
    TG_TOKEN,
    BotProcess,
    closed_port,
    environment,
    ideabot_command,
    submit_an_idea,
    until,
)
from tests.support.rates import busiest_second

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set (no PostgreSQL)"),
    pytest.mark.skipif(
        shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
        reason="nginx is not installed (.ci/run installs Debian's)",
    ),
]

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PEOPLE = 50  # on each platform
RATES = {"telegram": 8.0, "bale": 5.0}  # low, so that the sender is held to them
SECRET = "cluster-test-webhook-secret-0123456789"
STAFF = {"telegram": 9001, "bale": 9002}
TAKEOVER_LIMIT = 10.0


def nginx() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
async def cluster_url() -> AsyncIterator[str]:
    """A database of its own on the test server, dropped afterwards."""
    assert POSTGRES_URL is not None
    url = await own_database(POSTGRES_URL, "ideabot_cluster_test")
    yield url
    admin = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute("DROP DATABASE IF EXISTS ideabot_cluster_test WITH (FORCE)")
    finally:
        await connection.close()


def unit_command(unit: str, instance: str) -> list[str]:
    """The ExecStart of a unit in deploy/systemd, for one instance, run from this
    checkout's environment instead of /opt/ideabot."""
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            words = shlex.split(line.removeprefix("ExecStart=").replace("%i", instance))
            assert words[0] == "/opt/ideabot/.venv/bin/ideabot", words
            return words[1:]
    raise AssertionError(f"{unit} has no ExecStart")


def nginx_site(port: int, certificate: Path, key: Path, workers: list[int]) -> str:
    """deploy/nginx/ideabot.conf on loopback: its port, certificate and workers."""
    site = (DEPLOY / "nginx" / "ideabot.conf").read_text()
    replacements = {
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "/etc/letsencrypt/live/bot.example.org/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/bot.example.org/privkey.pem": str(key),
        "127.0.0.1:8441": f"127.0.0.1:{workers[0]}",
        "127.0.0.1:8442": f"127.0.0.1:{workers[1]}",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/ideabot.conf no longer has {old!r}"
        site = site.replace(old, new)
    return site


def start_nginx(tmp: Path, workers: list[int]) -> tuple[subprocess.Popen[bytes], int]:
    """nginx in the foreground with the site on loopback, and its own self-signed
    certificate (Telegram is given such a one with setWebhook's `certificate`)."""
    certificate, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    port = closed_port()
    (tmp / "nginx").mkdir()
    run_as = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"{run_as}worker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'nginx-error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"  access_log {tmp / 'nginx-access.log'};\n"
        + "".join(
            f"  {name}_temp_path {tmp / 'nginx' / name};\n"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + nginx_site(port, certificate, key, workers)
        + "\n}\n"
    )
    process = subprocess.Popen(
        [nginx(), "-p", str(tmp / "nginx"), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
        stdin=subprocess.DEVNULL,
    )
    return process, port


async def until_listening(port: int, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while True:
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            return


async def until_logged(process: BotProcess, fragment: str, timeout: float = 30) -> float:
    """Wait for `fragment` in the process's log; returns when it was seen."""
    for _ in range(int(timeout / 0.05)):
        if fragment in process.log():
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise AssertionError(f"{process.log_path.name} never said {fragment!r}:\n{process.log()}")


def clock_sends(calls: list[ApiCall]) -> list[float]:
    """When the clock's process sent each message the server took."""
    return [
        c.at
        for c in calls
        if "ideabot-clock" in c.agent and c.method.lower() in SENDING_METHODS and c.status == 200
    ]


def all_told(server: FakeBotAPI, chat_id: int) -> bool:
    return sum("ایدهٔ تازه" in m.text for m in server.chat_messages(chat_id)) >= PEOPLE


@dataclass
class Figures:
    lost: int = 0
    duplicated: int = 0
    reordered: int = 0
    resends: int = 0
    absorbed: int = 0
    takeover: float = 0.0
    sent_by_workers: int = 0


async def count(
    figures: Figures,
    servers: dict[str, FakeBotAPI],
    workers: list[BotProcess],
    url: str,
    people: int,
) -> None:
    """What was lost, done twice or done out of order, from both sides: what the fake
    servers saw, and what the database holds."""
    for platform, server in servers.items():
        figures.resends += server.webhook_resends
        figures.lost += len(server.pending)  # never answered 2xx
        for person in (p for p in server.people.values() if p.user_id >= 10_000):
            receipts = sum(
                "ایدهٔ شما ثبت شد." in m.text for m in server.chat_messages(person.chat_id)
            )
            figures.duplicated += max(0, receipts - 1)
            figures.lost += receipts == 0
        alerts = [m.text for m in server.chat_messages(STAFF[platform]) if "ایدهٔ تازه" in m.text]
        figures.duplicated += len(alerts) - len(set(alerts))
        # No worker sends what the outbox holds: receipts and alerts come from the clock.
        figures.sent_by_workers += sum(
            "ideabot-webhook" in c.agent
            and any(
                mark in str(c.params.get("text", "")) for mark in ("ایدهٔ شما ثبت شد.", "ایدهٔ تازه")
            )
            for c in server.calls
        )
        # Each chat's 2xx answers in the order of the chat's update ids.
        chats: dict[int, list[int]] = {}
        by_id = {u["update_id"]: u for u in server.delivered}
        for update_id, status, _at in server.webhook_posts:
            if 200 <= status < 300 and update_id in by_id:
                chat = chat_of(by_id[update_id])
                chats.setdefault(chat, []).append(update_id)
        figures.reordered += sum(ids != sorted(ids) for ids in chats.values())
    for worker in workers:
        said = worker.log()
        figures.absorbed += said.count("already handled, skipped")
        figures.absorbed += said.count("was handled meanwhile")

    db = Database(url)
    try:
        async with db.read() as session:
            per_user = Counter(
                (await session.execute(text("SELECT user_id FROM ideas"))).scalars().all()
            )
            figures.duplicated += sum(n - 1 for n in per_user.values() if n > 1)
            figures.lost += people - len(per_user)
            # Out of order, an answer lands in another step's place.
            answers = (await session.execute(text("SELECT title, problem FROM ideas"))).all()
            figures.reordered += sum(
                (title, problem)
                != (
                    "سطل‌های <b>هوشمند</b> & *تبریز*",
                    "پسماند در محله‌های قدیمی دیر جمع‌آوری می‌شود و بو و آلودگی ایجاد می‌کند.",
                )
                for title, problem in answers
            )
            # A photo sent once is stored once, whatever was sent again.
            photos = (
                await session.execute(
                    text("SELECT idea_id, count(*) FROM attachments GROUP BY idea_id")
                )
            ).all()
            figures.duplicated += sum(count - 1 for _idea, count in photos if count > 1)
            figures.lost += len(per_user) - len(photos)
    finally:
        await db.dispose()


@pytest.fixture
async def proxied(tmp_path: Path) -> AsyncIterator[tuple[int, list[int]]]:
    """nginx on loopback in front of two worker ports: its port, and theirs."""
    workers = [closed_port(), closed_port()]
    proxy, port = start_nginx(tmp_path, workers)
    try:
        await until_listening(port)
        yield port, workers
    finally:
        proxy.terminate()
        proxy.wait(timeout=20)


async def test_two_workers_and_a_standby_survive_sigkill_half_way(
    tmp_path: Path,
    cluster_url: str,
    proxied: tuple[int, list[int]],
    servers: tuple[FakeBotAPI, FakeBotAPI],
    report: Callable[[str], None],
) -> None:
    fake = {"telegram": servers[0], "bale": servers[1]}
    proxy_port, workers_ports = proxied
    env = {
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_API_URL": fake["telegram"].url,
        "BALE_BOT_TOKEN": BALE_TOKEN,
        "BALE_API_URL": fake["bale"].url,
        "DATABASE_URL": cluster_url,
        "WEBHOOK_BASE_URL": f"https://127.0.0.1:{proxy_port}",
        "WEBHOOK_SECRET": SECRET,
        "TELEGRAM_RATE": str(RATES["telegram"]),
        "BALE_RATE": str(RATES["bale"]),
        "STAFF": f"telegram:{STAFF['telegram']}:admin,bale:{STAFF['bale']}:admin",
        "LOG_LEVEL": "INFO",
    }

    def process(name: str, *args: str) -> BotProcess:
        return BotProcess(env, tmp_path / f"{name}.log", *args)

    upgrade = process("upgrade", "db", "upgrade")
    await upgrade.start()
    assert await upgrade.finished() == 0, upgrade.log()
    workers = [
        process(f"worker{n}", *unit_command("ideabot-worker@.service", str(port)))
        for n, port in enumerate(workers_ports, start=1)
    ]
    clocks = [
        process(f"clock{n}", *unit_command("ideabot-scheduler@.service", str(n))) for n in (1, 2)
    ]
    figures = Figures()
    try:
        for worker in workers:
            await worker.start()
        for port in workers_ports:
            await until_listening(port)
        await clocks[0].start()
        await until_logged(clocks[0], "ideabot clock sending for")
        await clocks[1].start()
        await until_logged(clocks[1], "standing by")
        register = await asyncio.create_subprocess_exec(
            *ideabot_command("webhook", "set"),
            env={**os.environ, **env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        said = (await register.communicate())[0].decode()
        assert register.returncode == 0, said
        assert "telegram: webhook set to https://" in said
        assert "/bale/<WEBHOOK_SECRET>" in said and SECRET not in said

        staff = {p: fake[p].person(STAFF[p], "Staff") for p in fake}
        for member in staff.values():
            member.send("/admin")
            await until(member, "پنل کارکنان", timeout=30)

        people = [
            fake[platform].person(10_000 + n, f"Person{n}")
            for platform in fake
            for n in range(PEOPLE)
        ]
        per_intake = 20  # about as many updates as one intake takes
        half = len(people) * per_intake // 2

        async def kill_half_way() -> None:
            def delivered() -> int:
                return sum(len(s.delivered) for s in fake.values())

            for _ in range(6000):  # at most 5 minutes
                if delivered() >= half:
                    break
                await asyncio.sleep(0.05)
            killed_at = time.monotonic()
            await asyncio.gather(workers[0].kill(), clocks[0].kill())
            took = await until_logged(clocks[1], "ideabot clock sending for", timeout=60)
            figures.takeover = took - killed_at

        killer = asyncio.create_task(kill_half_way())
        codes = await asyncio.gather(*(submit_an_idea(p, receipt_within=120) for p in people))
        await asyncio.wait_for(killer, timeout=60)
        assert len(set(codes)) == len(people)

        # Every idea is told to each platform's staff (their alerts come after the receipts).
        for platform, member in staff.items():
            server = fake[platform]
            await server.wait_until(partial(all_told, server, member.chat_id), timeout=120)
    finally:
        for running in (*workers, *clocks):
            if running.process is not None and running.process.returncode is None:
                await running.stop()

    await count(figures, fake, workers, cluster_url, len(people))
    busiest = {p: busiest_second(clock_sends(s.calls)) for p, s in fake.items()}
    report(
        f"cluster: {len(people)} people, {sum(len(s.delivered) for s in fake.values())} "
        f"updates; lost {figures.lost}, duplicated {figures.duplicated}, reordered "
        f"{figures.reordered}; resends {figures.resends} (absorbed as already handled: "
        f"{figures.absorbed}); busiest second of sending "
        + ", ".join(f"{p} {busiest[p]}/{RATES[p]:g}" for p in busiest)
        + f"; standby took over in {figures.takeover:.1f} s"
    )
    assert (figures.lost, figures.duplicated, figures.reordered) == (0, 0, 0)
    assert figures.sent_by_workers == 0
    for platform, most in busiest.items():
        assert most <= RATES[platform], (platform, most)
    assert 0 < figures.takeover <= TAKEOVER_LIMIT
    assert figures.resends > 0  # the kill was felt: posts were refused and sent again
    for survivor in (workers[1], clocks[1]):
        assert "Traceback" not in survivor.log(), survivor.log()


async def test_a_polling_process_on_postgresql_holds_the_lead_and_a_scheduler_stands_by(
    tmp_path: Path, servers: tuple[FakeBotAPI, FakeBotAPI]
) -> None:
    """`ideabot run` keeps its clock on PostgreSQL too, as the cluster's one sender: a
    scheduler started beside it waits instead of sending everything a second time."""
    assert POSTGRES_URL is not None
    url = await own_database(POSTGRES_URL, "ideabot_polling_test")
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url) | {"DATABASE_URL": url}
    bot = BotProcess(env, tmp_path / "bot.log", "run")
    clock = BotProcess(env, tmp_path / "clock.log", "scheduler")
    await bot.start()
    try:
        await until_logged(bot, "ideabot serving")
        await clock.start()
        await until_logged(clock, "standing by")
        people = [telegram.person(701, "Sara"), bale.person(702, "Reza")]
        codes = await asyncio.gather(*(submit_an_idea(p) for p in people))
        assert codes[0] != codes[1]
        for person in people:
            receipts = [m for m in person.history() if "ایدهٔ شما ثبت شد." in m.text]
            assert len(receipts) == 1
        assert "ideabot clock sending for" not in clock.log()  # it never sent
    finally:
        assert await clock.stop() == 0, clock.log()
        assert await bot.stop() == 0, bot.log()
    assert "Traceback" not in bot.log() + clock.log()
