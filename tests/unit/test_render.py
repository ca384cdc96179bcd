"""User text reaches the screen exactly as typed on both platforms, never as markup."""

from __future__ import annotations

import pytest

from bot.core.platforms import PROFILES, Platform
from bot.core.text import EDGE_LIMIT, VALUE_LIMIT, sanitize
from bot.devtools.fakeapi import bale_to_text, html_to_text
from bot.devtools.fakeapi.server import ApiError
from bot.ui.render import Renderer
from locales.i18n import use_locale

HOSTILE = "<b>Ali</b> & *bold* _it_ [x](http://e.vil) </i>"


@pytest.fixture(autouse=True)
def _persian() -> object:
    with use_locale("fa"):
        yield


def test_telegram_escapes_user_text_so_the_client_shows_it_verbatim() -> None:
    render = Renderer(PROFILES[Platform.TELEGRAM])
    sent = render("<b>Hello</b> {name}", name=HOSTILE)
    assert html_to_text(sent) == f"Hello {HOSTILE}"


def test_bale_gets_no_markup_and_the_text_as_typed() -> None:
    render = Renderer(PROFILES[Platform.BALE])
    sent = render("<b>Hello</b> {name} &amp; co", name=HOSTILE)
    shown, entities = bale_to_text(sent)
    assert shown == f"Hello {HOSTILE} & co" and entities == []


@pytest.mark.parametrize(
    "typed",
    [
        "[پیام فوری از شهرداری](http://evil.example/login)",
        "*مهم* و _فوری_ و `کد`",
        "(*x*) [a](b) [c]( d)",
        "پیش از *این*، پس از _آن_.",
    ],
)
def test_bale_reads_no_markdown_in_what_people_typed(typed: str) -> None:
    assert bale_to_text(typed)[1] != []  # as typed, Bale's clients would format it
    sent = Renderer(PROFILES[Platform.BALE])("{v}", v=typed)
    assert bale_to_text(sent) == (typed, [])


def test_user_text_cannot_inject_placeholders() -> None:
    render = Renderer(PROFILES[Platform.BALE])
    assert render("{a} {b}", a="{b}", b="x") == "{b} x"


def test_long_user_text_is_bounded() -> None:
    render = Renderer(PROFILES[Platform.BALE])
    shown = render("{v}", v="x" * 10_000)
    assert len(shown) == VALUE_LIMIT and shown.endswith("…")


def test_numbers_follow_the_reader() -> None:
    render = Renderer(PROFILES[Platform.BALE])
    assert render("{n}", n=1405) == "۱۴۰۵"


@pytest.mark.parametrize("markup", ["a < b", "<b>x", "x</b>", "<script>x</script>", "a & b"])
def test_fake_telegram_refuses_what_telegram_refuses(markup: str) -> None:
    with pytest.raises(ApiError):
        html_to_text(markup)


def test_what_people_send_is_cleaned_at_the_edge() -> None:
    typed = "a\x00b\x07\r\nc\u202eevil\u2066x\u2069\ufeff\ud800 e\u0301 ک\u200cها\t!"
    assert sanitize(typed) == "ab\nc" + "evilx" + " é ک\u200cها\t!"
    assert len(sanitize("x" * 50_000)) == EDGE_LIMIT
