"""FactReader: the facts stated in clauses that ask nothing, every entity typed."""

from __future__ import annotations

from typing import Any

import pytest
from fact_reading import mention, read
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.fact_reader import FactReader, read_facts, read_message, replies
from assistant.nlu.facts import fact_keywords
from assistant.nlu.tokenizer import segmenter
from policies.model import TOPICS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这两年一直在营口打工，单位给上五险，现在住租的房子。户口想落过去行不行",
         {"employment": True, "social_insurance": True, "residence": "rented"}),
        ("Nothing there is mine, we rent a small flat. Could we settle?",
         {"residence": "rented"}),
        ("the company pays my insurance, but I don't own anything there - I rent",
         {"residence": "rented"}),
        ("没交过社保，能落户吗", {"social_insurance": False}),
        # 民办非企业单位 is a kind of employer, no negation
        ("刚跟盘锦一家民办非企业单位签了劳动合同", {"labor_contract": True}),
        ("想回聊城老家农村创业搞养殖", {"returning_to_work_or_business": True}),
        ("不是投靠谁，就是自己想回农村种点地", {"relation": "none"}),
        ("househol registraton Tieling, socal security paid", {"social_insurance": True}),
        ("俺在鞍山干了五六年保洁了，单位给交着保险", {"employment": True,
                                          "social_insurance": True}),
        ("I'm a taxi driver in Yingkou", {"employment": True}),
        ("我是外地户口，在大连租房住了半年多", {"residence": "rented"}),
        # words of one statement apart in a clause (fact_values.yml `together`)
        ("退休了，老两口在兴城海边买了个小房子", {"residence": "owned"}),
        ("we bought a small place in Gaizhou last year", {"residence": "owned"}),
        ("I want to go back to my home village in Juye and start an e-commerce business",
         {"returning_to_work_or_business": True}),
        # ... and in another clause of the sentence (`within: sentence`)
        ("going back to my home village in Juye County, Heze to start a goat farm",
         {"returning_to_work_or_business": True}),
        ("got a job on a rural revitalisation project in a village in Laiyang",
         {"returning_to_work_or_business": True}),
        # an English negation typed without its apostrophe
        ("i work there but my employer doesnt pay socail insurance",
         {"employment": True, "social_insurance": False}),
        # words typed without the space between them
        ("i workthere with socialinsurance and a contract",
         {"employment": True, "social_insurance": True, "labor_contract": True}),
        ("I have a Dandong city hukou, no family in that village and I'm not a student",
         {"graduate_this_year": False}),
        ("我是辽阳县县城里的居民户口，想把户口迁到乡下村里去", {"hukou_now": "urban"}),
        ("俺在海城开了个饭馆，租的门市", {"business_premises": True}),
        ("im a student at shandong university in jinan", {"studying": True}),
        ("my boss doesnt pay social insurance, no certificates, no company of my own",
         {"social_insurance": False, "qualification": "none", "legal_representative": False}),
        # words typed short (fact_values.yml `shorthand`) and jobs named
        ("Fuxin, workin at a coal mine, rent, ss paid, can i setle",
         {"employment": True, "residence": "rented", "social_insurance": True}),
        ("Linqu county, i liv ther, wanna transfer hukuo frm Hebei", {"lives_there": True}),
        ("I'm a teller at a bank, rent an apartment, no exemption cert",
         {"employment": True, "residence": "rented", "tax_exempt": False}),
        # words holding a question word that ask nothing
        ("在盘山县城租房开个修车铺好几年了", {"residence": "rented"}),
        ("我职高毕业，啥技能证书都没考过",
         {"education": "vocational_high", "qualification": "none"}),
    ],
)
def test_facts_stated_in_any_message_are_read(text: str, expected: dict[str, Any]) -> None:
    facts = read(text)
    for name, value in expected.items():
        assert facts.get(name) == value, facts


@pytest.mark.parametrize(
    "text",
    ["社保要交几年才能落户", "do i need a labor contract", "落户需要社保吗？", "要不要交社保"],
)
def test_a_question_names_a_topic_and_states_nothing(text: str) -> None:
    assert "social_insurance" not in read(text) and "labor_contract" not in read(text)


def test_a_shop_worked_at_planned_or_in_the_village_is_no_premises_of_ones_own() -> None:
    for text in ("I work at a shop in Tieling", "我想开个店", "退伍回村里开了个小卖部"):
        assert "business_premises" not in read(text), text


def test_what_the_person_heard_is_no_fact_about_them() -> None:
    assert read("who can get one? I heard you have to live somewhere 6 months first") == {}
    facts = read("听说要在当地住满半年才能办居住证，我在烟台上班")
    assert facts["employment"] is True and "lives_there" not in facts


def test_a_child_going_to_school_is_no_student_asking() -> None:
    assert "studying" not in read("娃明年该上学了")


def test_a_plan_to_buy_is_no_home_owned() -> None:
    assert "residence" not in read("我们打算在威海买个房子，先问问落户的事")


def test_entities_arrive_typed_and_unreadable_ones_state_nothing() -> None:
    text = "交了五年社保 probably"
    entities = [
        {"entity": "social_insurance_years", "start": 2, "end": 4, "value": "五年"},
        {"entity": "employment", "start": 7, "end": 15, "value": "probably"},
    ]
    facts = read(text, entities)
    assert facts["social_insurance_years"] == 5
    assert "employment" not in facts


def test_added_entities_name_the_reader_as_their_extractor() -> None:
    text = "我在锦州上班，租房住"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    added = read_facts([], text, tokens)
    assert added and all(e["extractor"] == FactReader.__name__ for e in added)


