"""Turning an evaluation into the `policy_answer` dict and its text.

Every sentence comes from wording/<lang>.yml templates; this module only picks templates,
fills their placeholders and puts the resulting lines in order.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from .checklist import Item
from .conditions import Accepted
from .loader import Rules
from .model import PlaceLike
from .result import Jurisdiction, Result

CITY_ID = re.compile(r"^[a-z]+$")


class _Words:
    """Template access for one language."""

    def __init__(self, rules: Rules, lang: str):
        self.rules = rules
        self.lang = lang
        self.data = rules.wording[lang]

    def get(self, *path: str) -> Any:
        node: Any = self.data
        for key in path:
            node = node[key]
        return node

    def fill(self, *path: str, **ctx: Any) -> str:
        return str(self.get(*path)).format_map(ctx)

    def join(self, items: list[str]) -> str:
        return str(self.data["list_sep"]).join(items)


def _place_name(place: PlaceLike, lang: str) -> str:
    return place.zh if lang == "zh" else place.en


def _city_of(rules: Rules, place: PlaceLike) -> PlaceLike:
    """The city a district belongs to (offices are named after the city)."""
    while place.kind == "district" and place.parent:
        parent = rules.places.get(place.parent)
        if parent is None or parent.kind == "province":
            break
        place = parent
    return place


def _jurisdiction(rules: Rules, where: Jurisdiction) -> dict[str, str | None]:
    """Where the answer applies: `city` is the city, county-level city or county (facts.md);
    a district named is reported beside the city it belongs to."""
    if where.place is not None:
        city = _city_of(rules, where.place)
        found: dict[str, str | None] = {"province": where.province, "city": city.id}
        if city is not where.place:
            found["district"] = where.place.id
        return found
    outside = where.outside.id if where.outside else None
    return {"province": where.province,
            "city": outside if outside and CITY_ID.match(outside) else None}


def value_label(words: _Words, fact: str, value: Any) -> str:
    definition = words.rules.facts.get(fact)
    if value is None:
        return str(words.get("values", "unknown"))
    if definition is None:
        return str(value)
    if definition.type == "bool":
        return str(words.get("values", "true" if value else "false"))
    if definition.type == "enum":
        return str(words.get("questions", fact, "buttons").get(str(value), value))
    if definition.type == "number":
        unit = definition.unit.get(words.lang) if definition.unit else ""
        shown = int(value) if float(value).is_integer() else value
        return words.fill("lines", "value_number", value=shown, unit=unit)
    place = words.rules.places.get(str(value))
    return _place_name(place, words.lang) if place else str(value)


def fact_label(words: _Words, fact: str) -> str:
    definition = words.rules.facts.get(fact)
    return definition.label.get(words.lang) if definition else fact


def clause_ref(words: _Words, ref: str) -> str:
    """`liaoning-2015/5` as the reader sees it; other bases (a source section) as they are."""
    doc_id, _, number = ref.partition("/")
    if doc_id not in words.rules.documents:
        return str((words.get("basis_labels") or {}).get(ref, ref))
    return words.fill("clause_ref", short=words.get("doc_short", doc_id), clause=number)


def citation(rules: Rules, ref: str, lang: str) -> dict[str, Any]:
    """The clause verbatim in `lang` if the data has it, else in the other language."""
    doc_id, number = ref.split("/")
    clause = rules.clauses[ref]
    text_lang = lang if lang in clause.text else next(iter(clause.text))
    text = clause.text[text_lang]
    return {
        "doc": doc_id,
        "clause": number,
        "title": clause.title.get(lang),
        "text": text.text,
        "text_lang": text_lang,
        "official_text": text.official,
    }


def _is_translation(rules: Rules, ref: str, lang: str) -> bool:
    """Our own translation, or a text copied from a source file that is a translation."""
    text = rules.clauses[ref].text[lang]  # type: ignore[index]
    if text.translation_of:
        return True
    doc = rules.documents[ref.split("/")[0]]
    return any(s.file == text.source and s.kind == "translation" for s in doc.sources)


RESPONSIBLE_UNITS = re.compile(
    r"[（(]\s*(?:责任单位|[Rr]esponsible units?)\s*[:：]\s*([^）)]+?)\s*[）)]"
)


def responsible_units(text: str) -> str | None:
    """The "(Responsible unit: …)" of a clause, as the clause itself words it."""
    found = RESPONSIBLE_UNITS.search(text)
    return found.group(1) if found else None


def _citation_line(words: _Words, ref: str, cite: dict[str, Any], quote: str = "full") -> str:
    if quote != "full":
        units = responsible_units(cite["text"]) if quote == "units" else None
        key = "citation_units" if units else "citation_title"
        return words.fill("lines", key, ref=clause_ref(words, ref), title=cite["title"],
                          units=units or "")
    if cite["text_lang"] != words.lang:
        marker = words.get("markers", "other_language")
    elif _is_translation(words.rules, ref, words.lang):
        marker = words.get("markers", "translation")
    elif not cite["official_text"]:
        marker = words.get("markers", "unofficial")
    else:
        marker = ""
    return words.fill("lines", "citation", ref=clause_ref(words, ref), title=cite["title"],
                      text=cite["text"].strip(), marker=marker)


def clause_name(rules: Rules, ref: str, lang: str) -> str:
    """`liaoning-2015/5` as answers name it (`辽政发〔2015〕18号第5条`)."""
    return clause_ref(_Words(rules, lang), ref)


def citation_line(rules: Rules, cite: dict[str, Any], lang: str) -> str:
    """One citation of a `policy_answer` as its answer text quotes it: document and number,
    title, the whole text, and the mark of a translation or of another language."""
    return _citation_line(_Words(rules, lang), f"{cite['doc']}/{cite['clause']}", cite)


def question(rules: Rules, fact: str, lang: str) -> dict[str, Any]:
    """What to ask next; buttons carry the payloads the assistant understands."""
    words = _Words(rules, lang)
    spec = words.get("questions", fact)
    definition = rules.facts.get(fact)
    buttons: list[dict[str, str]] = []
    if definition is not None and definition.type == "bool":
        buttons = [
            {"title": str(words.get("values", "true")), "payload": "/affirm"},
            {"title": str(words.get("values", "false")), "payload": "/deny"},
        ]
    else:
        for value, title in (spec.get("buttons") or {}).items():
            entity = json.dumps({fact: value}, ensure_ascii=False, separators=(",", ":"))
            buttons.append({"title": str(title), "payload": f"/inform{entity}"})
    return {"fact": fact, "text": str(spec["text"]), "buttons": buttons}


def _office(words: _Words, office_id: str, city: str) -> dict[str, str]:
    office = words.rules.offices[office_id]
    return {"id": office_id, "name": office.name.get(words.lang).format_map({"city": city})}


def answer(rules: Rules, topic: str, lang: str, on: date, facts: dict[str, Any],
           where: Jurisdiction, result: Result) -> dict[str, Any]:
    words = _Words(rules, lang)
    place = where.place
    if place is not None:
        place_name = _place_name(place, lang)
        city = _place_name(_city_of(rules, place), lang)
    elif where.province:
        place_name = str(words.get("provinces", where.province))
        city = str(words.get("local_city"))
    else:
        place_name = str(words.get("local_place"))
        city = str(words.get("local_city"))

    offices = [_office(words, o, city) for o in result.offices]
    decider = next((o["name"] for o in offices if o["id"] == result.decided_by), "")
    primary = result.clauses[0] if result.clauses else None
    ctx: dict[str, Any] = {
        "place": place_name,
        "city": city,
        "province": words.get("provinces", where.province) if where.province else "",
        "topic": words.get("topics", topic),
        "action": words.get("actions", result.topic or topic),
        "clause": clause_ref(words, primary) if primary else "",
        "decider": decider,
        "missing": words.join([fact_label(words, f) for f in result.missing]),
        "unmet": _told_conditions(words, result.unmet),
    }

    # A question still cites the clauses of the route it asks for: they are why it asks.
    refs = result.clauses if result.verdict == "need_more_info" else [*result.clauses,
                                                                        *result.also]
    refs = list(dict.fromkeys(refs))
    citations = [citation(rules, ref, lang) for ref in refs]
    show_documents = result.verdict in ("eligible", "conditional", "info")
    documents = [_document(words, item) for item in (result.documents if show_documents else [])]
    notes = [words.fill("notes", key, **ctx) for key in result.notes]
    for doc_id in result.out_of_effect:
        doc = rules.documents[doc_id]
        unknown = words.get("notes", "unknown_date")
        notes.append(words.fill(
            "notes", "out_of_effect", doc=words.get("doc_short", doc_id), as_of=on.isoformat(),
            **{"from": doc.effective_from or unknown, "to": doc.effective_to or unknown},
        ))

    headline = _headline(words, result, where, ctx)
    lines = [headline, *_pathway_lines(words, result), *notes]
    route = result.route
    if route and route.family_line and result.verdict in ("eligible", "conditional"):
        lines.append(words.fill("family_lines", route.family_line, **ctx))
    if decider and decider not in headline:
        lines.append(words.fill("lines", "decided_by", decider=decider))
    if route and route.indicators and result.verdict == "conditional":
        lines.append(str(words.get("headings", "indicators")))
        lines += [
            words.fill("lines", "indicator", label=fact_label(words, f),
                       value=value_label(words, f, facts.get(f)))
            for f in route.indicators
        ]
    quote = route.quote if route else "full"
    if citations:
        lines.append(str(words.get("headings", "citations" if quote == "full" else
                                   "citation_titles")))
        lines += [_citation_line(words, ref, c, quote)
                  for ref, c in zip(refs, citations, strict=True)]
    if documents:
        lines.append(str(words.get("headings", "documents")))
        lines += [
            words.fill("lines", "document_if" if item.when else "document", name=d["name"],
                       proves=words.get("proves", d["proves"]),
                       basis=clause_ref(words, d["basis"]),
                       condition=_condition_text(words, item.when) if item.when else "")
            for item, d in zip(result.documents, documents, strict=True)
        ]
    if offices:
        responsible = bool(route and route.responsible_offices)
        lines.append(str(words.get("headings", "responsible" if responsible else "offices")))
        lines += [words.fill("lines", "office", name=o["name"]) for o in offices]
    next_question = question(rules, result.missing[0], lang) if result.missing else None
    if next_question:
        lines.append(next_question["text"])

    return {
        "type": "policy_answer",
        "lang": lang,
        "topic": topic,
        "jurisdiction": _jurisdiction(rules, where),
        "verdict": result.verdict,
        "citations": citations,
        "facts": facts,
        "missing": result.missing,
        "documents": documents,
        "offices": offices,
        "rules_version": rules.version,
        "as_of": on.isoformat(),
        "trace": result.trace,
        "route": route.id if route else None,
        "decided_by": next((o for o in offices if o["id"] == result.decided_by), None),
        "notes": notes,
        "text": "\n".join(lines),
        "question": next_question,
    }


def _told_conditions(words: _Words, told: list[tuple[str, Any]]) -> str:
    """Conditions not met, with what the person said ("legally stable residence (you said:
    none)")."""
    return words.join([
        words.fill("lines", "condition", label=fact_label(words, f),
                   value=value_label(words, f, v))
        for f, v in told
    ])


