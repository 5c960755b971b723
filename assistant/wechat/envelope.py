"""Authenticating and opening WeChat callbacks, and sealing the passive replies.

All signature checks, XML parsing and AES work are wechatpy's: this module only decides
which of its checks applies (Official Account: plaintext, compatible or safe mode; WeCom:
always encrypted) and turns every failure into a `Refused` with the HTTP status to answer:
403 when the request cannot be shown to come from WeChat (forged or missing signature,
stale timestamp, another account's payload), 400 when it is authentic but unreadable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import wechatpy
import wechatpy.enterprise
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from assistant.wechat.config import ChannelConfig

Flavour = Literal["official", "wecom"]


class Refused(Exception):
    """The callback is not processed; `status` is the HTTP status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Incoming:
    """One authenticated callback, reduced to what the channel acts on.

    `kind` is the message type (`text`, `voice`, `image`, `location`, …) or, for events,
    `event:<name>` (`event:subscribe`, …). `key` identifies the message across WeChat's
    retries: the MsgId, or sender and creation time for events (WeChat's advice).
    """

    kind: str
    sender: str
    recipient: str
    key: str
    text: str | None = None
    #: the request arrived encrypted: the passive reply must be encrypted too
    encrypted: bool = False


def _param(args: Mapping[str, Any], name: str) -> str:
    value = args.get(name)
    if isinstance(value, list):  # sanic's request.args maps a name to a list
        value = value[0] if value else None
    return str(value) if value else ""


class Envelope:
    """The callback security of one channel (Official Account or WeCom)."""

    def __init__(
        self, config: ChannelConfig, flavour: Flavour, clock: Callable[[], float] = time.time
    ) -> None:
        self.config = config
        self.flavour = flavour
        self.clock = clock
        self.crypto: WeChatCrypto | WeComCrypto | None = None
        if config.aes_key:
            crypto_class = WeComCrypto if flavour == "wecom" else WeChatCrypto
            self.crypto = crypto_class(config.token, config.aes_key, config.app_id)

    # --- URL verification (GET) -------------------------------------------------------
    def verify_url(self, args: Mapping[str, Any]) -> str:
        """The `echostr` to answer WeChat's URL check with (WeCom's comes encrypted)."""
        timestamp, nonce = _param(args, "timestamp"), _param(args, "nonce")
        echostr = _param(args, "echostr")
        if not echostr:
            raise Refused(400, "no echostr")
        if self.flavour == "official":
            self._check_plain_signature(args)
            return echostr
        crypto = self._crypto()
        try:
            return str(
                crypto.check_signature(_param(args, "msg_signature"), timestamp, nonce, echostr)
            )
        except InvalidSignatureException as err:
            raise Refused(403, "invalid msg_signature") from err
        except InvalidCorpIdException as err:
            raise Refused(403, "echostr of another CorpID") from err
        except Exception as err:  # wechatpy raises ValueError, struct.error, … on garbage
            raise Refused(400, "undecryptable echostr") from err

    # --- messages (POST) --------------------------------------------------------------
    def open(self, args: Mapping[str, Any], body: bytes) -> Incoming:
        """Authenticate, decrypt and parse one message callback."""
        encrypted = self.flavour == "wecom" or _param(args, "encrypt_type").lower() == "aes"
        if self.flavour == "official":
            self._check_plain_signature(args)
        if encrypted:
            xml = self._decrypt(args, body)
        else:
            try:
                xml = body.decode("utf-8")
            except UnicodeDecodeError as err:
                raise Refused(400, "body is not UTF-8") from err
        self._check_fresh(_param(args, "timestamp"))
        return self._parse(xml, encrypted)

    def seal(self, xml: str, incoming: Incoming, nonce: str) -> str:
        """The passive reply as WeChat expects it: encrypted when the request was."""
        if not incoming.encrypted:
            return xml
        crypto = self._crypto()
        return str(crypto.encrypt_message(xml, nonce, str(int(self.clock()))))

    def text_reply(self, incoming: Incoming, content: str, nonce: str) -> str:
        """A passive text reply to `incoming`, sealed."""
        reply = TextReply(
            source=incoming.recipient,
            target=incoming.sender,
            # wechatpy puts the text in CDATA as it is: a "]]>" (the assistant may quote the
            # user's words) would end it. Split there, as XML allows.
            content=content.replace("]]>", "]]]]><![CDATA[>"),
            time=int(self.clock()),  # wechatpy's default is its import time
        )
        return self.seal(reply.render(), incoming, nonce)

    # --- the checks -------------------------------------------------------------------
    def _crypto(self) -> WeChatCrypto | WeComCrypto:
        if self.crypto is None:
            # Safe mode switched on in the console without WECHAT_AES_KEY set here.
            raise Refused(400, "encrypted message but no EncodingAESKey configured")
        return self.crypto

    def _check_plain_signature(self, args: Mapping[str, Any]) -> None:
        signature = _param(args, "signature")
        timestamp, nonce = _param(args, "timestamp"), _param(args, "nonce")
        if not (signature and timestamp and nonce):
            raise Refused(403, "signature, timestamp or nonce missing")
        try:
            check_signature(self.config.token, signature, timestamp, nonce)
        except InvalidSignatureException as err:
            raise Refused(403, "invalid signature") from err

    def _check_fresh(self, timestamp: str) -> None:
        try:
            sent = int(timestamp)
        except ValueError as err:
            raise Refused(403, "timestamp missing or not a number") from err
        if abs(self.clock() - sent) > self.config.max_skew_s:
            raise Refused(403, "stale timestamp")

    def _decrypt(self, args: Mapping[str, Any], body: bytes) -> str:
        crypto = self._crypto()
        msg_signature = _param(args, "msg_signature")
        timestamp, nonce = _param(args, "timestamp"), _param(args, "nonce")
        if not (msg_signature and timestamp and nonce):
            raise Refused(403, "msg_signature, timestamp or nonce missing")
        try:
            return str(crypto.decrypt_message(body, msg_signature, timestamp, nonce))
        except InvalidSignatureException as err:
            raise Refused(403, "invalid msg_signature") from err
        except (InvalidAppIdException, InvalidCorpIdException) as err:
            raise Refused(403, "payload encrypted for another account") from err
        except Exception as err:  # malformed XML, no <Encrypt>, bad base64 or padding
            raise Refused(400, "malformed encrypted message") from err

    def _parse(self, xml: str, encrypted: bool) -> Incoming:
        parse = wechatpy.enterprise.parse_message if self.flavour == "wecom" else (
            wechatpy.parse_message
        )
        try:
            message = parse(xml)
            kind = str(message.type)
            if kind == "event":
                kind = f"event:{str(message.event).lower()}"
            sender, recipient = message.source, message.target
            if kind.startswith("event:") or not message.id:
                key = f"{sender}:{message.time}"
            else:
                key = str(message.id)
            text = getattr(message, "content", None) if kind == "text" else None
            if kind == "voice":
                text = getattr(message, "recognition", None)
        except Exception as err:  # ExpatError, a missing MsgType, a MsgId that is no number
            raise Refused(400, "malformed message XML") from err
        if not sender or not recipient:
            raise Refused(400, "message without FromUserName or ToUserName")
        return Incoming(
            kind=kind,
            sender=str(sender),
            recipient=str(recipient),
            key=key,
            text=str(text) if text is not None else None,
            encrypted=encrypted,
        )