def city(text: str) -> str:
    mentions: list[dict[str, Any]] = []
    for name in ("鞍山", "本溪", "沈阳", "大连", "瓦房店", "Anshan", "Shenyang", "河南", "淄博",
                 "Linyi", "Yishui", "聊城", "济南", "Xuzhou", "Tengzhou", "Heishan", "Tai'an",
                 "Feicheng", "铁岭", "长春", "北京", "Jimo"):
        at = text.find(name)
        if at >= 0:
            mentions.append({"entity": "city", "start": at, "end": at + len(name), "value": name})
    mentions.sort(key=lambda e: int(e["start"]))
    return str(read(text, mentions).get("city"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚才说错了，我是在本溪上班，不是鞍山", "benxi"),
        # where a relative is registered is whom the person joins, not where they come from
        ("我老伴户口在沈阳，我户口还在鞍山农村，想投靠老伴落户行不行", "shenyang"),
        ("My mistake: Anshan, not Shenyang.", "anshan"),
        ("我在沈阳市区上班，瓦房店是我老家", "shenyang"),
        ("户口还在河南，我在淄博开店", "zibo"),
        ("想落在大连的瓦房店", "wafangdian"),
        ("我在鞍山上班", "anshan"),
        ("I rent in Linyi. My hukou is in a village in Yishui county.", "linyi"),
        ("我在济南上班 租房住 hk在聊城农村", "jinan"),
        # a place named only as where the hukou is now is none to settle in
        ("I've been renting there for ten months, my hukou is in Anshan.", "None"),
        ("户口还在河南，能办居住证吗", "None"),
        ("我户口想迁到沈阳", "shenyang"),
        ("Sorry, I mixed it up - I rent in Xuzhou, not Tengzhou.", "xuzhou"),
        ("My wife's hukou is in a village in Heishan county, can I move there?", "heishan"),
        # a village where someone is gives way, unless the move is to a village
        ("My daughter works in Tai'an city. I'm retired and live in a village in Feicheng. "
         "Can I move my hukou to hers in Tai'an?", "taian"),
        ("My hukou is in Tai'an. Can I move it to my grandparents' village in Feicheng?",
         "feicheng"),
        # an origin inside the provinces gives way to a destination outside them
        ("老家铁岭的，现在在长春上班买了房，想把户口迁到长春", "changchun"),
        # a place named after a move back is where the person moves, "from" one is the origin
        ("今年刚毕业，现在在北京实习。想把户口先迁回铁岭老家村里", "tieling"),
        ("me and my wife both live in Jimo, want to move our hukou here from Linyi", "jimo"),
    ],
)
def test_of_several_places_the_one_to_settle_in_is_the_fact(text: str, expected: str) -> None:
    assert city(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the firm has no office or premises of its own",
         {"business_premises": False}),
        ("she has no job contract yet", {"labor_contract": False}),
        ("I rent, and the boss never paid social insurance for me",
         {"social_insurance": False}),
        ("有工作没社保", {"employment": True, "social_insurance": False}),
        ("村里也没别的亲戚", {"relation": "none"}),
        # a key word of two facts states both
        ("I don't live or work in Weihai", {"lives_there": False, "employment": False}),
        ("我退休了", {"employment": False, "graduate_this_year": False}),
    ],
)
def test_a_negation_before_a_fact_counts(text: str, expected: dict[str, Any]) -> None:
    facts = read(text)
    for name, value in expected.items():
        assert facts.get(name) == value, facts


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("我爸妈还住在农村老家", "move_to"),
        ("父母早就走了，我一个人在这边", "relation"),
        ("the boss is strict about overtime", "legal_representative"),
        ("I work at a shop in Panjin under a labour contract", "business_premises"),
    ],
)
def test_words_that_often_speak_of_others_are_not_read_alone(text: str, absent: str) -> None:
    assert absent not in read(text)


@pytest.mark.parametrize(
    ("text", "intent", "relation"),
    [
        ("我老公在丹东上班，我和孩子能把户口迁过去不", "family_reunion", "spouse"),
        ("My mum wants to move in with me in Jinan", "family_reunion", "parent"),
        ("想投靠女儿，她在大连上班", None, "child"),  # 投靠 names the pathway
    ],
)
def test_kinship_words_name_the_relative_joined_in_a_message_about_joining(
    text: str, intent: str | None, relation: str
) -> None:
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert read_message(text, [], tokens, intent)[1]["relation"] == relation


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("俺儿在烟台莱山区上班有户口，俺们老两口想把户口落到烟台城里中不中", "child"),
        ("我老公在丹东上班，我和孩子能把户口迁过去不", "spouse"),
        # no place in the relative's clause, or another place than the one to settle in
        ("爸妈都在农村老家，我在济南上班能落户吗", None),
        ("thinking about moving my hukou to Binzhou, my folks are back in Linyi", None),
        # registered elsewhere, moving here
        ("I live and work in Dezhou. My 10-year-old son's hukou is still with his "
         "grandparents in Hebei, how do I move him to me", "child"),
    ],
)
def test_kinship_words_outside_a_message_about_joining_name_a_relative_at_the_place(
    text: str, relation: str | None
) -> None:
    assert read(text).get("relation") == relation


def test_an_extracted_word_that_often_names_another_person_states_nothing() -> None:
    text = "老板不给交保险"
    boss = {"entity": "legal_representative", "start": 0, "end": 2, "value": "老板"}
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    entities, facts, _ = read_message(text, [boss], tokens)
    assert "legal_representative" not in facts
    # the extractor's entity stays as it found it, marked, so its evaluation is its own
    [kept] = [e for e in entities if e["entity"] == "legal_representative"]
    assert kept == {**boss, "not_the_persons": True}


def test_a_negated_value_of_a_fact_of_several_values_is_unknown() -> None:
    text = "我在镇上既没买房也没租房"
    spans = [("residence", "买房"), ("residence", "租房")]
    entities = [{"entity": n, "start": text.index(w), "end": text.index(w) + len(w), "value": w}
                for n, w in spans]
    assert read(text, entities)["residence"] is None  # unknown (and no longer what was said)
    text = "没房但租了房子"
    entities = [{"entity": "residence", "start": 0, "end": 2, "value": "没房"},
                {"entity": "residence", "start": 3, "end": 7, "value": "租了房子"}]
    assert read(text, entities)["residence"] == "rented"