def _condition_text(words: _Words, condition: Accepted) -> str:
    """What meets a condition ("legally stable residence: own home or lawful lease")."""
    shown = [value_label(words, condition.fact, v) for v in condition.values]
    if condition.at_least:
        shown = [words.fill("lines", "at_least", value=v) for v in shown]
    return words.fill("lines", "change", label=fact_label(words, condition.fact),
                      values=str(words.get("or_sep")).join(shown))


def _document(words: _Words, item: Item) -> dict[str, Any]:
    """A checklist entry; one that depends on a fact not known yet says on which value."""
    doc = words.rules.doc_types[item.doc_id]
    entry: dict[str, Any] = {"id": item.doc_id, "name": doc.name.get(words.lang),
                             "proves": doc.proves, "basis": item.basis}
    if item.when is not None:
        entry["if"] = {"fact": item.when.fact, "values": list(item.when.values),
                       "at_least": item.when.at_least}
    return entry


def _pathway_lines(words: _Words, result: Result) -> list[str]:
    """Why the pathway asked about does not apply when another does; when none admits the
    person, what would change that and which pathways no fact of theirs points to yet."""
    lines: list[str] = []
    if result.instead_of:
        ref, unmet = result.instead_of
        key = "instead_of" if result.verdict in ("eligible", "conditional") else "instead_of_open"
        lines.append(words.fill("lines", key, ref=clause_ref(words, ref),
                                unmet=_told_conditions(words, unmet)))
    if result.would_change:
        changes = [_condition_text(words, condition) for condition in result.would_change]
        lines.append(words.fill("lines", "would_change", changes=words.join(changes)))
    if result.untried:
        lines.append(words.fill("lines", "untried", pathways=words.join([
            words.fill("lines", "pathway", topic=words.get("topics", topic),
                       ref=clause_ref(words, ref)) for topic, ref in result.untried])))
    return lines


