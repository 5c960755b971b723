"""The socket.io channel of the web widget, fixed and extended (credentials.yml loads it).

Rasa 3.6's own `socketio` channel cannot deliver a `policy_answer`: its
`send_custom_json` unpacks the custom dict into `AsyncServer.emit(**json_message)`, which
fails with `TypeError: … unexpected keyword argument 'type'` (RasaHQ/rasa#8445); and with
the python-socketio it runs on, `enter_room` is a coroutine it never awaits, so a
persistent session receives nothing. This subclass keeps the channel's name (`socketio`),
path (`/socket.io`) and events (`session_request` / `session_confirm`, `user_uttered` /
`bot_uttered`) and:

- emits every bot message as one data dict to the session's room: text (with
  `quick_replies` for buttons) as Rasa does, custom JSON as `{"custom": {...}}` (the
  shape of the REST channel);
- accepts a socket.io connection only from an origin in `HUKOU_ALLOWED_ORIGINS` (or the
  server's own; a client without `Origin` is a program, not a page, and is accepted),
  and ignores malformed events instead of failing;
- adds `GET /webhooks/socketio/history/<session_id>` (the session's messages) and
  `POST /webhooks/socketio/feedback` (helpful / not helpful on one answer, kept in the
  tracker as an `agent` event), and serves the widget at /chat/ (assistant.widget_files).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from rasa.shared.core.events import AgentUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from assistant import conversation_log
from assistant.hardening.screen import Guard, guarded
from assistant.origins import ENV_NAME as ORIGINS_ENV
from assistant.origins import origin_allowed, parse_origins
from assistant.widget_files import add_widget_routes

logger = logging.getLogger(__name__)


class SocketIOOutput(RasaSocketIOOutput):
    """Sends each bot message as one dict to the room of the conversation."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        quick_replies = [
            {"content_type": "text", "title": b.get("title"), "payload": b.get("payload")}
            for b in buttons
        ]
        await self._send_message(recipient_id, {"text": text, "quick_replies": quick_replies})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class _WidgetBlueprint(SocketBlueprint):
    """Attaches socket.io, and the widget's files at /chat/, to the Sanic app."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        add_widget_routes(app)
        super().register(app, options)


class SocketIOInput(RasaSocketIOInput):
    """Rasa's `socketio` channel with the fixes and endpoints described above."""

    def get_output_channel(self) -> OutputChannel | None:
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        allowed = parse_origins(os.environ.get(ORIGINS_ENV))
        # the input guard of every channel: rate limit, length cap, personal data masked
        guard = Guard.from_env(self.name())
        on_new_message = guarded(on_new_message, guard, self.name())

        # CORS headers of the HTTP transport are left to Sanic's CORS (`--cors`): engineio
        # adding its own would send the header twice, which browsers reject.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        self.sio = sio
        blueprint = _WidgetBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        namespace = self.namespace

        @blueprint.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await guard.close()

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin, allowed, environ):
                logger.info("refused a socket.io connection from origin %s", origin)
                raise SocketRefused(f"origin not allowed: {origin}")

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            wanted = data.get("session_id") if isinstance(data, dict) else None
            session_id = wanted if conversation_log.valid_session_id(wanted) else None
            session_id = session_id or uuid.uuid4().hex
            await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, to=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            message = _user_message(data, self.session_persistence, sid, self.metadata_key)
            if message is None:
                logger.warning("ignored a malformed %s event", self.user_message_evt)
                return
            text, sender_id, metadata = message
            if sender_id != sid:
                # the room the answers go to (idempotent; survives a server restart)
                await sio.enter_room(sid, sender_id, namespace=namespace)
            await on_new_message(
                UserMessage(
                    text,
                    SocketIOOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/history/<session_id>", methods=["GET"])
        async def history(request: Request, session_id: str) -> HTTPResponse:
            if not conversation_log.valid_session_id(session_id):
                return response.json({"error": "malformed session id"}, status=400)
            events = await _events(request, session_id)
            return response.json(
                {"session_id": session_id, "messages": conversation_log.history(events)}
            )

        @blueprint.route("/feedback", methods=["POST"])
        async def feedback(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises its own error types for undecodable bodies
                body = None
            try:
                session_id, answer, rating, comment = conversation_log.parse_feedback(body)
            except ValueError as err:
                return response.json({"error": str(err)}, status=400)
            agent = request.app.ctx.agent
            try:
                record = conversation_log.feedback_record(
                    await _events(request, session_id), answer, rating, comment
                )
            except LookupError as err:
                return response.json({"error": str(err)}, status=404)
            async with agent.lock_store.lock(session_id):
                tracker = await agent.processor.get_tracker(session_id)
                tracker.update(AgentUttered(data={"feedback": record}))
                await agent.tracker_store.save(tracker)
            return response.json({"status": "stored"})

        return blueprint


def _user_message(
    data: Any, persistent: bool, sid: str, metadata_key: str | None
) -> tuple[str, str, dict[str, Any]] | None:
    """(text, conversation id, metadata) of a `user_uttered` event, None if malformed."""
    if not isinstance(data, dict):
        return None
    text = data.get("message")
    # an over-long text is the input guard's to answer (a polite reply, not silence)
    if not isinstance(text, str) or not text.strip():
        return None
    if persistent:
        session_id = data.get("session_id")
        if not conversation_log.valid_session_id(session_id):
            return None
        sender_id = str(session_id)
    else:
        sender_id = sid
    metadata = data.get(metadata_key or "metadata")
    return text, sender_id, metadata if isinstance(metadata, dict) else {}


async def _events(request: Request, session_id: str) -> list[dict[str, Any]]:
    """Every event of the conversation (all sessions), as dicts; [] when there is none."""
    tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(session_id)
    return [] if tracker is None else [event.as_dict() for event in tracker.events]
