"""The REAL assistant with the WeChat and WeCom channels on, against the fake WeChat API.

Two assistants (each its action server and Rasa server, as `hukou-assistant run` starts
them) share one SQLite tracker store and Redis (`HUKOU_LOCK_STORE_URL`, also the MsgId
dedupe): `primary` answers within WeChat's reply budget as configured by default (4.5 s);
`late` has a budget of 0 s (`WECHAT_REPLY_BUDGET_S=0`), so that every answer of it is late
and goes out through the customer-service API. Without Redis on `HUKOU_TEST_REDIS_URL` (default
redis://127.0.0.1:6379/0) only `primary` runs, deduping in the tracker store, and the tests
that need two processes are skipped.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from assistant.network import free_port
from assistant.paths import MODEL_PATH, VAR
from assistant.settings import Settings
from assistant.supervision import Assistant
from assistant.wechat.config import ChannelConfig
from tests.required import unavailable

from ..fake_api import Callback, FakeWeChat, message_xml, open_reply, signed_callback

TOKEN = "hukou-e2e-token"
REPLY_LINE = re.compile(
    r"(wechat|wecom) reply mode=(\w+) latency_ms=(\d+) parts=(\d+) what=answer reason=(\w+)"
)


def aes_key() -> str:
    """A random EncodingAESKey: 32 bytes in base64 without the trailing `=` (43 chars)."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")