def test_no_relative_is_read_alone() -> None:
    assert read("那个村子我没亲戚，只是想去住")["relation"] == "none"


def test_a_span_too_short_to_read_is_read_with_the_words_before_it() -> None:
    text = "We have no relatives in that town"
    at = text.index("relatives")
    entities = [{"entity": "relation", "start": at, "end": at + 9, "value": "relatives"}]
    assert read(text, entities)["relation"] == "none"


def test_an_unreadable_entity_hides_no_keyword() -> None:
    text = "He has no relatives nearby"
    entities = [{"entity": "residence", "start": 7, "end": 9, "value": "no"}]
    assert read(text, entities)["relation"] == "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm from a village in Shandong and work at a plant in Laixi", None),
        ("老家是朝阳农村的，现在在朝阳市里打工", None),
        ("我想把户口迁回老家农村", "rural"),
        ("going back to my home village in Heze", "rural"),
    ],
)
def test_a_village_named_as_where_one_comes_from_is_no_destination(
    text: str, expected: str | None
) -> None:
    word = next(w for w in ("village", "农村") if w in text)
    start = text.index(word)
    village = {"entity": "move_to", "start": start, "end": start + len(word), "value": word}
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    entities, facts, _ = read_message(text, [village], tokens)
    assert facts.get("move_to") == expected
    if expected is None:
        # (the extractor's entity stays, marked as none of the person's)
        assert all(e.get("not_the_persons") for e in entities if e["entity"] == "move_to")


def test_a_village_where_the_family_is_is_no_destination_whatever_the_span_holds() -> None:
    text = "I rent in Fushun, and my family is all back in my home village. Can I settle?"
    village = mention(text, "in my home village", "move_to", value="rural")
    assert "move_to" not in read(text, [village])


def test_a_spouse_in_the_village_is_the_relative_joined_in_a_move_to_the_countryside() -> None:
    text = "I married a farmer from Changtu and want to move my hukou to his village"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert read_message(text, [], tokens, "urban_to_rural")[1]["relation"] == "spouse"


def test_the_topics_that_read_a_fact_are_topics_and_the_fact_is_otherwise_not_read() -> None:
    keywords = fact_keywords()
    for key, topics in keywords.read_in_topics.items():
        fact, _, value = key.partition("=")
        assert fact in keywords.not_read_bare[0], fact
        assert not value or value in keywords.values[fact], key
        assert topics <= set(TOPICS), topics - set(TOPICS)
    assert keywords.rural_move_topics <= set(TOPICS), keywords.rural_move_topics - set(TOPICS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是铁岭市区的城镇户口，退休了想回乡下住，户口迁到村里行吗", "urban"),
        ("I'm a town resident and I married a farmer from a village in Changtu", "urban"),
        ("我爸妈都是乡下的农村户口，想把户口迁到他们村里去", None),
    ],
)
def test_only_an_urban_hukou_is_read_alone_in_a_move_to_the_countryside(
    text: str, expected: str | None
) -> None:
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert read_message(text, [], tokens, "urban_to_rural")[1].get("hukou_now") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我在沈阳上班，社保没交", {"city": "shenyang", "employment": True,
                                  "social_insurance": False}),
        ("社保也没交，合同也没签", {"social_insurance": False, "labor_contract": False}),
        ("社保去年就断了", {"social_insurance": False}),  # stopped
        ("社保一直交着，从来没断过", {"social_insurance": True}),  # never stopped
        ("劳动合同签了，就是社保单位还没给交", {"labor_contract": True,
                                              "social_insurance": False}),
        ("上班不到一年", {"employment": True}),  # an amount, not a negation
        ("社保交了不到两年", {"social_insurance": True}),
        ("工作还不错", {"employment": True}),  # 不错 only contains one
        ("就是打工的，啥证书也没有", {"employment": True, "qualification": "none"}),
        ("单位不给交保险", {"social_insurance": False}),  # 不 before the words: no question
        ("租的房子也没备案", {"residence": "rented"}),  # a lease not registered is a lease
        # (着呢 asks nothing)
        ("在工地干活，五险都交着呢", {"employment": True, "social_insurance": True}),
        ("No degree, no certificates, and they don't pay any insurance for me",
         {"education": "none", "qualification": "none", "social_insurance": False}),
        ("Finished a three-year dazhuan program in nursing", {"education": "college"}),
    ],
)
def test_a_negation_after_a_fact_counts_as_chinese_says_it(
    text: str, expected: dict[str, Any]
) -> None:
    assert read(text) == expected


def test_a_question_ending_in_a_negation_states_nothing() -> None:
    assert read("社保没交吗") == {}


def test_a_negation_alone_ending_a_question_asks_and_negates_nothing() -> None:
    """"能…不" asks; with the entity the extractor tags, the village is where they move."""
    text = "我是城镇户口，户口能迁到他们村里不"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    entity = tagged(text, "村里", "move_to")
    assert read_message(text, [entity], tokens)[1]["move_to"] == "rural"


def tagged(text: str, words: str, fact: str) -> dict[str, Any]:
    """An entity of `fact` over the first `words` of `text`, as the extractor tags it."""
    start = text.index(words)
    return {"entity": fact, "value": words, "start": start, "end": start + len(words)}


def test_facts_named_in_a_question_about_the_rules_are_no_facts_about_the_person() -> None:
    text = "Can a city require you to own a flat of a certain size before you settle there?"
    assert "residence" not in read(text, [tagged(text, "own", "residence")])
    mine = "I own a flat there. Can a city require a certain size before I settle there?"
    assert read(mine, [tagged(mine, "own", "residence")])["residence"] == "owned"


