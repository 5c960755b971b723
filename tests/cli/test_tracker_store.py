"""The tracker stores of the generated endpoints, as Rasa creates them: conversations kept
across store instances (a restart), SQLite in WAL mode; every event stored once, in order,
counted only at a conversation's first save; a conversation read back with the store's own
statement as Rasa's query reads it (real SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from assistant.endpoints import write_endpoints
from assistant.paths import domain_path
from assistant.settings import Settings
from tests.required import unavailable


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


POSTGRES_URL = os.environ.get("HUKOU_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    psycopg2 = pytest.importorskip("psycopg2")
    parts = urlsplit(POSTGRES_URL)
    try:
        admin = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    except psycopg2.Error:
        message = f"no PostgreSQL at {POSTGRES_URL} (HUKOU_TEST_POSTGRES_URL)"
        unavailable(message)
    admin.autocommit = True
    database = f"hukou_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    try:
        yield parts._replace(path=f"/{database}").geturl()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def test_turns_are_stored_once_in_order_counted_once(
    store_url: str, tmp_path: Path
) -> None:
    """As Rasa's processor uses the store: create or retrieve, add a turn, save."""
    endpoints = pytest.importorskip("rasa.utils.endpoints")
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    from assistant.tracker_store import FastSQLTrackerStore

    path = write_endpoints(Settings(tracker_store_url=store_url), tmp_path / "e.yml")
    config = endpoints.read_endpoint_config(str(path), "tracker_store")
    store = TrackerStore.create(config, Domain.load(str(domain_path())))
    assert isinstance(store, FastSQLTrackerStore)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda *args: statements.append(str(args[2]).lower()))

    async def turns() -> list[str]:
        for text in ("你好", "我想在丹东落户", "有工作"):
            tracker = await store.get_or_create_tracker("someone", append_action_listen=True)
            tracker.update(UserUttered(text))
            tracker.update(BotUttered(f"re: {text}"))
            await store.save(tracker)
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)  # a second save of the same turn adds only the new
        again = await TrackerStore.create(config, store.domain).retrieve("someone")
        assert again is not None
        return [e.type_name for e in again.events]

    stored = asyncio.run(turns())
    turn = ["user", "bot", "action"]
    assert stored == ["action", *turn, *turn, *turn]
    # counted once: when the new conversation's tracker is first saved
    assert len([s for s in statements if "count(" in s]) == 1


def test_a_conversation_is_read_back_as_rasa_reads_it(store_url: str, tmp_path: Path) -> None:
    """The latest session's events (all of them without a session start), in order."""
    endpoints = pytest.importorskip("rasa.utils.endpoints")
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    path = write_endpoints(Settings(tracker_store_url=store_url), tmp_path / "e.yml")
    config = endpoints.read_endpoint_config(str(path), "tracker_store")
    domain = Domain.load(str(domain_path()))
    store = TrackerStore.create(config, domain)
    intent = {"name": "settlement_eligibility", "confidence": 0.9}

    def turn() -> list[Any]:  # new events: their time stamps follow those made before
        return [UserUttered("我想在丹东落户", intent), SlotSet("city", "dandong"),
                BotUttered("答复"), ActionExecuted("action_listen")]

    def session() -> list[Any]:
        return [ActionExecuted("action_session_start"), SessionStarted(), *turn()]

    conversations = {
        "no session start": [ActionExecuted("action_listen"), *turn(), *turn()],
        "two sessions": [*session(), *session()],
    }

    async def read() -> list[Any]:
        for sender, events in conversations.items():
            tracker = DialogueStateTracker(sender, domain.slots)
            for event in events:
                tracker.update(event)
            await store.save(tracker)
        readings = []
        for sender in [*conversations, "nobody"]:
            ours = await store.retrieve(sender)
            rasas = await SQLTrackerStore.retrieve(store, sender)
            readings.append((ours and list(ours.events), rasas and list(rasas.events),
                             ours and ours.current_slot_values()))
        return readings

    (plain, plain_rasa, slots), (two, two_rasa, _), (nobody, nobody_rasa, _) = asyncio.run(read())
    assert plain == plain_rasa and len(plain) == 9 and slots["city"] == "dandong"
    assert two == two_rasa and two[0] == SessionStarted() and len(two) == 5
    assert nobody is None and nobody_rasa is None


def test_sqlite_stores_the_rows_rasa_stores(tmp_path: Path) -> None:
    """The same rows (ids, columns, in order) as Rasa's ORM save, turn after turn."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from assistant.tracker_store import SQLiteTrackerStore

    domain = Domain.load(str(domain_path()))
    parse = {"intent": {"name": "settlement_eligibility", "confidence": 0.9},
             "entities": [], "text": "我想在丹东落户"}
    turns = [[ActionExecuted("action_listen")],
             [UserUttered("我想在丹东落户", parse["intent"], parse_data=parse),
              SlotSet("city", "dandong"), ActionExecuted("action_policy_answer"),
              BotUttered("答复", {"custom": {"type": "policy_answer"}}),
              ActionExecuted("action_listen")],
             [], [UserUttered("hi"), ActionExecuted("action_listen")]]

    async def stored(save: Any, db: Path) -> list[Any]:
        store = SQLiteTrackerStore(domain=domain, dialect="sqlite", db=str(db))
        for sender in ("someone", "another"):
            tracker = DialogueStateTracker(sender, domain.slots)
            for events in turns:
                for event in events:
                    tracker.update(event)
                await save(store, tracker)
        with store.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(
                sa.text("SELECT * FROM events ORDER BY id"))]

    ours = asyncio.run(stored(SQLiteTrackerStore.save, tmp_path / "ours.db"))
    rasas = asyncio.run(stored(SQLTrackerStore.save, tmp_path / "rasa.db"))
    assert ours == rasas and len(ours) == 16
