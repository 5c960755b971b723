"""What every action needs: the reply language and the typed facts of the conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from assistant.nlu.facts import interpret_entities
from assistant.nlu.language import detect_lang
from policies import load_rules
from policies.loader import PROVINCES

from .wording import LANGS

DEFAULT_LANG = "zh"


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

    Slots filled by `from_entity` mappings hold the raw entity values (a span such as
    "五年" or "沈阳" when DIET did not normalise it); they are interpreted again here and
    stored back typed, and a value that cannot be interpreted is dropped, never guessed.
    A city named without its province (or a province without a city) replaces the other
    one, so that "那沈阳呢？" after a Shandong city asks about Liaoning.
    """
    types = fact_types()
    slots = {name: tracker.get_slot(name) for name in types}
    slots = {name: value for name, value in slots.items() if value is not None}
    raw = {name: value for name, value in slots.items() if isinstance(value, str)}
    facts = {name: value for name, value in slots.items() if not isinstance(value, str)}
    reread = interpret_entities({"entity": name, "value": value} for name, value in raw.items())
    facts.update({k: v for k, v in reread.items() if k in types})

    entities = tracker.latest_message.get("entities") or []
    text = tracker.latest_message.get("text")
    latest = {k: v for k, v in interpret_entities(entities, text).items() if k in types}
    facts.update(latest)

    if "city" in latest and "province" not in latest:
        facts.pop("province", None)
    if "province" in latest and "city" not in latest and "city" in facts:
        if place_province(str(facts["city"])) != latest["province"]:
            facts.pop("city")

    events: list[EventType] = [
        SlotSet(name, facts.get(name)) for name in types if facts.get(name) != slots.get(name)
    ]
    return facts, events


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
