"""The Rasa input channels of the WeChat Official Account and of a WeCom application.

`GET  /webhooks/wechat/webhook` answers WeChat's URL check; `POST` receives the messages
(WeCom: the same under `/webhooks/wecom/`). Named in the generated credentials.yml only
when `WECHAT_TOKEN` (`WECOM_TOKEN`) is set (assistant.credentials).

WeChat closes the connection after 5 seconds and sends the message again (three times). An
answer ready within the reply budget (4.5 s by default) that fits in one message is the
HTTP response itself (a passive reply); otherwise the response is `success` and the answer
goes out through the message API (assistant.wechat.api). Every reply is logged with its
mode and latency (`reply mode=passive|deferred latency_ms=…`), and counted in `GET
/webhooks/wechat/`, so that the share of passive replies can be measured.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.hardening.screen import Guard, guarded
from assistant.wechat.api import ApiError, MessageApi
from assistant.wechat.config import ChannelConfig
from assistant.wechat.dedupe import METADATA_KEY, Dedupe, make_dedupe
from assistant.wechat.envelope import Envelope, Flavour, Incoming, Refused
from assistant.wechat.render import fixed_reply, full_clauses, render_turn
from assistant.wechat.textsplit import split_text
from assistant.wechat.turns import LastTurn, last_turn

logger = logging.getLogger(__name__)
# The reply log lines are the channel's record of passive and deferred replies: INFO, which
# Rasa enables for its own loggers only (the root logger stays at WARNING).
logging.getLogger("assistant.wechat").setLevel(logging.INFO)

#: What WeChat takes as "received, no reply" (an empty body works too).
SUCCESS = "success"
#: Events that get a fixed reply; every other event is acknowledged with `success`.
WELCOME_EVENTS = ("event:subscribe", "event:subscribe_scan", "event:enter_agent")
FIXED_REPLIES = {"image": "image", "location": "location", "voice": "voice_unrecognized"}
MODES = ("passive", "deferred")
LATENCY_WINDOW = 1000


@dataclass
class ReplyStats:
    """Counters of one process: how the answers went out, and how long they took."""

    passive: int = 0
    deferred: int = 0
    duplicates: int = 0
    refused: int = 0
    failed: int = 0
    #: the latest latencies of each mode (a bounded window: the process runs for long)
    latencies_ms: dict[str, deque[int]] = field(
        default_factory=lambda: {mode: deque(maxlen=LATENCY_WINDOW) for mode in MODES}
    )

    def record(self, mode: str, latency_s: float) -> None:
        setattr(self, mode, getattr(self, mode) + 1)
        self.latencies_ms[mode].append(round(latency_s * 1000))

    def as_dict(self) -> dict[str, Any]:
        counts = {name: value for name, value in asdict(self).items() if name != "latencies_ms"}
        return {**counts, "latencies_ms": {m: list(v) for m, v in self.latencies_ms.items()}}


def _param(request: Request, name: str) -> str:
    return str(request.args.get(name) or "")


class WeChatInput(InputChannel):
    """WeChat Official Account (公众号) callbacks: plaintext, compatible and safe mode."""

    flavour: ClassVar[Flavour] = "official"

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(ChannelConfig.from_credentials(credentials))

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config
        self.envelope = Envelope(config, self.flavour)
        self.api = MessageApi(config, self.flavour)
        self.stats = ReplyStats()
        #: rate limit per user, length cap, personal data masked (assistant.hardening)
        self.guard = Guard.from_env(self.name())
        self._dedupe: Dedupe | None = None
        self._background: set[asyncio.Task[None]] = set()

    # --- routes ---------------------------------------------------------------------------
    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = Blueprint(f"{self.name()}_webhook", __name__)
        on_new_message = guarded(on_new_message, self.guard, self.name())

        @hook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.api.close()
            await self.guard.close()
            if self._dedupe is not None:
                await self._dedupe.close()

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "replies": self.stats.as_dict()})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                return response.text(self.envelope.verify_url(request.args))
            except Refused as err:
                return self._refused(err)

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            started = time.monotonic()
            try:
                incoming = self.envelope.open(request.args, request.body)
            except Refused as err:
                return self._refused(err)
            agent = request.app.ctx.agent
            if not await self._dedupe_for(agent).claim(
                self.config.app_id or self.name(), incoming.sender, incoming.key
            ):
                self.stats.duplicates += 1
                logger.info("%s duplicate of %s: answered once already", self.name(),
                            incoming.key)
                return response.text(SUCCESS)
            reply = await self._handle(on_new_message, agent, incoming, started)
            if reply is None:
                return response.text(SUCCESS)
            sealed = self.envelope.text_reply(incoming, reply, _param(request, "nonce"))
            return response.text(sealed, content_type="application/xml")

        return hook

    def _refused(self, err: Refused) -> HTTPResponse:
        self.stats.refused += 1
        logger.warning("%s callback refused (%d): %s", self.name(), err.status, err.reason)
        return response.text(err.reason, status=err.status)

    def _dedupe_for(self, agent: Any) -> Dedupe:
        if self._dedupe is None:
            self._dedupe = make_dedupe(self.config.dedupe_url, agent.tracker_store)
        return self._dedupe

    # --- what to answer ------------------------------------------------------------------
    async def _handle(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        agent: Any,
        incoming: Incoming,
        started: float,
    ) -> str | None:
        """The passive reply to `incoming`, or None to answer `success`."""
        kind = incoming.kind
        if kind in WELCOME_EVENTS:
            return fixed_reply("welcome", None)
        if kind.startswith("event:"):
            return None
        if kind == "text" and not (incoming.text or "").strip():
            return None  # nothing to answer
        turn = await last_turn(agent.tracker_store, incoming.sender)
        if kind not in ("text", "voice") or not (incoming.text or "").strip():
            return fixed_reply(FIXED_REPLIES.get(kind, "unsupported"), turn.lang)
        text = str(incoming.text)
        if turn.wants_full_clauses(text):
            answer = turn.policy_answer or {}
            clauses = _done(split_text(full_clauses(answer)))
            return await self._reply(incoming, clauses, started, what="clauses")
        work = asyncio.ensure_future(
            self._ask(on_new_message, agent, incoming, turn.resolve(text))
        )
        return await self._reply(incoming, work, started)

    async def _ask(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        agent: Any,
        incoming: Incoming,
        text: str,
    ) -> list[str]:
        """The assistant's answer to `text`, as WeChat messages."""
        collector = CollectingOutputChannel()
        await on_new_message(
            UserMessage(
                text,
                collector,
                incoming.sender,
                input_channel=self.name(),
                metadata={METADATA_KEY: {"key": incoming.key, "kind": incoming.kind}},
            )
        )
        answer = LastTurn(collector.messages).policy_answer
        lang = answer.get("lang") if answer is not None else None
        if lang is None:
            lang = (await last_turn(agent.tracker_store, incoming.sender)).lang
        return split_text(render_turn(collector.messages, lang))

    async def _reply(
        self,
        incoming: Incoming,
        work: asyncio.Future[list[str]],
        started: float,
        what: str = "answer",
    ) -> str | None:
        """Wait for `work` within the reply budget: its one message is the passive reply;
        otherwise (late, or several messages) everything goes through the message API."""
        budget = self.config.reply_budget_s - (time.monotonic() - started)
        if budget > 0:
            await asyncio.wait({work}, timeout=budget)
        # Checked again after waiting: NLU runs in the event loop and may have held it past
        # the budget, and a passive reply after WeChat's 5 seconds would be lost.
        in_time = time.monotonic() - started <= self.config.reply_budget_s
        if work.done() and in_time:
            try:
                parts = work.result()
            except Exception:
                logger.exception("%s: the assistant failed to answer", self.name())
                self.stats.failed += 1
                return fixed_reply("error", None)
            if len(parts) <= 1:
                self._log("passive", incoming, started, len(parts), what)
                return parts[0] if parts else None
        # Late, or ready in time but too long for one message.
        reason = "long" if work.done() and in_time else "late"
        task = asyncio.create_task(self._deliver(incoming, work, started, what, reason))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return None

    async def _deliver(
        self,
        incoming: Incoming,
        work: asyncio.Future[list[str]],
        started: float,
        what: str,
        reason: str,
    ) -> None:
        """Send the answer through the message API, in order, once it is ready."""
        try:
            parts = await work
        except Exception:
            logger.exception("%s: the assistant failed to answer", self.name())
            parts = [fixed_reply("error", None)]
        if not self.api.configured:
            self.stats.failed += 1
            logger.error("%s: answer to %s not delivered: no AppID/secret for the message "
                         "API", self.name(), incoming.key)
            return
        try:
            for part in parts:
                await self.api.send_text(incoming.sender, part)
        except ApiError as err:
            self.stats.failed += 1
            logger.error("%s: answer to %s not delivered: %s", self.name(), incoming.key, err)
            return
        self._log("deferred", incoming, started, len(parts), what, reason)

    def _log(self, mode: str, incoming: Incoming, started: float, parts: int, what: str,
             reason: str = "in_time") -> None:
        """One reply: `what` is `answer` (the assistant's) or `clauses` (the full clause
        texts, which the channel sends itself); the counters are of answers only."""
        latency = time.monotonic() - started
        if what == "answer":
            self.stats.record(mode, latency)
        logger.info(
            "%s reply mode=%s latency_ms=%d parts=%d what=%s reason=%s kind=%s key=%s",
            self.name(), mode, round(latency * 1000), parts, what, reason, incoming.kind,
            incoming.key,
        )


class WeComInput(WeChatInput):
    """WeCom (企业微信) application callbacks: always encrypted, CorpID instead of AppID."""

    flavour: ClassVar[Flavour] = "wecom"

    @classmethod
    def name(cls) -> str:
        return "wecom"


def _done(parts: list[str]) -> asyncio.Future[list[str]]:
    future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
    future.set_result(parts)
    return future
