"""Endpoints generated from the environment (tracker store, lock store, action server)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from assistant.endpoints import (
    endpoints_config,
    lock_store_config,
    tracker_store_config,
    write_endpoints,
)
from assistant.paths import ROOT, VAR
from assistant.reporting import RuntimeFailure
from assistant.settings import Settings


def test_settings_defaults_and_env() -> None:
    assert Settings.from_env({}) == Settings()
    s = Settings.from_env(
        {
            "PORT": "6005",
            "ACTIONS_PORT": "6055",
            "HUKOU_ALLOWED_ORIGINS": "https://a.cn, https://b.cn",
        }
    )
    assert (s.port, s.actions_port) == (6005, 6055)
    assert s.allowed_origins == ("https://a.cn", "https://b.cn")
    assert Settings.from_env({"PORT": "6005"}, port=7005, host="0.0.0.0").port == 7005
    assert Settings(host="0.0.0.0").base_url == "http://127.0.0.1:5005"


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_bad_port_is_a_clear_error(value: str) -> None:
    with pytest.raises(RuntimeFailure, match="PORT"):
        Settings.from_env({"PORT": value})


def test_default_tracker_store_is_sqlite(tmp_path: Path) -> None:
    assert tracker_store_config(None, tmp_path / "t.db") == {
        "type": "assistant.tracker_store.SQLiteTrackerStore",
        "dialect": "sqlite",
        "db": str(tmp_path / "t.db"),
    }


def test_sqlite_urls_follow_sqlalchemy() -> None:
    absolute = tracker_store_config("sqlite:////tmp/x/tracker.db", Path("unused"))
    assert absolute["db"] == "/tmp/x/tracker.db"
    relative = tracker_store_config("sqlite:///var/other.db", Path("unused"))
    assert relative["db"] == str(ROOT / "var" / "other.db")


def test_postgresql_url_is_split() -> None:
    config = tracker_store_config(
        "postgresql://hukou:p%40ss@db.example:5433/conversations?sslmode=require", Path("x")
    )
    assert config == {
        "type": "assistant.tracker_store.FastSQLTrackerStore",
        "dialect": "postgresql",
        "url": "db.example",
        "port": 5433,
        "db": "conversations",
        "username": "hukou",
        "password": "p@ss",
        "query": {"sslmode": "require"},
    }
    assert tracker_store_config("postgres://h/db", Path("x"))["port"] == 5432


@pytest.mark.parametrize(
    "url", ["mysql://h/db", "sqlite://", "postgresql://user:secret@/db", "postgresql://h"]
)
def test_bad_tracker_store_url(url: str) -> None:
    with pytest.raises(RuntimeFailure, match="HUKOU_TRACKER_STORE_URL") as err:
        tracker_store_config(url, Path("x"))
    assert "secret" not in str(err.value)


def test_lock_store_url() -> None:
    assert lock_store_config(None) is None
    assert lock_store_config("redis://:pw@cache:6380/2") == {
        "type": "redis",
        "url": "cache",
        "port": 6380,
        "db": 2,
        "password": "pw",
    }
    assert lock_store_config("rediss://cache") == {
        "type": "redis",
        "url": "cache",
        "port": 6379,
        "db": 0,
        "use_ssl": True,
    }
    with pytest.raises(RuntimeFailure, match="HUKOU_LOCK_STORE_URL"):
        lock_store_config("memcached://cache")


def test_write_endpoints(tmp_path: Path) -> None:
    settings = Settings(
        actions_port=6123,
        tracker_store_url="postgresql://u:secret@h:5432/db",
        lock_store_url="redis://r:6379/1",
    )
    path = write_endpoints(settings, tmp_path / "sub" / "endpoints.yml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert written["action_endpoint"] == {"url": "http://127.0.0.1:6123/webhook"}
    assert written["tracker_store"]["password"] == "secret"
    assert written["lock_store"]["url"] == "r"


def test_default_endpoints_have_no_lock_store(tmp_path: Path) -> None:
    path = write_endpoints(Settings(), tmp_path / "endpoints.yml")
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "lock_store" not in written
    assert written["tracker_store"]["db"] == str(tmp_path / "tracker.db")


def test_rasa_reads_the_generated_endpoints(tmp_path: Path) -> None:
    """Rasa's own reader accepts the file (keys land where its stores expect them)."""
    endpoints = pytest.importorskip("rasa.utils.endpoints")
    path = write_endpoints(
        Settings(tracker_store_url="postgresql://u:pw@h:5433/db"), tmp_path / "e.yml"
    )
    tracker = endpoints.read_endpoint_config(str(path), "tracker_store")
    assert tracker.type == "assistant.tracker_store.FastSQLTrackerStore"
    assert tracker.url == "h"
    assert tracker.kwargs == {
        "dialect": "postgresql",
        "port": 5433,
        "db": "db",
        "username": "u",
        "password": "pw",
    }
    action = endpoints.read_endpoint_config(str(path), "action_endpoint")
    assert action.url == "http://127.0.0.1:5055/webhook"


def test_template_matches_generated_defaults() -> None:
    template = yaml.safe_load((ROOT / "assistant" / "endpoints.yml").read_text())
    generated = endpoints_config(Settings(), VAR / "tracker.db")
    assert template["action_endpoint"] == generated["action_endpoint"]
    assert template["tracker_store"]["dialect"] == generated["tracker_store"]["dialect"]
