"""Evaluating a question against the rules: jurisdiction, pathways, verdict, trace.

`evaluate()` decides the jurisdiction first (the province follows from the city). A question
about settling is weighed against every settlement pathway of the province (`pathways` in
routes/<province>.yml): each pathway's route for the place is evaluated without guessing
absent facts, and the answer leads with the pathway most favourable to the person
(`_weigh`). Other topics take the one route of the topic that applies to the place. The
result goes to `render` for the answer dict.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import checklist, render, retrieval
from .conditions import Accepted, Facts, accepted, needed
from .conditions import evaluate as test
from .loader import NATIONAL, PROVINCES, Rules, load_rules
from .model import (
    TOPICS,
    Condition,
    Outcome,
    PlaceLike,
    Route,
    coerce_fact,
)
from .result import Jurisdiction, Result


def _jurisdiction(rules: Rules, facts: Facts) -> Jurisdiction:
    city = facts.get("city")
    if city:
        place = rules.places.get(str(city)) or rules.places.resolve(str(city))
        if place is None:
            return Jurisdiction(unknown=str(city))
        if place.province not in PROVINCES:
            return Jurisdiction(outside=place)
        if place.kind == "province":
            return Jurisdiction(province=place.province)
        return Jurisdiction(province=place.province, place=place)
    province = facts.get("province")
    if province in PROVINCES:
        return Jurisdiction(province=str(province))
    if province:
        place = rules.places.get(str(province)) or rules.places.resolve(str(province))
        if place is not None and place.province in PROVINCES:
            return Jurisdiction(province=place.province)
        return Jurisdiction(outside=place) if place else Jurisdiction(unknown=str(province))
    return Jurisdiction()


def _select(rules: Rules, province: str, topic: str, place: PlaceLike | None) -> Route | None:
    """The route of `topic` for `place`; None when the place is needed but unknown."""
    routes = rules.routes[province].topics[topic].routes
    if place is None:
        return routes[0] if len(routes) == 1 and routes[0].where is None else None
    hits = [r for r in routes if r.where is None or r.where.matches(place)]
    return hits[0]  # the loader checked that exactly one route matches every place


def _leaves_in_order(conds: list[Condition]) -> list[Condition]:
    seen: set[tuple[str | None, str | None]] = set()
    leaves = []
    for cond in conds:
        for leaf in cond.leaves():
            if (leaf.fact, leaf.clause) not in seen:
                seen.add((leaf.fact, leaf.clause))
                leaves.append(leaf)
    return leaves


#: how favourable a verdict is to the person: for comparing the outcomes of one route, and
#: the results of the pathways weighed (an undecided pathway may still admit)
VERDICT_RANK = {"not_eligible": 0, "info": 1, "not_covered": 1, "need_more_info": 2,
                "conditional": 3, "eligible": 4}


def _dedup(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _run_route(rules: Rules, province: str, route: Route, facts: Facts, lang: str) -> Result:
    requirements = [test(c, facts) for c in route.requires]
    evaluated = list(route.requires)
    missing: list[str] = []
    outcome: Outcome
    if False in requirements:
        outcome = route.otherwise
    else:
        missing = [f for c in route.requires for f in needed(c, facts)]
        pending: list[Outcome] = []
        chosen: Outcome | None = None
        for candidate in route.outcomes:
            if candidate.when is None:
                chosen = candidate
                break
            evaluated.append(candidate.when)
            result = test(candidate.when, facts)
            if result is True:
                chosen = candidate
                break
            if result is None:
                pending.append(candidate)
                missing += needed(candidate.when, facts)
        assert chosen is not None  # the loader checked that the last outcome is a default
        # a later outcome that holds too and is more favourable wins (a graduate of this
        # year joining a parent in the village: the graduate exception, not the three refuges)
        for later in route.outcomes[route.outcomes.index(chosen) + 1:]:
            if later.when is not None and test(later.when, facts) is True \
                    and VERDICT_RANK[later.verdict] > VERDICT_RANK[chosen.verdict]:
                evaluated.append(later.when)
                chosen = later
        outcome = chosen
        # An undecided earlier outcome that could not give a better verdict cannot change the
        # answer, so its facts are not asked (e.g. a homestead right makes a return eligible
        # whatever the person says about returning to work).
        if pending and not any(test(c, facts) is None for c in route.requires):
            if all(VERDICT_RANK[p.verdict] <= VERDICT_RANK[outcome.verdict] for p in pending):
                missing = []

    missing = _dedup(missing)
    # a condition met under a `not` speaks against the outcome it guards: it is traced as
    # met but points to the route no more than an unmet one does
    against = {id(leaf) for cond in evaluated for leaf in _negated_leaves(cond)}
    trace: list[dict[str, Any]] = []
    met: list[tuple[str, str | None]] = []
    fit = 0
    unmet: list[tuple[str, Any]] = []
    clauses = [route.clause] if route.clause else []
    for leaf in _leaves_in_order(evaluated):
        assert leaf.fact is not None
        value = facts.get(leaf.fact)
        result = test(leaf, facts)
        trace.append({
            "clause": leaf.clause or route.clause,
            "fact": leaf.fact,
            "value": value,
            "result": {True: "met", False: "not_met", None: "unknown"}[result],
        })
        if leaf.clause:
            clauses.append(leaf.clause)
        if result is True and id(leaf) not in against:
            met.append((leaf.fact, leaf.clause))
            fit += 1
        elif result is False:
            unmet.append((leaf.fact, value))
    for fact in route.indicators:
        trace.append({"clause": route.clause, "fact": fact, "value": facts.get(fact),
                      "result": "indicator"})
        if facts.get(fact) is not None:
            met.append((fact, route.clause))
            # (a denied indicator points nowhere: "no, I'm not a graduate of this year")
            fit += facts[fact] is not False
    relation = facts.get("relation")
    if route.family and relation is not None:
        in_family = relation in route.family
        trace.append({"clause": route.clause, "fact": "relation", "value": relation,
                      "result": "met" if in_family else "not_met"})
        if in_family:
            met.append(("relation", route.clause))
            fit += 1

    verdict = "need_more_info" if missing else outcome.verdict
    also = list(getattr(route.also_cite, lang))
    documents = checklist.build(rules, province, route, facts, met)
    if documents and route.checklist_basis:
        also.append(route.checklist_basis)
    notes = ([outcome.note] if outcome.note and not missing else []) + list(route.notes)
    offices = ([outcome.decided_by] if outcome.decided_by and not missing else [])
    offices += list(route.offices)
    if route.responsible_offices:
        for ref in [*clauses, *also]:
            offices += rules.clauses[ref].responsible
    return Result(
        verdict=verdict,
        route=route,
        missing=missing,
        trace=trace,
        clauses=_dedup(clauses),
        also=_dedup(also),
        documents=documents,
        offices=_dedup(offices),
        notes=_dedup(notes),
        decided_by=outcome.decided_by if verdict == "conditional" else None,
        unmet=unmet if verdict == "not_eligible" else [],
        fit=fit,
    )


def _negated_leaves(cond: Condition, negated: bool = False) -> list[Condition]:
    """The fact tests of a condition that stand under a `not`."""
    if cond.fact:
        return [cond] if negated else []
    if cond.not_ is not None:
        return _negated_leaves(cond.not_, not negated)
    return [leaf for child in (cond.all or cond.any or [])
            for leaf in _negated_leaves(child, negated)]


def _run(rules: Rules, province: str, topic: str, place: PlaceLike | None, facts: Facts,
         lang: str) -> Result:
    for redirect in rules.routes[province].topics[topic].redirect:
        if test(redirect.when, facts) is True:
            return _weigh(rules, province, redirect.topic, place, facts, lang)
    route = _select(rules, province, topic, place)
    if route is None:
        return Result(verdict="need_more_info", missing=["city"])
    if not route.delegate:
        result = _run_route(rules, province, route, facts, lang)
        result.topic = topic
        result.headline = (province, route.id)
        return result
    target = route.delegate
    named = facts.get("pathway")
    if route.follow_pathway and named in rules.routes[province].topics and named != topic:
        target = str(named)
    sub = _weigh(rules, province, target, place, facts, lang)
    sub.notes = _dedup([*route.notes, *sub.notes])
    sub.offices = _dedup([*sub.offices, *route.offices])
    if route.clause:
        sub.clauses.insert(0, route.clause)
    if route.verdict and "city" not in sub.missing:
        sub.verdict = route.verdict
        sub.decided_by = None
        sub.unmet = []
        sub.headline = (province, route.id)
    return sub


def _would_change(route: Route | None, facts: Facts) -> list[Accepted]:
    """The failed conditions of a route, as what would meet them."""
    if route is None:
        return []
    return [accepted(leaf) for cond in route.requires if test(cond, facts) is False
            for leaf in cond.leaves() if test(leaf, facts) is False]


def _weigh(rules: Rules, province: str, topic: str, place: PlaceLike | None, facts: Facts,
           lang: str) -> Result:
    """The best of every settlement pathway for the person, when `topic` is one of them.

    A pathway counts when it was asked about, a stated fact points to it (`Result.fit`) or one
    rules it out; the answer leads with the most favourable one (eligible, then conditional,
    then one still undecided, whose first missing fact is asked; among undecided ones, and
    among admitting ones when the question was a general one, the one the person's facts fit
    best). "Not eligible" is said only when every pathway that counts
    refuses; the pathways no fact points to are named as ones the person may still fit.
    """
    pathways = rules.routes[province].pathways
    if topic not in pathways:
        return _run(rules, province, topic, place, facts, lang)
    weighed = [(t, _run(rules, province, t, place, facts, lang))
               for t in [topic, *[p for p in pathways if p != topic]]]
    counting = [(t, r) for t, r in weighed
                if t == topic or r.fit > 0 or (r.verdict == "not_eligible" and r.unmet)]
    counted = {t for t, _ in counting}

    def preference(item: tuple[str, Result]) -> tuple[int, int, bool]:
        name, result = item
        # the fit decides among undecided pathways, and among admitting ones when the person
        # asked in general (the first pathway) and not about one of them
        fits = result.verdict == "need_more_info" or (
            result.verdict == "eligible" and topic == pathways[0])
        return (VERDICT_RANK[result.verdict], result.fit if fits else 0, name == topic)

    lead_topic, lead = max(counting, key=preference)
    # the trace lists every pathway weighed, in the shape of a condition traced: the fact
    # `pathway`, the pathway's topic, and its result (its verdict, or `not_weighed` when no
    # fact points to it and it was not asked about)
    lead.trace = [
        {
            "clause": result.clauses[0] if result.clauses else None,
            "fact": "pathway",
            "value": name,
            "result": result.verdict if name in counted else "not_weighed",
            "route": result.route.id if result.route else None,
            "missing": result.missing,
        }
        for name, result in weighed
    ] + lead.trace
    asked = dict(weighed)[topic]
    if lead_topic != topic and asked.verdict == "not_eligible" and asked.clauses:
        lead.instead_of = (asked.clauses[0], asked.unmet)
    if lead.verdict == "not_eligible":
        lead.untried = [
            (name, result.clauses[0]) for name, result in weighed
            if name not in counted and result.clauses
            and result.verdict in ("need_more_info", "eligible", "conditional")
        ]
        # the fewest conditions unmet, then the most facts that point to it
        nearest = min(counting,
                      key=lambda item: (len(item[1].unmet) or 99, -item[1].fit))[1]
        lead.would_change = _would_change(nearest.route, facts)
        # the nearest pathway is quoted too: what would change the outcome rests on it; and
        # so is every other pathway that refuses: the "no" rests on each of them
        refusing = [result.clauses[0] for _, result in counting
                    if result is not lead and result.clauses]
        if nearest is not lead and nearest.clauses:
            refusing.insert(0, nearest.clauses[0])
        lead.also = _dedup([*lead.also, *refusing])
    return lead


def assesses(topic: str, rules: Rules | None = None) -> bool:
    """Whether a topic can decide about a person (some route tests a fact or hands over to
    another topic), as opposed to one that only informs (public services, the overview)."""
    rules = rules or load_rules()
    return any(
        route.requires or route.delegate or route.indicators
        or any(outcome.when for outcome in route.outcomes)
        for province in rules.routes.values() if topic in province.topics
        for route in province.topics[topic].routes
    )


def _check_in_force(rules: Rules, result: Result, as_of: date) -> None:
    """A clause outside its document's dates is never applied silently."""
    docs = _dedup([ref.split("/")[0] for ref in [*result.clauses, *result.also]])
    decisive = {ref.split("/")[0] for ref in result.clauses}
    for doc_id in docs:
        if rules.documents[doc_id].in_force(as_of):
            continue
        result.out_of_effect.append(doc_id)
        if doc_id in decisive:
            result.verdict = "not_covered"
            result.missing = []
            result.decided_by = None
            result.documents = []
            result.unmet = []


