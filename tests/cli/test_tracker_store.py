"""The SQLite tracker store of the generated endpoints, as Rasa creates it: conversations
kept across store instances (a restart), the file in WAL mode."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from assistant.endpoints import write_endpoints
from assistant.paths import domain_path
from assistant.settings import Settings


def test_rasa_creates_the_wal_store_and_keeps_conversations(tmp_path: Path) -> None:
    endpoints = pytest.importorskip("rasa.utils.endpoints")
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from assistant.tracker_store import SQLiteTrackerStore

    db = tmp_path / "tracker.db"
    path = write_endpoints(Settings(tracker_store_url=f"sqlite:///{db}"), tmp_path / "e.yml")
    config = endpoints.read_endpoint_config(str(path), "tracker_store")
    domain = Domain.load(str(domain_path()))

    store = TrackerStore.create(config, domain)
    assert isinstance(store, SQLiteTrackerStore)
    tracker = DialogueStateTracker("someone", domain.slots)
    tracker.update(UserUttered("我想在丹东落户"))
    asyncio.run(store.save(tracker))

    again = TrackerStore.create(config, domain)  # as after a restart
    kept = asyncio.run(again.retrieve("someone"))
    assert kept is not None and kept.latest_message is not None
    assert kept.latest_message.text == "我想在丹东落户"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
