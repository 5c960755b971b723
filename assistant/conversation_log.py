"""A conversation as the widget shows it, read from the tracker's events (as dicts).

Pure functions, no Rasa import: the socket.io channel (assistant.socket_channel) feeds
them `tracker.events` serialised with `Event.as_dict()`, the CLI reads the same dicts
from the tracker store.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.presentation import is_policy_answer

#: A conversation id the widget may use: its random hex id or any similar token.
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: `type_name` of the tracker event holding feedback (rasa.shared.core.events.AgentUttered:
#: applied to nothing, never featurised, so the dialogue and the domain ignore it).
FEEDBACK_EVENT = "agent"
RATINGS = ("helpful", "not_helpful")
MAX_COMMENT = 1000

Event = dict[str, Any]


def valid_session_id(value: object) -> bool:
    return isinstance(value, str) and SESSION_ID.match(value) is not None


def policy_answer_of(event: Event) -> dict[str, Any] | None:
    """The `policy_answer` a bot event carries, if any."""
    if event.get("event") != "bot":
        return None
    data = event.get("data") or {}
    return data["custom"] if is_policy_answer(data) else None


def feedback_of(event: Event) -> dict[str, Any] | None:
    """The feedback an event records, if it is a feedback event."""
    if event.get("event") != FEEDBACK_EVENT:
        return None
    data = event.get("data")
    feedback = data.get("feedback") if isinstance(data, dict) else None
    return feedback if isinstance(feedback, dict) else None


def _buttons(data: dict[str, Any]) -> list[dict[str, str]]:
    raw = data.get("buttons") or data.get("quick_replies") or []
    return [
        {"title": str(b.get("title", b.get("payload", ""))), "payload": str(b.get("payload", ""))}
        for b in raw
        if isinstance(b, dict) and b.get("payload")
    ]


def history(events: list[Event]) -> list[dict[str, Any]]:
    """The messages of a conversation in order, in the shape of the REST channel's answers
    plus `sender` (`user`, `bot`, `feedback`) and `timestamp`.

    A user message that is a button payload (`/intent{…}`) is shown with the title of the
    button that sent it, and left out when no button sent it (a command such as the
    language switch); one reverted by a `rewind` event is left out. Feedback entries say
    which answer (`answer`, counted from 0 among the policy answers) was rated how.
    """
    messages: list[dict[str, Any]] = []
    last_buttons: list[dict[str, str]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = str(event.get("text") or "")
            if text.startswith("/"):
                titles = [b["title"] for b in last_buttons if b["payload"] == text]
                if not titles:
                    continue
                text = titles[0]
            messages.append({"sender": "user", "text": text, "timestamp": event.get("timestamp")})
        elif kind == "rewind":
            # UserUtteranceReverted (the two-stage fallback re-adds the same message after
            # it): the user said it once
            users = [i for i, m in enumerate(messages) if m["sender"] == "user"]
            if users:
                del messages[users[-1]]
        elif kind == "bot":
            data = event.get("data") or {}
            message: dict[str, Any] = {"sender": "bot", "timestamp": event.get("timestamp")}
            if event.get("text"):
                message["text"] = str(event["text"])
            last_buttons = _buttons(data)
            if last_buttons:
                message["buttons"] = last_buttons
            if data.get("custom") is not None:
                message["custom"] = data["custom"]
            if len(message) > 2:
                messages.append(message)
        elif (feedback := feedback_of(event)) is not None:
            messages.append(
                {
                    "sender": "feedback",
                    "answer": feedback.get("answer"),
                    "rating": feedback.get("rating"),
                    "timestamp": event.get("timestamp"),
                }
            )
    return messages


def feedback_record(events: list[Event], answer: int, rating: str, comment: str) -> dict[str, Any]:
    """What a feedback event stores: the rating and comment with the answer they judge
    (its question, topic, verdict and clauses), so that staff can read it on its own.

    Raises LookupError when the conversation has no policy answer number `answer`.
    """
    question = ""
    seen = -1
    for event in events:
        if event.get("event") == "user" and not str(event.get("text") or "").startswith("/"):
            question = str(event.get("text") or "")
        payload = policy_answer_of(event)
        if payload is None:
            continue
        seen += 1
        if seen == answer:
            return {
                "answer": answer,
                "rating": rating,
                "comment": comment,
                "question": question,
                "answered_at": event.get("timestamp"),
                "lang": payload.get("lang"),
                "topic": payload.get("topic"),
                "verdict": payload.get("verdict"),
                "citations": [
                    f"{c.get('doc')}/{c.get('clause')}"
                    for c in payload.get("citations") or []
                    if isinstance(c, dict)
                ],
            }
    raise LookupError(f"this conversation has no answer number {answer}")


def parse_feedback(body: object) -> tuple[str, int, str, str]:
    """(session id, answer number, rating, comment) from a feedback request body; raises
    ValueError saying what is wrong."""
    if not isinstance(body, dict):
        raise ValueError(EXPECTED_FEEDBACK)
    session_id = body.get("session_id")
    answer = body.get("answer")
    rating = body.get("rating")
    comment = body.get("comment", "")
    if not valid_session_id(session_id):
        raise ValueError(f'"session_id" is missing or malformed: {EXPECTED_FEEDBACK}')
    if isinstance(answer, bool) or not isinstance(answer, int) or answer < 0:
        raise ValueError(f'"answer" must be a number from 0: {EXPECTED_FEEDBACK}')
    if rating not in RATINGS:
        raise ValueError(f'"rating" must be one of {", ".join(RATINGS)}: {EXPECTED_FEEDBACK}')
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise ValueError(f'"comment" must be a text of at most {MAX_COMMENT} characters')
    return str(session_id), answer, str(rating), comment.strip()


EXPECTED_FEEDBACK = (
    'expected {"session_id": "<id>", "answer": <n>, "rating": "helpful"|"not_helpful", '
    '"comment": "<optional text>"}'
)
