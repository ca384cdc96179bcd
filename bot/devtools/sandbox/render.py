"""What the page shows of a message: plain data the browser turns into DOM nodes.

Telegram messages sent with `parse_mode=HTML` become a small tree whose elements are
only b, i, u, s, code, pre and a (with an http(s) link); everything else is text, so
nothing the bot or a person wrote can reach the page as markup. Bale messages are shown
exactly as sent: Bale gets no parse_mode from ideabot.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.devtools.fakeapi import BotMessage

# The element each Telegram tag is shown as; tags not listed keep only their text.
_SHOWN_AS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "code": "code",
    "pre": "pre",
    "a": "a",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z-]*)((?:\s[^<>]*)?)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SAFE_LINK = re.compile(r"^(?:https?://|tg://)", re.IGNORECASE)
MAX_DEPTH = 16

Node = str | dict[str, Any]


def html_tree(markup: str) -> list[Node]:
    """Telegram's HTML subset as nested nodes: a string is text, a dict is
    {"t": tag, "c": children} (and "href" for a safe link)."""
    root: dict[str, Any] = {"t": "", "c": []}
    stack: list[tuple[str, dict[str, Any]]] = [("", root)]
    pos = 0

    def text(chunk: str) -> None:
        if chunk:
            stack[-1][1]["c"].append(html.unescape(chunk))

    for match in _TAG.finditer(markup):
        text(markup[pos : match.start()])
        pos = match.end()
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if len(stack) > 1 and stack[-1][0] == name:
                stack.pop()
            continue
        node: dict[str, Any] = {"t": _SHOWN_AS.get(name, ""), "c": []}
        if name == "a":
            found = _HREF.search(attributes or "")
            href = html.unescape(found.group(1) or found.group(2) or "") if found else ""
            if _SAFE_LINK.match(href):
                node["href"] = href
        if len(stack) > MAX_DEPTH:  # deeper nesting is kept as text of its parent
            node = stack[-1][1]
        else:
            stack[-1][1]["c"].append(node)
        stack.append((name, node))
    text(markup[pos:])
    return _flatten(root["c"])


def _flatten(nodes: list[Node]) -> list[Node]:
    """Tags shown as nothing give their children to their parent; adjacent text joins."""
    out: list[Node] = []
    for node in nodes:
        items: list[Node]
        if isinstance(node, str):
            items = [node]
        else:
            children = _flatten(node["c"])
            items = [{**node, "c": children}] if node["t"] else children
        for item in items:
            if isinstance(item, str) and out and isinstance(out[-1], str):
                out[-1] += item
            else:
                out.append(item)
    return out


def _inline(markup: dict[str, Any] | None) -> list[list[dict[str, str]]]:
    rows = (markup or {}).get("inline_keyboard") or []
    return [
        [
            {
                key: str(button[key])
                for key in ("text", "callback_data", "url")
                if isinstance(button, dict) and button.get(key) is not None
            }
            for button in row
        ]
        for row in rows
    ]


def _reply_keyboard(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    if not markup:
        return None
    if markup.get("remove_keyboard"):
        return {"remove": True}
    rows = markup.get("keyboard")
    if not rows:
        return None
    return {
        "rows": [
            [
                {
                    "text": str(button.get("text", "")) if isinstance(button, dict) else button,
                    "request": (
                        "contact"
                        if isinstance(button, dict) and button.get("request_contact")
                        else "location"
                        if isinstance(button, dict) and button.get("request_location")
                        else None
                    ),
                }
                for button in row
            ]
            for row in rows
        ],
        "one_time": bool(markup.get("one_time_keyboard")),
        "placeholder": str(markup.get("input_field_placeholder") or ""),
    }


def bot_message(message: BotMessage, flavour: str, event: str) -> dict[str, Any]:
    """One thing the bot did (a new message or an edit) as the page draws it."""
    telegram_html = (
        flavour == "telegram"
        and message.parse_mode is not None
        and message.parse_mode.upper() == "HTML"
    )
    return {
        "from": "bot",
        "event": event,
        "message_id": message.message_id,
        "kind": message.kind,
        "text": message.text,
        "html": html_tree(message.raw_text) if telegram_html else None,
        "inline": _inline(message.reply_markup),
        "keyboard": _reply_keyboard(message.reply_markup),
        "file": message.file_id,
        "edits": message.edits,
        "date": message.date,
    }
