"""The HTTP client under every Bot: python-telegram-bot's `BaseRequest` over aiohttp.

The framework's default client (httpx) spends its time choosing a connection once
many requests are in flight: with fifty sends on the wire (a broadcast at 500
messages a second, 100 ms each) it managed under a fifth of that rate on one core,
while aiohttp's pool keeps up (`python -m bench.broadcast` measures both). Requests
are sent as the framework's own client sends them: form fields, multipart when a
file goes up.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Used when a call gives no timeout of its own (the framework's defaults, bar the pool).
CONNECT_SECONDS = 5.0
READ_SECONDS = 5.0
WRITE_SECONDS = 5.0
POOL_SECONDS = 5.0
UPLOAD_SECONDS = 20.0


class NotSent(NetworkError):
    """The request never reached the server (refused, or no connection free in time):
    sending it again cannot repeat it."""


class Lost(NetworkError):
    """The connection dropped after the request went out: it may have arrived."""


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded pool of keep-alive connections."""

    __slots__ = ("_agent", "_closed", "_pool", "_read", "_session")

    def __init__(
        self,
        connection_pool_size: int = 64,
        read_timeout: float = READ_SECONDS,
        role: str | None = None,
    ) -> None:
        self._pool = connection_pool_size
        self._read = read_timeout
        # Which kind of ideabot process asks (a worker, the clock): read in a proxy's
        # log, or by our fake server, it says who sent what.
        self._agent = f"{self.USER_AGENT} ideabot-{role}" if role else self.USER_AGENT
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    @property
    def read_timeout(self) -> float:
        return self._read

    async def initialize(self) -> None:
        self._closed = False
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the connections; until `initialize` again, requests are refused."""
        self._closed = True
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._closed:  # shut down: nothing may open a new session behind its back
            raise NotSent("the connection to the platform is shut down")
        if self._session is None:
            await self.initialize()  # used before the Application initialised it
        assert self._session is not None
        files = request_data.multipart_data if request_data is not None else {}
        write = _given(write_timeout, UPLOAD_SECONDS if files else WRITE_SECONDS)
        read = _given(read_timeout, self._read)
        connect = _given(connect_timeout, CONNECT_SECONDS)
        pool = _given(pool_timeout, POOL_SECONDS)
        # aiohttp has no write timeout of its own: the whole request is bounded by the
        # sum of the four instead (unless one of them is unbounded).
        parts = (connect, pool, write, read)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data, files),
                headers={"User-Agent": self._agent},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc
        except TimeoutError as exc:  # aiohttp's own read timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:  # dropped mid-way: it may have arrived
            raise Lost(f"{type(exc).__name__}: {exc}") from exc


def _given(value: Any, default: float) -> float | None:
    """A timeout the caller gave (None: wait for ever), or the default."""
    if isinstance(value, type(BaseRequest.DEFAULT_NONE)):
        return default
    return None if value is None else float(value)


def _body(request_data: RequestData | None, files: dict[str, Any]) -> Any:
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
