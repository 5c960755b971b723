"""A local stand-in for WeChat's servers on a loopback port (the tests have no network).

It speaks the parts of the WeChat and WeCom HTTP APIs the channel uses: the access token
(`GET /cgi-bin/token`, `GET /cgi-bin/gettoken`), customer-service messages (`POST
/cgi-bin/message/custom/send`) and WeCom application messages (`POST /cgi-bin/message/send`),
with WeChat's error codes: 40001 for a token that is not (or no longer) valid, 45002 for a
text over 2048 bytes. The tests read what it received and can expire the current token.
It also builds the callbacks WeChat's servers would send (signed, optionally encrypted).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.utils import WeChatSigner

MAX_TEXT_BYTES = 2048


@dataclass
class Sent:
    """One message the channel sent through the API."""

    api: str  # "custom" (Official Account) or "wecom"
    user: str
    content: str
    token: str
    at: float


@dataclass
class Account:
    app_id: str
    secret: str
    expires_in: int = 7200


@dataclass
class FakeWeChatState:
    accounts: dict[str, Account] = field(default_factory=dict)
    #: tokens handed out, in order; only the last one of each account is valid
    tokens: list[tuple[str, str]] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)
    sent: list[Sent] = field(default_factory=list)
    token_requests: int = 0
    #: seconds the token endpoint takes (to let concurrent refreshes overlap)
    token_delay_s: float = 0.0


class FakeWeChat:
    """The fake API server, running in a thread; `base_url` is its WECHAT_API_BASE."""

    def __init__(self) -> None:
        self.state = FakeWeChatState()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return None

            def _answer(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/cgi-bin/token":
                    self._answer(fake._token(query.get("appid"), query.get("secret")))
                elif url.path == "/cgi-bin/gettoken":
                    self._answer(fake._token(query.get("corpid"), query.get("corpsecret")))
                else:
                    self.send_error(404)

            def do_POST(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                api = {"/cgi-bin/message/custom/send": "custom",
                       "/cgi-bin/message/send": "wecom"}.get(url.path)
                if api is None:
                    self.send_error(404)
                    return
                self._answer(fake._send(api, query.get("access_token", ""), body))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeWeChat:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeWeChat:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the API -------------------------------------------------------------------------
    def add_account(self, app_id: str, secret: str, expires_in: int = 7200) -> None:
        with self.lock:
            self.state.accounts[app_id] = Account(app_id, secret, expires_in)

    def _token(self, app_id: str | None, secret: str | None) -> dict[str, Any]:
        time.sleep(self.state.token_delay_s)
        with self.lock:
            self.state.token_requests += 1
            account = self.state.accounts.get(app_id or "")
            if account is None or account.secret != secret:
                return {"errcode": 40013, "errmsg": "invalid appid or secret"}
            token = f"token-{uuid.uuid4().hex[:10]}"
            self.state.tokens.append((account.app_id, token))
            return {"access_token": token, "expires_in": account.expires_in}

    def _valid(self, token: str) -> bool:
        latest = {app: tok for app, tok in self.state.tokens}
        return token in latest.values() and token not in self.state.expired

    def _send(self, api: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if not self._valid(token):
                return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
            content = str(body.get("text", {}).get("content", ""))
            if len(content.encode("utf-8")) > MAX_TEXT_BYTES:
                return {"errcode": 45002, "errmsg": "content size out of limit"}
            if body.get("msgtype") != "text" or not body.get("touser"):
                return {"errcode": 40008, "errmsg": "invalid message type"}
            self.state.sent.append(Sent(api, str(body["touser"]), content, token, time.time()))
            return {"errcode": 0, "errmsg": "ok"}

    # --- what the tests look at ----------------------------------------------------------
    def expire_current_tokens(self) -> None:
        """WeChat invalidates the tokens early (as when another server fetched a new one)."""
        with self.lock:
            self.state.expired.update(token for _, token in self.state.tokens)

    def sent_to(self, user: str) -> list[Sent]:
        with self.lock:
            return [s for s in self.state.sent if s.user == user]

    def wait_for(self, user: str, count: int = 1, timeout: float = 60.0) -> list[Sent]:
        """The messages sent to `user`, once there are `count` of them (or at the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sent = self.sent_to(user)
            if len(sent) >= count:
                return sent
            time.sleep(0.1)
        return self.sent_to(user)


# --- callbacks as WeChat's servers send them ----------------------------------------------
def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return str(signer.signature)


def message_xml(kind: str, sender: str, recipient: str, msg_id: int | None,
                fields: dict[str, str] | None = None, created: int | None = None) -> str:
    """A message (or event) as WeChat posts it, with the type's own `fields`."""
    fields = fields or {}
    nodes = [
        f"<ToUserName><![CDATA[{recipient}]]></ToUserName>",
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>",
        f"<CreateTime>{created or int(time.time())}</CreateTime>",
        f"<MsgType><![CDATA[{kind}]]></MsgType>",
    ]
    nodes += [f"<{name}><![CDATA[{value}]]></{name}>" for name, value in fields.items()]
    if msg_id is not None:
        nodes.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(nodes) + "</xml>"


@dataclass
class Callback:
    """The query string and body of one callback."""

    params: dict[str, str]
    body: bytes


def signed_callback(
    token: str,
    xml: str,
    *,
    aes_key: str | None = None,
    app_id: str = "",
    wecom: bool = False,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> Callback:
    """`xml` signed (and, with `aes_key`, encrypted: safe mode, or WeCom) as WeChat sends it."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    nonce = nonce or uuid.uuid4().hex[:10]
    params = {"timestamp": ts, "nonce": nonce}
    if not wecom:
        params["signature"] = signature(token, ts, nonce)
        params["openid"] = "unused"
    if aes_key is None:
        return Callback(params, xml.encode("utf-8"))
    crypto_class = WeComCrypto if wecom else WeChatCrypto
    crypto = crypto_class(token, aes_key, app_id)
    sealed = crypto.encrypt_message(xml, nonce, ts)
    # The encrypted envelope WeChat posts has Encrypt (and ToUserName), its signature is in
    # the query string as msg_signature.
    start = sealed.index("<Encrypt><![CDATA[") + len("<Encrypt><![CDATA[")
    encrypt = sealed[start : sealed.index("]]></Encrypt>")]
    params["msg_signature"] = signature(token, ts, nonce, encrypt)
    if not wecom:
        params["encrypt_type"] = "aes"
    body = (
        f"<xml><ToUserName><![CDATA[{app_id}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )
    return Callback(params, body.encode("utf-8"))


def open_reply(token: str, text: str, *, aes_key: str | None = None, app_id: str = "",
               wecom: bool = False) -> dict[str, str]:
    """The fields of a passive reply (decrypted first when it is encrypted)."""
    import xmltodict

    xml = text
    if aes_key is not None:
        crypto_class = WeComCrypto if wecom else WeChatCrypto
        crypto = crypto_class(token, aes_key, app_id)
        envelope = xmltodict.parse(text)["xml"]
        xml = crypto.decrypt_message(
            text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
        )
    fields: dict[str, str] = xmltodict.parse(xml)["xml"]
    return fields


def iter_lines(sent: list[Sent]) -> Iterator[str]:
    for message in sent:
        yield from message.content.split("\n")
