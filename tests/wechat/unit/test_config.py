"""The channels' variables, the generated credentials.yml, and the channel wording."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.cli import _messaging_lines
from assistant.credentials import WECHAT_CHANNEL, WECOM_CHANNEL, write_credentials
from assistant.presentation import channel_wording
from assistant.reporting import RuntimeFailure
from assistant.settings import Settings
from assistant.wechat.config import OFFICIAL_API_BASE, WECOM_API_BASE, ChannelConfig

KEY = "k" * 43


def test_channels_are_off_without_their_token() -> None:
    settings = Settings.from_env({"WECHAT_APPID": "wx1", "WECOM_CORP_ID": "ww1"})
    assert settings.wechat is None and settings.wecom is None


def test_official_account_from_env() -> None:
    settings = Settings.from_env({
        "WECHAT_TOKEN": "tok", "WECHAT_APPID": "wx1", "WECHAT_SECRET": "sec",
        "WECHAT_AES_KEY": KEY, "HUKOU_LOCK_STORE_URL": "redis://r:6379/1",
    })
    assert settings.wechat == ChannelConfig(
        token="tok", app_id="wx1", secret="sec", aes_key=KEY, api_base=OFFICIAL_API_BASE,
        dedupe_url="redis://r:6379/1",
    )


def test_api_base_and_budget_can_be_set() -> None:
    config = Settings.from_env({
        "WECHAT_TOKEN": "tok", "WECHAT_API_BASE": "http://127.0.0.1:9999/",
        "WECHAT_REPLY_BUDGET_S": "0",
    }).wechat
    assert config is not None
    assert config.api_base == "http://127.0.0.1:9999" and config.reply_budget_s == 0.0


@pytest.mark.parametrize(
    "env",
    [
        {"WECHAT_TOKEN": "t", "WECHAT_AES_KEY": "short"},
        {"WECHAT_TOKEN": "t", "WECHAT_REPLY_BUDGET_S": "6"},
        {"WECHAT_TOKEN": "t", "WECHAT_REPLY_BUDGET_S": "soon"},
        {"WECOM_TOKEN": "t", "WECOM_AES_KEY": KEY},  # no CorpID
        {"WECOM_TOKEN": "t", "WECOM_CORP_ID": "ww1"},  # no key: WeCom always encrypts
    ],
)
def test_bad_values_are_clear_errors(env: dict[str, str]) -> None:
    with pytest.raises(RuntimeFailure):
        Settings.from_env(env)


def test_wecom_from_env() -> None:
    config = Settings.from_env({
        "WECOM_TOKEN": "tok", "WECOM_CORP_ID": "ww1", "WECOM_AES_KEY": KEY,
        "WECOM_SECRET": "sec", "WECOM_AGENT_ID": "1000002",
    }).wecom
    assert config == ChannelConfig(token="tok", app_id="ww1", secret="sec", aes_key=KEY,
                                   agent_id="1000002", api_base=WECOM_API_BASE)


def test_credentials_name_the_channels_that_are_on(tmp_path: Path) -> None:
    settings = Settings.from_env({"WECHAT_TOKEN": "tok", "WECHAT_APPID": "wx1"})
    path = write_credentials(settings, tmp_path / "credentials.yml")
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    # the guarded REST channel and the web widget's socket.io channel stay on
    assert "assistant.hardening.rest.RestInput" in config
    assert "assistant.socket_channel.SocketIOInput" in config
    assert ChannelConfig.from_credentials(config[WECHAT_CHANNEL]) == settings.wechat
    assert WECOM_CHANNEL not in config
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds the secrets

    off = yaml.safe_load(write_credentials(Settings(), tmp_path / "c2.yml").read_text())
    assert WECHAT_CHANNEL not in off


def _keys(node: Any, prefix: str = "") -> set[str]:
    if not isinstance(node, dict):
        return {prefix}
    return {k for key, value in node.items() for k in _keys(value, f"{prefix}/{key}")}


def test_channel_wording_has_the_same_keys_in_both_languages() -> None:
    assert _keys(channel_wording("zh")) == _keys(channel_wording("en"))
    assert "{number}" in channel_wording("zh")["wechat"]["full_clause_hint"]
    assert "{number}" in channel_wording("en")["wechat"]["full_clause_hint"]


def test_run_prints_the_callback_urls_of_the_channels_that_are_on() -> None:
    assert _messaging_lines(Settings()) == []
    lines = _messaging_lines(Settings.from_env({
        "WECHAT_TOKEN": "t", "WECHAT_AES_KEY": KEY,
        "WECOM_TOKEN": "t", "WECOM_CORP_ID": "ww1", "WECOM_AES_KEY": KEY,
    }))
    assert "http://127.0.0.1:5005/webhooks/wechat/webhook" in lines[0]
    assert "http://127.0.0.1:5005/webhooks/wecom/webhook" in lines[1]
