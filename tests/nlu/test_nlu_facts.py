"""interpret() and interpret_entities(): entity values -> typed facts."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu.facts import (
    YEAR_FACTS,
    asks,
    asks_of_another_service,
    asks_of_another_subject,
    clause_around,
    duration_fact,
    fact_keywords,
    interpret,
    interpret_entities,
    is_question_clause,
    named_pathway,
    pathway_asked,
    split_at_clause_breaks,
    stated_value,
)
from policies import load_rules


@pytest.mark.parametrize(
    ("entity", "value", "expected"),
    [
        ("social_insurance", "没交社保", False),
        ("social_insurance", "没有交社保", False),
        # the longer negative keyword wins over 法人代表 (same length as 不是法人)
        ("legal_representative", "不是法人代表", False),
        ("legal_representative", "我是法人代表", True),
        ("social_insurance", "交了社保", True),
        ("social_insurance", "交了五年社保", True),
        ("social_insurance", "true", True),
        ("social_insurance", "false", False),
        ("social_insurance", True, True),
        ("social_insurance", "paid social insurance", True),
        ("social_insurance", "haven't paid social insurance", False),
        ("employment", "has no job", False),
        ("employment", "失业", False),
        ("employment", "在丹东上班", True),
        ("residence", "租的房子", "rented"),
        ("residence", "rented", "rented"),
        ("residence", "rent an apartment", "rented"),
        ("residence", "买的房子", "owned"),
        ("residence", "bought an apartment", "owned"),
        ("residence", "没房", "none"),
        ("residence", "没有自己的房子", None),
        ("residence", "parent", None),
        ("social_insurance_years", "交了五年社保", 5),
        ("social_insurance_years", "两年半", 2.5),
        ("residence_years", "3 years", 3),
        ("tax_years", "不知道", None),
        ("hukou_now", "非农业户口", "urban"),
        ("hukou_now", "农业户口", "rural"),
        ("education", "职业高中", "vocational_high"),
        ("education", "just finished vocational school", "technical_school"),
        ("employment", "been grinding at a warehouse", True),
        ("lives_there", "i moved in to take care of him", True),
        ("education", "大专", "college"),
        ("relation", "老公", "spouse"),
        ("relation", "parents", "parent"),
        ("lang", "English", "en"),
        ("lang", "中文", "zh"),
        ("city", "瓦房店", "wafangdian"),
        ("city", "大連", "dalian"),
        ("city", "Dalian", "dalian"),
        ("city", "dandong", "dandong"),
        ("city", "北京朝阳区", "beijingchaoyang"),
        ("city", "朝阳", "chaoyang"),
        ("city", "nowhere", None),
        ("province", "辽宁", "liaoning"),
        ("province", "Shandong", "shandong"),
        ("term", "合法稳定住所", "legal_stable_residence"),
        ("term", "legal stable residence", "legal_stable_residence"),
        ("term", "legal_stable_residence", "legal_stable_residence"),
        ("unknown_fact", "true", None),
        ("employment", "", None),
        ("employment", "probably", None),
        ("employment", "an", None),
        ("veteran", "have a steady job", None),
        ("employment", None, None),
    ],
)
def test_interpret(entity: str, value: Any, expected: Any) -> None:
    result = interpret(entity, value)
    assert result == expected
    assert type(result) is type(expected)


def test_interpret_entities_types_every_fact() -> None:
    facts = interpret_entities(
        [
            {"entity": "city", "value": "瓦房店", "start": 2, "end": 5},
            {"entity": "residence", "value": "租的房子"},
            {"entity": "social_insurance", "value": "false"},
            {"entity": "social_insurance_years", "value": "五年"},
            {"entity": "employment", "value": "nonsense that names nothing"},
            {"entity": "education", "value": "???"},
            {"value": "no entity name"},
        ]
    )
    assert facts == {
        "city": "wafangdian",
        "residence": "rented",
        "social_insurance": False,
        "social_insurance_years": 5,
    }  # a span naming no employment word states nothing: employment stays unknown


def test_a_city_outside_does_not_override_one_inside() -> None:
    entities = [{"entity": "city", "value": "大连"}, {"entity": "city", "value": "河南"}]
    assert interpret_entities(entities) == {"city": "dalian"}
    assert interpret_entities(entities[1:]) == {"city": "henan"}
    assert interpret_entities(list(reversed(entities))) == {"city": "dalian"}


def test_keywords_name_values_the_rules_know() -> None:
    facts = load_rules().facts
    for fact, by_value in fact_keywords().values.items():
        if fact == "lang":
            assert set(by_value) == {"zh", "en"}
            continue
        definition = facts[fact]
        allowed = {"true", "false"} if definition.type == "bool" else set(definition.values)
        assert set(by_value) <= allowed, fact


def test_a_keyword_names_one_value_of_its_fact() -> None:
    values: dict[tuple[str, str], set[str]] = {}
    for fact, value, keyword in fact_keywords().all_keywords():
        values.setdefault((fact, keyword.lower()), set()).add(value)
    assert not {key: found for key, found in values.items() if len(found) > 1}


def test_every_enum_and_bool_fact_has_keywords() -> None:
    facts = load_rules().facts
    expected = {
        name
        for name, definition in facts.items()
        if definition.type in ("bool", "enum") and definition.ask and name != "studying"
    } - {"province"}
    assert expected <= set(fact_keywords().values)


@pytest.mark.parametrize(
    ("text", "span", "entity", "expected"),
    [
        ("it has fixed business premises and pays tax", "has", "business_premises", True),
        ("我是单位集体户口，现在结婚有孩子了，能立户吗", "现在", "has_family", True),
        ("I rent, but I have no job now", "have", "employment", False),
        ("probably 曲阜", "probably", "employment", None),
        ("我在大连，房子嘛，还没定", "房子嘛", "residence", None),
    ],
)
def test_a_span_without_its_word_is_read_in_its_clause(
    text: str, span: str, entity: str, expected: Any
) -> None:
    start = text.index(span)
    found = {"entity": entity, "value": span, "start": start, "end": start + len(span)}
    assert interpret_entities([found]) == {}  # the span alone names no value
    assert interpret_entities([found], text).get(entity) == expected


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        # the clause that names the fact is kept
        ("social_insurance", "我没交社保 单位没给交", ["没交社保"]),
        ("residence", "没房 住我姐家", ["没房"]),
        ("residence", "renting, no job", ["renting"]),
        # two clauses that both name it stay two spans
        ("graduate_this_year", "刚毕业 应届的", ["刚毕业", "应届的"]),
        # no clause names it: the tagger's first clause
        ("residence", "住亲戚家 没自己房", ["住亲戚家"]),
        # not a clause break: a decimal point, a space in English, a place (no keywords)
        ("social_insurance_years", "1.5 years", ["1.5 years"]),
        ("legal_representative", "legal representative", ["legal representative"]),
        ("city", "沈阳 铁西", ["沈阳 铁西"]),
    ],
)
def test_a_span_is_cut_at_clause_breaks(entity: str, text: str, expected: list[str]) -> None:
    start = 1 if text.startswith("我") else 0
    parts = split_at_clause_breaks(entity, text, start, len(text))
    assert [text[a:b] for a, b in parts] == expected


def test_a_space_between_chinese_words_ends_a_clause() -> None:
    assert clause_around("有工作 在厂里", 0, 3) == "有工作"
    assert clause_around("i have a job now", 2, 6) == "i have a job now"
    assert clause_around("交了1.5年社保，没工作", 0, 3) == "交了1.5年社保"


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        # the word that says what the duration is of lies beyond the tagger's window
        ("在沈阳交了六年的社保 本科", "六年", "social_insurance_years"),
        ("在大连租房住了三年", "三年", "residence_years"),
        ("纳税满3年", "3年", "tax_years"),
        ("paid social insurance for 3 years, lived here for 5 years", "5 years", "residence_years"),
        # words of two years facts in one clause, or of none: undecided
        ("lived in Dalian for 5 years and paid social insurance for 3 years", "5 years", None),
        ("毕业两年了", "两年", None),
    ],
)
def test_a_duration_is_of_the_fact_its_clause_names(
    text: str, span: str, expected: str | None
) -> None:
    start = text.index(span)
    assert duration_fact(text, start, start + len(span)) == expected


def test_durations_cover_exactly_the_years_facts() -> None:
    assert set(fact_keywords().durations) == set(YEAR_FACTS)


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    [
        ("social_insurance", "社保交了", True),
        ("social_insurance", "社保也一直交着", True),
        ("social_insurance", "社保交了，但是没签合同", True),  # the other clause's 没 is not read
        ("social_insurance", "没交社保", False),
        ("residence", "嗯 租的", "rented"),
        ("qualification", "有初级专业技术职称", "junior_professional"),
        ("employment", "嗯", None),
        ("city", "大连", None),  # a fact without keywords
    ],
)
def test_stated_value_reads_the_clause_that_names_the_fact(
    fact: str, text: str, expected: Any
) -> None:
    assert stated_value(fact, text) == expected


def test_where_the_persons_household_registration_is_now_speaks_of_no_move() -> None:
    assert not asks("hukou", "My hukou is in Cangzhou. I've rented in Binzhou a year. Can I apply?")
    assert not asks("hukou", "我户口在农村，在滨州打工")
    assert asks("hukou", "户口在河南，想落户济南")


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("山东那些早年进城落户的人，现在还能把户口迁回农村吗", True),  # of people in general
        ("在大连上班的人能落户吗", True),
        ("城里人能去农村落户吗", True),  # of a group of people
        ("在大连上班，租房，能落户吗", False),  # the person's own, pronoun dropped
        ("我在大连上班，租房，能落户吗", False),
        ("what are the rules for settling in dalian", True),  # no question mark
        ("Can local governments force rural people to move into towns", True),
        ("can i settle in dalian", False),
    ],
)
def test_a_question_about_people_in_general_asks_the_rules(text: str, rules: bool) -> None:
    assert asks("rules", text) == rules


@pytest.mark.parametrize(
    ("text", "pathway"),
    [
        ("居住证怎么办", "residence_permit"),
        ("那要是不办居住证，直接把户口落到聊城行不行", None),
        ("没有居住证能落户吗", None),
        ("投资落户要什么", "investment_settlement"),
    ],
)
def test_a_negated_pathway_is_none_named(text: str, pathway: str | None) -> None:
    assert named_pathway(text) == pathway


def test_a_pathway_named_in_a_question_is_asked_unless_the_hukou_is() -> None:
    assert pathway_asked("I know Dalian hukou is hard. can I at least get a residence permit?",
                         "residence_permit")
    assert not pathway_asked("I've held a residence permit in Rizhao for two years. "
                             "Can I settle?", "residence_permit")
    assert not pathway_asked("能在烟台落户吗？是不是还得先办居住证才行？", "residence_permit")


@pytest.mark.parametrize(
    ("text", "duration", "fact"),
    [
        ("在沈阳租房住，已经三年了", "三年", "residence_years"),
        ("I've been here since last spring, so over a year now", "a year", "residence_years"),
        ("交了社保，已经三年了", "三年", "social_insurance_years"),
        ("在济南上班半年多了", "半年", "residence_years"),
    ],
)
def test_a_duration_is_of_the_fact_its_clause_or_the_one_before_names(
        text: str, duration: str, fact: str) -> None:
    at = text.index(duration)
    assert duration_fact(text, at, at + len(duration)) == fact


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("I work in Weihai and rent a room near the port. Which bank gives the best rate on a "
         "car loan?", True),
        ("我在淄博租房上班，请问附近哪个驾校练车比较便宜？", True),
        ("My wife and I live in Linyi. What time does the zoo open on Sundays?", True),
        # it asks of what it told, of the person's chances or papers, or of our words
        ("我在丹东上班，交社保，租房，能过去吗？", False),
        ("I work in Anshan with a contract, what do I have to hand in?", False),
        ("我是中专毕业的，在鞍山厂里上班签了合同，住宿舍，这种情况有戏没？", False),
        ("My wife works in Linyi. How long before I can join her?", False),
        ("I rent in Yantai. Which office handles the hukou move?", False),
        ("我在烟台租房，居住证去哪个派出所办？", False),
        ("I work in Jinan and rent. What documents does the police station want?", False),
        ("我在大连上班。", False),  # no question
    ],
)
def test_a_question_of_something_none_of_our_words_name(text: str, other: bool) -> None:
    assert asks_of_another_subject(text) == other


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("威海对退役军人回乡有哪些优待的政策？", True),
        ("东营落户有啥硬性门槛", True),
        ("我在丹东上班，有什么问题吗", False),  # no word of rules
        ("什么时候能办，政策呢", False),  # another clause
        # what a residence permit held opens
        ("有了居住证，孩子能在这边上学吗", True),
        ("With a residence permit, can I get a driving licence where I live?", True),
        # ... the word of rules first
        ("这次户籍制度改革的基本原则都有哪些？", True),
        ("落户条件有哪些", True),
    ],
)
def test_a_question_word_and_a_word_of_rules_apart_ask_the_rules(text: str, rules: bool) -> None:
    assert asks("rules", text) == rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我户口在青岛，办护照要不要带户口本？", True),
        ("How do I renew my work permit and Z visa before it expires?", True),
        ("Any tips for a job interview at a factory in Dalian? It's my first one", True),
        ("新买的车要上牌照，去哪个车管所办？要带啥？", True),
        # a household registration moved or settled, or a pathway named, is ours
        ("办护照需要户口迁过来吗", False),
        ("I have a job interview in Dalian next week, can I move my hukou there if hired?",
         False),
        ("有了居住证能在这边考驾照吗", False),
        # a service named in a statement asks nothing of it
        ("I'm a nurse at a hospital in Anshan, can I settle?", False),
        # social insurance moved, the household registration said to stay
        ("社保从大连转到青岛怎么转接？只转社保，户口不动", True),
        ("How do I transfer my pension insurance from Shenyang to Jinan? Not moving my hukou, "
         "just the insurance.", True),
        ("社保转到青岛了，户口能迁过去吗？", False),
        ("我在烟台芝罘区租房，退租了房东不退押金，怎么办？", True),
    ],
)
def test_a_question_of_another_public_service(text: str, expected: bool) -> None:
    assert asks_of_another_service(text) is expected


@pytest.mark.parametrize(
    "text",
    ["沈阳积分落户要多少分，是省里统一定的吗？", "How many points do I need to settle in Dalian?",
     "Do I have to pay anything for my first residence permit?"],
)
def test_whether_a_score_or_a_fee_is_fixed_asks_the_rules(text: str) -> None:
    assert asks("rules", text)


def test_a_negation_right_before_another_facts_word_denies_that_one_only() -> None:
    """"没有自己房子住的宿舍": no home of one's own, living in the dormitory; "没开店做买卖"
    denies both, the second word right after the first."""
    assert interpret("lives_there", "没有自己房子住的宿舍") is True
    assert interpret("employment", "没开店做买卖") is False
    assert interpret("lives_there", "没住宿舍") is False


def test_tax_paid_for_years_typed_short_is_tax_years() -> None:
    text = "we rent an offce as our fixed premises, paid taxs 2 yrs"
    start = text.index("2 yrs")
    assert duration_fact(text, start, start + 5) == "tax_years"


@pytest.mark.parametrize(
    ("text", "words", "question"),
    [("I run a guesthouse and live in the back of it, which I lease together with the shop.",
      "lease", False),
     ("My wife rents in Jinan, where she works.", "works", False),
     ("I rent in Dandong, which documents do I need", "documents", True),
     ("I live in Jinan, where can I apply", "apply", True)],
)
def test_a_relative_clause_after_a_comma_asks_nothing(text: str, words: str,
                                                       question: bool) -> None:
    start = text.index(words)
    assert is_question_clause(text, start, start + len(words)) == question


@pytest.mark.parametrize("text", ["So can I register in Dalian now or not?",
                                  "How do I register my household in a county in Hebei?"])
def test_registering_somewhere_speaks_of_household_registration(text: str) -> None:
    assert asks("hukou", text)
