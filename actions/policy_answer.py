"""`action_policy_answer`: every policy question, and every answer to one of our questions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parse_data import (
    ALTERNATIVES_KIND,
    ASIDE_KIND,
    ASKS_KIND,
    CORRECTION_KIND,
    DOCUMENTS_KIND,
    FACTS,
    HUKOU_KIND,
    ORIGIN_PLACE,
    OTHER_SERVICE_KIND,
    OTHER_SUBJECT_KIND,
    PATHWAY_KIND,
    QUESTION_KINDS,
    REPLY,
    TERM,
    UNSURE_KIND,
)
from policies import assesses, evaluate, explain_term, load_rules
from policies.engine import CONTEXT_FACTS, PLACE_FACTS
from policies.model import TOPICS

from .common import (
    contacts,
    fact_types,
    gather_facts,
    latest_intent,
    reply_lang,
)
from .wording import say

#: the intents of a message the classifier could not place, and of one about something else
FALLBACK_INTENT, OUT_OF_SCOPE = "nlu_fallback", "out_of_scope"
#: the general question of settling, which weighs every pathway of the province
SETTLE_TOPIC = "settlement_eligibility"
#: the one assessment that is not about household registration
PERMIT_TOPIC = "residence_permit"
#: pathways of a registration where the person is, not of a move: a statement naming one
#: asks about it (a settlement question weighs the others anyway)
STAYING_PATHWAYS = frozenset({"collective_household", PERMIT_TOPIC})
#: what a user asks "on the side" while one of our questions waits for an answer
SIDE_TOPIC = "required_documents"
#: keys of an engine answer that are sent as their own messages, not in the payload
PRESENTATION_KEYS = ("text", "question")
#: the intent confidence from which a follow-up's own topic is taken as the person's choice
CARRY_BELOW = 0.8
#: the intent confidence under which a pathway the message does not name is a guess
GUESS_BELOW = 0.5
#: what a message tells of the conversation, not of the person (the place where they come
#: from among them)
MESSAGE_CONTEXT = frozenset({*CONTEXT_FACTS, ORIGIN_PLACE})
#: how many facts about the person make a message a description of their situation
SITUATION_FACTS = 3


def person_facts(message: dict[str, Any]) -> set[str]:
    """The facts a message states about the person (not where or about what they ask)."""
    return set(message.get(FACTS) or {}) - MESSAGE_CONTEXT


def term_asked(message: dict[str, Any]) -> str | None:
    """The glossary id of the term a message asks about (its parse data)."""
    term = message.get(TERM)
    return term if isinstance(term, str) else None


def confidence(message: dict[str, Any]) -> float:
    """The classifier's confidence in a message's intent."""
    return float((message.get("intent") or {}).get("confidence") or 0.0)


def continues(message: dict[str, Any], intent: str | None, current: str | None,
              documents: bool) -> bool:
    """Whether a message goes on with the conversation's topic although the classifier
    named another one.

    A follow-up that tells more about the person ("I moved to Jinan 8 months ago and rent,
    am I eligible for one?" after a residence-permit question; "I've never had social
    insurance" after a verdict) is about the assessment under way. The classifier, which
    sees one message alone, takes most statements of facts for a question about settling,
    and unsure, for a topic that only informs (online services, rural rights) or for a
    documents question. It is overruled when the message states facts about the person and
    - names another assessment without a word of household registration or a pathway (the
      residence permit asked about goes on with "在这边上班三个月了，现在能办吗"), or
    - is unsure (`CARRY_BELOW`), or corrects what was said ("Wait, I got that wrong. I've
      never had social insurance"), and names a topic that cannot assess the facts, or the
      documents topic while no documents are asked for, or
    - asks nothing and names a topic that cannot assess the facts.
    A message that asks nothing and tells only where the person comes from or that they do
    not know goes on too.
    """
    if current is None or intent not in TOPICS or intent == current or not assesses(current):
        return False
    facts = message.get(FACTS) or {}
    kinds = message.get(QUESTION_KINDS) or []
    # a message that asks nothing asks for no information, whatever topic of information
    # its words suggest: what the person tells ("the office is ours, bought it in 2020"), only
    # where they come from ("俺老家是铁岭西丰的，爹妈都还在老家") or that they do not know
    # what was asked ("not sure tbh about social insurance, gotta check with HR")
    if not assesses(intent) and ASKS_KIND not in kinds and (
            person_facts(message) or ORIGIN_PLACE in facts or UNSURE_KIND in kinds):
        return True
    if not person_facts(message):
        return False
    if assesses(intent) and intent != SIDE_TOPIC:
        return HUKOU_KIND not in kinds and "pathway" not in facts
    unsure = confidence(message) < CARRY_BELOW or CORRECTION_KIND in kinds
    return unsure and (not assesses(intent) or not documents)


def describes_situation(message: dict[str, Any], intent: str | None, documents: bool) -> bool:
    """Whether a message the classifier could not place describes the person's situation,
    and so asks whether they can settle.

    A long message telling where the person works, lives and pays insurance ("我在丹东开货车，
    公司签了合同，五险一直交着，租房合同也备案了，能不能把户口整过来") spreads the intent
    confidence over every topic whose words it uses. It describes the situation when it
    states `SITUATION_FACTS` facts about the person or more, asks no documents question, and
    the classifier is unsure (`CARRY_BELOW`) of a topic that cannot assess facts or of the
    documents topic, or guesses (`GUESS_BELOW`) a pathway the message does not name.
    """
    facts = message.get(FACTS) or {}
    if documents or len(person_facts(message)) < SITUATION_FACTS:
        return False
    unplaced = intent not in TOPICS or not assesses(intent) or intent == SIDE_TOPIC
    return (unplaced and confidence(message) < CARRY_BELOW) or (
        confidence(message) < GUESS_BELOW and "pathway" not in facts)


def misread_documents(message: dict[str, Any], intent: str | None) -> bool:
    """Whether a message the classifier is unsure (`CARRY_BELOW`) is a documents question
    asks for no documents but tells of the person and speaks of their household registration
    ("do i need social insurance to move my hukou there? i just rent and do odd jobs"): it
    asks whether they can settle."""
    kinds = message.get(QUESTION_KINDS) or []
    return (intent == SIDE_TOPIC and confidence(message) < CARRY_BELOW
            and DOCUMENTS_KIND not in kinds and HUKOU_KIND in kinds
            and bool(person_facts(message)))


def topic_of_unplaced(message: dict[str, Any]) -> str | None:
    """The topic of a message the classifier could not place or reads as out of scope that
    names one of our topics ("residense permit renewel how often do i have to do it": the
    residence permit), or speaks of household registration and tells of the person ("how to
    setle in jinan, i live there w/ my sister and work at a restaraunt": the assessment the
    classifier ranks highest), or only says the person wants to settle, perhaps where, and
    asks whether they can or says they do not know how ("我想落户", "thinking about moving my
    hukou to liaoyang … no idea where to start. would i qualify": the settlement question,
    which weighs every pathway); None for other messages."""
    if (message.get("intent") or {}).get("name") not in (OUT_OF_SCOPE, FALLBACK_INTENT):
        return None
    facts = message.get(FACTS) or {}
    if facts.get("pathway") in TOPICS:
        return str(facts["pathway"])
    kinds = message.get(QUESTION_KINDS) or []
    if HUKOU_KIND in kinds and person_facts(message):
        return likeliest_assessment(message)
    if HUKOU_KIND in kinds and set(kinds) <= {HUKOU_KIND, ASKS_KIND, UNSURE_KIND} \
            and set(facts) <= set(PLACE_FACTS):
        return SETTLE_TOPIC
    return None


def ranking_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The classifier's intent ranking of a message."""
    return list(message.get("intent_ranking") or [])


def likeliest_assessment(message: dict[str, Any]) -> str:
    """The assessment topic the classifier ranks highest for a message, else the settlement
    question."""
    return next((r["name"] for r in ranking_of(message)
                 if r.get("name") in TOPICS and assesses(r["name"])), SETTLE_TOPIC)


def unrelated_reading(message: dict[str, Any], intent: str | None, current: str | None) -> bool:
    """Whether a first message the classifier reads as one of our topics is about something
    else: a documents reading that asks for no documents, speaks of no household
    registration, names no pathway and tells nothing about the person ("明天大连下雨不，出门要
    不要带伞"), or an unsure one (`CARRY_BELOW`) of a message that tells of the person but
    asks only of something none of our words name (`OTHER_SUBJECT_KIND`: "I rent in Xigang
    District in Dalian. Where can I get my cat vaccinated against rabies cheaply?"). At any
    point of a conversation, a question of another public service that speaks of no household
    registration moved or settled (`OTHER_SERVICE_KIND`: "我户口在青岛，办护照要不要带户口本？")
    is about something else too, however sure the classifier is."""
    kinds = message.get(QUESTION_KINDS) or []
    if OTHER_SERVICE_KIND in kinds:
        return True
    if current is not None:
        return False
    if OTHER_SUBJECT_KIND in kinds and person_facts(message) \
            and confidence(message) < CARRY_BELOW:
        return True
    facts = message.get(FACTS) or {}
    return (intent == SIDE_TOPIC and DOCUMENTS_KIND not in kinds
            and HUKOU_KIND not in kinds and not set(facts) - set(PLACE_FACTS))


def unrelated_unplaced(message: dict[str, Any]) -> bool:
    """Whether a message the classifier could not place, at any point of a conversation,
    turns to another subject and asks only of something none of our words name, telling
    nothing of the person (`OTHER_SUBJECT_KIND`: "行，明白了，谢谢。顺便问下盘锦哪家河蟹好
    吃？"; not "And what happens if I miss the deadline?", which goes on with the subject)."""
    kinds = message.get(QUESTION_KINDS) or []
    return OTHER_SUBJECT_KIND in kinds and ASIDE_KIND in kinds and not person_facts(message)


def place_facts(message: dict[str, Any]) -> dict[str, Any]:
    """The city and province a message names."""
    return {k: v for k, v in (message.get(FACTS) or {}).items() if k in PLACE_FACTS}


def outside_answer(tracker: Tracker, lang: str) -> dict[str, Any] | None:
    """The `not_covered` answer for a message about household registration in a place
    outside Liaoning and Shandong, whatever its intent: an unclear or out-of-scope reading
    of "天津和平区的落户政策" still owes the person where to ask. None for other messages."""
    message = tracker.latest_message
    facts = place_facts(message)
    if HUKOU_KIND not in (message.get(QUESTION_KINDS) or []) or not facts:
        return None
    # the engine decides where a place is, as for every other answer
    answer = evaluate(SETTLE_TOPIC, facts, lang)
    return answer if answer["verdict"] == "not_covered" else None


def rules_answer(tracker: Tracker, lang: str) -> dict[str, Any] | None:
    """What settling in a place takes, for an unclear message that asks only that ("What
    does settling in Dalian take?", "大连落户有什么规定"): a question about the rules of
    household registration that names a place and nothing about the person. None for other
    messages."""
    message = tracker.latest_message
    kinds = message.get(QUESTION_KINDS) or []
    place = place_facts(message)
    if not place or person_facts(message) or not {HUKOU_KIND, "rules"} <= set(kinds):
        return None
    answer = evaluate(SETTLE_TOPIC, place, lang,
                      question=message.get("text") or "", asks_rules=True)
    return answer if answer["verdict"] == "info" else None


def within_conversation(tracker: Tracker) -> bool:
    """Whether a message the classifier could not place, or read as out of scope, goes on
    with the conversation's topic: one about household registration whose likeliest intent
    is that topic or the settlement question ("can I transfer my hukou to her household?"
    after telling of a wife with a Shenyang hukou) or that names the conversation's place,
    one that asks nothing and only tells
    ("I'll move in with him next month") unless it reads surely (`GUESS_BELOW`) as out of
    scope and states no fact about the person, one that asks for
    another way ("那有别的办法吗": the answer names the pathways still open) or what to bring,
    or one that states the fact asked last ("才来了三个月" after "how long have you lived
    there?")."""
    message = tracker.latest_message
    topic = tracker.get_slot("topic")
    if topic is None or not assesses(topic):
        return False
    kinds = message.get(QUESTION_KINDS) or []
    ranking = [r.get("name") for r in message.get("intent_ranking") or []
               if r.get("name") != FALLBACK_INTENT]
    ranked = [name for name in ranking if name in TOPICS]
    # (or whose place is the conversation's: "俺俩能一起把户口落到丹东市里不？" after telling of
    # a husband's job in Dandong)
    place = (message.get(FACTS) or {}).get("city")
    about_hukou = HUKOU_KIND in kinds and (
        (bool(ranked) and ranked[0] in (topic, SETTLE_TOPIC))
        or (place is not None and place == tracker.get_slot("city")))
    # (one surely out of scope tells only when it states facts about the person: "I rent a
    # flat near the port and work for a shipping company there")
    stated = bool(person_facts(message))
    out_of_scope = next((float(r.get("confidence") or 0.0) for r in ranking_of(message)
                         if r.get("name") == OUT_OF_SCOPE), 0.0)
    tells = bool(ranking) and (ranking[0] != OUT_OF_SCOPE or out_of_scope < GUESS_BELOW
                               or stated) \
        and ASKS_KIND not in kinds
    # (a place named is no answer: "can you recommend a hotel in Weihai?")
    asked = tracker.get_slot("requested_fact")
    answers = asked not in PLACE_FACTS and asked in (message.get(FACTS) or {})
    return (about_hukou or tells or answers
            or bool({ALTERNATIVES_KIND, DOCUMENTS_KIND} & set(kinds)))


def follow_up_answer(tracker: Tracker, lang: str, facts: dict[str, Any]) -> dict[str, Any] | None:
    """The answer of the conversation's topic, with everything known, for an unclear
    message that goes on with it (`within_conversation`), or the checklist of the pathway
    the person is on when it asks what to bring ("what do I bring?"); None for other
    messages."""
    if not within_conversation(tracker):
        return None
    documents = DOCUMENTS_KIND in (tracker.latest_message.get(QUESTION_KINDS) or [])
    current = tracker.get_slot("topic")
    if documents and "pathway" not in facts and current in load_rules().facts["pathway"].values:
        facts = {**facts, "pathway": current}
    return evaluate(SIDE_TOPIC if documents else current, facts, lang,
                    question=tracker.latest_message.get("text") or "", asks_documents=documents)


def send_answer(dispatcher: CollectingDispatcher, answer: dict[str, Any]) -> None:
    """The rendered text, then the `policy_answer` payload (docs/contract/answer.md).

    The rendered text ends with the next question, which is sent on its own with its
    buttons (`send_question`), so it is cut off here.
    """
    text: str = answer["text"]
    question = answer.get("question")
    if question and text.endswith(question["text"]):
        text = text[: -len(question["text"])].rstrip()
    dispatcher.utter_message(text=text)
    payload = {k: v for k, v in answer.items() if k not in PRESENTATION_KEYS}
    dispatcher.utter_message(json_message=payload)


def send_question(dispatcher: CollectingDispatcher, question: dict[str, Any], text: str) -> None:
    dispatcher.utter_message(text=text, buttons=question["buttons"])


def ask_again(
    dispatcher: CollectingDispatcher, topic: str, facts: dict[str, Any], lang: str
) -> list[EventType]:
    """Repeats the question a waiting topic still needs answered (in `lang`)."""
    question = evaluate(topic, facts, lang).get("question")
    if question:
        text = say(lang, "back_to_question", question=question["text"])
        send_question(dispatcher, question, text)
    return [
        SlotSet("topic", topic),
        SlotSet("requested_fact", question["fact"] if question else None),
        SlotSet("pending_topic", topic if question else None),
    ]


class ActionPolicyAnswer(Action):
    """Evaluates the conversation's topic with everything known, via `policies.evaluate`.

    The topic is the intent when it is a topic, else the `topic` slot (the user answers a
    question, corrects a fact or names another city). A "yes"/"no" answers the boolean
    fact asked last (`requested_fact`). A documents question or a term asked while another
    topic waits for an answer is answered, then the waiting question is asked again.
    """

    def name(self) -> str:
        return "action_policy_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = reply_lang(tracker)
        intent = latest_intent(tracker)
        facts, events = gather_facts(tracker)
        events.append(SlotSet("lang", lang))
        events += self._answer_to_question(tracker, intent, facts)
        kinds = tracker.latest_message.get(QUESTION_KINDS) or []
        documents = DOCUMENTS_KIND in kinds
        events += self._pathway(tracker, intent, facts, documents)
        pending = tracker.get_slot("pending_topic")

        if intent == "explain_term":
            events += self._explain(dispatcher, tracker, facts, lang)
            if pending:
                events += ask_again(dispatcher, pending, facts, lang)
            elif (term := term_asked(tracker.latest_message)) in TOPICS:
                # a term that is one of our topics is what a follow-up asks about ("What does
                # a residence permit let me do?", then "… can I get one?")
                events.append(SlotSet("topic", term))
            return events

        text = tracker.latest_message.get("text") or ""
        if unrelated_reading(tracker.latest_message, intent, tracker.get_slot("topic")):
            dispatcher.utter_message(text=say(lang, "smalltalk", "out_of_scope"))
            return events
        topic = self._topic(tracker, intent, documents)
        if topic is None:
            dispatcher.utter_message(text=say(lang, "no_topic"))
            return events

        # the documents intent asks for documents unless its topic was overruled (`_topic`)
        answer = evaluate(topic, facts, lang, question=text, asks_rules="rules" in kinds,
                          asks_documents=documents or topic == intent == SIDE_TOPIC)
        send_answer(dispatcher, answer)
        if intent == SIDE_TOPIC and pending and pending != SIDE_TOPIC:
            return events + ask_again(dispatcher, pending, facts, lang)

        question = answer.get("question")
        if question:
            send_question(dispatcher, question, question["text"])
        return events + [
            SlotSet("topic", topic),
            SlotSet("requested_fact", question["fact"] if question else None),
            SlotSet("pending_topic", topic if question else None),
        ]

    @staticmethod
    def _topic(tracker: Tracker, intent: str | None, documents: bool) -> str | None:
        """The intent's topic, else the conversation's; a documents question about a
        pathway (the intent's or one the message names) is the documents topic, which lists
        the checklist of the pathway the person is on (fact `pathway`). A follow-up that
        tells more about the person continues the conversation's topic (`continues`); a
        message that describes the person's situation while no assessment is under way asks
        whether they can settle (`describes_situation`, `misread_documents`), and so does
        one about one of our topics that the classifier could not place
        (`topic_of_unplaced`)."""
        current = tracker.get_slot("topic")
        topic: str | None = intent if intent in TOPICS else current
        ours = topic_of_unplaced(tracker.latest_message)
        if ours is not None and (current is None or not assesses(current)):
            topic = ours
        elif continues(tracker.latest_message, intent, current, documents):
            topic = current
        elif (current is None or not assesses(current)) and (
                describes_situation(tracker.latest_message, intent, documents)
                or misread_documents(tracker.latest_message, intent)):
            topic = SETTLE_TOPIC
        message = tracker.latest_message
        asked = message.get(QUESTION_KINDS) or []
        turns_to_hukou = (
            topic == PERMIT_TOPIC and intent in ("inform", PERMIT_TOPIC) and HUKOU_KIND in asked
            and ("pathway" not in (message.get(FACTS) or {})
                 or (PATHWAY_KIND not in asked and confidence(message) < CARRY_BELOW)))
        pathway = (message.get(FACTS) or {}).get("pathway")
        if intent == "inform" and (topic is None or not assesses(topic)):
            # someone who describes their situation wants to know if they can settle, or
            # about the registration they name ("我户口在淄博的单位集体户")
            topic = pathway if pathway in STAYING_PATHWAYS else SETTLE_TOPIC
        elif turns_to_hukou:
            # so does one who turns from the residence permit, naming it no more or only to
            # say no to it, to their hukou ("那要是不办居住证，直接把户口落到聊城行不行"), and
            # one who names it only as held or needed on the way, asking of the hukou, which
            # the classifier only guesses is a question of the permit ("I've held a residence
            # permit in Rizhao for two years … I need points … to settle - is that right?")
            topic = SETTLE_TOPIC
        elif pathway == PERMIT_TOPIC and topic in load_rules().facts["pathway"].values \
                and PATHWAY_KIND in asked:
            # a settlement question that asks for the residence permit instead ("I know
            # Dalian hukou is hard … can I at least get a residence permit?")
            topic = PERMIT_TOPIC
        named = pathway is not None
        if documents and (named or topic is None or topic in load_rules().facts["pathway"].values):
            return SIDE_TOPIC
        return topic

    @staticmethod
    def _pathway(tracker: Tracker, intent: str | None, facts: dict[str, Any],
                 documents: bool) -> list[EventType]:
        """The pathway its intent asks about, unless the message names one (entity
        `pathway`), the classifier only guesses it (`GUESS_BELOW`) or the message goes on
        with the topic under way (`continues`); a later documents question ("and what
        should I bring?") keeps it."""
        message = tracker.latest_message
        named = "pathway" in (message.get(FACTS) or {})
        pathway = intent if intent in load_rules().facts["pathway"].values else None
        guessed = confidence(message) < GUESS_BELOW
        if named or pathway is None or pathway == facts.get("pathway") or guessed or continues(
                message, intent, tracker.get_slot("topic"), documents):
            return []
        facts["pathway"] = pathway
        return [SlotSet("pathway", pathway)]

    @staticmethod
    def _answer_to_question(
        tracker: Tracker, intent: str | None, facts: dict[str, Any]
    ) -> list[EventType]:
        """A bare "yes"/"no", a bare duration, or a statement in the words of the fact asked
        last ("社保交了" after the social insurance question) answers that fact.

        An entity of that fact in the message wins over this reading.
        """
        requested = tracker.get_slot("requested_fact")
        said = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        if not requested or requested in said:
            return []
        kind = fact_types().get(requested)
        reply = tracker.latest_message.get(REPLY) or {}
        value: Any = None
        if kind == "bool" and intent in ("affirm", "deny"):
            value = intent == "affirm"
        elif kind == "number" and intent == "inform":
            value = reply.get("years")
        elif kind in ("bool", "enum") and intent == "inform":
            value = (reply.get("values") or {}).get(requested)
        if value is None:
            return []
        facts[requested] = value
        return [SlotSet(requested, value)]

    @staticmethod
    def _explain(
        dispatcher: CollectingDispatcher, tracker: Tracker, facts: dict[str, Any], lang: str
    ) -> list[EventType]:
        term = term_asked(tracker.latest_message)
        if term is None:
            dispatcher.utter_message(text=say(lang, "no_definition", **contacts(facts, lang)))
            return []
        send_answer(dispatcher, explain_term(term, lang))
        return [SlotSet("term", term)]
