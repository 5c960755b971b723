"""`hukou-assistant feedback`: the answers people rated in the web widget, read from the
tracker store (the `agent` events the socket.io channel appends, see
assistant.conversation_log). Reads the database directly with SQLAlchemy; no Rasa import.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from assistant.conversation_log import FEEDBACK_EVENT
from assistant.endpoints import tracker_store_config
from assistant.reporting import RuntimeFailure


def database_url(tracker_store_url: str | None, default_db: Path) -> Any:
    """The SQLAlchemy URL of the tracker store (`HUKOU_TRACKER_STORE_URL`)."""
    from sqlalchemy.engine import URL

    config = tracker_store_config(tracker_store_url, default_db)
    if config["dialect"] == "sqlite":
        return URL.create("sqlite", database=config["db"])
    return URL.create(
        "postgresql",
        username=config.get("username"),
        password=config.get("password"),
        host=config["url"],
        port=config["port"],
        database=config["db"],
        query=config.get("query") or {},
    )


def read_feedback(tracker_store_url: str | None, default_db: Path) -> list[dict[str, Any]]:
    """Every rating, the latest per conversation and answer, oldest first; each with
    `conversation` and `rated_at` added to what the event stores."""
    import sqlalchemy as sa

    config = tracker_store_config(tracker_store_url, default_db)
    if config["dialect"] == "sqlite" and not Path(config["db"]).exists():
        return []
    engine = sa.create_engine(database_url(tracker_store_url, default_db))
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            rows = connection.execute(
                sa.text(
                    "SELECT sender_id, timestamp, data FROM events "
                    "WHERE type_name = :kind ORDER BY id"
                ),
                {"kind": FEEDBACK_EVENT},
            ).fetchall()
    except sa.exc.SQLAlchemyError as err:
        raise RuntimeFailure(f"cannot read the tracker store: {err}") from err
    finally:
        engine.dispose()
    latest: dict[tuple[str, Any], dict[str, Any]] = {}
    for sender_id, timestamp, data in rows:
        try:
            feedback = (json.loads(data).get("data") or {}).get("feedback")
        except (ValueError, AttributeError):
            continue
        if isinstance(feedback, dict):
            entry = {"conversation": sender_id, "rated_at": timestamp, **feedback}
            latest.pop((sender_id, feedback.get("answer")), None)
            latest[(sender_id, feedback.get("answer"))] = entry
    return list(latest.values())


def format_entry(entry: dict[str, Any]) -> list[str]:
    """Readable lines for one rating."""
    when = entry.get("rated_at")
    stamp = (
        dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        if isinstance(when, (int, float))
        else "?"
    )
    citations = ", ".join(entry.get("citations") or []) or "-"
    lines = [
        f"{stamp}  {entry.get('rating')}  conversation {entry.get('conversation')}, "
        f"answer {entry.get('answer')}",
        f"  question: {entry.get('question') or '-'}",
        f"  answer:   {entry.get('topic')} / {entry.get('verdict')} ({citations})",
    ]
    if entry.get("comment"):
        lines.append(f"  comment:  {entry['comment']}")
    return lines
