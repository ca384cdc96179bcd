"""The fake Bot API answers as the real servers do, and the Bale flavour is strict."""

from __future__ import annotations

import json

import pytest
from aiohttp import ClientSession
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, InvalidToken
from telegram.request import RequestData

from bot.core.platforms import Platform
from bot.devtools.fakeapi import FakeBotAPI, Flavour
from bot.platform.bots import Connection, connect


def connection_for(server: FakeBotAPI, token: str | None = None) -> Connection:
    return connect(Platform(server.flavour.value), token or server.token, server.url)


async def raw_updates(connection: Connection, **query: object) -> list[dict[str, object]]:
    search = "&".join(f"{key}={value}" for key, value in query.items())
    found = await connection.updates.post(
        f"{connection.bot.base_url}/getUpdates?{search}", request_data=RequestData()
    )
    assert isinstance(found, list)
    return found


async def test_bale_refuses_parse_mode_and_set_my_commands() -> None:
    async with FakeBotAPI(Flavour.BALE) as server:
        bot = connection_for(server).bot
        server.person(5)
        with pytest.raises(BadRequest, match=r"(?i)parse_mode"):
            await bot.send_message(5, "<b>x</b>", parse_mode="HTML")
        with pytest.raises(InvalidToken):  # Bale answers 404: no such method
            await bot.set_my_commands([BotCommand("start", "s")])
        with pytest.raises(BadRequest, match=r"(?i)secret_token"):
            await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
        # Bale's clients read Markdown in every text; HTML is only characters.
        await bot.send_message(5, "*bold* <b>as typed</b> [a link](http://e.x)")
        [message] = server.chat_messages(5)
        assert message.text == "bold <b>as typed</b> a link"
        assert [e["type"] for e in message.entities] == ["text_link", "bold"]
        await bot.shutdown()


async def test_bale_update_ids_start_at_zero_and_telegram_elsewhere() -> None:
    async with FakeBotAPI(Flavour.BALE) as bale, FakeBotAPI(Flavour.TELEGRAM) as telegram:
        assert bale.person(1).send("hi") == 0
        assert telegram.person(1).send("hi") > 0


async def test_telegram_refuses_broken_html_and_long_callback_data() -> None:
    async with FakeBotAPI(Flavour.TELEGRAM) as server:
        bot = connection_for(server).bot
        server.person(5)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(5, "Tom & <Jerry>", parse_mode="HTML")
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(5, "hi", reply_markup=markup)
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(404, "hi")
        await bot.shutdown()
        wrong = connection_for(server, token="999:wrong-token-xyz").bot
        with pytest.raises(InvalidToken):
            await wrong.get_me()
        await wrong.shutdown()


async def test_person_photo_can_be_fetched_and_copied() -> None:
    async with FakeBotAPI(Flavour.BALE) as server:
        connection = connection_for(server)
        bot = connection.bot
        person = server.person(5)
        person.send_photo(b"\xff\xd8jpeg-bytes", caption="سطل")
        [update] = await raw_updates(connection, timeout=1)
        message = update["message"]
        assert isinstance(message, dict)
        photo_id = message["photo"][-1]["file_id"]
        file = await bot.get_file(photo_id)
        assert file.file_path
        assert bytes(await file.download_as_bytearray()) == b"\xff\xd8jpeg-bytes"
        staff = server.person(9, "Staff")
        await bot.copy_message(staff.chat_id, 5, message["message_id"])
        [copied] = staff.history()
        assert copied.kind == "photo" and copied.file_id == photo_id and copied.text == "سطل"
        await bot.shutdown()


async def test_edits_are_seen_by_the_person() -> None:
    async with FakeBotAPI(Flavour.TELEGRAM) as server:
        bot = connection_for(server).bot
        person = server.person(5)
        sent = await bot.send_message(5, "<b>one</b>", parse_mode="HTML")
        await bot.edit_message_text(
            "two &amp; three", chat_id=5, message_id=sent.message_id, parse_mode="HTML"
        )
        first, second = await person.next(), await person.next()
        assert (first.text, second.text, second.edits) == ("one", "two & three", 1)
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await bot.edit_message_text(
                "two &amp; three", chat_id=5, message_id=sent.message_id, parse_mode="HTML"
            )
        await bot.shutdown()


async def test_long_polling_offsets_and_redelivery() -> None:
    async with FakeBotAPI(Flavour.TELEGRAM) as server:
        connection = connection_for(server)
        person = server.person(5)
        first = person.send("a")
        person.send("b")
        batch = await raw_updates(connection, timeout=1)
        assert [u["message"]["text"] for u in batch] == ["a", "b"]  # type: ignore[index]
        offset = int(str(batch[-1]["update_id"])) + 1
        assert await raw_updates(connection, offset=offset, timeout=0) == []
        server.redeliver(first)
        again = await raw_updates(connection, offset=offset, timeout=0)
        assert [u["update_id"] for u in again] == [first]
        assert json.dumps(again)  # raw JSON, as the servers send it
        await connection.bot.shutdown()


async def test_person_json_api() -> None:
    async with FakeBotAPI(Flavour.TELEGRAM) as server, ClientSession() as http:
        async with http.post(
            f"{server.url}/_person/send", json={"user_id": 3, "text": "/start"}
        ) as response:
            assert (await response.json())["ok"]
        assert server.pending[0]["message"]["text"] == "/start"
        async with http.get(f"{server.url}/_person/3/chat") as response:
            assert (await response.json()) == {"ok": True, "messages": []}
        async with http.post(
            f"{server.url}/_person/press", json={"user_id": 3, "message_id": 99, "label": "x"}
        ) as response:
            assert response.status == 400 and not (await response.json())["ok"]
