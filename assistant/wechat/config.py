"""The credentials of the WeChat Official Account and WeCom channels, read from the environment.

Kept free of Rasa and wechatpy imports: `assistant.settings` reads them in the command-line
program, which must start quickly. The Rasa server gets them through the credentials file
that `assistant.credentials` writes (the channels' `from_credentials`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from assistant.reporting import RuntimeFailure

OFFICIAL_API_BASE = "https://api.weixin.qq.com"
WECOM_API_BASE = "https://qyapi.weixin.qq.com"
#: WeChat drops the connection after 5 s (and retries): answer passively only before this.
DEFAULT_REPLY_BUDGET_S = 4.5
#: A POST whose timestamp is further than this from the server's clock is refused (replay).
DEFAULT_MAX_SKEW_S = 300


@dataclass(frozen=True)
class ChannelConfig:
    """What one WeChat-style channel needs: the callback credentials and the API account.

    `app_id` is the Official Account's AppID or the WeCom CorpID (it is also the id the
    AES payload carries); `secret` fetches the access token of the customer-service (or
    WeCom application) message API; `agent_id` is WeCom's application id.
    """

    token: str
    app_id: str = ""
    secret: str = ""
    aes_key: str = ""
    agent_id: str = ""
    api_base: str = OFFICIAL_API_BASE
    reply_budget_s: float = DEFAULT_REPLY_BUDGET_S
    max_skew_s: int = DEFAULT_MAX_SKEW_S
    #: `redis://…` for MsgId dedupe across processes (HUKOU_LOCK_STORE_URL); None: tracker.
    dedupe_url: str | None = None

    def to_credentials(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> ChannelConfig:
        data = dict(credentials or {})
        if not data.get("token"):
            raise RuntimeFailure("the WeChat channel needs a token in its credentials")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known and v is not None})


def _budget(env: Mapping[str, str], name: str) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return DEFAULT_REPLY_BUDGET_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < 5.0:
        raise RuntimeFailure(f"{name}={raw!r}: expected seconds between 0 and 5 (WeChat waits 5)")
    return value


def official_from_env(env: Mapping[str, str], dedupe_url: str | None) -> ChannelConfig | None:
    """The Official Account channel, or None when `WECHAT_TOKEN` is unset."""
    token = env.get("WECHAT_TOKEN", "").strip()
    if not token:
        return None
    aes_key = env.get("WECHAT_AES_KEY", "").strip()
    if aes_key and len(aes_key) != 43:
        raise RuntimeFailure("WECHAT_AES_KEY must be the 43-character EncodingAESKey")
    return ChannelConfig(
        token=token,
        app_id=env.get("WECHAT_APPID", "").strip(),
        secret=env.get("WECHAT_SECRET", "").strip(),
        aes_key=aes_key,
        api_base=(env.get("WECHAT_API_BASE", "").strip() or OFFICIAL_API_BASE).rstrip("/"),
        reply_budget_s=_budget(env, "WECHAT_REPLY_BUDGET_S"),
        dedupe_url=dedupe_url,
    )


def wecom_from_env(env: Mapping[str, str], dedupe_url: str | None) -> ChannelConfig | None:
    """The WeCom application channel, or None when `WECOM_TOKEN` is unset.

    WeCom callbacks are always encrypted: the CorpID and the EncodingAESKey are required.
    """
    token = env.get("WECOM_TOKEN", "").strip()
    if not token:
        return None
    corp_id = env.get("WECOM_CORP_ID", "").strip()
    aes_key = env.get("WECOM_AES_KEY", "").strip()
    if not corp_id or len(aes_key) != 43:
        raise RuntimeFailure(
            "WECOM_TOKEN is set: WECOM_CORP_ID and the 43-character WECOM_AES_KEY are needed too"
        )
    return ChannelConfig(
        token=token,
        app_id=corp_id,
        secret=env.get("WECOM_SECRET", "").strip(),
        aes_key=aes_key,
        agent_id=env.get("WECOM_AGENT_ID", "").strip(),
        api_base=(env.get("WECOM_API_BASE", "").strip() or WECOM_API_BASE).rstrip("/"),
        reply_budget_s=_budget(env, "WECOM_REPLY_BUDGET_S"),
        dedupe_url=dedupe_url,
    )
