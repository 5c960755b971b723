"""A real socket.io client (python-socketio) talking to the widget's channel.

The polling transport: python-socketio's websocket transport needs a newer aiohttp than
Rasa 3.6 allows (the browser tests use the websocket transport).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from collections.abc import Coroutine
from typing import Any, TypeVar

import socketio

from assistant.settings import Settings

T = TypeVar("T")


def run_async(scenario: Coroutine[Any, Any, T]) -> T:
    """Run `scenario` to its end on a new event loop in its own thread (Playwright's sync
    API, used by the browser tests in the same session, keeps a loop in the main thread)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario).result()


class Refused(Exception):
    """The server refused the socket.io connection (`connect_error`)."""


class SocketConversation:
    """One socket.io connection with a persistent session (`session_request`)."""

    def __init__(self, settings: Settings, *, origin: str | None = None) -> None:
        self.url = settings.base_url
        self.headers = {"Origin": origin} if origin else {}
        self.session_id = uuid.uuid4().hex
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[dict[str, Any]] = []
        self._confirmed = asyncio.Event()
        self._arrived = asyncio.Event()
        self._settled = asyncio.Event()  # connected or refused
        self.refusal: Any = None
        self.client.on("connect", self._on_connect)
        self.client.on("connect_error", self._on_refused)
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self._on_bot)

    async def _on_connect(self) -> None:
        self._settled.set()

    async def _on_refused(self, data: Any) -> None:
        self.refusal = data or "refused"
        self._settled.set()

    async def _on_confirm(self, data: Any) -> None:
        self.confirmed_id = data
        self._confirmed.set()

    async def _on_bot(self, data: Any) -> None:
        self.received.append(data)
        self._arrived.set()

    async def connect(self) -> None:
        """Connect and request the session; raises Refused if the server refuses."""
        # wait=False: on a refusal python-socketio would otherwise disconnect waiting for the
        # pending long poll (about 30 s)
        await self.client.connect(
            self.url,
            headers=self.headers,
            transports=["polling"],
            socketio_path="/socket.io",
            wait=False,
        )
        await asyncio.wait_for(self._settled.wait(), 30)
        if self.refusal is not None:
            raise Refused(self.refusal)
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(self._confirmed.wait(), 30)

    async def send(self, message: Any) -> None:
        await self.client.emit("user_uttered", message)

    async def say(self, text: str) -> None:
        await self.send({"message": text, "session_id": self.session_id})

    async def wait_for(self, key: str, timeout: float = 120.0) -> dict[str, Any]:
        """The first message received with `key` (waiting for it if needed)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for message in self.received:
                if key in message:
                    return message
            self._arrived.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no message with {key!r} in {timeout} s: {self.received}")
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                continue

    async def close(self) -> None:
        # engine.io's close without waiting for the pending long-poll request to time out
        # (up to 25 s); closes the HTTP session, so nothing is left running
        await self.client.eio.disconnect(abort=True)
