"""What the NLU adds to a message's parse data, named once for the NLU's `FactReader`, which
writes it, and for the actions, which read it and nothing else of the NLU.

A button's payload (`/inform{"residence":"owned"}`) reaches the actions without passing the
NLU: its entities are typed fact values already (see `actions.common`).
"""

from __future__ import annotations

#: fact -> typed value, the facts a message states (docs/contract/facts.md); None for a
#: fact the message withdraws ("actually I don't rent")
FACTS = "facts"
#: the fact of a message whose only place is where the person comes from or where someone
#: else is: the place asked about only when no other is known
ORIGIN_PLACE = "origin_place"
#: the kinds of question a message asks and what else it says of itself (the labels below)
QUESTION_KINDS = "question_kinds"
#: what a message would answer to a question about each fact: `years` (a bare duration)
#: and `values` (fact -> the value its words state)
REPLY = "reply"
#: the glossary id of the term a message asks about (policies/data/glossary.yml), or None
TERM = "term_asked"
#: the reply language a message asks for ("zh", "en"), or None
LANGUAGE = "language_asked"

#: kinds of question (fact_values.yml `question_kinds`): what to bring, what the rules are,
#: household registration spoken of, a fact corrected or replaced, another way asked for;
#: the pathway the message names asked about; a question of something none of our words name
DOCUMENTS_KIND, RULES_KIND, HUKOU_KIND, CORRECTION_KIND, ALTERNATIVES_KIND, PATHWAY_KIND = (
    "documents", "rules", "hukou", "correction", "alternatives", "pathway")
OTHER_SUBJECT_KIND = "other_subject"
#: the message asks something at all, the person says they do not know something, the
#: message turns to another subject, it asks of another public service (a passport, a visa)
#: and of no household registration
ASKS_KIND, UNSURE_KIND, ASIDE_KIND, OTHER_SERVICE_KIND = (
    "asks", "unsure", "aside", "other_service")
