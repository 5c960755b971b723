"""English key words typed one letter wrong are read as the key word."""

from __future__ import annotations

import pytest
from fact_reading import mention, read

from assistant.nlu import spelling
from assistant.nlu.facts import asks
from assistant.nlu.spelling import (
    corrected,
    correction,
    place_names_corrected,
    places_mistyped,
    split_run_on,
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("socail", "social"), ("colege", "college"), ("residnce", "residence"),
     ("contrct", "contract"), ("vetran", "veteran"),
     ("rentd", "rented")],  # rent, rents and rented, one edit away, all say it
)
def test_a_mistyped_key_word_is_read_as_the_key_word(typed: str, meant: str) -> None:
    assert correction(typed) == meant


@pytest.mark.parametrize("word", ["least", "lease", "house", "worker", "hello", "abc"])
def test_english_words_and_short_words_stay_as_they_are(word: str) -> None:
    assert correction(word) is None


def test_a_word_one_letter_short_of_a_key_word_is_the_key_word() -> None:
    """Four letters are corrected only to a key word of five: a letter dropped ("renw"),
    never changed or swapped ("rnet" stays: rent and net are both one swap or change off)."""
    assert correction("renw") == "renew"
    assert correction("rnet") is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("socialinsurance", "social insurance"), ("workthere", "work there"),
     ("myhukou", "my hukou"), ("laborcontract", "labor contract")],
)
def test_two_words_typed_as_one_are_read_apart(typed: str, meant: str) -> None:
    assert split_run_on(typed) == meant


@pytest.mark.parametrize("word", ["doesnt", "longgang", "wafangdian", "shenyang", "homeowner",
                                  "hukou", "something"])
def test_words_places_and_negations_are_never_split(word: str) -> None:
    assert split_run_on(word) is None


@pytest.mark.parametrize("word", ["lianshan", "qinghe", "shizhong", "zhicheng", "laoban"])
def test_a_place_of_its_own_or_a_key_word_is_no_other_place_mistyped(word: str) -> None:
    """Huludao's Lianshan is not Anshan's Qianshan; 职称 typed in pinyin is not Zhucheng (a
    training example so corrected once mapped every Zhucheng to a qualification)."""
    assert place_names_corrected(word) == word and places_mistyped(word) == []


def test_a_qindao_is_qingdao_even_where_the_extractor_saw_a_city() -> None:
    text = "qindao hukou, i work in qindao city and rent"
    facts = read(text, [mention(text, "city", value="urban")])
    assert facts.get("city") == "qingdao"


def test_offsets_of_the_corrected_text_point_into_the_typed_one() -> None:
    text = "i pay socail insurance in Jinan"
    fixed, origin = corrected(text)
    assert fixed == "i pay social insurance in Jinan"
    start = fixed.index("Jinan")
    assert text[origin[start] : origin[start + len("Jinan")]] == "Jinan"
    assert len(origin) == len(fixed) + 1


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("May a county make villagers give up their land when they register in town?", True),
        ("How long does registering a hukou in Jinan take?", True),
        ("Can I settle in Dalian?", False),
        ("沈阳落户需要什么条件", True),
        ("能在锦州落户吗", False),
        ("居住证到期了怎么续", True),
        ("my residence permit expired last month, what do I do", True),
    ],
)
def test_a_question_about_the_rules(text: str, rules: bool) -> None:
    assert asks("rules", text) is rules


@pytest.mark.parametrize(
    "text",
    ["What do I need to apply for a residence permit? I rent a flat.",
     "What do we need to get our own family hukou booklet?",
     "To get our own family hukou booklet, what do we need to show?",
     "投靠父母落户要准备些啥"],
)
def test_a_question_of_what_an_application_needs_asks_for_documents(text: str) -> None:
    assert asks("documents", text)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("can i get a hukou in Dailan", "can i get a hukou in dalian"),  # two letters swapped
        ("i work in qingdoa", "i work in qingdao"),
        ("working in Shenayng, renting", "working in shenyang, renting"),
        ("hukou in lioayang", "hukou in liaoyang"),
    ],
)
def test_a_place_name_typed_one_letter_wrong_is_corrected(typed: str, meant: str) -> None:
    assert place_names_corrected(typed) == meant


@pytest.mark.parametrize(
    "text",
    ["I live in Dalian and work in Jinan", "luohu shebao hukou juzhuzheng",
     "he lives there, worked there", "benxi anshan fushun", ""],
)
def test_names_words_and_key_words_stay(text: str) -> None:
    assert place_names_corrected(text) == text


@pytest.mark.parametrize(
    ("text", "place"),
    [("can i get hokou in shenyng", "shenyang"), ("i live in qindao", "qingdao"),
     ("work in dallian", "dalian")],
)
def test_a_place_name_typed_a_letter_short_or_long_is_found(text: str, place: str) -> None:
    assert [found for _, _, found in places_mistyped(text)] == [place]


@pytest.mark.parametrize(
    ("text", "place"),
    [("I work in Fushn city", "fushun"),  # a city before Yantai's Fushan district
     ("Fuxn urban area", "fuxin"),  # four letters: a city's name a letter short
     ("how do i get hukuo in Harbinn", "haerbin")],  # outside the provinces: not covered
)
def test_of_two_names_the_city_and_a_place_outside_are_found(text: str, place: str) -> None:
    assert [found for _, _, found in places_mistyped(text)] == [place]


def test_words_near_no_single_place_name_stay() -> None:
    assert places_mistyped("the settle in general, a little rental") == []


def test_an_english_word_is_corrected_where_its_neighbour_makes_a_keyword() -> None:
    assert corrected("socal security paid")[0] == "social security paid"
    assert corrected("socal media")[0] == "socal media"


def test_the_name_of_a_place_outside_the_two_provinces_is_no_typing_error() -> None:
    text = "hukou for graduates in Chengdu"
    assert place_names_corrected(text) == text


def test_a_hukou_held_elsewhere_speaks_of_no_move_of_it() -> None:
    assert not asks("hukou", "我在大连，外地户口，租房住了半年多了，在一家饭店当服务员")
    assert asks("hukou", "外地户口能在大连落户吗")


@pytest.mark.parametrize("text", ["那有别的办法吗", "还有啥办法能落户", "is there any other way?",
                                  "what are my other options"])
def test_a_question_for_another_way_asks_for_alternatives(text: str) -> None:
    assert asks("alternatives", text)


def test_a_contraction_is_no_mistyped_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """"I haven't": were "i have" a keyword's two words, "haven" after "i" would be read
    as "have"."""
    words = frozenset({*spelling.keyword_words(), "have"})
    pairs = frozenset({*spelling.keyword_pairs(), ("i", "have")})
    monkeypatch.setattr(spelling, "keyword_words", lambda: words)
    monkeypatch.setattr(spelling, "keyword_pairs", lambda: pairs)
    spelling._keywords_one_edit.cache_clear()
    try:
        assert spelling.correction("haven", "i", "t") == "have"
        text = "I haven't found a job"
        assert spelling.corrected(text)[0] == text
    finally:
        spelling._keywords_one_edit.cache_clear()
