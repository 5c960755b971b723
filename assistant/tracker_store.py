"""Rasa's SQL tracker store, without three costs of every turn (measured by `make bench`).

Every retrieval: Rasa builds its query of the latest session's events anew with
SQLAlchemy's ORM and loads each row as an ORM object (0.8 ms for a conversation of 23
events here). `FastSQLTrackerStore` reads the `data` column with one statement built once,
the same SQL (the sender's events since its latest `session_started`, or all of them when
there is none, in the order of their ids: 0.15 ms), and builds the tracker as Rasa does.

Every save: Rasa counts with its ORM query the events of the conversation's session
already stored, to store only the new ones. The tracker it saves is the one it retrieved a
moment before, under the conversation's lock (one turn at a time, whichever process has
it): `FastSQLTrackerStore` notes on the tracker how many of its events the store holds
when it retrieves or saves it, and counts (with a statement built once, the same SQL)
only for a tracker it has not seen: a new conversation's, which Rasa creates and saves
through its wrapper of the store. Rasa's count was about 7 % of the Rasa server's CPU
under load.

SQLite (the embedded default): in SQLite's default journal mode every commit syncs the file
to disk (about 1 ms here); Rasa commits once per message, while the Rasa server's event
loop waits. In WAL mode with `synchronous=NORMAL` a commit only appends to the write-ahead
log: a crash of the assistant (or a `kill -9`) loses nothing, only a crash of the whole
machine may lose the last commits; readers and the writer no longer block each other, so
several processes can share the file. SQLAlchemy opens and closes a SQLite connection for
every session (NullPool), and closing the last connection of a WAL database checkpoints it
(syncing again): `SQLiteTrackerStore` keeps a small pool of open connections instead. It
also stores a turn's new events with one prepared INSERT run for each of them in order
(the same rows Rasa's ORM objects make, with the same ascending ids), not through the
ORM's unit of work: 0.7 ms instead of 2-2.6 ms for a turn of five events (PostgreSQL keeps
Rasa's ORM insert).

Named in the generated endpoints.yml (assistant.endpoints): `SQLiteTrackerStore` when
`HUKOU_TRACKER_STORE_URL` is unset or `sqlite:///…`, `FastSQLTrackerStore` for
PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

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


class FastSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that reads with one statement built once and knows how many events
    of a tracker it has stored (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(events.c.sender_id == sender,
                   events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        in_latest_session = sa.and_(
            events.c.sender_id == sender,
            sa.or_(events.c.timestamp >= session_start, session_start.is_(None)),
        )
        self._latest_session = (
            sa.select(events.c.data).where(in_latest_session).order_by(events.c.id)
        )
        self._latest_session_size = (
            sa.select(sa.func.count()).select_from(events).where(in_latest_session)
        )

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = session.execute(self._latest_session, {"sender_id": sender_id}).scalars()
            serialised = [json.loads(data) for data in rows]
        if not self.domain or not serialised:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, serialised, self.domain.slots)
        # the events of the session, every one of them read from the store
        setattr(tracker, _STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        setattr(tracker, _STORED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        stored = getattr(tracker, _STORED, None)
        if stored is None:  # a new conversation's tracker, made by Rasa's store wrapper
            stored = session.execute(
                self._latest_session_size, {"sender_id": tracker.sender_id}
            ).scalar_one()
        return itertools.islice(tracker.events, stored, len(tracker.events))


class SQLiteTrackerStore(FastSQLTrackerStore):
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
        self._insert = self.SQLEvent.__table__.insert()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `SQLTrackerStore.save`, the new events inserted without the ORM."""
        if self.engine.dialect.name != "sqlite":
            await super().save(tracker)
            return
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, event)
                    for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self._insert, rows)
            session.commit()
        setattr(tracker, _STORED, len(tracker.events))


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """The columns Rasa's `SQLTrackerStore.save` gives an event's row."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
