"""Where the assistant listens and where it keeps conversations, read from the environment.

Environment variables: `PORT`, `ACTIONS_PORT`, `HUKOU_TRACKER_STORE_URL`,
`HUKOU_LOCK_STORE_URL`, `HUKOU_ALLOWED_ORIGINS`, `HUKOU_API_TOKEN`, `HUKOU_ACTIONS_URL`, the
`WECHAT_*` /
`WECOM_*` credentials of the messaging channels (assistant.wechat.config; see README.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.network import free_port
from assistant.origins import ENV_NAME as ORIGINS_ENV
from assistant.origins import parse_origins
from assistant.reporting import RuntimeFailure
from assistant.wechat.config import ChannelConfig, official_from_env, wecom_from_env

DEFAULT_PORT = 5005
#: Redis of the lock store (and of the shared rate limit, assistant.hardening.shared_rate).
LOCK_STORE_ENV = "HUKOU_LOCK_STORE_URL"
DEFAULT_ACTIONS_PORT = 5055


@dataclass(frozen=True)
class Settings:
    """Where the assistant listens and where it keeps conversations."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    actions_port: int = DEFAULT_ACTIONS_PORT
    tracker_store_url: str | None = None
    lock_store_url: str | None = None
    allowed_origins: tuple[str, ...] = ("*",)
    #: The token of Rasa's HTTP API (`/model/parse`, `/conversations/…`); None: a new
    #: random one at each start (assistant.supervision writes it to var/api_token).
    api_token: str | None = None
    #: Where the assistant calls the action server when it runs elsewhere (a Kubernetes
    #: Service: `HUKOU_ACTIONS_URL=http://hukou-actions:5055`); None: the local one.
    actions_base_url: str | None = None
    #: WeChat Official Account channel (enabled by `WECHAT_TOKEN`), WeCom channel.
    wechat: ChannelConfig | None = None
    wecom: ChannelConfig | None = None

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
    ) -> Settings:
        """Settings from `env` (default: os.environ); `host` and `port` given on the command
        line win over the environment. An empty variable counts as unset."""
        env = os.environ if env is None else env
        origins = parse_origins(env.get(ORIGINS_ENV))
        lock_store_url = env.get(LOCK_STORE_ENV) or None
        return cls(
            host=host or "127.0.0.1",
            port=port if port is not None else _env_port(env, "PORT", DEFAULT_PORT),
            actions_port=_env_port(env, "ACTIONS_PORT", DEFAULT_ACTIONS_PORT),
            tracker_store_url=env.get("HUKOU_TRACKER_STORE_URL") or None,
            lock_store_url=lock_store_url,
            allowed_origins=origins,
            api_token=env.get("HUKOU_API_TOKEN", "").strip() or None,
            actions_base_url=env.get("HUKOU_ACTIONS_URL", "").strip().rstrip("/") or None,
            wechat=official_from_env(env, lock_store_url),
            wecom=wecom_from_env(env, lock_store_url),
        )

    @property
    def local_host(self) -> str:
        """The address clients on this machine use (0.0.0.0 is not connectable)."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host

    @property
    def base_url(self) -> str:
        return f"http://{self.local_host}:{self.port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    @property
    def actions_url(self) -> str:
        """The action server, which listens where the assistant does (loopback by
        default: only the Rasa server of this machine calls it), or `actions_base_url`."""
        return self.actions_base_url or f"http://{self.local_host}:{self.actions_port}"


def _env_port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise RuntimeFailure(f"{name}={raw!r} is not a port number (1-65535)")
    return int(raw)


def temporary_settings(base: Settings) -> Settings:
    """Settings for a short-lived assistant on free ports (for `chat` / `ask`)."""
    return Settings(
        host="127.0.0.1",
        port=free_port(),
        actions_port=free_port(),
        tracker_store_url=base.tracker_store_url,
        lock_store_url=base.lock_store_url,
        allowed_origins=base.allowed_origins,
    )