def _finish(rules: Rules, result: Result, topic: str, province: str | None, known: Facts,
            lang: str, on: date, question: str | None, asks_rules: bool,
            asks_documents: bool) -> None:
    """What the kind of question asked changes in a result, and the in-force check."""
    if asks_rules:
        _as_rules_question(rules, result, topic, province, known)
    if asks_documents and result.verdict in ("eligible", "conditional", "need_more_info") \
            and not set(PLACE_FACTS) & set(result.missing):
        result.verdict = "info"
        result.decided_by = None
    if question and result.verdict == "info":
        # the pathway the person named says what the question is about too ("持有居住证的人
        # 以后能落户吗", classified as public services, speaks of the residence permit)
        pathway = known.get("pathway")
        topics = [topic, *([str(pathway)] if pathway and pathway != topic else [])]
        _answer_from_clauses(rules, result, topics, province, question, lang,
                             told_of_themselves=bool(_personal(known)))
    _check_in_force(rules, result, on)


def _typed_facts(rules: Rules, facts: dict[str, Any]) -> Facts:
    """The facts given, typed as facts.yml defines them; empty values left out."""
    known: Facts = {}
    for key, value in facts.items():
        definition = rules.facts.get(key)
        typed = coerce_fact(definition, value) if definition else value
        if typed is not None and typed != "":
            known[key] = typed
    return known


