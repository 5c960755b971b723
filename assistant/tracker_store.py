"""Rasa's SQL tracker store on SQLite, in WAL mode (the embedded default's store).

In SQLite's default journal mode every commit syncs the file to disk (about 1 ms here);
Rasa commits once per message, while the Rasa server's event loop waits. In WAL mode with
`synchronous=NORMAL` a commit only appends to the write-ahead log: a crash of the
assistant (or a `kill -9`) loses nothing, only a crash of the whole machine may lose the
last commits; readers and the writer no longer block each other, so several processes
can share the file. SQLAlchemy opens and closes a SQLite connection for every session
(NullPool), and closing the last connection of a WAL database checkpoints it (syncing
again): the store keeps a small pool of open connections instead. `make bench` measured
the difference (README, "Measured").

Named in the generated endpoints.yml (`type: assistant.tracker_store.SQLiteTrackerStore`)
when `HUKOU_TRACKER_STORE_URL` is unset or `sqlite:///…`; PostgreSQL uses Rasa's own.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


class SQLiteTrackerStore(SQLTrackerStore):
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
