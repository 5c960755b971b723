"""The message API of WeChat (customer-service messages) and of WeCom (application messages).

Used for replies that are not ready within WeChat's 5 seconds, and for the parts of an
answer too long for one message. The access token is fetched once, cached, and refreshed
shortly before it expires; one refresh at a time (an asyncio lock), however many replies
wait for it. A send refused because the token expired early (errcode 40001/42001, e.g. the
token was refreshed elsewhere) refreshes it once and sends again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from assistant.wechat.config import ChannelConfig
from assistant.wechat.envelope import Flavour

logger = logging.getLogger(__name__)

#: access_token invalid / expired: worth one refresh.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
#: A token is refreshed this long before WeChat says it expires.
REFRESH_MARGIN_S = 300.0
REQUEST_TIMEOUT_S = 10.0


class ApiError(RuntimeError):
    """WeChat answered with an error code (or not at all)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}")
        self.errcode = errcode


class MessageApi:
    """Token cache and text sending for one account."""

    def __init__(
        self,
        config: ChannelConfig,
        flavour: Flavour,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.flavour = flavour
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None
        #: how many tokens were fetched (the tests count the refreshes)
        self.refreshes = 0

    @property
    def configured(self) -> bool:
        return bool(self.config.app_id and self.config.secret)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
            )
        return self._session

    async def _call(self, method: str, path: str, params: dict[str, str], body: Any = None
                    ) -> dict[str, Any]:
        url = f"{self.config.api_base}{path}"
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"} if data else None
        try:
            async with self._http().request(
                method, url, params=params, data=data, headers=headers
            ) as response:
                result = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as err:
            raise ApiError(-1, f"{method} {path} failed: {err}") from err
        if not isinstance(result, dict):
            raise ApiError(-1, f"{method} {path}: unexpected answer {result!r}")
        errcode = int(result.get("errcode") or 0)
        if errcode:
            raise ApiError(errcode, str(result.get("errmsg", "")))
        return result

    async def token(self) -> str:
        """A valid access token, fetched only when the cached one is (nearly) expired."""
        if self._token and self.clock() < self._expires_at:
            return self._token
        async with self._lock:
            # Whoever waited for the lock finds the token the holder fetched.
            if self._token and self.clock() < self._expires_at:
                return self._token
            if self.flavour == "wecom":
                params = {"corpid": self.config.app_id, "corpsecret": self.config.secret}
                result = await self._call("GET", "/cgi-bin/gettoken", params)
            else:
                params = {
                    "grant_type": "client_credential",
                    "appid": self.config.app_id,
                    "secret": self.config.secret,
                }
                result = await self._call("GET", "/cgi-bin/token", params)
            token = result.get("access_token")
            if not isinstance(token, str) or not token:
                raise ApiError(-1, "no access_token in the token answer")
            expires_in = float(result.get("expires_in") or 7200)
            self._token = token
            self._expires_at = self.clock() + max(0.0, expires_in - REFRESH_MARGIN_S)
            self.refreshes += 1
            logger.info("%s access token fetched (valid %.0f s)", self.flavour, expires_in)
            return token

    async def _forget(self, token: str) -> None:
        """Drop `token` if it is still the cached one (not if another task replaced it)."""
        async with self._lock:
            if self._token == token:
                self._token = None

    def _message(self, user: str, content: str) -> tuple[str, dict[str, Any]]:
        if self.flavour == "wecom":
            body: dict[str, Any] = {
                "touser": user,
                "msgtype": "text",
                "agentid": int(self.config.agent_id or 0),
                "text": {"content": content},
            }
            return "/cgi-bin/message/send", body
        body = {"touser": user, "msgtype": "text", "text": {"content": content}}
        return "/cgi-bin/message/custom/send", body

    async def send_text(self, user: str, content: str) -> None:
        """Send one text message to `user` (an OpenID, or a WeCom UserID)."""
        path, body = self._message(user, content)
        token = await self.token()
        try:
            await self._call("POST", path, {"access_token": token}, body)
        except ApiError as err:
            if err.errcode not in TOKEN_ERRORS:
                raise
            logger.info("%s access token refused (%s): refreshing once", self.flavour, err)
            await self._forget(token)
            await self._call("POST", path, {"access_token": await self.token()}, body)