def _national_topic(rules: Rules, topic: str, known: Facts) -> str | None:
    """The national topic that answers `topic` when no province is known: the topic itself,
    or the pathway the person is on when the topic follows it (`follow_pathway`)."""
    national = rules.routes[NATIONAL].topics
    if topic in national:
        return topic
    pathway = known.get("pathway")
    follows = any(route.follow_pathway for name, province in rules.routes.items()
                  if name != NATIONAL and topic in province.topics
                  for route in province.topics[topic].routes)
    return str(pathway) if follows and pathway in national else None


def _documents_in(rules: Rules, *jurisdictions: str) -> list[str]:
    """The documents that apply in these jurisdictions (a province, `national`)."""
    return [d for d, doc in rules.documents.items() if doc.jurisdiction in jurisdictions]


def _add_implied(rules: Rules, known: Facts) -> None:
    """Facts not stated that follow by logic from stated ones (facts.yml `implied_by`)."""
    for name, definition in rules.facts.items():
        if name in known:
            continue
        for implication in definition.implied_by:
            if test(implication.when, known) is True:
                known[name] = coerce_fact(definition, implication.value)
                break


def implied_facts(facts: dict[str, Any], rules: Rules | None = None) -> dict[str, Any]:
    """The facts that follow from ``facts`` by logic (facts.yml `implied_by`) and that they
    do not state themselves: five years of social insurance is social insurance."""
    rules = rules or load_rules()
    known = _typed_facts(rules, facts)
    stated = set(known)
    _add_implied(rules, known)
    return {name: value for name, value in known.items() if name not in stated}