def test_a_village_where_someone_is_now_is_no_destination() -> None:
    text = "I rent in Fushun, and my family is all back in my home village."
    assert "move_to" not in read(text, [tagged(text, "home village", "move_to")])


def test_facts_of_people_in_general_in_a_chinese_question_are_none_of_the_persons() -> None:
    text = "那些在大连上班的人能落户吗"
    assert "employment" not in read(text, [tagged(text, "上班", "employment")])
    mine = "在大连上班，能落户吗"
    assert read(mine, [tagged(mine, "上班", "employment")])["employment"] is True


def test_a_place_name_with_the_county_after_it_is_the_county() -> None:
    """"辽阳县城": the extractor tags 辽阳 (the city); with 县 after it, the county is meant."""
    text = "我在辽阳县城买了房"
    assert read(text, [{"entity": "city", "start": 2, "end": 4, "value": "辽阳"}])["city"] == \
        "liaoyangxian"


def test_a_relatives_hukou_is_not_the_persons() -> None:
    text = "My wife's hukou is in a village in Heishan county"
    at = text.index("village")
    village = {"entity": "hukou_now", "start": at, "end": at + len("village"), "value": "village"}
    assert "hukou_now" not in read(text, [village])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how to settle hukou in jinzhou i rent apartment and have job w/ social insurance",
         {"city": "jinzhou", "residence": "rented", "employment": True,
          "social_insurance": True}),
        ("do i need a labor contract", {}),
        ("can i get hukou in shenyang if i rent", {"city": "shenyang", "residence": "rented"}),
    ],
)
def test_an_english_statement_after_a_question_without_punctuation_is_read(
    text: str, expected: dict[str, Any]
) -> None:
    assert read(text) == expected


def test_a_place_typed_a_letter_short_is_the_place_unless_only_the_hukou_is_there() -> None:
    assert read("can i get hukou in shenyng")["city"] == "shenyang"
    assert "city" not in read("my hukou is in shenyng")


def test_a_hometown_the_words_describe_is_no_move_there() -> None:
    text = "俺老家是铁岭西丰的"
    assert "move_to" not in read(text, [mention(text, "老家", "move_to", value="rural")])
    text = "I'll live in Wulian county town, my home village is just outside it"
    facts = read(text, [mention(text, "Wulian county town"),
                        mention(text, "home village", "move_to", value="rural")])
    assert facts["move_to"] == "urban"
    text = "我想把户口迁回老家，老家是农村的"
    assert read(text, [mention(text, "迁回老家", "move_to", value="rural")])["move_to"] == "rural"


def test_a_place_named_that_the_extractor_missed_is_read() -> None:
    assert read("退伍军人回山东老家农村创业 落户要带啥证件")["city"] == "shandong"
    # (a place the extractor typed as a province is not read again as a city; Heze, which
    # it missed, is found, and is where the person comes from)
    text = "btw my hometown is Heze in Shandong"
    facts = read(text, [mention(text, "Shandong", "province")])
    assert "city" not in facts and facts["origin_place"] == "heze"


def test_a_place_typed_a_letter_short_is_weighed_with_the_places_named_right() -> None:
    text = "renting in Haichen (Anshan), no job right now"
    assert read(text, [mention(text, "Anshan")])["city"] == "haicheng"


def test_a_county_town_named_is_a_move_to_a_town() -> None:
    text = "本来想回宁阳老家村里落户 其实我现在在宁阳县城租房开店"
    facts = read(text, [mention(text, "宁阳"), mention(text, "宁阳县城", last=True)])
    assert facts["move_to"] == "urban" and facts["city"] == "ningyang"
    text = "what if I move to Xiuyan county town instead and rent a place there?"
    assert read(text, [mention(text, "Xiuyan county town")])["move_to"] == "urban"
    registered = "我户口在宁阳县城 想迁回村里"  # the move is to the village, not the town
    assert read(registered, [mention(registered, "宁阳县城")])["move_to"] == "rural"


@pytest.mark.parametrize(
    ("text", "destination", "other"),
    [("thinking about moving my hukou to Binzhou, my folks are back in Linyi", "Binzhou",
      "Linyi"),
     ("wait, my job is in Jiaozhou and I live there too, Laoshan is just where my parents "
      "live", "Jiaozhou", "Laoshan")],
)
def test_a_place_where_someone_else_is_gives_way_to_the_place_to_settle_in(
        text: str, destination: str, other: str) -> None:
    facts = read(text, [mention(text, destination), mention(text, other)])
    assert facts["city"] == destination.lower()


def test_a_place_named_again_by_words_of_an_earlier_name_is_that_place() -> None:
    text = "我在北京朝阳区上班租房，能把户口落到朝阳吗？"
    second = text.rindex("朝阳")
    entities = [{"entity": "city", "start": 2, "end": 7, "value": "北京朝阳区"},
                {"entity": "city", "start": second, "end": second + 2, "value": "朝阳"}]
    assert read(text, entities)["city"] == "beijingchaoyang"
    alone = "我在沈阳上班，能把户口落到朝阳吗？"
    at = alone.index("朝阳")
    assert read(alone, [{"entity": "city", "start": 2, "end": 4, "value": "沈阳"},
                        {"entity": "city", "start": at, "end": at + 2, "value": "朝阳"}]
                )["city"] == "chaoyang"


