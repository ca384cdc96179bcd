"""One person talking to the bot through the real Applications, with every request the
bot makes recorded instead of sent: each call returns what the person's client shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.app import App
from bot.core.clock import utcnow
from bot.core.conversation.engine import Draft
from bot.core.platforms import Platform
from bot.core.views import CallInfo
from bot.devtools.fakeapi import bale_to_text, html_to_text
from bot.devtools.recording import Call, Person, RecordingRequest, recording
from bot.ui.callbacks import StepAction, StepCB

PROBLEM = "پسماند در محله‌های قدیمی دیر جمع‌آوری می‌شود و بو و آلودگی ایجاد می‌کند."
SOLUTION = "حسگر پرشدن روی سطل‌ها نصب می‌شود و مسیر خودروهای جمع‌آوری هر روز بهینه می‌شود."


async def open_call(app: App, title: str = "فراخوان پسماند") -> CallInfo:
    """A call for ideas on waste, open since yesterday and for nine days more."""
    now = utcnow()
    fields = {
        "title": title,
        "description": "ایده برای پسماند",
        "areas": ["waste"],
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=9),
        "guidance": None,
    }
    return await app.calls.save(None, fields)


class Chat:
    """One person's chat with the bot on one platform."""

    def __init__(self, app: App, platform: Platform, person: Person) -> None:
        self.app = app
        self.platform = platform
        person.platform = platform
        self.person = person
        self.connection = app.connections[platform]
        self.bot = self.connection.bot
        self.recorder: RecordingRequest = recording(self.connection)
        self.mark = len(self.recorder.calls)

    # ----- sending -----
    async def feed(self, update: dict[str, Any]) -> list[Call]:
        """Send one update; the messages the bot sent to this chat meanwhile, notices
        sent in the background after it included (what was recorded before is cleared:
        `calls` starts here)."""
        await self.connection.application.initialize()  # once; then nothing
        await self.app.sender.settled()  # notices of what a test did directly, before
        self.clear()
        await self.app.gateway.handle(self.platform, update)
        await self.app.sender.settled()
        return self.sent()

    async def say(self, text: str) -> str:
        return self.last(await self.feed(self.person.text(text)))

    async def send(self, update: dict[str, Any]) -> str:
        return self.last(await self.feed(update))

    async def press_data(self, data: str) -> str:
        return self.last(await self.feed(self.person.press(data)))

    async def press(
        self, action: StepAction, step: str = "", value: str = "", flow: str = "intake"
    ) -> str:
        return await self.press_data(StepCB(flow, action, step, value).pack())

    async def pick(self, step: str, value: str, flow: str = "intake") -> str:
        return await self.press(StepAction.PICK, step, value, flow)

    # ----- reading -----
    def shown(self, call: Call) -> str:
        """What the person's client shows for a message the bot sent."""
        return html_to_text(call.text) if self.bot.profile.html else bale_to_text(call.text)[0]

    def last(self, sent: list[Call]) -> str:
        assert sent, "the bot said nothing"
        return self.shown(sent[-1])

    def calls(self) -> list[Call]:
        """Everything the bot did in this chat since the last `clear`."""
        mine = self.recorder.calls[self.mark :]
        return [c for c in mine if c.chat_id == self.person.user_id]

    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls() if c.method == method]

    def texts(self) -> list[str]:
        """Texts of messages sent and edited in this chat, in order, as sent."""
        return [c.text for c in self.calls() if c.method in ("sendMessage", "editMessageText")]

    def last_text(self) -> str:
        texts = self.texts()
        assert texts, "the bot sent nothing"
        return texts[-1]

    def clear(self) -> None:
        self.mark = len(self.recorder.calls)

    def last_markup(self) -> dict[str, Any] | None:
        return self.sent()[-1].markup

    def buttons(self) -> list[str]:
        return self.sent()[-1].buttons()

    def media(self, kind: str, size: int = 1000) -> dict[str, Any]:
        person = self.person
        if kind == "photo":
            return person.photo(size=size)
        if kind == "document":
            return person.document(size=size)
        if kind == "voice":
            return person.voice(size=size)
        return person.sticker()

    # ----- the intake, step by step -----
    async def through_to_title(self, persona: str = "citizen") -> None:
        await self.say("/new")
        await self.pick("persona", persona)
        if persona != "citizen":
            await self.say("دانشگاه تبریز")
        await self.pick("area", "waste")

    async def through_to_stage(self) -> None:
        """From /new to the stage step: a title, a problem, a solution, no impact."""
        await self.through_to_title()
        for text in ("سطل‌های هوشمند", PROBLEM, SOLUTION):
            await self.say(text)
        await self.press(StepAction.SKIP, "impact")

    async def to_review(self, persona: str = "citizen") -> str:
        await self.through_to_title(persona)
        await self.say("سطل‌های هوشمند")
        await self.say(PROBLEM)
        await self.say(SOLUTION)
        await self.press(StepAction.SKIP, "impact")
        await self.pick("stage", "prototype")
        await self.say("۴")
        await self.send(self.media("photo"))
        await self.pick("attachments", "done")
        await self.send(self.person.location(38.08, 46.29))
        await self.pick("full_name", "profile")
        await self.send(self.person.contact("+989121234567"))
        return await self.pick("consent", "agree")

    async def user_id(self) -> int:
        user = await self.app.users.get(self.platform, self.person.user_id)
        assert user is not None
        return user.id

    async def draft(self, flow: str = "intake") -> Draft | None:
        return await self.app.conversations.draft(await self.user_id(), flow)

    async def draft_id(self, flow: str = "intake") -> str:
        draft = await self.draft(flow)
        return str(draft.id) if draft else "0"

    async def submit(self) -> str:
        return await self.press(StepAction.SUBMIT, "review", await self.draft_id())

    async def edit(self, step: str) -> str:
        return await self.press(StepAction.EDIT, step, await self.draft_id())


def buttons(call: Call) -> list[str]:
    return call.buttons()