def _as_date(as_of: date | str | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    return date.fromisoformat(as_of)


#: facts that say where a person asks about
PLACE_FACTS = ("city", "province")
#: facts that say where and about what a person asks, not who they are
CONTEXT_FACTS = (*PLACE_FACTS, "pathway")
#: a town or a village to move to, which a question about the rules names as it names the
#: place ("想在盘山县城落户需要什么条件": the rules of a county town)
DESTINATION = "move_to"
#: how many clauses found by their words an information answer quotes at most
RETRIEVED_CLAUSES = 2
#: the score under which the closest clauses are too far from a question to be offered for it;
#: lower within the topic of the conversation, which already says what the question is about
CLOSEST_CLAUSE_SCORE = 5.0
CLOSEST_CLAUSE_SCORE_IN_TOPIC = 3.0


def _answer_from_clauses(rules: Rules, result: Result, topics: list[str],
                         province: str | None, question: str, lang: str,
                         told_of_themselves: bool) -> None:
    """An information answer also quotes, right after its own clause, the clauses of its
    topics that speak of what was asked (`retrieval`): the province's own when some do, else
    the province's and the national ones; and to someone who told nothing of themselves,
    the closest clause of any topic."""
    found: list[tuple[str, float]] = []
    # the province's own text first: it answers a question about the province
    searches = ([_documents_in(rules, province), _documents_in(rules, province, NATIONAL)]
                if province else [None])
    for documents in searches:
        found = retrieval.rank_clauses(rules, question, lang, documents=documents,
                                       topics=topics, limit=RETRIEVED_CLAUSES)
        if found:
            break
    refs = [ref for ref, _ in found if ref not in result.clauses]
    if not told_of_themselves:
        # a question that describes no situation may speak of what a clause of another topic
        # says ("Can a city require you to own a flat of a certain size before you settle?",
        # read as a question of moving to the countryside): the closest clause of any topic
        # is quoted too when it is close enough to be offered alone (`closest_clauses`)
        # (the province's own text first here too, when it holds one not quoted yet)
        for documents in searches:
            closest = retrieval.rank_clauses(rules, question, lang, documents=documents,
                                             min_score=CLOSEST_CLAUSE_SCORE)
            new = [ref for ref, _ in closest if ref not in result.clauses and ref not in refs]
            if new:
                refs += new[:1]
                break
    result.clauses[1:1] = refs
    result.also = [ref for ref in result.also if ref not in refs]


def _topic_clauses(rules: Rules, province: str | None, topic: str) -> list[str]:
    """The clauses of every route of a topic, in the province or in both."""
    refs: list[str] = []
    for name, routes in rules.routes.items():
        if name == NATIONAL or (province and name != province):
            continue
        for route in routes.topics[topic].routes:
            refs += [route.clause] if route.clause else []
    return _dedup(refs)


def _personal(known: Facts) -> list[str]:
    """The facts known about the person (the place, the pathway and the kind of place to
    move to aside)."""
    return [name for name in known if name not in (*CONTEXT_FACTS, DESTINATION)]


def _as_rules_question(rules: Rules, result: Result, topic: str, province: str | None,
                       known: Facts) -> None:
    """A question about what the rules say, from someone who has told nothing about
    themselves (the place, the pathway and the kind of place to move to aside), is answered
    with the clause (`info`), not a verdict on them; the question that would start an
    assessment stays. Where the place is not known yet, the clauses of the topic for every
    kind of place answer (the province's, or both provinces')."""
    if _personal(known) or result.verdict not in ("need_more_info", "conditional"):
        return
    if set(PLACE_FACTS) & set(result.missing):
        result.clauses = result.clauses or _topic_clauses(rules, province, topic)
        if not result.clauses:
            return
    result.verdict = "info"
    result.decided_by = None


def evaluate(topic: str, facts: dict[str, Any], lang: str, as_of: date | str | None = None,
             *, rules: Rules | None = None, question: str | None = None,
             asks_rules: bool = False, asks_documents: bool = False) -> dict[str, Any]:
    """Answer `topic` for `facts` in `lang` (a `policy_answer` dict, see docs/DESIGN.md).

    `question`: the person's words, to quote the clauses that speak of them in an
    information answer; `asks_rules`: they ask what the rules are, not whether they qualify;
    `asks_documents`: they ask what to bring (the checklist is the answer, as for the
    `required_documents` topic).
    """
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}; expected one of {', '.join(TOPICS)}")
    rules = rules or load_rules()
    lang = "zh" if lang == "zh" else "en"
    on = _as_date(as_of)
    known = _typed_facts(rules, facts)
    _add_implied(rules, known)
    where = _jurisdiction(rules, known)

    if where.outside is not None or where.unknown is not None:
        result = Result(verdict="not_covered", offices=["police_station", "hotline_12345"])
    elif where.province is None and _national_topic(rules, topic, known) is not None:
        # a national topic, or a documents question that follows a national pathway (the
        # residence permit), is answered without a province
        national = _national_topic(rules, topic, known)
        assert national is not None
        asks_documents = asks_documents or national != topic
        topic = national
        result = _weigh(rules, NATIONAL, topic, None, known, lang)
        _finish(rules, result, topic, NATIONAL, known, lang, on, question,
                asks_rules, asks_documents)
    elif where.province is None:
        needs_city = any(
            r.where is not None
            for name, province in rules.routes.items() if name != NATIONAL
            for r in province.topics[topic].routes
        )
        result = Result(verdict="need_more_info", missing=["city" if needs_city else "province"])
        _finish(rules, result, topic, None, known, lang, on, question,
                asks_rules, asks_documents)
    else:
        known["province"] = where.province
        if where.place is not None:
            known["city"] = where.place.id
        result = _weigh(rules, where.province, topic, where.place, known, lang)
        _finish(rules, result, topic, where.province, known, lang, on, question,
                asks_rules, asks_documents)
    return render.answer(rules, topic, lang, on, known, where, result)


