"""The message API client against the fake WeChat API on a loopback port: the token is
fetched once, shared by concurrent senders, refreshed before expiry and once on 40001."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from assistant.wechat.api import REFRESH_MARGIN_S, ApiError, MessageApi
from assistant.wechat.config import ChannelConfig

from ..fake_api import FakeWeChat


@pytest.fixture
def fake() -> Iterator[FakeWeChat]:
    with FakeWeChat() as server:
        server.add_account("wx1", "s1")
        server.add_account("ww1", "cs1")
        yield server


def official(fake: FakeWeChat, secret: str = "s1") -> ChannelConfig:
    return ChannelConfig(token="t", app_id="wx1", secret=secret, api_base=fake.base_url)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_sends_fetch_one_token(fake: FakeWeChat) -> None:
    fake.state.token_delay_s = 0.3  # the refresh is in progress while the others arrive

    async def run() -> None:
        api = MessageApi(official(fake), "official")
        await asyncio.gather(*(api.send_text(f"user-{i}", "你好") for i in range(10)))
        await api.close()

    asyncio.run(run())
    assert fake.state.token_requests == 1
    assert len(fake.state.sent) == 10


def test_token_is_refreshed_before_it_expires(fake: FakeWeChat) -> None:
    clock = Clock()

    async def run() -> list[str]:
        api = MessageApi(official(fake), "official", clock=clock)
        tokens = [await api.token()]
        clock.now += 7200 - REFRESH_MARGIN_S - 1
        tokens.append(await api.token())  # still valid for a while: cached
        clock.now += 2
        tokens.append(await api.token())  # in the margin: refreshed
        await api.close()
        return tokens

    first, cached, refreshed = asyncio.run(run())
    assert first == cached != refreshed
    assert fake.state.token_requests == 2


def test_expired_token_is_refreshed_once_and_the_message_sent(fake: FakeWeChat) -> None:
    async def run() -> MessageApi:
        api = MessageApi(official(fake), "official")
        await api.send_text("user-a", "one")
        fake.expire_current_tokens()
        await asyncio.gather(api.send_text("user-b", "two"), api.send_text("user-c", "three"))
        await api.close()
        return api

    api = asyncio.run(run())
    assert fake.state.token_requests == 2 and api.refreshes == 2
    assert sorted(s.content for s in fake.state.sent) == ["one", "three", "two"]


def test_a_refused_secret_is_an_error(fake: FakeWeChat) -> None:
    async def run() -> None:
        api = MessageApi(official(fake, secret="wrong"), "official")
        try:
            await api.send_text("user", "x")
        finally:
            await api.close()

    with pytest.raises(ApiError) as error:
        asyncio.run(run())
    assert error.value.errcode == 40013


def test_other_errors_are_not_retried(fake: FakeWeChat) -> None:
    async def run() -> None:
        api = MessageApi(official(fake), "official")
        try:
            await api.send_text("user", "户" * 700)  # 2100 bytes: over WeChat's limit
        finally:
            await api.close()

    with pytest.raises(ApiError) as error:
        asyncio.run(run())
    assert error.value.errcode == 45002 and fake.state.token_requests == 1


def test_wecom_uses_gettoken_and_the_application_message_api(fake: FakeWeChat) -> None:
    config = ChannelConfig(token="t", app_id="ww1", secret="cs1", agent_id="1000002",
                           api_base=fake.base_url)

    async def run() -> None:
        api = MessageApi(config, "wecom")
        await api.send_text("zhangsan", "你好")
        await api.close()

    asyncio.run(run())
    assert [(s.api, s.user, s.content) for s in fake.state.sent] == [("wecom", "zhangsan", "你好")]


def test_unreachable_api_is_an_error() -> None:
    config = ChannelConfig(token="t", app_id="wx1", secret="s1", api_base="http://127.0.0.1:9")

    async def run() -> None:
        api = MessageApi(config, "official")
        try:
            await api.token()
        finally:
            await api.close()

    with pytest.raises(ApiError):
        asyncio.run(run())