def test_the_place_of_a_collective_household_is_the_place_asked_about() -> None:
    text = "My hukou is in my company's collective household in Dongying."
    at = text.index("Dongying")
    mention = [{"entity": "city", "start": at, "end": at + 8, "value": "Dongying"}]
    assert read(text, mention)["city"] == "dongying"
    # in another question, the place the hukou is in is no destination
    assert "city" not in read("My hukou is in Dongying.", [
        {"entity": "city", "start": 15, "end": 23, "value": "Dongying"}])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I graduated from a university in Shenyang this summer.", True),
        ("我今年7月从大连的一所大学毕业", True),
        ("I graduated in 2015 and came here this year.", None),
        ("去年毕业的，今年来的沈阳", False),
        ("I graduated from university three years ago and still have no job.", False),
        ("I haven't graduated yet, maybe next year.", None),
        ("Can someone who graduated this summer settle?", None),
    ],
)
def test_words_apart_in_one_clause_state_a_fact(text: str, expected: bool | None) -> None:
    assert read(text).get("graduate_this_year") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("楼房是俺们自己的，在营口", {"residence": "owned"}),
        ("厂房是自己的", {}),  # premises, no home
        ("the factory has paid my insurance for six years", {"employment": True}),
        ("公司给我交着五险", {"employment": True}),
        ("my company pays social insurance for all its employees", {}),  # the employer
    ],
)
def test_a_home_of_ones_own_and_an_employer_paying_ones_insurance_are_read(
    text: str, expected: dict[str, Any]
) -> None:
    facts = read(text)
    assert {k: facts[k] for k in ("residence", "employment") if k in facts} == expected


def test_a_denied_value_withdraws_the_fact() -> None:
    text = "actually I don't rent, I live with my sister"
    at = text.index("rent")
    facts = read(text, [{"entity": "residence", "start": at, "end": at + 4, "value": "rented"}])
    assert "residence" in facts and facts["residence"] is None
    assert facts["lives_there"] is True


def test_facts_of_another_place_are_none_of_the_place_to_settle_in() -> None:
    text = "I live and work in Beijing, but I want my hukou in Weihai. I have no relatives there."
    facts = read(text, [mention(text, "Beijing"), mention(text, "Weihai")])
    assert facts["city"] == "weihai"
    # living and working in Beijing is neither living nor working in Weihai
    assert facts["lives_there"] is False and facts["employment"] is False
    # work in the place to settle in is work there
    text = "I work in Weihai, but I live in Beijing. Can my hukou go to Weihai?"
    facts = read(text, [mention(text, "Weihai"), mention(text, "Beijing"),
                        mention(text, "Weihai", last=True)])
    assert facts["employment"] is True and facts["lives_there"] is False
    # a job elsewhere alone may be a past one
    text = "我原来在苏州打工，这两年回来在曹县办了个小厂，想把户口弄到曹县来"
    assert "employment" not in read(text, [mention(text, "苏州"), mention(text, "曹县")])
    # nor is a collective household of another place the pathway asked about
    text = "人一直住在曹县县城。户口还在江苏那边的集体户，能不能把户口弄到曹县来"
    facts = read(text, [mention(text, "曹县"), mention(text, "江苏"),
                        mention(text, "曹县", last=True)])
    assert facts["collective_household"] is False and "pathway" not in facts
    # the same place, or one within it, keeps them
    text = "我在浑南上班，租房住，想落户沈阳"
    mentions = [{"entity": "city", "start": 2, "end": 4, "value": "浑南"},
                {"entity": "city", "start": 13, "end": 15, "value": "沈阳"}]
    facts = read(text, mentions)
    assert facts["employment"] is True and facts["residence"] == "rented"


def test_facts_of_a_place_left_unnamed_are_none_of_the_place_to_settle_in() -> None:
    facts = read("俺家在辽阳市里租房子住，俺现在没工作，孩子他爸在外地打工")
    assert facts["employment"] is False and facts["residence"] == "rented"
    # English names the place after the fact's words, and only there
    facts = read("I work in another city but rent here")
    assert "employment" not in facts and facts["residence"] == "rented"


def test_premises_where_the_person_works_are_the_employers() -> None:
    for text, words in (("在市里饭店当厨师，租房住", "饭店"),
                        ("I work at a shop in Panjin but the boss never enrolled me", "shop")):
        assert "business_premises" not in read(text, [mention(text, words, "business_premises")])
    text = "我在市里开了个饭店"
    assert read(text, [mention(text, "饭店", "business_premises")])["business_premises"] is True


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("btw my hometown is Heze, my parents still live there", "Heze", "heze"),
        ("i moved from Beijing 2 yrs ago, rent a place by the sea", "Beijing", "beijing"),
        ("she'd live with me, she's in a village in Yinan county now", "Yinan", "yinan"),
        ("俺老家是铁岭西丰的", "西丰", "xifeng"),
        ("my parents live in Dalian city btw, not with me", "Dalian", "dalian"),
        ("they're in Henan right now, would move in with me", "Henan", "henan"),
        ("俺是河南周口的", "河南", "henan"),
    ],
)
def test_a_place_only_where_someone_is_is_told_apart_from_the_place_to_settle_in(
        text: str, place: str, expected: str) -> None:
    facts = read(text, [mention(text, place)])
    assert "city" not in facts and facts["origin_place"] == expected


def test_what_the_person_does_not_know_stays_unknown() -> None:
    assert "social_insurance" not in read("not sure tbh about social insurance, gotta check")
    assert read("哎不对，合同还没签呢")["labor_contract"] is False


def test_premises_no_one_lives_in_are_no_home_and_a_shop_may_be_one() -> None:
    assert "residence" not in read("I'm its legal representative, we rent an office there")
    assert read("开了个小超市，门市房是租的，平时也住在店后面")["residence"] == "rented"


def test_a_place_left_after_one_not_meant_is_the_place_to_settle_in() -> None:
    text = "wait, the company is actually registered in Beizhen, not Jinzhou city"
    assert read(text, [mention(text, "Beizhen"), mention(text, "Jinzhou")])["city"] == "beizhen"


