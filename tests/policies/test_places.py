"""Places data (policies/data/places), the place index and the NLU vocabulary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policies.loader import RulesError
from policies.places import PlaceIndex, load_places
from policies.vocabulary import DATA_DIR, jieba_terms, place_surface_forms, resolve_place

LIAONING_COUNTY_CITIES = {
    "新民市",
    "瓦房店市",
    "庄河市",
    "海城市",
    "东港市",
    "凤城市",
    "凌海市",
    "北镇市",
    "盖州市",
    "大石桥市",
    "灯塔市",
    "调兵山市",
    "开原市",
    "北票市",
    "凌源市",
    "兴城市",
}
SHANDONG_COUNTY_CITIES = {
    "胶州市",
    "平度市",
    "莱西市",
    "滕州市",
    "龙口市",
    "莱阳市",
    "莱州市",
    "招远市",
    "栖霞市",
    "海阳市",
    "青州市",
    "诸城市",
    "寿光市",
    "安丘市",
    "高密市",
    "昌邑市",
    "曲阜市",
    "邹城市",
    "新泰市",
    "肥城市",
    "荣成市",
    "乳山市",
    "乐陵市",
    "禹城市",
    "临清市",
    "邹平市",
}


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return load_places(DATA_DIR)


def zh_of(index: PlaceIndex, province: str, kind: str) -> set[str]:
    return {p.zh for p in index.in_province(province) if p.kind == kind}


# --- counts ---------------------------------------------------------------------------


def test_prefecture_cities(index: PlaceIndex) -> None:
    assert zh_of(index, "liaoning", "prefecture_city") == {
        "沈阳市",
        "大连市",
        "鞍山市",
        "抚顺市",
        "本溪市",
        "丹东市",
        "锦州市",
        "营口市",
        "阜新市",
        "辽阳市",
        "盘锦市",
        "铁岭市",
        "朝阳市",
        "葫芦岛市",
    }
    shandong = zh_of(index, "shandong", "prefecture_city")
    assert len(shandong) == 16
    assert "莱芜市" not in shandong  # merged into Jinan in 2019
    laiwu = index.get("laiwu")
    assert laiwu is not None and laiwu.kind == "district" and laiwu.parent == "jinan"


def test_county_level_cities_and_counties(index: PlaceIndex) -> None:
    assert zh_of(index, "liaoning", "county_level_city") == LIAONING_COUNTY_CITIES
    assert zh_of(index, "shandong", "county_level_city") == SHANDONG_COUNTY_CITIES
    assert len(zh_of(index, "liaoning", "county")) == 25
    assert len(zh_of(index, "shandong", "county")) == 52


def test_districts_leave_out_shared_names(index: PlaceIndex) -> None:
    districts = zh_of(index, "liaoning", "district") | zh_of(index, "shandong", "district")
    assert {"沈河区", "金州区", "普兰店区", "辽中区", "莱芜区", "即墨区"} <= districts
    assert not {"和平区", "铁西区", "铁东区", "中山区", "海州区", "市中区", "河东区"} & districts
    assert len(zh_of(index, "liaoning", "district")) == 53
    assert len(zh_of(index, "shandong", "district")) == 55


def test_outside_provinces(index: PlaceIndex) -> None:
    outside = [p for p in index.all() if p.kind == "outside_province"]
    assert len(outside) == 32
    assert {
        "beijing",
        "tianjin",
        "shanghai",
        "chongqing",
        "jilin",
        "xianggang",
        "aomen",
        "taiwan",
        "neimenggu",
    } <= {p.id for p in outside}
    for place in index.all():
        if place.outside:
            assert place.province is None and place.tier is None


def test_ids_are_unique_lowercase_pinyin(index: PlaceIndex) -> None:
    ids = [p.id for p in index.all()]
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i.isalpha() and i.islower() for i in ids)


# --- tiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place_id", "tier"),
    [
        ("shenyang", "megacity"),
        ("dalian", "megacity"),
        ("pulandian", "megacity"),
        ("jinzhouqu", "megacity"),
        ("liaozhong", "megacity"),
        ("anshan", "big_city"),
        ("fushun", "big_city"),
        ("benxi", "big_city"),
        ("dandong", "medium_city"),
        ("huludao", "medium_city"),
        ("haicheng", "small_city_town"),
        ("wafangdian", "small_city_town"),
        ("zhuanghe", "small_city_town"),
        ("xinmin", "small_city_town"),
        ("chaoyangxian", "small_city_town"),
        ("jinan", "urban"),
        ("laiwu", "urban"),
        ("qingdao", "qingdao_central"),
        ("shinan", "qingdao_central"),
        ("jimo", "qingdao_central"),
        ("jiaozhou", "urban"),
        ("pingdu", "urban"),
        ("laixi", "urban"),
        ("liaoning", None),
        ("shandong", None),
    ],
)
def test_tier(index: PlaceIndex, place_id: str, tier: str | None) -> None:
    place = index.get(place_id)
    assert place is not None
    assert place.tier == tier


def test_every_place_in_the_provinces_has_a_tier(index: PlaceIndex) -> None:
    for province in ("liaoning", "shandong"):
        for place in index.in_province(province):
            if place.kind == "province":
                continue
            assert place.tier, place.id
            if place.kind == "district":
                parent = index.get(place.parent or "")
                assert parent is not None and parent.tier == place.tier, place.id
            elif province == "liaoning" and place.kind != "prefecture_city":
                assert place.tier == "small_city_town", place.id


@pytest.mark.parametrize(
    ("place_id", "city", "settlement"),
    [
        ("shenhe", "shenyang", "shenyang"),
        ("wafangdian", "dalian", "wafangdian"),
        ("dalian", "dalian", "dalian"),
        ("shinan", "qingdao", "qingdao"),
        ("liaoning", None, None),
        ("beijingchaoyang", "beijing", None),
        ("changchun", "changchun", None),
    ],
)
def test_city_of_and_settlement_place(
    index: PlaceIndex, place_id: str, city: str | None, settlement: str | None
) -> None:
    place = index.get(place_id)
    assert place is not None
    found_city = index.city_of(place)
    found_settlement = index.settlement_place(place)
    assert (found_city.id if found_city else None) == city
    assert (found_settlement.id if found_settlement else None) == settlement


# --- resolution -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("大连", "dalian"),
        ("大连市", "dalian"),
        ("大連市", "dalian"),
        ("瀋陽", "shenyang"),
        ("遼陽", "liaoyang"),
        ("錦州市", "jinzhou"),
        ("Dalian City", "dalian"),
        ("dalian shi", "dalian"),
        ("ＤＡＬＩＡＮ", "dalian"),
        ("瓦房店市", "wafangdian"),
        ("瓦房店", "wafangdian"),
        ("Haicheng", "haicheng"),
        ("Wa Fang Dian", "wafangdian"),
        ("北京朝阳区", "beijingchaoyang"),
        ("北京市朝阳区", "beijingchaoyang"),
        ("朝阳", "chaoyang"),
        ("朝阳市", "chaoyang"),
        ("朝阳县", "chaoyangxian"),
        ("辽宁朝阳", "chaoyang"),
        ("辽宁省大连市瓦房店市", "wafangdian"),
        ("吉林", "jilin"),
        ("吉林省", "jilin"),
        ("吉林市", "jilinshi"),
        ("Jilin City", "jilinshi"),
        ("Jilin", "jilin"),
        ("辽宁省", "liaoning"),
        ("遼寧", "liaoning"),
        ("Liaoning Province", "liaoning"),
        ("山東", "shandong"),
        ("鲁", "shandong"),
        ("辽", "liaoning"),
        ("青島", "qingdao"),
        ("莱芜", "laiwu"),
        ("莱芜市", "laiwu"),
        ("金州", "jinzhouqu"),
        ("锦州", "jinzhou"),
        ("Jinzhou", "jinzhou"),
        ("Jinzhou District", "jinzhouqu"),
        ("Tai'an", "taian"),
        ("Tai'an County", "taianxian"),
        ("Kangping Xian", "kangping"),
        ("岫岩", "xiuyan"),
        ("喀左", "kalaqinzuoyi"),
        ("海城区", "beihaihaicheng"),
        ("沈阳铁西区", "shenyang"),
        ("我想在濟南落戶，可以嗎？", "jinan"),
        ("I want to settle in Dalian.", "dalian"),
    ],
)
def test_resolve(index: PlaceIndex, text: str, place_id: str) -> None:
    place = index.resolve(text)
    assert place is not None, text
    assert place.id == place_id


@pytest.mark.parametrize(
    "text",
    [
        "朝阳区",
        "铁西区",
        "和平区",
        "东港",
        "Donggang",
        "我在高密度住宅区",
        "I like boxing",
        "辽阔",
        "",
    ],
)
def test_resolve_nothing(index: PlaceIndex, text: str) -> None:
    assert index.resolve(text) is None


def test_every_id_resolves_to_its_place(index: PlaceIndex) -> None:
    for place in index.all():
        assert index.resolve(place.id) == place
        assert resolve_place(place.id) == place


def test_ambiguous_mention_lists_candidates(index: PlaceIndex) -> None:
    (mention,) = index.mentions("我住朝阳区")
    assert mention.place is None and mention.ambiguous
    assert {p.id for p in mention.candidates} == {"beijingchaoyang", "changchunchaoyang"}
    (mention,) = index.mentions("东港")
    assert {p.id for p in mention.candidates} == {"donggang", "donggangqu"}


def test_resolve_all_in_order_with_spans(index: PlaceIndex) -> None:
    text = "从北京朝阳区搬到 Dalian City 或者海城"
    assert [p.id for p in index.resolve_all(text)] == ["beijingchaoyang", "dalian", "haicheng"]
    assert [m.text for m in index.mentions(text)] == ["北京朝阳区", "Dalian City", "海城"]


def test_latin_names_match_whole_words_only(index: PlaceIndex) -> None:
    assert index.resolve_all("I am from Xi'an") == [index.get("xian")]
    assert index.resolve_all("taxi announcement") == []
    assert [p.id for p in index.resolve_all("Kangping Xian and Xi'an")] == ["kangping", "xian"]


# --- vocabulary -----------------------------------------------------------------------


def test_surface_forms_round_trip() -> None:
    forms = place_surface_forms()
    for form, place_id in forms.items():
        place = resolve_place(form)
        assert place is not None and place.id == place_id, form
    assert forms["大连"] == forms["大連"] == forms["dalian city"] == forms["dalian"] == "dalian"
    assert forms["瓦房店"] == forms["瓦房店市"] == "wafangdian"
    assert forms["北京朝阳区"] == "beijingchaoyang"
    assert forms["beijing"] == "beijing"
    assert "朝阳区" not in forms and "东港" not in forms and "鲁" not in forms
    assert place_surface_forms(include_single_char=True)["鲁"] == "shandong"


def test_jieba_terms_without_glossary(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR / "places", tmp_path / "places")
    terms = jieba_terms(tmp_path)
    assert {"大连", "大连市", "瓦房店", "朝阳区", "喀左"} <= set(terms)
    assert all(" " not in t and len(t) >= 2 for t in terms)
    assert jieba_terms(tmp_path) == terms


def test_jieba_terms_with_glossary_and_doc_types(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR / "places", tmp_path / "places")
    (tmp_path / "glossary.yml").write_text(
        "terms:\n  legal_stable_residence:\n    name: {zh: 合法稳定住所, en: x}\n"
        "    aliases: {zh: [合法住所], en: []}\n",
        encoding="utf-8",
    )
    (tmp_path / "doc_types.yml").write_text(
        "doc_types:\n  labor_contract:\n    name: {zh: 劳动（聘用）合同, en: x}\n"
        "  property_certificate:\n    name: {zh: 不动产权证书/房屋所有权证, en: x}\n",
        encoding="utf-8",
    )
    terms = set(jieba_terms(tmp_path))
    assert {"合法稳定住所", "合法住所", "劳动合同", "不动产权证书", "房屋所有权证"} <= terms


# --- validation -----------------------------------------------------------------------


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    shutil.copytree(DATA_DIR / "places", tmp_path / "places")
    path = tmp_path / "places" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "liaoning.yml",
            "tier: small_city_town}",
            "tier: null}",
            "places/liaoning.yml: places.xinmin.tier: place has no tier",
        ),
        (
            "liaoning.yml",
            "tier: megacity",
            "tier: metropolis",
            "places/liaoning.yml: places.shenyang.tier: unknown tier 'metropolis'",
        ),
        (
            "shandong.yml",
            "  zibo: {",
            "  dalian: {",
            "places/shandong.yml: places.dalian: duplicate id (also in places/liaoning.yml)",
        ),
        (
            "shandong.yml",
            "aliases: [濟南]",
            "aliases: [濟南, 大连]",
            "places/shandong.yml: places.jinan: name '大连' also names 'dalian'",
        ),
        (
            "liaoning.yml",
            "parent: shenyang",
            "parent: shenyangg",
            "places/liaoning.yml: places.shenhe.parent: unknown parent 'shenyangg'",
        ),
        (
            "liaoning.yml",
            "  xinmin: {",
            "  xin_min: {",
            "places/liaoning.yml: places.xin_min: bad id",
        ),
        (
            "liaoning.yml",
            "  xinmin: {",
            "  xinmin2: {",
            "places/liaoning.yml: places.xinmin2: bad id",
        ),
        (
            "liaoning.yml",
            "{zh: 新民市,",
            "{zh: 新民市, pinyin: xinmin,",
            "places/liaoning.yml: places.xinmin.pinyin: unknown key",
        ),
        (
            "liaoning.yml",
            "{zh: 新民市,",
            "{zh: 新民市, id: xinmin,",
            "places/liaoning.yml: places.xinmin: must be a mapping of fields without `id`",
        ),
        (
            "liaoning.yml",
            "{zh: 大连市,",
            "{zh: 大連市,",
            "places/liaoning.yml: places.dalian.zh: not simplified Chinese",
        ),
        (
            "shandong.yml",
            "tier: urban, bare: false",
            "tier: megacity, bare: false",
            "places/shandong.yml: places.huaiyin.tier: unknown tier 'megacity'",
        ),
        (
            "liaoning.yml",
            "kind: district, province: liaoning, parent: shenyang, tier: megacity",
            "kind: district, province: liaoning, parent: shenyang, tier: big_city",
            "places/liaoning.yml: places.shenhe.tier: a district has its city's tier",
        ),
        (
            "outside.yml",
            "names: [铁西区, 铁西,",
            "names: [铁西区, 海城,",
            "places/outside.yml: ambiguous.海城: also a name of 'haicheng'",
        ),
        (
            "outside.yml",
            "candidates: [anshan, siping]",
            "candidates: [anshan, sipingg]",
            "places/outside.yml: ambiguous.铁东区: unknown candidate 'sipingg'",
        ),
        (
            "outside.yml",
            "not_places: [",
            "not_places: [瓦房店市, ",
            "places/liaoning.yml: places.wafangdian: name '瓦房店市' is listed under not_places "
            "(places/outside.yml)",
        ),
        (
            "outside.yml",
            "in_province: hebei",
            "in_province: liaoning",
            "places/outside.yml: places.shijiazhuang.in_province: must name an outside province",
        ),
        (
            "outside.yml",
            "kind: outside_city, province: null, in_province: jilin",
            "kind: outside_city, province: liaoning, in_province: jilin",
            "places/outside.yml: places.changchun.province: must be null for an outside place",
        ),
    ],
)
def test_validation_errors(tmp_path: Path, file: str, old: str, new: str, expected: str) -> None:
    data_dir = broken_copy(tmp_path, file, old, new)
    with pytest.raises(RulesError) as err:
        load_places(data_dir)
    assert expected in str(err.value), str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR / "places", tmp_path / "places")
    (tmp_path / "places" / "shandong.yml").unlink()
    with pytest.raises(RulesError, match="places/shandong.yml: missing file"):
        load_places(tmp_path)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    data_dir = broken_copy(tmp_path, "liaoning.yml", "  xinmin: {", "  faku: {")
    with pytest.raises(RulesError, match="places/liaoning.yml: faku: duplicate key"):
        load_places(data_dir)


def test_control_characters_are_no_place_and_no_error(index: PlaceIndex) -> None:
    # OpenCC drops a NUL: the text keeps its length and its places all the same
    assert index.mentions("\x00\x01控制字符") == []
    found = index.mentions("\x00在大連落户")
    assert [(m.place.id if m.place else None, m.start, m.end) for m in found] == [
        ("dalian", 2, 4)]
