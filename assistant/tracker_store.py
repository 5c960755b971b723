"""Rasa's SQL tracker store, without two costs of every turn (both measured by `make bench`).

Every save: Rasa counts with a query the events of the conversation's session already
stored, to store only the new ones. The tracker it saves is the one it retrieved (or
created: then nothing of it is stored) a moment before, under the conversation's lock
(one turn at a time, whichever process has it): `CountingSQLTrackerStore` notes on the
tracker how many of its events the store holds when it retrieves, creates or saves it,
and counts with the query only for a tracker it has not seen. That count was about 7 % of
the Rasa server's CPU under load.

SQLite (the embedded default): in SQLite's default journal mode every commit syncs the file
to disk (about 1 ms here); Rasa commits once per message, while the Rasa server's event
loop waits. In WAL mode with `synchronous=NORMAL` a commit only appends to the write-ahead
log: a crash of the assistant (or a `kill -9`) loses nothing, only a crash of the whole
machine may lose the last commits; readers and the writer no longer block each other, so
several processes can share the file. SQLAlchemy opens and closes a SQLite connection for
every session (NullPool), and closing the last connection of a WAL database checkpoints it
(syncing again): `SQLiteTrackerStore` keeps a small pool of open connections instead.

Named in the generated endpoints.yml (assistant.endpoints): `SQLiteTrackerStore` when
`HUKOU_TRACKER_STORE_URL` is unset or `sqlite:///…`, `CountingSQLTrackerStore` for
PostgreSQL.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


#: The attribute of a tracker that holds how many of its events are stored.
_STORED = "_hukou_stored_events"


class CountingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that knows how many events of a tracker it has stored."""

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            # the events of the session, every one of them read from the store
            setattr(tracker, _STORED, len(tracker.events))
        return tracker

    async def create_tracker(
        self, sender_id: str, append_action_listen: bool = True
    ) -> DialogueStateTracker:
        # Rasa's, but the new tracker is known to have nothing stored: Rasa creates one
        # only when the store holds no event of `sender_id`
        tracker = self.init_tracker(sender_id)
        setattr(tracker, _STORED, 0)
        if append_action_listen:
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await self.save(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        setattr(tracker, _STORED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        stored = getattr(tracker, _STORED, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


class SQLiteTrackerStore(CountingSQLTrackerStore):
    """SQLTrackerStore whose SQLite connections stay open, in WAL, synchronous=NORMAL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]  # untyped in Rasa
        if engine.dialect.name != "sqlite":
            return
        url = engine.url
        engine.dispose()
        # Rasa uses the store from the event loop's thread; check_same_thread=False lets
        # the pool hand a connection to another thread too (one thread at a time).
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, pool_size=4, max_overflow=8,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _set_pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
