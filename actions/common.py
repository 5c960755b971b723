"""What every action needs: the reply language and the typed facts of the conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from assistant.nlu.language import detect_lang
from assistant.parse_data import FACTS, ORIGIN_PLACE
from policies import implied_facts, load_rules
from policies.loader import PROVINCES

from .wording import LANGS

DEFAULT_LANG = "zh"
TWO_STAGE_FALLBACK = "action_two_stage_fallback"


def reply_lang(tracker: Tracker) -> str:
    """The language of the user's last message.

    A button payload (`/inform{…}`) carries no language, so it keeps the current one.
    """
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith("/"):
        current = tracker.get_slot("lang")
        return current if current in LANGS else DEFAULT_LANG
    return detect_lang(text)


def latest_intent(tracker: Tracker) -> str | None:
    intent: str | None = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
    return intent


def fact_types() -> dict[str, str]:
    """Fact name -> type (bool, number, enum, place), from policies/data/facts.yml."""
    return {name: fact.type for name, fact in load_rules().facts.items()}


def place_province(place_id: str) -> str | None:
    """The province of a place id; None for an unknown place or one outside the two."""
    place = load_rules().places.get(place_id)
    if place is None or place.province not in PROVINCES:
        return None
    return str(place.province)


def gather_facts(tracker: Tracker) -> tuple[dict[str, Any], list[EventType]]:
    """Typed facts from the slots and the latest message, and the slot events that store them.

    The fact slots hold only what an action stored there: the typed facts of earlier
    messages (domain.yml gives them no entity mapping, so that an entity the NLU could not
    read as a fact, "没有租房" tagged as a lease, never fills one). The latest message's
    facts replace them, and the earlier facts that what they imply contradicts. A city
    named without its province (or a province without a city) replaces the other one, so
    that "那沈阳呢？" after a Shandong city asks about Liaoning. A place named only as where
    the person comes from or someone else is counts only when no place is known yet.
    When the latest message clarifies one the assistant did not understand, the facts of
    that one count too (see `clarified_message`).
    """
    types = fact_types()
    slots = {name: tracker.get_slot(name) for name in types}
    slots = {name: value for name, value in slots.items() if value is not None}
    facts = dict(slots)

    unclear = clarified_message(tracker.events)
    if unclear is not None:
        facts.update(_message_facts(unclear, types))
    latest = _message_facts(tracker.latest_message, types)
    # "btw my hometown is Heze" keeps the place asked about; told first, it is the place
    origin = (tracker.latest_message.get(FACTS) or {}).get(ORIGIN_PLACE)
    if origin is not None and "city" not in latest and "city" not in facts:
        latest["city"] = origin
    facts.update(latest)
    # an earlier fact that what the latest message says contradicts gives way ("单位好像没给交
    # 社保", then "其实一直在交，交了五年多了": five years of insurance is insurance); where
    # the person wants to go (`move_to`) is said, not implied by a job
    for name, value in implied_facts(latest).items():
        if name != "move_to" and name in slots and name not in latest and slots[name] != value:
            facts.pop(name)
    # a fact the latest message withdraws ("actually I don't rent") is no longer known
    facts = {name: value for name, value in facts.items() if value is not None}

    if "city" in latest and "province" not in latest:
        facts.pop("province", None)
    if "province" in latest and "city" not in latest and "city" in facts:
        if place_province(str(facts["city"])) != latest["province"]:
            facts.pop("city")

    events: list[EventType] = [
        SlotSet(name, facts.get(name)) for name in types if facts.get(name) != slots.get(name)
    ]
    return facts, events


def payload_entities(message: dict[str, Any]) -> dict[str, Any] | None:
    """The entities of a button's payload (`/inform{"residence":"owned"}`), name -> value, or
    None for a message the NLU read: a payload passes no NLU, so its parse data holds no
    `facts`."""
    if FACTS in message:
        return None
    return {str(e.get("entity")): e.get("value") for e in message.get("entities") or []}


def _message_facts(message: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """The facts a message states: as the NLU read them (its `facts`), or, for a button's
    payload, which carries typed facts, those that are values of their fact (anyone can type
    a payload)."""
    payload = payload_entities(message)
    if payload is None:
        found = message[FACTS] or {}
    else:
        rules = load_rules()
        found = {name: value for name, value in payload.items() if rules.accepts(name, value)}
    return {name: value for name, value in found.items() if name in types}


def clarified_message(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The unclear message that the latest user message clarifies, if it clarifies one.

    After "did you mean …?", a person often goes on with a new message instead of a button
    ("I'd like to move my hukou to Benxi" → "I have a job there, own a flat …"). Rasa's
    two-stage fallback then rewinds and replays the new message in place of the unclear
    one, and the slots the unclear one set (Benxi) are dropped with it. The events still
    hold it: the user message just before the fallback loop started, when the loop ended
    with a rewind right before the latest message.
    """
    kinds = [event.get("event") for event in events]
    if "rewind" not in kinds:
        return None
    rewind = len(kinds) - 1 - kinds[::-1].index("rewind")
    later_users = [i for i in range(rewind, len(events)) if kinds[i] == "user"]
    replaced = next((i for i in range(rewind - 1, -1, -1) if kinds[i] == "user"), None)
    if (
        len(later_users) != 1
        or replaced is None
        or events[replaced].get("text") != events[later_users[0]].get("text")
        or "bot" in kinds[replaced:rewind]
    ):
        return None  # not a replayed clarification (the fallback gave up, or a later turn)
    loop_started = next(
        (
            i
            for i in range(rewind - 1, -1, -1)
            if kinds[i] == "active_loop" and events[i].get("name") == TWO_STAGE_FALLBACK
        ),
        None,
    )
    if loop_started is None or any(
        kinds[i] == "active_loop" and events[i].get("name") is not None
        for i in range(loop_started + 1, rewind)
    ):
        return None
    unclear = next((i for i in range(loop_started - 1, -1, -1) if kinds[i] == "user"), None)
    if unclear is None:
        return None
    message: dict[str, Any] = events[unclear].get("parse_data") or {}
    return {"text": events[unclear].get("text"), "entities": message.get("entities") or [],
            **({FACTS: message[FACTS]} if FACTS in message else {})}


def contacts(facts: dict[str, Any], lang: str) -> dict[str, str]:
    """`office`, `hotline` and `contact` of policies/data/offices.yml for a reply.

    The office is the city's public security bureau when the city is one the policies
    cover, else the household registration desk of the local police station.
    """
    rules = load_rules()
    office = rules.offices["police_station"].name.get(lang)
    city = facts.get("city")
    place = rules.places.get(str(city)) if city is not None else None
    if place is not None and place.province in PROVINCES and place.kind != "province":
        office = (
            rules.offices["city_public_security"].name.get(lang).format(city=getattr(place, lang))
        )
    hotline = rules.offices["hotline_12345"]
    contact = hotline.contact.get(lang) if hotline.contact else hotline.name.get(lang)
    return {"office": office, "hotline": hotline.name.get(lang), "contact": contact}