def _headline(words: _Words, result: Result, where: Jurisdiction, ctx: dict[str, Any]) -> str:
    if where.outside is not None:
        name = _place_name(where.outside, words.lang)
        return str(words.get("sentence_sep")).join([
            words.fill("not_covered", "place", place=name),
            words.fill("not_covered", "where_to_ask"),
        ])
    if where.unknown is not None:
        return str(words.get("sentence_sep")).join([
            words.fill("not_covered", "unknown_place", place=where.unknown),
            words.fill("not_covered", "where_to_ask"),
        ])
    key = result.verdict
    if result.verdict == "not_eligible" and not result.unmet:
        key = "not_eligible_plain"
    if result.verdict == "not_covered":
        return str(words.get("sentence_sep")).join([
            words.fill("verdict", "not_covered", **ctx),
            words.fill("not_covered", "where_to_ask"),
        ])
    # The route's own sentence for this verdict, else the general one (both in wording).
    if result.headline:
        province, route_id = result.headline
        own = (words.get("headlines").get(province) or {}).get(route_id) or {}
        if key in own:
            return words.fill("headlines", province, route_id, key, **ctx)
    return words.fill("verdict", key, **ctx)


def term_answer(rules: Rules, term_id: str, lang: str) -> dict[str, Any]:
    words = _Words(rules, lang)
    term = rules.glossary.get(term_id)
    base: dict[str, Any] = {
        "type": "policy_answer",
        "lang": lang,
        "jurisdiction": {"province": None, "city": None},
        "facts": {},
        "missing": [],
        "documents": [],
        "offices": [],
        "rules_version": rules.version,
        "as_of": date.today().isoformat(),
        "trace": [],
        "question": None,
        "term": term_id,
    }
    if term is None:
        return {**base, "topic": "policy_overview", "verdict": "not_covered", "citations": [],
                "text": words.fill("term", "unknown", term=term_id)}
    citations = [citation(rules, ref, lang) for ref in term.clauses]
    lines = [words.fill("term", "definition", name=term.name.get(lang),
                        definition=term.definition.get(lang))]
    lines.append(str(words.get("headings", "citations")))
    lines += [_citation_line(words, ref, c) for ref, c in zip(term.clauses, citations, strict=True)]
    return {**base, "topic": term.topic, "verdict": "info", "citations": citations,
            "text": "\n".join(lines)}
