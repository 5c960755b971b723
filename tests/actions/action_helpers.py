"""Helpers for action tests: a realistic tracker, running an action, reading its output."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import jsonschema
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.nlu.fact_reader import language_asked, replies, term_asked
from assistant.nlu.facts import labels
from assistant.parse_data import FACTS, LANGUAGE, QUESTION_KINDS, REPLY, TERM
from policies import load_rules

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "policies" / "schema" / "answer.schema.json"
ACTION_SLOTS = ("topic", "pending_topic", "requested_fact", "lang", "term")


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    ranking: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    *,
    facts: dict[str, Any] | None = None,
    kinds: list[str] | None = None,
    confidence: float = 0.9,
) -> Tracker:
    """A tracker as the action server receives it after `text` was parsed.

    The fact slots hold what `slots` gives (what actions stored in earlier turns); the
    message's entities fill none (the domain maps no entity to a fact slot). `facts` and
    `kinds`: what the NLU's FactReader read (parse keys `facts`, `question_kinds`); without
    `facts`, the entities' values, which are then typed values. A text starting with "/"
    is a button's payload, which passes no NLU: its parse data holds only its entities.
    """
    entities = entities or []
    known = load_rules().facts
    all_slots: dict[str, Any] = {name: None for name in (*known, *ACTION_SLOTS)}
    all_slots.update(slots or {})
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities,
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    if not text.startswith("/"):
        latest[FACTS] = facts if facts is not None else {
            e["entity"]: e["value"] for e in entities if e["entity"] in known}
        # (what the FactReader also reads of any message: whether it asks anything, says
        # the person does not know, or turns to another subject; its answer to a question
        # about each fact; the term and the language it asks for)
        latest[QUESTION_KINDS] = [*(kinds or []), *labels(text)]
        latest[REPLY] = replies(text)
        latest[TERM] = term_asked(text, entities)
        latest[LANGUAGE] = language_asked(entities)
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": all_slots,
            "latest_message": latest,
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def entity(name: str, value: Any, text: str | None = None) -> dict[str, Any]:
    """An entity as DIET + the synonym mapper return it (offsets do not matter here)."""
    return {
        "entity": name,
        "value": value,
        "start": 0,
        "end": len(text or str(value)),
        "extractor": "DIETClassifier",
    }


def run(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("text")]


def payloads(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if m.get("custom")]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """name -> value of the SlotSet events (the last one wins, as in Rasa)."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def validate(payload: dict[str, Any]) -> None:
    """Checks a payload against policies/schema/answer.schema.json."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(payload, schema)