def test_the_person_named_with_a_relative_speaks_of_themselves() -> None:
    text = "俺和他爹户口还在费县农村，想迁过去跟儿子一块住"
    facts = read(text, [mention(text, "费县")])
    assert "city" not in facts and "origin_place" not in facts
    text = "They'd live with me in Wafangdian."
    assert read(text, [mention(text, "Wafangdian")])["city"] == "wafangdian"


def test_the_province_of_a_hometown_is_no_province_asked_about() -> None:
    text = "btw my hometown is Heze in Shandong"
    facts = read(text, [mention(text, "Heze"), mention(text, "Shandong", "province")])
    assert facts["origin_place"] == "heze" and "province" not in facts


def test_how_a_thing_works_is_no_job() -> None:
    assert "employment" not in read("How does points-based settlement work in Dalian?")
    assert read("how do i settle in dalian if i work there")["employment"] is True


@pytest.mark.parametrize(
    ("text", "employed"),
    [
        ("今年大学毕业，已经在沈阳上班了，想把户口迁到凤城农村爷爷奶奶家，行不", True),
        ("graduated this june, i work in Dalian now, can i move my hukou to a village in Zhuanghe",
         True),
        ("我在北京上班，想把户口迁到凤城农村", None),  # a job outside the province
    ],
)
def test_a_job_at_a_place_of_the_province_is_a_job_in_the_province(
    text: str, employed: bool | None
) -> None:
    assert read(text).get("employed_in_province") is employed


@pytest.mark.parametrize(
    "text",
    ["我是鞍山城里户口，想去岫岩农村种点地养老", "俺是本溪市里的户口 五十多了 想把户口迁回桓仁农村",
     "For retirement I'd like to move my hukou to a village in Yi County"],
)
def test_retirement_or_age_says_no_graduate_of_this_year(text: str) -> None:
    assert read(text)["graduate_this_year"] is False


def test_a_question_of_something_else_is_listed_whatever_the_message_tells() -> None:
    text = "I rent a flat in Weihai. Which bank gives the best rate on a car loan?"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    _, facts, kinds = read_message(text, [], tokens)
    assert facts["residence"] == "rented"
    assert "other_subject" in kinds
    text = "I rent a flat in Weihai. Can I move my hukou there?"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert "other_subject" not in read_message(text, [], tokens)[2]


@pytest.mark.parametrize(
    ("text", "move_to"),
    [
        ("我是丹东城里户口，想把户口迁到宽甸农村姥姥家，行吗", "rural"),  # asked, but the person's
        ("退休了，户口能迁回村里不", "rural"),  # 不 ending the clause asks
        ("落户城里以后农村的耕地怎么处理", None),  # the village is where the land is
        ("城镇居民能把户口迁到农村吗", None),  # of people in general
    ],
)
def test_a_move_to_the_countryside_asked_about_is_the_persons(
    text: str, move_to: str | None
) -> None:
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert read_message(text, [], tokens)[1].get("move_to") == move_to


def test_the_words_of_the_family_settling_along_name_the_relative() -> None:
    """The extractor tags "my husband and kids" as the family; the husband is a spouse."""
    text = "what do I need to bring to settle in Panjin with my husband and kids"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    family = tagged(text, "husband and kids", "has_family")
    facts = read_message(text, [family], tokens, "required_documents")[1]
    assert facts["has_family"] is True and facts["relation"] == "spouse"


def test_the_relatives_place_in_the_provinces_wins_over_where_the_person_is_outside() -> None:
    text = "my parents live in Linyi city, im in shanghai. can i put my hukou with them?"
    facts = read(text, [mention(text, "Linyi"), mention(text, "shanghai")])
    assert facts.get("city", facts.get("origin_place")) == "linyi"


def test_words_apart_in_a_sentence_state_nothing_in_a_clause_that_asks_or_denies() -> None:
    assert read("I'm not going back to my home village, I'll start a shop in Jinan").get(
        "returning_to_work_or_business") is not True
    assert read("我不回老家，在济南开个店").get("returning_to_work_or_business") is not True
    assert "returning_to_work_or_business" not in read(
        "going back to my home village, can I start a farm there?")


@pytest.mark.parametrize(
    "text",
    ["想把户口迁到凤城农村爷爷奶奶家，行不",
     "wanna move my hukou to my girlfriend's family village out in Linghai"],
)
def test_a_move_to_the_countryside_to_another_relative_joins_none_of_the_three(
        text: str) -> None:
    facts = read(text, [mention(text, "农村" if "农村" in text else "village", "move_to")])
    assert facts["relation"] == "other"


def test_a_relative_of_the_three_refuges_named_is_no_other_relative() -> None:
    text = "想把户口迁到农村老公家，他爷爷奶奶也在"
    facts = read(text, [mention(text, "农村", "move_to"), mention(text, "老公", "relation")])
    assert facts["relation"] == "spouse"


def test_a_contract_denied_next_to_a_home_rented_is_its_lease() -> None:
    text = "劳动合同签了，房子跟朋友合租的，也没签合同"
    entities = [mention(text, "劳动合同签了", "labor_contract", value=True),
                mention(text, "合租", "residence", value="rented"),
                mention(text, "没签合同", "labor_contract", value=False)]
    assert read(text, entities)["labor_contract"] is True
    text = "在营口上班，没签合同"
    assert read(text, [mention(text, "没签合同", "labor_contract", value=False)])[
        "labor_contract"] is False


def test_another_relative_in_a_question_of_moving_to_the_countryside_joins_none() -> None:
    text = "city guy from Jinzhou here, wanna move my hukou to my girlfriend's family village"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert read_message(text, [], tokens, "urban_to_rural")[1]["relation"] == "other"
    # (the move wished is one to the countryside whatever the topic; without one, a friend
    # named is no relative joined)
    assert read_message(text, [], tokens, "settlement_eligibility")[1]["relation"] == "other"
    text = "city guy from Jinzhou here, my girlfriend works in Jinzhou too"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    assert "relation" not in read_message(text, [], tokens, "settlement_eligibility")[1]