def closest_clauses(question: str, lang: str, facts: dict[str, Any] | None = None, *,
                    topic: str | None = None, earlier: str | None = None,
                    rules: Rules | None = None) -> dict[str, Any] | None:
    """An `info` answer quoting the clauses closest to a question the assistant did not
    understand (within the province when the facts name one; first among the clauses of
    the conversation's `topic`, a follow-up such as "and if I miss the deadline?", read
    together with the question asked just before it, `earlier`, which says what "it" is),
    or None when none is close enough to offer. Its topic is the first topic of the closest
    clause."""
    rules = rules or load_rules()
    lang = "zh" if lang == "zh" else "en"
    known = _typed_facts(rules, facts or {})
    where = _jurisdiction(rules, known)
    if where.outside is not None or where.unknown is not None:
        where = Jurisdiction()
    documents = _documents_in(rules, where.province, NATIONAL) if where.province else None
    in_context = f"{earlier} {question}" if earlier else question
    found = retrieval.rank_clauses(rules, in_context, lang, documents=documents, topics=[topic],
                                   min_score=CLOSEST_CLAUSE_SCORE_IN_TOPIC) if topic else []
    found = found or retrieval.rank_clauses(rules, question, lang, documents=documents,
                                            min_score=CLOSEST_CLAUSE_SCORE)
    if not found:
        return None
    refs = [ref for ref, _ in found]
    topic = next(iter(rules.clauses[refs[0]].topics), "policy_overview")
    result = Result(verdict="info", clauses=refs, topic=topic, notes=["closest_clauses"])
    return render.answer(rules, topic, lang, date.today(), known, where, result)


def explain_term(term_id: str, lang: str, *, rules: Rules | None = None) -> dict[str, Any]:
    """An `info` answer defining a glossary term, citing the clauses it comes from."""
    rules = rules or load_rules()
    lang = "zh" if lang == "zh" else "en"
    return render.term_answer(rules, term_id, lang)
