"""Rasa's SQL tracker store on SQLite, in WAL mode (the embedded default's store).

In SQLite's default journal mode every commit syncs the file to disk (about 1 ms here);
Rasa commits once per message, while the Rasa server's event loop waits. In WAL mode with
`synchronous=NORMAL` a commit only appends to the write-ahead log: a crash of the
assistant (or a `kill -9`) loses nothing, only a crash of the whole machine may lose the
last commits; readers and the writer no longer block each other, so several processes
can share the file. `make bench` measured the difference (README, "Measured").

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
    """SQLTrackerStore whose SQLite connections use WAL and synchronous=NORMAL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _set_pragmas)
            self.engine.dispose()  # connections made before the listener are not reused