def test_a_citys_own_districts_named_beside_a_county_level_city_under_it_are_meant() -> None:
    text = "我是想落大连市里，瓦房店那房子是我爸妈住的"
    facts = read(text, [mention(text, "大连市"), mention(text, "瓦房店")])
    assert facts["city"] == "dalian"
    text = "我在瓦房店（大连）买了房"
    assert read(text, [mention(text, "瓦房店"), mention(text, "大连")])["city"] == "wafangdian"
    text = "我在鞍山市区上班，想在海城落户"
    assert read(text, [mention(text, "鞍山"), mention(text, "海城")])["city"] == "haicheng"
    text = "当年考学把户口迁到了青岛市里，老家在平度农村，宅基地还在。现在想回老家常住"
    facts = read(text, [mention(text, "青岛"), mention(text, "平度")])
    assert facts.get("city", facts.get("origin_place")) == "pingdu"


def test_relatives_at_a_place_are_none_to_join_where_the_person_says_there_are_none() -> None:
    text = "那边没亲戚，老伴孩子都在沈阳"
    facts = read(text, [mention(text, "没亲戚", "relation", value="none"),
                        mention(text, "老伴", "relation", value="spouse"),
                        mention(text, "沈阳")])
    assert facts["relation"] == "none"


def test_a_fact_stated_of_there_is_of_the_place_to_settle_in() -> None:
    text = "luohu jiaozhou possible? work there 2 yrs hukou in henan"
    facts = read(text, [mention(text, "jiaozhou"), mention(text, "henan"),
                        mention(text, "work", "employment", value=True)])
    assert facts["city"] == "jiaozhou" and facts["employment"] is True
    text = "I live and work in Henan, but want my hukou in Weihai"
    facts = read(text, [mention(text, "work", "employment", value=True),
                        mention(text, "Henan"), mention(text, "Weihai")])
    assert facts["city"] == "weihai" and facts.get("employment") is not True


@pytest.mark.parametrize(
    ("text", "labels"),
    [("the office is ours, bought it in 2020", set()),
     ("not sure tbh about social insurance, gotta check with HR", {"unsure"}),
     ("行，明白了，谢谢。顺便问下盘锦哪家河蟹好吃？", {"asks", "aside"}),
     ("And what happens if I miss the deadline?", {"asks"})],
)
def test_the_parse_data_says_whether_a_message_asks_doubts_or_turns_aside(
        text: str, labels: set[str]) -> None:
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    kinds = set(read_message(text, [], tokens)[2])
    assert kinds & {"asks", "unsure", "aside"} == labels


def test_what_a_message_would_answer_to_a_question_about_each_fact() -> None:
    assert replies("社保交了")["values"]["social_insurance"] is True
    assert replies("两年")["years"] == 2
    assert "years" not in replies("租的") and replies("租的")["values"]["residence"] == "rented"


@pytest.mark.parametrize(
    ("field", "entity", "text", "entities", "expected"),
    [
        # the term entity's words, never its value (a span such as 社保 also names a fact)
        ("term_asked", "term", "社保是什么意思", [("社保", "true")], "urban_social_insurance"),
        ("term_asked", "term", "what does legal stable residence mean?",
         [("legal stable residence", None)], "legal_stable_residence"),
        # no entity: the term is read in the whole message
        ("term_asked", "term", "什么是合法稳定住所？", [], "legal_stable_residence"),
        ("term_asked", "term", "你好，在吗", [], None),
        ("language_asked", "lang", "请用英文回答", [("英文", "en")], "en"),
        ("language_asked", "lang", "can you answer in Chinese", [("Chinese", "Chinese")], "zh"),
        ("language_asked", "lang", "换个语言", [], None),
    ],
)
def test_the_term_and_the_language_asked_are_in_the_parse_data(
        field: str, entity: str, text: str, entities: list[tuple[str, Any]],
        expected: str | None) -> None:
    found = [mention(text, words, entity, value=value) for words, value in entities]
    [message] = FactReader().process([Message(data={"text": text, "entities": found})])
    # (sent with the parse data, where the actions read it)
    assert message.as_dict(only_output_properties=True).get(field) == expected


@pytest.mark.parametrize(
    ("text", "words", "city"),
    [
        # an ambiguous name (东港市 of Dandong, 东港区 of Rizhao) is the one inside the other
        # place named
        ("i rent in Donggang (the one in Dandong), the lease is registered", "Donggang",
         "donggang"),
        ("在日照，东港那边租的房", "东港", "donggangqu"),
        # none named: it stays unread (the assistant asks which one)
        ("我在东港租房住", "东港", None),
    ],
)
def test_an_ambiguous_place_is_the_one_inside_another_place_named(
        text: str, words: str, city: str | None) -> None:
    assert read(text, [mention(text, words)]).get("city") == city


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative added to the person's household is one joining them
        ("can my 10 yr old daughter be added? she lives with me",
         {"relation": "child", "pathway": "family_reunion"}),
        ("我闺女能落到我户口上吗", {"relation": "child", "pathway": "family_reunion"}),
        ("can I add my mom to my hukou in Weifang",
         {"relation": "parent", "city": "weifang", "pathway": "family_reunion"}),
        # the relative named in a question about joining one is the one joined
        ("can I join my parents in Dalian?",
         {"relation": "parent", "city": "dalian", "pathway": "family_reunion"}),
        # ... but not in a question about people in general
        ("Can spouses join each other in Jinan?", {"city": "jinan"}),
    ],
)
def test_a_relative_added_or_joined_in_a_question_is_the_relation(
        text: str, expected: dict[str, Any]) -> None:
    assert read(text) == expected


def test_not_living_nor_working_there_is_read_in_one_breath() -> None:
    text = "俺在荷泽不住也不上班"
    assert read(text, [mention(text, "不上班", "employment")]) == {
        "lives_there": False, "employment": False}