def redis_url() -> str | None:
    url = os.environ.get("HUKOU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


@dataclass
class Instance:
    """One running assistant and where its log is."""

    settings: Settings
    log_dir: Path

    def url(self, channel: str) -> str:
        return f"{self.settings.base_url}/webhooks/{channel}/webhook"

    def stats(self, channel: str) -> dict[str, Any]:
        body: dict[str, Any] = requests.get(
            f"{self.settings.base_url}/webhooks/{channel}/", timeout=10
        ).json()
        return body


@dataclass
class Rig:
    fake: FakeWeChat
    wechat: ChannelConfig
    wecom: ChannelConfig
    primary: Instance
    late: Instance | None
    redis_url: str | None
    instances: list[Instance] = field(default_factory=list)
    #: how many API messages to each user `answer` has returned already
    seen: dict[str, int] = field(default_factory=dict)

    def post(self, callback: Callback, channel: str = "wechat",
             instance: Instance | None = None) -> requests.Response:
        target = instance or self.primary
        return requests.post(
            target.url(channel), params=callback.params, data=callback.body, timeout=30
        )

    def ask(self, text: str, *, sender: str | None = None, encrypted: bool = False,
            instance: Instance | None = None, msg_id: int | None = None,
            kind: str = "text", fields: dict[str, str] | None = None,
            ) -> tuple[requests.Response, str]:
        """Post a user's message to the Official Account; the response and the OpenID."""
        sender = sender or f"openid-{uuid.uuid4().hex[:12]}"
        fields = {"Content": text, **(fields or {})} if kind == "text" else fields or {}
        xml = message_xml(kind, sender, "gh_hukou", msg_id or new_msg_id(), fields)
        callback = signed_callback(
            TOKEN, xml, aes_key=self.wechat.aes_key if encrypted else None,
            app_id=self.wechat.app_id,
        )
        return self.post(callback, instance=instance), sender

    def reply_text(self, response: requests.Response, encrypted: bool = False) -> str:
        fields = open_reply(
            TOKEN, response.text, aes_key=self.wechat.aes_key if encrypted else None,
            app_id=self.wechat.app_id,
        )
        assert fields["MsgType"] == "text", fields
        return str(fields["Content"])

    def answer(self, response: requests.Response, sender: str, encrypted: bool = False,
               timeout: float = 60.0) -> list[str]:
        """What the user sees: the passive reply, or the messages sent through the API."""
        assert response.status_code == 200, response.text
        if response.text != "success":
            return [self.reply_text(response, encrypted)]
        seen = self.seen.get(sender, 0)
        self.fake.wait_for(sender, seen + 1, timeout)
        time.sleep(0.5)  # the other parts of a long answer follow at once
        sent = self.fake.sent_to(sender)
        self.seen[sender] = len(sent)
        return [s.content for s in sent[seen:]]


_MSG_IDS = iter(range(10**15 + secrets.randbelow(10**14), 10**16))
_MSG_LOCK = threading.Lock()


def new_msg_id() -> int:
    with _MSG_LOCK:
        return next(_MSG_IDS)


def _start_all(assistants: list[Assistant]) -> None:
    """Start the assistants one after the other, in this thread.

    Not in threads: a server is started with PR_SET_PDEATHSIG, which fires when the
    *thread* that started it ends.
    """
    try:
        for assistant in assistants:
            assistant.start()
    except BaseException:
        for assistant in assistants:
            assistant.stop()
        raise


def reply_figures(log_dirs: list[Path]) -> dict[str, Any]:
    """Share of passive replies and latencies of the assistant's answers, from the
    channel's log lines (the full clause texts, sent by the channel itself, not counted)."""
    modes: dict[str, list[int]] = {"passive": [], "deferred": []}
    reasons: dict[str, int] = {}
    for log_dir in log_dirs:
        text = (log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
        for match in REPLY_LINE.finditer(text):
            modes[match.group(2)].append(int(match.group(3)))
            if match.group(2) == "deferred":
                reasons[match.group(5)] = reasons.get(match.group(5), 0) + 1
    total = sum(len(v) for v in modes.values())

    def percentile(values: list[int], share: float) -> int | None:
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {
        "replies": total,
        "passive": len(modes["passive"]),
        "deferred": len(modes["deferred"]),
        "deferred_because": reasons,
        "passive_share": round(len(modes["passive"]) / total, 3) if total else None,
        "passive_latency_ms": {
            "p50": percentile(modes["passive"], 0.5),
            "p95": percentile(modes["passive"], 0.95),
            "max": max(modes["passive"], default=None),
        },
        "deferred_latency_ms": {
            "p50": percentile(modes["deferred"], 0.5),
            "max": max(modes["deferred"], default=None),
        },
    }


@pytest.fixture(scope="session")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    if not MODEL_PATH.exists():
        message = f"no trained model at {MODEL_PATH}: run `make train` (make test does)"
        unavailable(message)
    tmp = tmp_path_factory.mktemp("wechat")
    fake = FakeWeChat().start()
    suffix = uuid.uuid4().hex[:8]
    wechat = ChannelConfig(
        token=TOKEN, app_id=f"wx{suffix}", secret=f"secret-{suffix}", aes_key=aes_key(),
        api_base=fake.base_url,
    )
    wecom = ChannelConfig(
        token=TOKEN, app_id=f"ww{suffix}", secret=f"corpsecret-{suffix}", aes_key=aes_key(),
        agent_id="1000002", api_base=fake.base_url,
    )
    fake.add_account(wechat.app_id, wechat.secret)
    fake.add_account(wecom.app_id, wecom.secret)
    shared_redis = redis_url()
    tracker = f"sqlite:///{tmp / 'tracker.db'}"

    def instance(name: str, budget: float) -> tuple[Instance, Assistant]:
        settings = Settings(
            port=free_port(),
            actions_port=free_port(),
            tracker_store_url=tracker,
            lock_store_url=shared_redis,
            api_token=secrets.token_urlsafe(24),  # for reading trackers (HTTP API)
            wechat=replace(wechat, reply_budget_s=budget, dedupe_url=shared_redis),
            wecom=replace(wecom, reply_budget_s=budget, dedupe_url=shared_redis),
        )
        log_dir = tmp / name
        return Instance(settings, log_dir), Assistant(
            settings, endpoints_path=log_dir / "endpoints.yml", log_dir=log_dir
        )

    primary, primary_server = instance("primary", wechat.reply_budget_s)
    servers = [primary_server]
    late: Instance | None = None
    if shared_redis:
        late, late_server = instance("late", 0.0)
        servers.append(late_server)
    _start_all(servers)
    rig = Rig(fake, wechat, wecom, primary, late, shared_redis,
              [primary] + ([late] if late else []))
    try:
        yield rig
    finally:
        for server in servers:
            server.stop()
        fake.stop()
        if shared_redis:
            client = redis.Redis.from_url(shared_redis)
            for account in (wechat.app_id, wecom.app_id):
                keys = list(client.scan_iter(f"hukou:wechat:{account}:*"))
                if keys:
                    client.delete(*keys)
        figures = reply_figures([i.log_dir for i in rig.instances])
        figures["primary_only"] = reply_figures([primary.log_dir])
        VAR.mkdir(exist_ok=True)
        (VAR / "wechat_replies.json").write_text(json.dumps(figures, indent=2) + "\n")
        print(f"\nWeChat replies (var/wechat_replies.json): {json.dumps(figures)}")
        for inst in rig.instances:
            text = (inst.log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
            errors = [line for line in text.splitlines() if "Traceback" in line]
            if errors:
                print(f"\n{inst.log_dir}/rasa.log: {len(errors)} tracebacks")