@pytest.mark.parametrize(
    ("text", "tagged", "expected"),
    [
        # a mistyped key word read whole, though the extractor tagged part of it
        ("im a vocationl high school gradute, signed a labour contarct",
         ("high school", "education"), {"education": "vocational_high", "labor_contract": True}),
        ("I do have a junior-level electrician qualification certificate though.", None,
         {"qualification": "junior_worker"}),
        ("我户口在丹东市里，想迁回农村老家，村里也没有亲人了", None, {"relation": "none"}),
        ("这两年一直在寿光给人家种大棚，住老板给搭的板房", None,
         {"employment": True, "lives_there": True}),
    ],
)
def test_facts_told_in_other_words_are_read(
    text: str, tagged: tuple[str, str] | None, expected: dict[str, Any]
) -> None:
    facts = read(text, [mention(text, *tagged)] if tagged else [])
    for name, value in expected.items():
        assert facts.get(name) == value, facts


def test_a_mistyped_place_name_is_no_key_word() -> None:
    text = "I commute every day to a factory in Jining"
    assert read(text, [mention(text, "Jining")])["city"] == "jining"


def test_the_relatives_village_the_person_moves_to_rely_on_them_is_the_destination() -> None:
    text = ("My hukou is urban, in Dalian city. My parents are rural residents in a village in "
            "Xifeng county and I want to move my hukou there to rely on them.")
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    entities = [mention(text, "urban", "hukou_now"), mention(text, "Dalian city"),
                mention(text, "Xifeng county")]
    facts = read_message(text, entities, tokens, "urban_to_rural")[1]
    assert facts["city"] == "xifeng"
    assert facts["relation"] == "parent" and facts["hukou_now"] == "urban"


def test_a_wished_move_back_to_a_village_is_the_persons() -> None:
    text = ("Graduated this June from a university in Dalian. I'd like to put my hukou back in "
            "my family's village in Changtu county.")
    facts = read(text, [mention(text, "Dalian"), mention(text, "Changtu county")])
    assert facts["city"] == "changtu" and facts["move_to"] == "rural"
    # ... not a village the person moves from
    text = "rentd a apartmnt in Wafangdian last yr, wanna move my hukou there from my village"
    assert read(text, [mention(text, "Wafangdian")]).get("move_to") != "rural"


def test_a_message_about_joining_a_relative_goes_where_the_relative_is() -> None:
    text = ("俺闺女在淄博买了房，一家子都住那。俺跟老伴在沂源山里种了一辈子地，"
            "想去闺女那住，户口能迁过去不？")
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    entities = [mention(text, "淄博"), mention(text, "沂源")]
    assert read_message(text, entities, tokens, "family_reunion")[1]["city"] == "zibo"


def test_where_a_commuter_comes_from_is_not_where_they_work() -> None:
    text = "I don't live in Laiyang, I commute in every day from Haiyang to work at a factory."
    facts = read(text, [mention(text, "Laiyang"), mention(text, "Haiyang")])
    assert facts["city"] == "laiyang" and facts["employment"] is True


def test_a_fact_after_or_shares_the_negation_of_the_one_before() -> None:
    text = "I rent in Benxi city and do odd jobs without a contract or social insurance."
    facts = read(text, [mention(text, "odd jobs", "employment"),
                        mention(text, "contract", "labor_contract"),
                        mention(text, "social insurance", "social_insurance")])
    assert facts["employment"] is True and facts["social_insurance"] is False


def test_no_relative_to_join_leaves_the_relatives_place_where_someone_is() -> None:
    text = "那边没亲戚，老伴孩子都在沈阳，我也不是今年毕业的学生"
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    facts = read_message(text, [mention(text, "沈阳")], tokens, "family_reunion")[1]
    assert "city" not in facts and facts["relation"] == "none"


def test_a_move_to_the_countryside_said_with_its_direction_is_read() -> None:
    text = "我是沈阳城里户口，退休了，想把户口迁到开原乡下去"
    assert read(text, [mention(text, "沈阳"), mention(text, "开原")])["move_to"] == "rural"


def test_a_move_back_to_a_village_named_村里_is_read() -> None:
    """村里 names a rural hukou too; after a move's word it is where the person moves."""
    text = "俺是铁岭市里户口，想把户口迁回西丰县下面的村里养老，村里早就没亲戚了，能迁不？"
    facts = read(text, [mention(text, "铁岭市"), mention(text, "西丰县")])
    assert facts["move_to"] == "rural" and facts["relation"] == "none"


def test_a_lease_in_a_relative_clause_is_the_persons() -> None:
    text = ("I run a small guesthouse in Xingcheng and live in the back of it, which I lease "
            "together with the shop. Could I get my hukou moved there?")
    assert read(text, [mention(text, "Xingcheng")])["residence"] == "rented"


def test_a_village_moved_to_there_later_in_its_sentence_is_the_destination() -> None:
    text = ("My hukou is in Jinzhou city. I bought an old farmhouse in a village in Yi County "
            "and want to move my hukou there.")
    facts = read(text, [mention(text, "Jinzhou city"), mention(text, "Yi County")])
    assert facts["move_to"] == "rural" and facts["city"] == "yixian"


def test_an_english_move_before_a_village_moves_there() -> None:
    text = "no job yet. Can I move my hukou back to my parents' village in Xifeng County?"
    assert read(text, [mention(text, "Xifeng County")])["move_to"] == "rural"
    # (not where the person comes from: "I moved to Dalian from my village")
    text = "I moved to Dalian from my village three years ago."
    assert "move_to" not in read(text, [mention(text, "Dalian")])
    # (nor where the person lives, named after the move: "live in the countryside")
    text = "can i settle my hukou in weifang if i only work there but live in the countryside"
    assert read(text, [mention(text, "weifang")]).get("move_to") != "rural"
